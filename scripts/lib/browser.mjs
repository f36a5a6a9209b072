// Shared by the demo (scripts/demo.mjs) and the end-to-end tests (tests/e2e/): start Debian's
// Chromium with the built, unpacked extension, and serve the fixture pages of www/ for the real
// URLs (customers.gitlab.com, app.mailgun.com, ...) by request interception, so the extension
// runs with its real match patterns.
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from '../setup.mjs';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const WWW = join(ROOT, 'www');
export const DIST_CHROME = join(ROOT, 'dist/chrome');

/** Every fixture page of www/fixtures.json: [{ id, url, file, description, demo?, headers? }] */
export function fixtures() {
  return JSON.parse(readFileSync(join(WWW, 'fixtures.json'), 'utf8'));
}

export function fixture(id) {
  const f = fixtures().find((x) => x.id === id);
  if (!f) throw new Error(`no fixture ${id} in www/fixtures.json`);
  return f;
}

function browserPath() {
  const found = process.env.CDOT_CHROMIUM || chromiumPath();
  if (!found) throw new Error('No Chromium found: run `npm run build` (it installs Debian chromium) or set CDOT_CHROMIUM.');
  return found;
}

/**
 * Launches Chromium with the extension loaded. Returns { context, extensionId, close }.
 * `headless` defaults to true unless a display is available and CDOT_HEADED=1.
 */
export async function launch({ extensionDir = DIST_CHROME, headless = process.env.CDOT_HEADED !== '1', colorScheme } = {}) {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`${extensionDir} has no manifest.json: run \`npm run build\` first.`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'cdot-triage-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: browserPath(),
    headless,
    colorScheme,
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
  const extensionId = new URL(worker.url()).host;
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, extensionId, close };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/**
 * Serves www/ for the real hosts: a URL listed in www/fixtures.json gets its file (and headers),
 * any other path the file www/<host>/<path> if it exists, else a 404 page.
 * `overrides` maps a URL to extra response headers (e.g. a strict CSP for one test).
 */
export async function serveFixtures(context, { overrides = {} } = {}) {
  const listed = fixtures();
  const hosts = ['customers.gitlab.com', 'app.mailgun.com', 'api.mailgun.net', 'example.com'];
  for (const host of hosts) {
    await context.route(`https://${host}/**`, (route) => {
      const url = new URL(route.request().url());
      url.hash = '';
      const entry = listed.find((f) => f.url === url.href);
      let file = entry ? join(WWW, entry.file) : join(WWW, host, decodeURIComponent(url.pathname));
      if (!normalize(file).startsWith(WWW)) file = null; // no ../ out of www/
      if (file && !entry && existsSync(join(file, 'index.html'))) file = join(file, 'index.html');
      if (!file || !existsSync(file) || !statSync(file).isFile()) {
        return route.fulfill({ status: 404, contentType: 'text/html', body: '<!doctype html><title>Not found</title><h1>Not found</h1>' });
      }
      return route.fulfill({
        status: 200,
        contentType: TYPES[extname(file)] ?? 'application/octet-stream',
        headers: { ...(entry?.headers ?? {}), ...(overrides[url.href] ?? {}) },
        body: readFileSync(file),
      });
    });
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

/** What a support engineer reads in the banner, as plain data (for the demo and assertions). */
export async function readBanner(frame) {
  return frame.evaluate(() => {
    const text = (el) => el?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    return {
      subject: text(document.querySelector('.subject')),
      summary: text(document.querySelector('.summary')),
      note: text(document.querySelector('.note')),
      findings: [...document.querySelectorAll('[data-finding]')].map((f) => ({
        id: f.dataset.finding,
        severity: f.dataset.severity,
        title: text(f.querySelector('.title')),
        explanation: text(f.querySelector('.explanation')),
        evidence: [...f.querySelectorAll('.evidence li')].map(text),
        steps: [...f.querySelectorAll('a[data-step]')].map((a) => ({ id: a.dataset.step, href: a.href, label: text(a) })),
      })),
    };
  });
}
