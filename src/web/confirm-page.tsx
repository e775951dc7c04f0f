/**
 * The one way SluiS asks before doing what cannot be undone — revoking an API key, removing a
 * webhook, ending a signal or a covenant, deactivating a professional, resetting a second factor,
 * bringing in the escalation officer. A page of its own, reached by a link (GET), so it works without
 * JavaScript: what will happen in plain Dutch, what cannot be undone, and a POST form (with CSRF)
 * whose red button does the act, beside a link back that does nothing. A form that needs a choice
 * first (why a signal ends) puts its fields in `children`; the act is still done only by the POST.
 */
import { Alert, Button, type FieldErrors, Form, Heading, Paragraph } from './components.tsx';
import { type Child, Fragment, type Html, h } from './html/jsx.ts';
import { Page, type PageContext } from './layout.tsx';

export type ConfirmPageProps = {
  ctx: PageContext;
  /** The question as a heading, e.g. "API-sleutel Zorgdossier intrekken". */
  title: string;
  /** Where "Annuleren" and the link above the heading go (the page the user came from). */
  back: { href: string; label: string };
  /** The POST that does the act. */
  action: string;
  /** The red button: says the act, e.g. "Ja, intrekken". */
  confirm: string;
  /** Why one would do this, or what it is about (optional). */
  intro?: Child;
  /** What happens, one item each, in plain Dutch. */
  consequences: Child[];
  /** What cannot be undone, and what to do instead if one changes one's mind. */
  irreversible: Child;
  /** A warning to read first (e.g. "check who is asking", "still has active signals"). */
  warning?: { title: string; body: Child };
  /** The question above the buttons, naming exactly what: "Weet u zeker dat u … wilt intrekken?" */
  question: Child;
  /** Fields the act needs (a reason), shown above the question; their errors go in `errors`. */
  children?: Child;
  errors?: FieldErrors;
  /** Why the act was refused or cannot be done (shown instead of the form when `blocked`). */
  refusal?: Child;
  /** The act cannot be done now (already done, nothing to do): no form, only the way back. */
  blocked?: boolean;
  /** How the refusal shows: an error right after a refused POST, else information. */
  refusalTone?: 'info' | 'error';
};

export function ConfirmPage(props: ConfirmPageProps): Html {
  const failed = Object.values(props.errors ?? {}).some(Boolean);
  return (
    <Page ctx={props.ctx} title={`${failed ? 'Fout: ' : ''}${props.title}`}>
      <div class="sluis-narrow sluis-confirm">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href={props.back.href}>
            {props.back.label}
          </a>
        </p>
        <Heading>{props.title}</Heading>
        {props.refusal ? <Alert type={props.refusalTone ?? (props.blocked ? 'info' : 'error')}>{props.refusal}</Alert> : null}
        {props.blocked ? null : (
          <>
            {props.intro ? <Paragraph>{props.intro}</Paragraph> : null}
            {props.warning ? (
              <Alert type="warning" title={props.warning.title}>
                {props.warning.body}
              </Alert>
            ) : null}
            <Heading level={2}>Wat er gebeurt</Heading>
            <ul class="utrecht-unordered-list sluis-confirm__consequences">
              {props.consequences.map((item) => (
                <li class="utrecht-unordered-list__item">{item}</li>
              ))}
            </ul>
            <p class="utrecht-paragraph sluis-confirm__final">
              <strong>U kunt dit niet ongedaan maken.</strong> {props.irreversible}
            </p>
            <Form action={props.action} csrf={props.ctx.csrf} errors={props.errors ?? {}} page={props.ctx.path}>
              {props.children ?? null}
              <p class="utrecht-paragraph sluis-confirm__question">{props.question}</p>
              <div class="sluis-actions">
                <Button kind="danger">{props.confirm}</Button>
                <a class="utrecht-link" href={props.back.href}>
                  Annuleren
                </a>
              </div>
            </Form>
          </>
        )}
      </div>
    </Page>
  );
}
