/**
 * The figures for policy through the API, on both databases: signals, matches and the signals in
 * them, coordination taken, escalations, case consultations and rights requests counted per month
 * (Amsterdam time) and per domain or kind, read back against what the test made; cells of 1 to 4
 * null, and no null recoverable from a row's or column's total; audited; refused to everyone but
 * administrators and privacy officers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import { ageOn } from '../shared/calendar.ts';
import { requiredLegalBasis } from '../signals/legal-basis.ts';
import type { FilingAnswer } from '../signals/signal-types.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { recoverable } from '../test-support/figures.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { switchableRegister } from '../test-support/register.ts';
import { DOMAIN_COLUMNS, FIGURES, type FigureId } from './policy-figures.ts';
import type { SuppressedTable } from './suppression.ts';

type Figure = SuppressedTable & { id: FigureId; columns: string[]; months: string[] };

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

describeOnEachDatabase('figures for policy API', (database) => {
  let t: TestApp;
  let privacy: Record<string, string>;
  let officer: Record<string, string>;
  let wijkteam: TestOrganisation;
  let school: TestOrganisation;
  let ggz: TestOrganisation;

  before(async () => {
    t = await createTestApp(database());
    const p = await t.services.staff.create(t.admin, { name: 'Privacy', email: `p-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    privacy = { authorization: `Bearer ${p.token}` };
    const o = await t.services.staff.create(t.admin, { name: 'Functionaris', email: `f-${randomUUID()}@gemeente.example`, roles: ['escalation_officer'] });
    officer = { authorization: `Bearer ${o.token}` };
    wijkteam = await t.organisation('Wijkteam'); // social_support
    school = await t.organisation('School');
    await t.services.organisations.update(t.admin, school.id, { domains: ['education'] });
    ggz = await t.organisation('Jeugd-GGZ');
    await t.services.organisations.update(t.admin, ggz.id, { domains: ['mental_health', 'youth_care'] });

    // March 2026 (the clock starts on 10 March): the wijkteam files on 7 persons; the school on 5 of
    // them (5 person matches), the GGZ on a 6th (1 match); the school takes coordination of its 5
    // matches, the wijkteam escalates the GGZ match; 5 anonymous case consultations; rights requests.
    const bsns = Array.from({ length: 7 }, () => randomBsn());
    for (const bsn of bsns) await t.services.signals.file(actorOf(wijkteam), adultSignal(bsn));
    const matchIds: string[] = [];
    for (const bsn of bsns.slice(0, 5))
      matchIds.push(((await t.services.signals.file(actorOf(school), adultSignal(bsn))) as { answer: FilingAnswer }).answer.match!.id);
    const ggzMatch = ((await t.services.signals.file(actorOf(ggz), adultSignal(bsns[5]))) as { answer: FilingAnswer }).answer.match!.id;
    for (const matchId of matchIds) {
      const taken = await t.app.inject({
        method: 'POST',
        url: `/api/v1/matches/${matchId}/coordination`,
        headers: school.headers,
        payload: { action: 'take' },
      });
      assert.equal(taken.statusCode, 200, taken.body);
    }
    const escalated = await t.app.inject({
      method: 'POST',
      url: `/api/v1/matches/${ggzMatch}/coordination`,
      headers: wijkteam.headers,
      payload: { action: 'escalate', reason: 'no_agreement' },
    });
    assert.equal(escalated.statusCode, 200, escalated.body);
    for (let i = 0; i < 5; i++)
      await t.services.caseConsultations.start(actorOf(wijkteam), {
        kind: 'anonymous',
        purpose: 'Afstemmen wie wat doet',
        consultationOn: '2026-03-20',
        legalTask: 'Wijkteam',
      });
    const request = (kind: 'inspection' | 'complaint') =>
      t.services.rightsRequests.register(t.admin, {
        person: { identifiedBy: 'bsn', bsn: Bsn.parse(randomBsn())!, dateOfBirth: '1980-05-17' },
        kind,
        receivedOn: '2026-03-09',
        through: 'letter',
        requester: 'person',
        identityCheck: 'id_document_seen',
      });
    for (let i = 0; i < 6; i++) await request('inspection');
    await request('complaint');

    // April: the wijkteam files on 5 more persons.
    t.clock.advance(31 * 86_400_000);
    for (let i = 0; i < 5; i++) await t.services.signals.file(actorOf(wijkteam), adultSignal(randomBsn(), '2026-04-10'));
  });
  after(() => t.close());

  const read = async (headers: Record<string, string>, query = 'from=2026-02&to=2026-04') =>
    t.app.inject({ method: 'GET', url: `/api/v1/policy-figures?${query}`, headers });

  /** The raw counts the test made, per figure: [month, column, count]. */
  const MADE: Record<FigureId, [string, string, number][]> = {
    signals: [
      ['2026-03', 'social_support', 7],
      ['2026-03', 'education', 5],
      ['2026-03', 'several', 1],
      ['2026-04', 'social_support', 5],
    ],
    matches: [['2026-03', 'person', 6]],
    match_signals: [
      ['2026-03', 'social_support', 6],
      ['2026-03', 'education', 5],
      ['2026-03', 'several', 1],
    ],
    coordination: [['2026-03', 'education', 5]],
    escalations: [['2026-03', 'no_agreement', 1]],
    case_consultations: [['2026-03', 'anonymous', 5]],
    rights_requests: [
      ['2026-03', 'inspection', 6],
      ['2026-03', 'complaint', 1],
    ],
  };

  test('counted per month and domain or kind, right on every shown cell and total; small cells hidden and not recoverable', async () => {
    const response = await read(privacy);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as { from: string; to: string; suppressBelow: number; figures: Figure[] };
    assert.equal(body.suppressBelow, 5);
    assert.deepEqual(
      body.figures.map((f) => f.id),
      Object.keys(FIGURES),
    );
    for (const figure of body.figures) {
      assert.deepEqual(figure.months, ['2026-02', '2026-03', '2026-04']);
      assert.deepEqual(figure.columns, [...FIGURES[figure.id]]);
      const raw = figure.months.map((m) => figure.columns.map((c) => MADE[figure.id].find(([mm, cc]) => mm === m && cc === c)?.[2] ?? 0));
      const rowTotals = raw.map((row) => row.reduce((a, b) => a + b, 0));
      const columnTotals = figure.columns.map((_, c) => raw.reduce((sum, row) => sum + row[c]!, 0));
      const total = rowTotals.reduce((a, b) => a + b, 0);
      raw.forEach((row, r) => {
        row.forEach((value, c) => {
          const shown = figure.cells[r]![c];
          if (value >= 1 && value <= 4) assert.equal(shown, null, `${figure.id} ${figure.months[r]} ${figure.columns[c]}: ${value} is hidden`);
          else if (shown !== null) assert.equal(shown, value, `${figure.id} ${figure.months[r]} ${figure.columns[c]}`);
        });
      });
      rowTotals.forEach((value, r) => {
        if (figure.rowTotals[r] !== null) assert.equal(figure.rowTotals[r], value, `${figure.id} total ${figure.months[r]}`);
      });
      columnTotals.forEach((value, c) => {
        if (figure.columnTotals[c] !== null) assert.equal(figure.columnTotals[c], value);
      });
      if (figure.total !== null) assert.equal(figure.total, total);
      for (const [at] of recoverable(figure)) {
        const [r, c] = at.split(',').map(Number) as [number, number];
        assert.ok(!(raw[r]![c]! >= 1 && raw[r]![c]! <= 4), `${figure.id}: the hidden ${raw[r]![c]} at ${at} follows from a total`);
      }
    }
    const byId = new Map(body.figures.map((f) => [f.id, f]));
    const signals = byId.get('signals')!;
    const march = signals.months.indexOf('2026-03');
    assert.equal(signals.cells[march]![DOMAIN_COLUMNS.indexOf('social_support')], 7);
    assert.equal(signals.cells[march]![DOMAIN_COLUMNS.indexOf('several')], null, 'the GGZ in two domains: one signal, hidden');
    assert.equal(signals.cells[march]![DOMAIN_COLUMNS.indexOf('education')], null, 'and the smallest other count of its month with it');
    assert.equal(signals.rowTotals[march], 13);
    assert.equal(signals.cells[signals.months.indexOf('2026-04')]![DOMAIN_COLUMNS.indexOf('social_support')], 5);
    assert.deepEqual(signals.cells[signals.months.indexOf('2026-02')], Array(DOMAIN_COLUMNS.length).fill(0), 'a month without any: zeros');
    assert.equal(byId.get('matches')!.cells[march]![0], 6);
    assert.equal(byId.get('coordination')!.cells[march]![DOMAIN_COLUMNS.indexOf('education')], 5);
    assert.equal(byId.get('case_consultations')!.cells[march]![0], 5);
    assert.deepEqual(byId.get('rights_requests')!.cells[march]!.slice(0, 1), [null], '6 inspections hidden with the 1 complaint');
    assert.equal(byId.get('rights_requests')!.rowTotals[march], 7);
    assert.equal(byId.get('escalations')!.total, null);

    const audited = await sql<{ details: Record<string, unknown> }>`
      select details from audit_events where event_type = 'policy_figures.read' order by id desc limit 1`.execute(t.services.db);
    assert.deepEqual(audited.rows[0]!.details, { from: '2026-02', to: '2026-04' });
  });

  test('a period in one month only, and wrong periods refused with every problem', async () => {
    const april = (await read(t.adminHeaders, 'from=2026-04&to=2026-04')).json() as { figures: Figure[] };
    assert.deepEqual(april.figures[0]!.cells, [[0, 0, 5, 0, 0, 0, 0, 0, 0, 0]]);
    assert.equal((await read(t.adminHeaders, 'from=2026-04&to=2026-03')).statusCode, 422);
    assert.equal((await read(t.adminHeaders, 'from=2023-01&to=2026-03')).statusCode, 422, 'more than 36 months');
    assert.equal((await read(t.adminHeaders, 'from=2026-13&to=2026-03')).statusCode, 400);
    assert.equal((await read(t.adminHeaders, 'from=2026-03')).statusCode, 400);
  });

  test('refused to an escalation officer, an organisation’s record system and without a token', async () => {
    const before = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_events where event_type = 'policy_figures.read' and outcome = 'success'`.execute(t.services.db);
    assert.equal((await read(officer)).statusCode, 403);
    assert.equal((await read(wijkteam.headers)).statusCode, 403);
    assert.equal((await read({})).statusCode, 401);
    const afterwards = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_events where event_type = 'policy_figures.read' and outcome = 'success'`.execute(t.services.db);
    assert.equal(afterwards.rows[0]!.n, before.rows[0]!.n);
  });
});

/** Half-siblings (parent 999999126) registered at one address: a family match and an address match (src/matches/address-match.test.ts). */
const SIBLINGS = ['999970021', '999999151'] as const;

describeOnEachDatabase('figures for policy: family and address matches', (database) => {
  let t: TestApp;
  before(async () => {
    const register = switchableRegister();
    t = await createTestApp(database(), { register });
    await t.services.settings.update(t.admin, { addressMatching: true });
    const people = await register.embedded.lookup(SIBLINGS.map((digits) => Bsn.parse(digits)!));
    const [a, b] = [await t.organisation('School'), await t.organisation('Jeugdhulp')];
    for (const [org, digits] of [
      [a, SIBLINGS[0]],
      [b, SIBLINGS[1]],
    ] as const) {
      const person = people.find((p) => p.bsn.reveal() === digits)!;
      const requirement = requiredLegalBasis(ageOn(person.dateOfBirth!, '2026-03-10'));
      const legalBasis =
        requirement.kind === 'consent'
          ? { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' }
          : { basis: 'informed', informed: requirement.parties, informedOn: '2026-03-10' };
      const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: { person: { bsn: digits }, legalBasis } });
      assert.ok(filed.statusCode < 300, filed.body);
    }
  });
  after(() => t.close());

  test('a family match and an address match are counted in their columns (hidden: one of each)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/policy-figures?from=2026-03&to=2026-03', headers: t.adminHeaders });
    const matches = (response.json() as { figures: Figure[] }).figures.find((f) => f.id === 'matches')!;
    const made = await t.services.db.selectFrom('matches').select('kind').execute();
    assert.deepEqual(made.map((m) => m.kind).sort(), ['address', 'family']);
    assert.deepEqual(matches.cells, [[0, null, null]], 'no person match; the family and the address match, 1 each, hidden');
    assert.equal(matches.total, null);
  });
});
