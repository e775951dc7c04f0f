/**
 * GET /api/v1/signals/{id}/information-letter: the information letter for the professional's own
 * active signal, for a record system to send or print. JSON with each letter's addressee, subject
 * and text by default; the same letters as one PDF with `Accept: application/pdf`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { IdParams, ProfessionalHeaders, problemResponses, StringEnum } from '../api/schemas.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import { letterText } from './information-letter.ts';
import type { InformationLetterService } from './information-letter-service.ts';

/** The services these routes call. */
export type InformationLetterRoutesServices = { informationLetters: InformationLetterService };

const InformationLetterView = Type.Object(
  {
    signalId: Type.String({ format: 'uuid' }),
    band: StringEnum(['representative', 'young_person_and_representative', 'young_person', 'adult'] as const, {
      description:
        "By the person's age today: representative (under 12, or not born yet), young_person_and_representative (12 to 15: two letters), young_person (16 to 22), adult (23 and over, with the consent explained)",
    }),
    letters: Type.Array(
      Type.Object({
        addressee: StringEnum(['person', 'legal_representative'] as const),
        subject: Type.String(),
        text: Type.String({ description: 'The whole letter as plain text (Dutch), ready to send or print' }),
      }),
    ),
  },
  { description: 'The information letters of a signal: no BSN; the name and date of birth of the person it is about (the letter is for them)' },
);

/** Whether the Accept header asks for the PDF rather than JSON (an explicit application/pdf that JSON does not outrank). */
export function prefersPdf(accept: string | undefined): boolean {
  if (!accept) return false;
  let pdf = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    const weight = Number.isFinite(q) ? q : 0;
    if (type === 'application/pdf') pdf = Math.max(pdf, weight);
    if (type === 'application/json' || type === 'application/*' || type === '*/*') json = Math.max(json, type === 'application/json' ? weight : weight - 0.001);
  }
  return pdf > 0 && pdf > json;
}

export const informationLetterRoutes: FastifyPluginAsyncTypebox<{ services: InformationLetterRoutesServices }> = async (app, { services }) => {
  app.get(
    '/signals/:id/information-letter',
    {
      config: { caller: 'professional' },
      schema: {
        tags: ['Signals'],
        security: [{ bearer: [] }],
        headers: ProfessionalHeaders,
        params: IdParams,
        summary: 'The information letter for the person or their legal representative',
        description:
          "For the professional's own active signal: the letter that tells the person (or, by age, the parents or guardian) about the signal in plain Dutch — what SluiS is, which organisation and professional, what it holds and does not hold, how long, their rights, the municipality's contact. Under 12 one letter to the legal representative, 12 to 15 two (the young person and the representative), from 16 one to the person. JSON by default; `Accept: application/pdf` gives the same letters as one printable PDF. Every letter made is audited. 404 for another professional's signal, as for an unknown id; 409 signal_not_active for an ended or expired one.",
        response: {
          200: {
            description: 'The letters, as JSON or (Accept: application/pdf) as a PDF',
            content: { 'application/json': { schema: InformationLetterView }, 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'professional');
      const pdf = prefersPdf(request.headers.accept);
      const made = await services.informationLetters.make(actor, request.params.id, pdf ? 'pdf' : 'json');
      reply.header('vary', 'Accept');
      if (pdf) {
        const bytes = await services.informationLetters.pdf(made);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="informatiebrief-${amsterdamDate(made.madeAt)}.pdf"`)
          .send(bytes);
      }
      return reply.type('application/json').send({
        signalId: made.signalId,
        band: made.band,
        letters: made.letters.map((letter) => ({ addressee: letter.addressee, subject: letter.subject, text: letterText(letter) })),
      });
    },
  );
};
