/**
 * Credentials and standing are decided before the body, on every operation of the API: a revoked
 * client, a suspended organisation, another organisation's professional, or a token of the wrong kind
 * that sends an invalid body, malformed JSON, plain text, unstorable text or a bad query hears 401 or
 * 403 — never 400, 415 or 422 — and every such refusal is audited as auth.denied.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { CallerKind } from '../api/caller.ts';
import { apiOperations, type Operation, urlOf } from '../test-support/api-walk.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, type TestApp } from '../test-support/fixtures.ts';

/** Bodies and queries that would be refused for their input, if the caller were allowed to get that far. */
const BAD_INPUTS = [
  { label: 'an invalid body', contentType: 'application/json', payload: '{"nonsense":1}' },
  { label: 'malformed JSON', contentType: 'application/json', payload: '{"person":' },
  { label: 'plain text', contentType: 'text/plain', payload: 'hallo' },
  { label: 'a NUL in the body', contentType: 'application/json', payload: '{"name":"Jan\\u0000"}' },
  { label: 'a bad query', contentType: undefined, payload: undefined, query: '?limit=abc&bsn=708227156' },
] as const;

describeOnEachDatabase('authentication before the body', (database) => {
  let t: TestApp;
  let operations: Operation[];
  /** Per kind of caller, credentials that must be refused, with the status. */
  let refused: Record<Exclude<CallerKind, 'public'>, { label: string; headers: Record<string, string>; status: 401 | 403 }[]>;

  before(async () => {
    t = await createTestApp(database());
    operations = (await apiOperations(t)).filter((o) => o.caller !== 'public');
    const live = await t.organisation();
    const suspended = await t.organisation();
    await t.services.covenants.transition(t.admin, suspended.covenantId, 'suspend', null);
    const withRevoked = await t.organisation();
    await t.services.apiClients.revoke(t.admin, withRevoked.apiClientId);
    const other = await t.organisation();
    const noToken = { label: 'no token', headers: {}, status: 401 as const };
    const revoked = { label: 'a revoked client', headers: withRevoked.headers, status: 401 as const };
    const suspendedOrganisation = { label: 'a suspended organisation', headers: suspended.headers, status: 403 as const };
    const recordSystemOnly = { label: 'a record system', headers: { authorization: live.headers.authorization! }, status: 403 as const };
    const professional = [
      noToken,
      revoked,
      suspendedOrganisation,
      { label: "another organisation's professional", headers: { ...live.headers, 'sluis-professional-id': other.professionalId }, status: 403 as const },
      { label: 'an administrator', headers: t.adminHeaders, status: 403 as const },
    ];
    const recordSystem = [
      noToken,
      { ...revoked, headers: { authorization: withRevoked.headers.authorization! } },
      { ...suspendedOrganisation, headers: { authorization: suspended.headers.authorization! } },
    ];
    const staff = [noToken, recordSystemOnly];
    const officer = await t.services.staff.create(t.admin, { name: 'Functionaris', email: `f-${Date.now()}@gemeente.example`, roles: ['escalation_officer'] });
    const officerHeaders = { authorization: `Bearer ${officer.token}` };
    refused = {
      professional,
      professionalDeferred: professional,
      recordSystem,
      anyCaller: recordSystem,
      administratorOrRecordSystem: recordSystem,
      administrator: staff,
      escalationOfficer: [...staff, { label: 'an administrator without the role', headers: t.adminHeaders, status: 403 }],
      administratorOrEscalationOfficer: staff,
      administratorOrPrivacyOfficer: [...staff, { label: 'an escalation officer', headers: officerHeaders, status: 403 }],
    };
  });
  after(() => t.close());

  const denials = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from audit_events where event_type = 'auth.denied'`.execute(database().db)).rows[0]!.n;

  test('every operation refuses the wrong caller with 401/403 whatever the input, and audits it', async () => {
    let checked = 0;
    for (const operation of operations) {
      for (const caller of refused[operation.caller as Exclude<CallerKind, 'public'>]) {
        for (const input of BAD_INPUTS) {
          if (!operation.hasBody && input.payload !== undefined) continue;
          const before = await denials();
          const response = await t.app.inject({
            method: operation.method,
            url: `${urlOf(operation)}${'query' in input ? input.query : ''}`,
            headers: { ...caller.headers, ...(input.contentType && { 'content-type': input.contentType }) },
            ...(input.payload !== undefined && { payload: input.payload }),
          });
          const what = `${operation.method} ${operation.path} as ${caller.label} with ${input.label}`;
          assert.equal(response.statusCode, caller.status, `${what}: ${response.body}`);
          assert.equal(await denials(), before + 1, `${what}: audited as auth.denied`);
          checked++;
        }
      }
    }
    assert.ok(checked > 200, `${checked} refusals checked`);
  });

  test('the filing route, whose standing is checked by its own statement: a valid body from a suspended organisation is 403 too', async () => {
    const suspended = await t.organisation();
    await t.services.covenants.transition(t.admin, suspended.covenantId, 'suspend', null);
    const before = await denials();
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: suspended.headers, payload: adultSignal() });
    assert.equal(response.statusCode, 403);
    assert.equal(await denials(), before + 1);
  });
});
