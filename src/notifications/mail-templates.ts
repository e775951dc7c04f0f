/**
 * The Dutch e-mails, one per event type, as plain text and HTML. They carry the other involved
 * professionals' contact details and the recipient's own client reference — never anything about
 * the person (no BSN, name, date of birth or address) — and a link into SluiS. In "link only" mode
 * they carry nothing but the link. Pure: everything comes in as an argument.
 */
import type { OutboxEventType } from '../db/schema.ts';
import { escapeHtml } from '../shared/html.ts';

export type MailContact = { professionalName: string; organisationName: string; phone: string; email: string; since: Date };

export type MailInput = {
  type: OutboxEventType;
  mode: 'full' | 'link_only';
  publicUrl: string;
  recipientName: string;
  signal: { id: string; clientReference: string | null; filedAt: Date; activeUntil: Date; endReason: string | null };
  matchId: string | null;
  /** The other professionals now involved (not the recipient). */
  others: MailContact[];
  /** The professional who joined or left, for those events; for coordination.changed, the coordinator after the change. */
  changed: MailContact | null;
  /** coordination.changed: what happened. */
  action?: string | undefined;
  reason?: string | undefined;
};

export type RenderedMail = { subject: string; text: string; html: string };

const dateFormat = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric' });
const day = (instant: Date) => dateFormat.format(instant);

const END_REASONS: Record<string, string> = {
  care_ended: 'uw betrokkenheid is beëindigd',
  moved: 'de persoon is verhuisd',
  deceased: 'de persoon is overleden',
  expired: 'de looptijd van het signaal is verstreken',
  age_limit: 'de persoon is 23 jaar geworden',
};

const SUBJECTS: Record<OutboxEventType, string> = {
  'match.created': 'SluiS: er is een match op uw signaal',
  'match.participant_joined': 'SluiS: een nieuwe professional is betrokken',
  'match.participant_left': 'SluiS: een professional is niet meer betrokken',
  'signal.ended': 'SluiS: uw signaal is beëindigd',
  'signal.expiring': 'SluiS: uw signaal verloopt binnenkort',
  'coordination.changed': 'SluiS: de regie bij een match is gewijzigd',
};

type Block = { kind: 'p'; text: string } | { kind: 'contacts'; contacts: MailContact[] } | { kind: 'link'; label: string; url: string };

function blocks(input: MailInput): Block[] {
  const { signal } = input;
  const reference = signal.clientReference ? `met kenmerk "${signal.clientReference}"` : 'zonder kenmerk';
  const yourSignal: Block = { kind: 'p', text: `Het gaat om uw signaal ${reference}, afgegeven op ${day(signal.filedAt)}.` };
  const matchLink: Block = { kind: 'link', label: 'Bekijk de match in SluiS', url: `${input.publicUrl}/matches/${input.matchId}` };
  // The web pages: an active signal's own page; an ended one is in the history on /signalen.
  const signalLink: Block =
    input.type === 'signal.ended'
      ? { kind: 'link', label: 'Bekijk uw signalen in SluiS', url: `${input.publicUrl}/signalen` }
      : { kind: 'link', label: 'Bekijk uw signaal in SluiS', url: `${input.publicUrl}/signalen/${signal.id}` };
  const others: Block[] =
    input.others.length > 0
      ? [
          { kind: 'p', text: 'Deze professionals zijn nu bij dezelfde persoon betrokken:' },
          { kind: 'contacts', contacts: input.others },
        ]
      : [{ kind: 'p', text: 'Er zijn op dit moment geen andere professionals met een actief signaal betrokken.' }];
  const changed = input.changed;
  switch (input.type) {
    case 'match.created':
      return [
        { kind: 'p', text: 'Er is een match: een of meer andere professionals zijn betrokken bij dezelfde persoon als u.' },
        yourSignal,
        ...others,
        { kind: 'p', text: 'Neem contact met elkaar op en spreek af wie de regie neemt.' },
        matchLink,
      ];
    case 'match.participant_joined':
      return [
        {
          kind: 'p',
          text: changed
            ? `${changed.professionalName} (${changed.organisationName}) is betrokken geraakt bij een persoon waarop u een match heeft.`
            : 'Een nieuwe professional is betrokken geraakt bij een persoon waarop u een match heeft.',
        },
        yourSignal,
        ...others,
        matchLink,
      ];
    case 'match.participant_left':
      return [
        {
          kind: 'p',
          text: changed
            ? `${changed.professionalName} (${changed.organisationName}) is niet meer betrokken bij een persoon waarop u een match heeft.`
            : 'Een professional is niet meer betrokken bij een persoon waarop u een match heeft.',
        },
        yourSignal,
        ...others,
        input.others.length > 0 ? matchLink : signalLink,
      ];
    case 'signal.ended':
      return [
        {
          kind: 'p',
          text: `Uw signaal is beëindigd${signal.endReason && END_REASONS[signal.endReason] ? `: ${END_REASONS[signal.endReason]}` : ''}. U ontvangt er geen berichten meer over.`,
        },
        yourSignal,
        { kind: 'p', text: 'Het signaal blijft als historie zichtbaar voor professionals die later een signaal afgeven.' },
        signalLink,
      ];
    case 'signal.expiring':
      return [
        { kind: 'p', text: `Uw signaal verloopt op ${day(signal.activeUntil)}.` },
        yourSignal,
        { kind: 'p', text: 'Bent u daarna nog betrokken? Geef dan opnieuw een signaal af.' },
        signalLink,
      ];
    case 'coordination.changed':
      return [
        { kind: 'p', text: coordinationText(input.action, changed) },
        yourSignal,
        ...(changed
          ? [
              { kind: 'p' as const, text: 'De regie ligt nu bij:' },
              { kind: 'contacts' as const, contacts: [changed] },
            ]
          : []),
        matchLink,
      ];
  }
}

const COORDINATION_TEXTS: Record<string, string> = {
  take: 'Een betrokken professional heeft de regie genomen bij een persoon waarop u een match heeft.',
  propose_handover: 'De regisseur wil de regie overdragen. Als u het voorstel krijgt, kunt u het in SluiS aannemen of afwijzen.',
  accept_handover: 'De regie is overgedragen aan een andere betrokken professional.',
  decline_handover: 'Een voorstel om de regie over te dragen is afgewezen; de regie blijft waar hij was.',
  withdraw_handover: 'Een voorstel om de regie over te dragen is ingetrokken.',
  coordinator_left: 'De regisseur is niet meer betrokken. Niemand heeft nu de regie: spreek af wie hem neemt.',
  escalate: 'De samenwerking is opgeschaald naar de functionaris van de gemeente.',
  appoint: 'De functionaris van de gemeente heeft een regisseur aangewezen.',
  resolve: 'De functionaris van de gemeente heeft de opschaling afgesloten.',
};

function coordinationText(action: string | undefined, coordinator: MailContact | null): string {
  const text = (action && COORDINATION_TEXTS[action]) ?? 'De regie bij een persoon waarop u een match heeft, is gewijzigd.';
  return coordinator || action === 'coordinator_left' || action === 'escalate' || action === 'resolve' ? text : `${text} Er is nog geen regisseur.`;
}

function linkOnlyBlocks(input: MailInput): Block[] {
  const url =
    input.matchId && (input.type.startsWith('match.') || input.type === 'coordination.changed')
      ? `${input.publicUrl}/matches/${input.matchId}`
      : input.type === 'signal.ended'
        ? `${input.publicUrl}/signalen`
        : `${input.publicUrl}/signalen/${input.signal.id}`;
  return [
    { kind: 'p', text: 'Er is nieuws over een van uw signalen in SluiS. Log in om te zien wat er is veranderd.' },
    { kind: 'link', label: 'Open SluiS', url },
  ];
}

const FOOTER = 'Deze e-mail bevat geen gegevens over de persoon zelf. Stuur hem niet door buiten uw organisatie. — SluiS, Sluitend Samenwerken';

export function renderMail(input: MailInput): RenderedMail {
  const body = input.mode === 'link_only' ? linkOnlyBlocks(input) : blocks(input);
  const greeting = `Beste ${input.recipientName},`;
  const text = `${[greeting, ...body.map(toText), FOOTER].join('\n\n')}\n`;
  const html =
    `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(SUBJECTS[input.type])}</title></head>` +
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:40em">' +
    `<p>${escapeHtml(greeting)}</p>${body.map(toHtml).join('')}<p style="color:#555;font-size:14px">${escapeHtml(FOOTER)}</p></body></html>`;
  return { subject: SUBJECTS[input.type], text, html };
}

function toText(block: Block): string {
  switch (block.kind) {
    case 'p':
      return block.text;
    case 'contacts':
      return block.contacts
        .map((c) => `- ${c.professionalName}, ${c.organisationName}\n  tel. ${c.phone}, ${c.email} (betrokken sinds ${day(c.since)})`)
        .join('\n');
    case 'link':
      return `${block.label}:\n${block.url}`;
  }
}

function toHtml(block: Block): string {
  switch (block.kind) {
    case 'p':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'contacts':
      return `<ul>${block.contacts
        .map(
          (c) =>
            `<li><strong>${escapeHtml(c.professionalName)}</strong>, ${escapeHtml(c.organisationName)}<br>` +
            `tel. <a href="tel:${escapeHtml(c.phone.replace(/[^+0-9]/g, ''))}">${escapeHtml(c.phone)}</a>, <a href="mailto:${escapeHtml(c.email)}">${escapeHtml(c.email)}</a>` +
            ` (betrokken sinds ${escapeHtml(day(c.since))})</li>`,
        )
        .join('')}</ul>`;
    case 'link':
      return `<p><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:10px 16px;background:#154273;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(block.label)}</a></p>`;
  }
}
