/**
 * /beheer/medewerkers: the municipality's staff with their roles (functioneel beheerder,
 * functionaris opschaling), adding a staff member (who gets a web account and an invitation mail),
 * changing a staff member's roles — never one's own administrator role away — and resetting a
 * staff member's lost second factor (never one's own). For administrators only; role changes are
 * audited (staff.roles_changed) by the staff service, resets (web.second_factor_reset) by the
 * account service.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normaliseEmail } from '../../accounts/credentials.ts';
import type { StaffRole } from '../../shared/actor.ts';
import { isEmailAddress } from '../../shared/email.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { StaffMemberWithAccount } from '../../staff/staff-service.ts';
import { Alert, Button, ChoiceGroup, type FieldErrors, Form, Heading, Paragraph, Table, TextField } from '../components.tsx';
import { ConfirmPage } from '../confirm-page.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { ACCOUNT_STATUS_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { ListCount, type ListPage, Pager, pageOfWhole, pageParam } from '../pager.tsx';
import { resetDoneText, secondFactorResetRoutes } from '../second-factor-pages.tsx';
import { field, notFound, queryParam, redirect, requireStaff, restoredForm, sendPage } from '../web-context.ts';
import { type AdminOptions, fieldValues } from './admin-shared.ts';

export const ROLE_LABELS: Record<StaffRole, { label: string; description: string }> = {
  municipality_admin: {
    label: 'Functioneel beheerder',
    description: 'Beheert organisaties, convenanten, instellingen en medewerkers, en ziet de audit trail.',
  },
  escalation_officer: {
    label: 'Functionaris opschaling',
    description: 'Krijgt opgeschaalde matches, ziet de contactgegevens van de betrokken professionals en wijst zo nodig een regisseur aan.',
  },
  privacy_officer: {
    label: 'Privacyfunctionaris',
    description: 'Behandelt verzoeken van personen over hun gegevens, registreert datalekken en verantwoordt de verwerkingen.',
  },
};
const ROLES = Object.keys(ROLE_LABELS) as StaffRole[];
const roleOptions = ROLES.map((role) => ({ value: role, ...ROLE_LABELS[role] }));
const rolesText = (roles: readonly string[]) => roles.map((r) => ROLE_LABELS[r as StaffRole]?.label ?? r).join(', ');

type Member = StaffMemberWithAccount;
const ACCOUNT_LABELS: Record<Member['account'], string> = ACCOUNT_STATUS_LABELS;

type NewValues = { naam: string; email: string; rollen: string[] };

function StaffListPage(props: { ctx: PageContext; members: ListPage<Member>; values: NewValues; errors?: FieldErrors; done?: string }): Html {
  const { values, errors = {} } = props;
  const failed = Object.values(errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: medewerkers' : 'Medewerkers'} wide>
      <Heading>Medewerkers van de gemeente</Heading>
      {props.done === 'toegevoegd' ? (
        <Alert type="ok">De medewerker is toegevoegd en krijgt een uitnodiging per e-mail om een wachtwoord te kiezen.</Alert>
      ) : null}
      <Paragraph lead>Wie namens de gemeente in SluiS werkt, en met welke rol. Elke wijziging van rollen komt in de audit trail.</Paragraph>
      {props.members.total > 0 ? <ListCount list={props.members} nouns={['medewerker', 'medewerkers']} /> : null}
      <Table
        caption="Medewerkers"
        captionHidden
        empty="Er zijn nog geen medewerkers."
        head={['Naam', 'E-mail', 'Rollen', 'Account', 'Wijzigen']}
        rows={props.members.items.map((m) => [
          m.name,
          <span class="sluis-break">{m.email}</span>,
          rolesText(m.roles),
          m.active ? ACCOUNT_LABELS[m.account] : ACCOUNT_LABELS.deactivated,
          <a class="utrecht-link" href={`/beheer/medewerkers/${m.id}`}>
            Rollen van {m.name} wijzigen
          </a>,
        ])}
      />
      <Pager
        label="Pagina's van de medewerkers"
        list={props.members}
        target={{ href: (page) => (page > 1 ? `/beheer/medewerkers?pagina=${page}` : '/beheer/medewerkers') }}
      />
      <section aria-labelledby="toevoegen">
        <Heading level={2} id="toevoegen">
          Medewerker toevoegen
        </Heading>
        <Form action="/beheer/medewerkers" csrf={props.ctx.csrf} errors={errors} class="sluis-admin-action">
          <TextField id="naam" label="Naam" value={values.naam} maxlength={200} autocomplete="off" error={errors.naam} />
          <TextField
            id="email"
            label="E-mailadres"
            type="email"
            value={values.email}
            maxlength={254}
            autocomplete="off"
            error={errors.email}
            description="Het werkadres van de medewerker. Hierheen gaat de uitnodiging."
          />
          <ChoiceGroup
            id="rollen"
            legend="Rollen"
            multiple
            options={roleOptions}
            selected={values.rollen}
            error={errors.rollen}
            description="Kies één of beide rollen."
          />
          <div class="sluis-actions">
            <Button>Medewerker toevoegen</Button>
          </div>
        </Form>
      </section>
    </Page>
  );
}

function StaffMemberPage(props: { ctx: PageContext; member: Member; self: boolean; selected: string[]; error?: string; done?: string }): Html {
  const { member } = props;
  return (
    <Page ctx={props.ctx} title={props.error ? `Fout: rollen van ${member.name}` : `Rollen van ${member.name}`}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href="/beheer/medewerkers">
            ← Alle medewerkers
          </a>
        </p>
        <Heading>Rollen van {member.name}</Heading>
        {props.done === 'gewijzigd' ? <Alert type="ok">De rollen zijn gewijzigd. Ze gelden meteen, ook als de medewerker al is ingelogd.</Alert> : null}
        {props.done === 'tweede-factor' ? <Alert type="ok">{resetDoneText(member.name)}</Alert> : null}
        {props.done === 'gedeactiveerd' ? (
          <Alert type="ok">{member.name} is gedeactiveerd: inloggen en API-sleutels werken niet meer, en alle sessies zijn beëindigd.</Alert>
        ) : null}
        <Paragraph>
          {member.email} · account: {(member.active ? ACCOUNT_LABELS[member.account] : ACCOUNT_LABELS.deactivated).toLowerCase()}
        </Paragraph>
        <Form action={`/beheer/medewerkers/${member.id}`} csrf={props.ctx.csrf} errors={{ rollen: props.error }}>
          <ChoiceGroup
            id="rollen"
            legend="Rollen"
            multiple
            options={roleOptions}
            selected={props.selected}
            error={props.error}
            description={
              props.self
                ? 'U kunt uw eigen rol als functioneel beheerder niet weghalen; vraag dat een andere functioneel beheerder.'
                : 'Kies één of beide rollen.'
            }
          />
          <div class="sluis-actions">
            <Button>Rollen opslaan</Button>
          </div>
        </Form>
        {!props.self && member.active && member.account === 'active' ? (
          <section aria-labelledby="tweede-factor">
            <Heading level={2} id="tweede-factor">
              Tweede factor
            </Heading>
            {member.enrolled ? (
              <>
                <Paragraph>
                  Is {member.name} de telefoon met de authenticator-app kwijt, en ook de herstelcodes? Dan kunt u de tweede factor opnieuw instellen; het
                  wachtwoord blijft hetzelfde.
                </Paragraph>
                <p class="utrecht-paragraph">
                  <a class="utrecht-link" href={`/beheer/medewerkers/${member.id}/tweede-factor`}>
                    Tweede factor opnieuw instellen<span class="sluis-visually-hidden"> van {member.name}</span>
                  </a>
                </p>
              </>
            ) : (
              <Paragraph>{member.name} heeft nog geen authenticator-app gekoppeld; dat gebeurt bij de volgende keer inloggen.</Paragraph>
            )}
          </section>
        ) : null}
        {!props.self && member.active ? (
          <section aria-labelledby="deactiveren">
            <Heading level={2} id="deactiveren">
              Deactiveren
            </Heading>
            <Paragraph>
              Vertrekt {member.name}, of werkt {member.name} niet meer met SluiS? Dan deactiveert u de medewerker.
            </Paragraph>
            <p class="utrecht-paragraph">
              <a class="utrecht-link" href={`/beheer/medewerkers/${member.id}/deactiveren`}>
                {member.name} deactiveren
              </a>
            </p>
          </section>
        ) : null}
      </div>
    </Page>
  );
}

/** Deactivating a staff member: the one confirmation pattern (confirm-page.tsx). */
function DeactivateStaffPage(props: { ctx: PageContext; member: Member; members: Member[]; self: boolean }): Html {
  const { member } = props;
  const lastOfRole = (role: StaffRole) => member.roles.includes(role) && !props.members.some((m) => m.id !== member.id && m.active && m.roles.includes(role));
  const refusal = props.self
    ? 'U kunt uzelf niet deactiveren. Vraag dat een andere functioneel beheerder.'
    : !member.active
      ? `${member.name} is al gedeactiveerd.`
      : undefined;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title={`${member.name} deactiveren`}
      back={{ href: `/beheer/medewerkers/${member.id}`, label: '← Terug naar de medewerker' }}
      action={`/beheer/medewerkers/${member.id}/deactiveren`}
      confirm="Ja, deactiveren"
      blocked={refusal !== undefined}
      refusal={refusal}
      refusalTone={props.self ? 'error' : 'info'}
      intro={`${member.name} (${member.email}) werkt namens de gemeente in SluiS als ${rolesText(member.roles).toLowerCase()}.`}
      warning={
        lastOfRole('escalation_officer')
          ? {
              title: 'De laatste functionaris opschaling',
              body: `${member.name} is de enige actieve functionaris opschaling. Geef eerst een andere medewerker die rol, anders behandelt niemand de opgeschaalde matches.`,
            }
          : undefined
      }
      consequences={[
        `${member.name} kan niet meer inloggen en wordt op alle apparaten direct uitgelogd.`,
        `API-sleutels van ${member.name} werken niet meer.`,
        'De audit trail legt vast dat u dit heeft gedaan.',
      ]}
      irreversible={`Een gedeactiveerde medewerker wordt niet weer actief. Komt ${member.name} terug, voeg ${member.name} dan opnieuw toe met een ander e-mailadres.`}
      question={`Weet u zeker dat u ${member.name} (${member.email}) wilt deactiveren?`}
    />
  );
}

export async function staffPages(app: FastifyInstance, { services }: AdminOptions) {
  /** The members for the page (an administrator's request; checked again by the service). */
  const members = (request: FastifyRequest, id?: string) => services.staff.listWithAccounts(requireStaff(request).actor, id);
  /** A page of them for the list (the whole list is short: the municipality's own staff). */
  const membersPage = async (request: FastifyRequest) => pageOfWhole(await members(request), pageParam(request));

  app.get('/beheer/medewerkers', async (request, reply) => {
    requireStaff(request);
    const done = queryParam(request, 'klaar');
    const kept = await restoredForm(request, '/beheer/medewerkers');
    const values: NewValues = kept
      ? { naam: field(kept, 'naam'), email: field(kept, 'email'), rollen: fieldValues(kept, 'rollen') }
      : { naam: '', email: '', rollen: [] };
    return sendPage(reply, <StaffListPage ctx={request.pageContext} members={await membersPage(request)} values={values} done={done} />);
  });

  app.post('/beheer/medewerkers', async (request, reply) => {
    const { actor } = requireStaff(request);
    const values: NewValues = { naam: field(request.body, 'naam'), email: field(request.body, 'email'), rollen: fieldValues(request.body, 'rollen') };
    const errors: FieldErrors = {};
    if (!values.naam) errors.naam = 'Vul de naam van de medewerker in.';
    else if (values.naam.length > 200) errors.naam = 'De naam is te lang: hooguit 200 tekens.';
    if (!isEmailAddress(values.email)) errors.email = 'Vul een geldig e-mailadres in, zoals naam@gemeente.nl.';
    const roles = ROLES.filter((r) => values.rollen.includes(r));
    if (roles.length === 0 || roles.length !== values.rollen.length) errors.rollen = 'Kies ten minste één rol.';
    const email = normaliseEmail(values.email);
    if (Object.values(errors).some(Boolean)) {
      return sendPage(reply, <StaffListPage ctx={request.pageContext} members={await membersPage(request)} values={values} errors={errors} />, 422);
    }
    let sendInvitation: () => Promise<void>;
    try {
      // The member (without an API token: they work through these pages) and the web account, in one transaction.
      ({ sendInvitation } = await services.staff.inviteForWeb(actor, { name: values.naam, email, roles }));
    } catch (error) {
      if (!(error instanceof Problem && error.status === 409)) throw error;
      errors.email = 'Met dit e-mailadres bestaat al een account of medewerker in SluiS. Kies een ander e-mailadres.';
      return sendPage(reply, <StaffListPage ctx={request.pageContext} members={await membersPage(request)} values={values} errors={errors} />, 409);
    }
    await sendInvitation();
    return redirect(reply, '/beheer/medewerkers?klaar=toegevoegd');
  });

  app.get<{ Params: { id: string } }>('/beheer/medewerkers/:id', async (request, reply) => {
    const { user } = requireStaff(request);
    const [member] = isUuid(request.params.id) ? await members(request, request.params.id) : [];
    if (!member) throw notFound();
    const done = queryParam(request, 'klaar');
    const kept = await restoredForm(request, `/beheer/medewerkers/${member.id}`);
    const selected = kept ? fieldValues(kept, 'rollen') : member.roles;
    return sendPage(
      reply,
      <StaffMemberPage ctx={request.pageContext} member={member} self={member.id === user.staffMemberId} selected={selected} done={done} />,
    );
  });

  app.post<{ Params: { id: string } }>('/beheer/medewerkers/:id', async (request, reply) => {
    const { user, actor } = requireStaff(request);
    const [member] = isUuid(request.params.id) ? await members(request, request.params.id) : [];
    if (!member) throw notFound();
    const self = member.id === user.staffMemberId;
    const chosen = fieldValues(request.body, 'rollen');
    const roles = ROLES.filter((r) => chosen.includes(r));
    const refuse = (error: string, status: number) =>
      sendPage(reply, <StaffMemberPage ctx={request.pageContext} member={member} self={self} selected={chosen} error={error} />, status);
    if (roles.length === 0 || roles.length !== chosen.length) return refuse('Kies ten minste één rol.', 422);
    if (self && !roles.includes('municipality_admin'))
      return refuse('U kunt uw eigen rol als functioneel beheerder niet weghalen. Vraag dat een andere functioneel beheerder.', 422);
    if (roles.length === member.roles.length && roles.every((r) => member.roles.includes(r))) return redirect(reply, `/beheer/medewerkers/${member.id}`);
    try {
      await services.staff.setRoles(actor, member.id, roles);
    } catch (error) {
      if (error instanceof Problem && error.code === 'own_admin_role')
        return refuse('U kunt uw eigen rol als functioneel beheerder niet weghalen. Vraag dat een andere functioneel beheerder.', 409);
      throw error;
    }
    return redirect(reply, `/beheer/medewerkers/${member.id}?klaar=gewijzigd`);
  });

  // Deactivating a staff member who leaves: a confirmation page first (GET), the POST does it.
  app.get<{ Params: { id: string } }>('/beheer/medewerkers/:id/deactiveren', async (request, reply) => {
    const { user } = requireStaff(request);
    const all = isUuid(request.params.id) ? await members(request) : [];
    const member = all.find((m) => m.id === request.params.id);
    if (!member) throw notFound();
    const self = member.id === user.staffMemberId;
    return sendPage(reply, <DeactivateStaffPage ctx={request.pageContext} member={member} members={all} self={self} />, self ? 409 : 200);
  });

  app.post<{ Params: { id: string } }>('/beheer/medewerkers/:id/deactiveren', async (request, reply) => {
    const { user, actor } = requireStaff(request);
    const id = request.params.id;
    try {
      await services.staff.deactivate(actor, id);
    } catch (error) {
      if (!(error instanceof Problem && error.code === 'own_staff_member')) throw error;
      const all = await members(request);
      const member = all.find((m) => m.id === id)!;
      return sendPage(reply, <DeactivateStaffPage ctx={request.pageContext} member={member} members={all} self={member.id === user.staffMemberId} />, 409);
    }
    return redirect(reply, `/beheer/medewerkers/${id}?klaar=gedeactiveerd`);
  });

  // A staff member's lost second factor: the account service decides who may (an administrator, never
  // for themselves) and does it; the confirmation page first asks to make sure who is asking.
  secondFactorResetRoutes(app, services.accounts, {
    base: '/beheer/medewerkers',
    actorOf: (request) => requireStaff(request).actor,
    holderOf: (id) => ({ staffMemberId: id }),
    options: (id) => ({
      action: `/beheer/medewerkers/${id}/tweede-factor`,
      back: { href: `/beheer/medewerkers/${id}`, label: '← Terug naar de medewerker' },
      askInstead: 'een andere functioneel beheerder',
    }),
    done: (id) => `/beheer/medewerkers/${id}?klaar=tweede-factor`,
  });
}
