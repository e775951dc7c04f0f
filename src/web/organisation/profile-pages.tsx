/**
 * The organisation's profile (/organisatie/profiel): what the directory shows of it.
 */
import type { FastifyInstance } from 'fastify';
import type { ProfileInput } from '../../organisations/coordinator-service.ts';
import type { Domain } from '../../organisations/organisation-service.ts';
import { DOMAINS } from '../../organisations/organisation-service.ts';
import { isEmailAddress } from '../../shared/email.ts';
import { Alert, Button, ChoiceGroup, type FieldErrors, Form, Paragraph, TextArea, TextField } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { DOMAIN_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, queryParam, redirect, requireCoordinator, restoredForm, sendPage } from '../web-context.ts';
import { Back, list, PHONE, validUrl } from './coordinator-shared.tsx';

type ProfileValues = { omschrijving: string; meldcriteria: string; website: string; telefoon: string; email: string; domeinen: string[] };

function ProfilePage(props: { ctx: PageContext; name: string; values: ProfileValues; errors?: FieldErrors; saved?: boolean }): Html {
  const errors = props.errors ?? {};
  const hasErrors = Object.values(errors).some(Boolean);
  const v = props.values;
  return (
    <Page ctx={props.ctx} title={hasErrors ? 'Fout: organisatieprofiel' : 'Organisatieprofiel'}>
      <div class="sluis-narrow">
        <Back />
        <h1 class="utrecht-heading-1">Organisatieprofiel</h1>
        {props.saved ? <Alert type="ok">Het profiel is opgeslagen.</Alert> : null}
        <Paragraph>
          Professionals van andere organisaties zien dit profiel bij een match en in het overzicht van organisaties. De naam van uw organisatie ({props.name})
          wijzigt de gemeente.
        </Paragraph>
        <Form action="/organisatie/profiel" csrf={props.ctx.csrf} errors={errors}>
          <ChoiceGroup
            id="domeinen"
            legend="Domeinen"
            multiple
            selected={v.domeinen}
            error={errors.domeinen}
            description="Kies minstens één domein waarin uw organisatie werkt."
            options={DOMAINS.map((d) => ({ value: d, label: DOMAIN_LABELS[d] }))}
          />
          <TextArea
            id="omschrijving"
            label="Welke hulp biedt uw organisatie?"
            rows={5}
            maxlength={4000}
            required={false}
            value={v.omschrijving}
            error={errors.omschrijving}
          />
          <TextArea
            id="meldcriteria"
            label="Meldcriteria (afwegingskader)"
            rows={6}
            maxlength={4000}
            required={false}
            value={v.meldcriteria}
            error={errors.meldcriteria}
            description="In welke situaties geven uw professionals een signaal af?"
          />
          <TextField
            id="website"
            label="Website"
            type="url"
            inputmode="url"
            maxlength={500}
            required={false}
            value={v.website}
            error={errors.website}
            description="Begint met https://"
          />
          <TextField
            id="telefoon"
            label="Algemeen telefoonnummer"
            type="tel"
            inputmode="tel"
            maxlength={40}
            width="m"
            required={false}
            value={v.telefoon}
            error={errors.telefoon}
          />
          <TextField
            id="email"
            label="Algemeen e-mailadres"
            type="email"
            inputmode="email"
            maxlength={254}
            required={false}
            value={v.email}
            error={errors.email}
          />
          <div class="sluis-actions">
            <Button>Profiel opslaan</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

function validateProfile(body: unknown): { values: ProfileValues; errors: FieldErrors; input?: ProfileInput } {
  const values: ProfileValues = {
    omschrijving: field(body, 'omschrijving'),
    meldcriteria: field(body, 'meldcriteria'),
    website: field(body, 'website'),
    telefoon: field(body, 'telefoon'),
    email: field(body, 'email'),
    domeinen: list(body, 'domeinen'),
  };
  const domains = values.domeinen.filter((d): d is Domain => (DOMAINS as readonly string[]).includes(d));
  const errors: FieldErrors = {
    domeinen: domains.length === 0 || domains.length !== values.domeinen.length ? 'Kies minstens één domein.' : undefined,
    omschrijving: values.omschrijving.length > 4000 ? 'De omschrijving is te lang (hoogstens 4000 tekens).' : undefined,
    meldcriteria: values.meldcriteria.length > 4000 ? 'De meldcriteria zijn te lang (hoogstens 4000 tekens).' : undefined,
    website:
      values.website && (!validUrl(values.website) || !values.website.startsWith('https://') || values.website.length > 500)
        ? 'Vul een geldig webadres in dat begint met https://'
        : undefined,
    telefoon: values.telefoon && !PHONE.test(values.telefoon) ? 'Vul een geldig telefoonnummer in, met alleen cijfers, spaties, + of -.' : undefined,
    email: values.email && !isEmailAddress(values.email) ? 'Vul een geldig e-mailadres in, zoals info@organisatie.nl.' : undefined,
  };
  if (Object.values(errors).some(Boolean)) return { values, errors };
  return {
    values,
    errors,
    input: {
      domains: [...new Set(domains)],
      description: values.omschrijving,
      signallingCriteria: values.meldcriteria,
      website: values.website || null,
      phone: values.telefoon || null,
      email: values.email ? values.email.toLowerCase() : null,
    },
  };
}

/** The profile pages. */
export async function profilePages(app: FastifyInstance, { services }: PageOptions) {
  const coordinator = services.organisationCoordinator;

  app.get('/organisatie/profiel', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const o = await coordinator.profile(actor);
    const kept = await restoredForm(request, '/organisatie/profiel');
    const values: ProfileValues = kept
      ? validateProfile(kept).values
      : {
          omschrijving: o.description,
          meldcriteria: o.signalling_criteria,
          website: o.website ?? '',
          telefoon: o.phone ?? '',
          email: o.email ?? '',
          domeinen: o.domains,
        };
    return sendPage(reply, <ProfilePage ctx={request.pageContext} name={o.name} values={values} saved={queryParam(request, 'opgeslagen') === '1'} />);
  });

  app.post('/organisatie/profiel', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const o = await coordinator.profile(actor);
    const { values, errors, input } = validateProfile(request.body);
    if (!input) return sendPage(reply, <ProfilePage ctx={request.pageContext} name={o.name} values={values} errors={errors} />, 422);
    await coordinator.updateProfile(actor, input);
    return redirect(reply, '/organisatie/profiel?opgeslagen=1');
  });
}
