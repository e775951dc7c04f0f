/** For the tests of the figures for policy: what a reader can work out of a published table. */
import type { SuppressedTable } from '../administration/suppression.ts';

/**
 * What a reader can work out from the totals, repeatedly: a hidden cell that is the only hidden entry
 * of its row or column, and every hidden entry of a line whose hidden entries must add up to 0.
 */
export function recoverable(figure: SuppressedTable): Map<string, number> {
  const rows = figure.cells.length;
  const columns = figure.cells[0]?.length ?? 0;
  const grid: (number | null)[][] = [...figure.cells.map((row, r) => [...row, figure.rowTotals[r]!]), [...figure.columnTotals, figure.total]];
  const found = new Map<string, number>();
  for (let changed = true; changed; ) {
    changed = false;
    const lines = [
      ...Array.from({ length: rows + 1 }, (_, r) => Array.from({ length: columns + 1 }, (_, c) => [r, c] as const)),
      ...Array.from({ length: columns + 1 }, (_, c) => Array.from({ length: rows + 1 }, (_, r) => [r, c] as const)),
    ];
    for (const line of lines) {
      const unknown = line.filter(([r, c]) => grid[r]![c] === null);
      const [tr, tc] = line.at(-1)!;
      if (unknown.length > 1 && grid[tr]![tc] !== null && grid[tr]![tc] === line.slice(0, -1).reduce((sum, [x, y]) => sum + (grid[x]![y] ?? 0), 0)) {
        for (const [x, y] of unknown) {
          grid[x]![y] = 0;
          if (x < rows && y < columns) found.set(`${x},${y}`, 0);
        }
        changed = true;
        continue;
      }
      if (unknown.length !== 1) continue;
      const [r, c] = unknown[0]!;
      const known = line.slice(0, -1).reduce((sum, [x, y]) => sum + (grid[x]![y] ?? 0), 0);
      const value = r === tr && c === tc ? known : grid[tr]![tc]! - known;
      grid[r]![c] = value;
      if (r < rows && c < columns) found.set(`${r},${c}`, value);
      changed = true;
    }
  }
  return found;
}
