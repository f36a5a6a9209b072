// End-to-end: the popup's search by address, with and without live look-ups (Mailgun's APIs and
// the admin, mocked for the real hosts by scripts/lib/mocks.mjs), each failure mode on its own,
// the context menu, and the banners updating from what the popup found.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerUntil, fixture, launch, popupUntil, sourcesSettled } from '../../scripts/lib/browser.mjs';
import { MOCK, serveMocks } from '../../scripts/lib/mocks.mjs';

const PRIYA = 'Priya.Raman@northwind-analytics.io';
const ORIGINS = ['https://customers.gitlab.com/*', 'https://api.mailgun.net/*'];
const ALL_ON = { adminLookup: true, mailgunLookup: true, lookupTimeoutSeconds: 3 };

const done = sourcesSettled;

describe('popup search', () => {
  let browser;
  let seen;
  const requested = []; // every request any page of the browser makes (the extension's included)
  before(async () => {
    browser = await launch({ grantedOrigins: ORIGINS });
    browser.context.on('request', (r) => requested.push(r.url()));
    seen = await serveMocks(browser.context);
    await browser.context.route('https://app.mailgun.com/**', (route) => route.abort());
  });
  after(() => browser?.close());

  const setStorage = (values) => browser.worker.evaluate((v) => chrome.storage.local.set(v), values);
  const clearStorage = () => browser.worker.evaluate(async () => {
    await chrome.storage.local.clear();
    await chrome.storage.session.clear();
  });
  async function popup(email) {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html${email == null ? '' : `?email=${encodeURIComponent(email)}`}`);
    return page;
  }

  test('validates the input and strips mailto:, brackets and whitespace', async () => {
    await clearStorage();
    const page = await popup();
    await page.fill('#email', 'priya.raman');
    await page.press('#email', 'Enter');
    let p = await popupUntil(page, (x) => x.message, 'a message');
    assert.equal(p.message, '“priya.raman” is not an email address (no @).');
    assert.equal(p.invalid, 'true');
    await page.fill('#email', `  mailto:${PRIYA}?subject=help `);
    await page.click('button[type=submit]');
    p = await popupUntil(page, (x) => x.subject, 'a result');
    assert.equal(p.subject, PRIYA);
    assert.equal(p.message, '');
    assert.equal(p.invalid, null);
    assert.deepEqual(p.recent, [PRIYA]);
    await page.close();
  });

  test('without live look-ups: what the tabs observed, the diagnosis, deep links, sources off', async () => {
    await clearStorage();
    const tab = await browser.context.newPage();
    await tab.goto(fixture('ra3-customer-unconfirmed').url);
    await bannerUntil(tab, browser.extensionId, (b) => b.findings.some((f) => f.id === 'account-unconfirmed'), 'account-unconfirmed');
    const page = await popup(PRIYA.toLowerCase());
    const p = await popupUntil(page, (x) => x.observed.length > 0 && done(x), 'the observed account');
    assert.equal(p.input, PRIYA.toLowerCase());
    assert.equal(p.observed[0].kind, 'account');
    assert.match(p.observed[0].text, /Admin account page #4711/);
    assert.deepEqual(p.findings.map((f) => f.id), ['account-unconfirmed', 'missing-evidence']);
    for (const s of Object.values(p.sources)) assert.equal(s.state, 'off');
    assert.match(p.sources.admin.text, /turn on “Search the admin”/);
    // The three sources: the admin, both Mailgun domains, GitLab.com's admin user search.
    assert.deepEqual(p.links.map((l) => l.id), ['admin-search', 'mailgun-logs-customers.gitlab.com', 'mailgun-logs-mg.gitlab.com', 'gitlab-com-search']);
    assert.equal(p.links[3].href, 'https://gitlab.com/admin/users?search_query=priya.raman%40northwind-analytics.io');
    assert.equal(p.links[0].href, 'https://customers.gitlab.com/admin/customer?query=priya.raman%40northwind-analytics.io');
    assert.ok(p.links.every((l) => l.target === '_blank'));
    assert.equal(seen.length, 0, 'no API request while the look-ups are off');
    await page.close();
    await tab.close();
  });

  test('with live look-ups: admin, events (paged) and suppressions become evidence, and open banners update', async () => {
    await clearStorage();
    await setStorage({ settings: ALL_ON, mailgunApiKey: MOCK.apiKey });
    seen.length = 0;
    const tab = await browser.context.newPage();
    await tab.goto(fixture('ra3-customer-confirmed').url);
    const page = await popup(PRIYA);
    const p = await popupUntil(page, (x) => done(x) && x.findings.some((f) => f.id === 'address-suppressed'), 'every source done');
    assert.equal(p.sources.admin.state, 'done', JSON.stringify(p.sources));
    assert.equal(p.sources.admin.text, '2 accounts with the address (2 rows found); 1 Show page read, 1 could not be read.');
    assert.equal(p.sources['events:customers.gitlab.com'].text, '3 events in the last 30 days.');
    assert.equal(p.sources['events:mg.gitlab.com'].text, '2 events in the last 30 days.');
    assert.match(p.sources['suppressions:customers.gitlab.com'].text, /^On the bounce list since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(Mailgun: 550 5\.1\.1 The email account/);
    assert.equal(p.sources['suppressions:customers.gitlab.com'].link, 'https://app.mailgun.com/app/sending/domains/customers.gitlab.com/suppressions');
    assert.equal(p.sources['suppressions:mg.gitlab.com'].text, 'Not on the bounce, unsubscribe or complaint list.');
    const ids = p.findings.map((f) => f.id);
    for (const id of ['reset-requested-on-gitlab-com', 'address-suppressed', 'account-unconfirmed', 'similar-accounts']) {
      assert.ok(ids.includes(id), `${id} in ${ids}`);
    }
    const reset = p.findings.find((f) => f.id === 'reset-requested-on-gitlab-com');
    assert.doesNotMatch(reset.title, /likely/i, 'both domains searched over the window: certain');
    assert.ok(p.observed.some((o) => o.kind === 'suppression' && /ON IT/.test(o.text)));
    assert.ok(p.observed.some((o) => o.kind === 'mail-search'));
    // Paging: customers.gitlab.com has 3 events to Priya at 2 per page: 3 pages (the last empty).
    const cdEvents = seen.filter((r) => r.url.includes('/v3/customers.gitlab.com/events'));
    assert.equal(cdEvents.length, 3, cdEvents.map((r) => r.url).join('\n'));
    // The key goes to the API host only, and never into the page.
    assert.ok(seen.every((r) => new URL(r.url).host === 'api.mailgun.net' && r.authorization.startsWith('Basic ')));
    assert.ok(!p.html.includes(MOCK.apiKey));
    // Nothing went anywhere but the configured hosts (and the extension's own files).
    const hosts = new Set(requested.map((u) => new URL(u).host));
    for (const host of hosts) {
      assert.ok([browser.extensionId, 'customers.gitlab.com', 'api.mailgun.net'].includes(host), `a request to ${host}`);
    }
    // The banner of the open tab (another account) is unaffected; a tab on Priya's page
    // shows the popup's findings without any Mailgun page open.
    const priya = await browser.context.newPage();
    await priya.goto(fixture('ra3-customer-unconfirmed').url);
    await bannerUntil(priya, browser.extensionId, (b) => b.findings.some((f) => f.id === 'address-suppressed'), 'the suppression the popup found');
    await Promise.all([page.close(), tab.close(), priya.close()]);
  });

  test('each source fails on its own with a clear message, the rest still shown', async () => {
    await clearStorage();
    await setStorage({ settings: ALL_ON, mailgunApiKey: MOCK.apiKey });
    const failing = await launch({ grantedOrigins: ORIGINS });
    try {
      await serveMocks(failing.context, {
        adminSession: { signedOut: true },
        mailgun: (url) => (url.includes('/v3/customers.gitlab.com/events') ? { mode: 'rate-limit' }
          : url.includes('/v3/mg.gitlab.com/events') ? { mode: 'hang' }
            : url.includes('/v3/mg.gitlab.com/') ? { mode: 'server-error' } : {}),
      });
      await failing.worker.evaluate((v) => chrome.storage.local.set(v), { settings: ALL_ON, mailgunApiKey: MOCK.apiKey });
      const page = await failing.context.newPage();
      await page.goto(`chrome-extension://${failing.extensionId}/popup.html?email=${encodeURIComponent(PRIYA)}`);
      const p = await popupUntil(page, done, 'every source settled');
      assert.equal(p.sources.admin.state, 'failed');
      assert.equal(p.sources.admin.text, 'Signed out of the CustomersDot admin: sign in, then search again.');
      assert.equal(p.sources.admin.link, 'https://customers.gitlab.com/admin');
      assert.equal(p.sources['events:customers.gitlab.com'].text, 'api.mailgun.net is rate limiting (429): try again in a minute.');
      assert.equal(p.sources['events:mg.gitlab.com'].text, 'No answer from api.mailgun.net within 3 s.');
      assert.equal(p.sources['suppressions:mg.gitlab.com'].text, 'api.mailgun.net had an error (HTTP 502): try again later.');
      // The one source that worked still counts.
      assert.equal(p.sources['suppressions:customers.gitlab.com'].state, 'done');
      assert.ok(p.findings.some((f) => f.id === 'address-suppressed'));
      await page.close();

      // A wrong key, an unknown domain, and no network.
      await failing.worker.evaluate((v) => chrome.storage.local.set(v), {
        settings: { ...ALL_ON, adminLookup: false, gitlabComDomain: 'mg.example.org' }, mailgunApiKey: 'key-wrong',
      });
      const wrong = await failing.context.newPage();
      await wrong.goto(`chrome-extension://${failing.extensionId}/popup.html?email=${encodeURIComponent(PRIYA)}`);
      const w = await popupUntil(wrong, done, 'every source settled');
      assert.equal(w.sources['suppressions:customers.gitlab.com'].text, 'Mailgun rejected the API key (401): check the key in the options.');
      assert.equal(w.sources.admin.state, 'off');
      await wrong.close();
    } finally {
      await failing.close();
    }
  });

  test('a domain Mailgun does not know, and the browser offline', async () => {
    const other = await launch({ grantedOrigins: ORIGINS });
    try {
      await serveMocks(other.context, { mailgun: (url) => (url.includes('/v3/customers.gitlab.com/') ? { mode: 'offline' } : {}) });
      await other.worker.evaluate((v) => chrome.storage.local.set(v), {
        settings: { ...ALL_ON, adminLookup: false, gitlabComDomain: 'mg.example.org' }, mailgunApiKey: MOCK.apiKey,
      });
      const page = await other.context.newPage();
      await page.goto(`chrome-extension://${other.extensionId}/popup.html?email=${encodeURIComponent(PRIYA)}`);
      const p = await popupUntil(page, done, 'every source settled');
      assert.equal(p.sources['events:mg.example.org'].text,
        'Mailgun has no domain mg.example.org in the US region (404): check the domains and region in the options.');
      // Not "not on any list": the domain itself is unknown.
      assert.equal(p.sources['suppressions:mg.example.org'].text,
        'Mailgun has no domain mg.example.org in the US region (404): check the domains and region in the options.');
      assert.equal(p.sources['events:customers.gitlab.com'].text,
        'Could not reach api.mailgun.net: the browser is offline or the host is blocked.');
    } finally {
      await other.close();
    }
  });

  test('without the browser permission or a key, a look-up stays off and says why', async () => {
    const bare = await launch();
    try {
      await serveMocks(bare.context);
      await bare.worker.evaluate((v) => chrome.storage.local.set(v), { settings: ALL_ON });
      const page = await bare.context.newPage();
      await page.goto(`chrome-extension://${bare.extensionId}/popup.html?email=${encodeURIComponent(PRIYA)}`);
      const p = await popupUntil(page, done, 'every source settled');
      assert.match(p.sources.admin.text, /has not allowed cdot-triage to reach customers\.gitlab\.com/);
      assert.equal(p.sources['events:mg.gitlab.com'].text, 'Off: no Mailgun API key saved in the options.');
    } finally {
      await bare.close();
    }
  });

  test('the context menu opens the search pre-filled with the selection', async () => {
    await clearStorage();
    // A native context menu cannot be clicked from a test: its click handler is called instead.
    await browser.worker.evaluate((text) => globalThis.triageSelection({ menuItemId: 'cdot-triage-selection', selectionText: text }),
      ` mailto:${PRIYA} `);
    // The toolbar popup opened on the selection (Playwright does not list popups as pages).
    const popups = await browser.worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ['POPUP'] })).map((c) => c.documentUrl));
    const url = `chrome-extension://${browser.extensionId}/popup.html?email=${encodeURIComponent(` mailto:${PRIYA} `)}`;
    assert.deepEqual(popups, [url]);
    assert.match(await browser.worker.evaluate(() => chrome.action.getPopup({})), /\/popup\.html$/, 'the plain popup again next time');
    // That page searches on open.
    const page = await browser.context.newPage();
    await page.goto(url);
    const p = await popupUntil(page, (x) => x.subject, 'the search');
    assert.equal(p.input, ` mailto:${PRIYA} `);
    assert.equal(p.subject, PRIYA);
    await page.close();
  });
});
