/**
 * The professional's case consultations (casusoverleggen, issue 14): the list, one consultation as
 * the viewer's role allows, the declaration an invited participant signs first (art. 18), starting
 * one from a match or a signal (anonymous offered first, art. 5.4), and every form of its life.
 *
 * Every handler asks the case consultation service: it authorises, checks the rules and audits;
 * anyone who does not take part gets the same "Niet gevonden" as for an id that does not exist.
 * These handlers read the form, check only that it is filled in, call the service, and say in Dutch
 * what it answered (post/redirect/get, errors on the form with the summary).
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CONSENT_METHODS,
  DATA_CATEGORIES,
  type DataCategory,
  INFORMING_METHODS,
  NO_CONSENT_REASONS,
  NOT_YET_INFORMED_REASONS,
  OUTCOMES,
  type Outcome,
  PARTIES,
  type Party,
  WEIGHING_QUESTIONS,
  WITHOUT_CONSENT_GROUNDS,
} from '../../case-consultations/case-consultation-rules.ts';
import type { ConsultationAction, ConsultationView, MatchCandidate } from '../../case-consultations/case-consultation-service.ts';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { ageOn, amsterdamDate, type IsoDate } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { FieldErrors } from '../components.tsx';
import { type DateParts, datePartsOf, dateProblem, readDate, readDateParts } from '../date-input.ts';
import { type Html, h } from '../html/jsx.ts';
import type { PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { pageOfWhole, pageParam } from '../pager.tsx';
import { field, notFound, queryParam, redirect, requireProfessional, restoredForm, sendPage } from '../web-context.ts';
import {
  ActionPointPage,
  AddParticipantPage,
  AttendancePage,
  ChairPage,
  ClosePage,
  ConsentPage,
  IdentifyPage,
  InformingPage,
  MeetingPage,
  ReasoningPage,
  RemoveParticipantPage,
  SharingPage,
  StartPage,
  type Values,
} from './consultation-forms.tsx';
import { initiatorFilePdf } from './consultation-pdf.ts';
import {
  ConsultationListPage,
  ConsultationPage,
  DeclarationPage,
  FLASHES,
  INFORMATION_BANDS,
  type InformationBand,
  InformationTextPage,
  InitiatorFilePage,
} from './consultation-views.tsx';
import { personName } from './signal-pages-views.tsx';

function idParam(request: FastifyRequest, name = 'id'): string {
  const id = (request.params as Record<string, string | undefined>)[name] ?? '';
  if (!isUuid(id)) throw notFound();
  return id.toLowerCase();
}

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

/** The posted values of a list field (check boxes), without empty ones. */
function listField(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return [...new Set((Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))];
}

/** A required date box; its Dutch problem goes into `errors`. */
function requiredDate(values: Values, name: string, what: string, today: IsoDate, errors: FieldErrors): IsoDate | undefined {
  const reading = readDate(values[name] as DateParts);
  const problem = dateProblem(reading, { what, example: today, empty: `Vul ${what} in.` });
  if (problem) errors[name] = problem;
  return reading.kind === 'date' ? reading.date : undefined;
}

/** The service's codes, in Dutch; a field's own message wins (FIELD_MESSAGES). */
const CODE_MESSAGES: Record<string, string> = {
  identifying_text: 'Schrijf over het werk, niet over de persoon: geen nummers zoals een BSN of telefoonnummer, en geen datums.',
  length: 'Vul dit in: hoogstens 300 tekens.',
  date_in_past: 'Kies vandaag of een latere datum.',
  date_in_future: 'De datum kan niet in de toekomst liggen.',
  invalid_date: 'Vul een bestaande datum in.',
  required: 'Vul dit in: minstens 10 tekens.',
  not_participant: 'Kies een deelnemer van dit casusoverleg.',
  parties_missing: 'Niet iedereen die u bij deze leeftijd moet informeren is aangevinkt.',
  before_start: 'De bijeenkomst ligt vóór de start van het casusoverleg.',
  after_sharing: 'De persoon is na het delen geïnformeerd: laat de datum leeg, kies waarom nog niet, en leg het informeren later vast.',
  not_allowed: 'Laat dit leeg.',
  not_available: 'Deze professional kan niet deelnemen: de organisatie heeft geen actief convenant.',
};
const FIELD_MESSAGES: Record<string, string> = {
  vitaal: 'Bij vitaal belang is een zwaardere motivering nodig: waarom is de situatie zeer ernstig of levensbedreigend? Minstens 100 tekens.',
  functionaris: 'Vul in met wie u heeft overlegd.',
  geinformeerd: 'Zonder toestemming: vul in wanneer de persoon is geïnformeerd, of kies hieronder waarom nog niet.',
};

/** The service's invalid parameters as errors on the form's fields. */
function translate(problem: Problem, fields: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const { name, code } of problem.invalidParams ?? []) {
    const id = fields[name] ?? fields['*'];
    if (!id) continue;
    errors[id] ??= (code === 'required' && FIELD_MESSAGES[id]) || CODE_MESSAGES[code] || 'Controleer dit veld.';
  }
  return errors;
}

/** A form of a consultation: its fields, what it needs the consultation to allow, its check and its call. */
type FormSpec<I> = {
  path: string;
  allowed: ConsultationAction;
  flash: string;
  texts?: string[];
  lists?: string[];
  dates?: string[];
  defaults?: (today: IsoDate) => Values;
  check: (values: Values, today: IsoDate, errors: FieldErrors) => I | undefined;
  call: (actor: ProfessionalActor, id: string, input: I) => Promise<unknown>;
  /** Service parameter → form field; `*` for any other. */
  fields: Record<string, string>;
  /** Conflicts (409) shown on a field: code → [field, message]. */
  conflicts?: Record<string, [string, string]>;
  page: (props: { ctx: PageContext; view: ConsultationView; values: Values; errors: FieldErrors; today: string }) => Html;
};

const s = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
const l = (values: Values, name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : []);

const BASIS_CONFLICT = 'De grondslag is op deze datum nog niet compleet: leg eerst de toestemming of de afweging zonder toestemming vast.';

export async function consultationPages(app: FastifyInstance, { services }: PageOptions) {
  const { caseConsultations: consultations, signals, settings, clock } = services;
  const today = () => amsterdamDate(clock.now());

  const readValues = (body: unknown, spec: Pick<FormSpec<unknown>, 'texts' | 'lists' | 'dates'>): Values => {
    const values: Values = {};
    for (const name of spec.texts ?? []) values[name] = field(body, name);
    for (const name of spec.lists ?? []) values[name] = listField(body, name);
    for (const name of spec.dates ?? []) values[name] = readDateParts(body, name);
    return values;
  };

  /** The consultation as the viewer may see it; an invited participant who has not signed is sent to the declaration. */
  async function viewOf(request: FastifyRequest, reply: FastifyReply): Promise<{ actor: ProfessionalActor; view?: ConsultationView; sent?: FastifyReply }> {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    try {
      return { actor, view: await consultations.get(actor, id) };
    } catch (error) {
      if (error instanceof Problem && error.code === 'declaration_required') return { actor, sent: redirect(reply, `/casusoverleggen/${id}`) };
      throw error;
    }
  }

  const done = (reply: FastifyReply, id: string, flash: string) => redirect(reply, `/casusoverleggen/${id}?gedaan=${flash}`);

  /** A refusal that is not about the form: closed meanwhile, or no longer allowed. */
  function refusedElsewhere(error: unknown, reply: FastifyReply, id: string) {
    if (error instanceof Problem && error.code === 'consultation_closed') return done(reply, id, 'gesloten');
    if (error instanceof Problem && error.code === 'declaration_required') return redirect(reply, `/casusoverleggen/${id}`);
    return undefined;
  }

  // ----------------------------------------------------------------------------------------------
  // The list and one consultation

  app.get('/casusoverleggen', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const all = await consultations.list(actor);
    const open = all.filter((c) => c.state === 'open').length;
    return sendPage(reply, <ConsultationListPage ctx={request.pageContext} list={pageOfWhole(all, pageParam(request))} open={open} />);
  });

  app.get('/casusoverleggen/:id', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    try {
      const view = await consultations.get(actor, id);
      return sendPage(reply, <ConsultationPage ctx={request.pageContext} view={view} flash={FLASHES[queryParam(request, 'gedaan')]} />);
    } catch (error) {
      if (error instanceof Problem && error.code === 'declaration_required') return sendPage(reply, <DeclarationPage ctx={request.pageContext} id={id} />);
      throw error;
    }
  });

  // The initiator's file (art. 12.1), to print for their own client file.
  app.get('/casusoverleggen/:id/verslag', async (request, reply) => {
    const { view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (view.yourRole !== 'initiator') return redirect(reply, `/casusoverleggen/${view.id}`);
    return sendPage(reply, <InitiatorFilePage ctx={request.pageContext} view={view} printedAt={clock.now()} />);
  });

  // The same file as a PDF, for the initiator's own client file (no person data in the file name).
  app.get('/casusoverleggen/:id/verslag/pdf', async (request, reply) => {
    const { view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (view.yourRole !== 'initiator') return redirect(reply, `/casusoverleggen/${view.id}`);
    const pdf = await initiatorFilePdf(view, clock.now(), { municipality: request.pageContext.theme.municipalityName });
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="casusoverleg-verslag-${today()}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  // The information text of art. 11, per age band: by the person's age today, or the band asked for.
  app.get('/casusoverleggen/:id/informatietekst', async (request, reply) => {
    const { view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (view.yourRole !== 'initiator') return redirect(reply, `/casusoverleggen/${view.id}`);
    const asked = queryParam(request, 'voor');
    const age = view.person ? ageOn(view.person.dateOfBirth, today()) : undefined;
    const band: InformationBand = Object.hasOwn(INFORMATION_BANDS, asked)
      ? (asked as InformationBand)
      : age === undefined || age >= 16
        ? 'persoon'
        : age >= 12
          ? 'jongere'
          : 'ouders';
    const { caseConsultationRetentionMonths } = await settings.current();
    return sendPage(reply, <InformationTextPage ctx={request.pageContext} view={view} band={band} retentionMonths={caseConsultationRetentionMonths} />);
  });

  app.post('/casusoverleggen/:id/verklaring', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    try {
      await consultations.signDeclaration(actor, id);
    } catch (error) {
      if (error instanceof Problem && error.status === 409) return redirect(reply, `/casusoverleggen/${id}`);
      throw error;
    }
    return done(reply, id, 'getekend');
  });

  app.post('/casusoverleggen/:id/afwijzen', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    try {
      await consultations.decline(actor, id);
    } catch (error) {
      if (error instanceof Problem && error.status === 409) return redirect(reply, `/casusoverleggen/${id}`);
      throw error;
    }
    return redirect(reply, '/casusoverleggen?afgewezen=1');
  });

  // ----------------------------------------------------------------------------------------------
  // Starting one

  /** The match or signal in the query or the form, and whom the initiator may choose (404 for a match they are not in). */
  async function startContext(actor: ProfessionalActor, source: unknown) {
    const matchId = field(source, 'match');
    const signalId = field(source, 'signaal');
    if (matchId) {
      if (!isUuid(matchId)) throw notFound();
      return { link: { matchId: matchId.toLowerCase() }, candidates: await consultations.matchCandidates(actor, matchId.toLowerCase()) };
    }
    if (signalId) {
      if (!isUuid(signalId)) throw notFound();
      const signal = await signals.get(actor, signalId.toLowerCase());
      if (signal.status !== 'active') throw notFound();
      return { link: { signalId: signal.id }, candidates: [] as MatchCandidate[] };
    }
    return { link: null, candidates: [] as MatchCandidate[] };
  }

  const START_FIELDS = { texts: ['soort', 'doel', 'taak', 'voorzitter'], lists: ['deelnemers'], dates: ['datum'] };
  const readStart = (body: unknown, candidates: MatchCandidate[]): Values => {
    const values = readValues(body, START_FIELDS);
    for (const c of candidates) values[`taak-${c.professionalId}`] = field(body, `taak-${c.professionalId}`);
    return values;
  };

  app.get('/casusoverleggen/nieuw', async (request, reply) => {
    const { actor } = requireProfessional(request);
    // A form kept after the session ended comes back here without the query: its own match or signal field says where from.
    const kept = await restoredForm(request, '/casusoverleggen/nieuw');
    const { link, candidates } = await startContext(actor, kept && (field(kept, 'match') || field(kept, 'signaal')) ? kept : request.query);
    const values = kept ? readStart(kept, candidates) : { soort: 'anoniem', datum: datePartsOf(today()) };
    return sendPage(reply, <StartPage ctx={request.pageContext} values={values} errors={{}} today={today()} link={link} candidates={candidates} />);
  });

  app.post('/casusoverleggen/nieuw', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const { link, candidates } = await startContext(actor, request.body);
    const values = readStart(request.body, candidates);
    const errors: FieldErrors = {};
    const kind = s(values, 'soort');
    if (kind !== 'anoniem' && kind !== 'op-naam') errors.soort = 'Kies of u de situatie anoniem of op naam bespreekt.';
    if (kind === 'op-naam' && !link) errors.soort = 'Op naam start u vanuit een match of vanuit uw signaal.';
    if (!s(values, 'doel')) errors.doel = 'Vul het doel van het casusoverleg in.';
    const consultationOn = requiredDate(values, 'datum', 'de datum van het overleg', today(), errors);
    if (!s(values, 'taak')) errors.taak = 'Vul uw taak in deze casus in.';
    const chosen = candidates.filter((c) => l(values, 'deelnemers').includes(c.professionalId));
    candidates.forEach((c, index) => {
      if (chosen.includes(c) && !s(values, `taak-${c.professionalId}`)) errors[`taak-${index}`] = `Vul de taak van ${c.organisationName} in.`;
    });
    const chair = s(values, 'voorzitter') || 'ik';
    if (chair !== 'ik' && !chosen.some((c) => c.professionalId === chair)) errors.voorzitter = 'De voorzitter is een van de deelnemers.';
    const failed = () =>
      sendPage(reply, <StartPage ctx={request.pageContext} values={values} errors={errors} today={today()} link={link} candidates={candidates} />, 422);
    if (Object.values(errors).some(Boolean) || !consultationOn) return failed();
    let view: ConsultationView;
    try {
      view = await consultations.start(actor, {
        kind: kind === 'anoniem' ? 'anonymous' : 'identifying',
        purpose: s(values, 'doel'),
        consultationOn,
        legalTask: s(values, 'taak'),
        link: kind === 'op-naam' ? (link ?? undefined) : undefined,
      });
    } catch (error) {
      if (!(error instanceof Problem) || error.status !== 422) throw error;
      Object.assign(errors, translate(error, { purpose: 'doel', legalTask: 'taak', consultationOn: 'datum', link: 'soort' }));
      return failed();
    }
    // The participants one by one: a text the service refuses leaves that one out, and the page says so.
    let missed = false;
    for (const c of chosen) {
      try {
        view = await consultations.addParticipant(actor, view.id, { professionalId: c.professionalId, legalTask: s(values, `taak-${c.professionalId}`) });
      } catch (error) {
        if (!(error instanceof Problem) || error.status >= 500) throw error;
        missed = true;
      }
    }
    const chairParticipant = view.participants.find((p) => p.professionalId === chair && p.state === 'active');
    if (chairParticipant) await consultations.changeChair(actor, view.id, chairParticipant.id);
    return done(reply, view.id, missed ? 'deelnemer-mislukt' : 'gestart');
  });

  // ----------------------------------------------------------------------------------------------
  // The forms of a consultation's life, one spec each

  const specs: FormSpec<never>[] = [
    {
      path: 'toestemming',
      allowed: 'record_consent',
      flash: 'toestemming',
      texts: ['door', 'hoe'],
      lists: ['soorten', 'deelnemers'],
      dates: ['datum'],
      defaults: (d) => ({ datum: datePartsOf(d) }),
      check: (v, d, e) => {
        const givenBy = s(v, 'door');
        const method = s(v, 'hoe');
        if (!isOneOf(PARTIES, givenBy)) e.door = 'Kies wie toestemming gaf.';
        const givenOn = requiredDate(v, 'datum', 'de datum van de toestemming', d, e);
        if (!isOneOf(CONSENT_METHODS, method)) e.hoe = 'Kies hoe de toestemming is gegeven.';
        const categories = l(v, 'soorten').filter((k): k is DataCategory => isOneOf(DATA_CATEGORIES, k));
        if (categories.length === 0) e.soorten = 'Kies voor welke soorten gegevens de toestemming geldt.';
        if (l(v, 'deelnemers').length === 0) e.deelnemers = 'Kies voor welke deelnemers de toestemming geldt.';
        if (Object.values(e).some(Boolean) || !givenOn) return undefined;
        return { givenBy: givenBy as Party, givenOn, method: method as (typeof CONSENT_METHODS)[number], categories, participantIds: l(v, 'deelnemers') };
      },
      call: (actor, id, input) => consultations.recordConsent(actor, id, input),
      fields: { givenOn: 'datum', participantIds: 'deelnemers', '*': 'door' },
      page: ConsentPage,
    } satisfies FormSpec<Parameters<typeof consultations.recordConsent>[2]> as unknown as FormSpec<never>,
    {
      path: 'afweging',
      allowed: 'record_reasoning',
      flash: 'afweging',
      texts: ['reden', 'toelichting', 'grond', 'vitaal', 'functionaris', ...WEIGHING_QUESTIONS.map((q) => `vraag-${q}`)],
      dates: ['overlegd'],
      check: (v, d, e) => {
        const reason = s(v, 'reden');
        const ground = s(v, 'grond');
        if (!isOneOf(NO_CONSENT_REASONS, reason)) e.reden = 'Kies waarom er geen toestemming is.';
        if (!s(v, 'toelichting')) e.toelichting = 'Licht toe waarom er geen toestemming is.';
        if (!isOneOf(WITHOUT_CONSENT_GROUNDS, ground)) e.grond = 'Kies op welke grond u zonder toestemming deelt.';
        for (const q of WEIGHING_QUESTIONS) if (!s(v, `vraag-${q}`)) e[`vraag-${q}`] = `Beantwoord vraag ${q}.`;
        if (!s(v, 'functionaris')) e.functionaris = FIELD_MESSAGES.functionaris;
        const consultedOn = requiredDate(v, 'overlegd', 'de datum van het overleg met de functionaris', d, e);
        if (Object.values(e).some(Boolean) || !consultedOn) return undefined;
        return {
          noConsentReason: reason as (typeof NO_CONSENT_REASONS)[number],
          noConsentExplanation: s(v, 'toelichting'),
          ground: ground as (typeof WITHOUT_CONSENT_GROUNDS)[number],
          answers: Object.fromEntries(WEIGHING_QUESTIONS.map((q) => [q, s(v, `vraag-${q}`)])),
          vitalInterestMotivation: s(v, 'vitaal') || null,
          officialConsulted: s(v, 'functionaris'),
          officialConsultedOn: consultedOn,
        };
      },
      call: (actor, id, input) => consultations.recordReasoning(actor, id, input),
      fields: {
        noConsentExplanation: 'toelichting',
        vitalInterestMotivation: 'vitaal',
        officialConsulted: 'functionaris',
        officialConsultedOn: 'overlegd',
        ...Object.fromEntries(WEIGHING_QUESTIONS.map((q) => [`answers.${q}`, `vraag-${q}`])),
      },
      page: ReasoningPage,
    } satisfies FormSpec<Parameters<typeof consultations.recordReasoning>[2]> as unknown as FormSpec<never>,
    {
      path: 'informeren',
      allowed: 'record_informing',
      flash: 'geinformeerd',
      texts: ['hoe'],
      lists: ['wie'],
      dates: ['datum'],
      defaults: (d) => ({ datum: datePartsOf(d) }),
      check: (v, d, e) => {
        const informed = l(v, 'wie').filter((p): p is Party => isOneOf(PARTIES, p));
        if (informed.length === 0) e.wie = 'Kies wie u heeft geïnformeerd.';
        const informedOn = requiredDate(v, 'datum', 'de datum van het informeren', d, e);
        const method = s(v, 'hoe');
        if (!isOneOf(INFORMING_METHODS, method)) e.hoe = 'Kies hoe u heeft geïnformeerd.';
        if (Object.values(e).some(Boolean) || !informedOn) return undefined;
        return { informed, informedOn, method: method as (typeof INFORMING_METHODS)[number] };
      },
      call: (actor, id, input) => consultations.recordInforming(actor, id, input),
      fields: { informed: 'wie', informedOn: 'datum' },
      page: InformingPage,
    } satisfies FormSpec<Parameters<typeof consultations.recordInforming>[2]> as unknown as FormSpec<never>,
    {
      path: 'delen',
      allowed: 'record_sharing',
      flash: 'gedeeld',
      texts: ['aan', 'soort', 'waarvoor', 'nog-niet'],
      dates: ['datum', 'geinformeerd'],
      defaults: (d) => ({ datum: datePartsOf(d) }),
      check: (v, d, e) => {
        if (!s(v, 'aan')) e.aan = 'Kies met wie u de gegevens deelde.';
        const category = s(v, 'soort');
        if (!isOneOf(DATA_CATEGORIES, category)) e.soort = 'Kies welke soort gegevens u deelde.';
        if (!s(v, 'waarvoor')) e.waarvoor = 'Vul in waarvoor u de gegevens deelde.';
        const sharedOn = requiredDate(v, 'datum', 'de datum van het delen', d, e);
        const informedReading = readDate(v.geinformeerd as DateParts);
        const informedProblem =
          informedReading.kind === 'empty' ? undefined : dateProblem(informedReading, { what: 'de datum van het informeren', example: d });
        if (informedProblem) e.geinformeerd = informedProblem;
        const notYet = s(v, 'nog-niet');
        if (Object.values(e).some(Boolean) || !sharedOn) return undefined;
        return {
          participantId: s(v, 'aan'),
          category: category as DataCategory,
          purpose: s(v, 'waarvoor'),
          sharedOn,
          clientInformedOn: informedReading.kind === 'date' ? informedReading.date : null,
          notYetInformedReason: isOneOf(NOT_YET_INFORMED_REASONS, notYet) ? notYet : null,
        };
      },
      call: (actor, id, input) => consultations.recordSharing(actor, id, input),
      fields: { participantId: 'aan', purpose: 'waarvoor', sharedOn: 'datum', clientInformedOn: 'geinformeerd', notYetInformedReason: 'nog-niet' },
      conflicts: { no_ground: ['soort', 'Voor deze soort gegevens aan deze deelnemer is geen toestemming en geen complete afweging zonder toestemming.'] },
      page: SharingPage,
    } satisfies FormSpec<Parameters<typeof consultations.recordSharing>[2]> as unknown as FormSpec<never>,
    {
      path: 'bijeenkomst',
      allowed: 'plan_meeting',
      flash: 'bijeenkomst',
      dates: ['datum'],
      defaults: (d) => ({ datum: datePartsOf(d) }),
      check: (v, d, e) => {
        const heldOn = requiredDate(v, 'datum', 'de datum van de bijeenkomst', d, e);
        return heldOn ? { heldOn } : undefined;
      },
      call: (actor, id, input) => consultations.planMeeting(actor, id, input),
      fields: { heldOn: 'datum' },
      conflicts: { basis_incomplete: ['datum', BASIS_CONFLICT] },
      page: MeetingPage,
    } satisfies FormSpec<{ heldOn: IsoDate }> as unknown as FormSpec<never>,
    {
      path: 'actiepunt',
      allowed: 'add_action_point',
      flash: 'actiepunt',
      texts: ['wat', 'wie'],
      dates: ['datum'],
      check: (v, d, e) => {
        if (!s(v, 'wat')) e.wat = 'Vul in wat er moet gebeuren.';
        if (!s(v, 'wie')) e.wie = 'Kies wie het doet.';
        const dueOn = requiredDate(v, 'datum', 'de datum waarop het af is', d, e);
        if (Object.values(e).some(Boolean) || !dueOn) return undefined;
        return { description: s(v, 'wat'), assigneeId: s(v, 'wie'), dueOn };
      },
      call: (actor, id, input) => consultations.addActionPoint(actor, id, input),
      fields: { description: 'wat', assigneeId: 'wie', dueOn: 'datum' },
      conflicts: {
        basis_incomplete: ['wat', 'Actiepunten kunnen pas als de grondslag compleet is: leg eerst de toestemming of de afweging zonder toestemming vast.'],
      },
      page: ActionPointPage,
    } satisfies FormSpec<Parameters<typeof consultations.addActionPoint>[2]> as unknown as FormSpec<never>,
  ];

  for (const spec of specs) {
    const action = (id: string) => `/casusoverleggen/${id}/${spec.path}`;
    app.get(`/casusoverleggen/:id/${spec.path}`, async (request, reply) => {
      const { view, sent } = await viewOf(request, reply);
      if (!view) return sent;
      if (!view.allowed.includes(spec.allowed)) return redirect(reply, `/casusoverleggen/${view.id}`);
      const kept = await restoredForm(request, action(view.id));
      const values = kept ? readValues(kept, spec) : (spec.defaults?.(today()) ?? {});
      return sendPage(reply, spec.page({ ctx: request.pageContext, view, values, errors: {}, today: today() }));
    });
    app.post(`/casusoverleggen/:id/${spec.path}`, async (request, reply) => {
      const { actor, view, sent } = await viewOf(request, reply);
      if (!view) return sent;
      if (!view.allowed.includes(spec.allowed)) return redirect(reply, `/casusoverleggen/${view.id}`);
      const values = readValues(request.body, spec);
      let errors: FieldErrors = {};
      const input = spec.check(values, today(), errors);
      if (input) {
        try {
          await spec.call(actor, view.id, input);
          return done(reply, view.id, spec.flash);
        } catch (error) {
          const elsewhere = refusedElsewhere(error, reply, view.id);
          if (elsewhere) return elsewhere;
          if (!(error instanceof Problem)) throw error;
          const conflict = error.code ? spec.conflicts?.[error.code] : undefined;
          if (conflict) errors = { [conflict[0]]: conflict[1] };
          else if (error.status === 422) errors = translate(error, spec.fields);
          else throw error;
          if (!Object.values(errors).some(Boolean)) errors = { [Object.values(spec.fields)[0]!]: 'Controleer dit veld.' };
        }
      }
      return sendPage(reply, spec.page({ ctx: request.pageContext, view, values, errors, today: today() }), 422);
    });
  }

  // Attendance: a form per meeting.
  app.get('/casusoverleggen/:id/bijeenkomsten/:meetingId/aanwezig', async (request, reply) => {
    const { view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    const meeting = view.meetings.find((m) => m.id === idParam(request, 'meetingId'));
    if (!meeting) throw notFound();
    if (!view.allowed.includes('record_attendance')) return redirect(reply, `/casusoverleggen/${view.id}`);
    return sendPage(
      reply,
      <AttendancePage ctx={request.pageContext} view={view} meetingId={meeting.id} values={{ aanwezig: meeting.attendeeIds }} errors={{}} />,
    );
  });

  app.post('/casusoverleggen/:id/bijeenkomsten/:meetingId/aanwezig', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    const meetingId = idParam(request, 'meetingId');
    try {
      await consultations.recordAttendance(actor, id, meetingId, listField(request.body, 'aanwezig'));
    } catch (error) {
      const elsewhere = refusedElsewhere(error, reply, id);
      if (elsewhere) return elsewhere;
      if (!(error instanceof Problem) || error.status !== 422) throw error;
      const view = await consultations.get(actor, id);
      const values = { aanwezig: listField(request.body, 'aanwezig') };
      return sendPage(
        reply,
        <AttendancePage ctx={request.pageContext} view={view} meetingId={meetingId} values={values} errors={{ aanwezig: CODE_MESSAGES.not_participant }} />,
        422,
      );
    }
    return done(reply, id, 'aanwezig');
  });

  // An action point done: by its assignee, or the initiator or chair.
  app.post('/casusoverleggen/:id/actiepunten/:actionPointId/klaar', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    try {
      await consultations.completeActionPoint(actor, id, idParam(request, 'actionPointId'));
    } catch (error) {
      const elsewhere = refusedElsewhere(error, reply, id);
      if (elsewhere) return elsewhere;
      if (error instanceof Problem && error.code === 'action_point_done') return done(reply, id, 'klaar');
      throw error;
    }
    return done(reply, id, 'klaar');
  });

  // ----------------------------------------------------------------------------------------------
  // Who takes part: adding someone (from the match, or by e-mail from another organisation), the chair

  /** The match's professionals who do not take part yet (only for a consultation started from a match). */
  async function candidatesFor(actor: ProfessionalActor, view: ConsultationView) {
    if (!view.matchId) return [];
    const taking = new Set(view.participants.filter((p) => p.state === 'active' || p.state === 'invited').map((p) => p.professionalId));
    try {
      return (await consultations.matchCandidates(actor, view.matchId)).filter((c) => !taking.has(c.professionalId));
    } catch (error) {
      // The match has closed or the initiator left it: only by e-mail then.
      if (error instanceof Problem && error.status === 404) return [];
      throw error;
    }
  }

  app.get('/casusoverleggen/:id/deelnemer', async (request, reply) => {
    const { actor, view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (!view.allowed.includes('add_participant')) return redirect(reply, `/casusoverleggen/${view.id}`);
    const kept = await restoredForm(request, `/casusoverleggen/${view.id}/deelnemer`);
    const values = kept ? readValues(kept, { texts: ['professional', 'email', 'taak'] }) : {};
    return sendPage(
      reply,
      <AddParticipantPage ctx={request.pageContext} view={view} candidates={await candidatesFor(actor, view)} values={values} errors={{}} />,
    );
  });

  app.post('/casusoverleggen/:id/deelnemer', async (request, reply) => {
    const { actor, view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (!view.allowed.includes('add_participant')) return redirect(reply, `/casusoverleggen/${view.id}`);
    const values = readValues(request.body, { texts: ['professional', 'email', 'taak'] });
    const candidates = await candidatesFor(actor, view);
    let errors: FieldErrors = {};
    const chosen = candidates.find((c) => c.professionalId === s(values, 'professional'));
    if (!chosen && !s(values, 'email')) errors[candidates.length > 0 ? 'professional' : 'email'] = 'Kies een professional of vul een e-mailadres in.';
    if (chosen && s(values, 'email')) errors.email = 'Kies een professional uit de match, of vul een e-mailadres in; niet allebei.';
    if (!s(values, 'taak')) errors.taak = 'Vul de taak van de organisatie in.';
    if (!Object.values(errors).some(Boolean)) {
      try {
        const legalTask = s(values, 'taak');
        if (chosen) await consultations.addParticipant(actor, view.id, { professionalId: chosen.professionalId, legalTask });
        else await consultations.addParticipantByEmail(actor, view.id, { email: s(values, 'email'), legalTask });
        return done(reply, view.id, 'deelnemer');
      } catch (error) {
        const elsewhere = refusedElsewhere(error, reply, view.id);
        if (elsewhere) return elsewhere;
        if (!(error instanceof Problem)) throw error;
        const who = chosen ? 'professional' : 'email';
        if (error.code === 'already_participant') errors = { [who]: 'Deze professional neemt al deel.' };
        else if (error.status === 422) {
          errors = translate(error, { legalTask: 'taak', professionalId: who });
          if (errors[who]) errors[who] = 'Met dit e-mailadres staat geen professional van een organisatie met een actief convenant in SluiS.';
        } else throw error;
      }
    }
    return sendPage(reply, <AddParticipantPage ctx={request.pageContext} view={view} candidates={candidates} values={values} errors={errors} />, 422);
  });

  app.get('/casusoverleggen/:id/voorzitter', async (request, reply) => {
    const { view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (!view.allowed.includes('change_chair')) return redirect(reply, `/casusoverleggen/${view.id}`);
    return sendPage(reply, <ChairPage ctx={request.pageContext} view={view} values={{}} errors={{}} />);
  });

  app.post('/casusoverleggen/:id/voorzitter', async (request, reply) => {
    const { actor, view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (!view.allowed.includes('change_chair')) return redirect(reply, `/casusoverleggen/${view.id}`);
    const chair = field(request.body, 'voorzitter');
    const refused = () =>
      sendPage(
        reply,
        <ChairPage ctx={request.pageContext} view={view} values={{ voorzitter: chair }} errors={{ voorzitter: 'Kies een deelnemer als voorzitter.' }} />,
        422,
      );
    if (!isUuid(chair)) return refused();
    try {
      await consultations.changeChair(actor, view.id, chair.toLowerCase());
    } catch (error) {
      const elsewhere = refusedElsewhere(error, reply, view.id);
      if (elsewhere) return elsewhere;
      if (error instanceof Problem && error.status === 422) return refused();
      throw error;
    }
    return done(reply, view.id, 'voorzitter');
  });

  // ----------------------------------------------------------------------------------------------
  // Making an anonymous one identifying

  async function ownSignals(actor: ProfessionalActor) {
    const page = await signals.page(actor, { status: 'active', limit: 100, offset: 0 });
    return page.items.filter((signal) => signal.person).map((signal) => ({ id: signal.id, label: personName(signal.person) }));
  }

  app.get('/casusoverleggen/:id/op-naam', async (request, reply) => {
    const { actor, view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (!view.allowed.includes('identify') || view.kind !== 'anonymous') return redirect(reply, `/casusoverleggen/${view.id}`);
    return sendPage(reply, <IdentifyPage ctx={request.pageContext} view={view} signals={await ownSignals(actor)} values={{}} errors={{}} />);
  });

  app.post('/casusoverleggen/:id/op-naam', async (request, reply) => {
    const { actor, view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (!view.allowed.includes('identify') || view.kind !== 'anonymous') return redirect(reply, `/casusoverleggen/${view.id}`);
    const signalId = field(request.body, 'signaal');
    let errors: FieldErrors = {};
    let refusal: string | undefined;
    if (!isUuid(signalId)) errors = { signaal: 'Kies over wie het casusoverleg gaat.' };
    else {
      try {
        await consultations.identify(actor, view.id, { signalId: signalId.toLowerCase() });
        return done(reply, view.id, 'op-naam');
      } catch (error) {
        const elsewhere = refusedElsewhere(error, reply, view.id);
        if (elsewhere) return elsewhere;
        if (error instanceof Problem && error.status === 404) errors = { signaal: 'Kies een persoon op wie u een actief signaal heeft.' };
        else if (error instanceof Problem && error.code === 'basis_incomplete') {
          refusal =
            'Nog niet compleet: leg eerst de toestemming vast van wie bij de leeftijd van deze persoon toestemming geeft, voor iedere deelnemer, of de afweging zonder toestemming.';
          errors = { signaal: 'Voor deze persoon is de grondslag nog niet compleet.' };
        } else throw error;
      }
    }
    return sendPage(
      reply,
      <IdentifyPage ctx={request.pageContext} view={view} signals={await ownSignals(actor)} values={{ signaal: signalId }} errors={errors} refusal={refusal} />,
      422,
    );
  });

  // ----------------------------------------------------------------------------------------------
  // What cannot be undone: removing a participant, closing

  app.get('/casusoverleggen/:id/deelnemers/:participantId/verwijderen', async (request, reply) => {
    const { view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    const participantId = idParam(request, 'participantId');
    const target = view.participants.find((p) => p.id === participantId && p.source !== 'initiator' && (p.state === 'active' || p.state === 'invited'));
    if (!view.allowed.includes('remove_participant') || !target) return redirect(reply, `/casusoverleggen/${view.id}`);
    return sendPage(reply, <RemoveParticipantPage ctx={request.pageContext} view={view} participantId={participantId} />);
  });

  app.post('/casusoverleggen/:id/deelnemers/:participantId/verwijderen', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    try {
      await consultations.removeParticipant(actor, id, idParam(request, 'participantId'));
    } catch (error) {
      const elsewhere = refusedElsewhere(error, reply, id);
      if (elsewhere) return elsewhere;
      throw error;
    }
    return done(reply, id, 'verwijderd');
  });

  app.get('/casusoverleggen/:id/afsluiten', async (request, reply) => {
    const { view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    if (!view.allowed.includes('close')) return redirect(reply, `/casusoverleggen/${view.id}`);
    const { caseConsultationRetentionMonths } = await settings.current();
    const kept = await restoredForm(request, `/casusoverleggen/${view.id}/afsluiten`);
    return sendPage(
      reply,
      <ClosePage ctx={request.pageContext} view={view} retentionMonths={caseConsultationRetentionMonths} selected={kept && field(kept, 'uitkomst')} />,
    );
  });

  app.post('/casusoverleggen/:id/afsluiten', async (request, reply) => {
    const { actor, view, sent } = await viewOf(request, reply);
    if (!view) return sent;
    const outcome = field(request.body, 'uitkomst');
    if (!isOneOf(OUTCOMES, outcome)) {
      const { caseConsultationRetentionMonths } = await settings.current();
      return sendPage(
        reply,
        <ClosePage
          ctx={request.pageContext}
          view={view}
          retentionMonths={caseConsultationRetentionMonths}
          selected={outcome}
          error="Kies hoe het casusoverleg is afgelopen."
        />,
        422,
      );
    }
    try {
      await consultations.close(actor, view.id, outcome as Outcome);
    } catch (error) {
      const elsewhere = refusedElsewhere(error, reply, view.id);
      if (elsewhere) return elsewhere;
      throw error;
    }
    return done(reply, view.id, 'afgesloten');
  });
}
