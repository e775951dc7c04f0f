/**
 * /beheer/verhuizingen: who hears that a person with a signal moved to another municipality, per
 * municipality code — an organisation in SluiS (its coordinators) or an e-mail address — and the
 * municipalities moved to without one (counts only). Through the municipality contacts service, as
 * /api/v1/municipality-contacts does; every change is audited there.
 */
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../shared/errors.ts';
import { Alert, Button, type FieldErrors, Form, Heading, Paragraph, Select, Table, TextField } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { field, queryParam, redirect, requireStaff, sendPage } from '../web-context.ts';
import type { AdminOptions } from './admin-shared.ts';

type Contacts = Awaited<ReturnType<AdminOptions['services']['municipalityContacts']['list']>>;
type Values = { gemeentecode: string; organisatie: string; email: string };

const DONE: Record<string, string> = {
  opgeslagen: 'Het contact is opgeslagen. Verhuizingen naar die gemeente gaan vanaf nu naar dit contact.',
  verwijderd: 'Het contact is verwijderd. Verhuizingen naar die gemeente ziet u voortaan hieronder geteld.',
};

function ContactsPage(props: {
  ctx: PageContext;
  contacts: Contacts;
  organisations: { id: string; name: string }[];
  values: Values;
  errors?: FieldErrors;
  done?: string | undefined;
}): Html {
  const { contacts, values, errors = {} } = props;
  const failed = Object.values(errors).some(Boolean);
  const nameOf = (id: string | null) => props.organisations.find((o) => o.id === id)?.name ?? 'een organisatie';
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: verhuizingen naar een andere gemeente' : 'Verhuizingen naar een andere gemeente'}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href="/beheer">
            Overzicht
          </a>
        </p>
        <Heading>Verhuizingen naar een andere gemeente</Heading>
        {props.done && DONE[props.done] ? <Alert type="ok">{DONE[props.done]}</Alert> : null}
        <Paragraph>
          Verhuist een persoon met een signaal volgens de BRP naar een andere gemeente, dan hoort de professional die het signaal afgaf dat. De nieuwe gemeente
          krijgt een e-mail met de contactgegevens van die professional, nooit met gegevens over de persoon. Stel hier per gemeentecode in wie die mail krijgt:
          een organisatie in SluiS (haar coördinatoren) of een e-mailadres.
        </Paragraph>
        {contacts.unrouted.length > 0 ? (
          <Alert type="warning" title="Verhuizingen zonder contact">
            <p class="utrecht-paragraph">Naar deze gemeenten verhuisden personen met een signaal, maar niemand daar hoorde het:</p>
            <ul class="utrecht-unordered-list">
              {contacts.unrouted.map((u) => (
                <li class="utrecht-unordered-list__item">
                  gemeentecode {u.municipalityCode}: {u.moves === 1 ? 'één verhuizing' : `${u.moves} verhuizingen`}
                </li>
              ))}
            </ul>
          </Alert>
        ) : null}
        <Table
          caption="Ingestelde contacten"
          head={['Gemeentecode', 'Wie hoort het', '']}
          rows={contacts.contacts.map((c) => [
            c.municipalityCode,
            c.email ?? `De coördinatoren van ${nameOf(c.organisationId)}`,
            <Form action="/beheer/verhuizingen/verwijderen" csrf={props.ctx.csrf}>
              <input type="hidden" name="gemeentecode" value={c.municipalityCode} />
              <Button kind="secondary">Verwijderen</Button>
            </Form>,
          ])}
          empty="Er is nog geen contact ingesteld."
        />
        <Heading level={2}>Contact instellen</Heading>
        <Form action="/beheer/verhuizingen" csrf={props.ctx.csrf} errors={errors}>
          <TextField
            id="gemeentecode"
            label="Gemeentecode"
            value={values.gemeentecode}
            maxlength={4}
            inputmode="numeric"
            error={errors.gemeentecode}
            description="Vier cijfers, zoals de BRP de gemeente van inschrijving noemt (0363 is Amsterdam). Een bestaand contact voor deze code wordt vervangen."
          />
          <Select
            id="organisatie"
            label="Organisatie"
            required={false}
            selected={values.organisatie}
            options={[{ value: '', label: 'Geen: een e-mailadres' }, ...props.organisations.map((o) => ({ value: o.id, label: o.name }))]}
            error={errors.organisatie}
            description="De coördinatoren van deze organisatie krijgen de mail."
          />
          <TextField
            id="email"
            label="Of een e-mailadres"
            type="email"
            required={false}
            value={values.email}
            maxlength={254}
            error={errors.email}
            description="Vul dit in als de gemeente geen organisatie in SluiS heeft."
          />
          <div class="sluis-actions">
            <Button>Contact opslaan</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

export async function municipalityContactPages(app: FastifyInstance, { services }: AdminOptions) {
  const show = async (
    ctx: PageContext,
    actor: Parameters<typeof services.municipalityContacts.list>[0],
    values: Values,
    errors?: FieldErrors,
    done?: string,
  ) => (
    <ContactsPage
      ctx={ctx}
      contacts={await services.municipalityContacts.list(actor)}
      organisations={(await services.organisations.list({})).map((o) => ({ id: o.id, name: o.name }))}
      values={values}
      {...(errors && { errors })}
      done={done}
    />
  );

  app.get('/beheer/verhuizingen', async (request, reply) => {
    const { actor } = requireStaff(request);
    return sendPage(reply, await show(request.pageContext, actor, { gemeentecode: '', organisatie: '', email: '' }, undefined, queryParam(request, 'klaar')));
  });

  app.post('/beheer/verhuizingen', async (request, reply) => {
    const { actor } = requireStaff(request);
    const values: Values = {
      gemeentecode: field(request.body, 'gemeentecode'),
      organisatie: field(request.body, 'organisatie'),
      email: field(request.body, 'email'),
    };
    const errors: FieldErrors = {};
    if (!/^[0-9]{4}$/.test(values.gemeentecode)) errors.gemeentecode = 'Vul een gemeentecode van vier cijfers in, bijvoorbeeld 0363.';
    if (!values.organisatie && !values.email) errors.organisatie = 'Kies een organisatie, of vul hieronder een e-mailadres in.';
    if (values.organisatie && values.email) errors.email = 'Kies een organisatie of een e-mailadres, niet allebei.';
    if (Object.keys(errors).length === 0) {
      try {
        await services.municipalityContacts.set(
          actor,
          values.gemeentecode,
          values.organisatie ? { organisationId: values.organisatie } : { email: values.email },
        );
        return redirect(reply, '/beheer/verhuizingen?klaar=opgeslagen');
      } catch (error) {
        if (!(error instanceof Problem && error.status === 422)) throw error;
        for (const param of error.invalidParams ?? []) {
          if (param.name === 'email') errors.email = 'Dit is geen e-mailadres waar SluiS naar kan sturen.';
          else if (param.name === 'organisationId') errors.organisatie = 'Deze organisatie bestaat niet (meer).';
          else errors.gemeentecode = 'Vul een gemeentecode van vier cijfers in, bijvoorbeeld 0363.';
        }
      }
    }
    return sendPage(reply, await show(request.pageContext, actor, values, errors), 422);
  });

  app.post('/beheer/verhuizingen/verwijderen', async (request, reply) => {
    const { actor } = requireStaff(request);
    try {
      await services.municipalityContacts.remove(actor, field(request.body, 'gemeentecode'));
    } catch (error) {
      // Removed meanwhile (another tab): the list shows it gone all the same.
      if (!(error instanceof Problem && (error.status === 404 || error.status === 422))) throw error;
    }
    return redirect(reply, '/beheer/verhuizingen?klaar=verwijderd');
  });
}
