// End-to-end: the built extension (dist/chrome) in Chromium, on fixture pages served for the
// real CustomersDot URLs. Every assertion reads what the extension's own frame rendered.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, fixture, launch, readBanner, serveFixtures, visitFixture } from '../../scripts/lib/browser.mjs';
import { respond } from '../../scripts/lib/fixtures.mjs';

const STRICT_CSP = "default-src 'self'; script-src 'self'";
const RESEND = 'https://customers.gitlab.com/customers/confirmation/new';

// Records CSP violations the page sees (runs in the page's main world before its scripts).
const recordViolations = () => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
};

/** Whether the content script inserted its host element within `ms` of the page load. */
async function hasHost(page, ms = 1500) {
  try {
    await page.locator('#cdot-triage-host').waitFor({ state: 'attached', timeout: ms });
    return true;
  } catch {
    return false;
  }
}

describe('banner on CustomersDot admin pages', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
    page = await browser.context.newPage();
  });
  after(() => browser?.close());

  const visit = (id) => visitFixture(page, browser.extensionId, id);

  test('unconfirmed account (3.x, "Confirmed at" absent): names the email, flags account-unconfirmed', async () => {
    const b = await visit('ra3-customer-unconfirmed');
    assert.equal(b.subject, 'Priya.Raman@northwind-analytics.io');
    assert.equal(b.summary, '1 problem');
    const [first, ...rest] = b.findings;
    assert.equal(first.id, 'account-unconfirmed');
    assert.equal(first.severity, 'problem');
    assert.match(first.evidence[0], /“Confirmed at” on the account page: absent \(blank\)/);
    assert.match(first.evidence[1], /“Confirmation sent at” on the account page: 2026-11-19 16:42 UTC/);
    assert.deepEqual(first.steps.map((s) => [s.id, s.href]), [['resend-confirmation', RESEND]]);
    assert.deepEqual(rest.map((f) => f.id), ['missing-evidence']);
    assert.deepEqual(b.facts, {
      confirmed_at: 'blank (not shown)',
      confirmation_sent_at: '2026-11-19 16:42 UTC',
      unconfirmed_email: 'blank (not shown)',
      reset_password_sent_at: '2026-11-21 08:15 UTC',
      sign_in_count: '0',
      current_sign_in_at: 'blank (not shown)',
      last_sign_in_at: 'blank (not shown)',
      locked_at: 'blank (not shown)',
      failed_attempts: '0',
      login_activated: 'yes',
      provider: 'blank (not shown)',
      uid: 'blank (not shown)',
    });
  });

  test('confirmed account (3.x, page has its own strict CSP): account-confirmed, no problem', async () => {
    const b = await visit('ra3-customer-confirmed');
    assert.equal(b.subject, 'lena.vogt@alpenrad-logistik.de');
    assert.equal(b.summary, 'no problem found');
    assert.deepEqual(b.findings.map((f) => f.id), ['account-confirmed', 'missing-evidence']);
    assert.match(b.findings[0].evidence[0], /“Confirmed at” on the account page: 2025-02-14 09:31 UTC/);
    assert.equal(b.facts.confirmed_at, '2025-02-14 09:31 UTC');
    assert.equal(b.facts.sign_in_count, '27');
    assert.equal(b.facts.current_sign_in_at, '2026-11-20 10:03 UTC');
    assert.equal(b.facts.failed_attempts, '2');
    assert.equal(b.facts.uid, '9136542');
    assert.equal(b.facts.locked_at, 'blank (not shown)');
  });

  test('RailsAdmin 2.x with compact show view off: " - " in "Confirmed at" is unconfirmed', async () => {
    const b = await visit('ra2-customer-compact-off');
    assert.equal(b.subject, 't.nakamura@kitsune-robotics.jp');
    assert.equal(b.findings[0].id, 'account-unconfirmed');
    assert.match(b.findings[0].evidence[0], /“Confirmed at” on the account page: blank/);
    assert.equal(b.findings[0].steps[0].href, RESEND);
    assert.equal(b.facts.confirmed_at, 'blank');
    assert.equal(b.facts.unconfirmed_email, 'takeshi.nakamura@kitsune-robotics.co.jp');
    assert.equal(b.facts.locked_at, 'blank');
    assert.equal(b.facts.login_activated, 'yes');
  });

  test('another model (Billing account): a quiet note, no findings', async () => {
    const b = await visit('ra3-billing-account');
    assert.equal(b.subject, null);
    assert.equal(b.note, 'Billing account page: no account facts on this page.');
    assert.deepEqual(b.findings, []);
  });

  test('the frame sizes itself to the banner, pushing the page down', async () => {
    await visit('ra3-customer-unconfirmed');
    await page.waitForFunction(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height > 100);
    const host = await page.locator('#cdot-triage-host').boundingBox();
    const heading = await page.locator('h1').boundingBox();
    assert.ok(heading.y >= host.y + host.height, `h1 at ${heading.y} is under the banner (${host.y}+${host.height})`);
  });

  test('dismiss removes the banner from the page', async () => {
    await visit('ra3-customer-unconfirmed');
    const frame = await bannerFrame(page, browser.extensionId);
    // Clicked from inside the frame: Playwright's own click and key press can wait forever on
    // the frame the click removes. The frame may be gone before evaluate returns: expected.
    await frame
      .evaluate(() => document.querySelector('[data-action="dismiss"]').click())
      .catch((error) => assert.match(String(error), /detached|destroyed|closed/i));
    await page.locator('#cdot-triage-host').waitFor({ state: 'detached', timeout: 5000 });
  });

  test('the frame is built while the page still loads; the page keeps its <head>', async () => {
    // The admin's <head> waits for its JavaScript: here a script served 1.5 s late.
    const show = fixture('ra3-customer-unconfirmed');
    const url = `${show.url}?slow-head`;
    const html = respond(show.url).body.toString('utf8').replace('</head>', '<script src="/assets/slow-head.js"></script></head>');
    await page.route(url, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await page.route('**/assets/slow-head.js', async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await r.fulfill({ status: 200, contentType: 'text/javascript', body: 'window.__slowHeadRan = true;' });
    });
    try {
      await page.goto(url, { waitUntil: 'commit' });
      const host = await page.waitForFunction(() => {
        const el = document.getElementById('cdot-triage-host');
        return el && { parsing: document.readyState === 'loading', first: document.documentElement.firstElementChild === el };
      }, null, { polling: 10, timeout: 5000 }).then((h) => h.jsonValue());
      assert.deepEqual(host, { parsing: true, first: true }, 'the host is first in <html> before the page is parsed');
      // The frame has its page and module ready while the page's script is still on its way.
      const prefix = `chrome-extension://${browser.extensionId}/banner.html`;
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        const frame = page.frames().find((f) => f.url().startsWith(prefix));
        // (A release build has no performance marks.) The module, once ready, connects to the
        // background's store: its port is there, vouched for.
        ready = !!frame && await browser.worker.evaluate((url) => connectedPages().includes(url), frame.url()).catch(() => false);
        if (!ready) await page.waitForTimeout(10);
      }
      assert.equal(ready, true, 'the WASM module is ready in the frame');
      assert.equal(await page.evaluate(() => document.readyState), 'loading', 'before the page is parsed');
      // Then the page is read as usual, and its <head> is still its own.
      const b = await readBanner(await bannerFrame(page, browser.extensionId));
      assert.equal(b.subject, 'Priya.Raman@northwind-analytics.io');
      assert.equal(b.findings[0].id, 'account-unconfirmed');
      assert.deepEqual(await page.evaluate(() => [window.__slowHeadRan, document.head.querySelectorAll('link[rel=stylesheet], script[src]').length]), [true, 2]);
    } finally {
      await page.unrouteAll();
    }
  });

  test('a page that removes the host while it loads still gets its banner once parsed', async () => {
    const show = fixture('ra3-customer-unconfirmed');
    const url = `${show.url}?host-removed`;
    const html = respond(show.url).body.toString('utf8')
      .replace('<head>', "<head><script>document.getElementById('cdot-triage-host').remove(); window.__removed = true;</script>");
    await page.route(url, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    try {
      await page.goto(url);
      assert.equal(await page.evaluate(() => window.__removed), true, 'the page script found and removed the host');
      const b = await readBanner(await bannerFrame(page, browser.extensionId));
      assert.equal(b.subject, 'Priya.Raman@northwind-analytics.io');
      assert.equal(await page.locator('#cdot-triage-host').count(), 1);
    } finally {
      await page.unrouteAll();
    }
  });

  test('pages outside the match patterns are untouched', async () => {
    for (const id of ['cdot-sign-in', 'unrelated-example-com']) {
      await page.goto(fixture(id).url);
      assert.equal(await hasHost(page), false, `${id} got a banner`);
    }
    // Control: the same wait does see the host on a matched page.
    await page.goto(fixture('ra3-billing-account').url);
    assert.equal(await hasHost(page), true);
  });
});

describe('strict page CSP', () => {
  test(`same banner under "${STRICT_CSP}", and the page sees no CSP violation`, async () => {
    const { url } = fixture('ra3-customer-unconfirmed');
    const browser = await launch();
    try {
      await serveFixtures(browser.context, { overrides: { [url]: { 'content-security-policy': STRICT_CSP } } });
      const page = await browser.context.newPage();
      await page.addInitScript(recordViolations);
      const response = await page.goto(url);
      assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
      const b = await readBanner(await bannerFrame(page, browser.extensionId));
      assert.equal(b.subject, 'Priya.Raman@northwind-analytics.io');
      assert.equal(b.findings[0].id, 'account-unconfirmed');
      assert.equal(b.findings[0].steps[0].href, RESEND);
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);

      // Control: WebAssembly in the page itself is blocked by this CSP and the violation is
      // seen, so the empty list above means the extension caused none.
      const outcome = await page.evaluate(() =>
        WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => 'compiled', (e) => e.name));
      assert.equal(outcome, 'CompileError');
      await page.waitForFunction(() => window.__cspViolations.length > 0);
    } finally {
      await browser.close();
    }
  });
});
