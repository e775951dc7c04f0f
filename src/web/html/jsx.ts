/**
 * A small JSX runtime that renders to HTML strings and escapes by default.
 *
 * Why our own (about 80 lines) and not @kitajs/html: kitajs leaves text children unescaped unless
 * each element carries a `safe` attribute, and its static checker does not run on TypeScript 7.
 * Here every string that reaches the output is escaped, unless it is already `Html` (made by this
 * runtime, or by `raw()` for trusted constants such as an inline SVG). A name typed by a
 * professional therefore cannot become markup on another professional's page.
 *
 * Usage (classic JSX transform, see tsconfig.json): `import { h, Fragment } from '../web/html/jsx.ts'`.
 */

import { escapeHtml } from '../../shared/html.ts';

/** Rendered, trusted HTML. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type Child = Html | string | number | boolean | null | undefined | Child[];
type AttributeValue = string | number | boolean | null | undefined;
export type Attributes = { [name: string]: AttributeValue | Child | ((...args: never[]) => unknown) };
export type Component<P = Record<string, unknown>> = (props: P & { children?: Child }) => Html;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

export { escapeHtml };

/** Marks a trusted constant as HTML. Never pass anything that came from a user or the database. */
export const raw = (trusted: string): Html => new Html(trusted);

function renderChild(child: Child, out: string[]): void {
  if (child === null || child === undefined || child === false || child === true) return;
  if (child instanceof Html) out.push(child.value);
  else if (Array.isArray(child)) for (const c of child) renderChild(c, out);
  else out.push(escapeHtml(String(child)));
}

const ATTRIBUTE_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/;
const ALIASES: Record<string, string> = { className: 'class', htmlFor: 'for' };

function renderAttributes(props: Attributes, out: string[]): void {
  for (const [key, value] of Object.entries(props)) {
    if (key === 'children' || value === null || value === undefined || value === false) continue;
    const name = ALIASES[key] ?? key;
    if (!ATTRIBUTE_NAME.test(name)) throw new Error(`Invalid attribute name: ${name}`);
    if (value === true) out.push(` ${name}`);
    else out.push(` ${name}="${escapeHtml(String(value instanceof Html ? value.value : value))}"`);
  }
}

export function h(tag: string | Component<never>, props: Record<string, unknown> | null, ...children: Child[]): Html {
  const allChildren: Child = children.length > 0 ? children : ((props?.children as Child) ?? null);
  if (typeof tag === 'function') return (tag as Component<Attributes>)({ ...(props ?? {}), children: allChildren } as never);
  const out: string[] = [`<${tag}`];
  if (props) renderAttributes(props as Attributes, out);
  out.push('>');
  if (VOID.has(tag)) return new Html(out.join(''));
  renderChild(allChildren, out);
  out.push(`</${tag}>`);
  return new Html(out.join(''));
}

export function Fragment(props: { children?: Child }): Html {
  const out: string[] = [];
  renderChild(props.children ?? null, out);
  return new Html(out.join(''));
}

/** A whole page: the doctype and the rendered tree. */
export const renderDocument = (page: Html): string => `<!doctype html>${page.value}`;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    type Element = Html;
    interface ElementChildrenAttribute {
      children: unknown;
    }
    interface IntrinsicElements {
      [tag: string]: Attributes;
    }
  }
}
