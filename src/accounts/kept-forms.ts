/**
 * The rules for a form that arrives after its session ended, as plain functions (no I/O): which
 * endings keep it, which fields are never kept, which forms are never kept at all, and which page a
 * kept form goes back to. The service that stores and restores it is kept-form-service.ts; why this
 * is safe is in docs/web.md ("A form after the session ended").
 */
import type { WebSessionEndReason } from '../db/schema.ts';

export type { WebSessionEndReason };

/** How long a kept form waits for its account to sign in again. */
export const KEPT_FORM_MINUTES = 30;

/**
 * Endings after which the same person is expected back: the idle or absolute timeout, "overal
 * uitloggen" on another device, a new password. Not after signing out here (the browser dropped the
 * cookie), a deactivated account (it cannot sign in) or a second factor reset by a colleague (done
 * because the device may be in other hands).
 */
export const RECOVERABLE_ENDINGS: readonly WebSessionEndReason[] = ['idle', 'expired', 'signed_out_everywhere', 'password_changed'];

export const isRecoverableEnding = (reason: WebSessionEndReason | null): boolean => reason !== null && RECOVERABLE_ENDINGS.includes(reason);

/** Forms whose content is never kept: signing in and out, passwords, the set-up, the keep-alive. */
const NEVER_KEPT = /^\/(inloggen|uitloggen|wachtwoord|inrichten|sessie)(\/|$)/;
export const isKeepableAction = (action: string): boolean => !NEVER_KEPT.test(action);

/**
 * Fields never kept: anything internal (the CSRF token `_csrf`, `_pagina`), and passwords, codes,
 * secrets and links, whatever form they are in. Matched on the field's name, case-insensitively.
 */
const NEVER_KEPT_FIELD = /^_|wachtwoord|password|^(code|herstelcode|totp|token|geheim|secret|link)$/i;
export const isKeptField = (name: string): boolean => !NEVER_KEPT_FIELD.test(name);

export type KeptFields = Record<string, string | string[]>;

/** A kept form as a page gets it back: where it posted to, and its fields. */
export type KeptForm = { action: string; fields: KeptFields };

const MAX_FIELDS = 100;
const MAX_VALUE = 10_000;

/** The fields of a posted form that may be kept; undefined when the body is not a plain form. */
export function keptFields(body: unknown): KeptFields | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const kept: KeptFields = {};
  let count = 0;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (!isKeptField(name) || name.length > 100) continue;
    if (++count > MAX_FIELDS) return undefined;
    if (typeof value === 'string') kept[name] = value.slice(0, MAX_VALUE);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) kept[name] = value.slice(0, MAX_FIELDS).map((v) => v.slice(0, MAX_VALUE));
  }
  return kept;
}

const SEGMENT = /^([a-z][a-z-]*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A path made of page words and opaque ids only (never something typed), on this site. */
export const isPagePath = (path: string): boolean =>
  path === '/' ||
  (path.startsWith('/') &&
    path.length <= 200 &&
    path
      .split('/')
      .slice(1)
      .every((segment) => SEGMENT.test(segment)));

/** Whether a concrete path fits a route pattern such as /matches/:id. */
export function fitsRoute(path: string, pattern: string): boolean {
  const a = path.split('/');
  const b = pattern.split('/');
  return a.length === b.length && b.every((segment, i) => (segment.startsWith(':') ? a[i] !== '' : segment === a[i]));
}

/**
 * The page a form goes back to: the page it says it was on (`_pagina`, for a form on another page
 * than its action's), when that is a page; otherwise the action's own path or, walking up, the
 * nearest page above it (/organisatie/koppelingen/sleutels/<id>/intrekken → /organisatie/koppelingen).
 */
export function formPage(action: string, statedPage: string, isPage: (path: string) => boolean): string | undefined {
  if (statedPage && isPagePath(statedPage) && isPage(statedPage)) return statedPage;
  if (!isPagePath(action)) return undefined;
  for (let path = action; path.length > 1; path = path.slice(0, path.lastIndexOf('/')) || '/') {
    if (isPage(path)) return path;
  }
  return undefined;
}
