/**
 * Walking the API as an outsider does: every operation of the served OpenAPI document, with the
 * credentials of whoever it declares as its caller (`x-sluis-caller`), so a test can send each one
 * bad paths, queries and bodies and check what comes back.
 */
import { randomUUID } from 'node:crypto';
import type { CallerKind } from '../api/caller.ts';
import type { TestApp, TestOrganisation } from './fixtures.ts';
import type { JsonSchema } from './outside-in.ts';

export type Operation = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path as documented, with {id} placeholders, under /api/v1. */
  path: string;
  caller: CallerKind;
  pathParams: string[];
  queryParams: string[];
  hasBody: boolean;
  /** The documented statuses (200, 4XX, …). */
  responses: string[];
  /** The schemas of the query parameters, by name, and of the body. */
  querySchemas: Record<string, JsonSchema>;
  bodySchema: JsonSchema | undefined;
};

type OpenApiOperation = {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
  'x-sluis-caller': CallerKind;
};

export async function apiOperations(t: TestApp): Promise<Operation[]> {
  const document = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, OpenApiOperation>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase() as Operation['method'],
      path,
      caller: operation['x-sluis-caller'],
      pathParams: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      queryParams: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      hasBody: operation.requestBody !== undefined,
      responses: Object.keys(operation.responses),
      querySchemas: Object.fromEntries((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}])),
      bodySchema: operation.requestBody?.content['application/json']?.schema,
    })),
  );
}

/** The URL of an operation with every path parameter replaced (by a fresh uuid unless given). */
export const urlOf = (operation: Operation, segment: (name: string) => string = () => randomUUID()) =>
  `/api/v1${operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => segment(name))}`;

/** Headers that authenticate as each kind of caller. */
export async function callerHeaders(t: TestApp, organisation: TestOrganisation): Promise<Record<CallerKind, Record<string, string>>> {
  const officer = await t.services.staff.create(t.admin, { name: 'Functionaris', email: `f-${randomUUID()}@gemeente.example`, roles: ['escalation_officer'] });
  const officerHeaders = { authorization: `Bearer ${officer.token}` };
  const privacy = await t.services.staff.create(t.admin, { name: 'Privacy', email: `pf-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
  const recordSystem = { authorization: organisation.headers.authorization! };
  return {
    public: {},
    professional: organisation.headers,
    professionalDeferred: organisation.headers,
    recordSystem,
    administrator: t.adminHeaders,
    escalationOfficer: officerHeaders,
    administratorOrEscalationOfficer: officerHeaders,
    administratorOrPrivacyOfficer: { authorization: `Bearer ${privacy.token}` },
    administratorOrRecordSystem: recordSystem,
    anyCaller: recordSystem,
  };
}
