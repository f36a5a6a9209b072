// End-to-end: observations from one tab reach the banners of the others (the store in the
// background, storage.session), and "Forget stored data" empties it for every banner.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, bannerUntil, fixture, launch, serveFixtures } from '../../scripts/lib/browser.mjs';

const PRIYA = 'Priya.Raman@northwind-analytics.io';

describe('correlation across tabs', () => {
  let browser;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
  });
  after(() => browser?.close());

  async function open(id) {
    const page = await browser.context.newPage();
    await page.goto(fixture(id).url);
    return page;
  }

  const until = (page, check, what) => bannerUntil(page, browser.extensionId, check, what);
  const has = (id) => (b) => b.findings.some((f) => f.id === id);

  test('handbook cause 1 + 2 across three tabs: likely, then certain once both domains were searched', async () => {
    const admin = await open('ra3-customer-unconfirmed');
    await until(admin, has('account-unconfirmed'), 'account-unconfirmed');
    // mg.gitlab.com has a GitLab.com reset; customers.gitlab.com has not been searched yet.
    const gitlab = await open('mailgun-old-logs-gitlab-com-priya');
    const likely = await until(admin, has('reset-requested-on-gitlab-com'), 'the GitLab.com reset, without a reload');
    const reset = likely.findings.find((f) => f.id === 'reset-requested-on-gitlab-com');
    assert.match(reset.title, /likely/i);
    const missing = likely.findings.find((f) => f.id === 'missing-evidence');
    assert.ok(missing.steps.some((s) => s.id === 'mailgun-logs-customers.gitlab.com'), JSON.stringify(missing.steps));
    // The Customers Portal's logs searched for the address over 30 days: nothing. Now certain.
    const customers = await open('mailgun-old-logs-customers-priya');
    for (const page of [admin, gitlab, customers]) {
      const b = await until(page, (x) => x.findings.some((f) => f.id === 'reset-requested-on-gitlab-com' && !/likely/i.test(f.title)), 'the certain finding');
      assert.deepEqual(b.findings.map((f) => f.id), ['reset-requested-on-gitlab-com', 'account-unconfirmed']);
      const finding = b.findings[0];
      // Today's way back in (the handbook's current revision): the one-time sign-in link; the
      // account (4711) is not linked to GitLab.com, so not "sign in with GitLab.com".
      assert.deepEqual(finding.steps.map((s) => [s.id, s.href]), [['one-time-sign-in-link', 'https://docs.gitlab.com/subscriptions/customers_portal/#sign-in-to-customers-portal']]);
      assert.match(finding.steps[0].label, /^One-time sign-in link/);
      assert.ok(finding.evidence.some((e) => e.includes('mg.gitlab.com') && e.includes('delivered · 250 OK')));
      assert.ok(finding.evidence.some((e) => e.startsWith('Mailgun logs search on customers.gitlab.com') && e.includes('no events')));
    }
    const frame = await bannerFrame(admin, browser.extensionId);
    await frame.getByRole('button', { name: 'Forget stored data' }).click();
    await frame.getByRole('button', { name: 'Forget everything' }).click(); // it asks first
    await until(admin, (b) => !has('reset-requested-on-gitlab-com')(b), 'the Mailgun evidence gone after forget');
    for (const page of [admin, gitlab, customers]) await page.close();
  });

  test('the admin page and the Mailgun page show each other\'s evidence; forget empties the store', async () => {
    const admin = await open('ra3-customer-unconfirmed');
    await until(admin, has('account-unconfirmed'), 'account-unconfirmed');
    // The Mailgun tab searched for the same address: it knows the account is unconfirmed.
    const mailgun = await open('mailgun-old-logs-gitlab-com-priya');
    const m = await until(mailgun, has('account-unconfirmed'), 'the admin page\'s account-unconfirmed');
    // The address as last shown (the admin shows it mixed-case, Mailgun lower-case).
    assert.equal(m.subject.toLowerCase(), PRIYA.toLowerCase());
    assert.equal(Object.keys(m.recipients).length, 1);

    // Forget everything: the Mailgun tab keeps only what its own page shows.
    const frame = await bannerFrame(mailgun, browser.extensionId);
    await frame.getByRole('button', { name: 'Forget stored data' }).click();
    await frame.getByRole('button', { name: 'Forget everything' }).click(); // it asks first
    await until(mailgun, (b) => !has('account-unconfirmed')(b), 'the finding gone after forget');
    // The admin tab still shows its own page's finding.
    await until(admin, has('account-unconfirmed'), 'its own page\'s finding');
  });
});
