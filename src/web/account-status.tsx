/**
 * A web account's state as every page shows it: one word (labels.ts, ACCOUNT_STATUS_LABELS) in a
 * badge, and for an invitation whether its link still works, so that whoever manages the account
 * knows when to invite again. And the professional's name as the tables of professionals show it.
 */
import type { WebAccountState } from '../accounts/account-types.ts';
import { formatDate, StatusBadge } from './components.tsx';
import { Fragment, type Html, h } from './html/jsx.ts';
import { ACCOUNT_STATUS_LABELS } from './labels.ts';

export const ACCOUNT_TONES: Record<WebAccountState, 'new' | 'neutral' | 'warning' | 'ok'> = {
  none: 'neutral',
  invited: 'new',
  active: 'ok',
  deactivated: 'warning',
};

/** Whether an invitation's link has expired (an invited account without a usable link). */
export const invitationExpired = (state: WebAccountState, expiresAt: Date | null, now: Date): boolean =>
  state === 'invited' && (expiresAt === null || expiresAt <= now);

export function AccountStatus(props: { state: WebAccountState; invitationExpiresAt: Date | null; now: Date }): Html {
  const { state, invitationExpiresAt, now } = props;
  const badge = <StatusBadge tone={ACCOUNT_TONES[state]}>{ACCOUNT_STATUS_LABELS[state]}</StatusBadge>;
  if (state !== 'invited') return badge;
  return (
    <>
      {badge}
      <br />
      <span class="sluis-muted">
        {invitationExpired(state, invitationExpiresAt, now) ? 'Link verlopen: nodig opnieuw uit' : `Link geldig tot ${formatDate(invitationExpiresAt!)}`}
      </span>
    </>
  );
}

/** A professional in a table of professionals: the name, a badge for a coordinator, the job title under it. */
export function ProfessionalName(props: { name: string; coordinator: boolean; jobTitle: string | null | undefined }): Html {
  return (
    <span>
      <strong>{props.name}</strong>
      {props.coordinator ? (
        <>
          {' '}
          <StatusBadge tone="new">coördinator</StatusBadge>
        </>
      ) : null}
      {props.jobTitle ? (
        <>
          <br />
          {props.jobTitle}
        </>
      ) : null}
    </span>
  );
}
