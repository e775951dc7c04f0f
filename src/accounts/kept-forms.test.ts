/** The rules for a form kept after its session ended (kept-forms.ts): pure, no I/O. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitsRoute, formPage, isKeepableAction, isKeptField, isPagePath, isRecoverableEnding, keptFields } from './kept-forms.ts';

test('passwords, codes, secrets, links and internal fields are never kept; the rest is', () => {
  for (const name of [
    '_csrf',
    '_pagina',
    'wachtwoord',
    'nieuw-wachtwoord',
    'wachtwoord-herhalen',
    'password',
    'code',
    'herstelcode',
    'totp',
    'token',
    'geheim',
    'link',
    'Code',
  ]) {
    assert.equal(isKeptField(name), false, name);
  }
  for (const name of ['bsn', 'postcode', 'voornamen', 'kenmerk', 'omschrijving', 'naam', 'email', 'webhook-url', 'reden', 'domeinen']) {
    assert.equal(isKeptField(name), true, name);
  }
  assert.deepEqual(keptFields({ _csrf: 'x', bsn: '123456782', wachtwoord: 'geheim123', domeinen: ['housing', 'education'], code: '123456' }), {
    bsn: '123456782',
    domeinen: ['housing', 'education'],
  });
  assert.equal(keptFields(undefined), undefined);
  assert.equal(keptFields('a=b'), undefined);
  assert.deepEqual(keptFields({ odd: { nested: 1 }, fine: 'ja' }), { fine: 'ja' });
  assert.equal(keptFields(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, 'x']))), undefined, 'not a form of ours');
  assert.equal((keptFields({ long: 'x'.repeat(20_000) })!.long as string).length, 10_000);
});

test('only endings the same person comes back from keep a form; sign-in, password and session forms are never kept', () => {
  assert.deepEqual(
    (['idle', 'expired', 'signed_out_everywhere', 'password_changed', 'signed_out', 'deactivated', 'second_factor_reset', null] as const).map(
      isRecoverableEnding,
    ),
    [true, true, true, true, false, false, false, false],
  );
  for (const action of ['/inloggen', '/inloggen/code', '/uitloggen', '/wachtwoord/instellen', '/inrichten', '/sessie/verlengen']) {
    assert.equal(isKeepableAction(action), false, action);
  }
  for (const action of ['/signalen/nieuw', '/organisatie/profiel', '/beheer/persoon', '/inloggenx']) assert.equal(isKeepableAction(action), true, action);
});

test('a form goes back to the page it says, or to its action, or to the nearest page above it', () => {
  const pages = ['/signalen/nieuw', '/matches/:id', '/matches/:id/regie/opschalen', '/organisatie/koppelingen', '/beheer/organisaties/:id'];
  const isPage = (path: string) => pages.some((pattern) => fitsRoute(path, pattern));
  const id = '0b7e4a52-1f0e-4c59-9a43-8f1d2c3b4a5e';
  assert.equal(formPage('/signalen/nieuw', '', isPage), '/signalen/nieuw');
  assert.equal(formPage(`/matches/${id}/regie`, '', isPage), `/matches/${id}`);
  assert.equal(formPage(`/matches/${id}/regie`, `/matches/${id}/regie/opschalen`, isPage), `/matches/${id}/regie/opschalen`);
  assert.equal(formPage(`/organisatie/koppelingen/sleutels/${id}/intrekken`, '', isPage), '/organisatie/koppelingen');
  assert.equal(formPage(`/beheer/organisaties/${id}/convenant/${id}/schorsen`, '', isPage), `/beheer/organisaties/${id}`);
  // A stated page must be a page, made of page words and ids: never somewhere else, never something typed.
  assert.equal(formPage('/signalen/nieuw', 'https://elders.example/x', isPage), '/signalen/nieuw');
  assert.equal(formPage('/signalen/nieuw', '/signalen/123456782', isPage), '/signalen/nieuw');
  assert.equal(formPage('/signalen/nieuw', '/nergens', isPage), '/signalen/nieuw');
  assert.equal(formPage('/onbekend/iets', '', isPage), undefined);
  assert.equal(isPagePath('/signalen/123456782'), false);
  assert.equal(isPagePath(`/matches/${id}`), true);
  assert.equal(fitsRoute('/matches/', '/matches/:id'), false);
});
