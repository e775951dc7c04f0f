/**
 * The building blocks of every page, after the NL Design System (Utrecht component library CSS):
 * forms with an error summary at the top that links to each field, fields with their description
 * and error message tied to the input (aria-describedby), buttons, alerts and tables.
 */
import { type DateParts, datePartNames, exampleText } from './date-input.ts';
import { type Child, Fragment, type Html, h } from './html/jsx.ts';

/** Errors per field id, in the order the fields appear. */
export type FieldErrors = Record<string, string | undefined>;

export function ErrorSummary(props: { errors: FieldErrors; title?: string }): Html {
  const entries = Object.entries(props.errors).filter((entry): entry is [string, string] => Boolean(entry[1]));
  if (entries.length === 0) return <Fragment />;
  return (
    <div class="utrecht-alert utrecht-alert--error sluis-error-summary" role="alert" tabindex="-1" id="foutmeldingen" aria-labelledby="foutmeldingen-titel">
      <h2 class="utrecht-heading-2" id="foutmeldingen-titel">
        {props.title ?? 'Controleer het formulier'}
      </h2>
      <ul class="utrecht-unordered-list">
        {entries.map(([id, message]) => (
          <li class="utrecht-unordered-list__item">
            <a class="utrecht-link" href={`#${id}`}>
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A POST form with its CSRF token. `page`: the page the form is on, when that is not its action's own
 * path or the nearest page above it; a form posted after the session ended goes back there (docs/web.md).
 */
export function Form(props: {
  action: string;
  csrf: string;
  children?: Child;
  errors?: FieldErrors;
  id?: string;
  class?: string;
  noValidate?: boolean;
  page?: string;
}): Html {
  return (
    <form method="post" action={props.action} class={`utrecht-form ${props.class ?? ''}`} id={props.id} novalidate={props.noValidate ?? true}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.page ? <input type="hidden" name="_pagina" value={props.page} /> : null}
      {props.errors ? <ErrorSummary errors={props.errors} /> : null}
      {props.children}
    </form>
  );
}

type FieldProps = {
  id: string;
  name?: string;
  label: string;
  description?: Child;
  error?: string | undefined;
  value?: string;
  /** No 'date': a date is a DateField (three boxes in Dutch order), never the browser's date picker. */
  type?: 'text' | 'email' | 'password' | 'tel' | 'search' | 'url' | 'number';
  autocomplete?: string;
  inputmode?: string;
  required?: boolean;
  maxlength?: number;
  pattern?: string;
  width?: 'xs' | 's' | 'm' | 'l';
  autofocus?: boolean;
  extra?: Record<string, string>;
};

const describedBy = (id: string, description: unknown, error: unknown) =>
  [description ? `${id}-beschrijving` : '', error ? `${id}-fout` : ''].filter(Boolean).join(' ') || undefined;

export function TextField(props: FieldProps): Html {
  const invalid = Boolean(props.error);
  return (
    <div class={`utrecht-form-field utrecht-form-field--text${invalid ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={props.id}>
          {props.label}
          {props.required === false ? ' (niet verplicht)' : ''}
        </label>
      </div>
      {props.description ? (
        <div class="utrecht-form-field__description utrecht-form-field-description" id={`${props.id}-beschrijving`}>
          {props.description}
        </div>
      ) : null}
      {invalid ? (
        <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id={`${props.id}-fout`}>
          {props.error}
        </div>
      ) : null}
      <div class="utrecht-form-field__input">
        <input
          class={`utrecht-textbox utrecht-textbox--html-input sluis-width-${props.width ?? 'l'}${invalid ? ' utrecht-textbox--invalid' : ''}`}
          id={props.id}
          name={props.name ?? props.id}
          type={props.type ?? 'text'}
          value={props.value ?? ''}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          maxlength={props.maxlength}
          pattern={props.pattern}
          required={props.required !== false}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={describedBy(props.id, props.description, props.error)}
          autofocus={props.autofocus}
          {...(props.extra ?? {})}
        />
      </div>
    </div>
  );
}

export function TextArea(props: Omit<FieldProps, 'type'> & { rows?: number }): Html {
  const invalid = Boolean(props.error);
  return (
    <div class={`utrecht-form-field utrecht-form-field--text${invalid ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={props.id}>
          {props.label}
          {props.required === false ? ' (niet verplicht)' : ''}
        </label>
      </div>
      {props.description ? (
        <div class="utrecht-form-field__description utrecht-form-field-description" id={`${props.id}-beschrijving`}>
          {props.description}
        </div>
      ) : null}
      {invalid ? (
        <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id={`${props.id}-fout`}>
          {props.error}
        </div>
      ) : null}
      <div class="utrecht-form-field__input">
        <textarea
          class={`utrecht-textarea utrecht-textarea--html-textarea${invalid ? ' utrecht-textarea--invalid' : ''}`}
          id={props.id}
          name={props.name ?? props.id}
          rows={props.rows ?? 4}
          maxlength={props.maxlength}
          required={props.required !== false}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={describedBy(props.id, props.description, props.error)}
        >
          {props.value ?? ''}
        </textarea>
      </div>
    </div>
  );
}

/**
 * A date as three boxes — day, month, year — in Dutch order, whatever the browser's language: a
 * fieldset with the legend, numeric keyboards on a phone, and the error tied to the whole field.
 * The day box has the field's id (the error summary links to it); the others add -maand and -jaar.
 * Read it back with checkDateField (date-input.ts); docs/web.md ("Dates") shows both.
 */
export function DateField(props: {
  id: string;
  name?: string;
  legend: string;
  value: DateParts;
  error?: string | undefined;
  /** The hint under the legend; by default "In cijfers, bijvoorbeeld …" with `example`. */
  description?: Child;
  /** A date to show as the example of what to type (ISO, e.g. today). */
  example?: string;
  required?: boolean;
}): Html {
  const invalid = Boolean(props.error);
  const ids = datePartNames(props.id);
  const names = datePartNames(props.name ?? props.id);
  const description = props.description ?? `In cijfers, bijvoorbeeld ${exampleText(props.example ?? '1980-05-17')}.`;
  const describedBy = [`${props.id}-beschrijving`, invalid ? `${props.id}-fout` : ''].filter(Boolean).join(' ');
  const box = (part: keyof DateParts, label: string, maxlength: number, width: 'xs' | 's') => (
    <div class="sluis-date-parts__item">
      <label class="utrecht-form-label" for={ids[part]}>
        {label}
      </label>
      <input
        class={`utrecht-textbox utrecht-textbox--html-input sluis-width-${width}${invalid ? ' utrecht-textbox--invalid' : ''}`}
        id={ids[part]}
        name={names[part]}
        type="text"
        inputmode="numeric"
        autocomplete="off"
        maxlength={maxlength}
        value={props.value[part]}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
  return (
    <div class={`utrecht-form-field sluis-date-field${invalid ? ' utrecht-form-field--invalid' : ''}`}>
      <fieldset
        class={`utrecht-form-fieldset utrecht-form-fieldset--html-fieldset${invalid ? ' utrecht-form-fieldset--invalid' : ''}`}
        aria-describedby={describedBy}
      >
        <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
          {props.legend}
          {props.required === false ? ' (niet verplicht)' : ''}
        </legend>
        <div class="utrecht-form-field-description" id={`${props.id}-beschrijving`}>
          {description}
        </div>
        {invalid ? (
          <div class="utrecht-form-field-error-message" id={`${props.id}-fout`}>
            {props.error}
          </div>
        ) : null}
        <div class="sluis-date-parts">
          {box('day', 'Dag', 2, 'xs')}
          {box('month', 'Maand', 2, 'xs')}
          {box('year', 'Jaar', 4, 's')}
        </div>
      </fieldset>
    </div>
  );
}

export type Option = { value: string; label: string; description?: string };

/** Radio buttons (or check boxes, `multiple`) in a fieldset with a legend. The first input carries the id the error summary links to. */
export function ChoiceGroup(props: {
  id: string;
  name?: string;
  legend: string;
  options: Option[];
  selected?: string | string[];
  error?: string | undefined;
  description?: Child;
  multiple?: boolean;
  required?: boolean;
}): Html {
  const invalid = Boolean(props.error);
  const selected = Array.isArray(props.selected) ? props.selected : props.selected ? [props.selected] : [];
  const kind = props.multiple ? 'checkbox' : 'radio';
  return (
    <div class={`utrecht-form-field utrecht-form-field--${kind}-group${invalid ? ' utrecht-form-field--invalid' : ''}`}>
      <fieldset
        class={`utrecht-form-fieldset utrecht-form-fieldset--html-fieldset${invalid ? ' utrecht-form-fieldset--invalid' : ''}`}
        aria-describedby={describedBy(props.id, props.description, props.error)}
      >
        <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{props.legend}</legend>
        {props.description ? (
          <div class="utrecht-form-field-description" id={`${props.id}-beschrijving`}>
            {props.description}
          </div>
        ) : null}
        {invalid ? (
          <div class="utrecht-form-field-error-message" id={`${props.id}-fout`}>
            {props.error}
          </div>
        ) : null}
        {props.options.map((option, index) => {
          const inputId = index === 0 ? props.id : `${props.id}-${index}`;
          return (
            <div class={`utrecht-form-field utrecht-form-field--${kind} sluis-choice`}>
              <input
                type={kind}
                class={props.multiple ? 'utrecht-checkbox utrecht-checkbox--html-input' : 'utrecht-radio-button utrecht-radio-button--html-input'}
                id={inputId}
                name={props.name ?? props.id}
                value={option.value}
                checked={selected.includes(option.value)}
                required={!props.multiple && props.required !== false && index === 0}
                aria-invalid={invalid ? 'true' : undefined}
                aria-describedby={option.description ? `${inputId}-uitleg` : undefined}
              />
              <label class="utrecht-form-label utrecht-form-label--radio" for={inputId}>
                {option.label}
              </label>
              {option.description ? (
                <div class="utrecht-form-field-description sluis-choice__description" id={`${inputId}-uitleg`}>
                  {option.description}
                </div>
              ) : null}
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

export function Select(props: {
  id: string;
  name?: string;
  label: string;
  options: Option[];
  selected?: string;
  error?: string | undefined;
  description?: Child;
  required?: boolean;
}): Html {
  const invalid = Boolean(props.error);
  return (
    <div class={`utrecht-form-field utrecht-form-field--select${invalid ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={props.id}>
          {props.label}
        </label>
      </div>
      {props.description ? (
        <div class="utrecht-form-field-description" id={`${props.id}-beschrijving`}>
          {props.description}
        </div>
      ) : null}
      {invalid ? (
        <div class="utrecht-form-field-error-message" id={`${props.id}-fout`}>
          {props.error}
        </div>
      ) : null}
      <div class="utrecht-form-field__input">
        <select
          class={`utrecht-select utrecht-select--html-select${invalid ? ' utrecht-select--invalid' : ''}`}
          id={props.id}
          name={props.name ?? props.id}
          required={props.required !== false}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={describedBy(props.id, props.description, props.error)}
        >
          {props.options.map((o) => (
            <option value={o.value} selected={o.value === props.selected}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export function Button(props: {
  children?: Child;
  kind?: 'primary' | 'secondary' | 'subtle' | 'danger';
  name?: string;
  value?: string;
  type?: 'submit' | 'button';
  id?: string;
}): Html {
  const kind = props.kind ?? 'primary';
  const cls =
    kind === 'danger' ? 'utrecht-button--primary-action utrecht-button--danger' : `utrecht-button--${kind === 'subtle' ? 'subtle' : `${kind}-action`}`;
  return (
    <button type={props.type ?? 'submit'} class={`utrecht-button ${cls}`} name={props.name} value={props.value} id={props.id}>
      {props.children}
    </button>
  );
}

/** A link that looks like a button (for GET navigation). */
export function ButtonLink(props: { href: string; children?: Child; kind?: 'primary' | 'secondary' }): Html {
  return (
    <a class={`utrecht-button-link utrecht-button-link--html-a utrecht-button-link--${props.kind ?? 'primary'}-action`} href={props.href}>
      {props.children}
    </a>
  );
}

export function Alert(props: { type?: 'info' | 'ok' | 'warning' | 'error'; children?: Child; title?: string; role?: 'status' | 'alert' }): Html {
  const type = props.type ?? 'info';
  return (
    <div class={`utrecht-alert utrecht-alert--${type} sluis-alert`} role={props.role ?? (type === 'error' ? 'alert' : 'status')}>
      {props.title ? <h2 class="utrecht-heading-3 sluis-alert__title">{props.title}</h2> : null}
      <div class="utrecht-alert__message">{props.children}</div>
    </div>
  );
}

export function Table(props: { caption: string; head: Child[]; rows: Child[][]; empty?: string; captionHidden?: boolean }): Html {
  if (props.rows.length === 0 && props.empty) return <p class="utrecht-paragraph sluis-empty">{props.empty}</p>;
  return (
    <div class="utrecht-table-container sluis-table-container" tabindex="0" role="region" aria-label={`Tabel: ${props.caption}`}>
      <table class="utrecht-table utrecht-table--html-table sluis-table">
        <caption class={`utrecht-table__caption${props.captionHidden ? ' sluis-visually-hidden' : ''}`}>{props.caption}</caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            {props.head.map((cell) => (
              <th class="utrecht-table__header-cell" scope="col">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          {props.rows.map((row) => (
            <tr class="utrecht-table__row">
              {row.map((cell, i) => (
                <td class="utrecht-table__cell" data-label={typeof props.head[i] === 'string' ? props.head[i] : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A term/value list (contact details, a signal's facts). */
export function DataList(props: { items: [string, Child][] }): Html {
  return (
    <dl class="utrecht-data-list sluis-data-list">
      {props.items.map(([term, value]) => (
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">{term}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function StatusBadge(props: { children?: Child; tone?: 'new' | 'neutral' | 'warning' | 'ok' }): Html {
  return <span class={`utrecht-badge-status sluis-badge sluis-badge--${props.tone ?? 'neutral'}`}>{props.children}</span>;
}

export const Heading = (props: { level?: 1 | 2 | 3; children?: Child; id?: string }): Html => {
  const level = props.level ?? 1;
  return h(`h${level}`, { class: `utrecht-heading-${level}`, id: props.id }, props.children ?? null);
};

export const Paragraph = (props: { children?: Child; lead?: boolean; class?: string }): Html => (
  <p class={`utrecht-paragraph${props.lead ? ' utrecht-paragraph--lead' : ''} ${props.class ?? ''}`}>{props.children}</p>
);

/** Dutch dates for people: "23 november 2026". */
const DATE = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });
const DATE_TIME = new Intl.DateTimeFormat('nl-NL', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Amsterdam',
});
export const formatDate = (date: Date | string): string => DATE.format(typeof date === 'string' ? new Date(date) : date);
export const formatDateTime = (date: Date | string): string => DATE_TIME.format(typeof date === 'string' ? new Date(date) : date);
export const TimeText = (props: { at: Date | string; withTime?: boolean }): Html => {
  const date = typeof props.at === 'string' ? new Date(props.at) : props.at;
  return <time datetime={date.toISOString()}>{props.withTime ? formatDateTime(date) : formatDate(date)}</time>;
};
