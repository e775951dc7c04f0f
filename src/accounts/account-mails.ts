/** The Dutch mails with a one-time link: an invitation to SluiS, or a password reset. Never person data. */
import { randomUUID } from 'node:crypto';
import type { EmailMessage } from '../notifications/dispatcher.ts';
import { escapeHtml } from '../web/html/jsx.ts';

export function accountLinkMail(input: { purpose: 'invitation' | 'password_reset'; to: string; name: string; link: string; hours: number; publicUrl: string }): EmailMessage {
  const invitation = input.purpose === 'invitation';
  const subject = invitation ? 'Uw account voor SluiS' : 'Nieuw wachtwoord voor SluiS';
  const validity = input.hours >= 48 ? `${Math.round(input.hours / 24)} dagen` : input.hours === 1 ? 'een uur' : `${input.hours} uur`;
  const lines = [
    `Beste ${input.name},`,
    '',
    invitation
      ? 'Er is een account voor u aangemaakt in SluiS, de verwijsindex waarmee professionals zien dat zij dezelfde persoon helpen.'
      : 'U heeft gevraagd om een nieuw wachtwoord voor SluiS.',
    `Kies uw wachtwoord via deze link (${validity} geldig, één keer te gebruiken):`,
    input.link,
    '',
    invitation
      ? 'Daarna koppelt u een authenticator-app op uw telefoon; die vraagt SluiS bij elke keer inloggen.'
      : 'Heeft u dit niet gevraagd? Dan kunt u deze mail negeren; uw wachtwoord blijft hetzelfde.',
    '',
    'Met vriendelijke groet,',
    'SluiS',
  ];
  const html = `<p>${lines.map((line) => (line === input.link ? `<a href="${escapeHtml(input.link)}">Wachtwoord kiezen</a>` : escapeHtml(line))).join('<br>')}</p>`;
  return { to: input.to, subject, text: lines.join('\n'), html, messageId: `<${randomUUID()}@${new URL(input.publicUrl).hostname}>` };
}
