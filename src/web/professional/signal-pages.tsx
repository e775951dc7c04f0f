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
import { pageNumberOf, pageParam, readPage } from '../pager.tsx';
import { field, forbidden, notFound, queryParam, redirect, requireProfessional, restoredForm, sendPage } from '../web-context.ts';
import { StartPageConsultations } from './consultation-views.tsx';
import { PendingHandovers, pendingHandoverCards } from './handover-section.tsx';
import {
  ageAdvice,
  checkSignalForm,
  dateOfBirthOf,
  emptySignalForm,
  type FormErrors,
  ordered,
  readSignalForm,
  translateRuleProblems,
} from './signal-pages-form.ts';
import { SignalFormPage } from './signal-pages-form-view.tsx';
import {
  EMPTY_REFERENCE_SEARCH,
  EndSignalPage,
  MatchPage,
  ReferenceSearchPage,
  type ReferenceSearchValues,
  SignalPage,
  SignalsPage,
  StartPage,
} from './signal-pages-views.tsx';

/** The start page shows this many of the latest active signals, new matches and signals about to end; the rest is on /signalen. */
const START_SIGNALS = 10;
const START_MATCHES = 20;
const START_EXPIRING = 20;
const START_INFORMING = 20;
/** New matches are looked for among at most this many (for the "Nieuw" marks). */
const UNSEEN_LIMIT = 200;

/** What is wrong with a client reference to search for, if anything (a reference has 1 to 100 characters). */
function referenceSearchError(reference: string): string | undefined {
  if (!reference) return 'Vul uw kenmerk in, of het begin ervan.';
  if (reference.length > 100) return 'Een kenmerk heeft hooguit 100 tekens. Vul een korter kenmerk in.';
  return undefined;
}

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
    const { unseen, latest, expiring, counts, fresh, ownInMatches, noticeDays, informing } = await worklist.startPage(actor, {
      signals: START_SIGNALS,
      expiring: START_EXPIRING,
      matches: START_MATCHES,
      unseen: UNSEEN_LIMIT,
      informing: START_INFORMING,
    });
    const handovers = await pendingHandoverCards(services, actor);
    const consultations = await services.caseConsultations.openCounts(actor);
    return sendPage(
      reply,
      <StartPage
        ctx={request.pageContext}
        name={user.name}
        signals={latest.items}
        persons={[...latest.items, ...ownInMatches.items]}
        matches={fresh.items}
        unseenCount={unseen.length}
        unseenLimit={UNSEEN_LIMIT}
        unseen={new Set(unseen)}
        expiring={expiring.items}
        noticeDays={noticeDays}
        counts={counts}
        informing={informing.items}
        now={clock.now()}
        handovers={<PendingHandovers items={handovers} />}
        consultations={<StartPageConsultations {...consultations} />}
      />,
    );
  });

  app.get('/signalen/nieuw', async (request, reply) => {
    requireProfessional(request);
    const current = await settings.current();
    // What was typed before the session ended comes back as a form sent back does (read the same way), without errors.
    const kept = await restoredForm(request, '/signalen/nieuw');
    const date = today();
    const values = kept ? readSignalForm(kept) : emptySignalForm(date);
    const born = dateOfBirthOf(values);
    const advice = born && born <= date ? ageAdvice(ageOn(born, date)) : undefined;
    return sendPage(
      reply,
      <SignalFormPage
        ctx={request.pageContext}
        values={values}
        errors={{}}
        today={date}
        regime={current.regime}
        withRegister={signals.checksRegister}
        unborn={current.unbornSignals}
        followUpDays={current.informingFollowUpDays}
        advice={advice}
      />,
    );
  });

  app.post('/signalen/nieuw', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const current = await settings.current();
    const date = today();
    const values = readSignalForm(request.body);
    const checked = checkSignalForm(values, date, current.regime, signals.checksRegister);
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
      <SignalFormPage
        ctx={request.pageContext}
        values={values}
        errors={errors}
        today={date}
        regime={current.regime}
        withRegister={signals.checksRegister}
        unborn={current.unbornSignals}
        followUpDays={current.informingFollowUpDays}
        advice={advice}
      />,
      422,
    );
  });

  app.get('/signalen', async (request, reply) => {
    const { actor } = requireProfessional(request);
    // "binnenkort": only the active signals about to end (the start page's list, all of them).
    const soon = queryParam(request, 'binnenkort') === '1';
    const expiring = await worklist.expiringBefore();
    const [active, inactive, unseen] = await Promise.all([
      readPage(pageParam(request, 'actief'), (slice) => signals.page(actor, { status: 'active', ...slice, ...(soon && { expiringBefore: expiring.before }) })),
      readPage(pageParam(request, 'geschiedenis'), (slice) => signals.page(actor, { status: 'inactive', ...slice })),
      worklist.unseen(actor, UNSEEN_LIMIT).then((ids) => new Set(ids)),
    ]);
    const flash = queryParam(request, 'beeindigd') ? 'beeindigd' : queryParam(request, 'verwijderd') ? 'verwijderd' : undefined;
    return sendPage(
      reply,
      <SignalsPage ctx={request.pageContext} active={active} inactive={inactive} unseen={unseen} soon={soon} noticeDays={expiring.noticeDays} flash={flash} />,
    );
  });

  // Searching by one's own client reference: a POST, so the reference never goes into a URL or a log
  // line; its result pages with buttons in the same form. The service keeps it to the professional's
  // own signals and audits each one shown, as the list does.
  app.get('/signalen/zoeken', async (request, reply) => {
    requireProfessional(request);
    return sendPage(reply, <ReferenceSearchPage ctx={request.pageContext} values={EMPTY_REFERENCE_SEARCH} unseen={new Set()} />);
  });

  app.post('/signalen/zoeken', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const values: ReferenceSearchValues = { kenmerk: field(request.body, 'kenmerk'), hoe: field(request.body, 'hoe') === 'precies' ? 'precies' : 'begint' };
    const error = referenceSearchError(values.kenmerk);
    if (error) {
      return sendPage(reply, <ReferenceSearchPage ctx={request.pageContext} values={values} errors={{ kenmerk: error }} unseen={new Set()} />, 422);
    }
    const clientReference = { text: values.kenmerk, match: values.hoe === 'precies' ? 'exact' : 'prefix' } as const;
    const [found, unseen] = await Promise.all([
      readPage(pageNumberOf(field(request.body, 'pagina')), (slice) => signals.page(actor, { ...slice, clientReference })),
      worklist.unseen(actor, UNSEEN_LIMIT).then((ids) => new Set(ids)),
    ]);
    return sendPage(reply, <ReferenceSearchPage ctx={request.pageContext} values={values} found={found} unseen={unseen} />);
  });

  app.get('/signalen/:id', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const signal = await activeSignal(request, idParam(request));
    const contacts = signal.matchId ? (await matches.get(actor, signal.matchId)).participants : null;
    const history = await worklist.history(actor, signal.id);
    const flash = (['nieuw', 'bestaand', 'verlengd', 'geinformeerd', 'later', 'bsn', 'verzoek'] as const).find((name) => queryParam(request, name));
    const passedOn = await services.rightsRequests.passedOn(actor, signal.id);
    const notices = await services.rightsDecisions.noticesForSignal(actor, signal.id);
    return sendPage(
      reply,
      <SignalPage
        ctx={request.pageContext}
        signal={signal}
        contacts={contacts}
        history={history}
        flash={flash}
        now={clock.now()}
        passedOn={passedOn}
        notices={notices}
      />,
    );
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
    const [signal, history, coordination, restrictedAt] = await Promise.all([
      signals.get(actor, match.yourSignalId),
      worklist.history(actor, match.yourSignalId),
      services.coordination.get(actor, match.id),
      services.rightsDecisions.restrictionOfMatch(actor, match.id),
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
        restrictedAt={restrictedAt}
      />,
    );
  });
}
