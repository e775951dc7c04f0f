/**
 * Who is involved in a match: the one projection every reader uses (the view
 * match_participant_details, migration 0012, which the filing answer reads too). The current
 * participants — not left, signal active — with their professional's contact details, in the order
 * they filed. No BSN, pseudonym or person details. It authorises nothing: callers read it only for
 * matches the actor may see.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export type ParticipantDetails = {
  matchId: string;
  signalId: string;
  professionalId: string;
  organisationId: string;
  professionalName: string;
  jobTitle: string;
  organisationName: string;
  phone: string;
  email: string;
  since: Date;
};

/** The participant as a professional sees them in a match (the API's and the pages' shape; the filing answer has the same fields). */
export type ParticipantView = Pick<ParticipantDetails, 'professionalName' | 'jobTitle' | 'organisationName' | 'phone' | 'email' | 'since'> & {
  isYou: boolean;
};

/** The projection as a query (alias `pd`), in filing order; callers narrow it by match and may join more onto `pd.match_id` / `pd.signal_id`. */
export function selectParticipants(db: Kysely<DB>) {
  return db
    .selectFrom('match_participant_details as pd')
    .select([
      'pd.match_id as matchId',
      'pd.signal_id as signalId',
      'pd.professional_id as professionalId',
      'pd.organisation_id as organisationId',
      'pd.professional_name as professionalName',
      'pd.job_title as jobTitle',
      'pd.organisation_name as organisationName',
      'pd.phone',
      'pd.email',
      'pd.since',
    ])
    .orderBy('pd.since')
    .orderBy('pd.signal_id');
}

/** The current participants of each of `matchIds`, in filing order. */
export async function participantsOfMatches(db: Kysely<DB>, matchIds: readonly string[]): Promise<Map<string, ParticipantDetails[]>> {
  const byMatch = new Map<string, ParticipantDetails[]>();
  if (matchIds.length === 0) return byMatch;
  for (const row of await selectParticipants(db)
    .where('pd.match_id', 'in', [...matchIds])
    .execute()) {
    const list = byMatch.get(row.matchId) ?? [];
    list.push(row);
    byMatch.set(row.matchId, list);
  }
  return byMatch;
}

/** What a professional sees of a participant: contact details, since when, and whether it is they themselves. */
export function participantView(participant: ParticipantDetails, professionalId: string): ParticipantView {
  const { professionalName, jobTitle, organisationName, phone, email, since } = participant;
  return { professionalName, jobTitle, organisationName, phone, email, since, isYou: participant.professionalId === professionalId };
}
