/**
 * /beheer/persoon: everything the index holds about one person, for a rights request. The BSN
 * travels only in the body of a POST; the answer is rendered in the POST response itself (no BSN
 * in any URL, none in the page: the person is "de gezochte persoon"), is not cached, and the
 * look-up is audited (person.looked_up) with the reason category.
 */
import type { FastifyInstance } from 'fastify';
import { Bsn } from '../../persons/bsn.ts';
import { CASE_NUMBER, LOOKUP_REASONS, type LookupReason, type PersonLookupResult } from '../../persons/person-lookup-service.ts';
import { Alert, Button, ChoiceGroup, DataList, type FieldErrors, Form, Heading, Paragraph, StatusBadge, Table, TextField, TimeText } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { ACTOR_LABELS, END_REASON_LABELS, eventLabel, legalBasisText, OUTCOME_LABELS, SIGNAL_STATUS_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { field, requireStaff, restoredForm, sendPage } from '../web-context.ts';
import type { AdminOptions } from './admin-shared.ts';

const REASON_OPTIONS: { value: LookupReason; label: string; description: string }[] = [
  { value: 'inzageverzoek', label: 'Inzageverzoek', description: 'De persoon wil weten wat er over hem of haar is vastgelegd (AVG artikel 15).' },
  { value: 'correctie', label: 'Correctie', description: 'De persoon vraagt om gegevens te verbeteren of aan te vullen (artikel 16).' },
  { value: 'bezwaar', label: 'Bezwaar', description: 'De persoon maakt bezwaar of vraagt om beperking (artikelen 18 en 21).' },
  { value: 'verwijderverzoek', label: 'Verwijderverzoek', description: 'De persoon vraagt om gegevens te wissen (artikel 17).' },
  { value: 'anders', label: 'Anders', description: 'Een ander verzoek van of namens de persoon. Leg de reden vast in het zaaksysteem.' },
];
const reasonLabel = (reason: LookupReason) => REASON_OPTIONS.find((o) => o.value === reason)!.label.toLowerCase();

type FormValues = { bsn: string; reden: string; zaaknummer: string };

function LookupForm(props: { ctx: PageContext; values?: FormValues; errors?: FieldErrors }): Html {
  const values = props.values ?? { bsn: '', reden: '', zaaknummer: '' };
  const errors = props.errors ?? {};
  const failed = Object.values(errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: persoon opzoeken' : 'Persoon opzoeken'}>
      <div class="sluis-narrow">
        <Heading>Persoon opzoeken</Heading>
        <Paragraph lead>
          Voor een verzoek van een persoon over zijn of haar gegevens (AVG) ziet u hier alles wat SluiS over die persoon weet: de signalen, de matches en wie de
          gegevens bekeek.
        </Paragraph>
        <Alert type="warning" title="Alleen bij een verzoek van de persoon">
          Zoek alleen iemand op als daar een verzoek voor is. Het opzoeken wordt vastgelegd in de audit trail, met de reden die u kiest. Het BSN wordt na het
          zoeken nergens getoond.
        </Alert>
        <Form action="/beheer/persoon" csrf={props.ctx.csrf} errors={errors}>
          <TextField
            id="bsn"
            label="BSN"
            value={values.bsn}
            inputmode="numeric"
            width="s"
            maxlength={11}
            autocomplete="off"
            error={errors.bsn}
            description="Het burgerservicenummer van 9 cijfers. SluiS controleert het met de elfproef."
            extra={{ 'data-bsn': '', spellcheck: 'false' }}
          />
          <p class="sluis-bsn-check" id="bsn-controle" aria-live="polite"></p>
          <ChoiceGroup id="reden" legend="Reden van het opzoeken" options={REASON_OPTIONS} selected={values.reden} error={errors.reden} />
          <TextField
            id="zaaknummer"
            label="Zaaknummer"
            value={values.zaaknummer}
            maxlength={40}
            width="m"
            required={false}
            autocomplete="off"
            error={errors.zaaknummer}
            description="Het nummer van het verzoek in het zaaksysteem van de gemeente. Alleen letters, cijfers en . / _ -; geen naam of andere gegevens van de persoon."
          />
          <div class="sluis-actions">
            <Button>Opzoeken</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

function ResultPage(props: { ctx: PageContext; result: PersonLookupResult; reason: LookupReason; caseNumber: string }): Html {
  const { result } = props;
  return (
    <Page ctx={props.ctx} title="Gegevens over de gezochte persoon" wide>
      <Heading>Gegevens over de gezochte persoon</Heading>
      <Alert type="info">
        Dit opzoeken is vastgelegd in de audit trail (reden: {reasonLabel(props.reason)}
        {props.caseNumber ? `, zaaknummer ${props.caseNumber}` : ''}). Deze pagina wordt niet bewaard: sluit haar als u klaar bent.
      </Alert>
      {!result.known ? (
        <Paragraph>SluiS kent de gezochte persoon niet: er zijn geen signalen over deze persoon, of ze zijn na de bewaartermijn verwijderd.</Paragraph>
      ) : (
        <DataList
          items={[
            ['Signalen', `${result.signals.length} (waarvan ${result.signals.filter((s) => s.status === 'active').length} actief)`],
            ['Matches', `${result.matches.length} (waarvan ${result.matches.filter((m) => m.status === 'open').length} open)`],
          ]}
        />
      )}

      <Heading level={2}>Signalen</Heading>
      <Paragraph>Welke professionals hebben vastgelegd dat zij bij de gezochte persoon betrokken zijn, en op welke grondslag.</Paragraph>
      <Table
        caption="Signalen over de gezochte persoon"
        head={['Organisatie', 'Professional', 'Status', 'Afgegeven', 'Einde', 'Bewaard tot', 'Grondslag']}
        empty="Er zijn geen signalen over de gezochte persoon."
        rows={result.signals.map((s) => [
          s.organisationName,
          s.professionalName,
          <StatusBadge tone={s.status === 'active' ? 'ok' : 'neutral'}>{SIGNAL_STATUS_LABELS[s.status]}</StatusBadge>,
          <TimeText at={s.filedAt} />,
          s.endedAt ? (
            <span>
              Beëindigd <TimeText at={s.endedAt} />
              {s.endReason ? ` (${END_REASON_LABELS[s.endReason]})` : ''}
            </span>
          ) : (
            <span>
              Actief tot <TimeText at={s.activeUntil} />
            </span>
          ),
          s.retainUntil ? <TimeText at={s.retainUntil} /> : '—',
          legalBasisText(s.legalBasis),
        ])}
      />

      <Heading level={2}>Matches</Heading>
      <Paragraph>Wanneer professionals van elkaars betrokkenheid hoorden.</Paragraph>
      {result.matches.length === 0 ? (
        <Paragraph class="sluis-empty">Er zijn geen matches over de gezochte persoon.</Paragraph>
      ) : (
        result.matches.map((m, index) => (
          <section aria-labelledby={`match-${index}`} class="sluis-admin-match">
            <h3 class="utrecht-heading-3" id={`match-${index}`}>
              Match {index + 1}: {m.status === 'open' ? 'open' : 'gesloten'}, ontstaan <TimeText at={m.createdAt} />
              {m.closedAt ? (
                <>
                  , gesloten <TimeText at={m.closedAt} />
                </>
              ) : null}
            </h3>
            <Table
              caption={`Betrokken professionals bij match ${index + 1}`}
              captionHidden
              head={['Organisatie', 'Professional', 'Erbij sinds', 'Vertrokken']}
              rows={m.participants.map((p) => [
                p.organisationName,
                p.professionalName,
                <TimeText at={p.joinedAt} />,
                p.leftAt ? <TimeText at={p.leftAt} /> : '—',
              ])}
            />
          </section>
        ))
      )}

      <Heading level={2}>Wie deed wat</Heading>
      <Paragraph>
        De gebeurtenissen over de gezochte persoon uit de audit trail, nieuwste eerst{result.auditTruncated ? ' (de laatste 500)' : ''}. Dit opzoeken staat er
        zelf nog niet bij.
      </Paragraph>
      <Table
        caption="Gebeurtenissen over de gezochte persoon"
        head={['Tijd', 'Gebeurtenis', 'Uitkomst', 'Door', 'Organisatie']}
        empty="Er zijn geen gebeurtenissen over de gezochte persoon."
        rows={result.auditEvents.map((e) => [
          <TimeText at={e.occurredAt} withTime />,
          eventLabel(e.eventType),
          OUTCOME_LABELS[e.outcome as keyof typeof OUTCOME_LABELS] ?? e.outcome,
          `${ACTOR_LABELS[e.actorType] ?? e.actorType}${e.actorName ? `: ${e.actorName}` : ''}`,
          e.organisationName ?? '—',
        ])}
      />
      <div class="sluis-actions">
        <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href="/beheer/persoon">
          Iemand anders opzoeken
        </a>
      </div>
    </Page>
  );
}

export async function personPages(app: FastifyInstance, { services }: AdminOptions) {
  app.get('/beheer/persoon', async (request, reply) => {
    requireStaff(request);
    // A lookup typed before the session ended comes back as the failed form does: the BSN only as the input's value.
    const kept = await restoredForm(request, '/beheer/persoon');
    const values = kept && { bsn: field(kept, 'bsn'), reden: field(kept, 'reden'), zaaknummer: field(kept, 'zaaknummer') };
    return sendPage(reply, <LookupForm ctx={request.pageContext} values={values} />);
  });

  app.post('/beheer/persoon', async (request, reply) => {
    const { actor } = requireStaff(request);
    reply.header('cache-control', 'no-store');
    const values: FormValues = { bsn: field(request.body, 'bsn'), reden: field(request.body, 'reden'), zaaknummer: field(request.body, 'zaaknummer') };
    const errors: FieldErrors = {};
    const digits = values.bsn.replace(/[\s.]/g, '');
    const bsn = Bsn.parse(digits);
    if (!values.bsn) errors.bsn = 'Vul het BSN in.';
    else if (!/^\d{9}$/.test(digits)) errors.bsn = 'Een BSN heeft 9 cijfers. Controleer het nummer.';
    else if (!bsn) errors.bsn = 'Dit BSN klopt niet (het voldoet niet aan de elfproef). Controleer de cijfers.';
    if (!(LOOKUP_REASONS as readonly string[]).includes(values.reden)) errors.reden = 'Kies de reden van het opzoeken.';
    if (values.zaaknummer && !CASE_NUMBER.test(values.zaaknummer))
      errors.zaaknummer = 'Een zaaknummer bestaat uit letters, cijfers en . / _ - (hooguit 40 tekens).';
    if (!bsn || Object.values(errors).some(Boolean)) {
      // The failed form shows what was typed, so that it can be corrected; only here does a BSN appear.
      return sendPage(reply, <LookupForm ctx={request.pageContext} values={values} errors={errors} />, 422);
    }
    const reason = values.reden as LookupReason;
    const result = await services.personLookup.lookUp(actor, bsn, { category: reason, ...(values.zaaknummer && { caseNumber: values.zaaknummer }) });
    return sendPage(reply, <ResultPage ctx={request.pageContext} result={result} reason={reason} caseNumber={values.zaaknummer} />);
  });
}
