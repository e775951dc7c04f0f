/**
 * One's own account (/account): signing out everywhere, and in development the mails SluiS sent.
 */
import type { FastifyInstance } from 'fastify';
import { actorFor } from '../../accounts/account-service.ts';
import { Alert, Button, Form, Paragraph, TimeText } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { ListCount, type ListPage, Pager, pageParam, readPage } from '../pager.tsx';
import { notFound, queryParam, redirect, requireUser, sendPage } from '../web-context.ts';

function AccountPage(props: { ctx: PageContext; done?: boolean; devMailbox?: boolean }): Html {
  const user = props.ctx.user!;
  return (
    <Page ctx={props.ctx} title="Uw account">
      <h1 class="utrecht-heading-1">Uw account</h1>
      {props.done ? <Alert type="ok">U bent op alle andere apparaten uitgelogd.</Alert> : null}
      <dl class="utrecht-data-list sluis-data-list">
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">Naam</dt>
          <dd class="utrecht-data-list__item-value">{user.name}</dd>
        </div>
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">E-mailadres</dt>
          <dd class="utrecht-data-list__item-value">{user.email}</dd>
        </div>
        {user.kind === 'professional' ? (
          <div class="utrecht-data-list__item">
            <dt class="utrecht-data-list__item-key">Organisatie</dt>
            <dd class="utrecht-data-list__item-value">
              {user.organisationName}
              {user.coordinator ? ' (coördinator)' : ''}
            </dd>
          </div>
        ) : null}
      </dl>
      {props.devMailbox ? (
        <Alert type="info">
          Er is geen mailserver ingesteld.{' '}
          <a class="utrecht-link" href="/account/mail">
            Bekijk de mails die SluiS u stuurde
          </a>{' '}
          in het ontwikkelpostvak.
        </Alert>
      ) : null}
      <h2 class="utrecht-heading-2">Overal uitloggen</h2>
      <Paragraph>Bent u uw telefoon kwijt, of bent u op een andere computer vergeten uit te loggen? Log dan overal uit, ook hier.</Paragraph>
      <Form action="/account/overal-uitloggen" csrf={props.ctx.csrf}>
        <Button kind="secondary">Overal uitloggen</Button>
      </Form>
      <h2 class="utrecht-heading-2">Wachtwoord wijzigen</h2>
      <Paragraph>
        U krijgt een mail met een link om een nieuw wachtwoord te kiezen.{' '}
        <a class="utrecht-link" href="/wachtwoord/vergeten">
          Link aanvragen
        </a>
      </Paragraph>
    </Page>
  );
}

function OwnMailPage(props: { ctx: PageContext; mails: ListPage<{ id: number; receivedAt: Date; subject: string; text: string }> }): Html {
  return (
    <Page ctx={props.ctx} title="Mijn mail (ontwikkelpostvak)">
      <h1 class="utrecht-heading-1">Mijn mail</h1>
      <Alert type="info">
        Deze SluiS heeft geen mailserver: mails komen in het ontwikkelpostvak. Hier ziet u de mails die aan u ({props.ctx.user!.email}) zijn verstuurd. Met een
        mailserver komen ze gewoon in uw mailbox.
      </Alert>
      {props.mails.total === 0 ? (
        <Paragraph class="sluis-empty">Er zijn nog geen mails aan u verstuurd.</Paragraph>
      ) : (
        <ListCount list={props.mails} nouns={['mail', 'mails']} />
      )}
      {props.mails.items.map((mail) => (
        <article class="sluis-card sluis-mail" aria-labelledby={`mail-${mail.id}`}>
          <h2 class="utrecht-heading-3" id={`mail-${mail.id}`}>
            {mail.subject}
          </h2>
          <p class="utrecht-paragraph sluis-mail__meta">
            <TimeText at={mail.receivedAt} withTime />
          </p>
          <pre class="sluis-mail__body">{mail.text}</pre>
        </article>
      ))}
      <Pager label="Pagina's van uw mail" list={props.mails} target={{ href: (page) => (page > 1 ? `/account/mail?pagina=${page}` : '/account/mail') }} />
    </Page>
  );
}

/** The account pages. */
export async function ownAccountPages(app: FastifyInstance, { services }: PageOptions) {
  const { accounts } = services;

  app.get('/account', async (request, reply) => {
    requireUser(request);
    return sendPage(
      reply,
      <AccountPage ctx={request.pageContext} done={queryParam(request, 'klaar') === '1'} devMailbox={services.mail.kind === 'dev_mailbox'} />,
    );
  });

  // Development and demo only (no SMTP server configured): the mails SluiS sent to the signed-in user.
  app.get('/account/mail', async (request, reply) => {
    const user = requireUser(request);
    if (services.mail.kind !== 'dev_mailbox') throw notFound();
    const mails = await readPage(pageParam(request), (slice) => services.deliveries.ownDevMail(actorFor(user, request.id), user.email, slice), 10);
    return sendPage(reply, <OwnMailPage ctx={request.pageContext} mails={mails} />);
  });

  app.post('/account/overal-uitloggen', async (request, reply) => {
    const user = requireUser(request);
    await accounts.signOutEverywhere(user, request.id);
    reply.setSession(null);
    return redirect(reply, '/inloggen');
  });
}
