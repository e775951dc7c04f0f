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

/** The lists that page; a cursor of one is refused by the others. */
export type CursorList = 'signals' | 'matches' | 'audit-events' | 'deliveries' | 'events';

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
    /** A cursor after a whole number (a bigserial id or sequence). */
    encodeNumber(list: CursorList, value: number): string {
      return encode(list, [value]);
    },
    decodeNumber(list: CursorList, cursor: string, name?: string): number {
      const values = verified(list, cursor);
      const value = values?.[0];
      if (values?.length !== 1 || typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidCursor(name);
      return value;
    },
  };
}
