// The banner's own report (extension/report.js) against the table core::report::scrub passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLive } from '../../extension/store-policy.js';
import { readFileSync } from 'node:fs';
import { scrubMessage } from '../../extension/report.js';

const { cases } = JSON.parse(readFileSync(new URL('../vectors/scrub.json', import.meta.url), 'utf8'));

test('scrubMessage agrees with core::report::scrub on every vector', () => {
  assert.ok(cases.length >= 10);
  for (const [message, want] of cases) assert.equal(scrubMessage(message), want, JSON.stringify(message));
});

test('isHelloMessage (banner.js while the module failed) agrees with core::protocol::is_hello', async () => {
  const { isHelloMessage } = await import('../../extension/handshake.js');
  const hello = JSON.parse(readFileSync(new URL('../vectors/hello.json', import.meta.url), 'utf8'));
  assert.ok(hello.cases.length >= 10);
  for (const c of hello.cases) assert.equal(isHelloMessage(c), c.accepted, c.about);
});

test('the store\'s record expiry (store-policy.js isLive) agrees with core::store::is_live', async () => {
  const expiry = JSON.parse(readFileSync(new URL('../vectors/expiry.json', import.meta.url), 'utf8'));
  assert.ok(expiry.cases.length >= 5);
  for (const c of expiry.cases) assert.equal(isLive({ expiresAt: c.expiresAt }, c.now), c.live, c.about);
});
