/** The Dutch mails about a web account: an invitation or password reset (with a one-time link), and the notice of a second-factor reset. Never person data. */
import { randomUUID } from 'node:crypto';
import type { EmailMessage } from '../notifications/dispatcher.ts';
import { escapeHtml } from '../shared/html.ts';

export function accountLinkMail(input: {
  purpose: 'invitation' | 'password_reset';
  to: string;
  name: string;
  link: string;
  hours: number;
  publicUrl: string;
  /** For an invitation: what the account is for (for instance the organisation and the coordinator's role), after the opening line. */
  note?: string;
}): EmailMessage {
  const invitation = input.purpose === 'invitation';
  const subject = invitation ? 'Uw account voor SluiS' : 'Nieuw wachtwoord voor SluiS';
  const validity = input.hours >= 48 ? `${Math.round(input.hours / 24)} dagen` : input.hours === 1 ? 'een uur' : `${input.hours} uur`;
  const lines = [
    `Beste ${input.name},`,
    '',
    invitation
      ? 'Er is een account voor u aangemaakt in SluiS, de verwijsindex waarmee professionals zien dat zij dezelfde persoon helpen.'
      : 'U heeft gevraagd om een nieuw wachtwoord voor SluiS.',
    ...(invitation && input.note ? [input.note] : []),
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

/**
 * The notice that a coordinator (for a professional) or an administrator (for a staff member) reset
 * the holder's second factor. No link that signs in: the password stays, the next sign-in enrols a new app.
 */
export function secondFactorResetMail(input: { to: string; name: string; by: 'coordinator' | 'administrator'; publicUrl: string }): EmailMessage {
  const signIn = `${input.publicUrl}/inloggen`;
  const who = input.by === 'coordinator' ? 'De coördinator van uw organisatie' : 'Een functioneel beheerder van de gemeente';
  const contact = input.by === 'coordinator' ? 'de coördinator van uw organisatie' : 'de functioneel beheerder van de gemeente';
  const lines = [
    `Beste ${input.name},`,
    '',
    `${who} heeft de tweede factor van uw account in SluiS opnieuw ingesteld. Uw authenticator-app en uw herstelcodes werken niet meer voor SluiS, en u bent op alle apparaten uitgelogd.`,
    'Uw wachtwoord blijft hetzelfde. Log in met uw e-mailadres en wachtwoord:',
    signIn,
    'Daarna koppelt u een authenticator-app op uw telefoon en krijgt u nieuwe herstelcodes.',
    '',
    `Heeft u hier niet om gevraagd? Neem dan direct contact op met ${contact}.`,
    '',
    'Met vriendelijke groet,',
    'SluiS',
  ];
  const html = `<p>${lines.map((line) => (line === signIn ? `<a href="${escapeHtml(signIn)}">Inloggen bij SluiS</a>` : escapeHtml(line))).join('<br>')}</p>`;
  return {
    to: input.to,
    subject: 'Uw tweede factor voor SluiS is opnieuw ingesteld',
    text: lines.join('\n'),
    html,
    messageId: `<${randomUUID()}@${new URL(input.publicUrl).hostname}>`,
  };
}
