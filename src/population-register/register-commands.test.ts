/**
 * `sluis register move|death|emigrate|parents|confidential`, as an operator runs it: the real CLI in its own process writes
 * the embedded register's changes file in a temporary data directory; an embedded register opened
 * before (a running SluiS) sees the change at its next use and reports it among the changes of the
 * followed persons. Nothing about the person is printed. The argument rules, every problem at once.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import { TEST_PERSONS } from '../test-support/register.ts';
import { createEmbeddedRegister } from './embedded-register.ts';
import { fictitiousAddressObjectId, parseRegisterCommand } from './register-commands.ts';

const CLI = new URL('../cli.ts', import.meta.url).pathname;
const dataDir = mkdtempSync(path.join(tmpdir(), 'sluis-register-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function sluis(args: string[], register = 'embedded') {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'register', ...args], {
    env: { ...rest, SLUIS_DATA_DIR: dataDir, SLUIS_REGISTER: register },
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('a death and a move written by the CLI reach a register that was already open, at its next use; nothing about the person is printed', async () => {
  const running = createEmbeddedRegister({ changesFile: path.join(dataDir, 'register-changes.json') });
  await running.changes.follow(Bsn.parse(TEST_PERSONS.teun)!);
  await running.changes.follow(Bsn.parse(TEST_PERSONS.wilma)!);

  const death = sluis(['death', TEST_PERSONS.teun, '--datum', '2026-03-10']);
  assert.equal(death.status, 0, death.output);
  assert.match(death.output, /Applied a death on 2026-03-10/);
  const move = sluis([
    'move',
    TEST_PERSONS.wilma,
    '--straat',
    'Dam',
    '--huisnummer',
    '1',
    '--postcode',
    '1012 JS',
    '--woonplaats',
    'Amsterdam',
    '--gemeente',
    '0363',
  ]);
  assert.equal(move.status, 0, move.output);
  assert.match(move.output, /to municipality 0363/);
  for (const output of [death.output, move.output]) assert.doesNotMatch(output, /999999369|999999357|Groot Esselink|Haverkamp/);

  const [teun] = await running.lookup([Bsn.parse(TEST_PERSONS.teun)!]);
  assert.equal(teun?.deceasedOn, '2026-03-10');
  const [wilma] = await running.lookup([Bsn.parse(TEST_PERSONS.wilma)!]);
  assert.equal(wilma?.municipalityCode, '0363');
  assert.equal(wilma?.address?.addressObjectId?.length, 16);
  assert.deepEqual((await running.changes.since('2000-01-01')).map((bsn) => bsn.reveal()).sort(), [TEST_PERSONS.wilma, TEST_PERSONS.teun].sort());

  // A register opened afterwards (a restart) replays the same changes.
  const restarted = createEmbeddedRegister({ changesFile: path.join(dataDir, 'register-changes.json') });
  assert.equal((await restarted.lookup([Bsn.parse(TEST_PERSONS.teun)!]))[0]?.suspension?.reason, 'deceased');
});

test('a change of parents and of confidentiality written by the CLI reach the open register; nothing about the person is printed', async () => {
  const running = createEmbeddedRegister({ changesFile: path.join(dataDir, 'register-changes.json') });
  await running.changes.follow(Bsn.parse(TEST_PERSONS.teun)!);
  const child = '999970100';
  const [before] = await running.lookup([Bsn.parse(child)!]);
  assert.deepEqual(
    before?.parents.map((p) => p.reveal()),
    ['999970094'],
  );
  const recognised = sluis(['parents', child, '999970094', '999970124']);
  assert.equal(recognised.status, 0, recognised.output);
  assert.match(recognised.output, /Applied a change of the registered parents/);
  const [after] = await running.lookup([Bsn.parse(child)!]);
  assert.deepEqual(
    after?.parents.map((p) => p.reveal()),
    ['999970094', '999970124'],
  );
  const none = sluis(['parents', child]);
  assert.equal(none.status, 0, none.output);
  assert.deepEqual((await running.lookup([Bsn.parse(child)!]))[0]?.parents, [], 'no parent left: every link removed');

  const secret = sluis(['confidential', TEST_PERSONS.wilma]);
  assert.equal(secret.status, 0, secret.output);
  assert.equal((await running.lookup([Bsn.parse(TEST_PERSONS.wilma)!]))[0]?.confidential, true);
  const lifted = sluis(['confidential', TEST_PERSONS.wilma, '--geheimhouding', 'nee']);
  assert.equal(lifted.status, 0, lifted.output);
  assert.equal((await running.lookup([Bsn.parse(TEST_PERSONS.wilma)!]))[0]?.confidential, false);
  for (const output of [recognised.output, none.output, secret.output, lifted.output])
    assert.doesNotMatch(output, /999970100|999970094|999970124|999999357|Haverkamp/);
});

test('the arguments of parents and confidential: at most two parents, each a BSN and not the person; ja or nee; no BSN in a problem', () => {
  const parsed = parseRegisterCommand(['parents', TEST_PERSONS.teun, '123', TEST_PERSONS.teun, TEST_PERSONS.johan]);
  assert.ok('problems' in parsed);
  assert.deepEqual(parsed.problems, [
    'Parent 1 must be a BSN (nine digits that pass the 11-test).',
    'Parent 2 is the person themself.',
    'A person has at most two registered parents.',
  ]);
  assert.ok(!parsed.problems.join(' ').includes(TEST_PERSONS.teun));
  const good = parseRegisterCommand(['parents', TEST_PERSONS.teun, TEST_PERSONS.johan, TEST_PERSONS.johan]);
  assert.ok('command' in good && good.command.kind === 'parents');
  assert.deepEqual(
    good.command.parents.map((p) => p.reveal()),
    [TEST_PERSONS.johan],
    'the same parent twice counts once',
  );
  const wrong = parseRegisterCommand(['confidential', TEST_PERSONS.teun, '--geheimhouding', 'misschien']);
  assert.ok('problems' in wrong);
  assert.deepEqual(wrong.problems, ['--geheimhouding must be ja or nee.']);
  const secret = parseRegisterCommand(['confidential', TEST_PERSONS.teun]);
  assert.ok('command' in secret && secret.command.kind === 'confidential' && secret.command.confidential);
});

test('refused without the embedded register, for an unknown BSN, and with wrong arguments, every problem named', () => {
  const other = sluis(['death', TEST_PERSONS.teun], 'none');
  assert.equal(other.status, 2);
  assert.match(other.output, /SLUIS_REGISTER=embedded/);
  const unknown = sluis(['emigrate', TEST_PERSONS.unknown]);
  assert.equal(unknown.status, 1);
  assert.match(unknown.output, /holds no person with this BSN/);
  assert.doesNotMatch(unknown.output, new RegExp(TEST_PERSONS.unknown));

  const parsed = parseRegisterCommand(['move', '123', '--postcode', 'x', '--huisnummer', 'y', '--kleur', 'rood']);
  assert.ok('problems' in parsed);
  assert.deepEqual(parsed.problems, [
    'The second argument must be a BSN (nine digits that pass the 11-test).',
    '--kleur is not an option of "move".',
    '--straat is required.',
    '--woonplaats is required.',
    '--postcode must look like 1234AB.',
    '--huisnummer must be a number.',
  ]);
  assert.ok('problems' in parseRegisterCommand(['death', TEST_PERSONS.teun, '--datum', '2026-02-30']));
  assert.deepEqual(parseRegisterCommand(['marry', TEST_PERSONS.teun]), { problems: ['Say what happened: move, death, emigrate, parents or confidential.'] });
  const id = fictitiousAddressObjectId('0363', { function: 'home', postcode: '1012JS', houseNumber: '1' });
  assert.match(id, /^036301[0-9]{10}$/);
  assert.equal(id, fictitiousAddressObjectId('0363', { function: 'home', postcode: '1012JS', houseNumber: '1' }));
});
