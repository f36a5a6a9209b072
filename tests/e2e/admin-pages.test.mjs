// End-to-end: what the banner says on each kind of CustomersDot admin page (issue 3's pages:
// show pages in every state, search results, the Edit and History tabs), read from the
// extension's own frame.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveFixtures, visitFixture } from '../../scripts/lib/browser.mjs';

const SHOW = 'https://customers.gitlab.com/admin/customer/';

describe('banner on each admin page kind', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
    page = await browser.context.newPage();
  });
  after(() => browser?.close());

  const visit = (id) => visitFixture(page, browser.extensionId, id);
  const ids = (b) => b.findings.map((f) => f.id);

  test('3.x show, compact view off: " - " is blank; unconfirmed', async () => {
    const b = await visit('ra3-customer-compact-off');
    assert.equal(b.subject, 'marta.kowalczyk@vistula-freight.pl');
    assert.deepEqual(ids(b), ['account-unconfirmed', 'missing-evidence']);
    assert.equal(b.facts.confirmed_at, 'blank');
    assert.equal(b.facts.locked_at, 'blank');
    assert.equal(b.facts.login_activated, 'no');
    assert.equal(b.facts.confirmation_sent_at, '2026-11-18 12:06 UTC');
  });

  test('3.x show, pending reconfirmation: confirmed, but the new address is not', async () => {
    const b = await visit('ra3-customer-reconfirmation');
    assert.equal(b.subject, 'daniel.okafor@brightwave-media.com');
    assert.deepEqual(ids(b), ['email-unconfirmed', 'account-confirmed', 'missing-evidence']);
    assert.deepEqual(b.findings[0].steps.map((s) => s.id), ['resend-confirmation']);
    assert.equal(b.facts.unconfirmed_email, 'd.okafor@brightwave.studio');
    assert.equal(b.facts.confirmation_sent_at, '2026-11-21 16:09 UTC');
    assert.equal(b.facts.uid, '11873402');
  });

  test('3.x show, locked account: lock time and failed attempts', async () => {
    const b = await visit('ra3-customer-locked');
    assert.equal(b.subject, 'sofia.lindqvist@fjordline-systems.se');
    assert.deepEqual(ids(b), ['account-locked', 'account-confirmed', 'missing-evidence']);
    assert.equal(b.findings[0].severity, 'problem');
    assert.equal(b.facts.locked_at, '2026-11-22 14:31 UTC');
    assert.equal(b.facts.failed_attempts, '10');
    assert.equal(b.facts.confirmed_at, '2025-08-19 07:44 UTC');
  });

  test('3.x search results: every row with its Show link and hints', async () => {
    const b = await visit('ra3-customer-list-northwind');
    assert.equal(b.subject, null);
    assert.equal(b.note, 'Search “northwind-analytics.io”: 4 of 24 customers');
    assert.deepEqual(b.rows.map((r) => [r.id, r.email, r.href, r.hints]), [
      ['4711', 'Priya.Raman@northwind-analytics.io', `${SHOW}4711`, ['not confirmed', 'same address as #4698 (other case)', 'similar to #4702']],
      ['4698', 'priya.raman@northwind-analytics.io', `${SHOW}4698`, ['same address as #4711 (other case)', 'similar to #4702']],
      ['4702', 'priya_raman@northwind-analytics.io', `${SHOW}4702`, ['not confirmed', 'similar to #4711', 'similar to #4698']],
      ['4590', 'rafael.ortiz@northwind-analytics.io', `${SHOW}4590`, []],
    ]);
    assert.equal(b.rows[0].name, 'Priya Raman');
  });

  test('search results with no rows, 3.x and 2.x', async () => {
    assert.equal((await visit('ra3-customer-list-empty')).note, 'Search “nobody@example.org”: no records found');
    assert.equal((await visit('ra2-customer-list-empty')).note, 'Search “zzz”: no records found');
  });

  test('2.x search results say when columns are in another column set', async () => {
    const b = await visit('ra2-customer-list-kitsune');
    assert.equal(b.note, 'Search “kitsune”: 3 customers (some columns are in another column set)');
    assert.deepEqual(b.rows.map((r) => r.id), ['3561', '3108', '2977']);
    assert.deepEqual(b.rows[1].hints, ['not confirmed']);
  });

  test('Edit tab: the saved record; no verdict on confirmation, the Show tab is the next step', async () => {
    const b = await visit('ra3-customer-edit');
    assert.equal(b.subject, 'Priya.Raman@northwind-analytics.io');
    // (Other findings may come from pages earlier tests stored, e.g. the similar addresses
    // of the search results.)
    assert.ok(!ids(b).includes('account-unconfirmed') && !ids(b).includes('account-confirmed'), ids(b).join());
    const missing = b.findings.find((f) => f.id === 'missing-evidence');
    assert.equal(missing.steps[0].id, 'open-account-show');
    assert.equal(missing.steps[0].href, `${SHOW}4711`);
    assert.equal(b.facts.login_activated, 'yes');
    assert.equal(b.facts.confirmed_at, undefined, 'not on the form: unknown, not blank');
  });

  test('History tab: recognised, no facts', async () => {
    const b = await visit('ra3-customer-history');
    assert.match(b.note, /^Customer History tab \(account facts are read on the Show tab\)/);
    assert.deepEqual(b.findings, []);
  });
});
