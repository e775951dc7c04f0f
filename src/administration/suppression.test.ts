import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SUPPRESS_BELOW, type SuppressedTable, suppressTable } from './suppression.ts';

/**
 * What an attacker learns from the published table by sums alone: repeatedly, any line (row or
 * column with its total) with exactly one unknown gives that unknown by subtraction, and any line
 * whose unknowns must add up to 0 gives them all (counts are not negative: an empty month, say).
 */
function recoverBySums(table: SuppressedTable): (number | null)[][] {
  const rows = table.cells.length;
  const columns = table.cells[0]?.length ?? 0;
  const grid: (number | null)[][] = table.cells.map((row, r) => [...row, table.rowTotals[r]!]);
  grid.push([...table.columnTotals, table.total]);
  const lines: [number, number][][] = [
    ...Array.from({ length: rows + 1 }, (_, r) => Array.from({ length: columns + 1 }, (_, c) => [r, c] as [number, number])),
    ...Array.from({ length: columns + 1 }, (_, c) => Array.from({ length: rows + 1 }, (_, r) => [r, c] as [number, number])),
  ];
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      const unknown = line.filter(([r, c]) => grid[r]![c] === null);
      const [tr0, tc0] = line.at(-1)!;
      if (unknown.length > 1 && grid[tr0]![tc0] !== null) {
        const rest = grid[tr0]![tc0]! - line.slice(0, -1).reduce((sum, [r, c]) => sum + (grid[r]![c] ?? 0), 0);
        if (rest === 0) {
          for (const [r, c] of unknown) grid[r]![c] = 0;
          changed = true;
        }
        continue;
      }
      if (unknown.length !== 1) continue;
      const [ur, uc] = unknown[0]!;
      const parts = line.slice(0, -1);
      const [tr, tc] = line.at(-1)!;
      const value =
        ur === tr && uc === tc
          ? parts.reduce((sum, [r, c]) => sum + grid[r]![c]!, 0)
          : grid[tr]![tc]! - parts.filter(([r, c]) => !(r === ur && c === uc)).reduce((sum, [r, c]) => sum + grid[r]![c]!, 0);
      grid[ur]![uc] = value;
      changed = true;
    }
  }
  return grid.slice(0, rows).map((row) => row.slice(0, columns));
}

test('a cell of 1 to 4 is hidden; 0 and 5 or more are shown; totals shown when they give nothing away', () => {
  const table = suppressTable([
    [10, 0, 7],
    [8, 6, 9],
  ]);
  assert.deepEqual(table.cells, [
    [10, 0, 7],
    [8, 6, 9],
  ]);
  assert.deepEqual(table.rowTotals, [17, 23]);
  assert.deepEqual(table.columnTotals, [18, 6, 16]);
  assert.equal(table.total, 40);
});

test('one small cell: a second cell of its row and of its column is hidden, so the totals do not reveal it', () => {
  const counts = [
    [10, 3, 7],
    [8, 6, 9],
    [12, 11, 5],
  ];
  const table = suppressTable(counts);
  assert.equal(table.cells[0]![1], null);
  assert.ok(table.cells[0]!.filter((v) => v === null).length >= 2, 'another cell in its row');
  assert.ok(table.cells.map((row) => row[1]).filter((v) => v === null).length >= 2, 'another cell in its column');
  const recovered = recoverBySums(table);
  assert.equal(recovered[0]![1], null, 'the attacker cannot compute the 3 from the totals');
});

test('an empty month among others: its zeros are never hidden, so they cannot be subtracted away', () => {
  // The case that found it: a month without any signals, a domain with one.
  const table = suppressTable([
    [0, 0, 0],
    [7, 5, 1],
    [5, 0, 0],
  ]);
  assert.deepEqual(table.cells[0], [0, 0, 0]);
  assert.equal(recoverBySums(table)[1]![2], null, 'the 1 cannot be worked out');
});

test('a total of 1 to 4 is hidden like a cell: two small cells do not add up to a shown small total', () => {
  const table = suppressTable([
    [1, 1, 0],
    [8, 6, 9],
  ]);
  assert.deepEqual(table.cells[0], [null, null, 0]);
  assert.equal(table.rowTotals[0], null);
});

test('a row whose only non-zero cell is small hides its total too', () => {
  const table = suppressTable([
    [0, 2, 0],
    [8, 6, 9],
  ]);
  assert.equal(table.cells[0]![1], null);
  assert.equal(recoverBySums(table)[0]![1], null);
});

test('property: no cell of 1 to 4 is shown, and none is recovered from the totals by subtraction', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 6 })
        .chain((rows) =>
          fc
            .integer({ min: 1, max: 6 })
            .chain((columns) =>
              fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }),
            ),
        ),
      (counts) => {
        const table = suppressTable(counts);
        const recovered = recoverBySums(table);
        for (const [r, row] of counts.entries())
          for (const [c, value] of row.entries()) {
            if (value > 0 && value < SUPPRESS_BELOW) {
              assert.equal(table.cells[r]![c], null);
              assert.equal(recovered[r]![c], null, `cell ${r},${c} (${value}) recovered from ${JSON.stringify(table)}`);
            } else if (table.cells[r]![c] !== null) assert.equal(table.cells[r]![c], value);
          }
        for (const total of [...table.rowTotals, ...table.columnTotals, table.total]) assert.ok(total === null || total === 0 || total >= SUPPRESS_BELOW);
      },
    ),
    { numRuns: 500 },
  );
});
