/** Schema pieces shared by the routes. One schema validates, types, whitelists and documents. */
import { type TSchema, type TUnsafe, Type } from 'typebox';

export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Id = Type.String({ format: 'uuid', description: 'Opaque identifier' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const IsoDate = Type.String({ format: 'date', description: 'A calendar date, YYYY-MM-DD' });
/** A moment in time: the handlers may return Date objects, which are serialised as RFC 3339 strings. */
export const Instant = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Text = (maxLength: number, options: Record<string, unknown> = {}) => Type.String({ minLength: 1, maxLength, ...options });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
};
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last page' })),
    total: Type.Integer({ minimum: 0, description: 'How many items the whole list holds with these filters (see totalExact)' }),
    totalExact: Type.Boolean({
      description:
        'false when counting stopped at 10,000 (lists that grow without bound: the audit trail, deliveries, the development mailbox): total is then a lower bound',
    }),
  });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'Stable machine-readable code' }),
    invalidParams: Type.Optional(Type.Array(Type.Object({ name: Type.String(), code: Type.String(), reason: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' },
);

const problemRef = Type.Unsafe({ $ref: 'Problem#' });
/**
 * Documented error responses; the error handler produces them. Every operation can answer 400 (an
 * unknown query parameter, a bad path segment, a body that is not JSON), which the API Design Rules
 * ask to be documented by name.
 */
export const problemResponses = { 400: problemRef, '4xx': problemRef, '5xx': problemRef };

/** The Sluis-Professional-Id header for record systems acting for a professional (checked by the authenticator). */
export const ProfessionalHeaders = Type.Object({
  'sluis-professional-id': Type.Optional(Type.String({ description: 'Id of the professional the record system acts for (required)' })),
});
