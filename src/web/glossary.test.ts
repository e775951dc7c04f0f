/**
 * One word for one thing: the words that docs/glossary.md says not to use appear nowhere in the
 * Dutch that users read — the pages (src/web, with the menu script), and the mail templates. The
 * glossary is the list: this test reads its table, so the doc and the check cannot drift apart.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

type Rule = { use: string; variant: string; pattern: RegExp };

/** The glossary's rows: the word to use (first column) and the words not to use (last column, each in backticks). */
export function rulesFrom(markdown: string): Rule[] {
  const rows = markdown.split('\n').filter((line) => line.startsWith('| **'));
  return rows.flatMap((row) => {
    const cells = row.split('|').map((cell) => cell.trim());
    const use = (/\*\*([^*]+)\*\*/.exec(cells[1] ?? '')?.[1] ?? '').trim();
    const forbidden = [...(cells.at(-2) ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    return forbidden.map((variant) => ({ use, variant, pattern: variantPattern(variant) }));
  });
}

/**
 * A variant as a whole word or phrase (no letter or digit right before or after it); written in lower
 * case it matches with a capital too, written with a capital only as written.
 */
export function variantPattern(variant: string): RegExp {
  const escaped = variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  const first = variant.charAt(0);
  const start = first !== first.toUpperCase() ? `[${first}${first.toUpperCase()}]${escaped.slice(1)}` : escaped;
  return new RegExp(`(?<![\\p{L}\\p{N}])${start}(?![\\p{L}\\p{N}])`, 'u');
}

/** The text of a source file without its comments (the code's own English notes may name a Dutch word to explain it). */
export function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
}

/** Every variant found in a text, with its line. */
export function findVariants(source: string, rules: Rule[]): { line: number; variant: string; use: string }[] {
  const lines = withoutComments(source).split('\n');
  return lines.flatMap((text, index) =>
    rules.filter((rule) => rule.pattern.test(text)).map((rule) => ({ line: index + 1, variant: rule.variant, use: rule.use })),
  );
}

/** The files whose Dutch users read: pages and their script, and the mail templates. */
function userTextFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(file) : [file];
    });
  const notTest = (file: string) => !/\.test\.tsx?$/.test(file);
  const pages = walk('src/web').filter((file) => /\.(tsx?|js)$/.test(file) && notTest(file) && !file.endsWith('sw.js'));
  const mails = walk('src').filter((file) => /(-mails|mail-templates)\.ts$/.test(file) && notTest(file));
  return [...pages, ...mails].sort();
}

const rules = rulesFrom(readFileSync('docs/glossary.md', 'utf8'));

describe('one word for one thing (docs/glossary.md)', () => {
  it('the glossary lists the words not to use', () => {
    assert.ok(rules.length >= 30, `only ${rules.length} variants read from the glossary`);
    for (const variant of ['escalatie', 'Geen webaccount', 'zonder eigen kenmerk', 'leveringen', 'aanmelden'])
      assert.ok(
        rules.some((rule) => rule.variant === variant),
        variant,
      );
  });

  it('finds a variant in a page, with a capital too, but not inside another word or in a comment', () => {
    const page = [
      "const title = 'Escalatie afgerond';",
      '<p>De functionaris is ingeschakeld.</p>',
      "const column = 'Afleveringen'; // not: leveringen",
      '/* escaleren is the old word */',
      "const status = 'Inactief';",
      "const key = 'sessie-inactief';",
      "const link = 'https://example.nl/escalatie';",
    ].join('\n');
    assert.deepEqual(
      findVariants(page, rules).map((found) => `${found.line}: ${found.variant}`),
      ['1: escalatie', '2: ingeschakeld', '5: Inactief', '7: escalatie'],
    );
  });

  it('no page or mail uses a word the glossary says not to use', () => {
    const files = userTextFiles();
    assert.ok(files.some((file) => file.endsWith('mail-templates.ts')) && files.some((file) => file.endsWith('layout.tsx')));
    const found = files.flatMap((file) =>
      findVariants(readFileSync(file, 'utf8'), rules).map((hit) => `${file}:${hit.line}: "${hit.variant}" — use "${hit.use}" (docs/glossary.md)`),
    );
    assert.deepEqual(found, []);
  });
});
