/**
 * Carrying out a decision on a rights request through the API (docs/rights.md, "Carrying out a
 * decision"): for the municipality's administrators and privacy officers only. The request says which
 * decision; a correction brings the corrected details, an own statement the person's words. The answer
 * holds counts, never person data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Instant, IsoDate, problemResponses, StringEnum } from '../api/schemas.ts';
import { Address, Gender, PersonName } from '../signals/signal-schemas.ts';
import type { RightsDecisionService } from './rights-decision-service.ts';
import { EXECUTABLE_KINDS, STATEMENT_MAX_LENGTH } from './rights-rules.ts';

const tags = ['Rights requests'];
const security = [{ bearer: [] }];

const Execution = Type.Object({
  requestId: Id,
  kind: StringEnum([...EXECUTABLE_KINDS, 'restriction_lifted'] as const),
  carriedOutAt: Instant,
  signals: Type.Integer({ description: 'How many signals the decision touched' }),
  notified: Type.Integer({ description: 'How many mails to the professionals concerned were queued' }),
});

const ExecutionBody = Type.Object(
  {
    correction: Type.Optional(
      Type.Object(
        { name: Type.Optional(PersonName), dateOfBirth: Type.Optional(IsoDate), gender: Type.Optional(Gender), address: Type.Optional(Address) },
        { additionalProperties: false, description: 'correction only: the corrected person details (the others stay as each signal holds them)' },
      ),
    ),
    statement: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: STATEMENT_MAX_LENGTH,
        description:
          "own_statement only: the person's own statement, in their own words; stored encrypted, shown to the professionals with an active signal on the person",
      }),
    ),
  },
  { additionalProperties: false },
);

/** The services these routes call. */
export type RightsDecisionRoutesServices = { rightsDecisions: RightsDecisionService };

export const rightsDecisionRoutes: FastifyPluginAsyncTypebox<{ services: RightsDecisionRoutesServices }> = async (app, { services }) => {
  const decisions = services.rightsDecisions;
  const config = { caller: 'administratorOrPrivacyOfficer' as const };

  app.post(
    '/rights-requests/:id/execution',
    {
      config,
      schema: {
        tags,
        security,
        params: IdParams,
        body: ExecutionBody,
        summary: 'Carry out the granted or partly granted decision on the request at once (seed 004 art. 15.6)',
        description:
          'objection: every signal on the person ends as objection_upheld and is purged; erasure: everything about the person is removed (the audit trail keeps the pseudonym); restriction: no new matches or notifications, the signals are kept; correction: the person details on every active signal; own_statement: the statement is added. The professionals concerned are mailed (no person data). 409 when not decided, refused, carried out already, or nothing is held.',
        response: { 200: Execution, ...problemResponses },
      },
    },
    async (request) => decisions.carryOut(callerOf(request, 'administratorOrPrivacyOfficer'), request.params.id, request.body),
  );

  app.post(
    '/rights-requests/:id/restriction-lifting',
    {
      config,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Lift the restriction a restriction request imposed: matching catches up, the professionals concerned are mailed',
        description: '409 when the request is not a carried-out restriction, or it was lifted already.',
        response: { 200: Execution, ...problemResponses },
      },
    },
    async (request) => decisions.liftRestriction(callerOf(request, 'administratorOrPrivacyOfficer'), request.params.id),
  );
};
