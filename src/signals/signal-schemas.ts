/** The signal API's schemas: what a record system may send, and the whitelist of what it gets back. */
import { type Static, Type } from 'typebox';
import { Id, Instant, IsoDate, Nullable, StringEnum, Text } from '../api/schemas.ts';
import { MatchParticipant } from '../matches/match-schemas.ts';
import type { InformingRecord } from './informing.ts';
import { POSTPONEMENT_REASONS } from './legal-basis.ts';
import { END_REASONS, EXTENSION_REASONS } from './lifetime.ts';

const closed = { additionalProperties: false } as const;

/** How a signal's person is identified: by the BSN, or without one by family name, date of birth and gender. */
export const IDENTIFIED_BY = ['bsn', 'details', 'unborn'] as const;
export type IdentifiedBy = (typeof IDENTIFIED_BY)[number];

export const PersonName = Type.Object(
  {
    givenNames: Text(200, { description: 'Voornamen' }),
    familyNamePrefix: Type.Optional(Text(20, { description: 'Voorvoegsel, e.g. "van der"' })),
    familyName: Text(200, { description: 'Geslachtsnaam' }),
  },
  closed,
);
export type PersonName = Static<typeof PersonName>;

/** The name as a record system sends it: given names may be left out for an unborn child only (checked by the service). */
const PersonNameIn = Type.Object(
  {
    givenNames: Type.Optional(Text(200, { description: 'Voornamen; required, except for an unborn child (identifiedBy unborn)' })),
    familyNamePrefix: Type.Optional(Text(20, { description: 'Voorvoegsel, e.g. "van der"' })),
    familyName: Text(200, { description: 'Geslachtsnaam' }),
  },
  closed,
);

export const Address = Type.Object(
  {
    street: Text(200),
    houseNumber: Type.String({ pattern: '^[1-9][0-9]{0,4}$' }),
    houseNumberAddition: Type.Optional(Text(10)),
    postcode: Type.String({ pattern: '^[1-9][0-9]{3} ?[A-Za-z]{2}$', description: 'Dutch postcode, e.g. 3011 AB' }),
    city: Text(100),
  },
  closed,
);
export type Address = Static<typeof Address>;

export const Gender = StringEnum(['male', 'female', 'other', 'unknown'] as const);
export type Gender = Static<typeof Gender>;

const PersonDetailsFields = {
  name: PersonName,
  dateOfBirth: IsoDate,
  gender: Gender,
  address: Type.Optional(Address),
};

const PersonDetailsSchema = Type.Object(PersonDetailsFields, closed);
/** The person's details as a signal holds them (never the BSN): from the register, or as the professional typed them. */
export type PersonDetails = Static<typeof PersonDetailsSchema>;

const fromRegister =
  'Name, date of birth and gender may be left out when SluiS has a population register: it then comes from the register (required without one, or while the register cannot be reached).';
const PersonIn = Type.Object(
  {
    bsn: Type.Optional(
      Type.String({
        format: 'bsn',
        description: 'Burgerservicenummer: 9 digits passing the 11-test. Used for matching only; never returned. Required unless identifiedBy is details.',
      }),
    ),
    identifiedBy: Type.Optional(
      StringEnum(IDENTIFIED_BY, {
        description:
          "bsn (default): the person is identified by the BSN. details: the person has no BSN (or it is not known) and is identified by family name, date of birth and gender (Besluit Jeugdwet 7.3.1; all three required, gender male, female or other, no bsn sent); the BSN can be added later (POST /signals/{id}/bsn). unborn: an unborn child, only where the municipality allows it (setting unbornSignals; otherwise 422 unborn_signals_off), identified through its mother's BSN (motherBsn), with the expected date of birth as dateOfBirth (after today, at most 300 days ahead), name.familyName required (givenNames may be left out) and informing of the legal representative (the expectant mother) as legal basis; once the child is born and registered, its BSN is added (POST /signals/{id}/bsn).",
      }),
    ),
    motherBsn: Type.Optional(
      Type.String({ format: 'bsn', description: "With identifiedBy unborn: the expectant mother's BSN, which identifies the unborn child. Never returned." }),
    ),
    name: Type.Optional(PersonNameIn),
    dateOfBirth: Type.Optional(
      Type.String({
        format: 'date',
        description: `${fromRegister} With a register, a date that differs from the registered one is refused (date_of_birth_mismatch).`,
      }),
    ),
    gender: Type.Optional(Gender),
    address: Type.Optional(Address),
  },
  { ...closed, description: 'With a population register, name, date of birth, gender and address come from it; a confidential record gets no address.' },
);

const Party = StringEnum(['person', 'legal_representative'] as const);

const ConsentRecord = Type.Object(
  {
    basis: Type.Literal('consent'),
    givenBy: Party,
    givenOn: IsoDate,
  },
  { ...closed, description: 'Person aged 23 or over: their consent, by whom and when' },
);
const InformedRecord = Type.Object(
  {
    basis: Type.Literal('informed'),
    informed: Type.Array(Party, { minItems: 1, maxItems: 2, uniqueItems: true }),
    informedOn: IsoDate,
  },
  { ...closed, description: 'Under 23: who was informed (under 12 the legal representative; 12-15 both; 16+ the young person) and when' },
);
const PostponedRecord = Type.Object(
  {
    basis: Type.Literal('informing_postponed'),
    reason: StringEnum(POSTPONEMENT_REASONS),
  },
  { ...closed, description: 'Under 23: informing was postponed, and why' },
);

/** A discriminated union, so a validation error names the fields of the chosen basis only. */
export const LegalBasis = Type.Unsafe<import('./legal-basis.ts').LegalBasis>({
  type: 'object',
  required: ['basis'],
  discriminator: { propertyName: 'basis' },
  oneOf: [ConsentRecord, InformedRecord, PostponedRecord],
  description: "The consent (23+) or informing record (under 23) that the person's age requires on the signal date",
});

export const FileSignalBody = Type.Object(
  {
    person: PersonIn,
    legalBasis: LegalBasis,
    clientReference: Type.Optional(Text(100, { description: "The professional's own reference for this client" })),
  },
  closed,
);
export type FileSignalInput = Static<typeof FileSignalBody>;

const Contact = {
  professionalName: Type.String(),
  organisationName: Type.String(),
  phone: Type.String(),
  email: Type.String(),
};

export const FilingAnswer = Type.Object({
  created: Type.Boolean({ description: 'false when the professional already had an active signal on this person; that signal is returned' }),
  signal: Type.Object({ id: Id, status: Type.String(), filedAt: Instant, activeUntil: Instant, clientReference: Nullable(Type.String()) }),
  match: Nullable(
    Type.Object(
      {
        id: Id,
        createdAt: Instant,
        participants: Type.Array(MatchParticipant, {
          description: 'The same fields as reading the match (GET /matches/{id})',
        }),
      },
      { description: 'The open match on this person, or null when there is none' },
    ),
  ),
  history: Type.Array(Type.Object({ ...Contact, from: Instant, until: Instant }), {
    description: 'Signals on this person that ended within the retention period: who was involved, and when',
  }),
  familyMatches: Type.Array(
    Type.Object({
      id: Id,
      createdAt: Instant,
      participants: Type.Array(MatchParticipant, { description: 'The professionals involved, as in a match read; never which child they are involved with' }),
    }),
    {
      description:
        'Family matches (gezinsmatch) the signal takes part in: other professionals are involved with a child of the same registered parent. Which child, and the parent, are never said. Empty without a population register.',
    },
  ),
  addressMatches: Type.Array(
    Type.Object({
      id: Id,
      createdAt: Instant,
      participants: Type.Array(MatchParticipant, {
        description: 'The professionals involved, as in a match read; never who at the address they are involved with',
      }),
    }),
    {
      description:
        'The address match (adresmatch) the signal takes part in, if any: other professionals are involved with someone at the same registered home address. Who, and the address, are never said. Empty without a population register or with address matching off (the setting addressMatching).',
    },
  ),
});

export const SignalView = Type.Object({
  id: Id,
  status: StringEnum(['active', 'ended', 'expired'] as const),
  filedAt: Instant,
  activeUntil: Instant,
  endedAt: Nullable(Instant),
  endReason: Nullable(Type.String()),
  clientReference: Nullable(Type.String()),
  matchId: Nullable(Id),
  person: Nullable(Type.Object({ ...PersonDetailsFields }, { description: 'As registered (never the BSN); only while the signal is active' })),
  identifiedBy: StringEnum(IDENTIFIED_BY, {
    description:
      "bsn: the person is identified by the BSN; details: by family name, date of birth and gender, without a BSN; unborn: an unborn child, through its mother's BSN (person.dateOfBirth is the expected date). Add the BSN with POST /signals/{id}/bsn",
  }),
  legalBasis: Type.Object({
    basis: Type.String(),
    givenBy: Type.Optional(Type.String()),
    givenOn: Type.Optional(Type.String()),
    informed: Type.Optional(Type.Array(Type.String())),
    informedOn: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
  }),
  extendedAt: Type.Union([Instant, Type.Null()], { description: 'When the signal was last extended' }),
  extension: Type.Union(
    [
      Type.Object({
        opensAt: Instant,
        until: Instant,
      }),
      Type.Null(),
    ],
    {
      description:
        'Extending (POST /signals/{id}/extend): possible from opensAt (expiryNoticeDays before activeUntil) until activeUntil, giving the end date until; null when the signal cannot be extended (not active, extending switched off, or already ending at the youth regime limit)',
    },
  ),
  informingDueAt: Type.Union([Instant, Type.Null()], {
    description:
      'Informing was postponed at filing: from this moment the professional is asked to record it (POST /signals/{id}/informing), and it stays due until recorded; null when nothing is postponed',
  }),
});

export const SignalSearchBody = Type.Object(
  {
    clientReference: Text(100, { description: "The professional's own client reference, or its beginning (with match: prefix)" }),
    match: Type.Optional(
      StringEnum(['exact', 'prefix'] as const, { description: 'exact (default): the whole reference; prefix: references beginning with it. Case is ignored.' }),
    ),
    status: Type.Optional(StringEnum(['active', 'inactive'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page of the same search' })),
  },
  closed,
);

export const EndSignalBody = Type.Object(
  {
    reason: StringEnum(END_REASONS, {
      description: 'care_ended, moved, deceased: kept as history; unjustified, objection_upheld: deleted at once',
    }),
  },
  closed,
);

export const ExtendSignalBody = Type.Object(
  {
    reason: StringEnum(EXTENSION_REASONS, {
      description:
        'Why the signal goes on (a category, never text about the person): involvement_continues (the professional is still involved), collaboration_continues (the collaboration with the others involved goes on), handover_pending (the help is being handed over and that is not settled yet)',
    }),
  },
  closed,
);

/** What a professional records after postponing informing: the informed record (who, when) or still postponed (why), as in filing. */
export const InformingBody = Type.Unsafe<InformingRecord>({
  type: 'object',
  required: ['basis'],
  discriminator: { propertyName: 'basis' },
  oneOf: [InformedRecord, PostponedRecord],
  description:
    'informed: who was informed (by the age on informedOn: under 12 the legal representative, 12-15 both, 16+ the young person) and when (between the filing date and today); informing_postponed: why not yet (asked again after informingFollowUpDays)',
});

export const AddBsnBody = Type.Object(
  {
    bsn: Type.String({ format: 'bsn', description: 'The BSN of the person the signal was filed on without one. Never returned.' }),
  },
  closed,
);
