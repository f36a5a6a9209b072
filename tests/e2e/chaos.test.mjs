// End-to-end: evidence is never lost (issue 23). Every case asserts what the *other* tabs and the
// popup see, not only the tab that acted:
// - pjax, Turbo, a Mailgun route change and a `replaceState`, each followed by the popup (a
//   second extension page) asking for the same address;
// - a tab closed mid-write, then a new case in new tabs;
// - a write refused (a frame no content script vouched for), then a good write from another tab;
// - a 40,000-row logs page after an admin page: the admin page's account facts survive, and a
//   bulk page that gave up records for it says so in its own banner;
// - the service worker stopped mid-write (CDP `ServiceWorker.stopAllWorkers`), then more writes;
// - Forget while two tabs write: no page half written;
// The model-based run of 10 tabs and 200 loads is chaos-model.test.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, bannerUntil, fixture, launch, popupUntil, serveFixtures } from '../../scripts/lib/browser.mjs';
import { buildModel, eventually, markupOf, native, pjax, replace, route, storePage, storedRecords, turbo } from '../../scripts/lib/chaos.mjs';
import { generateOldLogsPage } from '../../scripts/fixtures/mailgun.mjs';

before(buildModel);

/** A browser of a group's own: UTC (as the native model reads times), the fixtures served for
 * their real URLs, and an extension page to read the store from. */
async function openBrowser() {
  const browser = await launch({ timezoneId: 'UTC' });
  await serveFixtures(browser.context);
  return { browser, store: await storePage(browser) };
}

/** Waits until the store holds every record the page's current markup yields. */
async function storedEventually(store, page, what) {
  const { url, html } = await markupOf(page);
  const [{ records }] = native({ command: 'records', now: Date.now(), pages: [{ url, html }] });
  assert.ok(records.length > 0, `${url} yields records`);
  await eventually(async () => {
    const ids = new Set((await storedRecords(store)).map((r) => r.id));
    const missing = records.filter((r) => !ids.has(r.id));
    return { ok: missing.length === 0, why: { missing: missing.length, of: records.length } };
  }, `${what}: the store never got ${url}'s observations`);
  return records;
}

const popupUrl = (browser, email) => `chrome-extension://${browser.extensionId}/popup.html?email=${encodeURIComponent(email)}`;
/** The popup searching `email`, once what it observed satisfies `check`. */
async function popupSees(browser, email, check, what) {
  const popup = await browser.context.newPage();
  try {
    await popup.goto(popupUrl(browser, email));
    return await popupUntil(popup, check, what);
  } finally {
    await popup.close();
  }
}

describe('every navigation stores what its banner read, and the next tab knows it', () => {
  let browser;
  let store;
  before(async () => ({ browser, store } = await openBrowser()));
  after(() => browser?.close());

  test('pjax (RailsAdmin 2.x): the customer navigated to is stored, the popup knows the account', async () => {
    const page = await browser.context.newPage();
    await page.goto(fixture('ra2-customer-list-kitsune').url);
    await storedEventually(store, page, 'the list');
    await pjax(page, fixture('ra2-customer-compact-off').url);
    await bannerUntil(page, browser.extensionId, (b) => b.subject === 't.nakamura@kitsune-robotics.jp', 'the show page after pjax');
    await storedEventually(store, page, 'the show page reached by pjax');
    await popupSees(browser, 't.nakamura@kitsune-robotics.jp',
      (p) => p.observed.some((o) => o.kind === 'account'), 'the account page read after pjax');
    await page.close();
  });

  test('Turbo Drive (RailsAdmin 3.x): the next page is stored, the popup diagnoses it', async () => {
    const page = await browser.context.newPage();
    await page.goto(fixture('ra3-customer-confirmed').url);
    await storedEventually(store, page, 'the first page');
    await turbo(page, fixture('ra3-customer-reconfirmation').url);
    const b = await bannerUntil(page, browser.extensionId, (x) => x.findings.some((f) => f.id === 'email-unconfirmed'), 'the page reached by Turbo');
    await storedEventually(store, page, 'the page reached by Turbo');
    await popupSees(browser, b.subject, (p) => p.findings.some((f) => f.id === 'email-unconfirmed'), 'the finding of the Turbo page');
    await page.close();
  });

  test('a Mailgun route change: the new logs page is stored, the popup sees its events', async () => {
    const page = await browser.context.newPage();
    await page.goto(fixture('mailgun-old-logs-customers').url);
    await storedEventually(store, page, 'the old logs page');
    await route(page, fixture('mailgun-new-logs').url);
    await bannerUntil(page, browser.extensionId, (x) => (x.note ?? '').startsWith('Mailgun logs: all or unknown domains'), 'the new logs page');
    const records = await storedEventually(store, page, 'the new logs page reached by a route change');
    const [{ key }] = records;
    await popupSees(browser, key, (p) => p.observed.some((o) => o.kind === 'mail-event'), 'an event of the new logs page');
    await page.close();
  });

  test('a replaceState: the page at its new URL is stored, the popup sees that search', async () => {
    const page = await browser.context.newPage();
    const unfiltered = fixture('mailgun-old-logs-customers').url;
    await page.goto(unfiltered);
    await storedEventually(store, page, 'the logs page');
    const searched = `${unfiltered}?search=${encodeURIComponent('priya.raman@northwind-analytics.io')}`;
    await replace(page, searched);
    await storedEventually(store, page, 'the logs page at the URL replaceState gave it');
    const stored = await storedRecords(store);
    assert.ok(stored.some((r) => r.observation.includes(JSON.stringify(searched).slice(1, -1))), 'records of the new URL');
    await page.close();
  });
});

describe('no shared fate between tabs', () => {
  let browser;
  let store;
  before(async () => ({ browser, store } = await openBrowser()));
  after(() => browser?.close());

  test('a pjax tab closed mid-write, then a new case in new tabs: every new tab\'s evidence is stored and combined', async () => {
    const first = await browser.context.newPage();
    await first.goto(fixture('ra2-customer-list-kitsune').url);
    await bannerFrame(first, browser.extensionId);
    await pjax(first, fixture('ra2-customer-compact-off').url);
    // Closed once its banner shows the new page and has sent its write (within a second),
    // before the store has answered it.
    await bannerUntil(first, browser.extensionId, (b) => b.subject === 't.nakamura@kitsune-robotics.jp', 'the pjax page');
    const { url, html } = await markupOf(first);
    const [{ records: closedTabs }] = native({ command: 'records', now: Date.now(), pages: [{ url, html }] });
    await first.waitForTimeout(1200);
    await first.close();
    // The new case: the admin page and the Mailgun logs of another customer.
    const admin = await browser.context.newPage();
    await admin.goto(fixture('ra3-customer-unconfirmed').url);
    const logs = await browser.context.newPage();
    await logs.goto(fixture('mailgun-old-logs-customers-priya').url);
    await storedEventually(store, logs, 'the Mailgun tab opened after the closed one');
    await storedEventually(store, admin, 'the admin tab');
    // Each tab shows the other's evidence: the admin banner no longer says the
    // customers.gitlab.com logs are unchecked.
    await bannerUntil(admin, browser.extensionId, (b) => !b.findings.some((f) => f.id === 'missing-evidence'
      && f.steps.some((s) => s.id === 'mailgun-logs-customers.gitlab.com')), 'the Mailgun tab\'s search');
    await popupSees(browser, 'priya.raman@northwind-analytics.io',
      (p) => p.observed.some((o) => o.kind === 'account') && p.observed.some((o) => o.kind === 'mail-search'), 'both tabs');
    // What the closed tab had sent landed too.
    const ids = new Set((await storedRecords(store)).map((r) => r.id));
    assert.ok(closedTabs.every((r) => ids.has(r.id)), 'the closed tab\'s write was kept');
    for (const p of [admin, logs]) await p.close();
  });

  test('a refused frame, then a good write from another tab: the good one is stored at once, nothing waits for the refusal', async () => {
    // A page of the admin embeds its own banner.html with a token no content script vouched for.
    const forger = await browser.context.newPage();
    await forger.goto(fixture('ra3-billing-account').url);
    await forger.evaluate((id) => {
      const frame = document.createElement('iframe');
      frame.src = `chrome-extension://${id}/banner.html#forged-forged-forged-0001`;
      document.body.append(frame);
    }, browser.extensionId);
    const good = await browser.context.newPage();
    await good.goto(fixture('ra3-customer-locked').url);
    await storedEventually(store, good, 'the good write');
    const frame = await bannerFrame(good, browser.extensionId);
    assert.equal(await frame.locator('#banner').getAttribute('data-store'), 'kept');
    for (const p of [forger, good]) await p.close();
  });
});

describe('what to keep when the store is full', () => {
  let browser;
  let store;
  const HEAVY = 'https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs?rows=40000';
  const BULK = 'https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs?rows=10000';
  before(async () => {
    ({ browser, store } = await openBrowser());
    const heavy = generateOldLogsPage(40_000);
    const bulk = generateOldLogsPage(10_000);
    await browser.context.route(HEAVY, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: heavy }));
    await browser.context.route(BULK, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: bulk }));
  });
  after(() => browser?.close());

  test('a 40,000-row logs page after an admin page: the account facts and the looked-up address\'s events survive; a bulk page that gave up records says so', async () => {
    const admin = await browser.context.newPage();
    await admin.goto(fixture('ra3-customer-unconfirmed').url);
    const facts = await storedEventually(store, admin, 'the admin page');
    const logs = await browser.context.newPage();
    await logs.goto(fixture('mailgun-old-logs-customers-priya').url);
    const searched = await storedEventually(store, logs, 'the searched logs page');
    const bulk = await browser.context.newPage();
    await bulk.goto(BULK, { timeout: 60_000 });
    await eventually(async () => (await bannerFrame(bulk, browser.extensionId, { timeout: 30_000 }).then((f) => f.locator('#banner').getAttribute('data-store'))) === 'kept',
      'the 10,000-row page stored whole', { timeout: 60_000, every: 500 });

    const heavy = await browser.context.newPage();
    await heavy.goto(HEAVY, { timeout: 90_000 });
    const heavyFrame = await bannerFrame(heavy, browser.extensionId, { timeout: 60_000 });
    const line = heavyFrame.locator('[data-storage]');
    await line.waitFor({ timeout: 90_000 });
    const heavyText = (await line.textContent()).replace(/\s+/g, ' ');
    assert.match(heavyText, /^Session storage is full: [\d,]+ observations of this page were not kept/);

    const stored = new Set((await storedRecords(store)).map((r) => r.id));
    for (const r of [...facts, ...searched]) assert.ok(stored.has(r.id), `${r.id} (${r.key}) survived the heavy page`);
    // The bulk page kept its share and says what it gave up.
    const bulkFrame = await bannerFrame(bulk, browser.extensionId);
    const bulkLine = await eventually(async () => bulkFrame.locator('[data-storage]').textContent().catch(() => null), 'the bulk page\'s line', { timeout: 20_000 });
    assert.match(bulkLine.replace(/\s+/g, ' '), /observations of this page were dropped to make room for another page's/);
    assert.equal(await bulkFrame.locator('#banner').getAttribute('data-store'), 'partial');
    // The admin tab lost nothing and says nothing.
    const adminFrame = await bannerFrame(admin, browser.extensionId);
    assert.equal(await adminFrame.locator('[data-storage]').count(), 0);
    // The popup still knows the account, and counts what the store did not keep.
    await popupSees(browser, 'priya.raman@northwind-analytics.io', (p) => p.observed.some((o) => o.kind === 'account')
      && p.findings.some((f) => f.id === 'account-unconfirmed'), 'the account after the heavy page');
    // The popup counts what the store did not keep of a bulk address.
    const bulkPopup = await popupSees(browser, 'user.a22@northwind-analytics.io', (p) => /data-not-kept="\d+"/.test(p.html), 'the count of what was not kept');
    assert.match(bulkPopup.html, /not kept when session storage was full/);
    const pageRecords = (await storedRecords(store)).reduce((m, r) => m.set(r.id.slice(0, 8), (m.get(r.id.slice(0, 8)) ?? 0) + 1), new Map());
    console.log(`# stored per page after the heavy page: ${JSON.stringify(Object.fromEntries(pageRecords))}; heavy: ${heavyText}`);
    for (const p of [admin, logs, bulk, heavy]) await p.close();
  });
});

describe('a stopped worker, and Forget while tabs write', () => {
  let browser;
  let store;
  before(async () => ({ browser, store } = await openBrowser()));
  after(() => browser?.close());

  /** Stops the extension's service worker as Chrome does when it is idle (or mid-task). */
  async function stopWorker(page) {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
  }

  test('the service worker stopped mid-write: the write lands (sent again), and later writes too', async () => {
    const logs = await browser.context.newPage();
    const url = 'https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs?rows=3000';
    const html = generateOldLogsPage(3000);
    await browser.context.route(url, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await logs.goto(url);
    // Stopped as the banner renders: its write is about to go or under way.
    await bannerFrame(logs, browser.extensionId, { timeout: 30_000 });
    await stopWorker(logs);
    await storedEventually(store, logs, 'the write cut by the stopped worker');
    const frame = await bannerFrame(logs, browser.extensionId);
    await eventually(async () => (await frame.locator('#banner').getAttribute('data-store')) === 'kept', 'the banner says all was kept');
    // More writes after the restart, from a tab whose frame was vouched for before it.
    const admin = await browser.context.newPage();
    await admin.goto(fixture('ra3-customer-unconfirmed').url);
    await bannerFrame(admin, browser.extensionId);
    await stopWorker(admin);
    await turbo(admin, fixture('ra3-customer-locked').url);
    await storedEventually(store, admin, 'a navigation after the worker stopped (its vouch survived)');
    for (const p of [logs, admin]) await p.close();
  });

  test('Forget while two tabs write: each page is in the store whole or not at all, and what comes after is kept', async () => {
    const forgetFrom = await browser.context.newPage();
    await forgetFrom.goto(fixture('ra3-customer-confirmed').url);
    const frame = await bannerFrame(forgetFrom, browser.extensionId);
    const a = await browser.context.newPage();
    const b = await browser.context.newPage();
    await Promise.all([
      a.goto(fixture('mailgun-old-logs-gitlab-com-priya').url),
      b.goto(fixture('mailgun-new-logs').url),
      (async () => {
        await frame.locator('[data-action=forget]').click();
        await frame.locator('[data-action=forget-confirmed]').click();
      })(),
    ]);
    for (const page of [a, b]) {
      await bannerFrame(page, browser.extensionId);
      const { url, html } = await markupOf(page);
      const [{ records }] = native({ command: 'records', now: Date.now(), pages: [{ url, html }] });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const ids = new Set((await storedRecords(store)).map((r) => r.id));
      const present = records.filter((r) => ids.has(r.id)).length;
      assert.ok(present === 0 || present === records.length, `${url}: ${present} of ${records.length} stored`);
    }
    // After the Forget: a new page is kept.
    const later = await browser.context.newPage();
    await later.goto(fixture('ra3-customer-locked').url);
    await storedEventually(store, later, 'a page read after Forget');
    for (const p of [forgetFrom, a, b, later]) await p.close();
  });
});
