/**
 * The Dutch e-mails, one per event type, as plain text and HTML. They carry the other involved
 * professionals' contact details and the recipient's own client reference — never anything about
 * the person (no BSN, name, date of birth or address) — and a link into SluiS. In "link only" mode
 * they carry nothing but the link. Pure: everything comes in as an argument.
 */
import type { RemoteContact } from '../matches/other-regions.ts';
import { escapeHtml } from '../shared/html.ts';
import type { ConsultationEventType, MailedEventType } from './events.ts';

export type MailContact = { professionalName: string; organisationName: string; phone: string; email: string; since: Date };

export type MailInput = {
  type: MailedEventType;
  mode: 'full' | 'link_only';
  publicUrl: string;
  recipientName: string;
  signal: { id: string; clientReference: string | null; filedAt: Date; activeUntil: Date; endReason: string | null };
  matchId: string | null;
  /** A family match (gezinsmatch): the others are involved with a child of the same parent — which child is never said. */
  family?: boolean | undefined;
  /** An address match (adresmatch): the others are involved with someone at the same home address — who is never said. */
  address?: boolean | undefined;
  /** The other professionals now involved (not the recipient). */
  others: MailContact[];
  /** A cross-region match: the other regions' professionals, by region, as relayed through the hub. */
  otherRegions?: { region: string; contacts: RemoteContact[] }[] | undefined;
  /** match.participant_left of a cross-region match that ended: no other region holds the person any more. */
  crossRegionEnded?: boolean | undefined;
  /**
   * match.participant_left of a family or address match on the recipient's own signal: the register no
   * longer links their person to the match (another parent, another address, a confidential record). The
   * signal stays active; why it left is not said.
   */
  ownSignalLeft?: boolean | undefined;
  /** The professional who joined or left, for those events; for coordination.changed, the coordinator after the change. */
  changed: MailContact | null;
  /** coordination.changed: what happened. */
  action?: string | undefined;
  reason?: string | undefined;
  /** signal.expiring: the end date extending would give, or why extending is not possible. */
  extension?: { until: Date } | { refusal: 'switched_off' | 'age_limit' } | undefined;
  /** coordination.changed: the coordinator after it, and whom a hand-over offer (made or withdrawn) concerns — to tell the recipient it is them. */
  coordinatorSignalId?: string | undefined;
  proposedSignalId?: string | undefined;
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

const SUBJECTS: Record<MailedEventType, string> = {
  'match.created': 'SluiS: er is een match op uw signaal',
  'match.participant_joined': 'SluiS: een nieuwe professional is betrokken',
  'match.participant_left': 'SluiS: een professional is niet meer betrokken',
  'signal.ended': 'SluiS: uw signaal is beëindigd',
  'signal.expiring': 'SluiS: uw signaal verloopt binnenkort',
  'coordination.changed': 'SluiS: de regie bij een match is gewijzigd',
  'signal.informing_due': 'SluiS: leg vast of u de persoon heeft geïnformeerd',
  'signal.person_moved': 'SluiS: de persoon van uw signaal is verhuisd naar een andere gemeente',
};

/** What every mail about a family match says, in these words (the pages say it too). */
export const FAMILY_MATCH_TEXT = 'gezinsmatch: een andere professional is betrokken bij een kind van dezelfde ouder';

/** What every mail about an address match says, in these words (the pages say it too). */
export const ADDRESS_MATCH_TEXT = 'adresmatch: een andere professional is betrokken bij iemand op hetzelfde woonadres';

/** The words that differ between the mails about a family match and about an address match. */
const KEYED_WORDS = {
  family: {
    name: 'gezinsmatch',
    whom: 'een kind van dezelfde ouder',
    text: FAMILY_MATCH_TEXT,
    unsaid: 'Welk kind dat is, zegt SluiS niet.',
    together: 'het gezin',
  },
  address: {
    name: 'adresmatch',
    whom: 'iemand op hetzelfde woonadres',
    text: ADDRESS_MATCH_TEXT,
    unsaid: 'Wie dat is, zegt SluiS niet.',
    together: 'het huishouden',
  },
};

/**
 * The mails about a family match: who the other professionals are, and that they are involved with a
 * child of the same parent. Never which child, nor the parent: no name, date of birth or reference of theirs.
 */
function familyBlocks(input: MailInput, yourSignal: Block, matchLink: Block, signalLink: Block): Block[] {
  const changed = input.changed;
  const w = KEYED_WORDS[input.address ? 'address' : 'family'];
  const others: Block[] =
    input.others.length > 0
      ? [
          { kind: 'p', text: `Deze professionals zijn nu betrokken bij ${w.whom}:` },
          { kind: 'contacts', contacts: input.others },
        ]
      : [{ kind: 'p', text: 'Er zijn op dit moment geen andere professionals met een actief signaal betrokken.' }];
  const intro = `Er is een ${w.text}. ${w.unsaid}`;
  switch (input.type) {
    case 'match.participant_joined':
      return [
        {
          kind: 'p',
          text: changed
            ? `${changed.professionalName} (${changed.organisationName}) is betrokken geraakt bij ${w.whom} (${w.name}).`
            : `Een nieuwe professional is betrokken geraakt bij ${w.whom} (${w.name}).`,
        },
        yourSignal,
        ...others,
        matchLink,
      ];
    case 'match.participant_left':
      if (input.ownSignalLeft) {
        return [
          { kind: 'p', text: `Uw signaal maakt geen deel meer uit van deze ${w.name}. Uw signaal zelf blijft actief.` },
          yourSignal,
          { kind: 'p', text: 'U ziet de match niet meer in SluiS en krijgt er geen berichten meer over.' },
          signalLink,
        ];
      }
      return [
        {
          kind: 'p',
          text: changed
            ? `${changed.professionalName} (${changed.organisationName}) is niet meer betrokken bij ${w.whom} (${w.name}).`
            : `Een professional is niet meer betrokken bij ${w.whom} (${w.name}).`,
        },
        yourSignal,
        ...others,
        input.others.length > 0 ? matchLink : signalLink,
      ];
    default:
      return [
        { kind: 'p', text: intro },
        yourSignal,
        ...others,
        { kind: 'p', text: `Neem contact met elkaar op en spreek af of u samen optrekt voor ${w.together}.` },
        matchLink,
      ];
  }
}

type Block =
  | { kind: 'p'; text: string }
  | { kind: 'contacts'; contacts: MailContact[] }
  | { kind: 'remote'; contacts: RemoteContact[] }
  | { kind: 'link'; label: string; url: string };

/** A cross-region match: the professionals here (if any besides the recipient) and those of the other regions. */
function crossRegionBlocks(input: MailInput, yourSignal: Block, matchLink: Block, signalLink: Block): Block[] {
  const regions = input.otherRegions ?? [];
  if (input.crossRegionEnded) {
    const where = regions.length > 0 ? `in ${regions.map((r) => `regio ${r.region}`).join(' en ')}` : 'in de andere regio';
    return [
      { kind: 'p', text: `De match met een andere regio is beëindigd: ${where} is geen professional meer betrokken bij dezelfde persoon als u.` },
      yourSignal,
      { kind: 'p', text: 'Uw signaal zelf blijft actief. U ziet de match niet meer in SluiS en krijgt er geen berichten meer over.' },
      signalLink,
    ];
  }
  const here: Block[] =
    input.others.length > 0
      ? [
          { kind: 'p', text: 'In deze regio zijn ook betrokken:' },
          { kind: 'contacts', contacts: input.others },
        ]
      : [];
  const there: Block[] = regions.flatMap((r): Block[] =>
    r.contacts.length > 0
      ? [
          { kind: 'p', text: `In regio ${r.region} zijn betrokken:` },
          { kind: 'remote', contacts: r.contacts },
        ]
      : [{ kind: 'p', text: `De contactgegevens van de professionals in regio ${r.region} volgen zodra die regio ze doorgeeft.` }],
  );
  const intro =
    input.type === 'match.created'
      ? 'Er is een match met een andere regio: ook daar is een professional betrokken bij dezelfde persoon als u.'
      : input.type === 'match.participant_joined'
        ? 'Bij een match met een andere regio is een professional betrokken geraakt.'
        : 'Bij een match met een andere regio is een professional niet meer betrokken.';
  return [
    { kind: 'p', text: intro },
    yourSignal,
    ...here,
    ...there,
    { kind: 'p', text: 'Neem contact met elkaar op en spreek af wie de regie neemt.' },
    matchLink,
  ];
}

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
  if ((input.family || input.address) && input.type.startsWith('match.')) return familyBlocks(input, yourSignal, matchLink, signalLink);
  if (input.otherRegions && input.type.startsWith('match.')) return crossRegionBlocks(input, yourSignal, matchLink, signalLink);
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
    case 'signal.person_moved':
      return [
        { kind: 'p', text: 'Volgens de BRP is de persoon van uw signaal verhuisd naar een andere gemeente. Uw signaal blijft actief.' },
        yourSignal,
        {
          kind: 'p',
          text: 'Heeft de nieuwe gemeente een contact in SluiS, dan krijgt die uw contactgegevens, zodat de gemeente u kan bereiken. Bent u niet meer betrokken, beëindig het signaal dan met de reden "verhuisd".',
        },
        signalLink,
      ];
    case 'signal.expiring':
      return [{ kind: 'p', text: `Uw signaal verloopt op ${day(signal.activeUntil)}.` }, yourSignal, ...extensionBlocks(input)];
    case 'signal.informing_due':
      return [
        { kind: 'p', text: 'Bij dit signaal heeft u het informeren uitgesteld. Heeft u inmiddels geïnformeerd? Leg dan vast wie u informeerde en wanneer.' },
        yourSignal,
        { kind: 'p', text: 'Kan het nog niet, leg dan vast waarom. SluiS vraagt het u dan later opnieuw.' },
        { kind: 'link', label: 'Leg het informeren vast in SluiS', url: `${input.publicUrl}/signalen/${signal.id}/informeren` },
      ];
    case 'coordination.changed': {
      const said = coordinationMail(input);
      return [
        ...said.what.map((text) => ({ kind: 'p' as const, text })),
        yourSignal,
        ...(changed && said.showCoordinator
          ? [
              { kind: 'p' as const, text: said.coordinatorIsYou ? 'De regie ligt nu bij u.' : 'De regie ligt nu bij:' },
              ...(said.coordinatorIsYou ? [] : [{ kind: 'contacts' as const, contacts: [changed] }]),
            ]
          : []),
        matchLink,
      ];
    }
  }
}

/** The expiry notice offers extending when the municipality allows it and the regime leaves room. */
function extensionBlocks(input: MailInput): Block[] {
  const { extension } = input;
  const signalLink: Block = { kind: 'link', label: 'Bekijk uw signaal in SluiS', url: `${input.publicUrl}/signalen/${input.signal.id}` };
  if (extension && 'until' in extension) {
    return [
      { kind: 'p', text: `Bent u daarna nog betrokken? Verleng het signaal dan in SluiS tot ${day(extension.until)}.` },
      { kind: 'link', label: 'Verleng uw signaal in SluiS', url: `${input.publicUrl}/signalen/${input.signal.id}/verlengen` },
    ];
  }
  if (extension?.refusal === 'age_limit') {
    return [{ kind: 'p', text: 'Het signaal loopt af omdat de persoon 23 jaar wordt. Verlengen is dan niet mogelijk.' }, signalLink];
  }
  return [{ kind: 'p', text: 'Bent u daarna nog betrokken? Geef dan opnieuw een signaal af.' }, signalLink];
}

// ------------------------------------------------------------------------------------------------
// coordination.changed: a subject that says what happened and what is asked, and the same in the mail.

/** Why the functionaris was brought in, as the escalation form offers it (web/professional/coordination-view.tsx). */
const ESCALATION_REASON_TEXTS: Record<string, string> = {
  no_coordinator: 'niemand neemt de regie',
  no_contact: 'er komt geen contact tot stand',
  no_agreement: 'de betrokkenen komen niet tot afspraken',
  other: 'een andere reden',
};
const OUTCOME_TEXTS: Record<string, string> = {
  coordinator_appointed: 'regisseur aangewezen',
  contact_restored: 'contact hersteld',
  no_coordination_needed: 'regie niet (meer) nodig',
  other: 'anders',
};

type CoordinationMail = { subject: string; what: string[]; showCoordinator: boolean; coordinatorIsYou: boolean };

/**
 * What a coordination.changed mail says to this recipient: the subject (what happened, and what is
 * asked of them) and the opening paragraphs. It names professionals, never the person.
 */
export function coordinationMail(
  input: Pick<MailInput, 'action' | 'reason' | 'changed' | 'signal' | 'coordinatorSignalId' | 'proposedSignalId'>,
): CoordinationMail {
  const you = input.signal.id;
  const coordinatorIsYou = Boolean(input.coordinatorSignalId) && input.coordinatorSignalId === you;
  const offeredToYou = Boolean(input.proposedSignalId) && input.proposedSignalId === you;
  const coordinator = input.changed ? `${input.changed.professionalName} (${input.changed.organisationName})` : 'De regisseur';
  const reason = input.reason ? ESCALATION_REASON_TEXTS[input.reason] : undefined;
  const outcome = input.reason ? OUTCOME_TEXTS[input.reason] : undefined;
  const agree = 'Stem uw hulp af met de regisseur en leg in SluiS vast wanneer u contact had.';
  const said = (subject: string, what: string[], showCoordinator = true): CoordinationMail => ({
    subject: `SluiS: ${subject}`,
    what,
    showCoordinator,
    coordinatorIsYou,
  });
  switch (input.action) {
    case 'take':
      return said('de regie is genomen – stem af met de regisseur', [`${coordinator} heeft de regie genomen bij een persoon waarop u een match heeft.`, agree]);
    case 'propose_handover':
      return offeredToYou
        ? said('de regie wordt aan u overgedragen – neemt u die aan of wijst u die af?', [
            `${coordinator} wil de regie aan u overdragen, bij een persoon waarop u een match heeft.`,
            'Open de match in SluiS en neem het voorstel aan of wijs het af. Tot dan houdt de huidige regisseur de regie.',
          ])
        : said('overdracht van de regie voorgesteld – u hoeft niets te doen', [
            `${coordinator} stelt voor de regie over te dragen aan een andere betrokken professional. Tot die het voorstel aanneemt, blijft de regie waar die is.`,
          ]);
    case 'accept_handover':
      return said('de regie is overgedragen – stem af met de nieuwe regisseur', [
        `De regie is overgedragen: ${coordinator} heeft nu de regie bij een persoon waarop u een match heeft.`,
        agree,
      ]);
    case 'decline_handover':
      return coordinatorIsYou
        ? said('uw voorstel tot overdracht is afgewezen – u houdt de regie', [
            'De professional aan wie u de regie wilde overdragen, heeft het voorstel afgewezen. U houdt de regie.',
            'Spreek zo nodig met de andere betrokkenen af wie de regie het best kan hebben.',
          ])
        : said('overdracht van de regie afgewezen – de regie blijft waar die was', [
            'Een voorstel om de regie over te dragen is afgewezen. De regie blijft waar die was.',
          ]);
    case 'withdraw_handover':
      return offeredToYou
        ? said('het voorstel om de regie aan u over te dragen is ingetrokken – u hoeft niets te doen', [
            `${coordinator} heeft het voorstel om de regie aan u over te dragen ingetrokken en houdt de regie.`,
          ])
        : said('voorstel tot overdracht van de regie ingetrokken – u hoeft niets te doen', [
            'Een voorstel om de regie over te dragen is ingetrokken. De regie blijft waar die was.',
          ]);
    case 'coordinator_left':
      return said(
        'niemand heeft nu de regie – spreek af wie die neemt',
        ['De regisseur is niet meer betrokken. Niemand heeft nu de regie.', 'Spreek met de andere betrokkenen af wie de regie neemt, en neem die in SluiS.'],
        false,
      );
    case 'escalate':
      return said(
        `de match is opgeschaald naar de functionaris – reden: ${reason ?? 'niet opgegeven'}`,
        [
          `De match is opgeschaald naar de functionaris van de gemeente, omdat de samenwerking vastloopt. Reden: ${reason ?? 'niet opgegeven'}.`,
          'De functionaris neemt contact op met de betrokkenen. Houd in SluiS bij wanneer u contact had.',
        ],
        Boolean(input.changed),
      );
    case 'appoint':
      return coordinatorIsYou
        ? said('de functionaris heeft u aangewezen als regisseur', [
            'De functionaris van de gemeente heeft u aangewezen als regisseur bij een persoon waarop u een match heeft.',
            'Neem contact op met de andere betrokkenen en organiseer de samenwerking.',
          ])
        : said('de functionaris heeft een regisseur aangewezen – stem af met de regisseur', [
            `De functionaris van de gemeente heeft ${coordinator} aangewezen als regisseur.`,
            agree,
          ]);
    case 'resolve':
      return said(
        `de functionaris is klaar – afloop: ${outcome ?? 'niet opgegeven'}`,
        [`De functionaris van de gemeente heeft het werk afgerond. Afloop: ${outcome ?? 'niet opgegeven'}.`],
        Boolean(input.changed),
      );
    default:
      return said('de regie bij een match is gewijzigd', ['De regie bij een persoon waarop u een match heeft, is gewijzigd.']);
  }
}

function linkOnlyBlocks(input: MailInput): Block[] {
  const url =
    input.matchId && !input.ownSignalLeft && !input.crossRegionEnded && (input.type.startsWith('match.') || input.type === 'coordination.changed')
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
  // A coordination mail's subject says what happened and what is asked (no person data: it is kept in link-only mode too).
  const subject =
    input.type === 'coordination.changed'
      ? coordinationMail(input).subject
      : input.otherRegions && input.type === 'match.created'
        ? 'SluiS: er is een match met een andere regio op uw signaal'
        : input.crossRegionEnded
          ? 'SluiS: een match met een andere regio is beëindigd'
          : input.family && input.type === 'match.created'
            ? 'SluiS: er is een gezinsmatch op uw signaal'
            : input.address && input.type === 'match.created'
              ? 'SluiS: er is een adresmatch op uw signaal'
              : input.ownSignalLeft && (input.family || input.address)
                ? `SluiS: uw signaal maakt geen deel meer uit van een ${input.family ? 'gezinsmatch' : 'adresmatch'}`
                : SUBJECTS[input.type];
  return wrap(subject, body, input.recipientName);
}

const CONSULTATION_SUBJECTS: Record<ConsultationEventType, string> = {
  'case_consultation.invited': 'SluiS: u bent uitgenodigd voor een casusoverleg',
  'case_consultation.meeting_planned': 'SluiS: er is een bijeenkomst van een casusoverleg gepland',
  'case_consultation.action_point_assigned': 'SluiS: er is een actiepunt voor u afgesproken',
};

/**
 * A case consultation's mail: what happened and a link, nothing about the person or the purpose
 * (the consultation may be identifying; the purpose is read in SluiS, after signing in).
 */
export function renderConsultationMail(input: { type: ConsultationEventType; publicUrl: string; recipientName: string; consultationId: string }): RenderedMail {
  const what: Record<ConsultationEventType, string[]> = {
    'case_consultation.invited': [
      'Een collega van een andere organisatie nodigt u uit voor een casusoverleg, omdat u direct betrokken kunt zijn bij het doel ervan.',
      'Neemt u alleen voor dit overleg deel, dan ondertekent u eerst de geheimhoudingsverklaring; daarna ziet u het overleg. U kunt de uitnodiging ook afwijzen.',
    ],
    'case_consultation.meeting_planned': ['Er is een bijeenkomst gepland van een casusoverleg waaraan u deelneemt. De datum ziet u in SluiS.'],
    'case_consultation.action_point_assigned': [
      'In een casusoverleg waaraan u deelneemt, is een actiepunt voor u afgesproken. Wat en wanneer ziet u in SluiS.',
    ],
  };
  const body: Block[] = [
    ...what[input.type].map((text) => ({ kind: 'p' as const, text })),
    { kind: 'link', label: 'Bekijk het casusoverleg in SluiS', url: `${input.publicUrl}/casusoverleggen/${input.consultationId}` },
  ];
  return wrap(CONSULTATION_SUBJECTS[input.type], body, input.recipientName);
}

/**
 * The mail to a partner organisation's coordinator about a data breach in SluiS (covenant privacy
 * rules art. 13.5): what kind, when it was found, which kinds of data, whether the AP is told, and
 * whom to ask at the municipality. Never the staff's description (it stays in the register) and
 * never anything about a person.
 */
export function renderBreachMail(input: {
  recipientName: string;
  category: string;
  discoveredAt: Date;
  dataCategories: string[];
  apNotifiedOn: Date | null;
  municipalityName: string;
}): RenderedMail {
  const body: Block[] = [
    {
      kind: 'p',
      text: `${input.municipalityName} heeft een datalek in SluiS vastgelegd. Als partner in het convenant hoort u dat van ons (artikel 13 van het privacyreglement).`,
    },
    { kind: 'p', text: `Soort datalek: ${input.category}. Ontdekt op ${day(input.discoveredAt)}.` },
    { kind: 'p', text: `Om welke gegevens het gaat: ${input.dataCategories.join('; ')}.` },
    {
      kind: 'p',
      text: input.apNotifiedOn
        ? `De gemeente heeft het datalek op ${day(input.apNotifiedOn)} gemeld bij de Autoriteit Persoonsgegevens.`
        : 'De gemeente beoordeelt of het datalek bij de Autoriteit Persoonsgegevens gemeld moet worden, of heeft besloten dat dat niet nodig is.',
    },
    {
      kind: 'p',
      text: 'Gaat het om gegevens die uw organisatie ook heeft, of weet u er meer van? Neem dan contact op met de functioneel beheerder of de privacyfunctionaris van de gemeente.',
    },
  ];
  return wrap('SluiS: bericht over een datalek', body, input.recipientName);
}

/** What a decision carried out did, for the professionals with a signal on the person (rights.decision_carried_out). */
const DECISION_TEXTS: Record<string, string> = {
  objection:
    'De persoon heeft bezwaar gemaakt tegen de verwerking van de gegevens en de gemeente heeft dat bezwaar toegewezen. Uw signaal op deze persoon is daarom beëindigd en verwijderd.',
  erasure: 'De persoon heeft gevraagd de gegevens te verwijderen en de gemeente heeft dat toegewezen. Uw signaal op deze persoon is daarom verwijderd.',
  restriction:
    'De gemeente heeft de verwerking van de gegevens van de persoon beperkt. Uw signaal blijft bewaard, maar SluiS maakt geen nieuwe matches meer en verstuurt geen berichten over nieuwe signalen op deze persoon.',
  restriction_lifted: 'De gemeente heeft de beperking van de verwerking van de gegevens van de persoon opgeheven. SluiS werkt weer zoals gewoonlijk.',
  correction: 'De gemeente heeft de persoonsgegevens (naam, geboortedatum, geslacht of adres) op uw signaal verbeterd.',
  own_statement: 'De persoon heeft een eigen verklaring laten toevoegen. U leest die op de pagina van uw signaal.',
};

/**
 * The mail to a professional with a signal on a person about whom the municipality carried out a
 * decision on a rights request (seed 004 art. 15.6: made known to the participants): which kind of
 * decision, and a link to their own signal while it exists; when it was purged, a mail without a link
 * that says so. Never anything about the person, nor the request.
 */
export function renderRightsDecisionMail(input: { publicUrl: string; recipientName: string; decision: string; signalId: string | null }): RenderedMail {
  const what = DECISION_TEXTS[input.decision];
  const body: Block[] = [
    { kind: 'p', text: 'De gemeente heeft een besluit uitgevoerd over een persoon op wie u een signaal heeft.' },
    ...(what ? [{ kind: 'p' as const, text: what }] : []),
    input.signalId
      ? { kind: 'link', label: 'Bekijk uw signaal in SluiS', url: `${input.publicUrl}/signalen/${input.signalId}` }
      : {
          kind: 'p',
          text: 'Uw signaal bestaat niet meer in SluiS; daarom staat er geen link in deze mail. Om privacyredenen noemt deze mail de persoon niet.',
        },
  ];
  return wrap('SluiS: de gemeente heeft een besluit uitgevoerd', body, input.recipientName);
}

function wrap(subject: string, body: Block[], recipientName: string): RenderedMail {
  const greeting = `Beste ${recipientName},`;
  const text = `${[greeting, ...body.map(toText), FOOTER].join('\n\n')}\n`;
  const html =
    `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:40em">' +
    `<p>${escapeHtml(greeting)}</p>${body.map(toHtml).join('')}<p style="color:#555;font-size:14px">${escapeHtml(FOOTER)}</p></body></html>`;
  return { subject, text, html };
}

/**
 * The mail to a municipality's contact (its coordinators, or its e-mail address) when a person with
 * a signal moved there: who is involved (the signaller's contact details), never who the person is;
 * the professionals arrange a hand-over between them. Sent whatever the mail mode: the recipient may
 * have no account in this SluiS to follow a link to.
 */
export function renderMoveInMail(
  input: { recipientName: string | null; municipalityCode: string } & (
    | { involved: MailContact }
    /** A move from another region, as the hub relayed it: that region's professionals. */
    | { fromRegion: { region: string; contacts: RemoteContact[] } }
  ),
): RenderedMail {
  const subject = 'SluiS: een persoon met een signaal is naar uw gemeente verhuisd';
  const from = 'fromRegion' in input ? input.fromRegion : undefined;
  const body: Block[] = [
    {
      kind: 'p',
      text: from
        ? `Volgens de BRP is een persoon op wie in regio ${from.region} een signaal in SluiS staat verhuisd naar uw gemeente (gemeentecode ${input.municipalityCode}).`
        : `Volgens de BRP is een persoon op wie een signaal in SluiS staat verhuisd naar uw gemeente (gemeentecode ${input.municipalityCode}).`,
    },
    ...(from
      ? from.contacts.length > 0
        ? [
            { kind: 'p' as const, text: `Deze professionals in regio ${from.region} zijn bij de persoon betrokken:` },
            { kind: 'remote' as const, contacts: from.contacts },
          ]
        : [{ kind: 'p' as const, text: `Regio ${from.region} heeft geen contactgegevens doorgegeven.` }]
      : [
          { kind: 'p' as const, text: 'Deze professional is bij de persoon betrokken:' },
          { kind: 'contacts' as const, contacts: ['involved' in input ? input.involved : []].flat() },
        ]),
    {
      kind: 'p',
      text: 'Neem contact op als de hulp aan de persoon in uw gemeente verder moet. Om privacyredenen noemt deze mail de persoon niet; de professional vertelt u om wie het gaat als daar een grondslag voor is.',
    },
  ];
  const greeting = input.recipientName ? `Beste ${input.recipientName},` : 'Beste collega,';
  const text = `${[greeting, ...body.map(toText), FOOTER].join('\n\n')}\n`;
  const html =
    `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:40em">' +
    `<p>${escapeHtml(greeting)}</p>${body.map(toHtml).join('')}<p style="color:#555;font-size:14px">${escapeHtml(FOOTER)}</p></body></html>`;
  return { subject, text, html };
}

const remoteReach = (c: RemoteContact) => [c.phone && `tel. ${c.phone}`, c.email].filter(Boolean).join(', ') || 'geen telefoon of e-mail doorgegeven';

function toText(block: Block): string {
  switch (block.kind) {
    case 'p':
      return block.text;
    case 'contacts':
      return block.contacts
        .map((c) => `- ${c.professionalName}, ${c.organisationName}\n  tel. ${c.phone}, ${c.email} (betrokken sinds ${day(c.since)})`)
        .join('\n');
    case 'remote':
      return block.contacts.map((c) => `- ${[c.name, c.jobTitle].filter(Boolean).join(', ')}, ${c.organisation}\n  ${remoteReach(c)}`).join('\n');
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
    case 'remote':
      return `<ul>${block.contacts
        .map(
          (c) =>
            `<li><strong>${escapeHtml(c.name)}</strong>${c.jobTitle ? `, ${escapeHtml(c.jobTitle)}` : ''}, ${escapeHtml(c.organisation)}<br>${escapeHtml(remoteReach(c))}</li>`,
        )
        .join('')}</ul>`;
    case 'link':
      return `<p><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:10px 16px;background:#154273;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(block.label)}</a></p>`;
  }
}

/**
 * The daily mail to the municipality's responsible staff (the privacy officers, else the
 * administrators) when rights requests are overdue or nearly due: counts and a link, never who
 * the requests are about.
 */
export function renderRightsDeadlineMail(input: { publicUrl: string; recipientName: string; overdue: number; nearlyDue: number }): RenderedMail {
  const subject = input.overdue > 0 ? 'SluiS: verzoeken over persoonsgegevens zijn te laat' : 'SluiS: verzoeken over persoonsgegevens moeten binnenkort af';
  const count = (n: number, one: string, more: string) => `${n} ${n === 1 ? one : more}`;
  const body: Block[] = [
    {
      kind: 'p',
      text: `Er ${input.overdue + input.nearlyDue === 1 ? 'is' : 'zijn'} ${[
        input.overdue > 0 ? `${count(input.overdue, 'verzoek', 'verzoeken')} waarvan de termijn voorbij is` : '',
        input.nearlyDue > 0
          ? `${count(input.nearlyDue, 'verzoek', 'verzoeken')} dat binnen 7 dagen beantwoord moet zijn`.replace('verzoeken dat', 'verzoeken die')
          : '',
      ]
        .filter(Boolean)
        .join(' en ')}.`,
    },
    {
      kind: 'p',
      text: 'Een verzoek moet binnen vier weken na ontvangst beantwoord zijn, of binnen de verlengde termijn. Om privacyredenen noemt deze mail niemand.',
    },
    { kind: 'link', label: 'Bekijk de verzoeken in SluiS', url: `${input.publicUrl}/privacy/verzoeken` },
  ];
  return wrap(subject, body, input.recipientName);
}
