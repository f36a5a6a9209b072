// End-to-end: the banner frame's reader, a dedicated worker (extension/banner-worker.js running
// src/frame/worker.rs), and a snapshot superseded by a newer one while it is read: the banner
// ends on the newer page's finding, never on the older page's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, bannerUntil, fixture, launch, readBanner, serveFixtures } from '../../scripts/lib/browser.mjs';

let browser;
before(async () => {
  browser = await launch();
  await serveFixtures(browser.context);
});
after(() => browser?.close());

test('the frame reads its page in a worker: banner-worker.js runs, the banner shows the page', async () => {
  const page = await browser.context.newPage();
  await page.goto(fixture('ra3-customer-unconfirmed').url);
  const frame = await bannerFrame(page, browser.extensionId);
  const banner = await readBanner(frame);
  assert.equal(banner.subject, 'Priya.Raman@northwind-analytics.io');
  assert.ok(banner.findings.some((f) => f.id === 'account-unconfirmed'), JSON.stringify(banner.findings.map((f) => f.id)));
  // The frame's dedicated worker (Playwright lists a page's workers, its frames' included).
  const workers = page.workers().map((w) => w.url());
  assert.ok(workers.includes(`chrome-extension://${browser.extensionId}/banner-worker.js`), `the frame's reader runs (${workers.join(', ')})`);
  await page.close();
});

test('a snapshot superseded while it is read: the banner shows the newer page\'s finding', async () => {
  // An unconfirmed account's page, made slow to read (150,000 hidden paragraphs), which turns
  // into a locked account's page (another customer, another URL, as pjax would) soon after it
  // is parsed: its snapshot is likely still being read when the next one arrives. Either way
  // the banner must end on the locked account, and its records on the store's side are the
  // newer page's.
  const slow = 'https://customers.gitlab.com/admin/customer/4711?superseded=1';
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { ROOT } = await import('../../scripts/lib/browser.mjs');
  const first = readFileSync(join(ROOT, 'www', fixture('ra3-customer-unconfirmed').file), 'utf8');
  const padding = '<p hidden>padding padding padding padding</p>'.repeat(150_000);
  const swap = `<script>
    addEventListener('DOMContentLoaded', () => setTimeout(async () => {
      const next = new DOMParser().parseFromString(await (await fetch('/admin/customer/5022')).text(), 'text/html');
      history.pushState(null, '', '/admin/customer/5022');
      document.title = next.title;
      document.body.replaceWith(document.adoptNode(next.body));
    }, 200));
  </script>`;
  const html = first.replace('</body>', `${padding}${swap}</body>`);
  const page = await browser.context.newPage();
  await page.route(slow, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(slow, { timeout: 60_000 });
  const shown = await bannerUntil(page, browser.extensionId,
    (b) => b.subject === 'sofia.lindqvist@fjordline-systems.se', 'the locked account', { timeout: 60_000 });
  assert.ok(shown.findings.some((f) => f.id === 'account-locked'), JSON.stringify(shown.findings.map((f) => f.id)));
  assert.ok(!shown.findings.some((f) => f.id === 'account-unconfirmed'), 'nothing of the superseded page');
  // And it stays there: no late view of the older page replaces it.
  await page.waitForTimeout(1500);
  const frame = await bannerFrame(page, browser.extensionId);
  const still = await readBanner(frame);
  assert.equal(still.subject, 'sofia.lindqvist@fjordline-systems.se');
  await page.close();
});
