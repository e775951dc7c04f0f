/**
 * /beheer/instellingen/privacy: the municipality's parts of the privacy statement on /privacy —
 * who is responsible, how residents reach the municipality, its data protection officer, the
 * purposes, a link to its general privacy statement. An empty field shows the default (controller,
 * purposes) or a clear placeholder (contact, officer) on /privacy. Saved through the settings
 * service (`privacyStatement`, audited as settings.updated), as PATCH /api/v1/settings does.
 */
import type { FastifyInstance } from 'fastify';
import type { PrivacyStatement } from '../../settings/settings-service.ts';
import { Alert, Button, type FieldErrors, Form, Heading, Paragraph, TextArea, TextField } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { DEFAULT_PURPOSES, defaultController } from '../privacy-texts.tsx';
import { field, queryParam, redirect, requireStaff, sendPage } from '../web-context.ts';
import type { AdminOptions } from './admin-shared.ts';

/** The form's fields, the statement's parts they hold, and at most how long each may be. */
const FIELDS = {
  verantwoordelijke: { part: 'controller', max: 300, what: 'De naam van de verantwoordelijke' },
  contact: { part: 'contact', max: 2000, what: 'De contactgegevens' },
  functionaris: { part: 'dataProtectionOfficer', max: 2000, what: 'De gegevens van de functionaris' },
  doelen: { part: 'purposes', max: 4000, what: 'De tekst over het doel' },
  'meer-informatie': { part: 'moreInformationUrl', max: 500, what: 'Het webadres' },
} as const satisfies Record<string, { part: keyof PrivacyStatement; max: number; what: string }>;

type Name = keyof typeof FIELDS;
type Values = Record<Name, string>;
const NAMES = Object.keys(FIELDS) as Name[];

const valuesOf = (statement: PrivacyStatement): Values => Object.fromEntries(NAMES.map((name) => [name, statement[FIELDS[name].part] ?? ''])) as Values;

/** The form checked; the new statement (empty fields left out) when all is well. */
export function readPrivacyStatement(body: unknown): { values: Values; errors: FieldErrors; statement?: PrivacyStatement } {
  // Line breaks as the browser sends them (CRLF) are stored as \n.
  const values = Object.fromEntries(NAMES.map((name) => [name, field(body, name).replace(/\r\n?/g, '\n').trim()])) as Values;
  const errors: FieldErrors = {};
  for (const name of NAMES) {
    const { max, what } = FIELDS[name];
    if (values[name].length > max) errors[name] = `${what} is te lang: hooguit ${max} tekens. Nu zijn het er ${values[name].length}.`;
  }
  const url = values['meer-informatie'];
  if (url && !errors['meer-informatie'] && !/^https:\/\/[^\s"<>]+$/.test(url))
    errors['meer-informatie'] = 'Vul een webadres in dat begint met https://, of laat het veld leeg.';
  if (Object.values(errors).some(Boolean)) return { values, errors };
  const statement: PrivacyStatement = {};
  for (const name of NAMES) if (values[name]) statement[FIELDS[name].part] = values[name];
  return { values, errors, statement };
}

function PrivacySettingsPage(props: { ctx: PageContext; values: Values; errors?: FieldErrors; done?: string }): Html {
  const { values, errors = {} } = props;
  const failed = Object.values(errors).some(Boolean);
  const missing = [!values.contact && 'hoe inwoners de gemeente bereiken', !values.functionaris && 'de functionaris gegevensbescherming'].filter(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: privacyverklaring' : 'Privacyverklaring'}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href="/beheer/instellingen">
            Instellingen
          </a>
        </p>
        <Heading>Privacyverklaring</Heading>
        {props.done === 'opgeslagen' ? <Alert type="ok">De privacyverklaring is opgeslagen. Iedereen leest haar meteen op de privacypagina.</Alert> : null}
        {props.done === 'ongewijzigd' ? <Alert type="info">Er was niets gewijzigd.</Alert> : null}
        <Paragraph>
          Op de pagina{' '}
          <a class="utrecht-link" href="/privacy">
            Privacy en uw rechten
          </a>{' '}
          leest iedereen wat SluiS met persoonsgegevens doet. Een deel vult u hier in. Laat u een veld leeg, dan staat er de standaardtekst of, bij
          contactgegevens, een mededeling dat de gemeente dit nog invult.
        </Paragraph>
        <Paragraph>
          Welke gegevens SluiS bewaart, wie ze ziet, hoe lang ze bewaard blijven en welke rechten inwoners hebben, zet SluiS er zelf bij. De bewaartermijnen
          komen uit{' '}
          <a class="utrecht-link" href="/beheer/instellingen">
            Looptijd en bewaren
          </a>
          .
        </Paragraph>
        {missing.length > 0 && !failed ? (
          <Alert type="warning" title="Nog niet ingevuld">
            <p class="utrecht-paragraph">Op de privacypagina staat nu een mededeling in plaats van {missing.join(' en van ')}.</p>
          </Alert>
        ) : null}
        <Form action="/beheer/instellingen/privacy" csrf={props.ctx.csrf} errors={errors}>
          <Heading level={2}>Wie is verantwoordelijk?</Heading>
          <TextField
            id="verantwoordelijke"
            label="Verwerkingsverantwoordelijke"
            value={values.verantwoordelijke}
            maxlength={FIELDS.verantwoordelijke.max}
            required={false}
            error={errors.verantwoordelijke}
            description={`Wie in de wet verantwoordelijk is voor SluiS, bijvoorbeeld "Het college van burgemeester en wethouders van Rotterdam". Leeg: "${defaultController(props.ctx.theme.municipalityName)}".`}
          />
          <TextArea
            id="contact"
            label="Contact voor vragen en verzoeken"
            rows={4}
            maxlength={FIELDS.contact.max}
            required={false}
            value={values.contact}
            error={errors.contact}
            description="Hoe inwoners de gemeente bereiken om hun gegevens in te zien, te laten verbeteren of bezwaar te maken: adres, telefoonnummer, e-mailadres of webformulier."
          />
          <TextArea
            id="functionaris"
            label="Functionaris gegevensbescherming"
            rows={3}
            maxlength={FIELDS.functionaris.max}
            required={false}
            value={values.functionaris}
            error={errors.functionaris}
            description="Hoe inwoners de functionaris gegevensbescherming (FG) van de gemeente bereiken."
          />
          <Heading level={2}>Waarvoor is SluiS?</Heading>
          <TextArea
            id="doelen"
            label="Het doel, in gewone woorden"
            rows={6}
            maxlength={FIELDS.doelen.max}
            required={false}
            value={values.doelen}
            error={errors.doelen}
            description={`Laat leeg voor de standaardtekst: "${DEFAULT_PURPOSES}" Wat de wet regelt en wie toestemming geeft, zet SluiS er zelf onder.`}
          />
          <Heading level={2}>Meer informatie</Heading>
          <TextField
            id="meer-informatie"
            label="Link naar de privacyverklaring van de gemeente"
            type="url"
            inputmode="url"
            value={values['meer-informatie']}
            maxlength={FIELDS['meer-informatie'].max}
            required={false}
            error={errors['meer-informatie']}
            description="Een webadres dat begint met https://. Leeg: geen link."
          />
          <div class="sluis-actions">
            <Button>Privacyverklaring opslaan</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

export async function privacySettingsPages(app: FastifyInstance, { services }: AdminOptions) {
  app.get('/beheer/instellingen/privacy', async (request, reply) => {
    requireStaff(request);
    const settings = await services.settings.reload();
    return sendPage(reply, <PrivacySettingsPage ctx={request.pageContext} values={valuesOf(settings.privacyStatement)} done={queryParam(request, 'klaar')} />);
  });

  app.post('/beheer/instellingen/privacy', async (request, reply) => {
    const { actor } = requireStaff(request);
    const { values, errors, statement } = readPrivacyStatement(request.body);
    if (!statement) return sendPage(reply, <PrivacySettingsPage ctx={request.pageContext} values={values} errors={errors} />, 422);
    const current = await services.settings.reload();
    const same = JSON.stringify(valuesOf(current.privacyStatement)) === JSON.stringify(valuesOf(statement));
    if (same) return redirect(reply, '/beheer/instellingen/privacy?klaar=ongewijzigd');
    await services.settings.update(actor, { privacyStatement: statement });
    return redirect(reply, '/beheer/instellingen/privacy?klaar=opgeslagen');
  });
}
