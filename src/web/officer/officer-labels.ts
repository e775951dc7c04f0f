/** Dutch words for the escalation officer's pages (states, reasons, outcomes, history). */
import type { CoordinationAction, CoordinationState, EscalationReason, Outcome } from '../../coordination/coordination-rules.ts';
import { COORDINATION_STATE_LABELS, ESCALATION_REASON_LABELS, RESOLUTION_LABELS } from '../labels.ts';

// The states, reasons and outcomes in the same words as the professional's match page (src/web/labels.ts).
export const STATE_LABELS: Record<CoordinationState, string> = COORDINATION_STATE_LABELS;
export const REASON_LABELS: Record<EscalationReason, string> = ESCALATION_REASON_LABELS;

export const STALLED_LABELS: Record<'no_coordinator' | 'no_contact', string> = {
  no_coordinator: 'Nog geen regisseur',
  no_contact: 'Nog niet iedereen heeft contact gelegd',
};

export const OUTCOME_LABELS: Record<Outcome, { label: string; description: string }> = {
  coordinator_appointed: {
    label: RESOLUTION_LABELS.coordinator_appointed,
    description: 'U heeft een regisseur aangewezen, of een van de professionals heeft de regie op zich genomen.',
  },
  contact_restored: { label: RESOLUTION_LABELS.contact_restored, description: 'De professionals hebben elkaar weer gesproken en werken samen verder.' },
  no_coordination_needed: {
    label: RESOLUTION_LABELS.no_coordination_needed,
    description: 'Bijvoorbeeld omdat de hulp bijna is afgerond of één organisatie de hulp alleen geeft.',
  },
  other: { label: RESOLUTION_LABELS.other, description: 'Een andere afloop. Schrijf hier niets over de persoon op; leg het vast in uw eigen dossier.' },
};

export const ACTION_LABELS: Record<CoordinationAction | 'contact_recorded', string> = {
  take: 'Regie genomen',
  propose_handover: 'Overdracht van de regie voorgesteld',
  accept_handover: 'Overdracht aanvaard',
  decline_handover: 'Overdracht afgewezen',
  withdraw_handover: 'Voorstel tot overdracht ingetrokken',
  coordinator_left: 'Regisseur is niet meer betrokken',
  proposed_left: 'Voorgestelde regisseur is niet meer betrokken',
  escalate: 'Opgeschaald naar de functionaris',
  appoint: 'Regisseur aangewezen door de functionaris',
  resolve: 'Opschaling afgesloten',
  contact_recorded: 'Contact gelegd vastgelegd',
};

const lookup = <T>(table: Record<string, T>, key: string | null | undefined): T | undefined => (key ? table[key] : undefined);
export const stateLabel = (state: string) => lookup(STATE_LABELS, state) ?? state;
export const reasonLabel = (reason: string | null) => lookup(REASON_LABELS, reason) ?? reason ?? '';
export const actionLabel = (action: string) => lookup(ACTION_LABELS, action) ?? action;
export const outcomeLabel = (outcome: string | null) => lookup(OUTCOME_LABELS, outcome)?.label ?? outcome ?? '';
/** A history row's category: a reason for an escalation, an outcome for a resolution. */
export const categoryLabel = (action: string, category: string | null) =>
  !category ? null : action === 'resolve' ? outcomeLabel(category) : reasonLabel(category);

/** "2026-03" -> "maart 2026". */
const MONTH = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' });
export const monthLabel = (month: string) => MONTH.format(new Date(`${month}-15T12:00:00Z`));
