// End-to-end: the banner on Mailgun pages (issue 4) lists the events per recipient and domain,
// read from the extension's own frame on fixture pages served for the real app.mailgun.com URLs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveFixtures, visitFixture } from '../../scripts/lib/browser.mjs';

const PRIYA = 'priya.raman@northwind-analytics.io';
const NAKAMURA = 't.nakamura@kitsune-robotics.jp';
const LENA = 'lena.vogt@alpenrad-logistik.de';

/** "domain/kind/outcome" per event, oldest first. */
const events = (b, who) => (b.recipients[who] ?? []).map((e) => `${e.domain}/${e.kind}/${e.outcome}`);

describe('banner on Mailgun pages', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
    page = await browser.context.newPage();
  });
  after(() => browser?.close());

  const visit = (id) => visitFixture(page, browser.extensionId, id);

  test('mg.gitlab.com logs searched for the customer: a GitLab.com reset, delivered and opened', async () => {
    const b = await visit('mailgun-old-logs-gitlab-com-priya');
    assert.equal(b.note, `Mailgun logs: mg.gitlab.com (GitLab.com mail) · search “${PRIYA}” · Last 30 days: 3 events to 1 recipient`);
    assert.deepEqual(Object.keys(b.recipients), [PRIYA]);
    assert.deepEqual(events(b, PRIYA), [
      'mg.gitlab.com/password-reset/accepted',
      'mg.gitlab.com/password-reset/delivered',
      'mg.gitlab.com/password-reset/opened',
    ]);
    assert.match(b.recipients[PRIYA][1].text, /^2026-11-22 09:14 UTC · .*“Reset password instructions” · delivered · 250 OK$/);
  });

  test('customers.gitlab.com logs searched for the same customer: no events, said as such', async () => {
    const b = await visit('mailgun-old-logs-customers-priya');
    assert.match(b.note, new RegExp(`^Mailgun logs: customers.gitlab.com \\(Customers Portal mail\\) · search “${PRIYA}” · Last 30 days: no events`));
    assert.deepEqual(b.recipients, {});
  });

  test('customers.gitlab.com logs: every recipient, every outcome, translated subjects', async () => {
    const b = await visit('mailgun-old-logs-customers');
    assert.equal(Object.keys(b.recipients).length, 7);
    assert.deepEqual(events(b, LENA), [
      'customers.gitlab.com/password-reset/accepted',
      'customers.gitlab.com/password-reset/delivered',
      'customers.gitlab.com/password-reset/opened',
      'customers.gitlab.com/password-reset/clicked',
    ]);
    assert.deepEqual(events(b, NAKAMURA), [
      'customers.gitlab.com/confirmation/accepted',
      'customers.gitlab.com/confirmation/suppressed-bounce',
      'customers.gitlab.com/confirmation/accepted',
      'customers.gitlab.com/confirmation/suppressed-bounce',
    ]);
    assert.match(b.recipients[NAKAMURA][1].text, /suppressed \(bounce list\) · 605 Not delivering to previously bounced address$/);
    // A Spanish reset subject is still a password reset; complaint and unsubscribe lists.
    assert.deepEqual(events(b, 's.alvarez@sol-y-mar.es').at(-1), 'customers.gitlab.com/password-reset/suppressed-complaint');
    assert.deepEqual(events(b, 'r.oconnor@harbourline.ie').at(-1), 'customers.gitlab.com/password-changed/suppressed-unsubscribe');
    assert.deepEqual(events(b, 'd.fischer@brightwave-media.co.uk'), ['customers.gitlab.com/unlock/accepted', 'customers.gitlab.com/unlock/permanent-failure']);
    assert.deepEqual(b.problems, []);
  });

  test('new logs page, all domains: each event keeps its own domain', async () => {
    const b = await visit('mailgun-new-logs');
    assert.equal(b.note, 'Mailgun logs: all or unknown domains · Nov 1, 2026 – Nov 23, 2026: 24 events to 8 recipients');
    assert.deepEqual(events(b, PRIYA), [
      'mg.gitlab.com/password-reset/accepted',
      'mg.gitlab.com/password-reset/delivered',
      'mg.gitlab.com/password-reset/opened',
    ]);
    assert.deepEqual(events(b, 'k.brandt@alpenrad-logistik.de'), [
      'customers.gitlab.com/email-changed/rejected',
      'email.mg.gitlab.com/email-changed/delivered',
    ]);
    // What the events mean for each recipient, at a glance.
    assert.deepEqual(b.recipientHints[NAKAMURA], ['Address is on a Mailgun suppression list', 'Email address not confirmed']);
    assert.deepEqual(b.recipientHints['s.alvarez@sol-y-mar.es'], [
      'Customers Portal reset email was suppressed (complaint list)',
      'Address is on a Mailgun suppression list',
    ]);
    assert.deepEqual(b.recipientHints[LENA], []);
    assert.deepEqual(events(b, 'm.okafor@lagos-fintech.ng'), [
      'customers.gitlab.com/password-reset/accepted',
      'customers.gitlab.com/password-reset/temporary-failure',
      'customers.gitlab.com/password-reset/delivered',
    ]);
  });

  test('new logs page filtered To: the customer, on the domain chosen in the combobox', async () => {
    const b = await visit('mailgun-new-logs-filtered-nakamura');
    assert.equal(b.note, `Mailgun logs: customers.gitlab.com (Customers Portal mail) · filter “To: ${NAKAMURA}” · Last 30 days: 4 events to 1 recipient`);
    assert.deepEqual(events(b, NAKAMURA).filter((e) => e.endsWith('suppressed-bounce')).length, 2);
  });
});
