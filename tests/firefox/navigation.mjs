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
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, fixture, respond } from '../../scripts/lib/fixtures.mjs';
import { EXTENSION_ORIGIN, bannerFrame, closeFirefox, launchFirefox, openTab, readBanner, until } from './lib.mjs';

const MODEL = join(ROOT, 'target', 'debug', 'examples', 'store_model');

let browser;
let store;

before(async () => {
  const built = spawnSync('cargo', ['build', '--quiet', '--example', 'store_model'], { cwd: ROOT, stdio: 'inherit' });
  assert.equal(built.status, 0, 'cargo build --example store_model');
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
  const { url, html } = await page.evaluate(() => {
    const root = document.documentElement.cloneNode(true);
    root.querySelector('#cdot-triage-host')?.remove();
    return { url: location.href, html: root.outerHTML };
  });
  const run = spawnSync(MODEL, { input: JSON.stringify({ command: 'records', now: Date.now(), pages: [{ url, html }] }), encoding: 'utf8', maxBuffer: 1 << 28 });
  const [{ records }] = JSON.parse(run.stdout);
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

const markupFor = (url) => respond(url).body.toString('utf8');

test('pjax: the customer navigated to is stored; a Mailgun tab for the address knows the account', { timeout: 60_000 }, async () => {
  const tab = await openTab(browser);
  await tab.page.goto(fixture('ra2-customer-list-kitsune').url);
  await bannerFrame(tab.page, tab.log);
  const url = fixture('ra2-customer-compact-off').url;
  await tab.page.evaluate(({ html, url }) => {
    const next = new DOMParser().parseFromString(html, 'text/html');
    document.querySelector('[data-pjax-container]').replaceWith(document.adoptNode(next.querySelector('[data-pjax-container]')));
    history.pushState({}, '', url);
    document.dispatchEvent(new Event('pjax:end', { bubbles: true }));
  }, { html: markupFor(url), url });
  await storedEventually(tab.page, 'the page reached by pjax');
  await otherTabShows(fixture('mailgun-new-logs-filtered-nakamura').url, 'account-unconfirmed');
  await tab.page.close();
});

test('Turbo Drive: the next page is stored; a Mailgun tab for the address knows the account', { timeout: 60_000 }, async () => {
  const tab = await openTab(browser);
  await tab.page.goto(fixture('ra3-customer-confirmed').url);
  await bannerFrame(tab.page, tab.log);
  const url = fixture('ra3-customer-unconfirmed').url;
  await tab.page.evaluate(({ html, url }) => {
    const next = new DOMParser().parseFromString(html, 'text/html');
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
    history.pushState({}, '', url);
    document.dispatchEvent(new Event('turbo:render', { bubbles: true }));
  }, { html: markupFor(url), url });
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
  const url = fixture('mailgun-old-logs-gitlab-com-priya').url;
  await tab.page.evaluate(({ html, url }) => {
    const next = new DOMParser().parseFromString(html, 'text/html');
    history.pushState({}, '', url);
    document.title = next.title;
    for (const child of [...document.body.children]) child.remove();
    document.body.append(...[...next.body.children].map((c) => document.adoptNode(c)));
  }, { html: markupFor(url), url });
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
  await tab.page.evaluate((url) => history.replaceState(null, '', url), `${unfiltered}?search=${encodeURIComponent('priya.raman@northwind-analytics.io')}`);
  await storedEventually(tab.page, 'the logs page at the URL replaceState gave it');
  await tab.page.close();
});
