// Firefox: every navigation the product follows is stored (issue 23). pjax, Turbo Drive, a
// Mailgun route change and a page's replaceState, each followed by a second tab for the same
// address whose banner shows what only the first tab's new page knows; and the store holding
// exactly the records the same core computes natively from the new page's markup
// (examples/store_model.rs). Firefox keeps `sender.url` at the document's first URL as
// Chromium does, so these fail without the vouch of the tab's URL (docs/protocol.md).
// The store is read from an extension page, which needs `--remote-allow-system-access` (see
// pages.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../scripts/lib/fixtures.mjs';
import { buildModel, markupOf, native, pjax, replace, route, turbo } from '../../scripts/lib/chaos.mjs';
import { EXTENSION_ORIGIN, bannerFrame, closeFirefox, launchFirefox, openTab, readBanner, until } from './lib.mjs';

let browser;
let store;

before(async () => {
  buildModel();
  browser = await launchFirefox({ args: ['--remote-allow-system-access'] });
  // An extension page to read storage.session from (see pages.mjs for why goto is not awaited).
  const url = `${EXTENSION_ORIGIN}/options.html`;
  store = await browser.newPage();
  store.goto(url, { timeout: 0 }).catch(() => {});
  await until(() => store.evaluate((u) => location.href === u && document.readyState === 'complete', url).catch(() => false), 'options.html');
});

after(() => closeFirefox(browser));

const storedIds = () => store.evaluate(async () => {
  const all = await browser.storage.session.get(null);
  return Object.entries(all).filter(([k]) => k.startsWith('obs:')).flatMap(([, v]) => v.map((r) => r.id));
});

/** The records the tab's current markup yields, once they are all in the store. */
async function storedEventually(page, what) {
  const { url, html } = await markupOf(page);
  const [{ records }] = native({ command: 'records', now: Date.now(), pages: [{ url, html }] });
  assert.ok(records.length > 0, `${url} yields records`);
  let missing;
  try {
    await until(async () => {
      const ids = new Set(await storedIds());
      missing = records.filter((r) => !ids.has(r.id));
      return missing.length === 0;
    }, what, 15_000);
  } catch {
    assert.fail(`${what}: ${missing.length} of ${records.length} records of ${url} never stored`);
  }
}

/** The second tab's banner, once it shows `finding` (which only the first tab's page gives). */
async function otherTabShows(url, finding) {
  const tab = await openTab(browser);
  try {
    await tab.page.goto(url);
    let banner;
    await until(async () => {
      banner = await readBanner((await bannerFrame(tab.page, tab.log)).frame).catch(() => null);
      return banner?.findings.some((f) => f.id === finding);
    }, `${url} showing ${finding}`).catch(() => assert.fail(`${url}: no ${finding}; ${JSON.stringify(banner)}`));
  } finally {
    await tab.page.close();
  }
}

// The navigations as each site does them (scripts/lib/chaos.mjs; puppeteer's `evaluate` takes
// the same arguments as Playwright's).

test('pjax: the customer navigated to is stored; a Mailgun tab for the address knows the account', { timeout: 60_000 }, async () => {
  const tab = await openTab(browser);
  await tab.page.goto(fixture('ra2-customer-list-kitsune').url);
  await bannerFrame(tab.page, tab.log);
  await pjax(tab.page, fixture('ra2-customer-compact-off').url);
  await storedEventually(tab.page, 'the page reached by pjax');
  await otherTabShows(fixture('mailgun-new-logs-filtered-nakamura').url, 'account-unconfirmed');
  await tab.page.close();
});

test('Turbo Drive: the next page is stored; a Mailgun tab for the address knows the account', { timeout: 60_000 }, async () => {
  const tab = await openTab(browser);
  await tab.page.goto(fixture('ra3-customer-confirmed').url);
  await bannerFrame(tab.page, tab.log);
  await turbo(tab.page, fixture('ra3-customer-unconfirmed').url);
  await storedEventually(tab.page, 'the page reached by Turbo');
  await otherTabShows(fixture('mailgun-old-logs-gitlab-com-priya').url, 'account-unconfirmed');
  await tab.page.close();
});

test('a Mailgun route change: the new page is stored; the admin tab knows the reset went to GitLab.com', { timeout: 60_000 }, async () => {
  // A fresh store: the Turbo case above stored the GitLab.com reset's tab already.
  await store.evaluate(() => browser.storage.session.clear());
  const tab = await openTab(browser);
  await tab.page.goto(fixture('mailgun-new-logs').url);
  await bannerFrame(tab.page, tab.log);
  await route(tab.page, fixture('mailgun-old-logs-gitlab-com-priya').url);
  await storedEventually(tab.page, 'the page reached by a route change');
  await otherTabShows(fixture('ra3-customer-unconfirmed').url, 'reset-requested-on-gitlab-com');
  await tab.page.close();
});

test('a replaceState: the page at its new URL is stored', { timeout: 60_000 }, async () => {
  const tab = await openTab(browser);
  const unfiltered = fixture('mailgun-old-logs-customers').url;
  await tab.page.goto(unfiltered);
  await bannerFrame(tab.page, tab.log);
  await storedEventually(tab.page, 'the logs page');
  await replace(tab.page, `${unfiltered}?search=${encodeURIComponent('priya.raman@northwind-analytics.io')}`);
  await storedEventually(tab.page, 'the logs page at the URL replaceState gave it');
  await tab.page.close();
});
