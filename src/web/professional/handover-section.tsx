/**
 * The start page's "Regie aan u voorgesteld": the hand-overs of coordination offered to the
 * professional and not yet answered, newest first, each with the person (from their own signal), who
 * offers it and since when, and a link to the match where they accept or decline. A section of its
 * own, loaded apart from the rest of the start page: the coordination service audits each match
 * shown as a read of its coordination, the signal service each signal whose person is named.
 */

import type { PendingHandover } from '../../coordination/coordination-service.ts';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { Paragraph, TimeText } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import type { PageServices } from '../page-services.ts';
import { personName } from './signal-pages-views.tsx';

/** The start page shows at most this many offers; the match pages have them all. */
const START_HANDOVERS = 10;

export type PendingHandoverCard = PendingHandover & { personName: string };

/** The offers for the start page, with the name of the person each one is about. */
export async function pendingHandoverCards(services: Pick<PageServices, 'coordination' | 'signals'>, actor: ProfessionalActor): Promise<PendingHandoverCard[]> {
  const pending = await services.coordination.pendingHandovers(actor, START_HANDOVERS);
  if (pending.length === 0) return [];
  const own = await services.signals.list(actor, { status: 'active', ids: pending.map((p) => p.signalId), limit: pending.length });
  const person = new Map(own.items.map((s) => [s.id, s.person]));
  return pending.map((p) => ({ ...p, personName: personName(person.get(p.signalId) ?? null) }));
}

/** The section; nothing at all when no hand-over waits for an answer. */
export function PendingHandovers(props: { items: readonly PendingHandoverCard[] }): Html | null {
  if (props.items.length === 0) return null;
  return (
    <section aria-labelledby="regie-voorgesteld" class="sluis-pending-handovers">
      <h2 class="utrecht-heading-2" id="regie-voorgesteld">
        Regie aan u voorgesteld
      </h2>
      <Paragraph>Neem het voorstel aan of wijs het af. Tot dan houdt de huidige regisseur de regie.</Paragraph>
      <ul class="sluis-cards sluis-plain-list">
        {props.items.map((item) => (
          <li class="sluis-card sluis-handover-card">
            <h3 class="utrecht-heading-3">
              <a class="utrecht-link" href={`/matches/${item.matchId}#regie`}>
                {item.personName}
              </a>
            </h3>
            <p class="utrecht-paragraph">
              {item.coordinatorName
                ? `${item.coordinatorName}${item.coordinatorOrganisation ? ` (${item.coordinatorOrganisation})` : ''} wil de regie aan u overdragen`
                : 'De regisseur wil de regie aan u overdragen'}
              , sinds <TimeText at={item.offeredAt} />.
            </p>
            <p class="utrecht-paragraph">
              <a class="utrecht-link" href={`/matches/${item.matchId}#regie`}>
                Aannemen of afwijzen<span class="sluis-visually-hidden"> (regie over {item.personName})</span>
              </a>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
