import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLayers, importsOf } from './layers.ts';

const tree = (files: Record<string, string>) => new Map(Object.entries(files));

test('imports are found in every form: static, type-only, re-exports and dynamic', () => {
  const text = [
    "import { a } from './a.ts';",
    "import type { B } from '../b/b.ts';",
    "export { c } from './c.ts';",
    "const d = await import('./d.ts');",
    "import fastify from 'fastify';",
  ].join('\n');
  assert.deepEqual(importsOf('src/x/x.ts', text).sort(), ['src/b/b.ts', 'src/x/a.ts', 'src/x/c.ts', 'src/x/d.ts']);
});

test('a domain folder that imports a page, the wiring or the demo breaks the layers', () => {
  for (const target of ['src/web/professional/signal-pages.tsx', 'src/server/services.ts', 'src/demo/seed-demo.ts']) {
    const relative = `../${target.slice('src/'.length)}`;
    const violations = checkLayers(tree({ 'src/signals/signal-service.ts': `import type { X } from '${relative}';`, [target]: '' }));
    assert.equal(violations.length, 1, target);
    assert.match(violations[0]!.rule, /domain folder/);
  }
});

test('a page that imports the database or the audit writer breaks the layers; a service does not', () => {
  const pageOnDb = checkLayers(tree({ 'src/web/municipality/x-pages.tsx': "import type { DB } from '../../db/schema.ts';", 'src/db/schema.ts': '' }));
  assert.equal(pageOnDb.length, 1);
  const pageOnAudit = checkLayers(tree({ 'src/web/x.tsx': "import { createAuditLog } from '../audit/audit-log.ts';", 'src/audit/audit-log.ts': '' }));
  assert.equal(pageOnAudit.length, 1);
  const routeOnDb = checkLayers(tree({ 'src/staff/staff-routes.ts': "import { sql } from '../db/schema.ts';", 'src/db/schema.ts': '' }));
  assert.equal(routeOnDb.length, 1);
  const serviceOnDb = checkLayers(tree({ 'src/staff/staff-service.ts': "import type { DB } from '../db/schema.ts';", 'src/db/schema.ts': '' }));
  assert.deepEqual(serviceOnDb, []);
});

test("the pages of one audience import no other audience's pages", () => {
  const across = checkLayers(tree({ 'src/web/municipality/a.tsx': "import { b } from '../account/b.tsx';", 'src/web/account/b.tsx': '' }));
  assert.equal(across.length, 1);
  const within = checkLayers(tree({ 'src/web/account/a.tsx': "import { b } from './b.tsx';", 'src/web/account/b.tsx': '' }));
  assert.deepEqual(within, []);
  const shell = checkLayers(tree({ 'src/web/account/a.tsx': "import { b } from '../components.tsx';", 'src/web/components.tsx': '' }));
  assert.deepEqual(shell, []);
});

test('the bottom layers and src/api/ import nothing above them', () => {
  assert.equal(checkLayers(tree({ 'src/shared/x.ts': "import '../signals/y.ts';", 'src/signals/y.ts': '' })).length, 1, 'a bare import counts too');
  assert.equal(checkLayers(tree({ 'src/shared/x.ts': "import { y } from '../signals/y.ts';", 'src/signals/y.ts': '' })).length, 1);
  assert.equal(checkLayers(tree({ 'src/api/x.ts': "import { y } from '../signals/y.ts';", 'src/signals/y.ts': '' })).length, 1);
  assert.equal(checkLayers(tree({ 'src/api/x.ts': "import { y } from '../shared/y.ts';", 'src/shared/y.ts': '' })).length, 0);
});

test('a cycle is found, also through type-only imports and tests', () => {
  const violations = checkLayers(
    tree({ 'src/a/a.ts': "import type { B } from '../b/b.ts';", 'src/b/b.ts': "import { c } from './c.ts';", 'src/b/c.ts': "import { a } from '../a/a.ts';" }),
  );
  assert.equal(violations.length, 1);
  assert.match(violations[0]!.rule, /import cycle: src\/a\/a\.ts → src\/b\/b\.ts → src\/b\/c\.ts → src\/a\/a\.ts/);
  assert.deepEqual(checkLayers(tree({ 'src/a/a.ts': "import { b } from './b.ts';", 'src/a/b.ts': '' })), []);
});

test('tests and test support may import anything', () => {
  assert.deepEqual(checkLayers(tree({ 'src/signals/x.test.ts': "import { s } from '../server/services.ts';", 'src/server/services.ts': '' })), []);
});
