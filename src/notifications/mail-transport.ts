/**
 * Sending mail: through an SMTP server (nodemailer), or — when none is configured — into the
 * development mailbox table, which administrators read through the API, so that a newcomer sees the
 * demo's mails without a mail server.
 */
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { EmailMessage } from './dispatcher.ts';

export type MailTransport = { kind: 'smtp' | 'dev_mailbox'; send(message: EmailMessage): Promise<void>; close(): void };

export function createSmtpTransport(options: { url: string; from: string; rejectUnauthorized: boolean; timeoutMs?: number }): MailTransport {
  const timeout = options.timeoutMs ?? 15_000;
  const transporter = nodemailer.createTransport({
    url: options.url,
    pool: true, // a few kept-open connections instead of a new one (and its handshake) per mail
    maxConnections: 5,
    tls: { rejectUnauthorized: options.rejectUnauthorized },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    kind: 'smtp',
    async send(message) {
      await transporter.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: { 'X-SluiS-Message': message.messageId },
      });
    },
    close: () => transporter.close(),
  };
}

export function createDevMailboxTransport(deps: { db: Kysely<DB>; clock: Clock }): MailTransport {
  return {
    kind: 'dev_mailbox',
    async send(message) {
      await deps.db
        .insertInto('dev_mailbox')
        .values({
          received_at: deps.clock.now(),
          message_id: message.messageId,
          to_address: message.to,
          subject: message.subject,
          text_body: message.text,
          html_body: message.html,
        })
        .execute();
    },
    close: () => {},
  };
}
