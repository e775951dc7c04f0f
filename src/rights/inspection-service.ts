/**
 * Making the inspection report of a rights request's person (docs/rights.md, "Inspection and copy"):
 * for the municipality's administrators and privacy officers only. The report is made on request and
 * never stored; making one is audited (`rights_request.inspection_made`, with the format) under the
 * person key, in the same transaction as the reads.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, notFound } from '../shared/errors.ts';
import { gatherInspectionReport, type InspectionReport } from './inspection-report.ts';
import { mayHandleRights } from './rights-request-service.ts';
import type { Requester, RequestKind } from './rights-rules.ts';

/** The forms a report is handed out in: JSON (portability, art. 20) or the Dutch PDF letter. */
export type InspectionFormat = 'json' | 'pdf';

/** Turns a report into the Dutch PDF letter (the pages' letter, handed down by the wiring). */
export type InspectionLetter = (report: InspectionReport) => Promise<Buffer>;

export type InspectionService = ReturnType<typeof createInspectionService>;

export function createInspectionService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;
  return {
    /** Everything SluiS holds on the request's person, as it is now; 404 for an unknown request. */
    async report(actor: StaffActor, requestId: string, format: InspectionFormat): Promise<InspectionReport> {
      if (!mayHandleRights(actor.roles)) throw forbidden("Rights requests are for the municipality's administrators and privacy officers.");
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const request = await trx
          .selectFrom('rights_requests')
          .select(['id', 'person_key', 'kind', 'received_on', 'requester', 'identified_by'])
          .where('id', '=', requestId)
          .executeTakeFirst();
        if (!request) throw notFound('rights request');
        const report = await gatherInspectionReport(trx, {
          personKey: request.person_key,
          request: {
            id: request.id,
            kind: request.kind as RequestKind,
            receivedOn: request.received_on,
            requester: request.requester as Requester,
            identifiedBy: request.identified_by,
          },
          madeAt: now,
        });
        await audit.record(trx, now, {
          type: 'rights_request.inspection_made',
          actor,
          subjectKey: request.person_key,
          resource: { type: 'rights_request', id: request.id },
          details: { format, signals: report.signals.length, matches: report.matches.length },
        });
        return report;
      });
    },
  };
}
