import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeHtml, Fragment, h, raw } from './jsx.ts';

test('text children and attribute values are escaped', () => {
  const evil = '<script>alert("x")</script>&\'';
  const html = h('p', { title: evil }, evil).value;
  assert.equal(html, `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
  assert.ok(!html.includes('<script>'));
});

test('no string, however made, becomes markup', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const html = h('div', { 'data-x': text }, text, [text, [text]]).value;
      const escaped = escapeHtml(text);
      // The value cannot leave its attribute, and the text cannot open a tag.
      assert.ok(!/[<>"']/.test(escaped));
      assert.equal(html, `<div data-x="${escaped}">${escaped.repeat(3)}</div>`);
    }),
  );
});

test('void elements, booleans, components, fragments and raw', () => {
  const Item = (props: { label: string }) => h('li', null, props.label);
  assert.equal(h('input', { required: true, disabled: false, value: 'a' }).value, '<input required value="a">');
  assert.equal(h('ul', null, h(Item, { label: 'x&y' }), null, false, 0).value, '<ul><li>x&amp;y</li>0</ul>');
  assert.equal(h(Fragment, null, 'a', raw('<b>b</b>')).value, 'a<b>b</b>');
  assert.equal(h('label', { htmlFor: 'f', className: 'c' }, 'L').value, '<label for="f" class="c">L</label>');
});

test('attribute names cannot be injected', () => {
  assert.throws(() => h('div', { 'onclick="x" a': 'b' }));
});
