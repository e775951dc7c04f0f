/**
 * /beheer/instellingen/regie: the coordination settings — after how many working days without a
 * coordinator, or without contact, a match escalates by itself (0 = never), and the covenant's
 * optional rule that proposes a coordinator by domain priority (for instance youth care before
 * school), as an ordered list of select fields that works without JavaScript.
 */
import type { FastifyInstance } from 'fastify';
import type { Domain } from '../../organisations/organisation-service.ts';
import { DOMAINS } from '../../organisations/organisation-service.ts';
import type { Settings, SettingsPatch } from '../../settings/settings-service.ts';
import { Alert, Button, type FieldErrors, Form, Heading, Paragraph, Select, TextField } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { DOMAIN_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { field, queryParam, redirect, requireStaff, restoredForm, sendPage } from '../web-context.ts';
import { type AdminOptions, wholeNumber } from './admin-shared.ts';

const RANKS = DOMAINS.length;
const rankId = (i: number) => `keus-${i + 1}`;
const MAX_DAYS = 60;

type Values = { 'geen-regisseur': string; 'geen-contact': string; priority: string[] };

const valuesOf = (settings: Settings): Values => ({
  'geen-regisseur': String(settings.escalateNoCoordinatorWorkingDays),
  'geen-contact': String(settings.escalateNoContactWorkingDays),
  priority: Array.from({ length: RANKS }, (_, i) => settings.coordinatorDomainPriority[i] ?? ''),
});

/** The form's values checked; the patch when all is well. */
export function readCoordinationSettings(body: unknown): {
  values: Values;
  errors: FieldErrors;
  patch?: Required<Pick<SettingsPatch, 'escalateNoCoordinatorWorkingDays' | 'escalateNoContactWorkingDays' | 'coordinatorDomainPriority'>>;
} {
  const values: Values = {
    'geen-regisseur': field(body, 'geen-regisseur'),
    'geen-contact': field(body, 'geen-contact'),
    priority: Array.from({ length: RANKS }, (_, i) => field(body, rankId(i))),
  };
  const errors: FieldErrors = {};
  const noCoordinator = wholeNumber(values['geen-regisseur'], 0, MAX_DAYS);
  if (noCoordinator === undefined) errors['geen-regisseur'] = `Het aantal werkdagen zonder regisseur moet een heel getal zijn van 0 tot en met ${MAX_DAYS}.`;
  const noContact = wholeNumber(values['geen-contact'], 0, MAX_DAYS);
  if (noContact === undefined) errors['geen-contact'] = `Het aantal werkdagen zonder contact moet een heel getal zijn van 0 tot en met ${MAX_DAYS}.`;
  const seen = new Set<string>();
  values.priority.forEach((domain, i) => {
    if (!domain) return;
    if (!(DOMAINS as readonly string[]).includes(domain)) errors[rankId(i)] = `Kies bij de ${i + 1}e keus een domein uit de lijst.`;
    else if (seen.has(domain)) errors[rankId(i)] = `U koos ${DOMAIN_LABELS[domain as Domain]} al eerder. Kies elk domein hoogstens één keer.`;
    seen.add(domain);
  });
  if (Object.values(errors).some(Boolean)) return { values, errors };
  return {
    values,
    errors,
    patch: {
      escalateNoCoordinatorWorkingDays: noCoordinator!,
      escalateNoContactWorkingDays: noContact!,
      coordinatorDomainPriority: values.priority.filter(Boolean) as Domain[],
    },
  };
}

function CoordinationSettingsPage(props: { ctx: PageContext; values: Values; errors?: FieldErrors; done?: string }): Html {
  const { values, errors = {} } = props;
  const failed = Object.values(errors).some(Boolean);
  const options = [{ value: '', label: '(geen)' }, ...DOMAINS.map((d) => ({ value: d, label: DOMAIN_LABELS[d] }))];
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: regie en opschaling' : 'Regie en opschaling'}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href="/beheer/instellingen">
            ← Alle instellingen
          </a>
        </p>
        <Heading>Regie en opschaling</Heading>
        {props.done === 'opgeslagen' ? <Alert type="ok">De instellingen voor regie en opschaling zijn opgeslagen.</Alert> : null}
        {props.done === 'ongewijzigd' ? <Alert type="info">Er was niets gewijzigd.</Alert> : null}
        <Paragraph>
          Na een match moeten de professionals contact leggen en moet één van hen de regie nemen. Komt dat niet op gang, dan schaalt SluiS de match vanzelf op
          naar de functionaris van de gemeente. Elke wijziging komt in de audit trail.
        </Paragraph>
        <Form action="/beheer/instellingen/regie" csrf={props.ctx.csrf} errors={errors}>
          <Heading level={2}>Vanzelf opschalen</Heading>
          <TextField
            id="geen-regisseur"
            label="Opschalen zonder regisseur na (werkdagen)"
            value={values['geen-regisseur']}
            inputmode="numeric"
            width="xs"
            maxlength={2}
            error={errors['geen-regisseur']}
            extra={{ pattern: '[0-9]*' }}
            description="Neemt niemand zoveel werkdagen (maandag tot en met vrijdag, zonder de algemeen erkende feestdagen) na de match de regie, dan gaat de match naar de functionaris. Vul 0 in om nooit vanzelf op te schalen. Gebruikelijk: 10."
          />
          <TextField
            id="geen-contact"
            label="Opschalen zonder contact na (werkdagen)"
            value={values['geen-contact']}
            inputmode="numeric"
            width="xs"
            maxlength={2}
            error={errors['geen-contact']}
            extra={{ pattern: '[0-9]*' }}
            description="Heeft niet iedere betrokken professional zoveel werkdagen na de match contact vastgelegd, dan gaat de match naar de functionaris. Vul 0 in om nooit vanzelf op te schalen. Gebruikelijk: 10."
          />

          <Heading level={2}>Voorstel voor de regie</Heading>
          <Paragraph>
            Zolang niemand de regie heeft, stelt SluiS de professional voor van wie de organisatie werkt in het domein dat hier het eerst staat — bijvoorbeeld
            jeugdhulp vóór onderwijs. Bij gelijke stand: wie het langst betrokken is. Het is een voorstel: de professional moet de regie nog zelf nemen. Laat
            alles op (geen) als het convenant zo'n regel niet kent.
          </Paragraph>
          <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset sluis-officer-ranks">
            <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">Volgorde van de domeinen</legend>
            {values.priority.map((selected, i) => (
              <Select id={rankId(i)} label={`${i + 1}e keus`} options={options} selected={selected} error={errors[rankId(i)]} required={false} />
            ))}
          </fieldset>
          <div class="sluis-actions">
            <Button>Opslaan</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

export async function coordinationSettingsPages(app: FastifyInstance, { services }: AdminOptions) {
  app.get('/beheer/instellingen/regie', async (request, reply) => {
    requireStaff(request);
    const done = queryParam(request, 'klaar');
    const kept = await restoredForm(request, '/beheer/instellingen/regie');
    const values = kept ? readCoordinationSettings(kept).values : valuesOf(await services.settings.reload());
    return sendPage(reply, <CoordinationSettingsPage ctx={request.pageContext} values={values} done={done} />);
  });

  app.post('/beheer/instellingen/regie', async (request, reply) => {
    const { actor } = requireStaff(request);
    const { values, errors, patch } = readCoordinationSettings(request.body);
    if (!patch) return sendPage(reply, <CoordinationSettingsPage ctx={request.pageContext} values={values} errors={errors} />, 422);
    const current = await services.settings.reload();
    const changed: SettingsPatch = {};
    if (patch.escalateNoCoordinatorWorkingDays !== current.escalateNoCoordinatorWorkingDays)
      changed.escalateNoCoordinatorWorkingDays = patch.escalateNoCoordinatorWorkingDays;
    if (patch.escalateNoContactWorkingDays !== current.escalateNoContactWorkingDays) changed.escalateNoContactWorkingDays = patch.escalateNoContactWorkingDays;
    if (patch.coordinatorDomainPriority.join(',') !== current.coordinatorDomainPriority.join(','))
      changed.coordinatorDomainPriority = patch.coordinatorDomainPriority;
    if (Object.keys(changed).length === 0) return redirect(reply, '/beheer/instellingen/regie?klaar=ongewijzigd');
    await services.settings.update(actor, changed);
    return redirect(reply, '/beheer/instellingen/regie?klaar=opgeslagen');
  });
}
