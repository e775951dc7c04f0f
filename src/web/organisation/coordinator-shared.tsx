/** What the organisation coordinator's pages share: labels, checks and small components. */
import type { FastifyRequest } from 'fastify';
import type { OutboxEventType } from '../../notifications/events.ts';
import { Problem } from '../../shared/errors.ts';
import { Alert } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';

export const EVENT_LABELS: Record<OutboxEventType, string> = {
  'match.created': 'Nieuwe match',
  'rights.decision_carried_out': 'Besluit over een persoon uitgevoerd',
  'match.participant_joined': 'Professional bij match gekomen',
  'match.participant_left': 'Professional uit match vertrokken',
  'signal.ended': 'Signaal beëindigd',
  'signal.expiring': 'Signaal verloopt binnenkort',
  'coordination.changed': 'Regie gewijzigd',
  'signal.extended': 'Signaal verlengd',
  'signal.informing_due': 'Informeren vastleggen gevraagd',
  'signal.informing_recorded': 'Informeren vastgelegd',
  'case_consultation.invited': 'Uitgenodigd voor een casusoverleg',
  'case_consultation.meeting_planned': 'Bijeenkomst casusoverleg gepland',
  'case_consultation.action_point_assigned': 'Actiepunt casusoverleg afgesproken',
  'signal.person_moved': 'Persoon verhuisd naar een andere gemeente',
  'breach.partners_notified': 'Bericht over een datalek',
  'rights_request.deadlines_due': 'Verzoeken over persoonsgegevens bijna of te laat',
  'federation.register': 'Registratie bij de landelijke hub',
  'federation.deregister': 'Einde registratie bij de landelijke hub',
  'federation.contacts': 'Contactgegevens naar de landelijke hub',
  'federation.move': 'Verhuizing naar een andere regio, naar de landelijke hub',
  'federation.move_received': 'Verhuizing uit een andere regio',
};

export const PHONE = /^[0-9+()\-\s]{6,40}$/;

/** Breadcrumb-like link back to the overview. */
export const Back = (props: { href?: string; label?: string }): Html => (
  <p class="utrecht-paragraph sluis-back">
    <a class="utrecht-link" href={props.href ?? '/organisatie'}>
      {props.label ?? 'Terug naar Mijn organisatie'}
    </a>
  </p>
);

export function CannotPage(props: { ctx: PageContext; title: string; text: string; back: string }): Html {
  return (
    <Page ctx={props.ctx} title={props.title}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">{props.title}</h1>
        <Alert type="error">{props.text}</Alert>
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href={props.back}>
            Terug
          </a>
        </p>
      </div>
    </Page>
  );
}

export const list = (body: unknown, name: string): string[] => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
};

export function validUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && Boolean(url.hostname);
  } catch {
    return false;
  }
}

export const isProblem = (error: unknown, status: number): error is Problem => error instanceof Problem && error.status === status;

/** The id in the path of a route under /organisatie. */
export const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
