/** The covenant lifecycle as a table of allowed transitions. Only 'active' (once started) lets an organisation work. */
import type { CovenantStatus } from '../db/schema.ts';

export type { CovenantStatus } from '../db/schema.ts';

export type CovenantAction = 'suspend' | 'resume' | 'end';

const TRANSITIONS: Record<CovenantAction, { from: CovenantStatus[]; to: CovenantStatus }> = {
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  end: { from: ['active', 'suspended'], to: 'ended' },
};

/** The status after `action`, or undefined when the action is not allowed from `from`. */
export function covenantTransition(from: CovenantStatus, action: CovenantAction): CovenantStatus | undefined {
  const rule = TRANSITIONS[action];
  return rule.from.includes(from) ? rule.to : undefined;
}
