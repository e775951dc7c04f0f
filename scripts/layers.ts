/**
 * The layering rule (docs/architecture.md, "Layers"), run by `npm run lint`: reads every import of
 * every source file (static, dynamic and type-only), resolves relative ones, and fails on an import
 * that goes up a layer or on a file-level import cycle.
 *
 *   src/cli.ts, src/server/, src/demo/   the wiring: may import everything below
 *   src/web/                              pages: domain services and types, api/, shared/; never db/, the audit writer or the wiring
 *   domain folders (signals/, …)          rules, services, queries and API routes: other domain folders, api/, db/, shared/
 *   src/api/                              what API route files use: shared/ only
 *   src/db/, src/shared/                  the bottom: nothing above
 *
 * Tests and test support may import anything, but take part in no cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Violation = { from: string; to: string; rule: string };

const DOMAIN =
  /^src\/(accounts|administration|api-clients|audit|breaches|case-consultations|coordination|covenants|federation|jobs|matches|notifications|organisations|persons|population-register|professionals|rights|settings|signals|staff)\//;
const isTest = (file: string) => /\.test\.tsx?$/.test(file) || file.startsWith('src/test-support/');
const AUDIENCE = /^src\/web\/(account|professional|organisation|municipality|officer|privacy)\//;
const WIRING = /^src\/(server|demo)\/|^src\/cli\.ts$/;

/** The rules, as [name, applies to the importing file, forbidden target]. */
const RULES: [string, (from: string) => boolean, (to: string, from: string) => boolean][] = [
  ['a domain folder imports no pages, wiring or demo', (f) => DOMAIN.test(f), (t) => t.startsWith('src/web/') || WIRING.test(t)],
  [
    'pages call services: no db/, audit writer or wiring',
    (f) => f.startsWith('src/web/'),
    (t) => t.startsWith('src/db/') || t === 'src/audit/audit-log.ts' || WIRING.test(t),
  ],
  [
    'API route files call services: no db/ or audit writer',
    (f) => DOMAIN.test(f) && f.endsWith('-routes.ts'),
    (t) => t.startsWith('src/db/') || t === 'src/audit/audit-log.ts',
  ],
  [
    "the pages of one audience import no other audience's pages (shared ones sit in src/web/ itself)",
    (f) => AUDIENCE.test(f),
    (t, f) => AUDIENCE.test(t) && t.split('/')[2] !== f.split('/')[2],
  ],
  ['src/api/ imports shared/ only', (f) => f.startsWith('src/api/'), (t) => !/^src\/(api|shared)\//.test(t)],
  ['db/ and shared/ import nothing above them', (f) => /^src\/(db|shared)\//.test(f), (t) => !/^src\/(db|shared)\//.test(t)],
];

const IMPORT = /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The relative imports of one file's text, resolved to paths from the repository root. */
export function importsOf(file: string, text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(IMPORT)) found.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1] ?? match[2]!)));
  return [...found];
}

/** Every violation of the layers and every cycle in a map of file → its text. */
export function checkLayers(files: Map<string, string>): Violation[] {
  const graph = new Map([...files].map(([file, text]) => [file, importsOf(file, text).filter((to) => files.has(to))]));
  const violations: Violation[] = [];
  for (const [from, targets] of graph) {
    if (isTest(from)) continue;
    for (const to of targets) for (const [rule, applies, forbidden] of RULES) if (applies(from) && forbidden(to, from)) violations.push({ from, to, rule });
  }
  // Cycles: a depth-first search that reports each back edge once.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, stack: string[]) => {
    state.set(file, 'open');
    for (const to of graph.get(file) ?? []) {
      if (state.get(to) === 'open') violations.push({ from: file, to, rule: `import cycle: ${[...stack.slice(stack.indexOf(to)), file, to].join(' → ')}` });
      else if (!state.has(to)) visit(to, [...stack, file]);
    }
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file, []);
  return violations;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

if (import.meta.main) {
  const files = new Map(sourceFiles('src').map((file) => [file, readFileSync(file, 'utf8')]));
  const violations = checkLayers(files);
  for (const v of violations) console.error(`${v.from} → ${v.to}: ${v.rule}`);
  if (violations.length > 0) {
    console.error(`\n${violations.length} import(s) break the layers (docs/architecture.md, "Layers").`);
    process.exit(1);
  }
  console.log(`Layers: ${files.size} files, no import goes up a layer, no import cycle.`);
}
