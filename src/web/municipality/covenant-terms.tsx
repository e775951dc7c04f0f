/**
 * On an organisation's page under /beheer: the covenant's terms — whether the organisation's
 * professionals may take coordination after a match, or only signal (in practice schools and the
 * police; Zorg voor Jeugd's rule). The form sits in the covenant section of organisation-pages.tsx;
 * its handler is registered from there. Default: they may coordinate.
 */

import type { FastifyInstance } from 'fastify';
import type { CovenantView } from '../../covenants/covenant-service.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { Button, ChoiceGroup, Form, Paragraph } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import type { PageContext } from '../layout.tsx';
import { field, notFound, redirect, requireStaff, WebRefusal } from '../web-context.ts';
import type { AdminOptions } from './admin-shared.ts';

/** The flash after saving (?klaar=regie). */
export const COVENANT_TERMS_DONE = 'De afspraak over de regie is opgeslagen. Die geldt meteen voor wat de professionals van deze organisatie doen.';

const CHOICES = [
  { value: 'ja', label: 'Ja, haar professionals kunnen de regie nemen', description: 'Zoals de meeste organisaties in zorg, welzijn en hulpverlening.' },
  {
    value: 'nee',
    label: 'Nee, de organisatie geeft alleen signalen af',
    description:
      'Bijvoorbeeld een school of de politie. Haar professionals kunnen de regie niet nemen of overnemen, en worden niet voorgesteld of aangewezen als regisseur.',
  },
];

/** The form on the organisation's page, for a covenant that has not ended. */
export function CovenantTermsForm(props: { ctx: PageContext; organisationId: string; covenant: CovenantView }): Html {
  return (
    <Form
      action={`/beheer/organisaties/${props.organisationId}/convenant/${props.covenant.id}/regie`}
      csrf={props.ctx.csrf}
      class="sluis-admin-action sluis-covenant-terms"
    >
      <ChoiceGroup
        id="regie-nemen"
        name="regie"
        legend="Mogen de professionals van deze organisatie de regie nemen?"
        options={CHOICES}
        selected={props.covenant.mayCoordinate ? 'ja' : 'nee'}
        description="Na een match neemt een van de betrokken professionals de regie. Dat staat in het convenant."
      />
      <Paragraph>Wie nu al de regie heeft bij een match, houdt die tot hij of zij de regie overdraagt. De functionaris ziet dat bij een opschaling.</Paragraph>
      <div class="sluis-actions">
        <Button kind="secondary">Afspraak over de regie opslaan</Button>
      </div>
    </Form>
  );
}

/** POST /beheer/organisaties/:id/convenant/:covenantId/regie: saves the choice (post/redirect/get). */
export function covenantTermsRoute(app: FastifyInstance, services: Pick<AdminOptions['services'], 'covenants'>) {
  app.post('/beheer/organisaties/:id/convenant/:covenantId/regie', async (request, reply) => {
    const { actor } = requireStaff(request);
    const { id, covenantId } = request.params as { id: string; covenantId: string };
    if (!isUuid(id) || !isUuid(covenantId)) throw notFound();
    const covenant = (await services.covenants.list(id)).find((c) => c.id === covenantId);
    if (!covenant) throw notFound();
    const choice = field(request.body, 'regie');
    if (choice !== 'ja' && choice !== 'nee') throw new WebRefusal(400);
    try {
      await services.covenants.setTerms(actor, covenantId, { mayCoordinate: choice === 'ja' });
    } catch (error) {
      // Ended meanwhile: the page shows how it stands now.
      if (error instanceof Problem && error.status === 409) return redirect(reply, `/beheer/organisaties/${id}`);
      throw error;
    }
    return redirect(reply, `/beheer/organisaties/${id}?klaar=regie`);
  });
}
