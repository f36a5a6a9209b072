// End-to-end: the toolbar button per tab (badge count, colour, title) follows what the tab's
// banner shows, across navigation and "Forget stored data"; the side panel's page
// (popup.html?panel) follows the active tab's address and the evidence other tabs add.
// Badge state is read from the service worker (chrome.action.getBadgeText({ tabId }) ...). Tab
// ids come from chrome.tabs.query, which the worker may call without the `tabs` permission
// (URLs are hidden then; ids are not): a page's id is the one that appeared when it was opened.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, bannerUntil, fixture, launch, popupUntil, readPopup, serveFixtures } from '../../scripts/lib/browser.mjs';

const PRIYA = 'Priya.Raman@northwind-analytics.io';
const LENA = 'lena.vogt@alpenrad-logistik.de';
const RED = [179, 38, 30, 255]; // core::toolbar's problem colour, #b3261e
const DEFAULT_TITLE = 'cdot-triage: search by email';

describe('toolbar badge and side panel', () => {
  let browser;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
  });
  after(() => browser?.close());

  const tabIds = () => browser.worker.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.id));

  /** A new page and its tab id. */
  async function newTab() {
    const known = new Set(await tabIds());
    const page = await browser.context.newPage();
    for (let i = 0; i < 50; i++) {
      const fresh = (await tabIds()).filter((id) => !known.has(id));
      if (fresh.length === 1) return { page, tabId: fresh[0] };
      await page.waitForTimeout(50);
    }
    throw new Error('no tab id for the new page');
  }

  const toolbar = (tabId) => browser.worker.evaluate(async (tabId) => ({
    text: await chrome.action.getBadgeText({ tabId }),
    colour: await chrome.action.getBadgeBackgroundColor({ tabId }),
    title: await chrome.action.getTitle({ tabId }),
  }), tabId);

  async function toolbarUntil(tabId, check, what, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    let last;
    while (Date.now() < deadline) {
      last = await toolbar(tabId);
      if (check(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`tab ${tabId}: the toolbar never showed ${what}; last: ${JSON.stringify(last)}`);
  }

  const has = (id) => (b) => b.findings.some((f) => f.id === id);

  test('the badge counts the problems for the tab\'s address, follows navigation and clears on Forget', async () => {
    const { page: admin, tabId: adminTab } = await newTab();
    const nothing = await toolbar(adminTab);
    assert.deepEqual([nothing.text, nothing.title], ['', DEFAULT_TITLE], 'before any banner: nothing');

    await admin.goto(fixture('ra3-customer-unconfirmed').url);
    await bannerUntil(admin, browser.extensionId, has('account-unconfirmed'), 'account-unconfirmed');
    // The badge, its colour and the title are set by separate calls: wait for all three.
    const one = await toolbarUntil(adminTab, (t) => t.text === '1' && /1 problem for/.test(t.title), 'a badge of 1 and its title');
    assert.deepEqual(one.colour, RED);
    assert.equal(one.title, `cdot-triage: 1 problem for ${PRIYA}`);

    // A Mailgun search for the same address that found nothing: on its own page nothing is
    // wrong, but the store knows the account is unconfirmed.
    const { page: mailgun, tabId: mailgunTab } = await newTab();
    await mailgun.goto(fixture('mailgun-old-logs-customers-priya').url);
    await bannerUntil(mailgun, browser.extensionId, has('account-unconfirmed'), 'the admin tab\'s evidence');
    const stored = await toolbarUntil(mailgunTab, (t) => t.text === '1' && /1 problem for/.test(t.title), 'a badge of 1 from the stored evidence');
    assert.match(stored.title, new RegExp(`^cdot-triage: 1 problem for ${PRIYA}$`, 'i'));
    // Each tab has its own badge.
    assert.equal((await toolbar(adminTab)).text, '1');

    // The admin tab navigates to a healthy account: no badge, the title says so.
    await admin.goto(fixture('ra3-customer-confirmed').url);
    await bannerUntil(admin, browser.extensionId, (b) => b.subject === LENA, 'the healthy account');
    const healthy = await toolbarUntil(adminTab, (t) => t.text === '' && t.title.includes(LENA), 'no badge for the healthy account');
    assert.equal(healthy.title, `cdot-triage: no problem found for ${LENA}`);
    assert.equal((await toolbar(mailgunTab)).text, '1', 'the other tab keeps its badge');

    // Forget: the Mailgun tab's count came from stored evidence only, so its badge clears.
    const frame = await bannerFrame(mailgun, browser.extensionId);
    await frame.getByRole('button', { name: 'Forget stored data' }).click();
    await frame.getByRole('button', { name: 'Forget everything' }).click(); // it asks first
    await bannerUntil(mailgun, browser.extensionId, (b) => !has('account-unconfirmed')(b), 'the evidence gone');
    const forgotten = await toolbarUntil(mailgunTab, (t) => t.text === '' && /no problem found/.test(t.title), 'the badge cleared by Forget');
    // The banner still shows its own page (the search for the address), and the title says that.
    assert.match(forgotten.title, new RegExp(`^cdot-triage: no problem found for ${PRIYA}$`, 'i'));

    // A page without a banner: nothing (the banner frame's port went away with its page).
    await admin.goto(fixture('unrelated-example-com').url);
    await toolbarUntil(adminTab, (t) => t.text === '' && t.title === DEFAULT_TITLE, 'the default title again');
    await admin.close();
    await mailgun.close();
  });

  test('an unconfirmed account seen again after Forget counts again (the banner reports its own page)', async () => {
    const { page, tabId } = await newTab();
    await page.goto(fixture('ra3-customer-unconfirmed').url);
    await toolbarUntil(tabId, (t) => t.text === '1', 'a badge of 1');
    const frame = await bannerFrame(page, browser.extensionId);
    await frame.getByRole('button', { name: 'Forget stored data' }).click();
    await frame.getByRole('button', { name: 'Forget everything' }).click(); // it asks first
    // The background clears every badge at once; this banner, re-rendered from its own page,
    // still has the problem and says so again.
    await toolbarUntil(tabId, (t) => t.text === '1' && t.title === `cdot-triage: 1 problem for ${PRIYA}`, 'the badge reported again');
    await page.close();
  });

  test('the side panel follows the active tab\'s address and the evidence other tabs add', async () => {
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/popup.html?panel`);
    await panel.locator('html.panel').waitFor({ state: 'attached' });
    // The panel is the page itself, not a popup: no "Open as side panel" there.
    assert.equal(await panel.locator('#open-panel').isHidden(), true);

    const { page: admin } = await newTab();
    await admin.goto(fixture('ra3-customer-unconfirmed').url);
    await bannerUntil(admin, browser.extensionId, has('account-unconfirmed'), 'account-unconfirmed');
    const { page: healthy } = await newTab();
    await healthy.goto(fixture('ra3-customer-confirmed').url);
    await bannerUntil(healthy, browser.extensionId, (b) => b.subject === LENA, 'the healthy account');

    await admin.bringToFront();
    let p = await popupUntil(panel, (x) => x.subject === PRIYA && x.findings.some((f) => f.id === 'account-unconfirmed'), 'Priya, from the admin tab');
    // Following a tab is not a search: no live look-up ran.
    assert.deepEqual(p.sources, {});
    assert.equal(p.input, PRIYA);

    await healthy.bringToFront();
    // The address comes with the tab's first render; its evidence once the tab has stored it
    // (when idle, within a second), which the panel then shows.
    p = await popupUntil(panel, (x) => x.subject === LENA && x.findings.some((f) => f.id === 'account-confirmed'), 'Lena and her confirmed account after the tab switch');
    assert.equal(p.input, LENA);

    // A page about no one (another model) leaves the panel where it was.
    const { page: other } = await newTab();
    await other.goto(fixture('ra3-billing-account').url);
    await bannerFrame(other, browser.extensionId);
    await other.bringToFront();
    await panel.waitForTimeout(500);
    assert.equal((await readPopup(panel)).subject, LENA);

    await admin.bringToFront();
    await popupUntil(panel, (x) => x.subject === PRIYA, 'Priya again');
    // Another tab adds evidence about Priya: the panel shows it without a switch.
    const { page: mailgun } = await newTab();
    await mailgun.goto(fixture('mailgun-old-logs-gitlab-com-priya').url);
    await bannerFrame(mailgun, browser.extensionId);
    await admin.bringToFront();
    await popupUntil(panel, (x) => x.subject === PRIYA && x.findings.some((f) => f.id === 'reset-requested-on-gitlab-com'), 'the GitLab.com reset from the Mailgun tab');
    for (const page of [panel, admin, healthy, other, mailgun]) await page.close();
  });

  test('"Open as side panel" in the popup opens popup.html?panel in Chrome\'s side panel', async () => {
    const sidePanels = () => browser.worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ['SIDE_PANEL'] })).map((c) => c.documentUrl));
    assert.deepEqual(await sidePanels(), []);
    assert.deepEqual(await browser.worker.evaluate(() => chrome.sidePanel.getOptions({})), { enabled: true, path: 'popup.html?panel' });
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const button = popup.getByRole('button', { name: 'Open as side panel' });
    await button.waitFor({ state: 'visible' }); // shown once the popup knows its window
    await button.click();
    // Its document URL is empty until the panel's page has started loading.
    const expected = [`chrome-extension://${browser.extensionId}/popup.html?panel`];
    const deadline = Date.now() + 10_000;
    let open = [];
    while (Date.now() < deadline && JSON.stringify(open) !== JSON.stringify(expected)) {
      open = await sidePanels();
      await popup.waitForTimeout(100);
    }
    assert.deepEqual(open, expected);
    await popup.close();
  });
});
