/**
 * The information letter: what a professional gives the person, or their parents, after filing a
 * signal — in plain Dutch (B1), by the age rules of legal-basis.ts on the day the letter is made:
 * under 12 (or not born yet) one letter to the parents or guardian; 12 to 15 one to the young person
 * and one to the parents; 16 to 22 one to the young person; from 23 one to the person, with the
 * consent explained. The texts are SluiS's own; the municipality's name, contact and controller come
 * from its settings. Plain functions: every value comes in, nothing is read or written. No BSN is
 * ever an input, so none can reach a letter.
 */
import { ageOn, type IsoDate } from '../shared/calendar.ts';
import { CONSENT_AGE, type InformedParty, type LegalBasis } from './legal-basis.ts';

/** Who the letters of one signal are for, by the person's age on the day they are made. */
export type LetterBand = 'representative' | 'young_person_and_representative' | 'young_person' | 'adult';

/** A heading, its paragraphs, a list, and paragraphs after the list. */
export type LetterSection = { heading: string; paragraphs: string[]; list?: string[]; after?: string[] };

export type Letter = {
  /** Who reads it: the person themself, or their parents or guardian. */
  addressee: InformedParty;
  /** The words it uses for its reader: "je" for a young person, "u" for everyone else. */
  form: 'je' | 'u';
  /** Above the letter: the municipality, the letter's date, its subject. */
  municipality: string;
  date: string;
  subject: string;
  salutation: string;
  sections: LetterSection[];
  /** "Met vriendelijke groet," and the professional's name, job title and organisation. */
  closing: string[];
};

export type InformationLetterInput = {
  today: IsoDate;
  municipality: {
    /** The municipality's name (theme); undefined when it has not filled it in. */
    name: string | undefined;
    /** Who is responsible (the privacy statement's controller); the municipality's name when not filled in. */
    controller: string;
    /** How residents reach the municipality for their rights (the privacy statement's contact), as typed. */
    contact: string | undefined;
    moreInformationUrl: string | undefined;
    /** Where SluiS's own privacy page is (publicUrl + /privacy). */
    privacyPageUrl: string;
  };
  organisation: string;
  professional: { name: string; jobTitle: string; phone: string; email: string };
  /** The person as the signal holds them; `identifiedBy` says whether a BSN (theirs, or an unborn child's mother's) links the signal. */
  person: {
    givenNames: string;
    familyNamePrefix?: string | undefined;
    familyName: string;
    dateOfBirth: IsoDate;
    identifiedBy: 'bsn' | 'details' | 'unborn';
    hasAddress: boolean;
  };
  signal: { filedAt: Date; activeUntil: Date; legalBasis: LegalBasis };
  lifetime: { historyRetentionMonths: number };
};

/** Whose letters: by the age on `today`; a child not born yet (or with a date of birth still to come) as under 12. */
export function letterBand(dateOfBirth: IsoDate, today: IsoDate, unborn = false): LetterBand {
  if (unborn || dateOfBirth > today) return 'representative';
  const age = ageOn(dateOfBirth, today);
  if (age >= CONSENT_AGE) return 'adult';
  if (age < 12) return 'representative';
  if (age < 16) return 'young_person_and_representative';
  return 'young_person';
}

/** The addressees of a band, in the order their letters come. */
export function addresseesOf(band: LetterBand): InformedParty[] {
  if (band === 'representative') return ['legal_representative'];
  if (band === 'young_person_and_representative') return ['person', 'legal_representative'];
  return ['person'];
}

const DATE = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });
/** "10 maart 2026", for a calendar date or an instant (in Amsterdam). */
export const dutchDate = (date: IsoDate | Date): string => DATE.format(typeof date === 'string' ? new Date(`${date}T12:00:00Z`) : date);

/** Months in words: 60 → "5 jaar", 18 → "18 maanden", 1 → "1 maand". */
function duration(months: number): string {
  if (months > 0 && months % 12 === 0) return `${months / 12} jaar`;
  return months === 1 ? '1 maand' : `${months} maanden`;
}

const fullName = (p: InformationLetterInput['person']) => [p.givenNames, p.familyNamePrefix, p.familyName].filter(Boolean).join(' ');
const firstName = (p: InformationLetterInput['person']) => p.givenNames.split(/\s+/)[0] ?? p.givenNames;

/** What SluiS does with a BSN, by how the signal identifies the person. */
const BSN_SENTENCES = {
  bsn: 'En het burgerservicenummer (BSN). Het BSN is versleuteld: niemand ziet het. SluiS gebruikt het alleen om signalen over dezelfde persoon aan elkaar te koppelen.',
  details: 'Er staat geen burgerservicenummer (BSN) in.',
  unborn:
    'En het burgerservicenummer (BSN) van de moeder. Het BSN is versleuteld: niemand ziet het. SluiS gebruikt het alleen om signalen over hetzelfde kind aan elkaar te koppelen.',
} as const;

/** The letters for one signal: one per addressee of the band. */
export function informationLetters(input: InformationLetterInput): Letter[] {
  const band = letterBand(input.person.dateOfBirth, input.today, input.person.identifiedBy === 'unborn');
  return addresseesOf(band).map((addressee) => letterFor(input, band, addressee));
}

/** What differs between readers: how the letter names them and the person it is about. */
type Reader = {
  form: 'je' | 'u';
  /** The person the signal is about, as the reader hears it: "u", "je", "uw kind Sam". */
  about: string;
  /** The same, after a preposition: "over u", "over jou", "over uw kind". */
  aboutObject: string;
};

function readerOf(input: InformationLetterInput, band: LetterBand, addressee: InformedParty): Reader {
  const p = input.person;
  const unborn = p.identifiedBy === 'unborn';
  if (addressee === 'legal_representative') {
    const child = unborn ? 'uw kind dat nog geboren moet worden' : `uw kind ${fullName(p)}`;
    return { form: 'u', about: child, aboutObject: unborn ? 'uw kind dat nog geboren moet worden' : 'uw kind' };
  }
  if (band === 'adult') return { form: 'u', about: 'u', aboutObject: 'u' };
  return { form: 'je', about: 'jou', aboutObject: 'jou' };
}

function letterFor(input: InformationLetterInput, band: LetterBand, addressee: InformedParty): Letter {
  const r = readerOf(input, band, addressee);
  const { professional: pro, organisation, municipality } = input;
  const person = input.person;
  const unborn = person.identifiedBy === 'unborn';
  const toParents = addressee === 'legal_representative';
  const born = unborn ? `verwachte geboortedatum ${dutchDate(person.dateOfBirth)}` : `geboren op ${dutchDate(person.dateOfBirth)}`;
  const salutation = toParents
    ? unborn
      ? 'Beste aanstaande ouder,'
      : `Beste ouder of voogd van ${fullName(person)},`
    : band === 'adult'
      ? `Beste ${fullName(person)},`
      : `Beste ${firstName(person)},`;
  const subject = toParents ? `Informatie over SluiS: een signaal over uw kind` : `Informatie over SluiS: een signaal over ${r.aboutObject}`;

  const sections: LetterSection[] = [
    {
      heading: r.form === 'je' ? 'Waarom krijg je deze brief?' : 'Waarom krijgt u deze brief?',
      paragraphs: [
        `${pro.name} van ${organisation} helpt ${toParents ? `${r.about} (${born})` : r.aboutObject}. Op ${dutchDate(input.signal.filedAt)} heeft ${pro.name} in SluiS vastgelegd dat ${organisation} bij ${r.aboutObject} betrokken is. Dat heet een signaal. In deze brief ${r.form === 'je' ? 'lees je' : 'leest u'} wat dat betekent.`,
        ...(band === 'young_person_and_representative'
          ? [toParents ? `${firstName(person)} krijgt zelf ook een brief over het signaal.` : 'Je ouders of je voogd krijgen ook een brief over het signaal.']
          : []),
      ],
    },
    {
      heading: 'Wat is SluiS?',
      paragraphs: [
        `SluiS is een computersysteem van ${municipality.name ?? 'de gemeente'}. Het werkt als een telefoonboek voor professionals: mensen die hulp geven in zorg, jeugdhulp, onderwijs, wonen, werk en inkomen of veiligheid. Zo weten zij van elkaar dat zij dezelfde persoon helpen.`,
        `Heeft een professional van een andere organisatie ook een signaal ${r.aboutObject === 'jou' ? 'over jou' : `over ${r.aboutObject}`} afgegeven? Dan krijgen zij elkaars naam, telefoonnummer en e-mailadres. Dat heet een match. Zij nemen dan contact met elkaar op, zodat de hulp goed op elkaar aansluit. Wat zij met elkaar delen, ${r.form === 'je' ? 'bespreken zij eerst met jou' : 'bespreken zij eerst met u'}.`,
      ],
    },
    {
      heading: 'Wat staat er in SluiS, en wat niet?',
      paragraphs: [`In SluiS staat alleen dát ${organisation} betrokken is. Dit staat erin:`],
      list: [
        `Over ${toParents ? 'uw kind' : r.aboutObject}: ${person.hasAddress ? 'naam, geboortedatum, geslacht en adres' : 'naam, geboortedatum en geslacht'}. ${BSN_SENTENCES[person.identifiedBy]}`,
        `Over de professional: naam, organisatie, telefoonnummer en e-mailadres.`,
        band === 'adult' && input.signal.legalBasis.basis === 'consent'
          ? 'Wie toestemming gaf, en wanneer.'
          : 'Wie er over het signaal is verteld, en wanneer.',
      ],
    },
    {
      heading: 'Er staat niet in waarom',
      paragraphs: [
        `In SluiS staat niet waarom ${organisation} ${r.form === 'je' ? 'je' : toParents ? 'uw kind' : 'u'} helpt. Er staat geen reden in, geen diagnose en geen verslag. SluiS neemt ook geen besluiten over ${toParents ? 'uw kind' : r.aboutObject}. Iemand kan niet in SluiS zoeken of ${toParents ? 'uw kind' : r.form === 'je' ? 'jij' : 'u'} erin staat.`,
      ],
    },
    legalBasisSection(input, band, r),
    {
      heading: 'Hoe lang blijft het signaal?',
      paragraphs: [
        `Het signaal is actief tot ${dutchDate(input.signal.activeUntil)}. ${pro.name} beëindigt het eerder als de hulp stopt.`,
        input.lifetime.historyRetentionMonths === 0
          ? 'Als het signaal gestopt is, wordt het meteen voorgoed verwijderd.'
          : `Als het signaal gestopt is, bewaart SluiS nog ${duration(input.lifetime.historyRetentionMonths)} dat ${organisation} betrokken was, en wanneer. Een nieuwe professional kan dat dan zien, maar niet waarom. Daarna wordt het voorgoed verwijderd.`,
      ],
    },
    rightsSection(input, band, addressee, r),
    contactSection(input, r),
  ];
  return {
    addressee,
    form: r.form,
    municipality: municipality.name ?? 'SluiS',
    date: dutchDate(input.today),
    subject,
    salutation,
    sections,
    closing: ['Met vriendelijke groet,', '', pro.name, ...(pro.jobTitle ? [pro.jobTitle] : []), organisation],
  };
}

/** Consent (from 23) or the duty to inform (under 23), as the signal's legal basis says. */
function legalBasisSection(input: InformationLetterInput, band: LetterBand, r: Reader): LetterSection {
  const pro = input.professional.name;
  const basis = input.signal.legalBasis;
  if (band === 'adult' && basis.basis === 'consent') {
    const who = basis.givenBy === 'person' ? 'U heeft' : 'Uw wettelijk vertegenwoordiger heeft';
    return {
      heading: 'Uw toestemming',
      paragraphs: [
        `Bent u 23 jaar of ouder, dan mag een professional alleen een signaal afgeven als u daar toestemming voor geeft. ${who} op ${dutchDate(basis.givenOn)} toestemming gegeven voor dit signaal.`,
        `Wilt u dat niet meer? Dan mag u de toestemming altijd intrekken. Zeg het tegen ${pro}. Die beëindigt dan het signaal.`,
      ],
    };
  }
  if (band === 'adult') {
    return {
      heading: 'Waarom was er geen toestemming nodig?',
      paragraphs: [
        `Toen het signaal werd afgegeven, was u jonger dan 23 jaar. Voor kinderen en jongeren tot 23 jaar is geen toestemming nodig. Dat staat in de Jeugdwet. Wel moet de professional het vertellen. Daarom krijgt u deze brief.`,
      ],
    };
  }
  const who =
    band === 'representative'
      ? 'Bij een kind jonger dan 12 jaar vertelt de professional het aan de ouders of de voogd.'
      : band === 'young_person_and_representative'
        ? 'Bij een jongere van 12 tot 16 jaar vertelt de professional het aan de jongere én aan de ouders of de voogd.'
        : 'Vanaf 16 jaar vertelt de professional het aan de jongere zelf.';
  return {
    heading: r.form === 'je' ? 'Waarom is je toestemming niet nodig?' : 'Waarom is uw toestemming niet nodig?',
    paragraphs: [
      `Voor kinderen en jongeren tot 23 jaar mag een professional een signaal afgeven zonder toestemming. Dat staat in de Jeugdwet. Wel moet de professional het vertellen. ${who} Daarom ${r.form === 'je' ? 'krijg je' : 'krijgt u'} deze brief.`,
    ],
  };
}

/** The rights (GDPR art. 15–22), who exercises them by age (covenant privacy rules art. 8 and 15.3), and how. */
function rightsSection(input: InformationLetterInput, band: LetterBand, addressee: InformedParty, r: Reader): LetterSection {
  const pro = input.professional.name;
  const je = r.form === 'je';
  const who =
    band === 'representative'
      ? ' U doet dit voor uw kind.'
      : band === 'young_person_and_representative'
        ? addressee === 'person'
          ? ' Jij en je ouders of je voogd doen dit samen.'
          : ' U en uw kind doen dit samen.'
        : band === 'young_person'
          ? ' Je mag dit zelf doen.'
          : '';
  return {
    heading: je ? 'Jouw rechten' : 'Uw rechten',
    paragraphs: [`De privacywet (de AVG) geeft ${je ? 'je' : 'u'} deze rechten over de gegevens in SluiS:`],
    list: [
      `Inzage: ${je ? 'je mag weten' : 'u mag weten'} welke gegevens in SluiS staan, en wie ze bekeek. ${je ? 'Je kunt' : 'U kunt'} ook een kopie krijgen.`,
      `Correctie: klopt er iets niet, dan ${je ? 'laat je' : 'laat u'} het verbeteren.`,
      `Bezwaar: ${je ? 'je kunt' : 'u kunt'} bezwaar maken tegen het signaal.`,
      `Verwijdering en beperking: ${je ? 'je kunt' : 'u kunt'} vragen de gegevens te wissen, of ze even niet te gebruiken.`,
      `Een eigen verklaring: ${je ? 'je kunt' : 'u kunt'} ${je ? 'je' : 'uw'} eigen uitleg laten toevoegen.`,
    ],
    after: [
      `${je ? 'Wil je' : 'Wilt u'} een van deze rechten gebruiken? Vraag het aan ${pro}, of neem contact op met de gemeente (zie hieronder). De gemeente antwoordt binnen vier weken.${who}`,
      `${je ? 'Ben je' : 'Bent u'} het niet eens met hoe de gemeente met de gegevens omgaat? Dan ${je ? 'kun je' : 'kunt u'} een klacht indienen bij de Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl).`,
    ],
  };
}

/** Who to ask: the professional, and the municipality (its contact from the settings). */
function contactSection(input: InformationLetterInput, r: Reader): LetterSection {
  const { professional: pro, organisation, municipality } = input;
  const je = r.form === 'je';
  const contact = municipality.contact?.trim();
  return {
    heading: je ? 'Heb je vragen?' : 'Heeft u vragen?',
    paragraphs: [
      `${je ? 'Stel ze aan' : 'Stel ze gerust aan'} ${pro.name}${pro.jobTitle ? `, ${pro.jobTitle}` : ''} van ${organisation}: telefoon ${pro.phone}, e-mail ${pro.email}.`,
      `${municipality.controller} is verantwoordelijk voor SluiS. ${contact ? `Zo ${je ? 'bereik je' : 'bereikt u'} de gemeente:` : `${je ? 'Je bereikt' : 'U bereikt'} de gemeente via het algemene telefoonnummer of de website van ${municipality.name ?? 'de gemeente'}.`}`,
      ...(contact ? [contact] : []),
      `Meer over SluiS en ${je ? 'je' : 'uw'} privacy: ${municipality.privacyPageUrl}${municipality.moreInformationUrl ? ` en ${municipality.moreInformationUrl}` : ''}.`,
    ],
  };
}

/** A letter as plain text, to copy into one's own message: headings, paragraphs and "- " list items, a blank line between blocks. */
export function letterText(letter: Letter): string {
  const blocks: string[] = [`${letter.municipality}\n${letter.date}`, letter.subject, letter.salutation];
  for (const section of letter.sections) {
    const [first, ...rest] = section.paragraphs;
    blocks.push(first === undefined ? section.heading : `${section.heading}\n${first}`, ...rest);
    if (section.list?.length) blocks.push(section.list.map((item) => `- ${item}`).join('\n'));
    blocks.push(...(section.after ?? []));
  }
  blocks.push(letter.closing.join('\n'));
  return `${blocks.join('\n\n')}\n`;
}
