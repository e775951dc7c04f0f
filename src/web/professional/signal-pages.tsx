/**
 * The professional's pages: start, filing a signal (and the answer), their signals, one signal,
 * ending it, and a match. URLs hold opaque ids only. A professional reaches a signal or match page
 * only through their own active signal; anything else is the same "Niet gevonden" as a wrong link.
 * Authorisation and audit stay in the services; these handlers are thin.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ageOn, amsterdamDate } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { END_REASONS, type EndReasonInput } from '../../signals/lifetime.ts';
import { h } from '../html/jsx.ts';
import type { PageOptions } from '../page-services.ts';
import { forbidden, notFound, queryParam, redirect, requireProfessional, sendPage } from '../web-context.ts';
import { PendingHandovers, pendingHandoverCards } from './handover-section.tsx';
import { ageAdvice, checkSignalForm, emptySignalForm, type FormErrors, ordered, readSignalForm, translateRuleProblems } from './signal-pages-form.ts';
import { SignalFormPage } from './signal-pages-form-view.tsx';
import { EndSignalPage, MatchPage, SignalPage, SignalsPage, StartPage } from './signal-pages-views.tsx';

/** The start page shows this many of the latest active signals, new matches and signals about to end; the rest is on /signalen. */
const START_SIGNALS = 10;
const START_MATCHES = 20;
const START_EXPIRING = 20;
/** New matches are looked for among at most this many (for the "Nieuw" marks). */
const UNSEEN_LIMIT = 200;

/** The id in the path, or "Niet gevonden" before anything touches the database. */
function idParam(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!isUuid(id)) throw notFound();
  return id.toLowerCase();
}

export async function signalPages(app: FastifyInstance, { services }: PageOptions) {
  const { signals, matches, settings, clock, worklist } = services;
  const today = () => amsterdamDate(clock.now());

  /** One of the professional's own active signals, or "Niet gevonden". */
  async function activeSignal(request: FastifyRequest, id: string) {
    const { actor } = requireProfessional(request);
    const signal = await signals.get(actor, id);
    if (signal.status !== 'active' || !signal.person) throw notFound();
    return signal;
  }

  app.get('/', async (request, reply) => {
    const user = request.pageContext.user;
    if (!user) return redirect(reply, '/inloggen');
    if (user.kind === 'staff') return redirect(reply, '/beheer');
    const { actor } = requireProfessional(request);
    // What a busy day needs first; the full list is on /signalen.
    const { unseen, latest, expiring, fresh, ownInMatches, noticeDays } = await worklist.startPage(actor, {
      signals: START_SIGNALS,
      expiring: START_EXPIRING,
      matches: START_MATCHES,
      unseen: UNSEEN_LIMIT,
    });
    const handovers = await pendingHandoverCards(services, actor);
    return sendPage(
      reply,
      <StartPage
        ctx={request.pageContext}
        name={user.name}
        signals={latest.items}
        moreSignals={latest.nextCursor !== null}
        persons={[...latest.items, ...ownInMatches.items]}
        matches={fresh.items}
        moreMatches={unseen.length > fresh.items.length}
        unseen={new Set(unseen)}
        expiring={expiring.items}
        noticeDays={noticeDays}
        handovers={<PendingHandovers items={handovers} />}
      />,
    );
  });

  app.get('/signalen/nieuw', async (request, reply) => {
    requireProfessional(request);
    const current = await settings.current();
    return sendPage(reply, <SignalFormPage ctx={request.pageContext} values={emptySignalForm(today())} errors={{}} today={today()} regime={current.regime} />);
  });

  app.post('/signalen/nieuw', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const current = await settings.current();
    const date = today();
    const values = readSignalForm(request.body);
    const checked = checkSignalForm(values, date, current.regime);
    // The service's age and date rules (the same ones the API applies), once the form says which basis.
    const ruleProblems =
      checked.dateOfBirth && checked.legalBasis
        ? await signals.ruleProblemsOfUnvalidated({ person: { dateOfBirth: checked.dateOfBirth }, legalBasis: checked.legalBasis })
        : [];
    let errors: FormErrors = ordered(checked.errors, translateRuleProblems(ruleProblems, checked.dateOfBirth, date));
    if (Object.keys(errors).length === 0 && checked.input) {
      try {
        const result = await signals.file(actor, checked.input);
        if (result.outcome !== 'created' && result.outcome !== 'existing') throw forbidden();
        return redirect(reply, `/signalen/${result.answer.signal.id}?${result.outcome === 'created' ? 'nieuw' : 'bestaand'}=1`);
      } catch (error) {
        if (!(error instanceof Problem) || error.status !== 422) throw error;
        errors = ordered(translateRuleProblems(error.invalidParams ?? [], checked.dateOfBirth, date));
      }
    }
    const advice = checked.dateOfBirth && checked.dateOfBirth <= date ? ageAdvice(ageOn(checked.dateOfBirth, date)) : undefined;
    // The BSN goes back only as the input's value, so the professional can correct it; never in text.
    return sendPage(
      reply,
      <SignalFormPage ctx={request.pageContext} values={values} errors={errors} today={date} regime={current.regime} advice={advice} />,
      422,
    );
  });

  app.get('/signalen', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const cursor = queryParam(request, 'verder');
    const [active, inactive, unseen] = await Promise.all([
      signals.list(actor, { status: 'active', limit: 100 }),
      signals.list(actor, { status: 'inactive', limit: 50, ...(cursor && { cursor }) }).catch((error: unknown) => {
        if (error instanceof Problem && error.status < 500) throw notFound();
        throw error;
      }),
      worklist.unseen(actor, UNSEEN_LIMIT).then((ids) => new Set(ids)),
    ]);
    const flash = queryParam(request, 'beeindigd') ? 'beeindigd' : queryParam(request, 'verwijderd') ? 'verwijderd' : undefined;
    return sendPage(
      reply,
      <SignalsPage ctx={request.pageContext} active={active.items} inactive={inactive.items} unseen={unseen} flash={flash} moreHistory={inactive.nextCursor} />,
    );
  });

  app.get('/signalen/:id', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const signal = await activeSignal(request, idParam(request));
    const contacts = signal.matchId ? (await matches.get(actor, signal.matchId)).participants : null;
    const history = await worklist.history(actor, signal.id);
    const flash = queryParam(request, 'nieuw') ? 'nieuw' : queryParam(request, 'bestaand') ? 'bestaand' : undefined;
    return sendPage(reply, <SignalPage ctx={request.pageContext} signal={signal} contacts={contacts} history={history} flash={flash} />);
  });

  app.get('/signalen/:id/beeindigen', async (request, reply) => {
    const signal = await activeSignal(request, idParam(request));
    return sendPage(reply, <EndSignalPage ctx={request.pageContext} signal={signal} />);
  });

  app.post('/signalen/:id/beeindigen', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    const reason = (request.body as Record<string, unknown>).reden;
    if (typeof reason !== 'string' || !(END_REASONS as readonly string[]).includes(reason)) {
      const signal = await activeSignal(request, id);
      return sendPage(reply, <EndSignalPage ctx={request.pageContext} signal={signal} error="Kies waarom u het signaal beëindigt." />, 422);
    }
    try {
      const ended = await signals.end(actor, id, reason as EndReasonInput);
      return redirect(reply, ended ? '/signalen?beeindigd=1' : '/signalen?verwijderd=1');
    } catch (error) {
      // Already ended (409) looks the same as someone else's signal: there is nothing active to end.
      if (error instanceof Problem && error.status === 409) throw notFound();
      throw error;
    }
  });

  app.get('/matches/:id', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const match = await matches.get(actor, idParam(request));
    const contacts = match.participants;
    const [signal, history, coordination] = await Promise.all([
      signals.get(actor, match.yourSignalId),
      worklist.history(actor, match.yourSignalId),
      services.coordination.get(actor, match.id),
    ]);
    return sendPage(
      reply,
      <MatchPage
        ctx={request.pageContext}
        match={match}
        signal={signal}
        contacts={contacts}
        history={history}
        coordination={coordination}
        today={today()}
        flash={queryParam(request, 'regie')}
      />,
    );
  });
}
