/**
 * A second reporter for `npm test`: at the end, the ten test files that took longest (the sum of
 * their top-level tests' durations), so the suite's 20-minute budget is watched where it is spent.
 */
type TestEvent = { type: string; data: { file?: string; entryFile?: string; nesting?: number; details?: { duration_ms?: number } } };

export default async function* timingReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const perFile = new Map<string, number>();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && (event.data.entryFile ?? event.data.file)) {
      const file = (event.data.entryFile ?? event.data.file ?? '').replace(`${process.cwd()}/`, '');
      perFile.set(file, (perFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const slowest = [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 10);
  if (slowest.length === 0) return;
  yield `\nSlowest test files (sum of their top-level tests):\n${slowest.map(([file, ms]) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`).join('\n')}\n`;
}
