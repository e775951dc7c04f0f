import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contrastRatio, themeCss, themeProblems } from './theme.ts';

test('contrast ratios follow WCAG', () => {
  assert.equal(contrastRatio('#000000', '#ffffff').toFixed(0), '21');
  assert.equal(contrastRatio('#ffffff', '#ffffff'), 1);
});

test('a theme with unreadable colours is refused, the default is fine', () => {
  assert.deepEqual(themeProblems({}), []);
  assert.equal(themeProblems({ primaryColor: '#ffff00', primaryTextColor: '#ffffff' }).length, 2);
  assert.deepEqual(themeProblems({ primaryColor: '#c8102e', primaryTextColor: '#ffffff' }), []);
});

test('the theme becomes design tokens', () => {
  assert.match(themeCss({ primaryColor: '#c8102e' }), /--utrecht-button-primary-action-background-color: #c8102e;/);
});
