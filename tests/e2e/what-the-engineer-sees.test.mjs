// End-to-end: the banner reads what the engineer sees on the page, or says it cannot tell
// (issue 25), in Chromium with the built extension: a page element carrying the banner host's
// id, a declarative shadow root, `<noscript>` and `hidden` content before the real field; and
// the height the banner pushes onto the page moves in steps, so that evidence another tab adds
// does not show in it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, bannerUntil, fixture, launch, readBanner, serveFixtures } from '../../scripts/lib/browser.mjs';
import { respond } from '../../scripts/lib/fixtures.mjs';

const CONFIRMED = fixture('ra3-customer-confirmed'); // 4712: "Confirmed at" February 14, 2025 09:31
const FIELD = '<div class="list-group-item border-0 datetime_type confirmed_at_field">';
const blankCard = '<div class="list-group-item border-0 datetime_type confirmed_at_field"><div class="card">'
  + '<h5 class="card-header bg-light">Confirmed at</h5><div class="card-body"> - </div></div></div>';

let browser;
before(async () => {
  browser = await launch();
  await serveFixtures(browser.context);
});
after(() => browser?.close());

/** Opens the confirmed account's page served with `change` applied to its markup. */
async function openChanged(change) {
  const page = await browser.context.newPage();
  const served = respond(CONFIRMED.url).body.toString('utf8');
  const body = change(served);
  assert.notEqual(body, served, 'the change applies');
  await page.route(CONFIRMED.url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body }));
  await page.goto(CONFIRMED.url);
  return page;
}

const confirmed = (b) => b.findings.some((f) => f.id === 'account-confirmed') && !b.findings.some((f) => f.id === 'account-unconfirmed');

test('a page element with the host id is read; the banner host is left out by identity', async () => {
  const page = await openChanged((html) => html.replace('<body class="rails_admin">', '<body class="rails_admin"><div id="cdot-triage-host">'));
  const b = await bannerUntil(page, browser.extensionId, confirmed, 'account-confirmed');
  assert.equal(b.subject, 'lena.vogt@alpenrad-logistik.de');
  assert.equal(await page.evaluate(() => document.querySelectorAll('[id="cdot-triage-host"]').length), 2);
  await page.close();
});

test('a blank field in <noscript> or hidden before the real one does not win', async () => {
  for (const wrap of [(c) => `<noscript>${c}</noscript>`, (c) => `<div hidden>${c}</div>`, (c) => `<div style="display:none">${c}</div>`]) {
    const page = await openChanged((html) => html.replace(FIELD, wrap(blankCard) + FIELD));
    const b = await bannerUntil(page, browser.extensionId, confirmed, 'account-confirmed');
    assert.equal(b.facts.confirmed_at, '2025-02-14 09:31 UTC', wrap('…'));
    await page.close();
  }
});

test('two shown values for one field: the banner says so', async () => {
  const page = await openChanged((html) => html.replace(FIELD, blankCard + FIELD));
  const b = await bannerUntil(page, browser.extensionId, (x) => /two values on the page/.test(x.note ?? ''), 'the conflict');
  assert.match(b.note, /“Confirmed at” has two values on the page/);
  assert.equal(b.findings.length, 0);
  await page.close();
});

test('a field in a declarative shadow root is not called blank', async () => {
  // The real field inside an open shadow root the page declares (not serialisable): shown to
  // the engineer, absent from outerHTML.
  const page = await openChanged((html) => html.replace(FIELD, `<div class="x-field"><template shadowrootmode="open">${FIELD}`)
    .replace('February 14, 2025 09:31\n                </div>\n              </div>\n            </div>',
      'February 14, 2025 09:31\n                </div>\n              </div>\n            </div></template></div>'));
  const shown = await page.evaluate(() => {
    const host = document.querySelector('.x-field');
    return { shadow: !!host.shadowRoot, inOuterHtml: document.documentElement.outerHTML.includes('February 14, 2025 09:31'), text: host.shadowRoot?.textContent.includes('February 14, 2025 09:31') };
  });
  assert.deepEqual(shown, { shadow: true, inOuterHtml: false, text: true });
  const b = await bannerUntil(page, browser.extensionId, (x) => /shadow root/.test(x.note ?? ''), 'could not read');
  assert.match(b.note, /can't read this page: part of the page is in a shadow root/);
  assert.ok(!b.findings.some((f) => f.id === 'account-unconfirmed'), 'never "not confirmed"');
  await page.close();
});

test('the pushed height moves in steps of 64 px (one line: 48 px) and equals the host box', async () => {
  const page = await browser.context.newPage();
  await page.goto(CONFIRMED.url);
  const frame = await bannerFrame(page, browser.extensionId);
  await page.waitForFunction(() => parseFloat(document.documentElement.style.marginTop) > 0);
  const seen = await page.evaluate(() => ({
    margin: parseFloat(document.documentElement.style.marginTop),
    host: document.getElementById('cdot-triage-host').getBoundingClientRect().height,
    cap: Math.floor(innerHeight * 0.4), // at most 40% of the viewport, which the page knows
  }));
  const content = await frame.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(seen.margin % 64 === 0 || seen.margin === seen.cap, `margin ${seen.margin}, cap ${seen.cap}`);
  assert.equal(seen.host, seen.margin);
  assert.ok(seen.margin >= Math.min(content, seen.cap), `${seen.margin} for ${content}`);
  // Under the cap, the height is the content's, rounded up to the step.
  await page.setViewportSize({ width: 1280, height: 2400 });
  await page.waitForFunction(() => parseFloat(document.documentElement.style.marginTop) > 344);
  const tall = await page.evaluate(() => parseFloat(document.documentElement.style.marginTop));
  assert.equal(tall % 64, 0, `margin ${tall} under a tall viewport`);
  assert.ok(tall >= content && tall < content + 64, `${tall} for ${content}`);
  await page.close();
});
