/**
 * Small-cell suppression with complementary suppression, for the figures for policy (covenant
 * privacy rules art. 2.3 and 12.5: figures that identify no one). Pure.
 *
 * A table of counts is published with its row totals, column totals and grand total. Primary: a
 * cell or total of 1 to 4 is hidden (0 is shown: nobody to identify). Complementary: a line (a row with its
 * total, or a column with its total, the totals row and column included) with exactly one hidden
 * entry would give it away by subtraction, so a second entry of that line is hidden too — the
 * smallest shown non-zero cell, else the line's total — until no line has exactly one hidden entry.
 * Then no hidden cell follows from one line's sum. A 0 is never hidden: counts are not negative, so
 * a reader would know a hidden 0 wherever the hidden entries of its row or column must add up to 0
 * (an empty month, say), and could then subtract it away; so every hidden entry is at least 1.
 */

export const SUPPRESS_BELOW = 5;

/** A published table: null where hidden. `cells[r][c]`, `rowTotals[r]`, `columnTotals[c]`, `total`. */
export type SuppressedTable = { cells: (number | null)[][]; rowTotals: (number | null)[]; columnTotals: (number | null)[]; total: number | null };

/** The counts of a table with its totals, and which are hidden. */
export function suppressTable(counts: readonly (readonly number[])[]): SuppressedTable {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  // The full grid: rows × columns of cells, a totals column (index `columns`), a totals row (index `rows`).
  const grid: number[][] = counts.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  const totalsRow = Array.from({ length: columns + 1 }, (_, c) => grid.reduce((sum, row) => sum + row[c]!, 0));
  grid.push(totalsRow);
  // A total of 1 to 4 is as small a group as a cell of 1 to 4: hidden too.
  const hidden = grid.map((row) => row.map((value) => value > 0 && value < SUPPRESS_BELOW));

  // Every line as the positions in it; the last position of each is its total.
  const lines: [number, number][][] = [
    ...Array.from({ length: rows + 1 }, (_, r) => Array.from({ length: columns + 1 }, (_, c) => [r, c] as [number, number])),
    ...Array.from({ length: columns + 1 }, (_, c) => Array.from({ length: rows + 1 }, (_, r) => [r, c] as [number, number])),
  ];
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      const hiddenIn = line.filter(([r, c]) => hidden[r]![c]);
      if (hiddenIn.length !== 1) continue;
      // Never a 0: counts are not negative, so a hidden 0 in a line whose hidden entries must add up to 0 is known anyway.
      const shown = line.slice(0, -1).filter(([r, c]) => !hidden[r]![c] && grid[r]![c]! > 0);
      const pick = shown.sort((a, b) => grid[a[0]]![a[1]]! - grid[b[0]]![b[1]]!)[0] ?? (line.at(-1) as [number, number]);
      hidden[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
  const out = (r: number, c: number) => (hidden[r]![c] ? null : grid[r]![c]!);
  return {
    cells: Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => out(r, c))),
    rowTotals: Array.from({ length: rows }, (_, r) => out(r, columns)),
    columnTotals: Array.from({ length: columns }, (_, c) => out(rows, c)),
    total: out(rows, columns),
  };
}
