/**
 * The "signaal afgeven" form as plain rules: read the posted fields, check them in plain Dutch
 * (every problem at once, keyed by the id of the field the error summary links to), and build the
 * FileSignalInput for the signal service. The consent or informing section that counts is chosen
 * by the person's age today (legal-basis.ts): 23 and over consent, under 23 informing.
 * Nothing here reads the clock or the database.
 */

import { passesElevenTest } from '../../persons/bsn.ts';
import { ageOn, anniversary, type IsoDate } from '../../shared/calendar.ts';
import { CONSENT_AGE, type InformedParty, type LegalBasis, type PostponementReason, requiredLegalBasis } from '../../signals/legal-basis.ts';
import type { FileSignalInput, Gender } from '../../signals/signal-types.ts';
import { type DateParts, datePartsOf, dateProblem, readDate, readDateParts } from '../date-input.ts';

export const TEXT_FIELDS = [
  'bsn',
  'zonder-bsn',
  'voornamen',
  'voorvoegsel',
  'achternaam',
  'geboortedatum',
  'geboortedatum-maand',
  'geboortedatum-jaar',
  'geslacht',
  'straat',
  'huisnummer',
  'toevoeging',
  'postcode',
  'plaats',
  'kenmerk',
  'toestemming-door',
  'toestemming-datum',
  'toestemming-datum-maand',
  'toestemming-datum-jaar',
  'informeren',
  'informeer-datum',
  'informeer-datum-maand',
  'informeer-datum-jaar',
  'uitstel-reden',
] as const;
export type TextFieldName = (typeof TEXT_FIELDS)[number];
export type SignalFormValues = Record<TextFieldName, string> & { geinformeerd: string[] };
export type FormErrors = Partial<Record<TextFieldName | 'geinformeerd', string>>;

/** The order of the fields on the page, which is the order of the error summary. */
const ERROR_ORDER: (TextFieldName | 'geinformeerd')[] = [
  'bsn',
  'zonder-bsn',
  'voornamen',
  'voorvoegsel',
  'achternaam',
  'geboortedatum',
  'geslacht',
  'straat',
  'huisnummer',
  'toevoeging',
  'postcode',
  'plaats',
  'kenmerk',
  'toestemming-door',
  'toestemming-datum',
  'informeren',
  'geinformeerd',
  'informeer-datum',
  'uitstel-reden',
];

export const GENDERS: Record<string, Gender> = { man: 'male', vrouw: 'female', anders: 'other', onbekend: 'unknown' };
export const PARTIES: Record<string, InformedParty> = { jongere: 'person', vertegenwoordiger: 'legal_representative' };
export const POSTPONEMENTS: Record<string, PostponementReason> = {
  'veiligheid-persoon': 'safety_of_person',
  'veiligheid-anderen': 'safety_of_others',
  'nog-niet-bereikbaar': 'not_reachable_yet',
};

/** The date fields of the form: each is three boxes (date-input.ts), the day box named after the field. */
export const DATE_FIELDS = ['geboortedatum', 'toestemming-datum', 'informeer-datum'] as const;
export type DateFieldName = (typeof DATE_FIELDS)[number];

/** The three boxes of one of the form's date fields, as typed. */
export const datePartsIn = (values: SignalFormValues, name: DateFieldName): DateParts => readDateParts(values, name);

/** An empty form; the consent and informing dates start at today. */
export function emptySignalForm(today: IsoDate): SignalFormValues {
  const values = Object.fromEntries(TEXT_FIELDS.map((name) => [name, ''])) as Record<TextFieldName, string>;
  const todayParts = datePartsOf(today);
  for (const name of ['toestemming-datum', 'informeer-datum'] as const) {
    values[name] = todayParts.day;
    values[`${name}-maand`] = todayParts.month;
    values[`${name}-jaar`] = todayParts.year;
  }
  return { ...values, geinformeerd: [] };
}

/** The posted fields, trimmed; unknown fields are ignored. */
export function readSignalForm(body: unknown): SignalFormValues {
  const record = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => {
    const value = record[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first.trim().slice(0, 300) : '';
  };
  const values = Object.fromEntries(TEXT_FIELDS.map((name) => [name, text(name)])) as Record<TextFieldName, string>;
  const informed = record.geinformeerd;
  const list = (Array.isArray(informed) ? informed : [informed]).filter((v): v is string => typeof v === 'string' && v in PARTIES);
  return { ...values, bsn: values.bsn.replace(/[\s.-]/g, ''), geinformeerd: [...new Set(list)] };
}

/** What the law asks at this age, in plain Dutch, for the page and the form's live hint. */
export function ageAdvice(age: number): string {
  const requirement = requiredLegalBasis(age);
  if (requirement.kind === 'consent') return `De persoon is vandaag ${age} jaar. Vanaf ${CONSENT_AGE} jaar is toestemming van de persoon nodig.`;
  const parties = requirement.parties;
  if (parties.length === 2) return `De persoon is vandaag ${age} jaar. Van 12 tot en met 15 jaar informeert u de jongere én de ouders of voogd.`;
  if (parties[0] === 'legal_representative') return `De persoon is vandaag ${age} jaar. Onder de 12 jaar informeert u de ouders of voogd.`;
  return `De persoon is vandaag ${age} jaar. Vanaf 16 jaar informeert u de jongere zelf.`;
}

/** Which section of the form counts for a person born on this date: consent (23+) or informing. */
export function sectionFor(dateOfBirth: IsoDate | undefined, today: IsoDate): 'toestemming' | 'informeren' | undefined {
  if (!dateOfBirth || dateOfBirth > today) return undefined;
  return requiredLegalBasis(ageOn(dateOfBirth, today)).kind === 'consent' ? 'toestemming' : 'informeren';
}

export function dateOfBirthOf(values: SignalFormValues): IsoDate | undefined {
  const reading = readDate(datePartsIn(values, 'geboortedatum'));
  return reading.kind === 'date' ? reading.date : undefined;
}

/** A record date (consent, informing): the date, or the problem in Dutch (keyed by the field) and undefined. */
function recordDate(values: SignalFormValues, errors: FormErrors, name: 'toestemming-datum' | 'informeer-datum', what: string, empty: string, today: IsoDate) {
  const reading = readDate(datePartsIn(values, name));
  const problem = dateProblem(reading, { what, example: today, empty });
  if (problem) errors[name] = problem;
  return reading.kind === 'date' ? reading.date : undefined;
}

/** The example under the birth date and in its messages. */
export const BIRTH_EXAMPLE = '1980-05-17';

const YOUTH_ONLY = 'Deze verwijsindex is voor jongeren tot 23 jaar. De persoon is vandaag 23 jaar of ouder.';

/** `legalBasis` is what the service's rules should check (possibly a probe, see checkConsent); `input` is set only when the form is complete. */
type Checked = { errors: FormErrors; dateOfBirth: IsoDate | undefined; legalBasis: LegalBasis | undefined; input: FileSignalInput | undefined };

/**
 * Checks the form. `input` is set only when there are no errors here; the age and date rules of
 * the legal basis are checked again by the service (see translateRuleProblems).
 */
export function checkSignalForm(values: SignalFormValues, today: IsoDate, regime: 'all_ages' | 'youth', registerAvailable = false): Checked {
  const errors: FormErrors = {};
  // Without a BSN (Besluit Jeugdwet 7.3.1) family name, date of birth and gender identify the person: all
  // typed, whether or not there is a register (it cannot be asked without a BSN).
  const withoutBsn = values['zonder-bsn'] === 'ja';
  const withRegister = registerAvailable && !withoutBsn;
  const required = (name: TextFieldName, message: string) => {
    if (!values[name]) errors[name] = message;
  };
  const maxLength = (name: TextFieldName, max: number, what: string) => {
    if (values[name].length > max) errors[name] = `${what} mag hoogstens ${max} tekens hebben.`;
  };

  if (withoutBsn && values.bsn) errors.bsn = 'U heeft aangevinkt dat de persoon geen BSN heeft. Laat het BSN dan leeg, of haal het vinkje weg.';
  else if (withoutBsn) {
    // The person is identified by the details below.
  } else if (!values.bsn) errors.bsn = 'Vul het BSN in. Heeft de persoon geen BSN, of weet u het niet? Vink dat dan aan.';
  else if (!passesElevenTest(values.bsn)) errors.bsn = 'Dit BSN klopt niet: een BSN heeft 9 cijfers en voldoet aan de elfproef. Controleer de cijfers.';
  // With a register name, birth and gender may stay empty (SluiS takes them from the BRP); a name is then whole or absent.
  const nameGiven = !withRegister || Boolean(values.voornamen || values.achternaam || values.voorvoegsel);
  if (nameGiven) required('voornamen', withRegister ? 'Vul ook de voornamen in, of laat de hele naam leeg.' : 'Vul de voornamen in.');
  maxLength('voornamen', 200, 'Voornamen');
  maxLength('voorvoegsel', 20, 'Het tussenvoegsel');
  if (nameGiven) required('achternaam', withRegister ? 'Vul ook de achternaam in, of laat de hele naam leeg.' : 'Vul de achternaam in.');
  maxLength('achternaam', 200, 'De achternaam');

  const dateOfBirth = dateOfBirthOf(values);
  const birthReading = readDate(datePartsIn(values, 'geboortedatum'));
  const birthLeftOut = withRegister && birthReading.kind === 'empty';
  const birthProblem = birthLeftOut
    ? undefined
    : dateProblem(birthReading, {
        what: 'de geboortedatum',
        example: BIRTH_EXAMPLE,
        empty: 'Vul de geboortedatum in.',
      });
  if (birthLeftOut) {
    // The register's date of birth counts; the service checks the age rules against it.
  } else if (birthProblem || !dateOfBirth) errors.geboortedatum = birthProblem;
  else if (dateOfBirth > today) errors.geboortedatum = 'De geboortedatum kan niet in de toekomst liggen.';
  else if (today >= anniversary(dateOfBirth, 130)) errors.geboortedatum = 'Controleer het geboortejaar: de persoon zou ouder zijn dan 130 jaar.';

  if (!(values.geslacht in GENDERS) && !(withRegister && !values.geslacht)) {
    errors.geslacht = withoutBsn
      ? 'Kies het geslacht: zonder BSN herkent SluiS de persoon er mede aan.'
      : 'Kies het geslacht. Weet u het niet, kies dan "Onbekend".';
  } else if (withoutBsn && values.geslacht === 'onbekend') {
    errors.geslacht = 'Zonder BSN herkent SluiS de persoon aan achternaam, geboortedatum en geslacht: kies vrouw, man of anders.';
  }

  const address = checkAddress(values, errors);
  maxLength('kenmerk', 100, 'Uw kenmerk');

  // Without a date of birth (left to the register) the section the professional filled in counts.
  const section = birthLeftOut ? filledSection(values) : sectionFor(dateOfBirth, today);
  if (birthLeftOut && !section) errors.informeren = 'Vul de toestemming in (23 jaar en ouder) of het informeren (jonger dan 23).';
  if (section === 'toestemming' && regime === 'youth') errors.geboortedatum ??= YOUTH_ONLY;
  const legalBasis =
    section === 'toestemming' && regime === 'all_ages'
      ? checkConsent(values, errors, today)
      : section === 'informeren'
        ? checkInforming(values, errors, dateOfBirth ? ageOn(dateOfBirth, today) : undefined, today)
        : undefined;

  if (Object.keys(errors).length > 0 || (!dateOfBirth && !birthLeftOut) || !legalBasis)
    return { errors: ordered(errors), dateOfBirth, legalBasis, input: undefined };
  const gender = GENDERS[values.geslacht];
  const input: FileSignalInput = {
    person: {
      ...(withoutBsn ? { identifiedBy: 'details' as const } : { bsn: values.bsn }),
      ...(nameGiven && {
        name: { givenNames: values.voornamen, familyName: values.achternaam, ...(values.voorvoegsel && { familyNamePrefix: values.voorvoegsel }) },
      }),
      ...(dateOfBirth && { dateOfBirth }),
      ...(gender && { gender }),
      ...(address && { address }),
    },
    legalBasis,
    ...(values.kenmerk && { clientReference: values.kenmerk }),
  };
  return { errors: {}, dateOfBirth, legalBasis, input };
}

/** The address is optional as a whole; once any part is filled, street, number, postcode and place are needed. */
function checkAddress(values: SignalFormValues, errors: FormErrors) {
  const parts = ['straat', 'huisnummer', 'toevoeging', 'postcode', 'plaats'] as const;
  if (parts.every((part) => !values[part])) return undefined;
  if (!values.straat) errors.straat = 'Vul de straat in, of laat het hele adres leeg.';
  else if (values.straat.length > 200) errors.straat = 'De straat mag hoogstens 200 tekens hebben.';
  if (!/^[1-9][0-9]{0,4}$/.test(values.huisnummer))
    errors.huisnummer = values.huisnummer
      ? 'Het huisnummer bestaat uit cijfers, bijvoorbeeld 40. Een letter of toevoeging vult u apart in.'
      : 'Vul het huisnummer in, of laat het hele adres leeg.';
  if (values.toevoeging.length > 10) errors.toevoeging = 'De toevoeging mag hoogstens 10 tekens hebben.';
  const postcode = /^([1-9][0-9]{3}) ?([A-Za-z]{2})$/.exec(values.postcode);
  if (!postcode)
    errors.postcode = values.postcode
      ? 'Vul een Nederlandse postcode in: 4 cijfers en 2 letters, bijvoorbeeld 3011 AD.'
      : 'Vul de postcode in, of laat het hele adres leeg.';
  if (!values.plaats) errors.plaats = 'Vul de plaats in, of laat het hele adres leeg.';
  else if (values.plaats.length > 100) errors.plaats = 'De plaats mag hoogstens 100 tekens hebben.';
  if (!postcode) return undefined;
  return {
    street: values.straat,
    houseNumber: values.huisnummer,
    postcode: `${postcode[1]} ${postcode[2]!.toUpperCase()}`,
    city: values.plaats,
    ...(values.toevoeging && { houseNumberAddition: values.toevoeging }),
  };
}

/**
 * The consent record. The basis returned may be a probe with a stand-in for a missing choice, so
 * that the service's date rules can still be checked and every problem shown at once; the form's
 * own error keeps the filing from going ahead.
 */
function checkConsent(values: SignalFormValues, errors: FormErrors, today: IsoDate): LegalBasis | undefined {
  const givenBy = values['toestemming-door'] === 'persoon' ? 'person' : values['toestemming-door'] === 'vertegenwoordiger' ? 'legal_representative' : undefined;
  if (!givenBy) errors['toestemming-door'] = 'De persoon is 23 jaar of ouder: kies wie toestemming gaf.';
  const givenOn = recordDate(values, errors, 'toestemming-datum', 'de datum van de toestemming', 'Vul de datum in waarop de persoon toestemming gaf.', today);
  return givenOn ? { basis: 'consent', givenBy: givenBy ?? 'person', givenOn } : undefined;
}

/** The legal-basis section the professional filled in, when the date of birth is left to the register. */
function filledSection(values: SignalFormValues): 'toestemming' | 'informeren' | undefined {
  if (values['toestemming-door']) return 'toestemming';
  if (values.informeren) return 'informeren';
  return undefined;
}

function checkInforming(values: SignalFormValues, errors: FormErrors, age: number | undefined, today: IsoDate): LegalBasis | undefined {
  if (values.informeren === 'uitgesteld') {
    const reason = POSTPONEMENTS[values['uitstel-reden']];
    if (!reason) errors['uitstel-reden'] = 'Kies waarom u het informeren heeft uitgesteld.';
    return reason ? { basis: 'informing_postponed', reason } : undefined;
  }
  if (values.informeren !== 'gedaan') {
    errors.informeren = 'De persoon is jonger dan 23: kies of u heeft geïnformeerd of het informeren heeft uitgesteld.';
    return undefined;
  }
  const informed = values.geinformeerd.map((party) => PARTIES[party]!);
  if (informed.length === 0) errors.geinformeerd = `Kies wie u heeft geïnformeerd.${age === undefined ? '' : ` ${ageAdvice(age)}`}`;
  const informedOn = recordDate(values, errors, 'informeer-datum', 'de datum van het informeren', 'Vul de datum in waarop u heeft geïnformeerd.', today);
  return informedOn ? { basis: 'informed', informed, informedOn } : undefined;
}

/**
 * The service's rule problems (age, regime, record dates; see signal-service.ts ruleProblems) in
 * plain Dutch, keyed by form field. Unknown problems get a general message on the nearest field.
 */
export function translateRuleProblems(problems: { name: string; code: string }[], dateOfBirth: IsoDate | undefined, today: IsoDate): FormErrors {
  const errors: FormErrors = {};
  const age = dateOfBirth && dateOfBirth <= today ? ageOn(dateOfBirth, today) : undefined;
  for (const { name, code } of problems) {
    const [fieldName, message] = translate(name, code, age);
    errors[fieldName] ??= message;
  }
  return errors;
}

function translate(name: string, code: string, age: number | undefined): [TextFieldName | 'geinformeerd', string] {
  const advice = age === undefined ? '' : ` ${ageAdvice(age)}`;
  if (code === 'bsn_unknown_in_register') return ['bsn', 'De BRP kent dit BSN niet. Controleer de cijfers.'];
  if (code === 'gender_required_without_bsn')
    return ['geslacht', 'Zonder BSN herkent SluiS de persoon aan achternaam, geboortedatum en geslacht: kies vrouw, man of anders.'];
  if (code === 'family_name_without_letters') return ['achternaam', 'Vul een achternaam met letters in: zonder BSN herkent SluiS de persoon er mede aan.'];
  if (code === 'bsn_with_details') return ['bsn', 'U heeft aangevinkt dat de persoon geen BSN heeft. Laat het BSN dan leeg, of haal het vinkje weg.'];
  if (code === 'person_deceased') return ['bsn', 'Volgens de BRP is deze persoon overleden. U kunt over deze persoon geen signaal afgeven.'];
  if (code === 'date_of_birth_mismatch') {
    return ['geboortedatum', 'Deze geboortedatum is anders dan in de BRP bij dit BSN. Controleer het BSN en de geboortedatum.'];
  }
  if (code === 'required') {
    // The register could not answer (or lacks this): then the professional's own details are needed.
    const why = 'De BRP is nu niet bereikbaar of kent dit gegeven niet, dus vul het zelf in.';
    if (name === 'person.name') return ['voornamen', `Vul de naam in. ${why}`];
    if (name === 'person.dateOfBirth') return ['geboortedatum', `Vul de geboortedatum in. ${why}`];
    if (name === 'person.gender') return ['geslacht', `Kies het geslacht. ${why}`];
  }
  if (name === 'person.dateOfBirth') {
    if (code === 'outside_youth_regime') return ['geboortedatum', YOUTH_ONLY];
    if (code === 'date_in_future') return ['geboortedatum', 'De geboortedatum kan niet in de toekomst liggen.'];
    return ['geboortedatum', 'Vul een bestaande geboortedatum in.'];
  }
  if (name === 'person.bsn') return ['bsn', 'Dit BSN klopt niet. Controleer de cijfers.'];
  if (name === 'legalBasis.informed') return ['geinformeerd', `Niet iedereen die u moet informeren is aangevinkt.${advice}`];
  if (name === 'legalBasis.reason') return ['uitstel-reden', 'Kies waarom u het informeren heeft uitgesteld.'];
  const dateMessage =
    code === 'date_before_birth'
      ? 'De datum ligt vóór de geboortedatum.'
      : code === 'date_in_future'
        ? 'De datum kan niet in de toekomst liggen.'
        : 'Vul een bestaande datum in.';
  if (name === 'legalBasis.givenOn') return ['toestemming-datum', dateMessage];
  if (name === 'legalBasis.informedOn') return ['informeer-datum', dateMessage];
  if (code === 'consent_required') return ['toestemming-door', `Vul de toestemming in.${advice}`];
  if (code === 'informing_required') return ['informeren', `Vul het informeren in.${advice}`];
  if (name.startsWith('person.address')) return ['straat', 'Controleer het adres.'];
  if (name.startsWith('person.name')) return ['voornamen', 'Controleer de naam.'];
  if (name === 'clientReference') return ['kenmerk', 'Controleer uw kenmerk.'];
  return ['bsn', 'Controleer het formulier.'];
}

/** Both sets of errors, the first message per field, in the order of the fields on the page. */
export function ordered(...sets: FormErrors[]): FormErrors {
  const result: FormErrors = {};
  for (const name of ERROR_ORDER) {
    const message = sets.map((set) => set[name]).find(Boolean);
    if (message) result[name] = message;
  }
  return result;
}
