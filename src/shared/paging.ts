/**
 * Keyset pagination with opaque, tamper-proof cursors. A cursor holds the sort key of the last item
 * of a page and the name of the list it belongs to, signed with HMAC-SHA256 under a key derived from
 * the index's own keys: `<base64url payload>.<base64url tag>`. Anything else — a cursor made by hand,
 * edited, or taken from another list — is refused with a 400 problem before it reaches a query, and
 * the payload is checked again (a real date, a uuid, a whole number) even when the tag is right.
 */
import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import { Problem } from './errors.ts';
import { isUuid } from './ids.ts';

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * How many items the whole list holds, its filters applied. Lists that grow without bound (the audit
 * trail, deliveries, the development mailbox) are counted up to COUNT_CAP, so that counting stays
 * cheap: `totalExact: false` then means "at least this many".
 */
export type Total = { total: number; totalExact: boolean };
/** A page with the size of the whole list: what a person browsing it (a page, a record system) is shown. */
export type CountedPage<T> = Page<T> & Total;

export const COUNT_CAP = 10_000;
export const exactTotal = (count: number): Total => ({ total: count, totalExact: true });
/** The total from a count that stopped after COUNT_CAP + 1 rows. */
export const cappedTotal = (counted: number): Total => (counted > COUNT_CAP ? { total: COUNT_CAP, totalExact: false } : exactTotal(counted));

/** A page by position, as the web pages ask for it: page numbers, `offset` items skipped. */
export type Slice = { limit: number; offset: number };
/** A page by position with the size of the whole list. */
export type Positioned<T> = { items: T[] } & Total;
/** A page of a list that was read whole (a short list, or one ordered in code). */
export const sliceOf = <T>(all: readonly T[], slice: Slice): Positioned<T> => ({
  items: all.slice(slice.offset, slice.offset + slice.limit),
  ...exactTotal(all.length),
});

/** The lists that page; a cursor of one is refused by the others. */
export type CursorList =
  | 'signals'
  | 'signal-search'
  | 'matches'
  | 'audit-events'
  | 'deliveries'
  | 'events'
  | 'dev-mailbox'
  | 'organisations'
  | 'professionals'
  | 'covenants'
  | 'api-clients'
  | 'webhooks'
  | 'escalations'
  | 'case-consultations'
  | 'rights-requests';

const TAG_BYTES = 16;
/** Sort keys are moments SluiS itself wrote: from 1970 to 9999. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

export const invalidCursor = (name = 'cursor') =>
  new Problem(400, 'invalid_cursor', 'Bad request', 'The cursor is not valid; use the nextCursor of a previous page.', [
    { name, code: 'invalid_cursor', reason: 'Not a cursor returned by this API for this list.' },
  ]);

export type Cursors = ReturnType<typeof createCursors>;

export function createCursors(key: KeyObject | Buffer) {
  const tagOf = (list: CursorList, payload: string) => createHmac('sha256', key).update(`${list}\n${payload}`).digest().subarray(0, TAG_BYTES);

  function encode(list: CursorList, values: unknown[]): string {
    const payload = Buffer.from(JSON.stringify(values)).toString('base64url');
    return `${payload}.${tagOf(list, payload).toString('base64url')}`;
  }

  /** The signed values of a cursor of this list, or undefined for anything else. */
  function verified(list: CursorList, cursor: string): unknown[] | undefined {
    const [payload, tag, ...rest] = cursor.split('.');
    if (!payload || !tag || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(payload + tag)) return undefined;
    const given = Buffer.from(tag, 'base64url');
    if (given.length !== TAG_BYTES || !timingSafeEqual(given, tagOf(list, payload))) return undefined;
    try {
      const values: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return Array.isArray(values) ? values : undefined;
    } catch {
      return undefined;
    }
  }

  /** A cursor after a whole number (a bigserial id, a sequence, a position). */
  const encodeNumber = (list: CursorList, value: number): string => encode(list, [value]);
  function decodeNumber(list: CursorList, cursor: string, name?: string): number {
    const values = verified(list, cursor);
    const value = values?.[0];
    if (values?.length !== 1 || typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidCursor(name);
    return value;
  }

  return {
    /** A cursor after (moment, uuid), for lists ordered by a timestamp and an id. */
    encodeAt(list: CursorList, at: Date, id: string): string {
      return encode(list, [at.toISOString(), id]);
    },
    decodeAt(list: CursorList, cursor: string, name?: string): { at: Date; id: string } {
      const values = verified(list, cursor);
      const [at, id] = values ?? [];
      const time = typeof at === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(at) ? Date.parse(at) : Number.NaN;
      if (values?.length !== 2 || !(time >= EARLIEST && time <= LATEST) || typeof id !== 'string' || !isUuid(id)) throw invalidCursor(name);
      return { at: new Date(time), id };
    },
    encodeNumber,
    decodeNumber,
    /**
     * A page of a list paged by position (lists ordered by name, or in code): the cursor holds where
     * the next page starts. The list is read whole by the caller; only short lists page this way.
     */
    pageOfWhole<T>(list: CursorList, all: readonly T[], query: { limit: number; cursor?: string }): CountedPage<T> {
      const offset = query.cursor ? decodeNumber(list, query.cursor) : 0;
      const end = offset + query.limit;
      return { items: all.slice(offset, end), nextCursor: end < all.length ? encodeNumber(list, end) : null, ...exactTotal(all.length) };
    },
  };
}
