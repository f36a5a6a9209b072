// The store's chaos harness, shared by tests/e2e/chaos*.test.mjs (which assert) and
// bench/soak.mjs (which measures): the navigations the product follows as each site does them,
// the store read from an extension page, the native model (examples/store_model.rs: the records
// a page's markup yields and the banner a store gives, computed by the same core), and the
// seeded model-based run of many tabs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, bannerFrame, fixtures } from './browser.mjs';
import { respond } from './fixtures.mjs';

const MODEL = join(ROOT, 'target', 'debug', 'examples', process.platform === 'win32' ? 'store_model.exe' : 'store_model');

/** Asks the native model (examples/store_model.rs). */
export function native(request) {
  const run = spawnSync(MODEL, { input: JSON.stringify(request), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`store_model failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** An extension page to read the store from (the worker may be stopped and replaced). */
export async function storePage(browser) {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  return page;
}
/** Every stored record: [{ id, key, expiresAt, observation, storageKey }]. */
export const storedRecords = (page) => page.evaluate(async () => {
  const all = await chrome.storage.session.get(null);
  return Object.entries(all).filter(([k]) => k.startsWith('obs:')).flatMap(([k, v]) => v.map((r) => ({ ...r, storageKey: k })));
});

/** The page's markup as the content script sends it (without the banner's host) and its URL. */
export const markupOf = (page) => page.evaluate(() => {
  const root = document.documentElement.cloneNode(true);
  root.querySelector('#cdot-triage-host')?.remove();
  return { url: location.href, html: root.outerHTML };
});

/** Polls until `check()` is truthy; throws `what` with the last value after `timeout`. */
export async function eventually(check, what, { timeout = 20_000, every = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last?.ok ?? last) return last;
    if (Date.now() > deadline) throw new Error(`${what}; last: ${JSON.stringify(last?.why ?? last)?.slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

// The navigations the product follows, as each site does them.
export const markupFor = (url) => respond(url).body.toString('utf8');
/** RailsAdmin 2.x pjax: the container swapped, the URL pushed, `pjax:end`. */
export const pjax = (page, url) => page.evaluate(({ html, url }) => {
  const next = new DOMParser().parseFromString(html, 'text/html');
  document.querySelector('[data-pjax-container]').replaceWith(document.adoptNode(next.querySelector('[data-pjax-container]')));
  history.pushState({}, '', url);
  document.dispatchEvent(new Event('pjax:end', { bubbles: true }));
}, { html: markupFor(url), url });
/** Turbo Drive: the body and title swapped, the URL pushed, `turbo:render`. */
export const turbo = (page, url) => page.evaluate(({ html, url }) => {
  const next = new DOMParser().parseFromString(html, 'text/html');
  document.title = next.title;
  document.body.replaceWith(document.adoptNode(next.body));
  history.pushState({}, '', url);
  document.dispatchEvent(new Event('turbo:render', { bubbles: true }));
}, { html: markupFor(url), url });
/** Mailgun's single-page route change: the URL pushed, the body's content replaced. */
export const route = (page, url) => page.evaluate(({ html, url }) => {
  const next = new DOMParser().parseFromString(html, 'text/html');
  history.pushState({}, '', url);
  document.title = next.title;
  for (const child of [...document.body.children]) child.remove();
  document.body.append(...[...next.body.children].map((c) => document.adoptNode(c)));
}, { html: markupFor(url), url });
/** The page's own `replaceState`: the URL changes, the markup does not. */
export const replace = (page, url) => page.evaluate((url) => history.replaceState(null, '', url), url);

/** Builds the native model's binary (quick when it is up to date). */
export function buildModel() {
  const run = spawnSync('cargo', ['build', '--quiet', '--example', 'store_model'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('cargo build --example store_model failed');
}

/** mulberry32: a small seeded PRNG. */
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


/** The pages of the model-based run: every admin and Mailgun fixture but the generated ones and
 * the page whose own script changes it every 10 ms (what a banner read of it is a moment that
 * cannot be taken again). */
export function chaosPages() {
  return fixtures().filter((f) => f.url.startsWith('https://customers.gitlab.com/admin/') || f.url.startsWith('https://app.mailgun.com/'))
    .filter((f) => !f.url.includes('rows=') && !f.url.includes('grid=') && !['ra3-customer-heavy-20mb', 'ra3-customer-ticking'].includes(f.id));
}

/**
 * The seeded model-based run: `tabs` tabs, `ops` page loads and navigations (one to three tabs
 * at once, each a full load, pjax on RailsAdmin 2.x, Turbo on 3.x, a route change or a
 * replaceState on Mailgun), and now and then Forget from a banner. After each step it waits
 * until the store holds every record the acting tabs' pages yield (natively computed), at most
 * `wait` ms; what never arrives is lost. Returns { model: Map(id → key), tabs, ops, forgets,
 * latencies (ms from a step's navigations done to its records all stored), lost, log }.
 * `strict`: throw at the first loss (the test), instead of counting it (the bench).
 */
export async function modelRun({ browser, store, seed, tabs: tabCount = 10, ops: opCount = 200, wait = 20_000, poll = 50, strict = true }) {
  const rand = prng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const pages = chaosPages();
  const kind = (url) => (url.startsWith('https://app.mailgun.com/') ? 'mailgun'
    : fixtures().find((f) => f.url === url)?.id.startsWith('ra2-') ? 'ra2' : 'ra3');
  const ofKind = (k) => pages.filter((f) => kind(f.url) === k).map((f) => f.url);
  const model = new Map();
  const tabs = [];
  for (let i = 0; i < tabCount; i++) tabs.push({ page: await browser.context.newPage(), url: null });
  const log = [];
  const latencies = [];
  let ops = 0;
  let forgets = 0;
  let lost = 0;
  while (ops < opCount) {
    const acting = [...tabs].sort(() => rand() - 0.5).slice(0, 1 + Math.floor(rand() * 3));
    const actions = acting.map((tab) => {
      const k = tab.url ? kind(tab.url) : null;
      const choices = ['load'];
      if (k === 'ra2') choices.push('pjax', 'pjax');
      if (k === 'ra3') choices.push('turbo', 'turbo');
      if (k === 'mailgun') choices.push('route', 'replace');
      const what = pick(choices);
      const url = what === 'load' ? pick(pages).url : what === 'pjax' ? pick(ofKind('ra2'))
        : what === 'turbo' ? pick(ofKind('ra3')) : pick(ofKind('mailgun'));
      return { tab, what, url };
    });
    log.push(actions.map(({ tab, what, url }) => `${tabs.indexOf(tab)}:${what} ${url}`).join(' | '));
    await Promise.all(actions.map(async ({ tab, what, url }) => {
      const { page } = tab;
      if (what === 'load') await page.goto(url);
      else if (what === 'pjax') await pjax(page, url);
      else if (what === 'turbo') await turbo(page, url);
      else if (what === 'route') await route(page, url);
      else await replace(page, url);
      tab.url = url;
    }));
    const done = performance.now();
    ops += actions.length;
    const expected = native({ command: 'records', now: Date.now(), pages: await Promise.all(actions.map(({ tab }) => markupOf(tab.page))) });
    for (const { records } of expected) for (const r of records) model.set(r.id, r.key);
    const want = expected.flatMap(({ url, records }) => records.map((r) => ({ ...r, url })));
    let missing = want;
    const deadline = done + wait;
    while (missing.length && performance.now() < deadline) {
      const ids = new Set((await storedRecords(store)).map((r) => r.id));
      missing = missing.filter((r) => !ids.has(r.id));
      if (missing.length) await new Promise((resolve) => setTimeout(resolve, poll));
    }
    if (missing.length) {
      if (strict) {
        throw new Error(`seed ${seed}, after ${ops} operations (${log.at(-1)}): observations lost: ${missing.slice(0, 5).map((r) => `${r.url} ${r.key}`).join(', ')}`);
      }
      lost += missing.length;
    } else if (want.length) {
      latencies.push(performance.now() - done);
    }
    if (rand() < 0.05) {
      const tab = pick(tabs.filter((x) => x.url));
      const frame = await bannerFrame(tab.page, browser.extensionId);
      await frame.locator('[data-action=forget]').click();
      await frame.locator('[data-action=forget-confirmed]').click();
      await eventually(async () => (await storedRecords(store)).length === 0, `seed ${seed}: Forget emptied the store`);
      model.clear();
      forgets += 1;
      log.push('forget');
    }
  }
  return { model, tabs, ops, forgets, latencies, lost, log };
}
