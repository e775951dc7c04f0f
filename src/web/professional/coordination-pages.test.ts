/**
 * Coordination on the professional's match page (issue 6), through the real pages with inject, on
 * PGlite and PostgreSQL: taking coordination, handing it over (accept, decline, withdraw), escalating
 * with a reason category, recording contact, the covenant's proposal, the coordinator leaving, and
 * the refusals: the same "Niet gevonden" for anyone outside the match, "Geen toegang" for staff,
 * no change without the CSRF token, and Dutch messages when the coordination changed meanwhile.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { dateBoxes, type InjectSession, signInByInject, webAdministrator, webProfessional } from '../../test-support/web.ts';

/** The ids an error summary links to, in order. */
const summaryLinks = (body: string) => [...(/<div[^>]*id="foutmeldingen"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '').matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
/** The text of the "Regie" section, tags removed and white space collapsed. */
const section = (body: string) =>
  (/<section aria-labelledby="regie"[\s\S]*?<\/section>/.exec(body)?.[0] ?? assert.fail('no Regie section')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const buttons = (body: string) =>
  [...(/<section aria-labelledby="regie"[\s\S]*?<\/section>/.exec(body)?.[0] ?? '').matchAll(/<button[^>]*>([\s\S]*?)<\/button>/g)].map((m) =>
    m[1]!.replace(/<span class="sluis-visually-hidden">[\s\S]*?<\/span>/g, '').trim(),
  );

type Member = {
  org: TestOrganisation;
  account: Awaited<ReturnType<typeof webProfessional>>;
  session: InjectSession;
  actor: ProfessionalActor;
  signalId: string;
  name: string;
};

describeOnEachDatabase('coordination on the match page', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(async () => t.close());

  const actorOf = (org: TestOrganisation, professionalId = org.professionalId): ProfessionalActor => ({
    kind: 'professional',
    professionalId,
    organisationId: org.id,
    apiClientId: null,
    requestId: 'test',
  });

  async function outsider() {
    const org = await t.organisation();
    return { org, session: await signInByInject(t, await webProfessional(t, org)) };
  }

  /** A match of `count` professionals of different organisations, each signed in. */
  async function match(count = 3) {
    const bsn = randomBsn();
    const members: Member[] = [];
    let matchId = '';
    for (let i = 0; i < count; i += 1) {
      const org = await t.organisation();
      const account = await webProfessional(t, org);
      const session = await signInByInject(t, account);
      const actor = actorOf(org);
      const filed = await t.services.signals.file(actor, adultSignal(bsn));
      assert.ok(filed.outcome === 'created');
      if (filed.answer.match) matchId = filed.answer.match.id;
      members.push({ org, account, session, actor, signalId: filed.answer.signal.id, name: `Professional of ${org.name}` });
      t.clock.advance(60_000);
    }
    return { matchId, members, url: `/matches/${matchId}` };
  }

  const transitions = async (matchId: string) =>
    Number(
      (
        await t.services.db
          .selectFrom('coordination_transitions')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('match_id', '=', matchId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const contacts = async (matchId: string) =>
    Number(
      (
        await t.services.db
          .selectFrom('match_contacts')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('match_id', '=', matchId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const state = async (matchId: string) =>
    (await t.services.db
      .selectFrom('coordinations')
      .select(['state', 'coordinator_signal_id', 'proposed_signal_id', 'escalation_reason'])
      .where('match_id', '=', matchId)
      .executeTakeFirst()) ?? null;

  async function act(member: Member, url: string, fields: Record<string, string>, flash: string) {
    const response = await member.session.post(`${url}/regie`, fields);
    assert.equal(response.statusCode, 303, response.body.slice(0, 500));
    assert.equal(response.headers.location, `${url}?regie=${flash}#regie`);
    return response;
  }
  const view = async (member: Member, url: string, query = '') => {
    const response = await member.session.get(`${url}${query}`);
    assert.equal(response.statusCode, 200);
    return response.body;
  };

  test('nobody coordinates yet; a participant takes coordination and the others see who, with contact details', async () => {
    const {
      url,
      members: [a, b, c],
      matchId,
    } = await match();
    const before = await view(a!, url);
    assert.match(section(before), /Regie Nog geen regisseur/);
    assert.match(section(before), /Nog niemand heeft de regie/);
    assert.deepEqual(buttons(before), ['Ik neem de regie', 'Contact vastleggen']);
    assert.match(section(before), /Er is nog niets gebeurd met de regie/);
    assert.ok(before.includes(`href="${url}/regie/opschalen"`));

    await act(a!, url, { actie: 'nemen' }, 'genomen');
    const mine = await view(a!, url, '?regie=genomen');
    assert.match(section(mine), /U heeft nu de regie\. De andere betrokkenen krijgen daarover bericht\./);
    assert.match(section(mine), /U heeft de regie/);
    assert.deepEqual(buttons(mine), ['Overdracht voorstellen', 'Contact vastleggen']);
    assert.equal((await state(matchId))?.coordinator_signal_id, a!.signalId);

    const theirs = await view(b!, url);
    assert.match(section(theirs), new RegExp(`De regie ligt bij ${a!.name}`));
    assert.match(section(theirs), /Telefoon 010 000 0000/);
    assert.match(section(theirs), new RegExp(`${a!.name} \\(${a!.org.name}\\) nam de regie\\. Stand: van nog geen regisseur naar regie genomen`));
    assert.deepEqual(buttons(theirs), ['Contact vastleggen']);

    // C still had the old page: taking now says someone else was first, and changes nothing.
    const count = await transitions(matchId);
    await act(c!, url, { actie: 'nemen' }, 'bezet');
    assert.match(section(await view(c!, url, '?regie=bezet')), /iemand anders heeft intussen de regie genomen/);
    assert.equal(await transitions(matchId), count);
    // A stale "Aannemen" or "Intrekken" from someone it is not for: the state changed, nothing happens.
    await act(c!, url, { actie: 'aannemen' }, 'veranderd');
    await act(b!, url, { actie: 'intrekken' }, 'veranderd');
    assert.match(section(await view(b!, url, '?regie=veranderd')), /de regie is intussen veranderd/);
    assert.equal(await transitions(matchId), count);
    // An unknown action is a broken form.
    assert.equal((await a!.session.post(`${url}/regie`, { actie: 'alles' })).statusCode, 400);
  });

  test('hand-over: offered to one participant, who accepts; the others see it pending, then done', async () => {
    const {
      url,
      members: [a, b, c],
      matchId,
    } = await match();
    await act(a!, url, { actie: 'nemen' }, 'genomen');

    // The choice lists the others only; without a choice the form comes back with an error summary.
    const page = await view(a!, url);
    assert.ok(page.includes(`value="${b!.signalId}"`) && page.includes(`value="${c!.signalId}"`));
    assert.ok(!new RegExp(`name="naar" value="${a!.signalId}"`).test(page));
    const empty = await a!.session.post(`${url}/regie`, { actie: 'overdragen' });
    assert.equal(empty.statusCode, 422);
    assert.deepEqual(summaryLinks(empty.body), ['naar']);
    assert.match(empty.body, /<title>Fout: Regie overdragen/);
    assert.match(empty.body, /Kies aan wie u de regie wilt overdragen\./);
    const stranger = await a!.session.post(`${url}/regie`, { actie: 'overdragen', naar: randomUUID() });
    assert.equal(stranger.statusCode, 422);
    assert.match(stranger.body, /niet \(meer\) bij de match betrokken/);
    assert.equal((await a!.session.get(`${url}/regie/overdragen`)).statusCode, 200);

    await act(a!, url, { actie: 'overdragen', naar: b!.signalId }, 'voorgesteld');
    assert.deepEqual(await state(matchId), {
      state: 'handover_proposed',
      coordinator_signal_id: a!.signalId,
      proposed_signal_id: b!.signalId,
      escalation_reason: null,
    });
    const offered = await view(b!, url);
    assert.match(section(offered), new RegExp(`${a!.name} wil de regie aan u overdragen`));
    assert.deepEqual(buttons(offered), ['Aannemen', 'Afwijzen', 'Contact vastleggen']);
    const offering = await view(a!, url);
    assert.match(section(offering), new RegExp(`U stelde voor de regie over te dragen aan ${b!.name}`));
    assert.doesNotMatch(section(offering), /alleen signaleert/, 'nobody here signals only');
    assert.deepEqual(buttons(offering), ['Intrekken', 'Contact vastleggen']);
    const watching = await view(c!, url);
    assert.match(section(watching), new RegExp(`Voorgesteld: de regie gaat over naar ${b!.name}`));
    assert.deepEqual(buttons(watching), ['Contact vastleggen']);

    await act(b!, url, { actie: 'aannemen' }, 'aangenomen');
    assert.equal((await state(matchId))?.coordinator_signal_id, b!.signalId);
    const after = section(await view(a!, url));
    assert.match(after, new RegExp(`De regie ligt bij ${b!.name}`));
    assert.match(after, new RegExp(`stelde voor de regie over te dragen aan ${b!.name}\\. Stand: van regie genomen naar overdracht voorgesteld`));
    assert.match(after, new RegExp(`${b!.name} \\(${b!.org.name}\\) nam de regie over\\. Stand: van overdracht voorgesteld naar regie genomen`));
    // Accepting twice: the hand-over is no longer pending.
    await act(b!, url, { actie: 'aannemen' }, 'veranderd');
  });

  test('hand-over declined, and withdrawn: the coordinator stays', async () => {
    const {
      url,
      members: [a, b],
      matchId,
    } = await match(2);
    await act(a!, url, { actie: 'nemen' }, 'genomen');
    // With one other participant, the choice is made already.
    assert.match(await view(a!, url), new RegExp(`value="${b!.signalId}" checked`));
    await act(a!, url, { actie: 'overdragen', naar: b!.signalId }, 'voorgesteld');
    await act(b!, url, { actie: 'afwijzen' }, 'afgewezen');
    assert.deepEqual(await state(matchId), { state: 'taken', coordinator_signal_id: a!.signalId, proposed_signal_id: null, escalation_reason: null });
    assert.match(section(await view(a!, url)), /wees de overdracht van de regie af\./);

    await act(a!, url, { actie: 'overdragen', naar: b!.signalId }, 'voorgesteld');
    await act(a!, url, { actie: 'intrekken' }, 'ingetrokken');
    assert.deepEqual(await state(matchId), { state: 'taken', coordinator_signal_id: a!.signalId, proposed_signal_id: null, escalation_reason: null });
    const page = section(await view(b!, url, '?regie=ingetrokken'));
    assert.match(page, /trok het voorstel tot overdracht in\./);
    // B's stale "Aannemen" after the withdrawal.
    await act(b!, url, { actie: 'aannemen' }, 'veranderd');
    assert.equal((await state(matchId))?.coordinator_signal_id, a!.signalId);
  });

  test('escalating: a confirmation page with reason categories; a reason is required', async () => {
    const {
      url,
      members: [a, b],
      matchId,
    } = await match(2);
    const confirm = await a!.session.get(`${url}/regie/opschalen`);
    assert.equal(confirm.statusCode, 200);
    for (const label of ['Niemand neemt de regie', 'Er komt geen contact tot stand', 'De betrokkenen komen niet tot afspraken', 'Een andere reden'])
      assert.ok(confirm.body.includes(label), label);
    assert.doesNotMatch(confirm.body, /<textarea/);
    // The one confirmation pattern: what happens, what cannot be undone, a red button and a way back.
    assert.match(confirm.body, /Ja, opschalen/);
    assert.match(confirm.body, /U kunt dit niet ongedaan maken\./);
    assert.ok(confirm.body.includes(`href="${url}#regie">Annuleren`));
    assert.equal(await state(matchId), null, 'opening the page changes nothing');

    const missing = await a!.session.post(`${url}/regie`, { actie: 'opschalen' });
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(summaryLinks(missing.body), ['reden']);
    assert.match(missing.body, /<title>Fout: Opschalen naar de functionaris/);
    assert.match(missing.body, /Kies waarom u opschaalt\./);
    const invented = await a!.session.post(`${url}/regie`, { actie: 'opschalen', reden: 'de persoon is lastig' });
    assert.equal(invented.statusCode, 422);
    assert.equal(await state(matchId), null);

    await act(a!, url, { actie: 'opschalen', reden: 'no_contact' }, 'opgeschaald');
    assert.equal((await state(matchId))?.escalation_reason, 'no_contact');
    const seen = section(await view(b!, url));
    assert.match(seen, /Regie Opgeschaald/);
    assert.match(seen, /De match is opgeschaald naar de functionaris van de gemeente Reden: er komt geen contact tot stand\./);
    assert.match(
      seen,
      new RegExp(
        `${a!.name} \\(${a!.org.name}\\) schaalde op naar de functionaris \\(er komt geen contact tot stand\\)\\. Stand: van nog geen regisseur naar opgeschaald`,
      ),
    );
    assert.deepEqual(buttons(await view(b!, url)), ['Contact vastleggen']);
    assert.ok(!(await view(b!, url)).includes('/regie/opschalen'));
    // Escalating again, or opening the page again: it is escalated already.
    const again = await b!.session.get(`${url}/regie/opschalen`);
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `${url}?regie=veranderd#regie`);
    await act(b!, url, { actie: 'opschalen', reden: 'other' }, 'veranderd');
  });

  test('contact made: a date, shown per participant; wrong dates come back with an error summary', async () => {
    const {
      url,
      members: [a, b],
      matchId,
    } = await match(2);
    const page = await view(a!, url);
    // Today by default, as three boxes in Dutch order (day, month, year).
    assert.match(page, /<input[^>]*id="contact-datum"[^>]*inputmode="numeric"[^>]*value="10"/);
    assert.match(page, /<input[^>]*id="contact-datum-maand"[^>]*value="3"/);
    assert.match(page, /<input[^>]*id="contact-datum-jaar"[^>]*value="2026"/);
    assert.match(section(page), new RegExp(`${a!.name} \\(u\\), ${a!.org.name} Nog niet ${b!.name}, ${b!.org.name} Nog niet`));

    const empty = await a!.session.post(`${url}/contact`, { datum: '', 'datum-maand': '', 'datum-jaar': '' });
    assert.equal(empty.statusCode, 422);
    assert.deepEqual(summaryLinks(empty.body), ['contact-datum']);
    assert.match(empty.body, /Vul de datum in waarop u contact had\./);
    const future = await a!.session.post(`${url}/contact`, { datum: '12', 'datum-maand': '3', 'datum-jaar': '2026' });
    assert.equal(future.statusCode, 422);
    assert.match(future.body, /Kies een datum tussen 10 maart 2026 \(de match\) en vandaag\./);
    assert.match(future.body, /<input[^>]*id="contact-datum"[^>]*value="12"/);
    const early = await a!.session.post(`${url}/contact`, { datum: '1', 'datum-maand': '3', 'datum-jaar': '2026' });
    assert.equal(early.statusCode, 422);
    const nonsense = await a!.session.post(`${url}/contact`, { datum: '31', 'datum-maand': '02', 'datum-jaar': '2026' });
    assert.equal(nonsense.statusCode, 422);
    assert.match(nonsense.body, /De datum van het contact bestaat niet: februari 2026 heeft 28 dagen\./);
    // What was typed comes back as typed, in its boxes.
    assert.match(nonsense.body, /<input[^>]*id="contact-datum-maand"[^>]*value="02"/);
    const halfDate = await a!.session.post(`${url}/contact`, { datum: '10', 'datum-maand': '3' });
    assert.match(halfDate.body, /Vul de datum van het contact helemaal in: het jaar ontbreekt\./);
    assert.equal(await contacts(matchId), 0);
    assert.equal((await a!.session.get(`${url}/contact`)).statusCode, 200);

    const recorded = await a!.session.post(`${url}/contact`, { datum: '10', 'datum-maand': '03', 'datum-jaar': '2026' });
    assert.equal(recorded.statusCode, 303);
    assert.equal(recorded.headers.location, `${url}?regie=contact#regie`);
    assert.match(section(await view(a!, url, '?regie=contact')), /Vastgelegd: u heeft contact gelegd/);
    const theirs = section(await view(b!, url));
    assert.match(theirs, new RegExp(`${a!.name}, ${a!.org.name} 10 maart 2026 ${b!.name} \\(u\\), ${b!.org.name} Nog niet`));
    // The next day (signed in again: the session went idle), B records contact too.
    t.clock.advance(86_400_000);
    const nextDay = await signInByInject(t, b!.account);
    assert.equal((await nextDay.post(`${url}/contact`, { datum: '11', 'datum-maand': '3', 'datum-jaar': '2026' })).statusCode, 303);
    assert.match(section((await (await signInByInject(t, a!.account)).get(url)).body), new RegExp(`${b!.name}, ${b!.org.name} 11 maart 2026`));
    assert.equal(await contacts(matchId), 2);
  });

  test("the covenant's rule proposes a coordinator while nobody coordinates; when the coordinator leaves, it is open again", async () => {
    const {
      url,
      members: [a, b, c],
      matchId,
    } = await match();
    await t.services.organisations.update(t.admin, b!.org.id, { domains: ['youth_care'] });
    const previous = (await t.services.settings.current()).coordinatorDomainPriority;
    await t.services.settings.update(t.admin, { coordinatorDomainPriority: ['youth_care'] });
    try {
      assert.match(section(await view(a!, url)), new RegExp(`Voorstel volgens de afspraken in het convenant: ${b!.name} \\(${b!.org.name}\\)`));
      assert.match(section(await view(b!, url)), new RegExp(`Voorstel volgens de afspraken in het convenant: u \\(${b!.org.name}\\)`));
      await act(c!, url, { actie: 'nemen' }, 'genomen');
      assert.doesNotMatch(section(await view(a!, url)), /Voorstel volgens de afspraken/);

      t.clock.advance(60_000);
      await t.services.signals.end(c!.actor, c!.signalId, 'care_ended');
      assert.deepEqual(await state(matchId), { state: 'open', coordinator_signal_id: null, proposed_signal_id: null, escalation_reason: null });
      const open = section(await view(a!, url));
      assert.match(open, /Nog niemand heeft de regie De vorige regisseur is niet meer betrokken/);
      assert.match(
        open,
        new RegExp(`De regisseur \\(${c!.name}\\) is niet meer betrokken: de regie is weer open\\. Stand: van regie genomen naar nog geen regisseur`),
      );
      assert.match(open, /Voorstel volgens de afspraken in het convenant/);
      assert.deepEqual(buttons(await view(a!, url)), ['Ik neem de regie', 'Contact vastleggen']);
    } finally {
      await t.services.settings.update(t.admin, { coordinatorDomainPriority: previous });
    }
  });

  test('an organisation that may only signal: no "Ik neem de regie" but why, and it is not offered the hand-over', async () => {
    const {
      url,
      members: [a, b, c],
      matchId,
    } = await match();
    await t.services.covenants.setTerms(t.admin, b!.org.covenantId, { mayCoordinate: false });
    const signalOnly = await view(b!, url);
    assert.deepEqual(buttons(signalOnly), ['Contact vastleggen']);
    assert.match(section(signalOnly), /Uw organisatie geeft volgens het convenant met de gemeente alleen signalen af: u kunt de regie niet nemen\./);
    assert.match(section(await view(a!, url)), new RegExp(`${b!.name}, ${b!.org.name} Alleen signaleren`));
    // A stale or hand-made "Ik neem de regie": refused in Dutch, nothing changes.
    await act(b!, url, { actie: 'nemen' }, 'convenant');
    assert.match(section(await view(b!, url, '?regie=convenant')), /uw organisatie geeft volgens het convenant met de gemeente alleen signalen af/);
    assert.equal(await state(matchId), null);

    await act(a!, url, { actie: 'nemen' }, 'genomen');
    const choosing = await view(a!, url);
    assert.ok(choosing.includes(`name="naar" value="${c!.signalId}"`));
    assert.ok(!choosing.includes(`name="naar" value="${b!.signalId}"`), 'the school is not offered');
    assert.match(choosing, /alleen signaleert, staan hier niet bij/);
    const toSchool = await a!.session.post(`${url}/regie`, { actie: 'overdragen', naar: b!.signalId });
    assert.equal(toSchool.statusCode, 422);
    assert.deepEqual(summaryLinks(toSchool.body), ['naar']);
    assert.match(toSchool.body, /werkt bij een organisatie die volgens het convenant alleen signaleert/);
    assert.equal((await state(matchId))?.state, 'taken');

    // Offered to C, whose covenant then changes: C can only decline, and is told why.
    await act(a!, url, { actie: 'overdragen', naar: c!.signalId }, 'voorgesteld');
    await t.services.covenants.setTerms(t.admin, c!.org.covenantId, { mayCoordinate: false });
    const offered = await view(c!, url);
    assert.deepEqual(buttons(offered), ['Afwijzen', 'Contact vastleggen']);
    assert.match(section(offered), /alleen signalen af: u kunt de regie niet nemen\. Wijs het voorstel daarom af\./);
    await act(c!, url, { actie: 'aannemen' }, 'convenant');
    await act(c!, url, { actie: 'afwijzen' }, 'afgewezen');
    // Nobody else may coordinate: A keeps it and is told why there is no hand-over.
    const keeping = await view(a!, url);
    assert.deepEqual(buttons(keeping), ['Contact vastleggen']);
    assert.match(section(keeping), /alleen signaleert: u kunt de regie niet aan hen overdragen/);
  });

  test('the escalation form offers only the reasons that fit the match; one that does not comes back explained; the history shows contact', async () => {
    const {
      url,
      members: [a, b],
      matchId,
    } = await match(2);
    const open = await b!.session.get(`${url}/regie/opschalen`);
    assert.match(open.body, /value="no_coordinator"/);
    await act(a!, url, { actie: 'nemen' }, 'genomen');
    const taken = await b!.session.get(`${url}/regie/opschalen`);
    assert.doesNotMatch(taken.body, /value="no_coordinator"|Niemand neemt de regie/);
    for (const reason of ['no_contact', 'no_agreement', 'other']) assert.match(taken.body, new RegExp(`value="${reason}"`));
    const unfit = await b!.session.post(`${url}/regie`, { actie: 'opschalen', reden: 'no_coordinator' });
    assert.equal(unfit.statusCode, 422);
    assert.deepEqual(summaryLinks(unfit.body), ['reden']);
    assert.match(unfit.body, /Iemand heeft intussen de regie, dus &quot;Niemand neemt de regie&quot; past niet\./);

    // Earlier tests moved the clock: contact on the day of the match, today.
    const day = t.clock.now().toISOString().slice(0, 10);
    const dayText = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(t.clock.now());
    assert.equal((await a!.session.post(`${url}/contact`, dateBoxes('datum', day))).statusCode, 303);
    assert.equal((await b!.session.post(`${url}/contact`, dateBoxes('datum', day))).statusCode, 303);
    const contacted = await b!.session.get(`${url}/regie/opschalen`);
    assert.doesNotMatch(contacted.body, /value="no_contact"/);
    const noContact = await b!.session.post(`${url}/regie`, { actie: 'opschalen', reden: 'no_contact' });
    assert.equal(noContact.statusCode, 422);
    assert.match(noContact.body, /Alle betrokkenen hebben contact vastgelegd/);
    assert.equal((await state(matchId))?.state, 'taken');

    const history = section(await view(a!, url));
    assert.match(history, new RegExp(`${a!.name} \\(${a!.org.name}\\) legde vast: contact gelegd op ${dayText}\\. Stand: regie genomen`));
    assert.match(history, new RegExp(`${b!.name} \\(${b!.org.name}\\) legde vast: contact gelegd op ${dayText}\\.`));
    await act(b!, url, { actie: 'opschalen', reden: 'no_agreement' }, 'opgeschaald');
  });

  test('a pending hand-over shows on the start page of the one it is offered to, audited, until it is answered', async () => {
    const {
      url,
      members: [a, b, c],
      matchId,
    } = await match();
    await act(a!, url, { actie: 'nemen' }, 'genomen');
    const startSection = (body: string) => /<section aria-labelledby="regie-voorgesteld"[\s\S]*?<\/section>/.exec(body)?.[0];
    assert.equal(startSection((await b!.session.get('/')).body), undefined, 'nothing offered yet');
    await act(a!, url, { actie: 'overdragen', naar: b!.signalId }, 'voorgesteld');

    const start = await b!.session.get('/');
    assert.equal(start.statusCode, 200);
    const shown = startSection(start.body) ?? assert.fail('no "Regie aan u voorgesteld" section');
    const text = shown.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.match(text, /Regie aan u voorgesteld/);
    assert.match(text, /Jan de Boer/);
    assert.match(text, new RegExp(`${a!.name} \\(${a!.org.name}\\) wil de regie aan u overdragen, sinds \\d+ maart 2026`));
    assert.ok(shown.includes(`href="${url}#regie"`));
    for (const other of [a!, c!]) assert.equal(startSection((await other.session.get('/')).body), undefined, 'only for the one it is offered to');
    const audited = await t.services.db
      .selectFrom('audit_events')
      .select(['resource_id', 'subject_key'])
      .where('event_type', '=', 'coordination.read')
      .where('actor_id', '=', b!.org.professionalId)
      .where('resource_id', '=', matchId)
      .execute();
    assert.ok(audited.length >= 1 && audited.every((e) => e.subject_key !== null), 'the start page read of the coordination is audited');

    await act(b!, url, { actie: 'afwijzen' }, 'afgewezen');
    assert.equal(startSection((await b!.session.get('/')).body), undefined, 'answered: gone');
  });

  test('outside the match: the same "Niet gevonden" on every page and form, and nothing changes; staff get "Geen toegang"', async () => {
    const {
      url,
      members: [a, b],
      matchId,
    } = await match(2);
    await act(a!, url, { actie: 'nemen' }, 'genomen');
    await act(a!, url, { actie: 'overdragen', naar: b!.signalId }, 'voorgesteld');
    const other = await outsider();
    const colleagueOf = await t.colleague(a!.org);
    const colleague = await signInByInject(t, await webProfessional(t, a!.org, { professionalId: colleagueOf.professionalId }));
    const before = { transitions: await transitions(matchId), contacts: await contacts(matchId), state: await state(matchId) };
    const same = (body: string) => body.replace(/\/matches\/[0-9a-f-]{36}[^"]*/g, '');

    const forms: [string, Record<string, string>][] = [
      ['/regie', { actie: 'nemen' }],
      ['/regie', { actie: 'overdragen', naar: b!.signalId }],
      ['/regie', { actie: 'overdragen' }],
      ['/regie', { actie: 'aannemen' }],
      ['/regie', { actie: 'afwijzen' }],
      ['/regie', { actie: 'intrekken' }],
      ['/regie', { actie: 'opschalen', reden: 'other' }],
      ['/regie', { actie: 'opschalen' }],
      ['/regie', { actie: 'onzin' }],
      ['/contact', { datum: '10', 'datum-maand': '3', 'datum-jaar': '2026' }],
      ['/contact', { datum: '' }],
    ];
    for (const session of [other.session, colleague]) {
      // The very page a wrong link gives this professional.
      const reference = await session.get(`/matches/${randomUUID()}`);
      assert.equal(reference.statusCode, 404);
      assert.match(reference.body, /Niet gevonden/);
      for (const path of ['', '/regie/opschalen', '/regie/overdragen', '/contact']) {
        const response = await session.get(`${url}${path}`);
        assert.equal(response.statusCode, 404, path);
        assert.equal(same(response.body), same(reference.body), path);
      }
      for (const [path, fields] of forms) {
        const response = await session.post(`${url}${path}`, fields);
        assert.equal(response.statusCode, 404, `${path} ${JSON.stringify(fields)}`);
        assert.equal(same(response.body), same(reference.body), path);
      }
    }
    for (const [path, fields] of forms) assert.equal((await other.session.post(`/matches/${randomUUID()}${path}`, fields)).statusCode, 404);
    assert.equal((await other.session.post('/matches/geen-id/regie', { actie: 'nemen' })).statusCode, 404);

    const staff = await signInByInject(t, await webAdministrator(t));
    for (const path of ['', '/regie/opschalen', '/regie/overdragen', '/contact']) {
      const response = await staff.get(`${url}${path}`);
      assert.equal(response.statusCode, 403, path);
      assert.match(response.body, /Geen toegang/);
    }
    for (const [path, fields] of forms) assert.equal((await staff.post(`${url}${path}`, fields)).statusCode, 403, path);

    // A form without the CSRF token, from a participant: refused, nothing changes.
    for (const [path, fields] of [
      ['/regie', { actie: 'aannemen' }],
      ['/regie', { actie: 'opschalen', reden: 'other' }],
      ['/contact', { datum: '10', 'datum-maand': '3', 'datum-jaar': '2026' }],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url: `${url}${path}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: b!.session.cookie },
        payload: new URLSearchParams(fields).toString(),
      });
      assert.equal(response.statusCode, 400, path);
      assert.match(response.body, /Dat ging niet goed/);
      const wrong = await t.app.inject({
        method: 'POST',
        url: `${url}${path}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: b!.session.cookie },
        payload: new URLSearchParams({ ...fields, _csrf: a!.session.csrf }).toString(),
      });
      assert.equal(wrong.statusCode, 400, path);
    }
    // Anonymous: sent to sign in.
    const anonymous = await t.app.inject({ method: 'GET', url: `${url}/regie/opschalen` });
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/inloggen/);

    assert.deepEqual({ transitions: await transitions(matchId), contacts: await contacts(matchId), state: await state(matchId) }, before);
  });

  test('names are escaped in the section', async () => {
    const {
      url,
      members: [a, b],
    } = await match(2);
    await t.services.db.updateTable('professionals').set({ name: '<b>Kees</b> & "Co"' }).where('id', '=', a!.org.professionalId).execute();
    await act(a!, url, { actie: 'nemen' }, 'genomen');
    const body = await view(b!, url);
    assert.ok(body.includes('&lt;b&gt;Kees&lt;/b&gt; &amp; &quot;Co&quot;'));
    assert.ok(!body.includes('<b>Kees</b>'));
  });
});
