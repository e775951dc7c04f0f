/**
 * SluiS as `sluis start` runs it — the API and the delivery worker in one process — for the
 * notification benchmark: mails go to the benchmark's SMTP server, webhooks to its receiver.
 * Settings come in SLUIS_BENCH_NOTIFY as JSON; it answers 'ready' with its port over IPC and stops
 * on 'stop'. With `worker: false` it only serves the API (to queue a burst before delivering it).
 */
import { openDatabase } from '../src/db/database.ts';
import { createSmtpTransport } from '../src/notifications/mail-transport.ts';
import { createPersonCrypto } from '../src/persons/identity-keys.ts';
import { buildApp } from '../src/server/app.ts';
import { createServices } from '../src/server/services.ts';
import { systemClock } from '../src/shared/clock.ts';

export type NotificationServerSettings = {
  databaseUrl?: string;
  dataDir?: string;
  smtpUrl: string;
  worker: boolean;
  pollMs: number;
  pseudonymKey: string;
  encryptionKey: string;
};

const settings = JSON.parse(process.env.SLUIS_BENCH_NOTIFY ?? '{}') as NotificationServerSettings;
const database = await openDatabase({ databaseUrl: settings.databaseUrl, ...(settings.dataDir && { dataDir: settings.dataDir }), poolSize: 16 });
const mail = createSmtpTransport({ url: settings.smtpUrl, from: 'SluiS <sluis@bench.test>', rejectUnauthorized: false });
const services = createServices({
  db: database.db,
  clock: systemClock,
  publicUrl: 'http://bench.test',
  mail,
  webhookAddresses: { allowedNetworks: ['127.0.0.0/8'] }, // the benchmark's receiver listens on 127.0.0.1
  crypto: createPersonCrypto({ pseudonymKey: Buffer.from(settings.pseudonymKey, 'base64'), encryptionKey: Buffer.from(settings.encryptionKey, 'base64') }),
});
const app = await buildApp({ services, rateLimitPerMinute: 1_000_000_000 });
const worker = settings.worker ? services.deliveryWorker.start({ pollMs: settings.pollMs, log: { error: (o, m) => console.error(m, o) } }) : undefined;
if (worker) services.wakeups.onOutbox(worker.wake);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('No TCP address');

process.on('message', async (message: { type: 'stop' }) => {
  if (message.type !== 'stop') return;
  await worker?.stop();
  await app.close();
  mail.close();
  await database.close();
  process.send?.({ type: 'stopped' });
  process.disconnect?.();
});
process.send?.({ type: 'ready', port: address.port });
