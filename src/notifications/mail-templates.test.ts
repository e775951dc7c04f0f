import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSULTATION_EVENT_TYPES, EVENT_TYPES, isConsultationEvent, isMailed } from './events.ts';
import { type MailInput, renderConsultationMail, renderMail } from './mail-templates.ts';

const input = (overrides: Partial<MailInput> = {}): MailInput => ({
  type: 'match.created',
  mode: 'full',
  publicUrl: 'https://sluis.gemeente.nl',
  recipientName: 'Sanne de Vries',
  signal: { id: 'sig-1', clientReference: 'WT-7', filedAt: new Date('2026-11-23T09:00:00Z'), activeUntil: new Date('2028-11-23T09:00:00Z'), endReason: null },
  matchId: 'match-1',
  others: [
    {
      professionalName: 'Ahmed <b>El</b> Amrani',
      organisationName: 'GGZ & Co',
      phone: '010 123 4502',
      email: 'a@ggz.example',
      since: new Date('2026-11-22T10:00:00Z'),
    },
  ],
  changed: null,
  ...overrides,
});

test('every event type has a Dutch subject, a greeting, a link and the footer, in text and HTML', () => {
  for (const type of EVENT_TYPES.filter(isMailed)) {
    const mail = renderMail(input({ type }));
    assert.match(mail.subject, /^SluiS: /);
    assert.match(mail.text, /^Beste Sanne de Vries,\n/);
    assert.match(mail.text, /https:\/\/sluis\.gemeente\.nl\/(matches\/match-1|signalen\/sig-1|signalen\n)/);
    assert.match(mail.text, /geen gegevens over de persoon zelf/);
    assert.match(mail.html, /^<!doctype html><html lang="nl">/);
  }
});

test("a match mail lists the others with their contact details and the recipient's own reference", () => {
  const mail = renderMail(input());
  assert.equal(mail.subject, 'SluiS: er is een match op uw signaal');
  assert.match(mail.text, /- Ahmed <b>El<\/b> Amrani, GGZ & Co\n {2}tel\. 010 123 4502, a@ggz\.example \(betrokken sinds 22 november 2026\)/);
  assert.match(mail.text, /uw signaal met kenmerk "WT-7", afgegeven op 23 november 2026/);
  assert.match(mail.html, /Ahmed &lt;b&gt;El&lt;\/b&gt; Amrani<\/strong>, GGZ &amp; Co/, 'HTML is escaped');
  assert.match(mail.html, /href="tel:0101234502"/);
});

test('a signal without a client reference is "zonder kenmerk", the word the pages use (docs/glossary.md)', () => {
  const mail = renderMail(input({ signal: { ...input().signal, clientReference: null } }));
  assert.match(mail.text, /Het gaat om uw signaal zonder kenmerk, afgegeven op 23 november 2026\./);
});

test('link-only mails hold nothing but the link', () => {
  for (const type of EVENT_TYPES.filter(isMailed)) {
    const mail = renderMail(input({ type, mode: 'link_only' }));
    for (const absent of ['Ahmed', 'GGZ', '010 123', 'a@ggz', 'WT-7'])
      assert.ok(!mail.text.includes(absent) && !mail.html.includes(absent), `${type}: ${absent}`);
  }
});

test('ended and expiring signals say why and when, in Dutch', () => {
  assert.match(
    renderMail(input({ type: 'signal.ended', signal: { ...input().signal, endReason: 'age_limit' } })).text,
    /Uw signaal is beëindigd: de persoon is 23 jaar geworden\./,
  );
  assert.match(renderMail(input({ type: 'signal.expiring' })).text, /Uw signaal verloopt op 23 november 2028\./);
  assert.match(
    renderMail(input({ type: 'match.participant_left', others: [], changed: input().others[0]! })).text,
    /Ahmed <b>El<\/b> Amrani \(GGZ & Co\) is niet meer betrokken[\s\S]*geen andere professionals met een actief signaal/,
  );
});

test('the expiry notice offers extending, with the end date it would give, or says why it cannot', () => {
  const offered = renderMail(input({ type: 'signal.expiring', extension: { until: new Date('2030-11-23T09:00:00Z') } }));
  assert.match(offered.text, /Bent u daarna nog betrokken\? Verleng het signaal dan in SluiS tot 23 november 2030\./);
  assert.match(offered.text, /Verleng uw signaal in SluiS:\nhttps:\/\/sluis\.gemeente\.nl\/signalen\/sig-1\/verlengen/);
  const atAgeLimit = renderMail(input({ type: 'signal.expiring', extension: { refusal: 'age_limit' } })).text;
  assert.match(atAgeLimit, /omdat de persoon 23 jaar wordt\. Verlengen is dan niet mogelijk\./);
  assert.ok(!atAgeLimit.includes('/verlengen'));
  const switchedOff = renderMail(input({ type: 'signal.expiring', extension: { refusal: 'switched_off' } })).text;
  assert.match(switchedOff, /Geef dan opnieuw een signaal af\./);
  assert.ok(!switchedOff.includes('/verlengen'));
});

test('the informing reminder points into SluiS and holds nothing about the person', () => {
  const mail = renderMail(input({ type: 'signal.informing_due' }));
  assert.equal(mail.subject, 'SluiS: leg vast of u de persoon heeft geïnformeerd');
  assert.match(mail.text, /het informeren uitgesteld/);
  assert.match(mail.text, /https:\/\/sluis\.gemeente\.nl\/signalen\/sig-1\/informeren/);
  assert.ok(!mail.text.includes('Ahmed'), 'no contact details of others either');
});

test('changes a professional made themselves are not mailed, only told to record systems', () => {
  assert.deepEqual(
    EVENT_TYPES.filter((type) => !isMailed(type) && !isConsultationEvent(type)),
    ['signal.extended', 'signal.informing_recorded'],
  );
});

test("a case consultation's mail says what happened and links to it, with nothing about the person or the purpose", () => {
  for (const type of CONSULTATION_EVENT_TYPES) {
    const mail = renderConsultationMail({
      type,
      publicUrl: 'https://sluis.test',
      recipientName: 'Anna de Vries',
      consultationId: 'c0ffee00-0000-4000-8000-000000000000',
    });
    assert.match(mail.subject, /casusoverleg|actiepunt/);
    assert.match(mail.text, /https:\/\/sluis\.test\/casusoverleggen\/c0ffee00-0000-4000-8000-000000000000/);
    assert.match(mail.text, /geen gegevens over de persoon/);
  }
});

test('a coordination mail says in its subject what happened and what is asked of this recipient', () => {
  const coordinator = {
    professionalName: 'Anna de Vries',
    organisationName: 'Wijkteam Noord',
    phone: '06 1234 5678',
    email: 'anna@wijkteam.example',
    since: new Date('2026-11-20T10:00:00Z'),
  };
  const mail = (over: Partial<MailInput>) =>
    renderMail(input({ type: 'coordination.changed', changed: coordinator, coordinatorSignalId: 'sig-anna', ...over }));
  const subjects: [Partial<MailInput>, string][] = [
    [{ action: 'take' }, 'SluiS: de regie is genomen – stem af met de regisseur'],
    [{ action: 'propose_handover', proposedSignalId: 'sig-1' }, 'SluiS: de regie wordt aan u overgedragen – neemt u die aan of wijst u die af?'],
    [{ action: 'propose_handover', proposedSignalId: 'sig-other' }, 'SluiS: overdracht van de regie voorgesteld – u hoeft niets te doen'],
    [{ action: 'accept_handover' }, 'SluiS: de regie is overgedragen – stem af met de nieuwe regisseur'],
    [{ action: 'decline_handover', coordinatorSignalId: 'sig-1' }, 'SluiS: uw voorstel tot overdracht is afgewezen – u houdt de regie'],
    [{ action: 'decline_handover' }, 'SluiS: overdracht van de regie afgewezen – de regie blijft waar die was'],
    [{ action: 'withdraw_handover', proposedSignalId: 'sig-1' }, 'SluiS: het voorstel om de regie aan u over te dragen is ingetrokken – u hoeft niets te doen'],
    [{ action: 'withdraw_handover', proposedSignalId: 'sig-other' }, 'SluiS: voorstel tot overdracht van de regie ingetrokken – u hoeft niets te doen'],
    [{ action: 'coordinator_left', changed: null, coordinatorSignalId: undefined }, 'SluiS: niemand heeft nu de regie – spreek af wie die neemt'],
    [
      { action: 'escalate', reason: 'no_coordinator', changed: null, coordinatorSignalId: undefined },
      'SluiS: de match is opgeschaald naar de functionaris – reden: niemand neemt de regie',
    ],
    [{ action: 'escalate', reason: 'no_contact' }, 'SluiS: de match is opgeschaald naar de functionaris – reden: er komt geen contact tot stand'],
    [{ action: 'escalate', reason: 'no_agreement' }, 'SluiS: de match is opgeschaald naar de functionaris – reden: de betrokkenen komen niet tot afspraken'],
    [{ action: 'escalate', reason: 'other' }, 'SluiS: de match is opgeschaald naar de functionaris – reden: een andere reden'],
    [{ action: 'appoint', coordinatorSignalId: 'sig-1' }, 'SluiS: de functionaris heeft u aangewezen als regisseur'],
    [{ action: 'appoint' }, 'SluiS: de functionaris heeft een regisseur aangewezen – stem af met de regisseur'],
    [{ action: 'resolve', reason: 'no_coordination_needed' }, 'SluiS: de functionaris is klaar – afloop: regie niet (meer) nodig'],
  ];
  for (const [over, subject] of subjects) {
    const rendered = mail(over);
    assert.equal(rendered.subject, subject, JSON.stringify(over));
    assert.ok(rendered.html.includes(`<title>${subject}</title>`), 'the HTML title is the subject');
    // The subject names nobody: not the coordinator, not the recipient.
    for (const name of ['Anna', 'Wijkteam', 'Sanne', 'WT-7']) assert.ok(!rendered.subject.includes(name), `${subject}: ${name}`);
    // Link-only mode keeps the subject (it holds no names) and drops everything else.
    const linkOnly = mail({ ...over, mode: 'link_only' });
    assert.equal(linkOnly.subject, subject);
    assert.ok(!linkOnly.text.includes('Anna') && !linkOnly.text.includes('WT-7'));
  }
});

test('a coordination mail asks in its text what the subject promises, with the reason or outcome in words', () => {
  const coordinator = {
    professionalName: 'Anna de Vries',
    organisationName: 'Wijkteam Noord',
    phone: '06 1234 5678',
    email: 'anna@wijkteam.example',
    since: new Date('2026-11-20T10:00:00Z'),
  };
  const offered = renderMail(
    input({ type: 'coordination.changed', action: 'propose_handover', changed: coordinator, coordinatorSignalId: 'sig-anna', proposedSignalId: 'sig-1' }),
  );
  assert.match(offered.text, /Anna de Vries \(Wijkteam Noord\) wil de regie aan u overdragen/);
  assert.match(offered.text, /neem het voorstel aan of wijs het af/);
  assert.match(offered.text, /De regie ligt nu bij:\n\n- Anna de Vries, Wijkteam Noord\n {2}tel\. 06 1234 5678/);
  const escalated = renderMail(input({ type: 'coordination.changed', action: 'escalate', reason: 'no_agreement', changed: null }));
  assert.match(escalated.text, /Reden: de betrokkenen komen niet tot afspraken\./);
  assert.ok(!escalated.text.includes('De regie ligt nu bij'), 'nobody coordinates: no coordinator block');
  const appointed = renderMail(input({ type: 'coordination.changed', action: 'appoint', changed: coordinator, coordinatorSignalId: 'sig-1' }));
  assert.match(appointed.text, /heeft u aangewezen als regisseur/);
  assert.match(appointed.text, /De regie ligt nu bij u\./);
  assert.ok(!appointed.text.includes('tel. 06 1234 5678'), 'not their own contact details');
  const resolved = renderMail(input({ type: 'coordination.changed', action: 'resolve', reason: 'contact_restored', changed: null }));
  assert.match(resolved.text, /Afloop: contact hersteld\./);
  const left = renderMail(input({ type: 'coordination.changed', action: 'coordinator_left', changed: null }));
  assert.match(left.text, /Niemand heeft nu de regie\.[\s\S]*Spreek met de andere betrokkenen af wie de regie neemt/);
});

test('a signal that left a family or address match while staying active: its own professional is told so, with nobody listed and no reason', () => {
  for (const [kind, word] of [
    ['family', 'gezinsmatch'],
    ['address', 'adresmatch'],
  ] as const) {
    const own = input({ type: 'match.participant_left', family: kind === 'family', address: kind === 'address', ownSignalLeft: true });
    const mail = renderMail(own);
    assert.equal(mail.subject, `SluiS: uw signaal maakt geen deel meer uit van een ${word}`);
    assert.match(mail.text, new RegExp(`Uw signaal maakt geen deel meer uit van deze ${word}\\. Uw signaal zelf blijft actief\\.`));
    assert.match(mail.text, /uw signaal met kenmerk "WT-7"/);
    assert.match(mail.text, /https:\/\/sluis\.gemeente\.nl\/signalen\/sig-1\n/, 'a link to the own signal');
    assert.ok(!mail.text.includes('/matches/match-1'), 'not to the match, which is no longer theirs');
    assert.ok(!mail.text.includes('Ahmed'), 'nobody is listed');
    const linkOnly = renderMail({ ...own, mode: 'link_only' });
    assert.match(linkOnly.text, /\/signalen\/sig-1/);
    assert.ok(!linkOnly.text.includes('/matches/'));
  }
  // Another participant leaving: the usual mail about whoever left.
  const usual = renderMail(input({ type: 'match.participant_left', family: true, changed: input().others[0]! }));
  assert.equal(usual.subject, 'SluiS: een professional is niet meer betrokken');
  assert.match(usual.text, /is niet meer betrokken bij een kind van dezelfde ouder \(gezinsmatch\)/);
});

test('a cross-region match that ended says so and links to the signal, not to the match it can no longer show', () => {
  const ended = { type: 'match.participant_left' as const, otherRegions: [{ region: 'utrecht', contacts: [] }], crossRegionEnded: true, others: [] };
  const mail = renderMail(input(ended));
  assert.equal(mail.subject, 'SluiS: een match met een andere regio is beëindigd');
  assert.match(mail.text, /De match met een andere regio is beëindigd: in regio utrecht is geen professional meer betrokken/);
  assert.match(mail.text, /https:\/\/sluis\.gemeente\.nl\/signalen\/sig-1/);
  assert.doesNotMatch(mail.text, /matches\/match-1/);
  const linkOnly = renderMail(input({ ...ended, mode: 'link_only' }));
  assert.equal(linkOnly.subject, mail.subject);
  assert.match(linkOnly.text, /signalen\/sig-1/);
  assert.doesNotMatch(linkOnly.text, /matches\/match-1/);
});
