/** Number formats of the benchmark report (docs/benchmarks.md); '–' where a figure is missing. */
export const n0 = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '–');
export const n1 = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');
export const n2 = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '–');
export const mark = (ok: boolean) => (ok ? 'met' : '**missed**');

/** The lowest and highest of some figures, or the one figure when they print the same. */
export function range(values: number[], format: (n: number) => string): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return format(low) === format(high) ? format(low) : `${format(low)}–${format(high)}`;
}

/** A markdown table. */
export function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`), ''];
}
