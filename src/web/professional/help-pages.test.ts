/**
 * Help where it is needed: /hulp says what a signal is, when to file one, whom to tell by age,
 * what a match brings and how long a signal lasts — with this municipality's settings — and the
 * start page, the filing form and every footer lead there; the form also leads to the
 * organisation's own signalling criteria. On both databases.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { type InjectSession, signInByInject, webProfessional } from '../../test-support/web.ts';

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describeOnEachDatabase('help for professionals', (database) => {
  let t: TestApp;
  let organisation: TestOrganisation;
  let professional: InjectSession;
  before(async () => {
    t = await createTestApp(database());
    organisation = await t.organisation('Wijkteam Noord');
    professional = await signInByInject(t, await webProfessional(t, organisation));
    await t.services.organisations.update(t.admin, organisation.id, {
      signallingCriteria: 'Wij geven een signaal af als een gezin hulp krijgt van meer dan één organisatie.',
    });
  });
  after(() => t.close());

  test('the help page says what a signal is, when, whom to tell by age, what a match brings and how long it lasts', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/hulp' });
    assert.equal(page.statusCode, 200, 'anyone may read it');
    const text = textOf(page.body);
    for (const heading of [
      'Wat is een signaal?',
      'Wanneer geeft u een signaal af?',
      'Wat vertelt u de persoon?',
      'Wat gebeurt er bij een match?',
      'Hoe lang loopt een signaal?',
    ])
      assert.match(text, new RegExp(heading.replace('?', '\\?')));
    assert.match(text, /Jonger dan 12 jaar U vertelt het de ouders of de voogd/);
    assert.match(text, /12 tot 16 jaar U vertelt het de jongere én de ouders of de voogd/);
    assert.match(text, /16 tot 23 jaar U vertelt het de jongere zelf/);
    assert.match(text, /23 jaar en ouder U vraagt eerst toestemming/);
    assert.match(text, /informeren uitstelt, met de reden/);
    assert.match(text, /Een signaal is hoogstens 2 jaar actief\. U krijgt 28 dagen van tevoren bericht/);
    assert.match(text, /nog 5 jaar bewaard als geschiedenis/);
    assert.match(text, /SluiS doet dat ook zelf als na 10 werkdagen nog niemand de regie heeft, of als na 10 werkdagen nog niet iedereen contact/);
    assert.match(page.body, /href="\/privacy"/);
    assert.match(text, /U vindt ze na het inloggen bij Organisaties/, 'without signing in, no organisation of one’s own');
  });

  test('under the youth regime, and with other lifetimes, the help page says so', async () => {
    const previous = await t.services.settings.reload();
    await t.services.settings.update(t.admin, {
      regime: 'youth',
      signalLifetimeMonths: 12,
      expiryNoticeDays: 0,
      escalateNoCoordinatorWorkingDays: 0,
      escalateNoContactWorkingDays: 0,
      mailMode: 'link_only',
    });
    try {
      const text = textOf((await t.app.inject({ method: 'GET', url: '/hulp' })).body);
      assert.match(text, /SluiS er voor kinderen en jongeren tot 23 jaar/);
      assert.doesNotMatch(text, /23 jaar en ouder/);
      assert.match(text, /Een signaal is hoogstens 1 jaar actief, en nooit langer dan tot de 23e verjaardag van de persoon\. Bent u/);
      assert.doesNotMatch(text, /SluiS doet dat ook zelf/);
      assert.match(text, /e-mail met een link/);
    } finally {
      await t.services.settings.update(t.admin, {
        regime: previous.regime,
        signalLifetimeMonths: previous.signalLifetimeMonths,
        expiryNoticeDays: previous.expiryNoticeDays,
        escalateNoCoordinatorWorkingDays: previous.escalateNoCoordinatorWorkingDays,
        escalateNoContactWorkingDays: previous.escalateNoContactWorkingDays,
        mailMode: previous.mailMode,
      });
    }
  });

  test('the start page, the filing form and the footer lead to the help; the form and the help to the organisation’s own criteria', async () => {
    const criteria = `href="/organisaties/${organisation.id}#meldcriteria"`;
    const start = await professional.get('/');
    assert.match(start.body, /<a class="utrecht-link" href="\/hulp">\s*Hulp bij signaleren/);
    const form = await professional.get('/signalen/nieuw');
    assert.match(form.body, /href="\/hulp">\s*Wanneer u een signaal afgeeft en wat u de persoon vertelt/);
    assert.ok(form.body.includes(criteria), 'the form links to the criteria');
    assert.match(textOf(form.body), /De meldcriteria van Wijkteam Noord/);
    const help = await professional.get('/hulp');
    assert.ok(help.body.includes(criteria), 'the help links to the criteria');
    assert.match(textOf(help.body), /Lees de meldcriteria van Wijkteam Noord/);
    const profile = await professional.get(`/organisaties/${organisation.id}`);
    assert.match(profile.body, /id="meldcriteria"/);
    assert.match(profile.body, /Wij geven een signaal af als een gezin hulp krijgt van meer dan één organisatie\./);
    for (const url of ['/inloggen', '/privacy', '/']) {
      const page = url === '/' ? start : await t.app.inject({ method: 'GET', url });
      assert.match(page.body, /<footer[\s\S]*href="\/hulp"/, url);
    }
  });
});
