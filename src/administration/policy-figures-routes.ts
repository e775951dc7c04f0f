/** /api/v1/policy-figures: the figures for policy, small cells suppressed (administrators and privacy officers; docs/accountability.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Nullable, problemResponses, StringEnum } from '../api/schemas.ts';
import { FIGURE_IDS, MAX_MONTHS } from './policy-figures.ts';
import type { PolicyFiguresService } from './policy-figures-service.ts';
import { SUPPRESS_BELOW } from './suppression.ts';

const caller = 'administratorOrPrivacyOfficer' as const;
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'A month, YYYY-MM (Europe/Amsterdam)' });
const Count = Nullable(Type.Integer({ minimum: 0, description: 'null: suppressed (1 to 4, or hidden so that a suppressed cell cannot be worked out)' }));

const Figure = Type.Object({
  id: StringEnum(FIGURE_IDS, {
    description:
      'signals: filed, by domain; matches: made, by kind; match_signals: signals that came into a match, by domain; coordination: a coordinator agreed (take, accepted hand-over, appointed), by the coordinator’s domain; escalations: by reason; case_consultations: started, by kind and basis; rights_requests: received, by kind',
  }),
  columns: Type.Array(Type.String(), {
    description: "The columns: domains ('several' for an organisation in more than one domain) or kinds",
  }),
  months: Type.Array(Month),
  cells: Type.Array(Type.Array(Count), { description: 'cells[month][column]' }),
  rowTotals: Type.Array(Count, { description: 'Per month' }),
  columnTotals: Type.Array(Count, { description: 'Per column' }),
  total: Count,
});

const Figures = Type.Object({ from: Month, to: Month, suppressBelow: Type.Integer(), figures: Type.Array(Figure) });

/** The services these routes call. */
export type PolicyFiguresRoutesServices = { policyFigures: PolicyFiguresService };

export const policyFiguresRoutes: FastifyPluginAsyncTypebox<{ services: PolicyFiguresRoutesServices }> = async (app, { services }) => {
  app.get(
    '/policy-figures',
    {
      config: { caller },
      schema: {
        tags: ['Accountability'],
        security: [{ bearer: [] }],
        summary: 'The figures for policy per month: signals, matches, coordination, case consultations and rights requests, by domain or kind',
        description: `Counts only; nobody is identifiable. Cells from 1 to ${SUPPRESS_BELOW - 1} are null, and so many others (complementary suppression) that no null follows from a row's or column's total. The period is at most ${MAX_MONTHS} months. Audited as policy_figures.read.`,
        querystring: Type.Object({ from: Month, to: Month }, { additionalProperties: false }),
        response: { 200: Figures, ...problemResponses },
      },
    },
    async (request) => {
      const figures = await services.policyFigures.figures(callerOf(request, caller), request.query);
      return { ...figures, suppressBelow: SUPPRESS_BELOW };
    },
  );
};
