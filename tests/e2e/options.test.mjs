// End-to-end: the options page round-trip (checked fields, saved in storage.local, never
// storage.sync), the API key (saved, never shown back), permissions when a look-up is switched
// on, the banner following the saved settings, and "forget all customer data".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFrame, bannerUntil, fixture, launch, serveFixtures } from '../../scripts/lib/browser.mjs';

const KEY = 'key-0123456789abcdef0123456789abcdef';

describe('options', () => {
  let browser;
  before(async () => {
    browser = await launch({ grantedOrigins: ['https://api.mailgun.net/*'] });
    await serveFixtures(browser.context);
  });
  after(() => browser?.close());

  const local = () => browser.worker.evaluate(() => chrome.storage.local.get(null));
  async function options() {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.waitForFunction(() => document.querySelector('#adminHost').value !== '');
    return page;
  }
  const status = (page) => page.textContent('#status');

  test('round-trip: defaults shown, bad values named per field and not saved, good ones kept', async () => {
    const page = await options();
    assert.equal(await page.inputValue('#adminHost'), 'customers.gitlab.com');
    assert.equal(await page.inputValue('#resetWindowDays'), '30');
    assert.equal(await page.textContent('#keyState'), 'No key saved');
    await page.fill('#adminHost', 'https://customers.gitlab.com/');
    await page.fill('#resetWindowDays', '0');
    await page.click('button.save');
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Not saved'));
    assert.match(await page.textContent('#adminHost-problem'), /is not a host name/);
    assert.equal(await page.textContent('#resetWindowDays-problem'), 'Between 1 and 365 days.');
    assert.equal(await page.getAttribute('#adminHost', 'aria-invalid'), 'true');
    assert.equal((await local()).settings, undefined);

    await page.fill('#adminHost', 'customers.gitlab.com');
    await page.fill('#resetWindowDays', '14');
    await page.selectOption('#quietPages', 'hidden');
    await page.selectOption('#mailgunRegion', 'eu');
    await page.fill('#apiKey', `  ${KEY} `);
    await page.click('button.save');
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'Saved.');
    const stored = await local();
    assert.equal(stored.settings.resetWindowDays, 14);
    assert.equal(stored.settings.quietPages, 'hidden');
    assert.equal(stored.settings.mailgunRegion, 'eu');
    assert.equal(stored.mailgunApiKey, KEY);
    assert.deepEqual(await browser.worker.evaluate(() => chrome.storage.sync.get(null)), {});
    // The key is never shown back: only that one is saved.
    assert.equal(await page.inputValue('#apiKey'), '');
    assert.equal(await page.textContent('#keyState'), `A key is saved (${KEY.length} characters, hidden)`);
    await page.close();

    const again = await options();
    assert.equal(await again.inputValue('#resetWindowDays'), '14');
    assert.equal(await again.inputValue('#quietPages'), 'hidden');
    assert.equal(await again.inputValue('#mailgunRegion'), 'eu');
    assert.ok(!(await again.content()).includes(KEY));
    await again.click('[data-action=remove-key]');
    await again.waitForFunction(() => document.querySelector('#status').textContent === 'The API key was removed.');
    assert.equal((await local()).mailgunApiKey, undefined);
    await again.close();
  });

  test('switching a look-up on asks the browser for its host; an allowed host says so', async () => {
    await browser.worker.evaluate(() => chrome.storage.local.clear());
    const page = await options();
    // api.mailgun.net was allowed before (see launch): the browser answers without a prompt.
    await page.check('#mailgunLookup');
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Allowed'));
    assert.equal(await status(page), 'Allowed to reach https://api.mailgun.net/*. Save to keep the look-up on.');
    assert.ok(await page.isChecked('#mailgunLookup'));
    await page.click('button.save');
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'Saved.');
    assert.equal((await local()).settings.mailgunLookup, true);
    // Switched off and saved: the host is given back.
    await page.uncheck('#mailgunLookup');
    await page.click('button.save');
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'Saved.');
    assert.equal(await browser.worker.evaluate(() => chrome.permissions.contains({ origins: ['https://api.mailgun.net/*'] })), false);
    await page.close();
  });

  test('banners follow the saved settings: no banner on quiet pages when set so', async () => {
    await browser.worker.evaluate(() => chrome.storage.local.clear());
    const page = await browser.context.newPage();
    await page.goto(fixture('ra3-billing-account').url);
    await bannerUntil(page, browser.extensionId, (b) => /no account facts/.test(b.note ?? ''), 'the slim note');
    await browser.worker.evaluate(() => chrome.storage.local.set({ settings: { quietPages: 'hidden' } }));
    const frame = await bannerFrame(page, browser.extensionId).catch(() => null);
    const prefix = `chrome-extension://${browser.extensionId}/banner.html`;
    await page.waitForFunction(() => {
      const host = document.querySelector('#cdot-triage-host');
      return !host || host.getBoundingClientRect().height === 0;
    }, null, { timeout: 10_000 }).catch(async (e) => {
      throw new Error(`banner still shown: ${e.message}; frame ${Boolean(frame)} ${page.frames().filter((f) => f.url().startsWith(prefix)).length}`);
    });
    await page.close();
  });

  test('forget all customer data empties the store and the recent searches', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(fixture('ra3-customer-unconfirmed').url);
    await bannerUntil(tab, browser.extensionId, (b) => b.findings.length > 0, 'findings');
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?email=${encodeURIComponent('Priya.Raman@northwind-analytics.io')}`);
    await popup.waitForSelector('[data-observed]');
    const session = () => browser.worker.evaluate(() => chrome.storage.session.get(null));
    assert.ok(Object.keys(await session()).some((k) => k.startsWith('obs:')));
    assert.ok((await session()).recent.length === 1);
    const page = await options();
    await page.click('[data-action=forget]');
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Forgot all customer data'));
    // Left: which banner frames the extension opened (their tokens and tabs), no URL.
    const { vouched, ...rest } = await session();
    assert.deepEqual(rest, {});
    assert.deepEqual(Object.values(vouched ?? {}).flatMap((f) => f.urls), []);
    await Promise.all([page.close(), popup.close(), tab.close()]);
  });
});
