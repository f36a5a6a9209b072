// End-to-end: only the extension speaks for a page. Each attack of issue #18, reproduced with
// the built extension, and shown to fail:
// - a page outside /admin, or any Mailgun page, embedding its own copy of banner.html with a
//   token of its choosing and a forged snapshot: nothing reaches the store, the frame shows
//   nothing;
// - a search row's Show link `https://evil.example\@customers.gitlab.com/…`: no link in the
//   banner, and the popup's admin look-up never fetches from evil.example;
// - a page stylesheet or script hiding the banner's host; one click on "Forget stored data";
// - the page reading the extension's performance marks;
// - event JSON in a `<pre>` outside Mailgun's event details;
// - the page's inline event handler compiled in the banner frame.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_CHROME, bannerFrame, bannerUntil, fixture, launch, popupUntil, readBanner, serveFixtures, sourcesSettled } from '../../scripts/lib/browser.mjs';
import { MOCK, admin, serveMocks } from '../../scripts/lib/mocks.mjs';
import { respond } from '../../scripts/lib/fixtures.mjs';

const FORGED = 'forged.victim@example.com';
const ADMIN_4711 = fixture('ra3-customer-unconfirmed');

/** An admin Show page's markup for another address (what a forger would send). */
function forgedShowPage() {
  return respond(ADMIN_4711.url).body.toString('utf8').replaceAll('Priya.Raman@northwind-analytics.io', FORGED);
}

/** Everything in the extension's session store (customer data), as JSON text. */
const storeText = (browser) => browser.worker.evaluate(async () => JSON.stringify(await chrome.storage.session.get(null)));

/** The banner frames of a page: [{ frame, token }]. */
function bannerFrames(page, extensionId) {
  const prefix = `chrome-extension://${extensionId}/banner.html#`;
  return page.frames().filter((f) => f.url().startsWith(prefix)).map((frame) => ({ frame, token: frame.url().slice(prefix.length) }));
}

/**
 * A page script embedding its own banner.html with its own token, doing the handshake, and
 * sending a forged snapshot that claims an admin Show page of another account.
 */
const forgeFromPage = (extensionId, claimedUrl, html) => `
  (() => {
    const token = 'f0f0f0f0-forged-token-' + Math.random().toString(16).slice(2);
    const frame = document.createElement('iframe');
    frame.id = 'forger';
    frame.src = 'chrome-extension://${extensionId}/banner.html#' + token;
    frame.addEventListener('load', () => {
      const channel = new MessageChannel();
      frame.contentWindow.postMessage({ type: 'cdot-triage/hello', token }, '*', [channel.port2]);
      channel.port1.postMessage({ type: 'snapshot', url: ${JSON.stringify(claimedUrl)}, title: 'Customer', html: ${JSON.stringify(html)}, inputs: [] });
      window.__forgerToken = token;
    });
    document.documentElement.append(frame);
  })();`;

describe('provenance: forged evidence from a page', () => {
  let browser;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
  });
  after(() => browser?.close());

  test('a page outside /admin running a copy of content.js after replaceState stores nothing', async () => {
    // The shipped content script, run in the page's own world with chrome.runtime shimmed.
    const contentJs = readFileSync(join(DIST_CHROME, 'content.js'), 'utf8');
    const shim = `Object.defineProperty(window, 'chrome', { configurable: true, value: { runtime: {
      id: 'forged', getURL: (p) => 'chrome-extension://${browser.extensionId}/' + p,
      sendMessage: () => Promise.resolve() } } });`;
    const html = forgedShowPage().replace('</head>', `<script>history.replaceState(null, '', '/admin/customer/4712');${shim}${contentJs}</script></head>`);
    const page = await browser.context.newPage();
    await page.route('https://customers.gitlab.com/customers/sign_in', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
    await page.goto('https://customers.gitlab.com/customers/sign_in');
    assert.equal(new URL(page.url()).pathname, '/admin/customer/4712', 'the page moved itself to an admin path');
    // The frame loads, gets its handshake and snapshot; the background waits for a vouch
    // (3 s) that never comes, then refuses it.
    const deadline = Date.now() + 10_000;
    let frames = [];
    while (frames.length === 0 && Date.now() < deadline) {
      await page.waitForTimeout(100);
      frames = bannerFrames(page, browser.extensionId);
    }
    assert.equal(frames.length, 1, 'the forged frame was created');
    await page.waitForTimeout(4500);
    assert.equal(await frames[0].frame.evaluate(() => document.querySelector('#banner').childElementCount), 0, 'the forged frame shows nothing');
    assert.doesNotMatch(await storeText(browser), /forged\.victim/i, 'nothing forged in the store');
    await page.close();
  });

  test('a Mailgun page embedding its own banner frame cannot store admin facts; the real banner still works', async () => {
    const page = await browser.context.newPage();
    const { url } = fixture('mailgun-old-logs-customers');
    const original = respond(url).body.toString('utf8');
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html',
      body: original.replace('</body>', `<script>${forgeFromPage(browser.extensionId, 'https://customers.gitlab.com/admin/customer/4712', forgedShowPage())}</script></body>`) }));
    await page.goto(url);
    const deadline = Date.now() + 10_000;
    let real;
    while (!real && Date.now() < deadline) {
      await page.waitForTimeout(100);
      const token = await page.evaluate(() => window.__forgerToken).catch(() => undefined);
      real = token && bannerFrames(page, browser.extensionId).find((f) => f.token !== token);
    }
    assert.ok(real, 'the extension\'s own banner frame is there too');
    await real.frame.locator('#banner section.banner').waitFor();
    const b = await readBanner(real.frame);
    assert.ok(Object.keys(b.recipients).length > 0, 'the real banner reads the Mailgun page');
    await page.waitForTimeout(4500);
    const forger = bannerFrames(page, browser.extensionId).find((f) => f.token !== real.token);
    assert.equal(await forger.frame.evaluate(() => document.querySelector('#banner').childElementCount), 0, 'the forged frame shows nothing');
    const stored = await storeText(browser);
    assert.doesNotMatch(stored, /forged\.victim/i, 'nothing forged in the store');
    assert.match(stored, new RegExp(Object.keys(b.recipients)[0].replace(/[.+]/g, '\\$&'), 'i'), 'the real page\'s events are stored');
    await page.close();
  });
});

describe('one URL parser: a backslash link', () => {
  const EVIL = 'https://evil.example\\@customers.gitlab.com/admin/customer/4711';

  test('a search row linking through a backslash gets no link in the banner', async () => {
    const browser = await launch();
    try {
      await serveFixtures(browser.context);
      const { url } = fixture('ra3-customer-list-northwind');
      const page = await browser.context.newPage();
      await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html',
        body: respond(url).body.toString('utf8').replace('href="/admin/customer/4711"', `href="${EVIL}"`) }));
      await page.goto(url);
      const b = await bannerUntil(page, browser.extensionId, (x) => x.rows.length > 1, 'the rows');
      const row = b.rows.find((r) => r.id === '4711');
      assert.equal(row.href, null, `the link is dropped (the browser would open ${new URL(EVIL).host})`);
      assert.equal(b.rows.find((r) => r.id === '4698').href, 'https://customers.gitlab.com/admin/customer/4698');
    } finally {
      await browser.close();
    }
  });

  test('the popup\'s admin look-up never follows it', async () => {
    const browser = await launch({ grantedOrigins: ['https://customers.gitlab.com/*', 'https://api.mailgun.net/*'] });
    try {
      const requested = [];
      browser.context.on('request', (r) => requested.push(r.url()));
      await serveMocks(browser.context);
      await browser.context.route('https://evil.example/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' }));
      await browser.context.route('https://customers.gitlab.com/admin/customer?*', (route) => {
        const answer = admin(route.request().url());
        route.fulfill({ ...answer, body: answer.body.toString('utf8').replaceAll('href="/admin/customer/4711"', `href="${EVIL}"`) });
      });
      await browser.worker.evaluate((key) => chrome.storage.local.set({
        settings: { adminLookup: true, mailgunLookup: false, lookupTimeoutSeconds: 3 }, mailgunApiKey: key,
      }), MOCK.apiKey);
      const page = await browser.context.newPage();
      await page.goto(`chrome-extension://${browser.extensionId}/popup.html?email=${encodeURIComponent('Priya.Raman@northwind-analytics.io')}`);
      const p = await popupUntil(page, sourcesSettled, 'the admin look-up done');
      assert.equal(p.sources.admin.state, 'done', JSON.stringify(p.sources.admin));
      assert.ok(requested.some((u) => u.includes('/admin/customer?query=')), 'the search was fetched');
      assert.deepEqual(requested.filter((u) => new URL(u).host === 'evil.example'), [], 'nothing fetched from evil.example');
    } finally {
      await browser.close();
    }
  });
});

describe('the page cannot hide, detect or feed the banner', () => {
  let browser;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
  });
  after(() => browser?.close());

  test('an !important stylesheet and a script on the host do not hide it; Forget asks first', async () => {
    const page = await browser.context.newPage();
    await page.route(ADMIN_4711.url, (route) => route.fulfill({ status: 200, contentType: 'text/html',
      body: respond(ADMIN_4711.url).body.toString('utf8').replace('</head>',
        '<style>#cdot-triage-host, html > div:first-child { opacity: 0 !important; visibility: hidden !important; display: none !important; transform: translateY(-2000px) !important; }</style></head>') }));
    await page.goto(ADMIN_4711.url);
    const frame = await bannerFrame(page, browser.extensionId);
    await page.evaluate(() => {
      const host = document.getElementById('cdot-triage-host');
      host.style.setProperty('opacity', '0', 'important');
      host.setAttribute('hidden', '');
      host.setAttribute('inert', '');
      host.className = 'hide-me';
    });
    await page.waitForTimeout(100);
    const shown = await page.evaluate(() => {
      const host = document.getElementById('cdot-triage-host');
      const style = getComputedStyle(host);
      const box = host.getBoundingClientRect();
      return { opacity: style.opacity, visibility: style.visibility, display: style.display, top: box.top, height: box.height,
        attributes: host.getAttributeNames().sort() };
    });
    assert.deepEqual(shown, { opacity: '1', visibility: 'visible', display: 'block', top: 0, height: shown.height, attributes: ['id', 'style'] });
    assert.ok(shown.height > 20, `the banner has its height (${shown.height})`);

    // One click on "Forget stored data" forgets nothing; the confirmation does.
    const stored = () => storeText(browser).then((t) => /priya\.raman/i.test(t));
    const until = async (check, what) => {
      const deadline = Date.now() + 10_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(what);
        await page.waitForTimeout(100);
      }
    };
    await until(stored, 'the page\'s evidence stored');
    await frame.getByRole('button', { name: 'Forget stored data' }).click();
    await page.waitForTimeout(500);
    assert.ok(await stored(), 'one click forgets nothing');
    const confirm = frame.locator('[data-confirm=forget]');
    assert.match(await confirm.innerText(), /Forget everything cdot-triage stored/);
    assert.equal(await frame.evaluate(() => document.activeElement?.textContent), 'Cancel', 'focus on Cancel');
    await frame.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await confirm.count(), 0);
    await frame.getByRole('button', { name: 'Forget stored data' }).click();
    await frame.getByRole('button', { name: 'Forget everything' }).click();
    await until(async () => !(await stored()), 'forgotten after the confirmation');
    await page.close();
  });

  test('the page finds no performance marks of the extension, and the shipped scripts have none', async () => {
    const page = await browser.context.newPage();
    await page.goto(ADMIN_4711.url);
    await bannerFrame(page, browser.extensionId);
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    assert.deepEqual(marks.filter((m) => m.includes('cdot')), []);
    for (const file of ['content.js', 'banner.js']) {
      assert.doesNotMatch(readFileSync(join(DIST_CHROME, file), 'utf8'), /performance\.mark/, file);
    }
    await page.close();
  });

  test('event JSON in a <pre> outside Mailgun\'s event details is not read', async () => {
    const { url } = fixture('mailgun-old-logs-customers');
    const forged = JSON.stringify({ event: 'delivered', timestamp: 1763800000, recipient: FORGED,
      'delivery-status': { code: 250 }, message: { headers: { subject: 'Reset password instructions' } } });
    const page = await browser.context.newPage();
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html',
      body: respond(url).body.toString('utf8').replace('</body>', `<pre>${forged}</pre><textarea>${forged}</textarea></body>`) }));
    await page.goto(url);
    const b = await bannerUntil(page, browser.extensionId, (x) => Object.keys(x.recipients).length > 0, 'the page\'s events');
    assert.ok(!(FORGED in b.recipients), JSON.stringify(Object.keys(b.recipients)));
    await page.close();
  });

  test('the page\'s inline event handlers are never compiled in the banner frame', async () => {
    const url = 'https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs';
    const page = await browser.context.newPage();
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy|inline event handler/i.test(m.text())) violations.push(m.text()); });
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><html><head><title>Logs</title></head>
      <body><form onsubmit="return false"><input type="search" value="a@b.example" onfocus="x()"></form>
      <div onclick="alert(1)"><img src="x.png" onerror="alert(2)" onload="alert(3)"><a href="#" onmouseover="alert(4)">x</a></div>
      <table><tr onclick="alert(5)"><td>11/22/2026 09:14:03 AM</td><td>Delivered</td><td>a@b.example</td><td>Reset password instructions</td><td>250 OK</td></tr></table>
      </body></html>` }));
    await page.goto(url);
    const frame = await bannerFrame(page, browser.extensionId);
    // Listen in the frame, then make the page change so that a second snapshot is read.
    await frame.evaluate(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}`));
    });
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<form onsubmit="return false" onreset="y()"><input type="search" value="c@d.example"></form>'));
    await page.waitForTimeout(1500);
    assert.deepEqual(await frame.evaluate(() => window.__violations), []);
    assert.deepEqual(violations, []);
    await page.close();
  });
});
