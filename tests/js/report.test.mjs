// The banner's own report (extension/report.js) against the table core::report::scrub passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { scrubMessage } from '../../extension/report.js';

const { cases } = JSON.parse(readFileSync(new URL('../vectors/scrub.json', import.meta.url), 'utf8'));

test('scrubMessage agrees with core::report::scrub on every vector', () => {
  assert.ok(cases.length >= 10);
  for (const [message, want] of cases) assert.equal(scrubMessage(message), want, JSON.stringify(message));
});
