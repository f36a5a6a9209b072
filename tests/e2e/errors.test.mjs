// End-to-end: when cdot-triage itself fails in its frame, the banner says so with a report to
// copy (version, page kind, error; no customer data), and the host page keeps working.
//
// The failures are real, in copies of dist/chrome only this test uses (nothing a page could
// do): the WebAssembly file deleted (the module cannot load), and a store client that tells
// the module about a change while it is still writing (the Rust code panics on a re-entrant
// borrow; the release build turns the panic into a WebAssembly trap).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_CHROME, fixture, launch, serveFixtures } from '../../scripts/lib/browser.mjs';

const copies = [];
function distCopy(change) {
  const dir = mkdtempSync(join(tmpdir(), 'cdot-triage-broken-'));
  cpSync(DIST_CHROME, dir, { recursive: true });
  change(dir);
  copies.push(dir);
  return dir;
}
after(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const VERSION = JSON.parse(readFileSync(join(DIST_CHROME, 'manifest.json'), 'utf8')).version;
const ADDRESS = /@|priya|northwind/i;

/** The page, with a script of its own ticking, and its text before anything fails. */
async function openPage(browser, id = 'ra3-customer-unconfirmed') {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(fixture(id).url);
  await page.evaluate(() => {
    window.__ticks = 0;
    setInterval(() => window.__ticks++, 20);
  });
  const text = await page.evaluate(() => document.body.innerText);
  return { page, errors, text };
}

async function frameOf(page, extensionId) {
  const prefix = `chrome-extension://${extensionId}/banner.html`;
  for (let i = 0; i < 200; i++) {
    const frame = page.frames().find((f) => f.url().startsWith(prefix));
    if (frame) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error('no banner frame');
}

/** The error state: its text, its report, and the frame's height on the page. */
async function errorState(page, frame) {
  await frame.locator('section.failed[role=alert]').waitFor({ timeout: 10_000 });
  // The frame is sized to the error state (the content script got a resize over the port).
  let height = 0;
  for (let i = 0; i < 50 && height < 20; i++) {
    height = await page.evaluate(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height);
    if (height < 20) await page.waitForTimeout(100);
  }
  return {
    text: (await frame.locator('section.failed .bar').innerText()).replace(/\s+/g, ' '),
    report: await frame.locator('section.failed .report pre').textContent(),
    bannerHidden: await frame.evaluate(() => document.getElementById('banner').hidden),
    copyButton: await frame.locator('button.copy-report').count(),
    height,
  };
}

async function pageStillWorks(page, errors, text) {
  const before = await page.evaluate(() => window.__ticks);
  await page.waitForTimeout(300);
  assert.ok((await page.evaluate(() => window.__ticks)) > before + 3, 'the page script keeps running');
  assert.equal(await page.evaluate(() => document.body.innerText), text, 'page text unchanged');
  assert.deepEqual(errors, [], 'no error reaches the page');
}

test('a module that cannot load: error state with a report, the page unaffected', async () => {
  const dir = distCopy((d) => rmSync(join(d, 'pkg', 'cdot_triage_bg.wasm')));
  const browser = await launch({ extensionDir: dir });
  try {
    await serveFixtures(browser.context);
    const { page, errors, text } = await openPage(browser);
    const frame = await frameOf(page, browser.extensionId);
    const state = await errorState(page, frame);
    assert.match(state.text, /cdot-triage hit an error/);
    assert.equal(state.copyButton, 1);
    assert.ok(state.height >= 20, `frame sized to the error state (${state.height}px)`);
    assert.match(state.report, new RegExp(`^cdot-triage ${VERSION.replace(/\./g, '\\.')} hit an error\npage: customers\\.gitlab\\.com, not read\nerror: .+`));
    assert.doesNotMatch(state.report, ADDRESS);
    await pageStillWorks(page, errors, text);
    // Dismiss still works from the error state. The click comes after the evaluation returns:
    // the dismissed frame is detached, and an evaluation still pending in it would fail.
    await frame.evaluate(() => { setTimeout(() => document.querySelector('section.failed button.dismiss').click(), 50); });
    await page.waitForFunction(() => !document.getElementById('cdot-triage-host'));
  } finally {
    await browser.close();
  }
});

test('a panic in the module: error state with the scrubbed report of the panic, the page unaffected', async () => {
  // The store client notifies its listeners synchronously when the banner saves its collapsed
  // state: the module is then called back while it holds its state mutably, and panics.
  const dir = distCopy((d) => {
    const file = join(d, 'store-client.js');
    const js = readFileSync(file, 'utf8');
    const patched = js.replace("setPrefs: (prefs) => request({ type: 'prefs-set', prefs }),",
      "setPrefs: (prefs) => { listeners.changed.forEach((listener) => listener([])); return request({ type: 'prefs-set', prefs }); },");
    assert.notEqual(patched, js, 'store-client.js has the store client this test patches');
    writeFileSync(file, patched);
  });
  const browser = await launch({ extensionDir: dir });
  try {
    await serveFixtures(browser.context);
    const { page, errors, text } = await openPage(browser);
    const frame = await frameOf(page, browser.extensionId);
    await frame.locator('#banner section.banner [data-action=collapse]').waitFor();
    await frame.evaluate(() => document.querySelector('[data-action=collapse]').click());
    const state = await errorState(page, frame);
    assert.match(state.text, /cdot-triage hit an error/);
    assert.equal(state.bannerHidden, true, 'the diagnosis is replaced, not shown half-updated');
    const lines = state.report.split('\n');
    assert.equal(lines[0], `cdot-triage ${VERSION} hit an error`);
    assert.equal(lines[1], 'page: customer-show');
    assert.match(lines[2], /^error: panicked at src\/frame\/mod\.rs:\d+:\d+: .*borrow/);
    assert.doesNotMatch(state.report, ADDRESS);
    await pageStillWorks(page, errors, text);
    // A later change on the page reaches the poisoned module only as more ignored errors.
    await page.evaluate(() => document.querySelector('h1').append(' '));
    await page.waitForTimeout(600);
    assert.equal(await frame.locator('section.failed').count(), 1);
  } finally {
    await browser.close();
  }
});
