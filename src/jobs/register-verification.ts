/**
 * Queued verifications: signals filed while the population register could not answer are verified
 * when it does. Each run takes the due persons (a batch), decrypts their BSNs here on the server (the
 * encrypted copy on the person row), asks the register once for the batch, and under each person's
 * lock stores what it said (person_register). When it still cannot answer, the next try waits longer
 * (exponential backoff, as deliveries do). A BSN the register does not know, or knows as deceased,
 * stays in the queue marked for the administrators' attention (counts on the overview page), and the
 * signal is left as it is: SluiS does not end a professional's signal on its own here. Every answer
 * is audited per person (`person.register_looked_up`, purpose `verification`); nothing about a person
 * goes into a log line.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { matchAddress } from '../matches/address-matching.ts';
import { matchFamilies } from '../matches/family-matching.ts';
import { retryDelayMs } from '../notifications/backoff.ts';
import { Bsn } from '../persons/bsn.ts';
import type { PersonCrypto } from '../persons/identity-keys.ts';
import { lockPerson } from '../persons/person-lock.ts';
import type { PopulationRegister, RegisteredPerson } from '../population-register/population-register.ts';
import { removeAddresses, storedParents, storeRegisterAnswer } from '../population-register/register-records.ts';
import { isRegisteredDeceased } from '../population-register/register-rules.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { SystemActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';

/** The register's batch size for Haal Centraal (20 BSNs a call); the embedded register takes any. */
const BATCH = 20;

export type VerificationRun = { verified: number; attention: number; stillUnavailable: number };

export type RegisterVerification = ReturnType<typeof createRegisterVerification>;

export function createRegisterVerification(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  crypto: PersonCrypto;
  register: PopulationRegister;
  settings: SettingsService;
  /** Told after verifications that may have written outbox records (family matches), so they are delivered at once. */
  onOutbox?: () => void;
  random?: () => number;
}) {
  const { db, clock, audit, crypto, register, settings } = deps;
  const random = deps.random ?? Math.random;
  const actor: SystemActor = { kind: 'system', requestId: null };

  async function settle(personKey: Uint8Array, person: RegisteredPerson | undefined, now: Date): Promise<'verified' | 'attention'> {
    const current = await settings.current();
    return db.transaction().execute(async (trx) => {
      await lockPerson(trx, personKey);
      // Purged since it was queued (the queue row went with the person): nothing to verify.
      const queued = await trx.selectFrom('register_verifications').select('attempts').where('person_key', '=', personKey).executeTakeFirst();
      if (!queued) return 'verified';
      const formerParents = person ? await storedParents(trx, personKey) : undefined;
      await storeRegisterAnswer(trx, crypto, { personKey, person, now });
      if (person?.confidential) await removeAddresses(trx, personKey);
      const attention = !person ? 'unknown' : isRegisteredDeceased(person) ? 'deceased' : undefined;
      if (attention) {
        await trx
          .updateTable('register_verifications')
          .set((eb) => ({ attention, attention_since: now, last_attempt_at: now, attempts: eb('attempts', '+', 1) }))
          .where('person_key', '=', personKey)
          .execute();
      } else {
        await trx.deleteFrom('register_verifications').where('person_key', '=', personKey).execute();
      }
      await audit.record(trx, now, {
        type: 'person.register_looked_up',
        outcome: person ? 'success' : 'not_found',
        actor,
        subjectKey: personKey,
        details: { outcome: attention ?? 'found', purpose: 'verification' },
      });
      // The person's parents and address are known now: the family and address matches follow (the same steps as after filing).
      await matchFamilies(trx, { audit }, { personKey, now, actor, settings: current, formerParents });
      await matchAddress(trx, { audit }, { personKey, now, actor, settings: current });
      return attention ? 'attention' : 'verified';
    });
  }

  async function postpone(due: { person_key: Uint8Array; attempts: number }[], now: Date) {
    await db.transaction().execute(async (trx) => {
      for (const row of due) {
        const attempts = row.attempts + 1;
        await trx
          .updateTable('register_verifications')
          .set({ attempts, last_attempt_at: now, next_attempt_at: new Date(now.getTime() + retryDelayMs(attempts, random())) })
          .where('person_key', '=', row.person_key)
          .where('attention', 'is', null)
          .execute();
      }
      await audit.record(
        trx,
        now,
        due.map((row) => ({
          type: 'person.register_looked_up' as const,
          actor,
          subjectKey: row.person_key,
          details: { outcome: 'unavailable', purpose: 'verification' },
        })),
      );
    });
  }

  return {
    /** Verifies what is due, batch by batch, until nothing is due or the register stops answering. */
    async runDue(): Promise<VerificationRun> {
      const run: VerificationRun = { verified: 0, attention: 0, stillUnavailable: 0 };
      const seen = new Set<string>();
      for (;;) {
        const now = clock.now();
        const due = (
          await db
            .selectFrom('register_verifications as v')
            .innerJoin('persons as p', 'p.person_key', 'v.person_key')
            .select(['v.person_key', 'v.attempts', 'p.bsn_ciphertext'])
            .where('v.attention', 'is', null)
            .where('v.next_attempt_at', '<=', now)
            .orderBy('v.next_attempt_at')
            .limit(BATCH)
            .execute()
        ).filter((row) => !seen.has(Buffer.from(row.person_key).toString('hex')));
        if (due.length === 0) return run;
        for (const row of due) seen.add(Buffer.from(row.person_key).toString('hex'));
        const bsns = due.map((row) => Bsn.parse(crypto.decrypt(row.bsn_ciphertext!))!);
        let found: RegisteredPerson[];
        try {
          found = await register.lookup(bsns);
        } catch {
          await postpone(due, now);
          run.stillUnavailable += due.length;
          return run;
        }
        const byBsn = new Map(found.map((person) => [person.bsn.reveal(), person]));
        for (const [i, row] of due.entries()) {
          const outcome = await settle(row.person_key, byBsn.get(bsns[i]!.reveal()), now);
          if (outcome === 'verified') run.verified++;
          else run.attention++;
        }
        deps.onOutbox?.();
      }
    },
  };
}
