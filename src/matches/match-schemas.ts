/** The match API's schemas: the whitelist of a match read, whose participants the filing answer shows too. */
import { Type } from 'typebox';
import { Id, Instant, StringEnum } from '../api/schemas.ts';

/** The whitelist of ParticipantView (participants.ts): the same fields in a match read and in the filing answer. */
export const MatchParticipant = Type.Object({
  professionalName: Type.String(),
  jobTitle: Type.String({ description: 'May be empty' }),
  organisationName: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  since: Instant,
  isYou: Type.Boolean(),
});

/** Another region's professional, as relayed through the hub (other-regions.ts): contact details only. */
export const RemoteParticipant = Type.Object({
  name: Type.String(),
  jobTitle: Type.Union([Type.String(), Type.Null()]),
  organisation: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
});

/** The whitelist of MatchView (match-service.ts). */
export const MatchView = Type.Object({
  id: Id,
  kind: StringEnum(['person', 'family', 'address', 'cross_region'] as const, {
    description:
      'person: other professionals are involved with the same person; family (gezinsmatch): with a child of the same registered parent — which child, and the parent, are never said; address (adresmatch): with someone at the same registered home address — who, and the address, are never said; cross_region: professionals in another region are involved with the same person (see otherRegions)',
  }),
  createdAt: Instant,
  yourSignalId: Id,
  participants: Type.Array(MatchParticipant, { description: 'The professionals in this region' }),
  otherRegions: Type.Optional(
    Type.Array(
      Type.Object({
        region: Type.String({ description: "The other region's id at the hub" }),
        contacts: Type.Array(RemoteParticipant, { description: 'Empty until that region has passed its contact details on' }),
      }),
      { description: 'A cross_region match only: per other region, its professionals as relayed through the hub; never anything about the person' },
    ),
  ),
});
