import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_EVENT_TYPES } from './audit-catalogue.ts';
import { PROCESSING_ACTIVITY_IDS, processingActivities, processingActivityOf } from './processing-activities.ts';

const SETTINGS = { signalLifetimeMonths: 24, historyRetentionMonths: 60, auditRetentionMonths: 0, caseConsultationRetentionMonths: 12 };

test('every audit event type of the closed catalogue names its processing activity', () => {
  for (const type of AUDIT_EVENT_TYPES) assert.ok(processingActivityOf(type), `${type} has no processing activity`);
  assert.equal(processingActivityOf('signal.created'), 'filing');
  assert.equal(processingActivityOf('signal.informing_figures_read'), 'accountability');
  assert.equal(processingActivityOf('signal.information_letter_made'), 'filing', 'the letter informs the person of the signal');
  assert.equal(processingActivityOf('breach.recorded'), 'accountability');
  assert.equal(processingActivityOf('person.looked_up'), 'rights');
  assert.equal(processingActivityOf('nothing.known'), undefined);
});

test('the register lists each activity once, every field filled, retention from the settings', () => {
  const list = processingActivities(SETTINGS);
  assert.deepEqual(
    list.map((a) => a.id),
    [...PROCESSING_ACTIVITY_IDS],
  );
  for (const activity of list)
    for (const [field, value] of Object.entries(activity))
      assert.ok(Array.isArray(value) ? value.length > 0 : String(value).length > 0, `${activity.id}.${field}`);
  assert.match(list[0]!.retention, /Actief hoogstens 2 jaar, daarna 5 jaar bewaard/);
  assert.match(
    processingActivities({ ...SETTINGS, historyRetentionMonths: 0, signalLifetimeMonths: 18 })[0]!.retention,
    /18 maanden, daarna meteen verwijderd/,
  );
  assert.match(list.find((a) => a.id === 'accountability')!.retention, /Zonder einddatum/);
});
