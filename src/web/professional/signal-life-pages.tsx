/**
 * Steps in a signal's life after filing, each a small form on a phone: adding the BSN to a signal filed
 * on a person without one (/signalen/<id>/bsn, linked from the signal page), extending a signal that is
 * about to expire (/signalen/<id>/verlengen, linked from the start page, the signal page and the
 * expiry mail), and recording the informing that was postponed at filing (/signalen/<id>/informeren,
 * linked from the start page, the signal page and the reminder mail). The rules and the audit are the
 * signal service's; these handlers read the form, call it, and say in Dutch what it answered.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { passesElevenTest } from '../../persons/bsn.ts';
import { ageOn, amsterdamDate, type IsoDate } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { InformingRecord } from '../../signals/informing.ts';
import { CONSENT_AGE } from '../../signals/legal-basis.ts';
import { EXTENSION_REASONS, type ExtensionReason, extensionOffer, extensionRules } from '../../signals/lifetime.ts';
import type { SignalView } from '../../signals/signal-types.ts';
import { Alert, Button, ChoiceGroup, type FieldErrors, Form, Paragraph, TextField, TimeText } from '../components.tsx';
import { type DateParts, datePartsOf, dateProblem, readDate, readDateParts } from '../date-input.ts';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { legalBasisText } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, notFound, redirect, requireProfessional, restoredForm, sendPage } from '../web-context.ts';
import { ageAdvice, PARTIES, POSTPONEMENTS } from './signal-pages-form.ts';
import { InformedFields } from './signal-pages-form-view.tsx';
import { personName } from './signal-pages-views.tsx';

export const EXTENSION_CHOICES: { value: ExtensionReason; label: string }[] = [
  { value: 'involvement_continues', label: 'Ik ben nog betrokken en mijn hulp loopt door' },
  { value: 'collaboration_continues', label: 'De samenwerking met de andere betrokkenen loopt nog' },
  { value: 'handover_pending', label: 'Mijn hulp wordt overgedragen, en dat is nog niet rond' },
];

/** Why extending is not possible (now), in Dutch; the code is the service's problem code or the offer's refusal. */
const EXTENSION_REFUSALS: Record<string, string> = {
  switched_off: 'De gemeente heeft verlengen uitgezet. Bent u na de einddatum nog betrokken, geef dan opnieuw een signaal af.',
  extension_switched_off: 'De gemeente heeft verlengen uitgezet. Bent u na de einddatum nog betrokken, geef dan opnieuw een signaal af.',
  age_limit: 'Dit signaal loopt af op de 23e verjaardag van de persoon. Langer kan niet in deze verwijsindex.',
  extension_age_limit: 'Dit signaal loopt af op de 23e verjaardag van de persoon. Langer kan niet in deze verwijsindex.',
  extension_not_yet: 'Verlengen kan pas kort voordat het signaal verloopt.',
  signal_not_active: 'Dit signaal is niet meer actief. Bent u nog betrokken, geef dan opnieuw een signaal af.',
};

type InformingValues = { informeren: string; geinformeerd: string[]; 'informeer-datum': DateParts; 'uitstel-reden': string };

/** The id in the path, or "Niet gevonden" before anything touches the database. */
function idParam(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!isUuid(id)) throw notFound();
  return id.toLowerCase();
}

export async function signalLifePages(app: FastifyInstance, { services }: PageOptions) {
  const { signals, settings, clock } = services;

  /** One of the professional's own active signals, or "Niet gevonden". */
  async function activeSignal(request: FastifyRequest, id: string) {
    const { actor } = requireProfessional(request);
    const signal = await signals.get(actor, id);
    if (signal.status !== 'active' || !signal.person) throw notFound();
    return signal;
  }

  /** What the page says about extending this signal now: the offer, or why not. */
  async function extensionState(signal: SignalView): Promise<ExtensionState> {
    const now = clock.now();
    // Past its end date it has expired, even before the sweep has come by.
    if (now >= signal.activeUntil) return { kind: 'refused', code: 'signal_not_active' };
    if (signal.extension) {
      return now >= signal.extension.opensAt ? { kind: 'open', until: signal.extension.until } : { kind: 'later', opensAt: signal.extension.opensAt };
    }
    const offer = extensionOffer({ activeUntil: signal.activeUntil, dateOfBirth: signal.person!.dateOfBirth }, extensionRules(await settings.current()));
    return { kind: 'refused', code: offer.ok ? 'signal_not_active' : offer.refusal };
  }

  app.get('/signalen/:id/verlengen', async (request, reply) => {
    const signal = await activeSignal(request, idParam(request));
    const kept = await restoredForm(request, `/signalen/${signal.id}/verlengen`);
    return sendPage(reply, <ExtendPage ctx={request.pageContext} signal={signal} state={await extensionState(signal)} reason={kept && field(kept, 'reden')} />);
  });

  app.post('/signalen/:id/verlengen', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    const reason = field(request.body, 'reden');
    if (!(EXTENSION_REASONS as readonly string[]).includes(reason)) {
      const signal = await activeSignal(request, id);
      return sendPage(
        reply,
        <ExtendPage
          ctx={request.pageContext}
          signal={signal}
          state={await extensionState(signal)}
          reason={reason}
          error="Kies waarom u het signaal verlengt."
        />,
        422,
      );
    }
    try {
      await signals.extend(actor, id, reason as ExtensionReason);
      return redirect(reply, `/signalen/${id}?verlengd=1`);
    } catch (error) {
      if (!(error instanceof Problem) || error.status !== 409) throw error;
      // Ended or expired meanwhile: nothing active to extend, the same as someone else's signal.
      if (error.code === 'signal_not_active') throw notFound();
      const signal = await activeSignal(request, id);
      return sendPage(reply, <ExtendPage ctx={request.pageContext} signal={signal} state={{ kind: 'refused', code: error.code }} />, 409);
    }
  });

  app.get('/signalen/:id/bsn', async (request, reply) => {
    const signal = await activeSignal(request, idParam(request));
    if (signal.identifiedBy === 'bsn') throw notFound();
    return sendPage(reply, <AddBsnPage ctx={request.pageContext} signal={signal} value="" />);
  });

  app.post('/signalen/:id/bsn', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    const value = field(request.body, 'bsn').replace(/[\s.-]/g, '');
    let error: string | undefined;
    if (!value) error = 'Vul het BSN in.';
    else if (!passesElevenTest(value)) error = 'Dit BSN klopt niet: een BSN heeft 9 cijfers en voldoet aan de elfproef. Controleer de cijfers.';
    else {
      try {
        await signals.addBsn(actor, id, value);
        return redirect(reply, `/signalen/${id}?bsn=1`);
      } catch (problem) {
        if (!(problem instanceof Problem) || (problem.status !== 422 && problem.status !== 409)) throw problem;
        // Ended meanwhile, or given a BSN already: nothing to add it to, as for someone else's signal.
        if (problem.code === 'signal_not_active' || problem.code === 'signal_has_bsn') throw notFound();
        error = ADD_BSN_REFUSALS[problem.invalidParams?.[0]?.code ?? problem.code] ?? ADD_BSN_REFUSALS.bsn_invalid;
      }
    }
    const signal = await activeSignal(request, id);
    if (signal.identifiedBy === 'bsn') throw notFound();
    // The number typed comes back in its field for correcting, as on the filing form (the professional's own input, never the register's).
    return sendPage(reply, <AddBsnPage ctx={request.pageContext} signal={signal} value={value} error={error} />, 422);
  });

  app.get('/signalen/:id/informeren', async (request, reply) => {
    const signal = await activeSignal(request, idParam(request));
    const today = amsterdamDate(clock.now());
    const kept = await restoredForm(request, `/signalen/${signal.id}/informeren`);
    const values: InformingValues = kept
      ? readInformingForm(kept)
      : { informeren: '', geinformeerd: [], 'informeer-datum': datePartsOf(today), 'uitstel-reden': '' };
    const { informingFollowUpDays } = await settings.current();
    return sendPage(reply, <InformingPage ctx={request.pageContext} signal={signal} values={values} errors={{}} today={today} days={informingFollowUpDays} />);
  });

  app.post('/signalen/:id/informeren', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    const today = amsterdamDate(clock.now());
    const values = readInformingForm(request.body);
    const checked = checkInformingForm(values, today);
    let errors = checked.errors;
    if (checked.record) {
      try {
        await signals.recordInforming(actor, id, checked.record);
        return redirect(reply, `/signalen/${id}?${checked.record.basis === 'informed' ? 'geinformeerd' : 'later'}=1`);
      } catch (error) {
        if (!(error instanceof Problem) || (error.status !== 422 && error.status !== 409)) throw error;
        // Ended meanwhile, or nothing postponed any more: nothing to record, as for someone else's signal.
        if (error.status === 409) throw notFound();
        errors = translateInformingProblems(error.invalidParams ?? []);
      }
    }
    const signal = await activeSignal(request, id);
    const { informingFollowUpDays } = await settings.current();
    return sendPage(
      reply,
      <InformingPage ctx={request.pageContext} signal={signal} values={values} errors={errors} today={today} days={informingFollowUpDays} />,
      422,
    );
  });
}

// ------------------------------------------------------------------------------------------------
// Extending

type ExtensionState = { kind: 'open'; until: Date } | { kind: 'later'; opensAt: Date } | { kind: 'refused'; code: string };

function ExtendPage(props: { ctx: PageContext; signal: SignalView; state: ExtensionState; reason?: string | undefined; error?: string }): Html {
  const { signal, state } = props;
  const name = personName(signal.person);
  return (
    <Page ctx={props.ctx} title={props.error ? 'Fout: signaal verlengen' : 'Signaal verlengen'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Signaal verlengen</h1>
        <Paragraph lead>
          Uw signaal over {name} is actief tot <TimeText at={signal.activeUntil} />.
          {state.kind === 'open' ? (
            <>
              {' '}
              Bent u daarna nog betrokken? Verleng het dan tot <TimeText at={state.until} />.
            </>
          ) : null}
        </Paragraph>
        {state.kind === 'later' ? (
          <Alert type="info">
            Verlengen kan vanaf <TimeText at={state.opensAt} />, kort voordat het signaal verloopt.
          </Alert>
        ) : null}
        {state.kind === 'refused' ? <Alert type="warning">{EXTENSION_REFUSALS[state.code] ?? EXTENSION_REFUSALS.signal_not_active}</Alert> : null}
        {state.kind === 'open' ? (
          <>
            {signal.matchId ? <Paragraph>Het signaal blijft in de match: de andere betrokken professionals zien geen verandering.</Paragraph> : null}
            <Form action={`/signalen/${signal.id}/verlengen`} csrf={props.ctx.csrf} errors={{ reden: props.error }}>
              <ChoiceGroup id="reden" legend="Waarom verlengt u het signaal?" selected={props.reason} error={props.error} options={EXTENSION_CHOICES} />
              <div class="sluis-actions">
                <Button>Signaal verlengen</Button>
                <a class="utrecht-link" href={`/signalen/${signal.id}`}>
                  Annuleren
                </a>
              </div>
            </Form>
          </>
        ) : (
          <p class="utrecht-paragraph">
            <a class="utrecht-link" href={`/signalen/${signal.id}`}>
              Terug naar uw signaal
            </a>
          </p>
        )}
      </div>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Adding the BSN to a signal filed without one

/** Why the BSN was not added, in Dutch; keyed by the service's problem code. */
const ADD_BSN_REFUSALS: Record<string, string> = {
  bsn_invalid: 'Dit BSN klopt niet: een BSN heeft 9 cijfers en voldoet aan de elfproef. Controleer de cijfers.',
  bsn_unknown_in_register: 'De BRP kent dit BSN niet. Controleer de cijfers.',
  person_deceased: 'Volgens de BRP is de persoon met dit BSN overleden. Controleer de cijfers.',
  date_of_birth_mismatch: 'Volgens de BRP heeft de persoon met dit BSN een andere geboortedatum dan uw signaal. Controleer de cijfers.',
  already_signalled:
    'U heeft al een actief signaal op de persoon met dit BSN. Beëindig dan dit signaal zonder BSN (uw hulp loopt via het andere signaal door).',
};

function AddBsnPage(props: { ctx: PageContext; signal: SignalView; value: string; error?: string | undefined }): Html {
  const { signal } = props;
  const name = personName(signal.person);
  return (
    <Page ctx={props.ctx} title={props.error ? 'Fout: BSN toevoegen' : 'BSN toevoegen'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">BSN toevoegen</h1>
        <Paragraph lead>
          {signal.identifiedBy === 'unborn'
            ? `U gaf uw signaal over ${name} af voor de geboorte. Is het kind geboren en ingeschreven? Voeg dan het BSN van het kind toe: SluiS koppelt uw signaal dan op dat BSN.`
            : `U gaf uw signaal over ${name} af zonder BSN. Weet u het BSN nu? Voeg het toe: SluiS koppelt uw signaal dan op het BSN.`}
        </Paragraph>
        <Paragraph>
          {signal.matchId ? 'Uw signaal verlaat de match waarin het nu is; de andere betrokkenen daar krijgen bericht. ' : ''}
          Zijn er professionals betrokken bij de persoon met dit BSN, dan ziet u meteen wie, en zij krijgen bericht over u.
        </Paragraph>
        <Form action={`/signalen/${signal.id}/bsn`} csrf={props.ctx.csrf} errors={{ bsn: props.error }}>
          <TextField
            id="bsn"
            label="BSN"
            value={props.value}
            error={props.error}
            inputmode="numeric"
            autocomplete="off"
            maxlength={11}
            width="m"
            description="Het burgerservicenummer: 9 cijfers. Het BSN is alleen voor het koppelen; niemand krijgt het te zien."
            extra={{ 'data-bsn': '', spellcheck: 'false' }}
          />
          <div id="bsn-controle" class="sluis-bsn-check" aria-live="polite"></div>
          <div class="sluis-actions">
            <Button>BSN toevoegen</Button>
            <a class="utrecht-link" href={`/signalen/${signal.id}`}>
              Annuleren
            </a>
          </div>
        </Form>
      </div>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Recording the informing

/** The posted fields, trimmed; unknown fields and unknown parties are ignored. */
function readInformingForm(body: unknown): InformingValues {
  const parties = (body as Record<string, unknown> | undefined)?.geinformeerd;
  const list = (Array.isArray(parties) ? parties : [parties]).filter((v): v is string => typeof v === 'string' && v in PARTIES);
  return {
    informeren: field(body, 'informeren'),
    geinformeerd: [...new Set(list)],
    'informeer-datum': readDateParts(body, 'informeer-datum'),
    'uitstel-reden': field(body, 'uitstel-reden'),
  };
}

/** The form's own checks, every problem at once; `record` only when there are none (the service checks the date and who by age). */
function checkInformingForm(values: InformingValues, today: IsoDate): { errors: FieldErrors; record?: InformingRecord } {
  if (values.informeren === 'uitgesteld') {
    const reason = POSTPONEMENTS[values['uitstel-reden']];
    if (!reason) return { errors: { 'uitstel-reden': 'Kies waarom u nog niet heeft geïnformeerd.' } };
    return { errors: {}, record: { basis: 'informing_postponed', reason } };
  }
  if (values.informeren !== 'gedaan') return { errors: { informeren: 'Kies of u inmiddels heeft geïnformeerd.' } };
  const errors: FieldErrors = {};
  if (values.geinformeerd.length === 0) errors.geinformeerd = 'Kies wie u heeft geïnformeerd.';
  const reading = readDate(values['informeer-datum']);
  const problem = dateProblem(reading, { what: 'de datum van het informeren', example: today, empty: 'Vul de datum in waarop u heeft geïnformeerd.' });
  if (problem) errors['informeer-datum'] = problem;
  const informedOn = reading.kind === 'date' ? reading.date : undefined;
  if (errors.geinformeerd || !informedOn) return { errors };
  return { errors, record: { basis: 'informed', informed: values.geinformeerd.map((party) => PARTIES[party]!), informedOn } };
}

/** The service's problems with the record, in Dutch, keyed by form field. */
function translateInformingProblems(problems: { name: string; code: string; reason: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { name, code } of problems) {
    if (name === 'informed') errors.geinformeerd ??= 'Niet iedereen die u moet informeren is aangevinkt. Kijk hierboven wie u informeert bij deze leeftijd.';
    else if (name === 'reason') errors['uitstel-reden'] ??= 'Kies waarom u nog niet heeft geïnformeerd.';
    else
      errors['informeer-datum'] ??=
        code === 'date_before_filing'
          ? 'De datum ligt vóór de dag waarop u het signaal afgaf. Toen was het informeren nog uitgesteld.'
          : code === 'date_in_future'
            ? 'De datum kan niet in de toekomst liggen.'
            : 'Vul een bestaande datum in.';
  }
  return errors;
}

function InformingPage(props: { ctx: PageContext; signal: SignalView; values: InformingValues; errors: FieldErrors; today: IsoDate; days: number }): Html {
  const { signal, values: v, errors: e } = props;
  const name = personName(signal.person);
  const failed = Object.values(e).some(Boolean);
  const postponed = signal.legalBasis.basis === 'informing_postponed';
  const age = signal.person && signal.person.dateOfBirth <= props.today ? ageOn(signal.person.dateOfBirth, props.today) : undefined;
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: informeren vastleggen' : 'Informeren vastleggen'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Informeren vastleggen</h1>
        {postponed ? (
          <>
            <Paragraph lead>
              Bij uw signaal over {name} heeft u het informeren uitgesteld. Heeft u inmiddels geïnformeerd? Leg dan vast wie u informeerde en wanneer. Kan het
              nog niet, leg dan vast waarom: SluiS vraagt het over {props.days} dagen opnieuw.
            </Paragraph>
            <Paragraph>Nu vastgelegd: {legalBasisText(signal.legalBasis)}.</Paragraph>
            <Paragraph>
              Om te informeren kunt u de informatiebrief van SluiS gebruiken:{' '}
              <a class="utrecht-link" href={`/signalen/${signal.id}/informatiebrief.pdf`}>
                Informatiebrief (PDF)
              </a>{' '}
              of de{' '}
              <a class="utrecht-link" href={`/signalen/${signal.id}/informatiebrief`}>
                tekst om te versturen
              </a>
              .
            </Paragraph>
            <Form action={`/signalen/${signal.id}/informeren`} csrf={props.ctx.csrf} errors={e}>
              <section class="sluis-legal-basis" id="grondslag" aria-labelledby="informeren-titel">
                <h2 class="utrecht-heading-2" id="informeren-titel">
                  Informeren
                </h2>
                {age !== undefined ? (
                  <Paragraph class="sluis-age-advice">
                    {age < CONSENT_AGE ? ageAdvice(age) : `De persoon is vandaag ${age} jaar: u informeert de persoon zelf.`}
                  </Paragraph>
                ) : null}
                <ChoiceGroup
                  id="informeren"
                  legend="Heeft u inmiddels geïnformeerd?"
                  selected={v.informeren}
                  error={e.informeren}
                  options={[
                    { value: 'gedaan', label: 'Ja, ik heb geïnformeerd' },
                    { value: 'uitgesteld', label: 'Nee, nog niet' },
                  ]}
                />
                <InformedFields
                  informed={v.geinformeerd}
                  date={v['informeer-datum']}
                  reason={v['uitstel-reden']}
                  errors={e}
                  today={props.today}
                  reasonLegend="Waarom nog niet?"
                />
              </section>
              <div class="sluis-actions">
                <Button>Vastleggen</Button>
                <a class="utrecht-link" href={`/signalen/${signal.id}`}>
                  Annuleren
                </a>
              </div>
            </Form>
          </>
        ) : (
          <>
            <Alert type="info">Het informeren is al vastgelegd: {legalBasisText(signal.legalBasis)}.</Alert>
            <p class="utrecht-paragraph">
              <a class="utrecht-link" href={`/signalen/${signal.id}`}>
                Terug naar uw signaal
              </a>
            </p>
          </>
        )}
      </div>
    </Page>
  );
}
