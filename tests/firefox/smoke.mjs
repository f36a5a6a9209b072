// Firefox smoke test: the built Firefox extension (dist/firefox) renders its banner on a
// CustomersDot admin page, also under a strict CSP, leaves unrelated sites alone, and two tabs
// share evidence through the background's store (Firefox's extension frames have no storage
// API of their own).
//
//   node tests/firefox/smoke.mjs          (CDOT_FIREFOX=/path/to/firefox, default firefox-esr)
//
// How it works, and what was found out to make it work in Firefox ESR 153:
// - puppeteer-core drives Firefox over WebDriver BiDi; `browser.installExtension(dir)` installs
//   dist/firefox as a *temporary* add-on into the fresh profile puppeteer creates (and deletes).
// - Real hosts are unreachable here, so pages are served for their real https URLs by request
//   interception (`page.setRequestInterception(true)` + `request.respond()`, which puppeteer
//   maps to BiDi network.addIntercept / network.provideResponse). Response headers given to
//   respond() (the CSP below) are applied by Firefox like real ones.
// - Host permission: in Firefox MV3 the hosts of `content_scripts.matches` are host
//   permissions the user may withhold; the content script runs only while they are granted.
//   Firefox grants them at install time when the pref `extensions.originControls.grantByDefault`
//   is true (its default), and that applies to temporary add-ons installed over BiDi too.
//   Verified: with the pref set to false, no `#cdot-triage-host` is inserted. The test sets
//   the pref explicitly (same as a user accepting the install prompt) so that a changed
//   default cannot silently turn the first two tests into "no banner" failures.
//   (`permissions.contains()` cannot be asked from the banner frame: Firefox gives an extension
//   frame embedded in a web page only the content-script API set - runtime, i18n, storage,
//   extension, ... - no permissions or tabs; see w3c/webextensions#787.)
// - `extensions.webextensions.uuids` pins the extension's moz-extension:// UUID, so the banner
//   frame's URL is known in advance.
// - Puppeteer (BiDi) does not see the iframe's navigation to moz-extension://: the banner
//   frame keeps `frame.url() === 'about:blank'` although it has loaded banner.html. The frame
//   is therefore found by evaluating `location.href` in each child frame.
// - Navigating a tab to a moz-extension:// URL over BiDi is refused ("not allowed in this
//   context") unless Firefox runs with `--remote-allow-system-access`: the popup and options
//   page are tested that way in pages.mjs, this file runs without it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WWW, fixture, respond } from '../../scripts/lib/fixtures.mjs';
import { BANNER_PREFIX, BANNER_TIMEOUT, bannerFrame, closeFirefox, emailOf, launchFirefox, openTab as openTabIn, readBanner } from './lib.mjs';

const CUSTOMER = 'ra3-customer-unconfirmed';
const STRICT_CSP = "default-src 'self'; script-src 'self'";

let browser;

before(async () => {
  browser = await launchFirefox();
});

after(() => closeFirefox(browser));

const openTab = (extraHeaders) => openTabIn(browser, extraHeaders);

/** Loads the customer fixture (with `headers` on top of its own) and checks its banner. */
async function checkCustomerBanner(headers = {}) {
  const { url, file } = fixture(CUSTOMER);
  const email = emailOf(readFileSync(join(WWW, file), 'utf8'));
  const { page, log } = await openTab({ [url]: headers });
  try {
    const started = Date.now();
    const response = await page.goto(url, { waitUntil: 'load' });
    assert.equal(response?.status(), 200, `fixture ${url} was not served`);
    const { frame, href } = await bannerFrame(page, log);
    const elapsed = Date.now() - started;
    assert.match(href, /^moz-extension:\/\/[^/]+\/banner\.html#.+/, 'banner frame URL carries its token');
    const banner = await readBanner(frame);
    assert.equal(banner.subject, email, '.subject shows the Email field of the page');
    const finding = banner.findings.find((f) => f.id === 'account-unconfirmed');
    assert.ok(finding, `finding account-unconfirmed among ${JSON.stringify(banner.findings.map((f) => f.id))}`);
    const step = finding.steps.find((s) => s.id === 'resend-confirmation');
    assert.ok(step, `step resend-confirmation among ${JSON.stringify(finding.steps)}`);
    assert.equal(step.href, 'https://customers.gitlab.com/customers/confirmation/new');
    const violations = await page.evaluate(() => window.__cspViolations);
    return { page, log, violations, elapsed, banner };
  } catch (error) {
    await page.close().catch(() => {});
    throw error;
  }
}

test('customer page: banner frame shows account-unconfirmed, its step and the subject', { timeout: 30_000 }, async () => {
  const { page, elapsed } = await checkCustomerBanner();
  console.log(`# banner rendered ${elapsed} ms after navigation start`);
  await page.close();
});

test(`customer page with CSP "${STRICT_CSP}": same banner, no violation from the extension`, { timeout: 30_000 }, async () => {
  const { page, violations, elapsed } = await checkCustomerBanner({ 'Content-Security-Policy': STRICT_CSP });
  try {
    console.log(`# banner rendered ${elapsed} ms after navigation start (strict CSP); ` +
      `violations caused by the page itself: ${JSON.stringify(violations)}`);
    // The extension caused no violation (no blocked WASM compile, eval or extension resource).
    const byExtension = violations.filter((v) => /eval|wasm|moz-extension/.test(`${v.blocked} ${v.source}`));
    assert.deepEqual(byExtension, [], 'CSP violations caused by the extension');
    // The header really reached the page: an inline script is blocked and reported.
    const probe = await page.evaluate(async () => {
      const before = window.__cspViolations.length;
      const script = document.createElement('script');
      script.textContent = 'document.documentElement.dataset.cdotInlineRan = "yes"';
      document.head.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return { ran: document.documentElement.dataset.cdotInlineRan === 'yes', reported: window.__cspViolations.length > before };
    });
    assert.deepEqual(probe, { ran: false, reported: true }, 'the strict CSP is in force on the page');
  } finally {
    await page.close();
  }
});

test('https://example.com/ gets no #cdot-triage-host', { timeout: 30_000 }, async () => {
  const { page } = await openTab();
  try {
    const response = await page.goto('https://example.com/', { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    // Content scripts run at document_start; give them ample time all the same.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await page.evaluate(() => document.getElementById('cdot-triage-host') === null), true);
    assert.equal(page.frames().length, 1, 'no child frame on the page');
  } finally {
    await page.close();
  }
});
// Issue #18: a page outside /admin embeds its own copy of banner.html (web-accessible on both
// origins) with a token of its choosing and sends a forged snapshot claiming a Mailgun logs
// page with a GitLab.com reset to Priya. Were it stored, Priya's admin page would then show
// "reset requested on GitLab.com" (as the next test shows for the real Mailgun page).
test('a page cannot store forged evidence through its own copy of the banner frame', { timeout: 40_000 }, async () => {
  const forger = await openTab();
  const admin = await openTab();
  try {
    const claimed = fixture('mailgun-old-logs-gitlab-com-priya').url;
    const markup = respond(claimed).body.toString('utf8');
    const script = `(() => {
      const token = 'f0f0f0f0-forged-token-0123456789';
      const frame = document.createElement('iframe');
      frame.src = '${BANNER_PREFIX}#' + token;
      frame.addEventListener('load', () => {
        const channel = new MessageChannel();
        frame.contentWindow.postMessage({ type: 'cdot-triage/hello', token }, '*', [channel.port2]);
        channel.port1.postMessage({ type: 'snapshot', url: ${JSON.stringify(claimed)}, title: 'Logs', html: ${JSON.stringify(markup)}, inputs: [] });
        window.__forged = true;
      });
      document.documentElement.append(frame);
    })();`;
    // The sign-in page (no content script runs there), and a script of its own.
    await forger.page.goto('https://customers.gitlab.com/customers/sign_in');
    await forger.page.evaluate(script);
    const deadline = Date.now() + BANNER_TIMEOUT;
    while (!(await forger.page.evaluate(() => window.__forged === true)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await forger.page.evaluate(() => window.__forged === true), true, 'the forged frame loaded and got its snapshot');
    await new Promise((r) => setTimeout(r, 4500)); // past the background's wait for a vouch
    await admin.page.goto(fixture(CUSTOMER).url);
    await bannerFrame(admin.page, admin.log);
    await new Promise((r) => setTimeout(r, 1500)); // the store's records, after the page's own
    const { frame } = await bannerFrame(admin.page, admin.log);
    const banner = await readBanner(frame);
    assert.ok(banner.findings.some((f) => f.id === 'account-unconfirmed'), JSON.stringify(banner));
    assert.ok(!banner.findings.some((f) => f.id === 'reset-requested-on-gitlab-com'), `forged evidence shown: ${JSON.stringify(banner.findings)}`);
  } finally {
    await forger.page.close();
    await admin.page.close();
  }
});

test('two tabs share evidence through the background store', { timeout: 30_000 }, async () => {
  const admin = await openTab();
  const mailgun = await openTab();
  try {
    await admin.page.goto(fixture(CUSTOMER).url);
    await bannerFrame(admin.page, admin.log);
    await mailgun.page.goto(fixture('mailgun-old-logs-gitlab-com-priya').url);
    // The Mailgun page alone has no account facts: account-unconfirmed comes from the store.
    const deadline = Date.now() + BANNER_TIMEOUT;
    let banner;
    do {
      const { frame } = await bannerFrame(mailgun.page, mailgun.log);
      banner = await readBanner(frame);
      if (banner.findings.some((f) => f.id === 'account-unconfirmed')) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    assert.ok(banner.findings.some((f) => f.id === 'account-unconfirmed'), JSON.stringify(banner));
  } finally {
    await admin.page.close();
    await mailgun.page.close();
  }
});
