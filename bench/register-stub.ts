/**
 * The stub population register (src/test-support/brp-stub-server.ts: the Haal Centraal BRP Personen
 * API over HTTP, every request and answer checked against the RvIG's OpenAPI document) in its own
 * process, so that neither the server under test nor the benchmark shares its event loop. Every
 * answer waits `latencyMs` first, as a register that takes that long. With `synthetic`, it also
 * answers for the re-read's synthetic population (bench/register-population.ts). Settings in
 * SLUIS_BENCH_STUB; over IPC: 'ready' (url, API key), 'stats' (calls, CPU), 'stop'.
 */
import { startBrpStub } from '../src/test-support/brp-stub-server.ts';
import { syntheticGbaPerson } from './register-population.ts';

export type StubSettings = { latencyMs: number; synthetic: boolean };
/** Violations: requests SluiS sent that break the OpenAPI document, and answers of the stub's own that do (a few test persons' names break its name pattern). */
export type StubStats = { personenCalls: number; requestViolations: number; answerViolations: number; cpuUserMs: number; cpuSystemMs: number };
export type StubMessage = { type: 'ready'; url: string; apiKey: string } | { type: 'stats'; stats: StubStats } | { type: 'stopped' };
export type StubRequest = { type: 'stats' } | { type: 'stop' };

const settings = JSON.parse(process.env.SLUIS_BENCH_STUB ?? '{}') as StubSettings;
const send = (message: StubMessage) => process.send?.(message);

const stub = await startBrpStub({ latencyMs: settings.latencyMs, ...(settings.synthetic && { morePersons: syntheticGbaPerson }) });
// The stub keeps every request body for the tests' assertions; a long run needs none of them.
const keepNone = setInterval(() => stub.personenRequests.splice(0), 1000);

process.on('message', async (message: StubRequest) => {
  if (message.type === 'stats') {
    const cpu = process.cpuUsage();
    const requestViolations = stub.violations.filter((violation) => violation.direction === 'request').length;
    const stats: StubStats = {
      personenCalls: stub.calls.personen,
      requestViolations,
      answerViolations: stub.violations.length - requestViolations,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
    };
    send({ type: 'stats', stats });
  } else if (message.type === 'stop') {
    clearInterval(keepNone);
    await stub.close();
    send({ type: 'stopped' });
    process.disconnect?.();
  }
});

send({ type: 'ready', url: stub.url, apiKey: stub.apiKey });
