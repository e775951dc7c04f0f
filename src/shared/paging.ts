/** Keyset pagination: an opaque cursor that holds the sort key of the last item of a page. */
import { Problem } from './errors.ts';

export type Page<T> = { items: T[]; nextCursor: string | null };

export function encodeCursor(at: Date, id: string | number): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || (typeof id !== 'string' && typeof id !== 'number')) throw new Error('bad cursor');
    return { at: date, id: String(id) };
  } catch {
    throw new Problem(400, 'invalid_cursor', 'Bad request', 'The cursor is not valid; use the nextCursor of a previous page.', [
      { name: 'cursor', code: 'invalid_cursor', reason: 'Not a cursor returned by this API.' },
    ]);
  }
}

/** A cursor over an ascending or descending numeric id. */
export function encodeNumberCursor(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}

export function decodeNumberCursor(cursor: string): number {
  const id = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new Problem(400, 'invalid_cursor', 'Bad request', 'The cursor is not valid; use the nextCursor of a previous page.', [
      { name: 'cursor', code: 'invalid_cursor', reason: 'Not a cursor returned by this API.' },
    ]);
  }
  return id;
}
