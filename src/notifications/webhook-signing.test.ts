import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { BACKOFF_CAP_MS, retryDelayMs } from './backoff.ts';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './webhook-signing.ts';

test('the signature is the Standard Webhooks one: base64 HMAC-SHA256 of id.timestamp.body', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
  const expected = createHmac('sha256', Buffer.from('0123456789abcdef0123456789abcdef')).update('msg_1.1700000000.{"a":1}').digest('base64');
  assert.equal(signWebhook(secret, 'msg_1', 1700000000, '{"a":1}'), `v1,${expected}`);
});

test('property: a signature verifies with its secret only, for that body, while fresh', () => {
  fc.assert(
    fc.property(fc.string(), fc.string({ minLength: 1 }), fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }), (body, id, now) => {
      const [secret, other] = [generateWebhookSecret(), generateWebhookSecret()];
      const headers = webhookHeaders([secret], id, now, body);
      return (
        verifyWebhook(secret, headers, body, now) &&
        !verifyWebhook(other, headers, body, now) &&
        !verifyWebhook(secret, headers, `${body} `, now) &&
        !verifyWebhook(secret, headers, body, now + 301)
      );
    }),
  );
});

test('during a rotation both secrets verify', () => {
  const [fresh, old] = [generateWebhookSecret(), generateWebhookSecret()];
  const headers = webhookHeaders([fresh, old], 'sluis-1', 1_800_000_000, '{}');
  assert.equal(headers['webhook-signature']!.split(' ').length, 2);
  assert.ok(verifyWebhook(fresh, headers, '{}', 1_800_000_000) && verifyWebhook(old, headers, '{}', 1_800_000_000));
});

test('property: backoff grows, stays within [half, full] of its ceiling, and is capped', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, random) => {
      const ceiling = Math.min(BACKOFF_CAP_MS, 2_000 * 2 ** (attempts - 1));
      const delay = retryDelayMs(attempts, random);
      return delay >= ceiling / 2 && delay <= ceiling && retryDelayMs(attempts + 1, random) >= delay;
    }),
  );
  assert.equal(retryDelayMs(1, 0), 1_000);
  assert.ok(retryDelayMs(40, 0.999999) <= BACKOFF_CAP_MS && retryDelayMs(40, 0.999999) > BACKOFF_CAP_MS - 100);
});
