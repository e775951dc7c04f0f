/**
 * The figures for policy page and its spreadsheet, through app.inject on both databases: a privacy
 * officer finds it in the menu, sees the tables and the chart with the hidden cells as
 * "afgeschermd" (never a bar of 0), and downloads the CSV (audited); a hidden cell cannot be worked
 * out from the page's or the spreadsheet's totals; a professional, a coordinator and an escalation
 * officer are refused both.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { SuppressedTable } from '../../administration/suppression.ts';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { recoverable } from '../../test-support/figures.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { createWebAccount, type InjectSession, signInByInject, webProfessional } from '../../test-support/web.ts';

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

/** A figure of the spreadsheet as a table again: its months, columns, cells and totals ('afgeschermd' as null). */
function tablesOfCsv(csv: string): Map<string, SuppressedTable & { months: string[]; columns: string[]; raw: string[][] }> {
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(';'));
  const tables = new Map<string, { rows: [string, string, string][] }>();
  for (const [figure, month, column, value] of lines as [string, string, string, string][]) {
    const table = tables.get(figure) ?? { rows: [] };
    table.rows.push([month, column, value]);
    tables.set(figure, table);
  }
  const parse = (value: string) => (value === 'afgeschermd' ? null : Number(value.replace(/\./g, '')));
  return new Map(
    [...tables].map(([figure, { rows }]) => {
      const months = [...new Set(rows.map(([m]) => m).filter((m) => m !== 'Totaal'))];
      const columns = [...new Set(rows.map(([, c]) => c).filter((c) => c !== 'Totaal'))];
      const at = (m: string, c: string) => parse(rows.find(([mm, cc]) => mm === m && cc === c)![2]);
      return [
        figure,
        {
          months,
          columns,
          raw: rows.map((r) => [...r]),
          cells: months.map((m) => columns.map((c) => at(m, c))),
          rowTotals: months.map((m) => at(m, 'Totaal')),
          columnTotals: columns.map((c) => at('Totaal', c)),
          total: at('Totaal', 'Totaal'),
        },
      ];
    }),
  );
}

describeOnEachDatabase('figures for policy pages', (database) => {
  let t: TestApp;
  let privacy: InjectSession;
  before(async () => {
    t = await createTestApp(database());
    const wijkteam = await t.organisation('Wijkteam');
    const school = await t.organisation('School');
    await t.services.organisations.update(t.admin, school.id, { domains: ['education'] });
    // March 2026: the wijkteam files on 7 persons, the school on 1 of them (1 match).
    const bsns = Array.from({ length: 7 }, () => randomBsn());
    for (const bsn of bsns) await t.services.signals.file(actorOf(wijkteam), adultSignal(bsn));
    await t.services.signals.file(actorOf(school), adultSignal(bsns[0]));
    const member = await t.services.staff.create(t.admin, { name: 'Privacy', email: `p-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    privacy = await signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
  });
  after(() => t.close());

  test('the tables and the chart: hidden cells say so, and are never drawn as 0', async () => {
    const page = await privacy.get('/beheer/beleidscijfers');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/beheer\/beleidscijfers" aria-current="page"/, 'in the privacy officer’s menu');
    assert.match(page.body, /<h2 class="utrecht-heading-2" id="cijfer-signals">Signalen afgegeven<\/h2>/);
    const signals = /id="cijfer-signals"[\s\S]*?<\/section>/.exec(page.body)![0];
    // Wijkteam 7, school 1 (hidden), and the 7 with it: else the month's 8 − 7 gives the 1 away.
    const march = /<tr class="utrecht-table__row"><td[^>]*>maart 2026<\/td>([\s\S]*?)<\/tr>/.exec(signals)![1]!;
    const cells = [...march.matchAll(/<td[^>]*data-label="([^"]+)"[^>]*>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(cells, [
      ['Maatschappelijke ondersteuning', 'afgeschermd'],
      ['Onderwijs', 'afgeschermd'],
      ['Totaal', '8'],
    ]);
    assert.doesNotMatch(signals, /data-label="Gezondheidszorg"/, 'a column of zeros only is left out');
    assert.doesNotMatch(signals, /<td[^>]*>februari 2026<\/td>/, 'and a month of zeros only');
    assert.match(signals, /Geen in april 2025, mei 2025, [a-z0-9 ,]+ en februari 2026\./);
    assert.equal((signals.match(/class="sluis-chart__bar"/g) ?? []).length, 1, 'one bar: March');
    // The one match: its month's total is hidden too, a dashed box in the chart with the word, no bar.
    const matches = /id="cijfer-matches"[\s\S]*?<\/section>/.exec(page.body)![0];
    assert.match(matches, /<rect[^>]*class="sluis-chart__hidden"/);
    assert.match(matches, /<text[^>]*class="sluis-chart__hidden-text"[^>]*>afgeschermd<\/text>/);
    assert.doesNotMatch(matches, /class="sluis-chart__bar"/, 'never a bar for a hidden count');
    assert.match(page.body, /id="cijfer-escalations"[\s\S]*?Geen in deze periode\./);
  });

  test('the spreadsheet: the same figures and hiding; nothing hidden follows from its totals; the download is audited', async () => {
    const page = await privacy.get('/beheer/beleidscijfers?van=2026-02&tot=2026-03');
    assert.match(page.body, /href="\/beheer\/beleidscijfers\/export\?van=2026-02&amp;tot=2026-03"/);
    const csv = await privacy.get('/beheer/beleidscijfers/export?van=2026-02&tot=2026-03');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    assert.match(csv.headers['content-disposition'] as string, /sluis-beleidscijfers-2026-02-2026-03\.csv/);
    const tables = tablesOfCsv(csv.body);
    const signals = tables.get('Signalen afgegeven')!;
    assert.deepEqual(signals.months, ['2026-02', '2026-03']);
    const march = signals.months.indexOf('2026-03');
    const raw = (m: number, c: string) => (m === march ? (({ 'Maatschappelijke ondersteuning': 7, Onderwijs: 1 } as Record<string, number>)[c] ?? 0) : 0);
    assert.equal(signals.cells[march]![signals.columns.indexOf('Maatschappelijke ondersteuning')], null);
    assert.equal(signals.cells[march]![signals.columns.indexOf('Onderwijs')], null);
    assert.equal(signals.rowTotals[march], 8);
    for (const [at] of recoverable(signals)) {
      const [r, c] = at.split(',').map(Number) as [number, number];
      const value = raw(r, signals.columns[c]!);
      assert.ok(!(value >= 1 && value <= 4), `the hidden ${value} (${signals.columns[c]}) follows from the totals`);
    }
    // Every other figure: a hidden cell is a small count or a complement of 5 or more; no small one can be worked out.
    for (const [name, table] of tables)
      for (const [at, value] of recoverable(table)) assert.ok(!(value >= 1 && value <= 4), `${name}: the hidden ${value} at ${at} follows from the totals`);
    const audited = await sql<{ details: Record<string, unknown> }>`
      select details from audit_events where event_type = 'policy_figures.read' order by id desc limit 1`.execute(t.services.db);
    assert.deepEqual(audited.rows[0]!.details, { from: '2026-02', to: '2026-03', format: 'csv' });
  });

  test('a period that ends before it starts is refused in Dutch', async () => {
    const page = await privacy.get('/beheer/beleidscijfers?van=2026-03&tot=2026-01');
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /De eerste maand moet vóór of gelijk aan de laatste maand liggen\./);
  });

  test('the administrator reaches it from the overview; professionals, coordinators and escalation officers are refused', async () => {
    const adminMember = await createWebAccount(t, { staffMemberId: t.admin.staffMemberId });
    const admin = await signInByInject(t, adminMember);
    assert.match((await admin.get('/beheer')).body, /href="\/beheer\/beleidscijfers"/);
    assert.equal((await admin.get('/beheer/beleidscijfers')).statusCode, 200);
    const professional = await signInByInject(t, await webProfessional(t, await t.organisation()));
    const coordinator = await signInByInject(t, await webProfessional(t, await t.organisation(), { coordinator: true }));
    const officerMember = await t.services.staff.create(t.admin, { name: 'F', email: `f-${randomUUID()}@gemeente.example`, roles: ['escalation_officer'] });
    const officer = await signInByInject(t, await createWebAccount(t, { staffMemberId: officerMember.id }));
    for (const web of [professional, coordinator, officer])
      for (const url of ['/beheer/beleidscijfers', '/beheer/beleidscijfers/export?van=2026-02&tot=2026-03'])
        assert.equal((await web.get(url)).statusCode, 403, url);
  });
});
