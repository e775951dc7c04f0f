import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_TYPES } from './events.ts';
import { type MailInput, renderMail } from './mail-templates.ts';

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
  for (const type of EVENT_TYPES) {
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
  for (const type of EVENT_TYPES) {
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
