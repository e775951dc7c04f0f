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

/** The whitelist of MatchView (match-service.ts). */
export const MatchView = Type.Object({
  id: Id,
  kind: StringEnum(['person', 'family', 'address'] as const, {
    description:
      'person: other professionals are involved with the same person; family (gezinsmatch): with a child of the same registered parent — which child, and the parent, are never said; address (adresmatch): with someone at the same registered home address — who, and the address, are never said',
  }),
  createdAt: Instant,
  yourSignalId: Id,
  participants: Type.Array(MatchParticipant),
});
