// Shared by the demo (scripts/demo.mjs) and the end-to-end tests (tests/e2e/): start Debian's
// Chromium with the built, unpacked extension, and serve the fixture pages of www/ for the real
// URLs (customers.gitlab.com, app.mailgun.com, ...) by request interception, so the extension
// runs with its real match patterns.
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath } from '../setup.mjs';
import { ROOT, fixture, respond } from './fixtures.mjs';

export { ROOT, fixture, fixtures } from './fixtures.mjs';

export const DIST_CHROME = join(ROOT, 'dist/chrome');

function browserPath() {
  const found = process.env.CDOT_CHROMIUM || chromiumPath();
  if (!found) throw new Error('No Chromium found: run `npm run build` (it installs Debian chromium) or set CDOT_CHROMIUM.');
  return found;
}

/**
 * Launches Chromium with the extension loaded. Returns { context, extensionId, close }.
 * `headless` defaults to true unless a display is available and CDOT_HEADED=1.
 *
 * `timezoneId`: the browser's time zone (times a page shows without a zone are read in it).
 * `grantedOrigins`: optional host permissions the engineer has already allowed. A permission
 * prompt cannot be answered by automation (Playwright declines to), so the profile is made as
 * Chromium leaves it after "Allow": the origins are written to the extension's granted and
 * active permissions in the profile's Preferences between a first and a second start.
 */
export async function launch({ extensionDir = DIST_CHROME, headless = process.env.CDOT_HEADED !== '1', colorScheme, timezoneId, grantedOrigins = [] } = {}) {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`${extensionDir} has no manifest.json: run \`npm run build\` first.`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'cdot-triage-profile-'));
  const start = async () => {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: browserPath(),
      headless,
      colorScheme,
      timezoneId,
      viewport: { width: 1280, height: 860 },
      args: [
        ...(headless ? ['--headless=new'] : []),
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run',
      ],
    });
    let [worker] = context.serviceWorkers();
    if (!worker) worker = await context.waitForEvent('serviceworker');
    return { context, worker, extensionId: new URL(worker.url()).host };
  };
  let { context, worker, extensionId } = await start();
  if (grantedOrigins.length) {
    await context.close();
    const prefsFile = join(userDataDir, 'Default', 'Preferences');
    const prefs = JSON.parse(readFileSync(prefsFile, 'utf8'));
    const settings = prefs.extensions?.settings?.[extensionId];
    if (!settings) throw new Error('the extension is not in the profile preferences');
    for (const key of ['granted_permissions', 'active_permissions']) {
      settings[key] ??= {};
      settings[key].explicit_host = [...new Set([...(settings[key].explicit_host ?? []), ...grantedOrigins])];
    }
    writeFileSync(prefsFile, JSON.stringify(prefs));
    ({ context, worker, extensionId } = await start());
  }
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, extensionId, worker, close };
}

/** Serves www/ for the real hosts (see fixtures.mjs `respond`). */
export async function serveFixtures(context, { overrides = {} } = {}) {
  for (const host of ['customers.gitlab.com', 'app.mailgun.com', 'api.mailgun.net', 'gitlab.com', 'example.com']) {
    await context.route(`https://${host}/**`, (route) => route.fulfill(respond(route.request().url(), overrides)));
  }
}

/** The banner frame of a page, once the WASM module has rendered into it. */
export async function bannerFrame(page, extensionId, { timeout = 10_000 } = {}) {
  const prefix = `chrome-extension://${extensionId}/banner.html`;
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = page.frames().find((f) => f.url().startsWith(prefix));
    if (frame) {
      await frame.locator('#banner section.banner').waitFor({ timeout: Math.max(1, deadline - Date.now()) });
      return frame;
    }
    if (Date.now() > deadline) throw new Error(`no banner frame on ${page.url()}`);
    await page.waitForTimeout(50);
  }
}

/**
 * Polls a page's banner until `check(banner)` holds: the content script debounces changes and a
 * frame may be replaced meanwhile. Throws with the last banner seen.
 */
export async function bannerUntil(page, extensionId, check, what, { timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await readBanner(await bannerFrame(page, extensionId, { timeout: 2000 }));
      if (check(last)) return last;
    } catch {
      // the frame is being replaced
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`${page.url()}: banner never showed ${what}; last: ${JSON.stringify(last)?.slice(0, 800)}`);
}

/** Opens a www/ fixture (by id) in `page` and returns what its banner shows. */
export async function visitFixture(page, extensionId, id) {
  await page.goto(fixture(id).url);
  return readBanner(await bannerFrame(page, extensionId));
}

/**
 * The lines of each "Evidence (N)" in `root`, read as the engineer reads them: a closed list
 * (its lines are built when it opens) is opened by clicking its summary, read, and closed
 * again. Returns, per `details.evidence`, whether it was open and its lines.
 */
const READ_EVIDENCE = async (root) => {
  const text = (el) => el?.textContent.replace(/\s+/g, ' ').trim() ?? null;
  const unread = () => [...root.querySelectorAll('details.evidence')].filter((d) => !d.querySelector(':scope > .evidence-lines'));
  const opened = new Set();
  // Open every list without lines (one the banner replaced meanwhile is opened again), wait
  // for their lines, then read them all at once, so the whole read is of one render.
  for (let round = 0; round < 20 && unread().length > 0; round++) {
    for (const d of unread()) {
      if (!d.open) {
        d.querySelector(':scope > summary').click();
        opened.add(d);
      }
    }
    for (let i = 0; i < 50 && unread().some((d) => d.open); i++) await new Promise((r) => setTimeout(r, 10));
  }
  const out = new Map();
  for (const d of root.querySelectorAll('details.evidence')) {
    out.set(d, { open: d.open && !opened.has(d), lines: [...d.querySelectorAll('.evidence-lines > li')].map(text) });
  }
  for (const d of opened) if (d.open) d.querySelector(':scope > summary').click();
  return out;
};

/** What a support engineer reads in the banner, as plain data (for the demo and assertions). */
export async function readBanner(frame) {
  // One expression (the page's CSP allows no eval; Playwright evaluates it as its own).
  return frame.evaluate(`(${async (readEvidence) => {
    const text = (el) => el?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    const evidence = await readEvidence(document);
    const of = (f) => evidence.get(f.querySelector('details.evidence')) ?? null;
    return {
      subject: text(document.querySelector('.subject')),
      summary: text(document.querySelector('.summary')),
      note: text(document.querySelector('.note')),
      // The verdict (one sentence and the one thing to do now) and the ordered plan.
      verdict: text(document.querySelector('[data-verdict] .verdict-text')),
      plan: [...document.querySelectorAll('ol[data-plan] > li')].map((li) => {
        const a = li.querySelector('a[data-step]');
        return { id: a?.dataset.step ?? null, href: a?.href ?? null, label: text(a), finding: li.dataset.planOf ?? null };
      }),
      facts: Object.fromEntries([...document.querySelectorAll('[data-fact]')].map((f) => [f.dataset.fact, text(f.querySelector('dd'))])),
      rows: [...document.querySelectorAll('.rows [data-row-id], .rows li')].filter((r, i, all) => all.indexOf(r) === i).map((r) => ({
        id: r.dataset.rowId ?? null,
        email: text(r.querySelector('.email')),
        href: r.querySelector('a.email')?.href ?? null,
        name: text(r.querySelector('.name')),
        hints: [...r.querySelectorAll('.hint')].map(text),
      })),
      recipients: Object.fromEntries([...document.querySelectorAll('[data-recipient]')].map((r) => [
        r.dataset.recipient,
        [...r.querySelectorAll('[data-event]')].map((e) => ({
          domain: e.dataset.domain, kind: e.dataset.kind, outcome: e.dataset.outcome, text: text(e),
        })),
      ])),
      recipientHints: Object.fromEntries([...document.querySelectorAll('[data-recipient]')].map((r) => [
        r.dataset.recipient, [...r.querySelectorAll(':scope > .hint')].map(text),
      ])),
      problems: [...document.querySelectorAll('.problem')].map(text),
      findings: [...document.querySelectorAll('[data-finding]')].map((f) => ({
        id: f.dataset.finding,
        severity: f.dataset.severity,
        title: text(f.querySelector('.title')),
        explanation: text(f.querySelector('.explanation')),
        // The evidence lines as the engineer reads them once "Evidence (N)" is open (a closed
        // list is opened to read it, then closed again; `evidenceOpen` is as it was found).
        evidenceLabel: text(f.querySelector('.evidence > summary')),
        evidenceOpen: of(f)?.open ?? null,
        evidence: of(f)?.lines ?? [],
        steps: [...f.querySelectorAll('a[data-step]')].map((a) => ({ id: a.dataset.step, href: a.href, label: text(a) })),
      })),
    };
  }})(${READ_EVIDENCE})`);
}

/** What the engineer reads in the popup, as plain data. */
export async function readPopup(page) {
  return page.evaluate(`(${async (readEvidence) => {
    const text = (el) => el?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    const evidence = await readEvidence(document);
    return {
      input: document.querySelector('#email').value,
      invalid: document.querySelector('#email').getAttribute('aria-invalid'),
      message: text(document.querySelector('#message')),
      subject: text(document.querySelector('#result .subject')),
      verdict: text(document.querySelector('#result [data-verdict] .verdict-text')),
      plan: [...document.querySelectorAll('#result ol[data-plan] > li a[data-step]')].map((a) => a.dataset.step),
      sources: Object.fromEntries([...document.querySelectorAll('[data-source]')].map((s) => [
        s.dataset.source, { state: s.dataset.state, text: text(s.querySelector('.text')), link: s.querySelector('a')?.href ?? null },
      ])),
      findings: [...document.querySelectorAll('[data-finding]')].map((f) => ({
        id: f.dataset.finding, title: text(f.querySelector('.title')), explanation: text(f.querySelector('.explanation')),
        evidence: evidence.get(f.querySelector('details.evidence'))?.lines ?? [],
      })),
      links: [...document.querySelectorAll('.links a[data-step]')].map((a) => ({ id: a.dataset.step, href: a.href, target: a.target })),
      observed: [...document.querySelectorAll('[data-observed]')].map((o) => ({ kind: o.dataset.observed, text: text(o) })),
      recent: [...document.querySelectorAll('#recent [data-email]')].map((b) => b.dataset.email),
      html: document.documentElement.outerHTML,
    };
  }})(${READ_EVIDENCE})`);
}

export async function popupUntil(page, check, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await readPopup(page);
    if (check(last)) return last;
    await page.waitForTimeout(100);
  }
  const { html, ...shown } = last;
  throw new Error(`popup never showed ${what}; last: ${JSON.stringify(shown).slice(0, 1500)}`);
}

/** Every live look-up source of a popup search has an outcome (none is still waiting). */
export const sourcesSettled = (p) => Object.values(p.sources).length > 0 && Object.values(p.sources).every((s) => s.state !== 'waiting');
