/** Who is acting. Services authorise against this; the audit trail records it. */
export type ProfessionalActor = {
  kind: 'professional';
  professionalId: string;
  organisationId: string;
  /** The record system acting on the professional's behalf; null for the web application. */
  apiClientId: string | null;
  /** The client's token the request came with, when the filing statement is to check it (authenticator.ts, professionalDeferred). */
  apiTokenId?: string;
  requestId: string;
};

/** A record system acting for its organisation as a whole (not for one professional). */
export type RecordSystemActor = {
  kind: 'record_system';
  organisationId: string;
  apiClientId: string;
  requestId: string;
};

export type StaffRole = 'municipality_admin' | 'escalation_officer' | 'privacy_officer';

export type StaffActor = {
  kind: 'staff';
  staffMemberId: string;
  roles: StaffRole[];
  apiClientId: string | null;
  requestId: string;
};

export type SystemActor = { kind: 'system'; requestId: string | null };

export type Actor = ProfessionalActor | RecordSystemActor | StaffActor | SystemActor;
