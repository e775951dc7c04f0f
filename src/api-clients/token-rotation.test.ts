/**
 * Rotating an API client's token (issue 11), on both databases: a new token leaves the old one
 * working for the overlap period and no longer (the clock moves), or until it is revoked; a revoked
 * client's tokens all stop; at most two live tokens; the permissions; and no secret in a listing, an
 * answer other than the one that issues it, the audit trail or the log. Both ways of authenticating
 * are tried: a full lookup (the directory) and the filing statement's deferred check (POST /signals).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';

type Json = Record<string, unknown>;
type Listed = { tokens: { id: string; keyId: string; expiresAt: string | null; lastUsedAt: string | null }[] };
const DAY = 86_400_000;

describeOnEachDatabase('API token rotation', (database) => {
  const log = captureLog();
  let t: TestApp;
  /** Every token the tests saw, to look for in the log and the listings. */
  const secrets: string[] = [];
  before(async () => {
    t = await createTestApp(database(), { logger: log.logger });
  });
  after(() => t.close());

  const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: t.adminHeaders, ...(payload && { payload }) });

  /** The directory (a full lookup) and a filing (the deferred check) with a token: their status codes. */
  async function uses(organisation: TestOrganisation, token: string): Promise<[number, number]> {
    const directory = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: { authorization: `Bearer ${token}` } });
    const filing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: { authorization: `Bearer ${token}`, 'sluis-professional-id': organisation.professionalId },
      payload: adultSignal(),
    });
    return [directory.statusCode, filing.statusCode];
  }

  async function rotate(clientId: string, body?: object) {
    const response = await admin('POST', `/api-clients/${clientId}/tokens`, body);
    if (response.statusCode === 201) secrets.push(response.json().token);
    return response;
  }

  const lastDenial = async () =>
    (
      await sql<{ reason: string }>`select details->>'reason' as reason from audit_events where event_type = 'auth.denied' order by id desc limit 1`.execute(
        database().db,
      )
    ).rows[0]?.reason;

  const list = async (organisationId: string) => {
    const response = await admin('GET', `/organisations/${organisationId}/api-clients`);
    assert.equal(response.statusCode, 200);
    for (const secret of secrets) assert.ok(!response.body.includes(secret.split('.')[1]!), 'no secret in the listing');
    return response.json().items as Listed[];
  };

  test('both tokens work during the overlap; the old one stops when it ends; the new one goes on', async () => {
    const organisation = await t.organisation();
    secrets.push(organisation.token);
    assert.deepEqual(await uses(organisation, organisation.token), [200, 201]);

    const issuedAt = t.clock.now();
    const rotated = await rotate(organisation.apiClientId, {});
    assert.equal(rotated.statusCode, 201, rotated.body);
    const issued = rotated.json();
    const until = new Date(issuedAt.getTime() + 7 * DAY).toISOString();
    assert.equal(issued.keyId, issued.token.split('.')[0]);
    assert.deepEqual(
      issued.tokens.map((k: Json) => [k.id, k.keyId, k.expiresAt]),
      [
        [issued.tokenId, issued.keyId, null],
        [issued.tokens[1].id, organisation.token.split('.')[0], until],
      ],
      'newest first; the old one ends after the default 7 days',
    );

    assert.deepEqual(await uses(organisation, organisation.token), [200, 201], 'the old token works in the overlap');
    assert.deepEqual(await uses(organisation, issued.token), [200, 201], 'the new token works');
    const [listed] = await list(organisation.id);
    assert.equal(listed!.tokens.length, 2);
    assert.equal(listed!.tokens[0]!.lastUsedAt, t.clock.now().toISOString(), 'last use is recorded');

    t.clock.advance(7 * DAY - 1000);
    assert.deepEqual(await uses(organisation, organisation.token), [200, 201], 'still in the overlap a second before it ends');
    t.clock.advance(1000);
    assert.deepEqual(await uses(organisation, organisation.token), [401, 401], 'the overlap has ended');
    assert.equal(await lastDenial(), 'token_expired');
    assert.deepEqual(await uses(organisation, issued.token), [200, 201], 'the new token goes on');
    assert.deepEqual(
      (await list(organisation.id))[0]!.tokens.map((k: Json) => k.keyId),
      [issued.keyId],
      'only the live token is listed',
    );

    const audited = await database()
      .db.selectFrom('audit_events')
      .select(['event_type', 'details', 'organisation_id', 'resource_id'])
      .where('event_type', '=', 'api_client.token_issued')
      .where('resource_id', '=', organisation.apiClientId)
      .execute();
    assert.deepEqual(
      audited.map((e) => [e.organisation_id, e.details]),
      [[organisation.id, { keyId: issued.keyId, previousKeyId: organisation.token.split('.')[0], until }]],
    );
  });

  test('at most two live tokens; the older one can be revoked early, the newest not; overlap 0 ends the old one at once', async () => {
    const organisation = await t.organisation();
    const first = (await rotate(organisation.apiClientId, { overlapDays: 30 })).json();
    const third = await rotate(organisation.apiClientId);
    assert.equal(third.statusCode, 409);
    assert.equal(third.json().code, 'two_live_tokens');

    const [older, newest] = [first.tokens[1], first.tokens[0]];
    const refusedNewest = await admin('POST', `/api-clients/${organisation.apiClientId}/tokens/${newest.id}/revoke`);
    assert.equal(refusedNewest.statusCode, 409);
    assert.equal(refusedNewest.json().code, 'newest_token');

    t.clock.advance(60_000);
    const revoked = await admin('POST', `/api-clients/${organisation.apiClientId}/tokens/${older.id}/revoke`);
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.deepEqual(
      revoked.json().tokens.map((k: Json) => k.id),
      [newest.id],
    );
    assert.equal(revoked.json().token, undefined);
    assert.deepEqual(await uses(organisation, organisation.token), [401, 401], 'the revoked token stops at once, on both paths');
    assert.equal(await lastDenial(), 'token_revoked');
    assert.deepEqual(await uses(organisation, first.token), [200, 201]);
    assert.equal((await admin('POST', `/api-clients/${organisation.apiClientId}/tokens/${older.id}/revoke`)).statusCode, 409, 'revoked already');
    assert.equal((await admin('POST', `/api-clients/${organisation.apiClientId}/tokens/${randomUUID()}/revoke`)).statusCode, 404);
    const other = await t.organisation();
    assert.equal((await admin('POST', `/api-clients/${other.apiClientId}/tokens/${newest.id}/revoke`)).statusCode, 404, "another client's token");

    const audited = await database()
      .db.selectFrom('audit_events')
      .select(['details'])
      .where('event_type', '=', 'api_client.token_revoked')
      .where('resource_id', '=', organisation.apiClientId)
      .execute();
    assert.deepEqual(
      audited.map((e) => e.details),
      [{ keyId: older.keyId }],
    );

    // A leaked newest token: replace it with no overlap.
    const replaced = await rotate(organisation.apiClientId, { overlapDays: 0 });
    assert.equal(replaced.statusCode, 201);
    assert.deepEqual(await uses(organisation, first.token), [401, 401]);
    assert.deepEqual(await uses(organisation, replaced.json().token), [200, 201]);

    for (const overlapDays of [-1, 31, 1.5, '7'])
      assert.equal((await rotate(organisation.apiClientId, { overlapDays })).statusCode, 422, `overlapDays ${overlapDays}`);
    assert.equal((await rotate(organisation.apiClientId, { overlap: 3 })).statusCode, 422);
    assert.equal((await rotate(randomUUID())).statusCode, 404);
  });

  test("revoking the client stops all its tokens; a revoked client gets no new token; a staff member's own token rotates", async () => {
    const organisation = await t.organisation();
    const issued = (await rotate(organisation.apiClientId)).json();
    assert.equal((await admin('POST', `/api-clients/${organisation.apiClientId}/revoke`)).statusCode, 200);
    assert.deepEqual(await uses(organisation, organisation.token), [401, 401]);
    assert.deepEqual(await uses(organisation, issued.token), [401, 401]);
    assert.equal(await lastDenial(), 'revoked');
    assert.equal((await rotate(organisation.apiClientId)).statusCode, 409);
    assert.deepEqual((await list(organisation.id))[0]!.tokens, [], 'a revoked client lists no live tokens');

    // An administrator's own API client: the new token works at once, the old one through the overlap.
    const member = await t.services.staff.create(t.admin, { name: 'Tweede beheerder', email: `b-${randomUUID()}@gemeente.example` });
    secrets.push(member.token);
    const clientId = (await database().db.selectFrom('api_clients').select('id').where('staff_member_id', '=', member.id).executeTakeFirstOrThrow()).id;
    const own = await t.app.inject({
      method: 'POST',
      url: `/api/v1/api-clients/${clientId}/tokens`,
      headers: { authorization: `Bearer ${member.token}` },
      payload: { overlapDays: 1 },
    });
    assert.equal(own.statusCode, 201);
    secrets.push(own.json().token);
    for (const token of [member.token, own.json().token])
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
    t.clock.advance(DAY);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: { authorization: `Bearer ${member.token}` } })).statusCode, 401);
  });

  test('only administrators: no token, a record system, an escalation officer and a privacy officer are refused, and nothing changes', async () => {
    const organisation = await t.organisation();
    const other = await t.organisation();
    const officer = await t.services.staff.create(t.admin, {
      name: 'Functionaris',
      email: `f-${randomUUID()}@gemeente.example`,
      roles: ['escalation_officer'],
    });
    const privacy = await t.services.staff.create(t.admin, { name: 'Privacy', email: `p-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    const issued = (await rotate(organisation.apiClientId)).json();
    const older = issued.tokens[1].id;
    const callers: [string, Record<string, string>, number][] = [
      ['no token', {}, 401],
      ['its own record system', { authorization: `Bearer ${issued.token}` }, 403],
      ["another organisation's record system", { authorization: `Bearer ${other.token}` }, 403],
      ['an escalation officer', { authorization: `Bearer ${officer.token}` }, 403],
      ['a privacy officer', { authorization: `Bearer ${privacy.token}` }, 403],
    ];
    for (const [label, headers, status] of callers) {
      for (const url of [`/api/v1/api-clients/${organisation.apiClientId}/tokens`, `/api/v1/api-clients/${organisation.apiClientId}/tokens/${older}/revoke`]) {
        const response = await t.app.inject({ method: 'POST', url, headers, payload: {} });
        assert.equal(response.statusCode, status, `${label}: ${url}`);
      }
    }
    assert.equal((await list(organisation.id))[0]!.tokens.length, 2, 'nothing changed');
  });

  test('an organisation’s coordinator manages their own clients’ tokens, not another organisation’s; a plain professional none', async () => {
    const mine = await t.organisation();
    const theirs = await t.organisation();
    await database().db.updateTable('professionals').set({ coordinator: true }).where('id', 'in', [mine.professionalId, theirs.professionalId]).execute();
    const coordinator = { kind: 'professional' as const, professionalId: mine.professionalId, organisationId: mine.id, apiClientId: null, requestId: 't' };
    const intruder = { ...coordinator, professionalId: theirs.professionalId, organisationId: theirs.id };
    const colleague = await t.colleague(mine);
    const plain = { ...coordinator, professionalId: colleague.professionalId };
    const service = t.services.organisationCoordinator;

    await assert.rejects(service.issueApiToken(intruder, mine.apiClientId, 7), { status: 404 });
    await assert.rejects(service.issueApiToken(plain, mine.apiClientId, 7), { status: 403 });
    const issued = await service.issueApiToken(coordinator, mine.apiClientId, 2);
    secrets.push(issued.token);
    assert.equal(issued.tokens.length, 2);
    const older = issued.tokens[1]!.id;
    await assert.rejects(service.revokeApiToken(intruder, mine.apiClientId, older), { status: 404 });
    await assert.rejects(service.revokeApiToken(plain, mine.apiClientId, older), { status: 403 });
    assert.equal((await service.apiClients(coordinator))[0]!.tokens.length, 2, 'nothing changed');
    await service.revokeApiToken(coordinator, mine.apiClientId, older);
    assert.deepEqual(await uses(mine, mine.token), [401, 401]);
    assert.deepEqual(await uses(mine, issued.token), [200, 201]);
  });

  test('no secret in the log, the audit trail or any listing', async () => {
    assert.ok(secrets.length >= 8);
    const parts = secrets.map((s) => s.split('.')[1]!);
    assert.deepEqual(leakedIn(log.text(), parts), []);
    const audit = await sql<{ text: string }>`select coalesce(string_agg(details::text, ' '), '') as text from audit_events`.execute(database().db);
    assert.deepEqual(leakedIn(audit.rows[0]!.text, parts), []);
  });
});
