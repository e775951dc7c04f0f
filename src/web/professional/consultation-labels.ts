/**
 * The Dutch words of case consultations (casusoverleggen), for every code the service uses: who
 * consents or is informed, how, the categories of the sharing ledger, the art. 9 reasoning and its
 * weighing questions (the regulation's own words), and how a consultation ends (docs/glossary.md).
 */
import type {
  ConsentMethod,
  DataCategory,
  InformingMethod,
  NoConsentReason,
  NotYetInformedReason,
  Outcome,
  Party,
  WeighingQuestion,
  WithoutConsentGround,
} from '../../case-consultations/case-consultation-rules.ts';

export const PARTY_LABELS: Record<Party, string> = {
  person: 'De persoon zelf',
  legal_representative: 'De ouders of voogd (wettelijk vertegenwoordiger)',
};

/** In a sentence: "toestemming van de persoon zelf en de ouders of voogd". */
export const PARTY_WORDS: Record<Party, string> = { person: 'de persoon zelf', legal_representative: 'de ouders of voogd' };

export const CONSENT_METHOD_LABELS: Record<ConsentMethod, string> = {
  in_writing: 'Schriftelijk',
  in_person: 'Mondeling, in een gesprek',
  by_phone: 'Telefonisch',
  digitally: 'Digitaal',
};

export const INFORMING_METHOD_LABELS: Record<InformingMethod, string> = {
  in_person: 'In een gesprek',
  by_phone: 'Telefonisch',
  by_letter: 'Per brief',
  by_email: 'Per e-mail',
  information_text_handed_over: 'Informatietekst meegegeven',
};

export const CATEGORY_LABELS: Record<DataCategory, string> = {
  contact_details: 'Contactgegevens',
  involvement: 'Wie er bij de persoon betrokken is',
  family_situation: 'Gezinssituatie',
  housing: 'Wonen',
  finances: 'Financiën',
  education_work: 'School en werk',
  daily_functioning: 'Dagelijks functioneren',
  safety: 'Veiligheid',
  health: 'Gezondheid (bijzonder persoonsgegeven)',
  justice: 'Justitie (strafrechtelijk gegeven)',
};

export const NO_CONSENT_REASON_LABELS: Record<NoConsentReason, string> = {
  asking_unsafe: 'Toestemming vragen brengt de persoon of een ander in gevaar',
  not_reachable: 'De persoon is niet bereikbaar',
  refused: 'De persoon heeft geen toestemming gegeven',
  not_capable: 'De persoon kan hier niet zelf over beslissen',
};

export const GROUND_LABELS: Record<WithoutConsentGround, string> = {
  conflict_of_duties: 'Conflict van plichten',
  vital_interest: 'Vitaal belang: een zeer ernstige, levensbedreigende situatie',
  legal_task: 'Wettelijke taak',
};

/** The weighing questions of art. 9.3, shortened from the regulation. */
export const WEIGHING_QUESTION_LABELS: Record<WeighingQuestion, string> = {
  a: 'a. Is het, gelet op de veiligheid van alle betrokkenen, echt niet mogelijk en verantwoord om toestemming te vragen? Heeft u zich genoeg ingespannen om die te krijgen?',
  b: 'b. Welk zwaarwegend belang van de persoon of van een ander wilt u behartigen door de gegevens te delen?',
  c: 'c. Is dit echt noodzakelijk?',
  d: 'd. Kan dit belang ook worden behartigd zonder dat u de gegevens deelt?',
  e: 'e. Weegt de veiligheid of bescherming van de persoon of een ander op tegen het belang van geheimhouding?',
  f: 'f. Welke informatie heeft de andere professional nodig om de situatie echt te verbeteren (zoveel als nodig, zo weinig als mogelijk)?',
  g: 'g. Waarom wijkt u af van de gewone route? En als u niet handelt terwijl dat voor de hand ligt: waarom niet?',
  h: 'h. Is de persoon afhankelijk of kwetsbaar (bij kinderen wegen hun belangen zwaar)? Hoe weegt u dat mee?',
};

export const NOT_YET_INFORMED_LABELS: Record<NotYetInformedReason, string> = {
  safety_of_person: 'Informeren brengt de persoon in gevaar',
  safety_of_others: 'Informeren brengt een ander in gevaar',
  not_reachable_yet: 'De persoon is nog niet bereikbaar',
  would_harm_purpose: 'Informeren zou het doel van het casusoverleg schaden',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  plan_agreed: 'Plan afgesproken',
  handed_back: 'Teruggelegd bij de eigen hulpverlening',
  referred_to_veilig_thuis: 'Doorverwezen naar Veilig Thuis',
  referred_elsewhere: 'Elders doorverwezen',
  no_longer_needed: 'Niet meer nodig',
  discussed_anonymously: 'Alleen anoniem besproken',
};

export const ROLE_LABELS = { initiator: 'Initiatiefnemer', chair: 'Voorzitter', participant: 'Deelnemer', invited: 'Uitgenodigd' } as const;

export const PARTICIPANT_STATE_LABELS = { invited: 'Uitgenodigd', active: 'Neemt deel', declined: 'Afgewezen', removed: 'Verwijderd' } as const;

export const BASIS_LABELS = {
  consent: 'Met toestemming',
  without_consent: 'Zonder toestemming, met afweging (art. 9)',
  incomplete: 'Nog niet compleet',
  not_applicable: 'Anoniem: geen grondslag nodig',
} as const;

export const KIND_LABELS = { anonymous: 'Anoniem', identifying: 'Op naam' } as const;
export const STATE_LABELS = { open: 'Open', closed: 'Afgesloten' } as const;

/** A list of Dutch words: "a", "a en b", "a, b en c". */
export const wordList = (words: readonly string[]): string => (words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} en ${words.at(-1)}`);
