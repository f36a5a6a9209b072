// Firefox: the popup and the options page of dist/firefox, as an engineer uses them.
//
//   node tests/firefox/pages.mjs          (CDOT_FIREFOX=/path/to/firefox, default firefox-esr)
//
// How extension pages are reached in Firefox ESR 153 (see also the top of smoke.mjs):
// - WebDriver BiDi refuses `browsingContext.navigate` to moz-extension:// URLs ("Navigation to
//   … is not allowed in this context"): Firefox's remote agent only navigates to http(s), file,
//   blob, about:blank and data:-like URLs unless it was started with `--remote-allow-system-access`
//   (RemoteAgent.sys.mjs, isWebdriverSafeNavigationURL). With that flag the tab navigates to
//   moz-extension://<uuid>/popup.html (the UUID pinned by `extensions.webextensions.uuids`)
//   and the page runs as a real extension page (storage, permissions, runtime). The flag also
//   lets the client script Firefox's own UI, which these tests never do; smoke.mjs runs
//   without it.
// - A web page cannot open them instead: `window.open` of popup.html from a page is denied
//   (not a web-accessible resource), as it must be.
// - Puppeteer does not see the navigation's load events for moz-extension:// documents (as for
//   the banner frame): `page.goto` would time out although the page loaded. So the navigation
//   is started without waiting for it, and the test polls `location.href` and the page's own
//   state (the form filled in, the result rendered).
// - The toolbar popup itself (the panel under the button) cannot be opened by BiDi; popup.html
//   in a tab is the same page, module and loader (it is also the sidebar: popup.html?panel).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WWW, fixture } from '../../scripts/lib/fixtures.mjs';
import { EXTENSION_ORIGIN, bannerFrame, closeFirefox, emailOf, launchFirefox, openTab, readBanner, until } from './lib.mjs';

const CUSTOMER = 'ra3-customer-unconfirmed';
const KEY = 'key-0123456789abcdef0123456789abcdef';

let browser;

before(async () => {
  browser = await launchFirefox({ args: ['--remote-allow-system-access'] });
});

after(() => closeFirefox(browser));

/**
 * A tab on the extension page `path` (e.g. "options.html") once `ready` (evaluated in the page)
 * is true. `page.goto` is not awaited: puppeteer never sees the load of a moz-extension://
 * document (see above); it is settled when the tab closes.
 */
async function extensionPage(path, ready) {
  const url = `${EXTENSION_ORIGIN}/${path}`;
  const page = await browser.newPage();
  page.goto(url, { timeout: 0 }).catch(() => {});
  // Two calls: the page's CSP allows no eval, so `ready` cannot be passed in as text.
  await until(async () => await page.evaluate((u) => location.href === u && document.readyState === 'complete', url)
    .catch(() => false) && page.evaluate(ready).catch(() => false), `${url} ready`);
  return page;
}

/** What the popup shows (the Chromium e2e tests read the same: scripts/lib/browser.mjs readPopup). */
function readPopup(page) {
  return page.evaluate(() => {
    const text = (el) => el?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    return {
      subject: text(document.querySelector('#result .subject')),
      verdict: text(document.querySelector('#result [data-verdict] .verdict-text')),
      findings: [...document.querySelectorAll('#result [data-finding]')].map((f) => f.dataset.finding),
      sources: [...document.querySelectorAll('[data-source]')].map((s) => ({ id: s.dataset.source, state: s.dataset.state })),
      links: [...document.querySelectorAll('#result .links a[data-step]')].map((a) => ({ id: a.dataset.step, href: a.href })),
      observed: [...document.querySelectorAll('#result [data-observed]')].map((o) => ({ kind: o.dataset.observed, text: text(o) })),
      recent: [...document.querySelectorAll('#recent [data-email]')].map((b) => b.dataset.email),
      message: text(document.querySelector('#message')),
    };
  });
}

test('popup: searching an address the tabs observed shows its diagnosis, links and the search kept', { timeout: 60_000 }, async () => {
  const { url, file } = fixture(CUSTOMER);
  const email = emailOf(readFileSync(join(WWW, file), 'utf8'));
  // Seed the store the way an engineer does: open the customer's admin page.
  const admin = await openTab(browser);
  await admin.page.goto(url);
  const { frame } = await bannerFrame(admin.page, admin.log);
  assert.ok((await readBanner(frame)).findings.some((f) => f.id === 'account-unconfirmed'));

  const popup = await extensionPage('popup.html', () => !!document.querySelector('#email'));
  try {
    // An address that is not one first: the module says why.
    await popup.type('#email', 'priya.raman');
    await popup.keyboard.press('Enter');
    let shown = await until(async () => { const p = await readPopup(popup); return p.message ? p : null; }, 'the input message');
    assert.equal(shown.message, '“priya.raman” is not an email address (no @).');

    await popup.evaluate(() => { document.querySelector('#email').value = ''; });
    await popup.type('#email', ` mailto:${email.toUpperCase()} `);
    await popup.click('button[type=submit]');
    shown = await until(async () => {
      const p = await readPopup(popup);
      return p.observed.length > 0 && p.sources.length > 0 && p.sources.every((s) => s.state !== 'waiting') ? p : null;
    }, 'the observed account in the popup');
    assert.equal(shown.message, '');
    assert.equal(shown.subject.toLowerCase(), email.toLowerCase());
    assert.deepEqual(shown.findings, ['account-unconfirmed', 'missing-evidence']);
    assert.ok(shown.verdict, 'a verdict is shown');
    assert.equal(shown.observed[0].kind, 'account');
    assert.match(shown.observed[0].text, /Admin account page #\d+/);
    // The live look-ups are off by default: each says so, and nothing was fetched.
    assert.ok(shown.sources.every((s) => s.state === 'off'), JSON.stringify(shown.sources));
    assert.equal(shown.links[0].id, 'admin-search');
    // The admin search link carries the address as typed (mailto: and spaces stripped).
    assert.equal(shown.links[0].href, `https://customers.gitlab.com/admin/customer?query=${encodeURIComponent(email.toUpperCase())}`);
    assert.deepEqual(shown.recent.map((e) => e.toLowerCase()), [email.toLowerCase()]);
  } finally {
    await popup.close();
    await admin.page.close();
  }

  // The recent search was kept (storage.local, through the background): a new popup lists it,
  // and clicking it searches again.
  const again = await extensionPage('popup.html', () => document.querySelectorAll('#recent [data-email]').length > 0);
  try {
    await again.click('#recent [data-email]');
    const shown = await until(async () => { const p = await readPopup(again); return p.findings.length > 0 ? p : null; }, 'the recent search');
    assert.deepEqual(shown.findings, ['account-unconfirmed', 'missing-evidence']);
  } finally {
    await again.close();
  }
});

const optionsReady = () => document.querySelector('#adminHost')?.value !== '';
const status = (page) => page.$eval('#status', (s) => s.textContent);
const value = (page, selector) => page.$eval(selector, (el) => el.value);
async function fill(page, selector, text) {
  await page.$eval(selector, (el) => { el.value = ''; });
  await page.type(selector, text);
}
/** storage.local as the options page sees it (an extension page: the full API). */
const local = (page) => page.evaluate(() => browser.storage.local.get(null));

test('options: defaults shown, bad values named and not saved, good ones saved and shown again', { timeout: 60_000 }, async () => {
  const page = await extensionPage('options.html', optionsReady);
  try {
    assert.equal(await value(page, '#adminHost'), 'customers.gitlab.com');
    assert.equal(await value(page, '#resetWindowDays'), '30');
    assert.equal(await page.$eval('#keyState', (s) => s.textContent), 'No key saved');

    await fill(page, '#adminHost', 'https://customers.gitlab.com/');
    await fill(page, '#resetWindowDays', '0');
    await page.click('button.save');
    await until(async () => (await status(page)).startsWith('Not saved'), '"Not saved"');
    assert.match(await page.$eval('#adminHost-problem', (p) => p.textContent), /is not a host name/);
    assert.equal(await page.$eval('#resetWindowDays-problem', (p) => p.textContent), 'Between 1 and 365 days.');
    assert.equal(await page.$eval('#adminHost', (el) => el.getAttribute('aria-invalid')), 'true');
    assert.equal((await local(page)).settings, undefined);

    await fill(page, '#adminHost', 'customers.gitlab.com');
    await fill(page, '#resetWindowDays', '14');
    await fill(page, '#adminZoneOffsetMinutes', '-300');
    await page.select('#quietPages', 'hidden');
    await page.select('#mailgunRegion', 'eu');
    await page.type('#apiKey', KEY);
    await page.click('button.save');
    await until(async () => (await status(page)) === 'Saved.', '"Saved."');
    const stored = await local(page);
    // Plain values as the background and the banners read them: numbers, not strings.
    assert.equal(stored.settings.resetWindowDays, 14);
    assert.equal(stored.settings.adminZoneOffsetMinutes, -300);
    assert.equal(stored.settings.quietPages, 'hidden');
    assert.equal(stored.settings.mailgunRegion, 'eu');
    assert.equal(stored.mailgunApiKey, KEY);
    assert.deepEqual(await page.evaluate(() => browser.storage.sync.get(null)), {});
    assert.equal(await value(page, '#apiKey'), '', 'the key is never shown back');
    assert.equal(await page.$eval('#keyState', (s) => s.textContent), `A key is saved (${KEY.length} characters, hidden)`);
  } finally {
    await page.close();
  }

  const again = await extensionPage('options.html', optionsReady);
  try {
    assert.equal(await value(again, '#resetWindowDays'), '14');
    assert.equal(await value(again, '#adminZoneOffsetMinutes'), '-300');
    assert.equal(await value(again, '#quietPages'), 'hidden');
    assert.equal(await value(again, '#mailgunRegion'), 'eu');
    assert.equal(await value(again, '#adminHost'), 'customers.gitlab.com');
    assert.ok(!(await again.content()).includes(KEY));
    await again.click('[data-action=remove-key]');
    await until(async () => (await status(again)) === 'The API key was removed.', 'the key removed');
    assert.equal((await local(again)).mailgunApiKey, undefined);
  } finally {
    await again.close();
  }
});
