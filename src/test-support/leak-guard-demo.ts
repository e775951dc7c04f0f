/**
 * Leaks on purpose, once through each channel the leak guard watches: run by leak-guard.test.ts in a
 * child test process with the guard loaded, to show that the guard catches each (never part of the suite).
 */
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';
import { createTestDatabase } from './databases.ts';
import { adultSignal, createTestApp, randomBsn } from './fixtures.ts';
import { captureLog } from './log-capture.ts';
import { startMailServer } from './mail-server.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const bsn = randomBsn();

before(async () => {
  database = await createTestDatabase('pglite');
  t = await createTestApp(database);
  // Routes that leak, added before the app is ready (the first request makes it so).
  t.app.get('/leak', async () => ({ bsn }));
  t.app.get('/leak-header', async (_request, reply) => reply.header('x-leak', 'Boer').send({}));
  t.app.get('/api/v1/events-leak', async () => ({ data: { name: 'Boer' } }));
  const organisation = await t.organisation();
  // The guard learns the person from the filing, as it learns every person a test sends.
  await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: organisation.headers, payload: adultSignal(bsn) });
});
after(async () => {
  await t.close();
  await database.drop();
});

test('leaks through the response', async () => {
  await t.app.inject({ method: 'GET', url: '/leak' });
});
test('leaks through the header', async () => {
  await t.app.inject({ method: 'GET', url: '/leak-header' });
});
test('leaks through the feed', async () => {
  await t.app.inject({ method: 'GET', url: '/api/v1/events-leak' });
});
test('leaks through the mail', async () => {
  const server = await startMailServer();
  const transport = nodemailer.createTransport({ url: server.url } as never);
  await transport.sendMail({ from: 'a@example.nl', to: 'b@example.nl', subject: 'Match', text: `Over ${bsn}` });
  await server.waitFor(1);
  await server.close();
});
test('leaks through the webhook', async () => {
  const receiver = await startWebhookReceiver();
  await fetch(receiver.url, { method: 'POST', body: JSON.stringify({ person: 'Jan de Boer' }) });
  await receiver.close();
});
test('leaks through the log', async () => {
  const log = captureLog();
  const { pino } = await import('pino');
  pino(log.logger as never, (log.logger as { stream: NodeJS.WritableStream }).stream).info(`filed on ${bsn}`);
});
