/**
 * A region's side of the federation (docs/federation.md): what the delivery worker does with the
 * outbox's records for the hub — register (the OPRF exchange with the pseudonymisation service,
 * then the hub), deregister, send this region's contact details of a cross-region match — and
 * fetching the hub's events, which make, feed and end the region's cross-region matches.
 *
 * Every call is signed (request-signing.ts). A failure throws, without person data in the message,
 * so the delivery is retried with back-off; the hub is idempotent by reference, so a retry after an
 * answer that got lost registers nothing twice. The BSN is decrypted here, in memory, only to blind
 * it: it never leaves the region, and neither does the person key.
 */
import { randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { queueContactsForHub } from '../matches/match-membership.ts';
import { selectParticipants } from '../matches/participants.ts';
import { Bsn } from '../persons/bsn.ts';
import { lockPerson } from '../persons/person-lock.ts';
import type { Clock } from '../shared/clock.ts';
import type { HubEvent, RelayedContact } from './federation-schema.ts';
import { blindInput, bsnInput } from './pseudonym-protocol.ts';
import { importSigningKey, signRequest } from './request-signing.ts';

export type RegionFederationOptions = {
  id: string;
  hubUrl: string;
  pseudonymiserUrl: string;
  hubId: string;
  pseudonymiserId: string;
  signingKey: string;
  signingKeyId: string;
  /** How often the hub's events are fetched (0: at every worker round, for tests). */
  pollMs: number;
  /** How long a call to the hub or the service may take. */
  timeoutMs?: number;
};

/** What a delivery over the channel 'federation' carries (the dispatcher writes it): ids only. */
export type HubMessage =
  | { type: 'federation.register'; reference: string }
  | { type: 'federation.deregister'; reference: string }
  | { type: 'federation.contacts'; matchId: string; hubMatch: string }
  | { type: 'federation.move'; reference: string; move: string; municipality: string };

export class HubCallFailed extends Error {
  override name = 'HubCallFailed';
}

const SYSTEM = { kind: 'system' as const, requestId: null };

export type RegionFederation = ReturnType<typeof createRegionFederation>;

/** Writes (or, when the federation is off, deletes) this region's row: the filing function registers only while it is there. */
export async function recordFederationRegion(db: Kysely<DB>, region: string | undefined): Promise<void> {
  if (!region) {
    await db.deleteFrom('federation_region').execute();
    return;
  }
  await db
    .insertInto('federation_region')
    .values({ region })
    .onConflict((c) => c.column('id').doUpdateSet({ region }))
    .execute();
}

export function createRegionFederation(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  decryptBsn: (ciphertext: Uint8Array) => string;
  options: RegionFederationOptions;
  fetch?: typeof fetch;
}) {
  const { db, clock, audit, options } = deps;
  const key = importSigningKey(options.id, options.signingKeyId, options.signingKey);
  const send = deps.fetch ?? fetch;
  let lastPoll = Number.NEGATIVE_INFINITY;

  /** One signed call; the answer's status and JSON body. Refusals and transport errors throw without person data. */
  async function call(to: 'hub' | 'pseudonymiser', method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) {
    const base = to === 'hub' ? options.hubUrl : options.pseudonymiserUrl;
    const receiver = to === 'hub' ? options.hubId : options.pseudonymiserId;
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers = signRequest(key, receiver, { method, path, body: payload }, clock.now());
    let response: Response;
    try {
      response = await send(`${base}${path}`, {
        method,
        headers: { ...headers, ...(payload && { 'content-type': 'application/json' }) },
        ...(payload && { body: payload }),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new HubCallFailed(`The ${to === 'hub' ? 'hub' : 'pseudonymisation service'} could not be reached (${(error as Error).name})`);
    }
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  const refused = (to: string, status: number) => new HubCallFailed(`The ${to} answered HTTP ${status}`);

  async function register(reference: string): Promise<void> {
    const row = await db
      .selectFrom('federation_registrations as r')
      .innerJoin('persons as p', 'p.person_key', 'r.person_key')
      .select(['r.person_key', 'p.bsn_ciphertext'])
      .where('r.reference', '=', reference)
      .executeTakeFirst();
    // Deregistered (or purged) before the hub could be told: nothing to register; the deregistration follows.
    if (!row?.bsn_ciphertext) return;
    const bsn = Bsn.parse(deps.decryptBsn(row.bsn_ciphertext));
    if (!bsn) throw new HubCallFailed('The stored BSN does not open');
    const { blind, blinded } = blindInput(bsnInput(bsn));
    const nonce = randomBytes(16).toString('base64url');
    const evaluated = await call('pseudonymiser', 'POST', '/federation/v1/evaluations', { blinded: base64url.encode(blinded), nonce });
    if (evaluated.status !== 200) throw refused('pseudonymisation service', evaluated.status);
    const answer = await call('hub', 'PUT', `/federation/v1/registrations/${reference}`, {
      token: evaluated.json.token,
      blind: base64url.encode(blind),
      nonce,
    });
    if (answer.status !== 200) throw refused('hub', answer.status);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const confirmed = await trx
        .updateTable('federation_registrations')
        .set({ registered_at: now })
        .where('reference', '=', reference)
        .where('registered_at', 'is', null)
        .returning('person_key')
        .executeTakeFirst();
      if (confirmed) await audit.record(trx, now, { type: 'federation.registered', actor: SYSTEM, subjectKey: confirmed.person_key });
    });
  }

  async function deregister(reference: string): Promise<void> {
    const answer = await call('hub', 'DELETE', `/federation/v1/registrations/${reference}`);
    if (answer.status !== 204) throw refused('hub', answer.status);
    await audit.record(db, clock.now(), { type: 'federation.deregistered', actor: SYSTEM });
  }

  /** This region's professionals of the match now (the same fields a match shows; never person data). */
  async function sendContacts(matchId: string, hubMatch: string): Promise<void> {
    const open = await db.selectFrom('matches').select('id').where('id', '=', matchId).where('status', '=', 'open').executeTakeFirst();
    if (!open) return; // ended meanwhile: nothing to relay
    const participants = await selectParticipants(db).where('pd.match_id', '=', matchId).execute();
    const contacts: RelayedContact[] = participants.map((p) => ({
      name: p.professionalName,
      jobTitle: p.jobTitle || null,
      organisation: p.organisationName,
      phone: p.phone || null,
      email: p.email || null,
    }));
    const answer = await call('hub', 'PUT', `/federation/v1/matches/${hubMatch}/contacts`, { contacts });
    // 404: the hub's match has ended; the match_ended event follows.
    if (answer.status !== 204 && answer.status !== 404) throw refused('hub', answer.status);
    if (answer.status === 204)
      await audit.record(db, clock.now(), {
        type: 'federation.contacts_sent',
        actor: SYSTEM,
        resource: { type: 'match', id: matchId },
        details: { count: contacts.length },
      });
  }

  /**
   * A registered person moved to a municipality this region has no contact for: the hub routes it by
   * its table. With it go the contact details of the professionals with an active signal on the
   * person now (the fields a match shows; never person data). Deregistered since: nothing to send.
   */
  async function sendMove(reference: string, move: string, municipality: string): Promise<void> {
    const registration = await db.selectFrom('federation_registrations').select('person_key').where('reference', '=', reference).executeTakeFirst();
    if (!registration) return;
    const rows = await db
      .selectFrom('signals as s')
      .innerJoin('professionals as p', 'p.id', 's.professional_id')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select(['p.name', 'p.job_title', 'o.name as organisation', 'p.phone', 'p.email'])
      .where('s.person_key', '=', registration.person_key)
      .where('s.status', '=', 'active')
      .orderBy('s.filed_at')
      .orderBy('s.id')
      .execute();
    const contacts: RelayedContact[] = rows.map((r) => ({
      name: r.name,
      jobTitle: r.job_title || null,
      organisation: r.organisation,
      phone: r.phone || null,
      email: r.email || null,
    }));
    const answer = await call('hub', 'POST', `/federation/v1/registrations/${reference}/moves`, { move, municipality, contacts });
    // 404: the hub no longer holds the registration (a deregistration went first): nothing to route.
    if (answer.status !== 202 && answer.status !== 404) throw refused('hub', answer.status);
  }

  /** The person registered under this region's reference, or undefined (deregistered since). */
  const personOf = async (trx: Kysely<DB>, reference: string) =>
    (await trx.selectFrom('federation_registrations').select('person_key').where('reference', '=', reference).executeTakeFirst())?.person_key;

  /** Another region holds the person: make the cross-region match (or update its regions), and send this region's contacts. */
  async function onMatch(trx: Kysely<DB>, event: Extract<HubEvent, { type: 'match' }>, now: Date) {
    const personKey = await personOf(trx, event.reference);
    if (!personKey) return;
    await lockPerson(trx, personKey);
    const known = await trx.selectFrom('federation_matches').select('match_id').where('hub_match', '=', event.match).executeTakeFirst();
    if (known) {
      await trx.updateTable('federation_matches').set({ regions: event.regions }).where('hub_match', '=', event.match).execute();
      return;
    }
    const restricted = await trx.selectFrom('persons').select('restricted_at').where('person_key', '=', personKey).executeTakeFirst();
    if (!restricted || restricted.restricted_at) return; // a restricted person gets no new matches
    const signals = await trx
      .selectFrom('signals')
      .select(['id', 'organisation_id'])
      .where('person_key', '=', personKey)
      .where('status', '=', 'active')
      .orderBy('filed_at')
      .orderBy('id')
      .execute();
    if (signals.length === 0) return; // the deregistration is on its way
    // A cross-region match the hub ended and made anew (another hub match id): the old one closes.
    await trx
      .updateTable('matches')
      .set({ status: 'closed', closed_at: now })
      .where('person_key', '=', personKey)
      .where('kind', '=', 'cross_region')
      .where('status', '=', 'open')
      .execute();
    const match = await trx
      .insertInto('matches')
      .values({ person_key: personKey, kind: 'cross_region', status: 'open', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('match_participants')
      .values(signals.map((s) => ({ match_id: match.id, signal_id: s.id, person_key: personKey, kind: 'cross_region' as const, joined_at: now })))
      .execute();
    await trx.insertInto('federation_matches').values({ match_id: match.id, hub_match: event.match, regions: event.regions }).execute();
    await audit.record(
      trx,
      now,
      signals.map((s) => ({
        type: 'federation.match_received' as const,
        actor: SYSTEM,
        organisationId: s.organisation_id,
        subjectKey: personKey,
        resource: { type: 'match' as const, id: match.id },
        details: { signalId: s.id, matchKind: 'cross_region' },
      })),
    );
    await queueContactsForHub(trx, match.id, now);
  }

  /** The active participants of a match here, in filing order. */
  const participantsOf = (trx: Kysely<DB>, matchId: string) =>
    trx
      .selectFrom('match_participants as mp')
      .innerJoin('signals as s', 's.id', 'mp.signal_id')
      .select(['s.id', 's.professional_id', 's.organisation_id', 's.person_key'])
      .where('mp.match_id', '=', matchId)
      .where('mp.left_at', 'is', null)
      .orderBy('s.filed_at')
      .orderBy('s.id')
      .execute();

  /** A match event to each of the participants (the usual outbox records: mail, feed, webhooks), as for a match within the region. */
  async function tell(
    trx: Kysely<DB>,
    participants: Awaited<ReturnType<typeof participantsOf>>,
    type: 'match.created' | 'match.participant_joined' | 'match.participant_left',
    payload: { matchId: string; matchEnded?: true },
    now: Date,
  ) {
    if (participants.length === 0) return;
    await trx
      .insertInto('outbox')
      .values(
        participants.map((s) => ({
          created_at: now,
          event_type: type,
          recipient_professional_id: s.professional_id,
          organisation_id: s.organisation_id,
          payload: JSON.stringify({ ...payload, signalId: s.id, matchKind: 'cross_region' }),
        })),
      )
      .execute();
  }

  /**
   * Another region's contact details: kept for the match page, the API and the mails. The first to
   * arrive for a match tells this region's professionals of the match (`match.created`: then the mail
   * can name someone to call); later ones tell them when someone there joined or left
   * (`match.participant_joined`, else `match.participant_left`), and nothing when they are the same.
   */
  async function onContacts(trx: Kysely<DB>, event: Extract<HubEvent, { type: 'contacts' }>, now: Date) {
    const match = await trx
      .selectFrom('federation_matches as f')
      .innerJoin('matches as m', 'm.id', 'f.match_id')
      .select(['m.id', 'm.status'])
      .where('f.hub_match', '=', event.match)
      .executeTakeFirst();
    if (match?.status !== 'open') return;
    const before = await trx.selectFrom('federation_match_contacts').select(['region', 'contacts']).where('hub_match', '=', event.match).execute();
    const first = before.length === 0;
    const previous = before.find((row) => row.region === event.region)?.contacts;
    const keys = (contacts: unknown) =>
      new Set(
        ((typeof contacts === 'string' ? JSON.parse(contacts) : (contacts ?? [])) as RelayedContact[]).map((c) =>
          JSON.stringify([c.name, c.organisation, c.jobTitle, c.phone, c.email]),
        ),
      );
    const [was, current] = [keys(previous), keys(event.contacts)];
    const joined = [...current].some((k) => !was.has(k));
    const left = [...was].some((k) => !current.has(k));
    await trx
      .insertInto('federation_match_contacts')
      .values({ hub_match: event.match, region: event.region, contacts: JSON.stringify(event.contacts), received_at: now })
      .onConflict((c) => c.columns(['hub_match', 'region']).doUpdateSet({ contacts: JSON.stringify(event.contacts), received_at: now }))
      .execute();
    const participants = await participantsOf(trx, match.id);
    await audit.record(trx, now, {
      type: 'federation.contacts_received',
      actor: SYSTEM,
      subjectKey: participants[0]?.person_key ?? null,
      resource: { type: 'match', id: match.id },
      details: { count: event.contacts.length },
    });
    if (first) await tell(trx, participants, 'match.created', { matchId: match.id }, now);
    else if (joined) await tell(trx, participants, 'match.participant_joined', { matchId: match.id }, now);
    else if (left) await tell(trx, participants, 'match.participant_left', { matchId: match.id }, now);
  }

  /** No other region holds the person any more: the cross-region match closes, the relayed contacts go, and its participants are told. */
  async function onMatchEnded(trx: Kysely<DB>, event: Extract<HubEvent, { type: 'match_ended' }>, now: Date) {
    const match = await trx
      .selectFrom('federation_matches as f')
      .innerJoin('matches as m', 'm.id', 'f.match_id')
      .select(['m.id', 'm.person_key'])
      .where('f.hub_match', '=', event.match)
      .executeTakeFirst();
    await trx.deleteFrom('federation_match_contacts').where('hub_match', '=', event.match).execute();
    if (!match) return;
    await lockPerson(trx, match.person_key);
    const closed = await trx
      .updateTable('matches')
      .set({ status: 'closed', closed_at: now })
      .where('id', '=', match.id)
      .where('status', '=', 'open')
      .returning('id')
      .executeTakeFirst();
    if (!closed) return;
    const participants = await participantsOf(trx, match.id);
    await trx.updateTable('match_participants').set({ left_at: now }).where('match_id', '=', match.id).where('left_at', 'is', null).execute();
    await audit.record(trx, now, { type: 'federation.match_ended', actor: SYSTEM, subjectKey: match.person_key, resource: { type: 'match', id: match.id } });
    await tell(trx, participants, 'match.participant_left', { matchId: match.id, matchEnded: true }, now);
  }

  /** A person registered in another region moved into one of this region's municipalities: kept, and mailed to the municipality's contact (the dispatcher). */
  async function onMove(trx: Kysely<DB>, event: Extract<HubEvent, { type: 'move' }>, now: Date) {
    const kept = await trx
      .insertInto('federation_moves')
      .values({ id: event.move, from_region: event.region, municipality_code: event.municipality, contacts: JSON.stringify(event.contacts), received_at: now })
      .onConflict((c) => c.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!kept) return;
    await trx
      .insertInto('outbox')
      .values({
        created_at: now,
        event_type: 'federation.move_received',
        recipient_professional_id: null,
        organisation_id: null,
        payload: JSON.stringify({ move: event.move }),
      })
      .execute();
  }

  /** Fetches and handles the hub's events after the remembered cursor, each in its own transaction with the cursor. */
  async function fetchEvents(): Promise<number> {
    let handled = 0;
    for (;;) {
      const region = await db.selectFrom('federation_region').select('events_after').executeTakeFirst();
      if (!region) return handled;
      const after = Number(region.events_after);
      const answer = await call('hub', 'GET', `/federation/v1/events?after=${after}`);
      if (answer.status !== 200) throw refused('hub', answer.status);
      const events = answer.json.events as { seq: number; event: HubEvent }[];
      if (events.length === 0) return handled;
      for (const { seq, event } of events) {
        await db.transaction().execute(async (trx) => {
          // Under the row's lock: two workers never handle one event twice.
          const cursor = await sql<{ events_after: string | number }>`select events_after from federation_region for update`.execute(trx);
          if (Number(cursor.rows[0]?.events_after ?? 0) >= seq) return;
          const now = clock.now();
          if (event.type === 'match') await onMatch(trx, event, now);
          else if (event.type === 'contacts') await onContacts(trx, event, now);
          else if (event.type === 'match_ended') await onMatchEnded(trx, event, now);
          else if (event.type === 'move') await onMove(trx, event, now);
          await trx.updateTable('federation_region').set({ events_after: seq }).execute();
        });
        handled++;
      }
    }
  }

  return {
    /** A delivery over the channel 'federation'; throws to have it retried. */
    async deliver(message: HubMessage): Promise<void> {
      if (message.type === 'federation.register') await register(message.reference);
      else if (message.type === 'federation.deregister') await deregister(message.reference);
      else if (message.type === 'federation.move') await sendMove(message.reference, message.move, message.municipality);
      else await sendContacts(message.matchId, message.hubMatch);
    },
    fetchEvents,
    /** Fetches the hub's events when the poll interval has passed; returns how many were handled. */
    async pollIfDue(): Promise<number> {
      const now = clock.now().getTime();
      if (now - lastPoll < options.pollMs) return 0;
      lastPoll = now;
      return fetchEvents();
    },
  };
}
