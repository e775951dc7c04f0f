/**
 * The inspection report as a Dutch letter to the person (GDPR art. 15; seed 004 art. 14), in plain
 * language (B1), addressed as "u": everything SluiS holds on them and who looked. No BSN: the letter
 * says how SluiS knows the person instead (by BSN, kept only encrypted and as a code; or, without a
 * BSN, by family name, date of birth and gender). Nothing of another person: a family or address match
 * says that there was one and which professionals, never who the other child or resident is.
 *
 * `letterSections` gives the text (pure, for the tests and the PDF alike); `inspectionLetterPdf` sets
 * it with pdfkit in a standard font (Helvetica, WinAnsi: ë and é print), nothing written to disk.
 */
import PDFDocument from 'pdfkit';
import type { InspectionReport, ReportAccess, ReportConsultation, ReportMatch, ReportSignal } from '../../rights/inspection-report.ts';
import type { LegalBasis } from '../../signals/legal-basis.ts';
import { formatDate, formatDateTime } from '../components.tsx';
import { END_REASON_LABELS, eventLabel, REQUEST_KIND_LABELS, REQUEST_STATUS_LABELS } from '../labels.ts';

export type LetterOptions = { municipality: string; contact?: string | undefined };
/** A section: its paragraphs, then its items (a signal, a match, …), each a first line and the lines that belong to it. */
export type LetterSection = { heading: string; paragraphs: string[]; items?: string[][] };

const day = (value: string | Date) => formatDate(typeof value === 'string' ? `${value}T12:00:00Z` : value);
const list = (words: readonly string[]): string => (words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} en ${words.at(-1)}`);
const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const PARTY: Record<string, string> = { person: 'u', legal_representative: 'uw ouder of voogd' };
const GENDER: Record<string, string> = { male: 'man', female: 'vrouw', other: 'anders', unknown: 'onbekend' };
const POSTPONED: Record<string, string> = {
  safety_of_person: 'voor uw veiligheid',
  safety_of_others: 'voor de veiligheid van anderen',
  not_reachable_yet: 'u was nog niet bereikbaar',
};
const CATEGORY: Record<string, string> = {
  contact_details: 'contactgegevens',
  involvement: 'wie met u werkt',
  family_situation: 'uw gezin',
  housing: 'wonen',
  finances: 'geld',
  education_work: 'school en werk',
  daily_functioning: 'hoe het dagelijks met u gaat',
  safety: 'veiligheid',
  health: 'gezondheid',
  justice: 'politie en justitie',
};
const CONSENT_METHOD: Record<string, string> = { in_writing: 'schriftelijk', in_person: 'in een gesprek', by_phone: 'telefonisch', digitally: 'digitaal' };
const INFORMING_METHOD: Record<string, string> = {
  in_person: 'in een gesprek',
  by_phone: 'telefonisch',
  by_letter: 'per brief',
  by_email: 'per e-mail',
  information_text_handed_over: 'met een informatietekst',
};
const NO_CONSENT: Record<string, string> = {
  asking_unsafe: 'toestemming vragen was niet veilig',
  not_reachable: 'u was niet bereikbaar',
  refused: 'er was geen toestemming',
  not_capable: 'u kon toen niet zelf beslissen',
};
const GROUND: Record<string, string> = {
  conflict_of_duties: 'een conflict van plichten',
  vital_interest: 'een vitaal belang (uw veiligheid of gezondheid)',
  legal_task: 'een wettelijke taak',
};
const NOT_YET_INFORMED: Record<string, string> = {
  safety_of_person: 'voor uw veiligheid',
  safety_of_others: 'voor de veiligheid van anderen',
  not_reachable_yet: 'u was nog niet bereikbaar',
  would_harm_purpose: 'het zou het doel van het overleg schaden',
};
const OUTCOME: Record<string, string> = {
  plan_agreed: 'er is een plan gemaakt',
  handed_back: 'de hulp gaat verder bij de eigen hulpverlener',
  referred_to_veilig_thuis: 'doorverwezen naar Veilig Thuis',
  referred_elsewhere: 'doorverwezen',
  no_longer_needed: 'niet meer nodig',
  discussed_anonymously: 'zonder naam besproken',
};
const PARTICIPANT_STATE: Record<string, string> = { invited: 'uitgenodigd', active: 'doet mee', declined: 'deed niet mee', removed: 'doet niet meer mee' };
const COORDINATION_ACTION: Record<string, string> = {
  take: 'nam de regie',
  propose_handover: 'stelde voor de regie over te dragen',
  accept_handover: 'nam de regie over',
  decline_handover: 'nam de regie niet over',
  withdraw_handover: 'trok het voorstel om de regie over te dragen in',
  coordinator_left: 'zag dat de regisseur niet meer met u werkt',
  proposed_left: 'zag dat de voorgestelde regisseur niet meer met u werkt',
  escalate: 'vroeg de functionaris van de gemeente om te helpen',
  appoint: 'wees een regisseur aan',
  resolve: 'sloot de hulp van de functionaris af',
  contact_recorded: 'legde vast dat er contact was',
};
const REGISTER_STATE: Record<string, string> = {
  verified: 'de BRP kent u',
  unknown: 'de BRP kent u niet',
  pending: 'SluiS wacht nog op antwoord van de BRP',
};
const SUSPENSION: Record<string, string> = {
  deceased: 'overleden',
  emigrated: 'vertrokken naar het buitenland',
  ministerial_decree: 'uitgeschreven door een besluit van de minister',
  other: 'uitgeschreven om een andere reden',
};
const DECISION: Record<string, string> = { granted: 'toegewezen', partly_granted: 'deels toegewezen', refused: 'afgewezen' };

function legalBasis(basis: LegalBasis): string {
  switch (basis.basis) {
    case 'consent':
      return basis.givenBy === 'person' ? `u gaf toestemming op ${day(basis.givenOn)}` : `uw ouder of voogd gaf toestemming op ${day(basis.givenOn)}`;
    case 'informed': {
      const who = basis.informed.includes('person') ? (basis.informed.length > 1 ? 'u en uw ouder of voogd zijn' : 'u bent') : 'uw ouder of voogd is';
      return `${who} hierover geïnformeerd op ${day(basis.informedOn)}`;
    }
    case 'informing_postponed':
      return `het informeren is uitgesteld (${POSTPONED[basis.reason] ?? basis.reason})`;
  }
}

function signalLines(s: ReportSignal): string[] {
  const name = [s.personDetails.name.givenNames, s.personDetails.name.familyNamePrefix, s.personDetails.name.familyName].filter(Boolean).join(' ');
  const a = s.personDetails.address;
  const address = a ? `${a.street} ${a.houseNumber}${a.houseNumberAddition ? ` ${a.houseNumberAddition}` : ''}, ${a.postcode} ${a.city}` : 'geen adres';
  const state =
    s.status === 'active'
      ? `Dit signaal loopt tot ${day(s.activeUntil)}.`
      : `Dit signaal is ${s.status === 'expired' ? 'verlopen' : 'gestopt'} op ${day(s.endedAt ?? s.activeUntil)}${s.endReason ? ` (${END_REASON_LABELS[s.endReason]})` : ''}.`;
  return [
    `${s.professionalName} van ${s.organisationName}. Gegeven op ${day(s.filedAt)}. ${state}${s.extendedAt ? ` Verlengd op ${day(s.extendedAt)}.` : ''}`,
    `Waarom dit mocht: ${legalBasis(s.legalBasis)}.`,
    `Uw gegevens bij dit signaal: ${name}, geboren op ${day(s.personDetails.dateOfBirth)}, ${GENDER[s.personDetails.gender] ?? s.personDetails.gender}, ${address}.`,
    ...(s.clientReference ? [`Kenmerk van ${s.organisationName}: ${s.clientReference}.`] : []),
    ...(s.retainUntil ? [`SluiS bewaart dit signaal nog tot ${day(s.retainUntil)}. Daarna wordt het gewist.`] : []),
  ];
}

const MATCH_INTRO: Record<ReportMatch['kind'], string> = {
  person: 'Match over u',
  family: 'Gezinsmatch: een professional werkt met u, en een andere professional met een kind van dezelfde ouder. Wie dat kind is, staat niet in deze brief',
  address: 'Adresmatch: een professional werkt met u, en een andere professional met iemand op hetzelfde woonadres. Wie dat is, staat niet in deze brief',
  cross_region: 'Match met een andere regio: een professional hier werkt met u, en een professional in een andere regio ook',
};
const NOT_ON_YOU: Record<ReportMatch['kind'], string> = {
  person: 'werkt met u',
  family: 'werkt met een gezinslid',
  address: 'werkt met iemand op uw adres',
  cross_region: 'werkt met u',
};

function matchLines(m: ReportMatch): string[] {
  const since = `sinds ${day(m.createdAt)}${m.closedAt ? `, gestopt op ${day(m.closedAt)}` : ''}`;
  const who = m.participants.map(
    (p) =>
      `${p.professionalName} van ${p.organisationName}: ${p.onThisPerson ? 'werkt met u' : NOT_ON_YOU[m.kind]}${p.leftAt ? `, niet meer betrokken sinds ${day(p.leftAt)}` : ''}.`,
  );
  const c = m.coordination;
  const coordinator = c.coordinator ? `${c.coordinator.professionalName} van ${c.coordinator.organisationName} heeft de regie.` : 'Niemand heeft de regie.';
  const steps = c.history.map((h) => {
    const actor =
      h.actorKind === 'staff'
        ? 'De functionaris van de gemeente'
        : h.actorKind === 'system'
          ? 'SluiS'
          : `${h.actorName ?? 'Een professional'}${h.actorOrganisation ? ` (${h.actorOrganisation})` : ''}`;
    return `${day(h.occurredAt)}: ${actor} ${COORDINATION_ACTION[h.action] ?? h.action}.`;
  });
  return [`${MATCH_INTRO[m.kind]} (${since}). Deze professionals kregen elkaars naam en telefoonnummer:`, ...who, `Regie: ${coordinator}`, ...steps];
}

function consultationLines(c: ReportConsultation): string[] {
  const lines = [
    `Casusoverleg op ${day(c.consultationOn)}${c.initiator ? `, gestart door ${c.initiator.professionalName} van ${c.initiator.organisationName}` : ''}.`,
    `Doel: ${c.purpose}`,
    `Waarom dit mocht: ${c.basis === 'consent' ? 'met toestemming' : c.basis === 'without_consent' ? 'zonder toestemming, na een zorgvuldige afweging (artikel 9 van het privacyreglement)' : 'dat was nog niet vastgelegd'}.`,
    `Wie deed mee: ${list(c.participants.map((p) => `${p.professionalName} van ${p.organisationName} (${p.legalTask}; ${PARTICIPANT_STATE[p.state] ?? p.state})`))}.`,
    ...c.consents.map(
      (x) =>
        `Toestemming van ${PARTY[x.givenBy] ?? x.givenBy} op ${day(x.givenOn)} (${CONSENT_METHOD[x.method] ?? x.method}), voor ${list(x.categories.map((k) => CATEGORY[k] ?? k))}, aan ${list(x.forParticipants)}.`,
    ),
    ...(c.reasoning
      ? [
          `Zonder toestemming, omdat ${NO_CONSENT[c.reasoning.noConsentReason] ?? c.reasoning.noConsentReason}: ${c.reasoning.explanation}`,
          `Grond: ${GROUND[c.reasoning.ground] ?? c.reasoning.ground}. Overlegd met ${c.reasoning.officialConsulted} op ${day(c.reasoning.officialConsultedOn)}.`,
        ]
      : []),
    ...c.informings.map(
      (i) => `Geïnformeerd: ${list(i.informed.map((p) => PARTY[p] ?? p))}, op ${day(i.informedOn)}, ${INFORMING_METHOD[i.method] ?? i.method}.`,
    ),
    ...c.sharings.map(
      (s) =>
        `Gedeeld op ${day(s.sharedOn)}: ${CATEGORY[s.category] ?? s.category}, met ${s.sharedWith}. Waarvoor: ${s.purpose}. ${s.ground === 'consent' ? 'Met toestemming.' : 'Zonder toestemming.'}${s.personInformedOn ? ` U bent geïnformeerd op ${day(s.personInformedOn)}.` : s.notYetInformedReason ? ` U bent nog niet geïnformeerd (${NOT_YET_INFORMED[s.notYetInformedReason] ?? s.notYetInformedReason}).` : ''}`,
    ),
    ...(c.sharings.length === 0 ? ['Er zijn geen gegevens gedeeld.'] : []),
    ...c.meetings.map((m) => `Bijeenkomst op ${day(m.heldOn)}.`),
    ...c.actionPoints.map((a) => `Afspraak: ${a.description}. Wie: ${a.assignee}. Uiterlijk ${day(a.dueOn)}${a.doneAt ? `, gedaan op ${day(a.doneAt)}` : ''}.`),
  ];
  if (c.closedAt) {
    lines.push(
      `Afgesloten op ${day(c.closedAt)}${c.outcome ? `: ${OUTCOME[c.outcome] ?? c.outcome}` : ''}.${c.deleteAfter ? ` SluiS wist dit overleg op ${day(c.deleteAfter)}.` : ''}`,
    );
  }
  return lines;
}

function accessLine(a: ReportAccess, municipality: string): string {
  const who =
    a.actorKind === 'professional'
      ? `Een professional van ${a.organisationName ?? 'een organisatie'}`
      : a.actorKind === 'record_system'
        ? `Het cliëntsysteem van ${a.organisationName ?? 'een organisatie'}`
        : a.actorKind === 'staff'
          ? `Een medewerker van ${municipality}`
          : a.actorKind === 'system'
            ? 'SluiS zelf'
            : 'Iemand die niet was ingelogd';
  const outcome = a.outcome === 'denied' ? ' (geweigerd)' : a.outcome === 'not_found' ? ' (niet gevonden)' : '';
  return `${formatDateTime(a.occurredAt)}: ${who}. ${eventLabel(a.eventType)}${outcome}.`;
}

const REQUESTER_NOTE: Record<string, string> = {
  person: '',
  legal_representative: 'U vroeg dit als ouder of voogd. Waar in deze brief "u" staat, gaat het over uw kind.',
  person_and_representative: 'U vroeg dit samen: de jongere en de ouder of voogd. Waar in deze brief "u" staat, gaat het over de jongere.',
};

const IDENTIFICATION: Record<InspectionReport['person']['identifiedBy'], string> = {
  bsn: 'SluiS herkent u aan uw burgerservicenummer (BSN). SluiS bewaart uw BSN alleen versleuteld en als code. Daarom staat het niet in deze brief.',
  details: 'U heeft in SluiS geen burgerservicenummer (BSN). SluiS herkent u aan uw achternaam, geboortedatum en geslacht.',
  unborn:
    'U was nog niet geboren toen een professional een signaal gaf. SluiS herkende u toen aan het BSN van uw moeder, de verwachte geboortedatum en de achternaam. Het BSN staat niet in deze brief.',
};

/** The letter's text, section by section. */
export function letterSections(report: InspectionReport, options: LetterOptions): LetterSection[] {
  const { municipality } = options;
  const r = report.register;
  return [
    {
      heading: 'Inzage in uw gegevens in SluiS',
      paragraphs: [
        'Geachte heer of mevrouw,',
        `U vroeg ons op ${day(report.request.receivedOn)} welke gegevens SluiS over u heeft. In deze brief leest u alles wat SluiS nu over u bewaart. U leest ook wie uw gegevens heeft bekeken of gebruikt.`,
        ...(REQUESTER_NOTE[report.request.requester] ? [REQUESTER_NOTE[report.request.requester]!] : []),
        `SluiS is de verwijsindex van ${municipality}. Hulpverleners, scholen en andere professionals zetten daarin dát zij met u werken. Waarom, of welke hulp u krijgt, staat er nooit in. Werken professionals van verschillende organisaties met u? Dan brengt SluiS hen met elkaar in contact. Zo kunnen zij de hulp samen afspreken.`,
      ],
    },
    {
      heading: 'Hoe SluiS u herkent',
      paragraphs: [
        IDENTIFICATION[report.person.identifiedBy],
        report.person.inIndexSince ? `SluiS kent u sinds ${day(report.person.inIndexSince)}.` : 'SluiS heeft op dit moment geen signalen over u.',
      ],
    },
    {
      heading: 'Welke professionals met u werken (signalen)',
      paragraphs:
        report.signals.length === 0
          ? ['Er staan geen signalen over u in SluiS. Misschien waren er nooit signalen, of zijn ze na de bewaartermijn gewist.']
          : [
              `Een signaal betekent: deze professional werkt met u. Er ${report.signals.length === 1 ? 'is 1 signaal' : `zijn ${report.signals.length} signalen`}.`,
            ],
      items: report.signals.map(signalLines),
    },
    {
      heading: 'Wie van elkaar weet (matches en regie)',
      paragraphs:
        report.matches.length === 0
          ? ['Er is geen match: SluiS heeft geen professionals met elkaar in contact gebracht over u.']
          : [
              'Werken professionals van verschillende organisaties met u of met uw gezin? Dan kregen zij elkaars naam en telefoonnummer. Dat heet een match. Eén van hen kan de regie nemen: die regelt dat de hulp goed samenwerkt.',
            ],
      items: report.matches.map(matchLines),
    },
    {
      heading: 'Overleg over u (casusoverleg)',
      paragraphs:
        report.caseConsultations.length === 0
          ? ['Er is geen casusoverleg op naam over u.']
          : ['In een casusoverleg praten professionals samen over hoe zij u het best kunnen helpen. Hieronder staat ook welke gegevens zij deelden.'],
      items: report.caseConsultations.map(consultationLines),
    },
    {
      heading: 'Gegevens uit de Basisregistratie Personen (BRP)',
      paragraphs: r
        ? [
            'SluiS controleerde uw gegevens in de BRP, de registratie van de gemeente. Daarvan bewaart SluiS alleen dit:',
            `Uitkomst: ${REGISTER_STATE[r.state] ?? r.state}${r.verifiedAt ? ` (gecontroleerd op ${day(r.verifiedAt)})` : ''}. Laatst bijgewerkt op ${day(r.refreshedAt)}.`,
            ...(r.municipalityCode ? [`De code van uw gemeente: ${r.municipalityCode}.`] : []),
            r.confidential ? 'Uw gegevens zijn geheim (geheimhouding). Daarom staat bij geen enkel signaal uw adres.' : 'Uw gegevens zijn niet geheim.',
            ...(r.deceasedOn ? [`Overleden op ${day(r.deceasedOn)}.`] : []),
            ...(r.suspension ? [`Niet meer ingeschreven: ${SUSPENSION[r.suspension]}.`] : []),
            ...(r.addressStoredAsPseudonym
              ? [
                  `Uw ${r.addressFunction === 'postal' ? 'briefadres' : 'woonadres'} bewaart SluiS alleen als code (een pseudoniem). Uit die code kan niemand uw adres terugvinden. SluiS gebruikt de code om te zien of er op hetzelfde adres ook professionals werken.`,
                ]
              : []),
            ...(r.parentsStoredAsPseudonyms > 0
              ? [
                  `Uw ${r.parentsStoredAsPseudonyms === 1 ? 'ouder' : `${r.parentsStoredAsPseudonyms} ouders`} bewaart SluiS alleen als code (een pseudoniem), niet met naam. SluiS gebruikt dat om te zien of er ook professionals met een kind van dezelfde ouder werken.`,
                ]
              : []),
            ...(r.followedSince ? [`SluiS krijgt bericht van de BRP als uw gegevens veranderen, sinds ${day(r.followedSince)}.`] : []),
          ]
        : ['SluiS heeft uw gegevens niet in de BRP opgezocht.'],
    },
    {
      heading: 'Uw verzoeken',
      paragraphs: [],
      items: report.rightsRequests.map((q) => [
        `${REQUEST_KIND_LABELS[q.kind]}, ontvangen op ${day(q.receivedOn)}${q.passedOnByOrganisation ? ` via ${q.passedOnByOrganisation}` : ''}${q.thisRequest ? ' (deze vraag)' : ''}: ${lower(REQUEST_STATUS_LABELS[q.status])}${q.decision ? `, ${DECISION[q.decision]} op ${day(q.decidedOn!)}` : ''}.`,
      ]),
    },
    {
      heading: 'Wie uw gegevens bekeek of gebruikte',
      paragraphs: [
        'SluiS legt vast wie iets met uw gegevens doet: wie, wanneer en wat. Hieronder staat alles, het nieuwste eerst. Het maken van deze brief wordt ook vastgelegd.',
        ...(report.accessesTruncated ? [`Dit zijn de laatste ${report.accesses.length}.`] : []),
        ...(report.accesses.length === 0 ? ['Niemand heeft uw gegevens bekeken of gebruikt.'] : []),
      ],
      items: report.accesses.map((a) => [accessLine(a, municipality)]),
    },
    {
      heading: 'Uw rechten',
      paragraphs: [
        'Kloppen uw gegevens niet? Dan kunt u vragen om ze te verbeteren. U kunt ook bezwaar maken, vragen om uw gegevens minder te gebruiken of om ze te wissen. En u kunt een eigen verklaring laten toevoegen. Wilt u uw gegevens als bestand voor de computer? Vraag er dan om.',
        options.contact ? `Neem hiervoor contact op met ${municipality}: ${options.contact}` : `Neem hiervoor contact op met ${municipality}.`,
        'Bent u het niet eens met hoe wij met uw gegevens omgaan? Dan kunt u een klacht indienen bij de Autoriteit Persoonsgegevens.',
        'Met vriendelijke groet,',
        municipality,
      ],
    },
  ];
}

/** The letter as PDF bytes. */
export function inspectionLetterPdf(report: InspectionReport, options: LetterOptions): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: 'Inzage in uw gegevens in SluiS', Author: options.municipality, Creator: 'SluiS' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(14).text(options.municipality);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#444')
    .text(`Datum: ${formatDate(report.madeAt)}`);
  doc.fillColor('#000');
  const [first, ...rest] = letterSections(report, options);
  doc.moveDown(1.2).font('Helvetica-Bold').fontSize(16).text(first!.heading);
  doc.font('Helvetica').fontSize(11);
  for (const paragraph of first!.paragraphs) doc.moveDown(0.6).text(paragraph);
  for (const section of rest) {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(13).text(section.heading);
    doc.font('Helvetica').fontSize(11);
    for (const paragraph of section.paragraphs) doc.moveDown(0.4).text(paragraph);
    for (const [head, ...more] of section.items ?? []) {
      doc.moveDown(more.length > 0 ? 0.5 : 0.2).text(`•  ${head}`);
      const left = doc.page.margins.left;
      for (const line of more) doc.moveDown(0.1).text(line, left + 14, doc.y, { width: doc.page.width - left - 14 - doc.page.margins.right });
      doc.x = left;
    }
  }
  doc.end();
  return done;
}
