/** The audit trail's words: a Dutch label for everything in the closed catalogue, names instead of ids, words instead of codes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_DETAIL_KEYS, AUDIT_EVENT_TYPES, AUDIT_RESOURCE_TYPES } from '../../audit/audit-catalogue.ts';
import type { AuditEventView } from '../../audit/audit-service.ts';
import { ACTIONS, ESCALATION_REASONS, OUTCOMES, STATES } from '../../coordination/coordination-rules.ts';
import { END_REASONS } from '../../signals/lifetime.ts';
import { AUDIT_EVENT_LABELS } from '../labels.ts';
import { DETAIL_LABELS, describeEvent, detailValue, RESOURCE_LABELS } from './audit-labels.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const labelled = (labels: Record<string, string>, codes: readonly string[], what: string) => {
  for (const code of codes) {
    const label = labels[code];
    assert.ok(label && label.trim().length > 0, `${what} "${code}" has no Dutch label`);
    assert.notEqual(label, code, `${what} "${code}" is labelled with its own code`);
  }
};

test('every event type, detail key and resource type of the catalogue has a Dutch label', () => {
  labelled(AUDIT_EVENT_LABELS, AUDIT_EVENT_TYPES, 'event type');
  labelled(DETAIL_LABELS, AUDIT_DETAIL_KEYS, 'detail key');
  labelled(RESOURCE_LABELS, AUDIT_RESOURCE_TYPES, 'resource type');
  // The filter lists the event types by label: two with one label could not be told apart.
  const labels = AUDIT_EVENT_TYPES.map((type) => AUDIT_EVENT_LABELS[type]);
  assert.equal(new Set(labels).size, labels.length, 'every event type has its own label');
  assert.deepEqual(Object.keys(DETAIL_LABELS).sort(), [...AUDIT_DETAIL_KEYS].sort(), 'no label for a key outside the catalogue');
});

const ids = {
  professional: '11111111-1111-4111-8111-111111111111',
  other: '22222222-2222-4222-8222-222222222222',
  organisation: '33333333-3333-4333-8333-333333333333',
  staff: '44444444-4444-4444-8444-444444444444',
  client: '55555555-5555-4555-8555-555555555555',
  account: '66666666-6666-4666-8666-666666666666',
  match: '77777777-7777-4777-8777-777777777777',
};

const names: AuditEventView['names'] = {
  [ids.professional]: { kind: 'professional', name: 'Sanne de Vries', organisationName: 'Wijkteam Noord' },
  [ids.other]: { kind: 'professional', name: 'Mark Jansen', organisationName: 'De Regenboog' },
  [ids.organisation]: { kind: 'organisation', name: 'Wijkteam Noord', organisationName: null },
  [ids.staff]: { kind: 'staff_member', name: 'Test Beheerder', organisationName: null },
  [ids.client]: { kind: 'api_client', name: 'Cliëntsysteem Wijkteam', organisationName: 'Wijkteam Noord' },
  [ids.account]: { kind: 'web_account', name: 'Mark Jansen', organisationName: 'De Regenboog' },
};

const event = (over: Partial<AuditEventView>): AuditEventView => ({
  id: 1,
  occurredAt: new Date('2026-03-10T09:00:00Z'),
  eventType: 'signal.read',
  outcome: 'success',
  actorType: 'professional',
  actorId: ids.professional,
  organisationId: ids.organisation,
  apiClientId: null,
  subject: null,
  actorName: 'Sanne de Vries',
  organisationName: 'Wijkteam Noord',
  resourceType: null,
  resourceId: null,
  requestId: 'req-1',
  traceId: null,
  details: {},
  names,
  ...over,
});

test('names instead of ids: the actor with their organisation, the resource, the ids among the details', () => {
  const transfer = describeEvent(
    event({
      eventType: 'web.signals_transferred',
      resourceType: 'professional',
      resourceId: ids.other,
      details: { from: ids.other, to: ids.professional, moved: 3, ended: 1 },
    }),
  );
  assert.equal(transfer.event, 'Signalen overgedragen');
  assert.equal(transfer.actor, 'Sanne de Vries (Wijkteam Noord)');
  assert.equal(transfer.organisation, 'Wijkteam Noord');
  assert.equal(transfer.about, 'Professional: Mark Jansen (De Regenboog)');
  assert.deepEqual(transfer.details, [
    ['Van', 'Mark Jansen (De Regenboog)'],
    ['Naar', 'Sanne de Vries (Wijkteam Noord)'],
    ['Overgedragen', '3'],
    ['Beëindigd', '1'],
  ]);

  const invited = describeEvent(
    event({
      eventType: 'web.account_invited',
      actorType: 'staff',
      actorId: ids.staff,
      organisationId: null,
      resourceType: 'web_account',
      resourceId: ids.account,
      details: { professional: ids.other, again: true },
    }),
  );
  assert.equal(invited.actor, 'Test Beheerder (gemeente)');
  assert.equal(invited.about, 'Account van Mark Jansen (De Regenboog)');
  assert.deepEqual(invited.details, [
    ['Professional', 'Mark Jansen (De Regenboog)'],
    ['Opnieuw uitgenodigd', 'ja'],
  ]);

  // A signal: the professional who filed it, unless they are the one acting.
  const signalOf = (name: string, organisationName: string) => ({ [ids.match]: { kind: 'signal' as const, name, organisationName } });
  const ownSignal = event({ resourceType: 'signal', resourceId: ids.match, names: { ...names, ...signalOf('Sanne de Vries', 'Wijkteam Noord') } });
  assert.equal(describeEvent(ownSignal).about, 'Eigen signaal');
  const othersSignal = event({
    actorType: 'system',
    actorId: null,
    resourceType: 'signal',
    resourceId: ids.match,
    names: { ...names, ...signalOf('Mark Jansen', 'De Regenboog') },
  });
  assert.equal(describeEvent(othersSignal).about, 'Signaal van Mark Jansen (De Regenboog)');

  const viaApi = describeEvent(event({ apiClientId: ids.client }));
  assert.equal(viaApi.actor, 'Sanne de Vries (Wijkteam Noord), via Cliëntsysteem Wijkteam (Wijkteam Noord)');
  const recordSystem = describeEvent(event({ actorType: 'record_system', actorId: null, apiClientId: ids.client }));
  assert.equal(recordSystem.actor, 'Cliëntsysteem: Cliëntsysteem Wijkteam (Wijkteam Noord)');
  assert.equal(describeEvent(event({ actorType: 'system', actorId: null })).actor, 'SluiS zelf (automatisch)');
  assert.equal(describeEvent(event({ actorType: 'anonymous', actorId: null, organisationId: null })).actor, 'Niet ingelogd');

  // An id with no name (a match) shows its first eight characters; the person only as the short reference.
  const filed = describeEvent(event({ eventType: 'signal.created', subject: '0123456789abcdef', details: { matchId: ids.match, match: 'match.created' } }));
  assert.deepEqual(filed.details, [
    ['Match', '77777777'],
    ['Gevolg', 'Match ontstaan'],
  ]);
  assert.equal(filed.person, '0123456789abcdef');
  for (const text of [transfer, invited, viaApi, recordSystem, filed]) assert.doesNotMatch(JSON.stringify(text), UUID);
});

test('codes among the details in Dutch, by event type', () => {
  const value = (eventType: string, key: string, v: unknown, details: Record<string, unknown> = {}) =>
    detailValue({ eventType, details: { ...details, [key]: v }, names }, key, v);
  // The same code means different things in different events.
  assert.equal(value('signal.ended', 'reason', 'expired'), 'looptijd verstreken');
  assert.equal(value('web.session_expired', 'reason', 'expired'), 'maximale duur bereikt');
  assert.equal(value('web.sign_in_failed', 'reason', 'wrong_password'), 'verkeerd wachtwoord');
  assert.equal(value('auth.denied', 'reason', 'covenant_not_active'), 'convenant niet actief');
  assert.equal(value('coordination.changed', 'from', 'open'), 'nog geen regisseur');
  assert.equal(value('coordination.changed', 'category', 'no_contact', { action: 'escalate' }), 'er is geen contact gelegd');
  assert.equal(value('coordination.changed', 'category', 'contact_restored', { action: 'resolve' }), 'het contact is hersteld');
  assert.equal(value('staff.roles_changed', 'to', 'municipality_admin,escalation_officer'), 'functioneel beheerder, functionaris');
  assert.equal(value('staff.roles_changed', 'from', ''), 'geen');
  assert.equal(value('settings.updated', 'changed', 'mailMode,theme'), 'inhoud van de matchmail, huisstijl');
  assert.equal(value('organisation.updated', 'changed', 'signallingCriteria,website'), 'meldcriteria, website');
  assert.equal(value('coordination.follow_up_read', 'from', '2026-01-01'), '1 januari 2026');
  assert.equal(value('audit.purged', 'before', '2029-01-15T09:00:00.000Z'), '15 januari 2029 om 10:00');
  assert.equal(value('audit.exported', 'eventType', 'signal.created'), 'Signaal afgegeven');
  assert.equal(value('audit.exported', 'outcome', 'denied'), 'Geweigerd');
  assert.equal(value('delivery.listed', 'status', 'dead'), 'mislukt');
  assert.equal(value('web.password_set', 'purpose', 'invitation'), 'uitnodiging');
  assert.equal(value('web.signed_in', 'recoveryCode', true), 'ja');
  assert.equal(value('signal.information_letter_made', 'format', 'pdf'), 'PDF');
  assert.equal(value('signal.information_letter_made', 'addressees', 'person,legal_representative'), 'de persoon, de wettelijk vertegenwoordiger');
  // Text that only looks like a date is shown as it is (a case number), and an impossible date does not break the page.
  assert.equal(value('person.looked_up', 'caseNumber', '2026-13-45'), '2026-13-45');
  assert.equal(value('person.looked_up', 'caseNumber', '2026-03-10'), '2026-03-10');
  assert.equal(value('coordination.follow_up_read', 'to', '2026-02-30'), '2026-02-30');
  // A code nobody labelled yet is shown as it is, never dropped.
  assert.equal(value('auth.denied', 'reason', 'something_new'), 'something_new');
});

test('every code the domain knows for a reason, an action, a state or a category has its Dutch word', () => {
  const words = (eventType: string, key: string, codes: readonly string[], details: Record<string, unknown> = {}) => {
    for (const code of codes)
      assert.notEqual(detailValue({ eventType, details: { ...details, [key]: code }, names }, key, code), code, `${eventType} ${key} ${code}`);
  };
  words('signal.ended', 'reason', [...END_REASONS, 'expired', 'age_limit']);
  words('signal.purged', 'reason', END_REASONS);
  words('coordination.changed', 'action', ACTIONS);
  words('coordination.changed', 'from', STATES);
  words('coordination.changed', 'category', ESCALATION_REASONS, { action: 'escalate' });
  words('coordination.changed', 'category', OUTCOMES, { action: 'resolve' });
});
