/**
 * In-process wake-ups, so that a mail leaves right after the change that caused it and a
 * long-polling feed reader hears of a new event at once. Other processes notice by polling.
 */
import { EventEmitter } from 'node:events';

export type Wakeups = ReturnType<typeof createWakeups>;

export function createWakeups() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    /** Something wrote outbox records and committed. */
    outboxWritten: () => emitter.emit('outbox'),
    onOutbox: (listener: () => void) => emitter.on('outbox', listener),
    /** The dispatcher added feed events for these organisations. */
    feedWritten: (organisationIds: string[]) => {
      for (const id of organisationIds) emitter.emit(`feed:${id}`);
    },
    /** Resolves when the organisation's feed gets an event, or after `ms`. */
    waitForFeed(organisationId: string, ms: number): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          emitter.off(`feed:${organisationId}`, done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        emitter.once(`feed:${organisationId}`, done);
      });
    },
  };
}
