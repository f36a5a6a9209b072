// End-to-end: the banner as a support engineer uses it all day (issue 6): collapse (and that it
// is remembered), copy the reply, keyboard-only use, dark mode, the quiet state, pjax and a
// Mailgun single-page route change. Screenshots of the states go to demo-out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bannerFrame, bannerUntil as until, fixture, launch, readBanner, serveFixtures } from '../../scripts/lib/browser.mjs';
import { respond } from '../../scripts/lib/fixtures.mjs';

const OUT = join(ROOT, 'demo-out');
mkdirSync(OUT, { recursive: true });

const hostHeight = (page) => page.evaluate(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height);

describe('banner UI', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
    // Read the (shared) clipboard from the admin page: Chromium grants nothing to extension origins.
    await browser.context.grantPermissions(['clipboard-read'], { origin: 'https://customers.gitlab.com' });
    page = await browser.context.newPage();
  });
  after(() => browser?.close());

  test('collapse to one line, remembered on the next page, expand again', async () => {
    await page.goto(fixture('ra3-customer-unconfirmed').url);
    let frame = await bannerFrame(page, browser.extensionId);
    await page.waitForFunction(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height > 100);
    const toggle = frame.getByRole('button', { name: /collapse/i });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await toggle.click();
    await page.waitForFunction(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height < 60);
    assert.equal(await frame.getByRole('button', { name: /expand/i }).getAttribute('aria-expanded'), 'false');
    assert.equal(await frame.locator('#banner-body').isHidden(), true);
    // The one line still says what matters.
    assert.equal((await readBanner(frame)).summary, '1 problem');
    await page.locator('#cdot-triage-host').screenshot({ path: join(OUT, 'state-collapsed.png') });

    await page.goto(fixture('ra3-customer-confirmed').url);
    frame = await bannerFrame(page, browser.extensionId);
    await frame.getByRole('button', { name: /expand/i }).waitFor();
    // The frame's resize message follows its render: wait for it (up to 3 s), then check.
    await page.waitForFunction(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height < 60, null, { timeout: 3000 }).catch(() => {});
    assert.ok((await hostHeight(page)) < 60, 'still collapsed on the next page');
    await frame.getByRole('button', { name: /expand/i }).click();
    await page.waitForFunction(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height > 100);
  });

  test('copy the reply to the customer', async () => {
    await page.goto(fixture('ra3-customer-unconfirmed').url);
    const frame = await bannerFrame(page, browser.extensionId);
    const finding = frame.locator('[data-finding="account-unconfirmed"]');
    await finding.getByText('Reply to the customer').click();
    await finding.getByRole('button', { name: 'Copy reply' }).click();
    await finding.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /Priya\.Raman@northwind-analytics\.io/);
    assert.match(copied, /https:\/\/customers\.gitlab\.com\/customers\/confirmation\/new/);
    await page.locator('#cdot-triage-host').screenshot({ path: join(OUT, 'state-reply-open.png') });
  });

  test('keyboard only: Tab reaches every control and link, Enter and Space use them', async () => {
    await page.goto(fixture('ra3-customer-unconfirmed').url);
    const frame = await bannerFrame(page, browser.extensionId);
    await page.locator('body').focus();
    const reached = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const label = await frame.evaluate(() => {
        const el = document.activeElement;
        return el && el !== document.body ? (el.dataset.action ?? el.dataset.step ?? el.textContent.trim()) : null;
      });
      if (label) reached.push(label);
    }
    for (const want of ['collapse', 'forget', 'dismiss', 'resend-confirmation', 'Reply to the customer', 'mailgun-logs-customers.gitlab.com']) {
      assert.ok(reached.includes(want), `Tab never reached ${want}: ${reached.join(', ')}`);
    }
    // Open the reply with the keyboard.
    await frame.locator('[data-finding="account-unconfirmed"] details.reply summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await frame.locator('[data-finding="account-unconfirmed"] details.reply').getAttribute('open'), '');
  });

  test('a page with nothing to say gets a slim one-line banner', async () => {
    await page.goto(fixture('ra3-billing-account').url);
    const frame = await bannerFrame(page, browser.extensionId);
    assert.equal(await frame.locator('section.banner.quiet').count(), 1);
    await page.waitForFunction(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height > 0);
    assert.ok((await hostHeight(page)) < 50, `quiet banner is ${await hostHeight(page)} px high`);
  });

  test('RailsAdmin 2.x pjax navigation (content container replaced) re-reads the page', async () => {
    await page.goto(fixture('ra2-customer-compact-off').url);
    await until(page, browser.extensionId, (b) => b.subject === 't.nakamura@kitsune-robotics.jp', 'the 2.x show page');
    const list = fixture('ra2-customer-list-kitsune');
    const html = respond(list.url).body.toString('utf8');
    await page.evaluate(({ html, url }) => {
      const next = new DOMParser().parseFromString(html, 'text/html');
      document.querySelector('[data-pjax-container]').replaceWith(document.adoptNode(next.querySelector('[data-pjax-container]')));
      history.pushState({}, '', url);
      document.dispatchEvent(new Event('pjax:end', { bubbles: true }));
    }, { html, url: list.url });
    const b = await until(page, browser.extensionId, (x) => x.rows.length === 3, 'the list rows');
    assert.match(b.note, /^Search “kitsune”: 3 customers/);
  });

  test('Mailgun single-page route change from the old logs to the new logs page', async () => {
    await page.goto(fixture('mailgun-old-logs-customers').url);
    await until(page, browser.extensionId, (b) => /customers\.gitlab\.com/.test(b.note ?? ''), 'the old logs page');
    const next = fixture('mailgun-new-logs');
    const html = respond(next.url).body.toString('utf8');
    await page.evaluate(({ html, url }) => {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      history.pushState({}, '', url);
      for (const child of [...document.body.children]) if (child.id !== 'cdot-triage-host') child.remove();
      document.body.append(...[...doc.body.children].map((c) => document.adoptNode(c)));
    }, { html, url: next.url });
    const b = await until(page, browser.extensionId, (x) => (x.note ?? '').startsWith('Mailgun logs: all or unknown domains'), 'the new logs page');
    assert.equal(Object.keys(b.recipients).length, 8);
  });
});

describe('dark mode', () => {
  test('the banner follows prefers-color-scheme: dark', async () => {
    const browser = await launch({ colorScheme: 'dark' });
    try {
      await serveFixtures(browser.context);
      const page = await browser.context.newPage();
      await page.goto(fixture('ra3-customer-unconfirmed').url);
      const frame = await bannerFrame(page, browser.extensionId);
      const background = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, 'rgb(29, 30, 34)');
      await page.waitForTimeout(150);
      await page.locator('#cdot-triage-host').screenshot({ path: join(OUT, 'state-dark.png') });
    } finally {
      await browser.close();
    }
  });
});
