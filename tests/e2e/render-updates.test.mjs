// End-to-end: the banner renders less (issue 24, part 2). "Evidence (N)" builds its lines when
// it is opened; a long list shows its first lines and "Show all (N)" (a real button, by
// keyboard) appends the rest; another tab's evidence updates the banner in place, keeping an
// opened evidence list open (the same node) with its new lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, bannerUntil, fixture, launch, readBanner, serveFixtures } from '../../scripts/lib/browser.mjs';
import { generateOldLogsPage } from '../../scripts/fixtures/mailgun.mjs';

const LONG = 'https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs?rows=1000';

describe('render less', () => {
  let browser;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
    const long = generateOldLogsPage(1000);
    await browser.context.route(LONG, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: long }));
  });
  after(() => browser?.close());

  test('"Evidence (N)" has no lines until it is opened, then lists all N', async () => {
    const page = await browser.context.newPage();
    await page.goto(fixture('ra3-customer-unconfirmed').url);
    const frame = await bannerFrame(page, browser.extensionId);
    const details = frame.locator('[data-finding="account-unconfirmed"] details.evidence');
    const summary = details.locator('> summary');
    assert.equal(await summary.textContent(), 'Evidence (2)');
    assert.equal(await details.locator('li').count(), 0, 'no lines built while closed');
    await summary.click();
    await details.locator('li').first().waitFor({ state: 'visible' });
    const lines = await details.locator('.evidence-lines > li').allTextContents();
    assert.equal(lines.length, 2);
    assert.match(lines[0], /“Confirmed at” on the account page: absent \(blank\)/);
    assert.match(lines[1], /“Confirmation sent at” on the account page: 2026-11-19 16:42 UTC/);
    await page.close();
  });

  test('1,000 Mailgun rows: the first lines, and "Show all (N)" by keyboard appends the rest in order', async () => {
    const page = await browser.context.newPage();
    await page.goto(LONG, { timeout: 60_000 });
    const frame = await bannerFrame(page, browser.extensionId, { timeout: 30_000 });
    const more = frame.locator('button[data-action="show-more"][data-more="recipients"]');
    await more.waitFor({ timeout: 30_000 });
    const note = await frame.locator('.note').textContent();
    const [, events, recipients] = note.replace(/,/g, '').match(/(\d+) events to (\d+) recipients/).map(Number);
    const label = await more.textContent();
    assert.equal(label, `Show all (${recipients})`);
    const builtBefore = await frame.locator('[data-recipient]').count();
    const linesBefore = builtBefore + await frame.locator('[data-event]').count();
    assert.ok(builtBefore < recipients, `${builtBefore} of ${recipients} recipients built`);
    assert.ok(linesBefore <= 60, `${linesBefore} lines built at first (of ${events + recipients})`);
    const firstShown = await frame.locator('[data-recipient]').evaluateAll((rs) => rs.map((r) => r.dataset.recipient));
    // By keyboard: focus the button, Enter.
    await more.focus();
    await page.keyboard.press('Enter');
    await frame.locator('button[data-more="recipients"]').waitFor({ state: 'detached' });
    const all = await frame.locator('[data-recipient]').evaluateAll((rs) => rs.map((r) => r.dataset.recipient));
    assert.equal(all.length, recipients);
    assert.deepEqual(all.slice(0, firstShown.length), firstShown, 'the first part stays first');
    // The keyboard is on the first recipient appended.
    const focused = await frame.evaluate(() => document.activeElement?.dataset.recipient ?? null);
    assert.equal(focused, all[firstShown.length]);
    // Each recipient's own long list of events opens the same way; every event is then shown.
    for (;;) {
      const next = frame.locator('button[data-more="events"]').first();
      if (await next.count() === 0) break;
      await next.click();
    }
    assert.equal(await frame.locator('[data-event]').count(), events);
    await page.close();
  });
});

describe('render less, with another tab', () => {
  let browser;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
  });
  after(() => browser?.close());

  test('another tab\'s evidence updates the banner in place: an opened evidence list stays open, with the new line', async () => {
    const mailgun = await browser.context.newPage();
    await mailgun.goto(fixture('mailgun-old-logs-gitlab-com-priya').url);
    const frame = await bannerFrame(mailgun, browser.extensionId);
    const details = frame.locator('[data-finding="reset-requested-on-gitlab-com"] details.evidence');
    await details.locator('> summary').waitFor();
    assert.equal(await details.locator('> summary').textContent(), 'Evidence (1)');
    await details.locator('> summary').click();
    await details.locator('.evidence-lines > li').first().waitFor({ state: 'visible' });
    // Mark the open list's node, to see that it is kept.
    await details.evaluate((d) => { d.dataset.testKept = 'yes'; });
    const admin = await browser.context.newPage();
    await admin.goto(fixture('ra3-customer-unconfirmed').url);
    const b = await bannerUntil(mailgun, browser.extensionId, (x) => x.findings.some((f) => f.id === 'account-unconfirmed'), 'the admin tab\'s evidence');
    const reset = b.findings.find((f) => f.id === 'reset-requested-on-gitlab-com');
    assert.equal(reset.evidenceOpen, true, 'still open');
    await bannerUntil(mailgun, browser.extensionId, (x) => x.findings.find((f) => f.id === 'reset-requested-on-gitlab-com')?.evidenceLabel === 'Evidence (2)', 'the new evidence line');
    assert.equal(await details.getAttribute('data-test-kept'), 'yes', 'the same details node');
    assert.equal(await details.getAttribute('open'), '');
    assert.equal(await details.locator('.evidence-lines > li').count(), 2, 'both lines listed');
    await admin.close();
    await mailgun.close();
  });
});
