/** The tables of case consultations (migration 0024), part of DB (schema.ts). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateString = string;
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;
/** Arrays go in as PostgreSQL array literals or JS arrays, and come back as arrays. */
type TextArray = ColumnType<string[], string[], string[]>;

export type CaseConsultationsTable = {
  id: Generated<string>;
  kind: 'anonymous' | 'identifying';
  purpose: string;
  consultation_on: DateString;
  initiator_professional_id: string;
  initiator_organisation_id: string;
  state: Generated<'open' | 'closed'>;
  person_key: Bytes | null;
  signal_id: string | null;
  match_id: string | null;
  basis: 'consent' | 'without_consent' | null;
  started_at: Timestamp;
  identified_at: Timestamp | null;
  closed_at: Timestamp | null;
  outcome: string | null;
  delete_after: Timestamp | null;
};

export type CaseConsultationParticipantsTable = {
  id: Generated<string>;
  consultation_id: string;
  professional_id: string;
  organisation_id: string;
  source: 'initiator' | 'match' | 'invited';
  legal_task: string;
  state: 'invited' | 'active' | 'declined' | 'removed';
  is_chair: Generated<boolean>;
  declaration_signed_at: Timestamp | null;
  added_at: Timestamp;
  left_at: Timestamp | null;
};

export type CaseConsultationTables = {
  case_consultations: CaseConsultationsTable;
  case_consultation_participants: CaseConsultationParticipantsTable;
  case_consultation_consents: {
    id: Generated<string>;
    consultation_id: string;
    given_by: 'person' | 'legal_representative';
    given_on: DateString;
    method: string;
    categories: TextArray;
    participant_ids: TextArray;
    recorded_at: Timestamp;
    recorded_by: string;
  };
  case_consultation_reasonings: {
    consultation_id: string;
    no_consent_reason: string;
    no_consent_explanation: string;
    ground: string;
    answers: ColumnType<unknown, string, string>;
    vital_interest_motivation: string | null;
    official_consulted: string;
    official_consulted_on: DateString;
    recorded_at: Timestamp;
    recorded_by: string;
  };
  case_consultation_informings: {
    id: Generated<string>;
    consultation_id: string;
    informed: TextArray;
    informed_on: DateString;
    method: string;
    recorded_at: Timestamp;
    recorded_by: string;
  };
  case_consultation_sharings: {
    id: Generated<string>;
    consultation_id: string;
    participant_id: string;
    category: string;
    purpose: string;
    ground: 'consent' | 'without_consent';
    shared_on: DateString;
    client_informed_on: DateString | null;
    not_yet_informed_reason: string | null;
    recorded_at: Timestamp;
    recorded_by: string;
  };
  case_consultation_meetings: {
    id: Generated<string>;
    consultation_id: string;
    held_on: DateString;
    attendee_ids: ColumnType<string[], string[] | undefined, string[]>;
    planned_at: Timestamp;
  };
  case_consultation_action_points: {
    id: Generated<string>;
    consultation_id: string;
    meeting_id: string | null;
    description: string;
    assignee_participant_id: string;
    due_on: DateString;
    done_at: Timestamp | null;
    created_at: Timestamp;
  };
  case_consultation_statistics: { month: string; anonymous: boolean; basis: 'consent' | 'without_consent' | null; official_consulted: boolean };
};
