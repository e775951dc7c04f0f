/**
 * The API's rate limits cannot be spent by someone else: a verified client is counted by its client
 * id, and failed authentications by the address they came from, separately. Knowing a client's key
 * id is not enough to lock it out; an address that keeps failing is throttled (429, audited once as
 * auth.throttled) while a valid token from that same address still passes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp } from '../test-support/fixtures.ts';

describeOnEachDatabase('rate limits', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { rateLimitPerMinute: 3, failedAuthenticationsPerMinute: 5 });
  });
  after(() => t.close());

  const get = (headers: Record<string, string>, remoteAddress = '192.0.2.10') =>
    t.app.inject({ method: 'GET', url: '/api/v1/signals', headers, remoteAddress });
  const nextMinute = () => t.clock.advance(61_000);
  const events = async (type: string) =>
    (
      await sql<{ n: number; details: Record<string, unknown> | null }>`
    select count(*)::int as n, (array_agg(details order by id desc))[1] as details from audit_events where event_type = ${type}`.execute(database().db)
    ).rows[0]!;

  test("a wrong secret with a victim's key id never spends the victim's budget", async () => {
    nextMinute();
    const victim = await t.organisation();
    const keyId = victim.token.split('.')[0]!;
    for (let i = 0; i < 4; i++) {
      const forged = await get({ ...victim.headers, authorization: `Bearer ${keyId}.${'x'.repeat(43)}` }, `198.51.100.${i + 1}`);
      assert.equal(forged.statusCode, 401);
    }
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(victim.headers)).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429], 'the victim has its whole budget of 3');
  });

  test('a verified client over its limit gets 429 with Retry-After until the next minute; other clients are not affected', async () => {
    nextMinute();
    const [a, b] = [await t.organisation(), await t.organisation()];
    for (let i = 0; i < 3; i++) {
      const response = await get(a.headers);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['x-ratelimit-limit'], '3');
      assert.equal(response.headers['x-ratelimit-remaining'], String(2 - i));
    }
    const limited = await get(a.headers);
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60);
    assert.equal((await get(b.headers)).statusCode, 200, 'another client, from the same address, has its own budget');
    nextMinute();
    assert.equal((await get(a.headers)).statusCode, 200);
  });

  test('an address that keeps failing to authenticate is throttled and audited once; a valid token from it still passes', async () => {
    nextMinute();
    const org = await t.organisation();
    const attacker = '203.0.113.7';
    const wrong = { authorization: `Bearer ${org.token.split('.')[0]}.${'y'.repeat(43)}` };
    const deniedBefore = (await events('auth.denied')).n;
    for (let i = 0; i < 5; i++) assert.equal((await get(wrong, attacker)).statusCode, 401);
    assert.equal((await events('auth.denied')).n, deniedBefore + 5, 'each failure within the limit is audited');

    const throttled = await get(wrong, attacker);
    assert.equal(throttled.statusCode, 429);
    assert.equal(throttled.json().code, 'authentication_throttled');
    assert.ok(Number(throttled.headers['retry-after']) > 0);
    for (const headers of [wrong, {}, { authorization: 'Bearer nonsense' }]) assert.equal((await get(headers, attacker)).statusCode, 429);
    const audited = await events('auth.throttled');
    assert.equal(audited.n, 1, 'throttling is recorded once per window');
    assert.equal(audited.details?.address, attacker);
    assert.equal((await events('auth.denied')).n, deniedBefore + 5, 'throttled failures write no record each');

    assert.equal((await get(org.headers, attacker)).statusCode, 200, 'a valid token from the same address passes');
    assert.equal((await get(wrong, '203.0.113.8')).statusCode, 401, 'another address is not throttled');
    nextMinute();
    assert.equal((await get(wrong, attacker)).statusCode, 401, 'the next minute the address may try again');
  });
});
