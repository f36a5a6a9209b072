// End-to-end: evidence is never lost (issue 23), the model-based run. 10 tabs, 200 page loads
// and navigations (full loads, pjax, Turbo, Mailgun route changes, replaceState) in a seeded
// random order (`CDOT_CHAOS_SEED` replays one, `CDOT_CHAOS_OPS` shortens it), one to three tabs
// at once, with an occasional Forget from a banner (scripts/lib/chaos.mjs `modelRun`). After
// each step the store holds what every acting banner read: the records the same core computes
// natively from each page's markup (examples/store_model.rs). At the end the store equals the
// model exactly (no record lost, duplicated, or under another address), and every banner's
// findings equal the diagnosis computed natively from the store.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, launch, serveFixtures } from '../../scripts/lib/browser.mjs';
import { buildModel, eventually, markupOf, modelRun, native, storePage, storedRecords } from '../../scripts/lib/chaos.mjs';

before(buildModel);

describe('model-based: 10 tabs, 200 loads and navigations, occasional Forget', () => {
  const SEED = Number(process.env.CDOT_CHAOS_SEED ?? 20261206);
  const OPS = Number(process.env.CDOT_CHAOS_OPS ?? 200);
  let browser;
  let store;
  before(async () => {
    browser = await launch({ timezoneId: 'UTC' });
    await serveFixtures(browser.context);
    store = await storePage(browser);
  });
  after(() => browser?.close());

  test(`the store equals the union of the banners' readings minus the forgotten, and every banner matches the native diagnosis (seed ${SEED})`, async (t) => {
    let run = null;
    try {
      run = await modelRun({ browser, store, seed: SEED, tabs: 10, ops: OPS });
      const { model, tabs } = run;
      // Every frame done writing, then the store is exactly the model.
      for (const tab of tabs.filter((x) => x.url)) {
        const frame = await bannerFrame(tab.page, browser.extensionId);
        await eventually(async () => (await frame.locator('#banner').getAttribute('data-store')) !== 'writing', 'writes settled');
      }
      const stored = await storedRecords(store);
      const ids = stored.map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, `seed ${SEED}: no record stored twice`);
      for (const r of stored) assert.equal(r.storageKey, `obs:${r.key}`, `seed ${SEED}: ${r.id} under its own address`);
      const extra = ids.filter((id) => !model.has(id));
      const missing = [...model.keys()].filter((id) => !ids.includes(id));
      assert.deepEqual({ extra, missing }, { extra: [], missing: [] }, `seed ${SEED}: the store equals the model`);
      // Every banner's diagnosis is the one the core computes natively from the store.
      for (const [i, tab] of tabs.entries()) {
        if (!tab.url) continue;
        const { url, html } = await markupOf(tab.page);
        await eventually(async () => {
          const want = native({ command: 'banner', now: Date.now(), url, html, stored: await storedRecords(store) });
          const frame = await bannerFrame(tab.page, browser.extensionId);
          const shown = await frame.evaluate(() => [...document.querySelectorAll('[data-finding]')].map((f) => f.dataset.finding));
          return { ok: JSON.stringify(shown) === JSON.stringify(want.findings), why: { tab: i, url, shown, want: want.findings } };
        }, `seed ${SEED}: tab ${i}'s banner differs from the native diagnosis`, { timeout: 10_000 });
      }
      t.diagnostic(`${run.ops} loads and navigations, ${run.forgets} Forget, ${model.size} records in the model and the store`);
    } catch (error) {
      console.error(`# chaos seed ${SEED} (replay: CDOT_CHAOS_SEED=${SEED}); ${error.message}`);
      throw error;
    } finally {
      for (const tab of run?.tabs ?? []) await tab.page.close().catch(() => {});
    }
  });
});
