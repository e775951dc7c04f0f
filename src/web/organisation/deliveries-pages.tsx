/**
 * The organisation's deliveries that failed (/organisatie/afleveringen), with retry.
 */
import type { FastifyInstance } from 'fastify';
import type { CoordinatorService } from '../../organisations/coordinator-service.ts';
import { Alert, Paragraph, StatusBadge, Table, TimeText } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { ListCount, type ListPage, Pager, pageParam, readPage } from '../pager.tsx';
import { queryParam, redirect, requireCoordinator, sendPage } from '../web-context.ts';
import { Back, CannotPage, EVENT_LABELS, idOf, isProblem } from './coordinator-shared.tsx';

type Deliveries = ListPage<Awaited<ReturnType<CoordinatorService['failedDeliveries']>>['items'][number]>;

function DeliveriesPage(props: { ctx: PageContext; deliveries: Deliveries; notice?: Html | null }): Html {
  const csrf = props.ctx.csrf;
  return (
    <Page ctx={props.ctx} title="Afleveringen" wide>
      <Back />
      <h1 class="utrecht-heading-1">Berichten die niet aankwamen</h1>
      {props.notice ?? null}
      <Paragraph>
        SluiS probeert een bericht (e-mail of webhook) een aantal keren opnieuw. Lukt het dan nog niet, dan is het "opgegeven". Los de oorzaak op (bijvoorbeeld
        een webhookadres dat niet bereikbaar was) en bied het bericht opnieuw aan.
      </Paragraph>
      {props.deliveries.total > 0 ? <ListCount list={props.deliveries} nouns={['bericht dat niet aankwam', 'berichten die niet aankwamen']} /> : null}
      <Table
        caption="Mislukte afleveringen"
        captionHidden
        head={['Bericht', 'Aan', 'Status', 'Pogingen', 'Technische fout', 'Actie']}
        empty="Alle berichten zijn afgeleverd."
        rows={props.deliveries.items.map((d) => [
          <span>
            {EVENT_LABELS[d.eventType]}
            <br />
            <TimeText at={d.createdAt} withTime />
          </span>,
          <span>
            {d.channel === 'email' ? 'E-mail aan ' : 'Webhook '}
            {d.channel === 'webhook' ? <code class="utrecht-code sluis-break">{d.recipient}</code> : d.recipient}
          </span>,
          d.status === 'dead' ? (
            <StatusBadge tone="warning">Opgegeven</StatusBadge>
          ) : (
            <span>
              <StatusBadge tone="new">Wordt opnieuw geprobeerd</StatusBadge>
              <br />
              vanaf <TimeText at={d.nextAttemptAt} withTime />
            </span>
          ),
          String(d.attempts),
          d.lastError ? <code class="utrecht-code sluis-break">{d.lastError}</code> : '—',
          d.status === 'dead' ? (
            <form method="post" action={`/organisatie/afleveringen/${d.id}/opnieuw`} class="sluis-inline-form">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit" class="utrecht-button utrecht-button--secondary-action">
                Opnieuw aanbieden<span class="sluis-visually-hidden"> (bericht {d.id})</span>
              </button>
            </form>
          ) : (
            '—'
          ),
        ])}
      />
      <Pager
        label="Pagina's van de berichten die niet aankwamen"
        list={props.deliveries}
        target={{ href: (page) => (page > 1 ? `/organisatie/afleveringen?pagina=${page}` : '/organisatie/afleveringen') }}
      />
    </Page>
  );
}

/** The deliveries pages. */
export async function deliveriesPages(app: FastifyInstance, { services }: PageOptions) {
  const coordinator = services.organisationCoordinator;

  app.get('/organisatie/afleveringen', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const deliveries = await readPage(pageParam(request), (slice) => coordinator.failedDeliveries(actor, slice));
    const notice =
      queryParam(request, 'gedaan') === 'opnieuw' ? <Alert type="ok">Het bericht is opnieuw aangeboden. SluiS probeert het nu af te leveren.</Alert> : null;
    return sendPage(reply, <DeliveriesPage ctx={request.pageContext} deliveries={deliveries} notice={notice} />);
  });

  app.post('/organisatie/afleveringen/:id/opnieuw', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const raw = idOf(request);
    const id = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : 0;
    try {
      await coordinator.retryDelivery(actor, id);
    } catch (error) {
      if (!isProblem(error, 409)) throw error;
      return sendPage(
        reply,
        <CannotPage
          ctx={request.pageContext}
          title="Dat kan niet"
          text="Dit bericht wordt al afgeleverd of is al aangekomen; alleen een opgegeven bericht kunt u opnieuw aanbieden."
          back="/organisatie/afleveringen"
        />,
        409,
      );
    }
    return redirect(reply, '/organisatie/afleveringen?gedaan=opnieuw');
  });
}
