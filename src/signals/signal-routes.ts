/** /api/v1/signals: a record system files, lists, reads, extends and ends its professional's signals, and records postponed informing. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DeferredStanding } from '../api/caller.ts';
import { callerOf, refuseDeferred, settleDeferredStanding } from '../api/caller.ts';
import { dedupeInvalidParams, invalidParamsOf } from '../api/problem-handler.ts';
import { IdParams, PageOf, PageQuery, ProfessionalHeaders, problemResponses, StringEnum } from '../api/schemas.ts';
import { invalidInput } from '../shared/errors.ts';
import { AddBsnBody, EndSignalBody, ExtendSignalBody, FileSignalBody, FilingAnswer, InformingBody, SignalSearchBody, SignalView } from './signal-schemas.ts';
import type { SignalService } from './signal-service.ts';

const tags = ['Signals'];
const security = [{ bearer: [] }];

/** The services these routes call. */
export type SignalRoutesServices = { signals: SignalService; auth: DeferredStanding };

export const signalRoutes: FastifyPluginAsyncTypebox<{ services: SignalRoutesServices }> = async (app, { services }) => {
  app.post(
    '/signals',
    {
      config: { caller: 'professionalDeferred' },
      attachValidation: true,
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        body: FileSignalBody,
        summary: 'File a signal',
        description:
          'Records that the professional is involved with the person. The answer says at once whether this made a match, with the other involved professionals, and shows the history of ended signals. Filing again for the same person returns the existing signal (200). With a population register the BSN is looked up first: 422 with person.bsn bsn_unknown_in_register or person_deceased, or person.dateOfBirth date_of_birth_mismatch; name, date of birth, gender and address then come from the register. When the register cannot answer in time the signal is filed on the details sent (then required) and verified later.',
        response: { 200: FilingAnswer, 201: FilingAnswer, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'professionalDeferred');
      if (request.validationError) {
        // A bad path or query string is a 400 like on every route (after standing, in the error handler).
        if (request.validationError.validationContext !== 'body') throw request.validationError;
        await settleDeferredStanding(services.auth, request);
        // Schema problems and the age rules' problems together: every invalid field at once.
        const problems = [
          ...invalidParamsOf(request.validationError),
          ...(await services.signals.ruleProblemsOfUnvalidated(request.body, { missingDetails: true })),
        ];
        throw invalidInput(dedupeInvalidParams(problems));
      }
      // A register lookup tells whether a BSN exists: only a caller with standing may cause one.
      if (services.signals.checksRegister) await settleDeferredStanding(services.auth, request);
      const result = await services.signals.file(actor, request.body);
      if (result.outcome !== 'created' && result.outcome !== 'existing') {
        return refuseDeferred(services.auth, request, result.outcome);
      }
      const created = result.outcome === 'created';
      if (created) reply.header('location', `/api/v1/signals/${result.answer.signal.id}`);
      return reply.status(created ? 201 : 200).send({ created, ...result.answer });
    },
  );

  app.get(
    '/signals',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        summary: "List the professional's signals, newest first",
        querystring: Type.Object({ status: Type.Optional(StringEnum(['active', 'inactive'] as const)), ...PageQuery }, { additionalProperties: false }),
        response: { 200: PageOf(SignalView), ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'professional');
      return services.signals.page(actor, {
        limit: request.query.limit ?? 50,
        ...(request.query.status && { status: request.query.status }),
        ...(request.query.cursor && { cursor: request.query.cursor }),
      });
    },
  );

  app.post(
    '/signals/search',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        body: SignalSearchBody,
        summary: "Find the professional's signals by their own client reference, newest first",
        description:
          "A client reference is whatever the organisation chose and may hold anything, so it goes in the body, never in the URL (no personal data in URLs). `exact` (the default) finds the whole reference, `prefix` the references that begin with it; both ignore case. Only the professional's own signals are searched; each one returned is audited as listing does.",
        response: { 200: PageOf(SignalView), ...problemResponses },
      },
    },
    async (request) => {
      const { clientReference, match, status, limit, cursor } = request.body;
      return services.signals.page(callerOf(request, 'professional'), {
        clientReference: { text: clientReference, match: match ?? 'exact' },
        limit: limit ?? 50,
        ...(status && { status }),
        ...(cursor && { cursor }),
      });
    },
  );

  app.get(
    '/signals/:id',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        summary: "Read one of the professional's signals",
        params: IdParams,
        response: { 200: SignalView, ...problemResponses },
      },
    },
    async (request) => services.signals.get(callerOf(request, 'professional'), request.params.id),
  );

  app.post(
    '/signals/:id/end',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        body: EndSignalBody,
        summary: 'End a signal early',
        description:
          'The signal leaves its match and is kept as history (200), or, when ended as unjustified or after an upheld objection, deleted at once (204).',
        response: { 200: SignalView, 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'professional');
      const ended = await services.signals.end(actor, request.params.id, request.body.reason);
      return ended ? reply.send(ended) : reply.status(204).send(null);
    },
  );

  app.post(
    '/signals/:id/extend',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        body: ExtendSignalBody,
        summary: 'Extend a signal that is about to expire',
        description:
          "While the professional is still involved: in the period before its end date (see extension in the signal), the end date moves on by the municipality's extension period, under the youth regime never past the start of the 23rd birthday. The signal stays in its match. Refused with 409: signal_not_active (ended or expired: file a new signal), extension_not_yet, extension_switched_off, extension_age_limit.",
        response: { 200: SignalView, ...problemResponses },
      },
    },
    async (request) => services.signals.extend(callerOf(request, 'professional'), request.params.id, request.body.reason),
  );

  app.post(
    '/signals/:id/bsn',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        body: AddBsnBody,
        summary: 'Add the BSN to a signal filed on a person without one',
        description:
          "For an active signal filed with identifiedBy: details (a person without a known BSN): the signal moves to the person with this BSN. It leaves any match it had as a signal on the person without a BSN (the others are told, as when a signal ends) and joins or makes the match on the person with the BSN (everyone in it is told, as when a signal is filed). With a population register the BSN is looked up first: 422 with bsn bsn_unknown_in_register or person_deceased, or date_of_birth_mismatch when the registered date of birth clearly differs from the signal's; the details then come from the register. 409: signal_has_bsn (filed with a BSN), signal_not_active, already_signalled (you have an active signal on the person with this BSN already).",
        response: { 200: SignalView, ...problemResponses },
      },
    },
    async (request) => services.signals.addBsn(callerOf(request, 'professional'), request.params.id, request.body.bsn),
  );

  app.post(
    '/signals/:id/informing',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        body: InformingBody,
        summary: 'Record the informing that was postponed at filing',
        description:
          'For a signal filed with informing postponed: that the person was informed (who, by the age on that date, and when) — the signal then holds that record —, or why not yet, which asks again after informingFollowUpDays. 422 when the record does not fit (parties_missing, date_before_filing, date_in_future); 409 informing_not_postponed or signal_not_active.',
        response: { 200: SignalView, ...problemResponses },
      },
    },
    async (request) => services.signals.recordInforming(callerOf(request, 'professional'), request.params.id, request.body),
  );
};
