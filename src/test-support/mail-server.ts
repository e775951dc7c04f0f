/** A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives, parsed. */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { observeMail } from './leak-guard.ts';

export type ReceivedMail = { to: string; subject: string; text: string; html: string; messageId: string; raw: string };

/** `hold`: a mail is answered only after `release()`; `arrived` counts mails received but not yet answered too. */
export async function startMailServer(options: { port?: number; delayMs?: number; hold?: boolean } = {}) {
  const received: ReceivedMail[] = [];
  const held: (() => void)[] = [];
  let arrived = 0;
  let released = false;
  const listeners = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await simpleParser(raw);
        observeMail(
          session.envelope.rcptTo.map((r) => r.address).join(','),
          `${raw}\n${parsed.text ?? ''}\n${typeof parsed.html === 'string' ? parsed.html : ''}`,
        );
        const deliver = () => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            raw,
          });
          for (const listener of listeners) listener();
          callback();
        };
        arrived++;
        for (const listener of listeners) listener();
        if (options.hold && !released) held.push(deliver);
        else if (options.delayMs) setTimeout(deliver, options.delayMs);
        else deliver();
      });
    },
  });
  function waitUntil(counted: () => number, count: number, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (counted() >= count) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`only ${counted()} of ${count} mails arrived`));
      }, ms);
      listeners.add(check);
      check();
    });
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Mails received, answered or still held. */
    arrived: () => arrived,
    /** Answers the held mails, and every later one at once. */
    release() {
      released = true;
      for (const deliver of held.splice(0)) deliver();
    },
    /** Resolves once `count` mails have arrived, answered or not. */
    waitForArrived: (count: number, ms = 10_000) => waitUntil(() => arrived, count, ms),
    /** Resolves once `count` mails have arrived (or rejects after `ms`). */
    waitFor: (count: number, ms = 10_000) => waitUntil(() => received.length, count, ms),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
