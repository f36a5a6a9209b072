// What the Firefox tests share (tests/firefox/smoke.mjs: the banner; tests/firefox/pages.mjs:
// the popup and the options page): launching Firefox ESR with dist/firefox installed, tabs that
// serve www/ for the real https URLs, and finding the banner frame. How each part was made to
// work in Firefox is explained at the top of smoke.mjs (the banner) and pages.mjs (extension
// pages).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { ROOT, respond } from '../../scripts/lib/fixtures.mjs';

export const EXTENSION_DIR = join(ROOT, 'dist/firefox');
export const FIREFOX = process.env.CDOT_FIREFOX || '/usr/bin/firefox-esr';
export const EXTENSION_ID = 'cdot-triage@cdot-triage';
export const EXTENSION_UUID = '3c0d7f1a-9e2b-4c6d-8a5f-1b2c3d4e5f60';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
export const BANNER_PREFIX = `${EXTENSION_ORIGIN}/banner.html`;
export const BANNER_TIMEOUT = 10_000;

/** The text of the RailsAdmin show page's Email field. */
export function emailOf(html) {
  const match = /email_field[\s\S]*?class="card-body">\s*([^\s<]+)/.exec(html);
  if (!match) throw new Error('no Email field in the fixture page');
  return match[1];
}

/**
 * Firefox ESR with dist/firefox installed as a temporary add-on in a fresh profile. `args` go
 * to Firefox's command line (pages.mjs adds `--remote-allow-system-access`).
 */
export async function launchFirefox({ args = [] } = {}) {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`${EXTENSION_DIR} has no manifest.json: run \`node scripts/build.mjs\` first`);
  }
  if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX} (set CDOT_FIREFOX)`);
  const launchedAt = Date.now();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args,
    // No userDataDir: puppeteer creates a fresh temporary profile and removes it on close.
    extraPrefsFirefox: {
      'extensions.originControls.grantByDefault': true,
      'extensions.webextensions.uuids': JSON.stringify({ [EXTENSION_ID]: EXTENSION_UUID }),
    },
  });
  const id = await browser.installExtension(EXTENSION_DIR);
  assert.equal(id, EXTENSION_ID);
  console.log(`# Firefox ${await browser.version()} started, extension installed in ${Date.now() - launchedAt} ms`);
  return browser;
}

/** Closes Firefox, killing it if it does not close within 10 s. */
export async function closeFirefox(browser) {
  if (!browser) return;
  const proc = browser.process();
  const closing = Date.now();
  let timer;
  try {
    await Promise.race([browser.close(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('close timed out')), 10_000); })]);
    console.log(`# browser closed in ${Date.now() - closing} ms`);
  } catch (error) {
    console.error(`# browser.close() failed (${error.message}); killing Firefox pid ${proc?.pid}`);
    proc?.kill('SIGKILL');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A new tab that serves www/ for the real https URLs (scripts/lib/fixtures.mjs `respond`, plus
 * `extraHeaders[url]`). Collects console messages and CSP violations for diagnostics.
 */
export async function openTab(browser, extraHeaders = {}) {
  const page = await browser.newPage();
  const log = [];
  page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  // Recorded from document start, before the content script runs.
  await page.evaluateOnNewDocument(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile });
    }, true);
  });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = new URL(request.url());
    if (url.protocol !== 'https:') return request.continue(); // data:, about:, moz-extension:
    return request.respond(respond(url.href, extraHeaders));
  });
  return { page, log };
}

/** The banner frame of `page` once the WASM module has rendered `section.banner` into it. */
export async function bannerFrame(page, log) {
  const deadline = Date.now() + BANNER_TIMEOUT;
  for (;;) {
    const seen = [];
    let unrendered = null;
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      let href = frame.url();
      if (!href.startsWith('moz-extension://')) {
        // Puppeteer's frame.url() stays 'about:blank' for the extension frame: ask the frame.
        href = await frame.evaluate(() => location.href).catch(() => href);
      }
      seen.push(href);
      if (href.startsWith(BANNER_PREFIX)) {
        const rendered = await frame.evaluate(() => !!document.querySelector('#banner section.banner')).catch(() => false);
        if (rendered) return { frame, href };
        unrendered = frame;
      }
    }
    if (Date.now() > deadline) {
      const host = await page.evaluate(() => !!document.getElementById('cdot-triage-host')).catch(() => 'unknown');
      let why = host === false
        ? 'the content script did not run (host permission not granted, or match patterns changed?)'
        : 'no banner.html frame';
      if (unrendered) why = `banner.html loaded but rendered nothing: ${JSON.stringify(await frameDiagnostics(unrendered))}`;
      throw new Error(`no rendered banner frame on ${page.url()} after ${BANNER_TIMEOUT} ms: ${why}; ` +
        `#cdot-triage-host present: ${host}; child frames: ${JSON.stringify(seen)}; ` +
        `page messages: ${JSON.stringify(log)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Why a banner frame stayed empty. Firefox does not report an extension frame's console
 * messages or errors over BiDi (page.on('console') never sees them), so this looks at the
 * frame's state and initialises the WASM module a second time to catch its error.
 */
async function frameDiagnostics(frame) {
  return frame.evaluate(async () => {
    const result = {
      readyState: document.readyState,
      banner: document.getElementById('banner')?.outerHTML.slice(0, 500) ?? null,
    };
    try {
      const glue = await import(new URL('pkg/cdot_triage.js', location.href).href);
      await glue.default({ module_or_path: new URL('pkg/cdot_triage_bg.wasm', location.href) });
      result.wasmInit = 'ok';
    } catch (error) {
      result.wasmInit = `${error?.name}: ${error?.message}`;
    }
    return result;
  }).catch((error) => ({ evaluateFailed: error.message }));
}

/** The banner's subject and findings (with their steps). */
export async function readBanner(frame) {
  return frame.evaluate(() => {
    const text = (el) => el?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    return {
      subject: text(document.querySelector('.subject')),
      findings: [...document.querySelectorAll('li[data-finding]')].map((li) => ({
        id: li.dataset.finding,
        steps: [...li.querySelectorAll('a[data-step]')].map((a) => ({ id: a.dataset.step, href: a.href })),
      })),
    };
  });
}

/** Polls `check()` every 100 ms until it returns a truthy value; throws with `what` after `timeout`. */
export async function until(check, what, timeout = BANNER_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
