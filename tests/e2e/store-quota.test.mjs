// End-to-end: the observation store at its quota (issues 17 and 23). storage.session holds 10 MB
// in Chrome; a write that does not fit used to be refused whole, silently. Now bulk log rows of
// other pages are dropped to make room, each page keeping its share (oldest first), account
// facts and mail to looked-up addresses before any bulk row (tests/e2e/chaos.test.mjs), what
// still does not fit is not kept, and the banner says either in a line of its own.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, launch, serveFixtures } from '../../scripts/lib/browser.mjs';
import { generateOldLogsPage } from '../../scripts/fixtures/mailgun.mjs';

const ROWS = 4000;
const URL_ = 'https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs?quota=1';
const QUOTA = 10 * 1024 * 1024;
const FILLER_PAGE = 'ffffffff';

let browser;
before(async () => {
  browser = await launch();
  await serveFixtures(browser.context);
  const html = generateOldLogsPage(ROWS);
  await browser.context.route(URL_, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
});
after(() => browser?.close());
beforeEach(() => browser.worker.evaluate(() => chrome.storage.session.clear()));

const session = (fn, arg) => browser.worker.evaluate(fn, arg);

/** Counts the stored records: of the filler page, and of every other page (the one read). */
const counts = () => session(async () => {
  const all = await chrome.storage.session.get(null);
  const records = Object.entries(all).filter(([k]) => k.startsWith('obs:')).flatMap(([, v]) => v);
  const filler = records.filter((r) => r.id.startsWith('ffffffff')).length;
  return { filler, page: records.length - filler, bytes: await chrome.storage.session.getBytesInUse(null) };
});

/** The banner's storage line, once the store has answered the page's write. */
async function storageLine(page) {
  const frame = await bannerFrame(page, browser.extensionId, { timeout: 30_000 });
  const line = frame.locator('[data-storage]');
  await line.waitFor({ timeout: 30_000 });
  return (await line.textContent()).replace(/\s+/g, ' ').trim();
}

test('a full store makes room: the oldest bulk rows of a page over its share go, the page being read is kept whole, and the banner says so', async () => {
  // Another page's bulk log rows (mail events to addresses nobody looked up), seen an hour ago
  // (older than the page's), filling the quota but for about a megabyte: a 4,000-row page
  // (about 2 MB) does not fit, and is under its share.
  const filled = await session(async ({ quota, fillerPage }) => {
    const now = Date.now();
    const pad = 'x'.repeat(300);
    let n = 0;
    // In batches, until the browser counts all but a megabyte in use.
    while (await chrome.storage.session.getBytesInUse(null) < quota - 1024 * 1024) {
      const next = {};
      for (const end = n + 500; n < end; n++) {
        const key = `filler-${n}@example.com`;
        // The store reads only the id (page tag, class `e`: a mail event), key and expiry.
        next[`obs:${key}`] = [{
          id: `${fillerPage}e${n.toString(16).padStart(15, '0')}`, key, expiresAt: now + 3600_000 + n,
          observation: JSON.stringify({ u: 'https://customers.gitlab.com/admin/customer?query=x', t: Math.floor(now / 1000) - 3600,
            f: { ad: { query: `${key} ${pad}`, rows: 0, total: 0 } } }),
        }];
      }
      await chrome.storage.session.set(next);
    }
    return n;
  }, { quota: QUOTA, fillerPage: FILLER_PAGE });
  const page = await browser.context.newPage();
  await page.goto(URL_, { timeout: 60_000 });
  const line = await storageLine(page);
  const match = line.match(/^Session storage was full: (\d+) older observations from other pages were dropped to make room\.$/);
  assert.ok(match, line);
  const { filler, page: stored, bytes } = await counts();
  console.log(`# ${filled} filler records, ${match[1]} dropped, ${stored} of the page's kept, ${(bytes / 1048576).toFixed(2)} MB in use`);
  assert.equal(stored, ROWS, 'every row of the page being read is stored');
  assert.equal(filled - filler, Number(match[1]), 'the banner counts what was dropped');
  assert.ok(filler > 0 && filler < filled, `only what was needed was dropped (${filler} of ${filled} left)`);
  assert.ok(bytes <= QUOTA, `${bytes} bytes in use`);
  // The oldest went first: the filler records left are the newest ones.
  const oldestLeft = await session(async () => {
    const all = await chrome.storage.session.get(null);
    return Math.min(...Object.entries(all).filter(([k]) => k.startsWith('obs:')).flatMap(([, v]) => v)
      .filter((r) => r.id.startsWith('ffffffff')).map((r) => Number.parseInt(r.id.slice(9), 16)));
  });
  assert.equal(oldestLeft, filled - filler);
  await page.close();
});

test('a store full with what cannot be dropped keeps what fits of the page, never nothing, and the banner says what was not kept', async () => {
  // Recent searches are not observations and are never dropped: here a huge one leaves room
  // for about half of the page.
  await session((quota) => chrome.storage.session.set({ recent: ['y'.repeat(quota - 1536 * 1024)] }), QUOTA);
  const page = await browser.context.newPage();
  await page.goto(URL_, { timeout: 60_000 });
  const line = await storageLine(page);
  const match = line.match(/^Session storage is full: (\d+) observations of this page were not kept, so other tabs and the popup do not know them \(this banner still shows them\)\.$/);
  assert.ok(match, line);
  const { page: stored, bytes } = await counts();
  console.log(`# ${stored} of the page's ${ROWS} records kept, ${match[1]} not kept, ${(bytes / 1048576).toFixed(2)} MB in use`);
  assert.ok(stored > ROWS / 4, `${stored} kept: a write is never refused whole`);
  assert.equal(stored + Number(match[1]), ROWS, 'the banner counts exactly what was not kept');
  // The banner itself still shows every row it read.
  const frame = await bannerFrame(page, browser.extensionId);
  const note = await frame.locator('.note').textContent();
  assert.match(note, /4,?000 events/);
  await page.close();
});

test('a store with room keeps the page whole and says nothing', async () => {
  const page = await browser.context.newPage();
  await page.goto(URL_, { timeout: 60_000 });
  await bannerFrame(page, browser.extensionId, { timeout: 30_000 });
  const deadline = Date.now() + 20_000;
  while ((await counts()).page < ROWS && Date.now() < deadline) await page.waitForTimeout(200);
  assert.equal((await counts()).page, ROWS);
  const frame = await bannerFrame(page, browser.extensionId);
  assert.equal(await frame.locator('[data-storage]').count(), 0);
  await page.close();
});
