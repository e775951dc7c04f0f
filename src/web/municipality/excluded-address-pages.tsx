/**
 * /beheer/uitgesloten-adressen: the register of excluded addresses (care institutions, shelters,
 * prisons), where no address match is made: the list, adding one, removing one, and a CSV import
 * (pasted, all lines or none). Through the excluded addresses service, as /api/v1/excluded-addresses
 * does; every change is audited there. SluiS keeps no address id in clear, so the list shows the
 * label and a short form of the pseudonym only.
 */
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../shared/errors.ts';
import { Alert, Button, type FieldErrors, Form, Heading, Paragraph, Table, TextArea, TextField } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { field, queryParam, redirect, requireStaff, sendPage } from '../web-context.ts';
import type { AdminOptions } from './admin-shared.ts';

type Addresses = Awaited<ReturnType<AdminOptions['services']['excludedAddresses']['list']>>;
type Values = { adres: string; omschrijving: string; csv: string };

const DONE: Record<string, string> = {
  toegevoegd: 'Het adres is uitgesloten. Een adresmatch op dit adres is gesloten; er komt er geen nieuwe.',
  verwijderd: 'Het adres is niet meer uitgesloten. Bij een volgend signaal op dit adres kan weer een adresmatch ontstaan.',
  ingelezen: 'De adressen zijn ingelezen en uitgesloten.',
};

function ExcludedAddressesPage(props: { ctx: PageContext; addresses: Addresses; values: Values; errors?: FieldErrors; done?: string | undefined }): Html {
  const { addresses, values, errors = {} } = props;
  const failed = Object.values(errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: uitgesloten adressen' : 'Uitgesloten adressen'}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href="/beheer">
            Overzicht
          </a>
        </p>
        <Heading>Uitgesloten adressen</Heading>
        {props.done && DONE[props.done] ? <Alert type="ok">{DONE[props.done]}</Alert> : null}
        <Paragraph>
          Op deze adressen maakt SluiS geen adresmatch: zorginstellingen, opvang, gevangenissen en andere adressen waar veel mensen ingeschreven staan die niets
          met elkaar te maken hebben. SluiS bewaart het adres niet leesbaar, alleen een versleutelde vorm en een korte omschrijving als u die geeft.
        </Paragraph>
        <Table
          caption="Uitgesloten adressen"
          head={['Omschrijving', 'Kenmerk', '']}
          rows={addresses.map((a) => [
            a.label ?? 'Zonder omschrijving',
            a.id.slice(0, 8),
            <Form action="/beheer/uitgesloten-adressen/verwijderen" csrf={props.ctx.csrf}>
              <input type="hidden" name="id" value={a.id} />
              <Button kind="secondary">Verwijderen</Button>
            </Form>,
          ])}
          empty="Er zijn nog geen adressen uitgesloten."
        />
        <Heading level={2}>Adres uitsluiten</Heading>
        <Form action="/beheer/uitgesloten-adressen" csrf={props.ctx.csrf} errors={errors}>
          <TextField
            id="adres"
            label="Adresseerbaar object (BAG)"
            value={values.adres}
            maxlength={16}
            inputmode="numeric"
            error={errors.adres}
            description="De 16 cijfers van de adresseerbaarObjectIdentificatie, zoals de BRP en de BAG die geven."
          />
          <TextField
            id="omschrijving"
            label="Korte omschrijving"
            required={false}
            value={values.omschrijving}
            maxlength={60}
            error={errors.omschrijving}
            description="Hooguit 60 tekens. Een omschrijving kan gevoelig zijn (een opvangadres): houd die kort en algemeen, of laat haar leeg."
          />
          <div class="sluis-actions">
            <Button>Adres uitsluiten</Button>
          </div>
        </Form>
        <Heading level={2}>Adressen inlezen</Heading>
        <Form action="/beheer/uitgesloten-adressen/inlezen" csrf={props.ctx.csrf} errors={errors}>
          <TextArea
            id="csv"
            label="Adressen (CSV)"
            value={values.csv}
            rows={8}
            error={errors.csv}
            description="Eén adres per regel: de 16 cijfers, en eventueel na een komma of puntkomma een korte omschrijving. Is één regel fout, dan wordt niets ingelezen en ziet u welke regels fout zijn."
          />
          <div class="sluis-actions">
            <Button>Inlezen</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

export async function excludedAddressPages(app: FastifyInstance, { services }: AdminOptions) {
  const empty: Values = { adres: '', omschrijving: '', csv: '' };
  const show = async (ctx: PageContext, actor: Parameters<typeof services.excludedAddresses.list>[0], values: Values, errors?: FieldErrors, done?: string) => (
    <ExcludedAddressesPage ctx={ctx} addresses={await services.excludedAddresses.list(actor)} values={values} {...(errors && { errors })} done={done} />
  );

  app.get('/beheer/uitgesloten-adressen', async (request, reply) => {
    const { actor } = requireStaff(request);
    return sendPage(reply, await show(request.pageContext, actor, empty, undefined, queryParam(request, 'klaar')));
  });

  app.post('/beheer/uitgesloten-adressen', async (request, reply) => {
    const { actor } = requireStaff(request);
    const values: Values = { ...empty, adres: field(request.body, 'adres').replace(/\s/g, ''), omschrijving: field(request.body, 'omschrijving') };
    try {
      await services.excludedAddresses.add(actor, { addressObjectId: values.adres, label: values.omschrijving });
      return redirect(reply, '/beheer/uitgesloten-adressen?klaar=toegevoegd');
    } catch (error) {
      if (!(error instanceof Problem && error.status === 422)) throw error;
      const errors: FieldErrors =
        error.invalidParams?.[0]?.name === 'label'
          ? { omschrijving: 'Een omschrijving is één regel van hooguit 60 tekens.' }
          : { adres: 'Vul de 16 cijfers van het adresseerbaar object in, bijvoorbeeld 0518010000583570.' };
      return sendPage(reply, await show(request.pageContext, actor, values, errors), 422);
    }
  });

  app.post('/beheer/uitgesloten-adressen/inlezen', async (request, reply) => {
    const { actor } = requireStaff(request);
    const values: Values = { ...empty, csv: field(request.body, 'csv') };
    try {
      await services.excludedAddresses.importCsv(actor, values.csv);
      return redirect(reply, '/beheer/uitgesloten-adressen?klaar=ingelezen');
    } catch (error) {
      if (!(error instanceof Problem && error.status === 422)) throw error;
      const lines = (error.invalidParams ?? []).map((p) => p.name.replace(/^line /, ''));
      const errors: FieldErrors = {
        csv: `Er is niets ingelezen. ${lines.length === 1 ? `Regel ${lines[0]} is` : `De regels ${lines.join(', ')} zijn`} niet goed: elke regel begint met de 16 cijfers van een adresseerbaar object, met eventueel een omschrijving van hooguit 60 tekens.`,
      };
      return sendPage(reply, await show(request.pageContext, actor, values, errors), 422);
    }
  });

  app.post('/beheer/uitgesloten-adressen/verwijderen', async (request, reply) => {
    const { actor } = requireStaff(request);
    try {
      await services.excludedAddresses.remove(actor, field(request.body, 'id'));
    } catch (error) {
      // Removed meanwhile (another tab): the list shows it gone all the same.
      if (!(error instanceof Problem && error.status === 404)) throw error;
    }
    return redirect(reply, '/beheer/uitgesloten-adressen?klaar=verwijderd');
  });
}
