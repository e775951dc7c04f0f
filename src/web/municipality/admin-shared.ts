/** Small helpers shared by the administrator's pages. */
import type { FastifyRequest } from 'fastify';
import { staffActor } from '../../accounts/web-user.ts';
import type { StaffActor } from '../../shared/actor.ts';
import type { PageOptions } from '../page-services.ts';
import { forbidden, requireUser } from '../web-context.ts';

export type AdminOptions = PageOptions;

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A whole number from a form field within [min, max], or undefined. */
export function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,6}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** The date after an ISO date ('2026-03-10' -> '2026-03-11'). */
export function nextIsoDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** All values of a (possibly repeated) form field. */
export function fieldValues(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
}

/**
 * The accountability pages (data breaches, processing register, figures for policy): the
 * municipality's administrators and privacy officers; everyone else is refused (403). The services
 * check the same again.
 */
export function requireAccountabilityStaff(request: FastifyRequest): StaffActor {
  const user = requireUser(request);
  if (user.kind !== 'staff' || !(user.roles.includes('municipality_admin') || user.roles.includes('privacy_officer'))) throw forbidden();
  return staffActor(user, request.id);
}
