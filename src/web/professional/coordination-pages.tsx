/**
 * The professional's coordination forms on the match page (issue 6): taking coordination, handing
 * it over (propose, accept, decline, withdraw), escalating to the municipality's escalation officer
 * with a reason category, and recording "contact gelegd / afgestemd". The section itself is drawn by
 * coordination-view.tsx on GET /matches/:id (signal-pages.tsx).
 *
 * Every handler asks the coordination service first: a professional without an active signal in the
 * match gets the same "Niet gevonden" as for a wrong link, before any form check and without any
 * change. A refusal because the coordination changed meanwhile comes back as a Dutch message on the
 * match page (post/redirect/get), never as an error page.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type CoordinationAction, ESCALATION_REASONS, type EscalationReason } from '../../coordination/coordination-rules.ts';
import type { ProfessionalCoordinationView } from '../../coordination/coordination-service.ts';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { amsterdamDate } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { formatDate } from '../components.tsx';
import { checkDateField, datePartsOf, readDateParts } from '../date-input.ts';
import { h } from '../html/jsx.ts';
import type { PageOptions } from '../page-services.ts';
import { field, notFound, redirect, requireProfessional, restoredForm, sendPage, WebRefusal } from '../web-context.ts';
import { ContactPage, EscalatePage, HandoverPage, UNFIT_REASON_ERRORS } from './coordination-view.tsx';
import { personName } from './signal-pages-views.tsx';

/** The form's `actie` and the service's action, with the flash the match page shows afterwards. */
const ACTIONS: Record<string, { action: CoordinationAction; flash: string }> = {
  nemen: { action: 'take', flash: 'genomen' },
  overdragen: { action: 'propose_handover', flash: 'voorgesteld' },
  aannemen: { action: 'accept_handover', flash: 'aangenomen' },
  afwijzen: { action: 'decline_handover', flash: 'afgewezen' },
  intrekken: { action: 'withdraw_handover', flash: 'ingetrokken' },
  opschalen: { action: 'escalate', flash: 'opgeschaald' },
};

/** The service's refusals, as the flash that explains them on the match page. */
const REFUSAL_FLASHES: Record<string, string> = {
  coordination_state: 'veranderd',
  coordination_standing: 'veranderd',
  coordination_has_coordinator: 'bezet',
  coordination_target: 'doel',
  coordination_reason: 'veranderd',
  coordination_covenant: 'convenant',
  coordination_target_covenant: 'doel-convenant',
};

function idParam(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!isUuid(id)) throw notFound();
  return id.toLowerCase();
}

export async function coordinationPages(app: FastifyInstance, { services }: PageOptions) {
  const { coordination, signals, clock } = services;
  const today = () => amsterdamDate(clock.now());
  const back = (reply: FastifyReply, matchId: string, flash: string) => redirect(reply, `/matches/${matchId}?regie=${flash}#regie`);

  /** The professional's view of the match's coordination (404 for anyone not in it), and the person's name for the page. */
  async function load(request: FastifyRequest): Promise<{ actor: ProfessionalActor; view: ProfessionalCoordinationView; name: () => Promise<string> }> {
    const { actor } = requireProfessional(request);
    const view = await coordination.get(actor, idParam(request));
    return { actor, view, name: async () => personName((await signals.get(actor, view.yourSignalId)).person) };
  }

  app.get('/matches/:id/regie/opschalen', async (request, reply) => {
    const { view, name } = await load(request);
    if (!view.allowed.includes('escalate')) return back(reply, view.matchId, 'veranderd');
    const kept = await restoredForm(request, `/matches/${view.matchId}/regie`);
    const selected = kept && field(kept, 'reden');
    return sendPage(reply, <EscalatePage ctx={request.pageContext} view={view} personName={await name()} {...(selected && { selected })} />);
  });

  app.get('/matches/:id/regie/overdragen', async (request, reply) => {
    const { view, name } = await load(request);
    if (!view.allowed.includes('propose_handover')) return back(reply, view.matchId, 'veranderd');
    const kept = await restoredForm(request, `/matches/${view.matchId}/regie`);
    return sendPage(reply, <HandoverPage ctx={request.pageContext} view={view} personName={await name()} selected={kept && field(kept, 'naar')} />);
  });

  app.post('/matches/:id/regie', async (request, reply) => {
    const { actor, view, name } = await load(request);
    const chosen = ACTIONS[field(request.body, 'actie')];
    if (!chosen) throw new WebRefusal(400);
    const input: { action: CoordinationAction; targetSignalId?: string; reason?: EscalationReason } = { action: chosen.action };
    if (chosen.action === 'escalate') {
      const reason = field(request.body, 'reden');
      const known = (ESCALATION_REASONS as readonly string[]).includes(reason);
      if (!known || !view.escalationReasons.includes(reason as EscalationReason)) {
        if (!view.allowed.includes('escalate')) return back(reply, view.matchId, 'veranderd');
        const error = known ? UNFIT_REASON_ERRORS[reason as EscalationReason] : 'Kies waarom u opschaalt.';
        return sendPage(reply, <EscalatePage ctx={request.pageContext} view={view} personName={await name()} error={error} />, 422);
      }
      input.reason = reason as EscalationReason;
    }
    if (chosen.action === 'propose_handover') {
      const target = field(request.body, 'naar');
      const chosenParticipant = view.participants.find((p) => p.signalId === target && p.signalId !== view.coordinatorSignalId);
      if (!chosenParticipant?.mayCoordinate) {
        if (!view.allowed.includes('propose_handover')) return back(reply, view.matchId, 'veranderd');
        const error = chosenParticipant
          ? 'Deze professional werkt bij een organisatie die volgens het convenant alleen signaleert. Kies een andere betrokkene.'
          : target
            ? 'Deze professional is niet (meer) bij de match betrokken. Kies een andere betrokkene.'
            : 'Kies aan wie u de regie wilt overdragen.';
        return sendPage(reply, <HandoverPage ctx={request.pageContext} view={view} personName={await name()} error={error} />, 422);
      }
      input.targetSignalId = target;
    }
    try {
      await coordination.act(actor, view.matchId, input);
    } catch (error) {
      // The match changed since the page was drawn, and the reason no longer fits: the form again, with the reasons that fit now.
      if (error instanceof Problem && error.code === 'coordination_reason_unfit' && input.reason) {
        const now = await coordination.get(actor, view.matchId);
        if (!now.allowed.includes('escalate')) return back(reply, view.matchId, 'veranderd');
        return sendPage(reply, <EscalatePage ctx={request.pageContext} view={now} personName={await name()} error={UNFIT_REASON_ERRORS[input.reason]} />, 409);
      }
      const flash = error instanceof Problem && (error.status === 403 || error.status === 409) ? REFUSAL_FLASHES[error.code] : undefined;
      if (!flash) throw error;
      return back(reply, view.matchId, flash);
    }
    return back(reply, view.matchId, chosen.flash);
  });

  app.get('/matches/:id/contact', async (request, reply) => {
    const { view, name } = await load(request);
    const mine = view.participants.find((p) => p.signalId === view.yourSignalId);
    const kept = await restoredForm(request, `/matches/${view.matchId}/contact`);
    const value = kept ? readDateParts(kept, 'datum') : datePartsOf(mine?.contactedOn ?? today());
    return sendPage(reply, <ContactPage ctx={request.pageContext} view={view} personName={await name()} value={value} today={today()} />);
  });

  app.post('/matches/:id/contact', async (request, reply) => {
    const { actor, view, name } = await load(request);
    const range = `Kies een datum tussen ${formatDate(view.matchCreatedAt)} (de match) en vandaag.`;
    const typed = checkDateField(request.body, 'datum', { what: 'de datum van het contact', example: today(), empty: 'Vul de datum in waarop u contact had.' });
    const date = typed.date ?? '';
    let error = typed.error ?? (date > today() || date < amsterdamDate(view.matchCreatedAt) ? range : undefined);
    if (!error) {
      try {
        await coordination.recordContact(actor, view.matchId, date);
        return back(reply, view.matchId, 'contact');
      } catch (problem) {
        if (!(problem instanceof Problem) || problem.code !== 'contact_date_invalid') throw problem;
        error = range;
      }
    }
    return sendPage(
      reply,
      <ContactPage ctx={request.pageContext} view={view} personName={await name()} value={typed.parts} today={today()} error={error} />,
      422,
    );
  });
}
