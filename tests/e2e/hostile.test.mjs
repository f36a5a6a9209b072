// End-to-end: customer-entered text on a real-looking page (markup, a script, a right-to-left
// override, a 10 KB value) is shown as text, runs nothing, and the page keeps working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, fixture, launch, readBanner, serveFixtures } from '../../scripts/lib/browser.mjs';
import { respond } from '../../scripts/lib/fixtures.mjs';

let browser;
before(async () => {
  browser = await launch();
  await serveFixtures(browser.context);
});
after(() => browser?.close());

test('hostile field values are text in the banner, and no script of theirs runs', async () => {
  const page = await browser.context.newPage();
  await page.goto(fixture('ra3-customer-hostile').url);
  const frame = await bannerFrame(page, browser.extensionId);
  const b = await readBanner(frame);
  assert.equal(b.subject, 'mallory@example.org');
  assert.equal(b.findings[0].id, 'account-unconfirmed');
  // Shown literally (it is not an address, so it is a fact, not a subject).
  assert.equal(b.facts.unconfirmed_email, '"><img src=x onerror=window.__cdotPwned=1>@evil.example');
  assert.equal(await frame.locator('img, script:not([src]), iframe').count(), 0, 'no element from page text in the banner');
  // No payload ran, in the page or in the banner frame.
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__cdotPwned), undefined);
  assert.equal(await frame.evaluate(() => window.__cdotPwned), undefined);
  // Every link in the banner is https to the admin or Mailgun.
  const hrefs = await frame.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(hrefs.length > 0);
  for (const href of hrefs) {
    const url = new URL(href);
    assert.equal(url.protocol, 'https:', href);
    assert.ok(['customers.gitlab.com', 'app.mailgun.com'].includes(url.host), href);
  }
  // The page still works: its own content is intact and below the banner.
  assert.match(await page.locator('h1').innerText(), /Details for Customer/);
  await page.close();
});

test('a search-results row linking elsewhere gets no link in the banner', async () => {
  const { url } = fixture('ra3-customer-list-northwind');
  const page = await browser.context.newPage();
  await page.goto(url);
  await bannerFrame(page, browser.extensionId);
  // The page's own script re-renders a row's Show link pointing at another host. (Attribute-only
  // changes are not observed on purpose: hover styles would make big pages be read again.)
  await page.evaluate(() => {
    const link = document.querySelector('tbody tr .show_member_link a');
    const evil = link.cloneNode(true);
    evil.setAttribute('href', 'https://evil.example/admin/customer/4711');
    link.replaceWith(evil);
  });
  const deadline = Date.now() + 10_000;
  let rows;
  do {
    rows = (await readBanner(await bannerFrame(page, browser.extensionId))).rows;
    if (rows[0]?.href === null) break;
    await page.waitForTimeout(100);
  } while (Date.now() < deadline);
  assert.equal(rows[0].id, '4711');
  assert.equal(rows[0].href, null, 'the off-site link is dropped');
  assert.equal(rows[1].href, 'https://customers.gitlab.com/admin/customer/4698');
  await page.close();
});

test('the page cannot reach the banner frame, and a forged message changes nothing', async () => {
  const page = await browser.context.newPage();
  await page.goto(fixture('ra3-customer-unconfirmed').url);
  // The banner first shows its page, then everything stored (after the frame hands its records
  // to the store when idle, within a second): wait until it is stable.
  await bannerFrame(page, browser.extensionId);
  await page.waitForTimeout(1500);
  let before = await readBanner(await bannerFrame(page, browser.extensionId));
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(200);
    const again = await readBanner(await bannerFrame(page, browser.extensionId));
    if (JSON.stringify(again) === JSON.stringify(before)) break;
    before = again;
  }
  const reach = await page.evaluate(() => {
    const host = document.getElementById('cdot-triage-host');
    // A page script tries every way in it has: window.frames, the DOM, the shadow root, and a
    // forged handshake + snapshot posted to whatever window it can name.
    const forged = new MessageChannel();
    const targets = [window, ...Array.from({ length: window.length }, (_, i) => window[i])];
    for (const target of targets) {
      target.postMessage({ type: 'cdot-triage/hello', token: 'x'.repeat(36) }, '*', [forged.port2]);
    }
    forged.port1.postMessage({ type: 'snapshot', url: location.href, title: 'x', html: '<html><body>forged</body></html>', inputs: [] });
    return { frames: window.length, iframes: document.querySelectorAll('iframe').length, shadowRoot: host.shadowRoot };
  });
  assert.deepEqual(reach, { frames: 0, iframes: 0, shadowRoot: null });
  await page.waitForTimeout(500);
  const after = await readBanner(await bannerFrame(page, browser.extensionId));
  assert.equal(after.subject, before.subject);
  assert.deepEqual(after.findings.map((f) => f.id), before.findings.map((f) => f.id));
  await page.close();
});

test('text in any script reaches the banner as the page shows it, however long the page', async () => {
  // The hostile page with its "Unconfirmed email" in two-, three- and four-byte characters,
  // after a comment of 150,000 non-ASCII characters: the snapshot's bytes (content.js `utf8`)
  // then need their second pass, and so does the value.
  const { url } = fixture('ra3-customer-hostile');
  const value = 'jürgen.łukasz…日本🙂@exämple.org';
  const html = respond(url).body.toString('utf8')
    .replace('&quot;&gt;&lt;img src=x onerror=window.__cdotPwned=1&gt;@evil.example', value)
    .replace('</head>', `<!-- ${'…'.repeat(100_000)}${'🙂'.repeat(50_000)} -->\n</head>`);
  assert.ok(html.includes(value));
  const page = await browser.context.newPage();
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(url);
  const b = await readBanner(await bannerFrame(page, browser.extensionId));
  assert.equal(b.subject, 'mallory@example.org');
  assert.equal(b.facts.unconfirmed_email, value);
  await page.close();
});
