// End-to-end: the banner follows the page without a reload: rows a log page adds (scrolling,
// filtering) and drops (virtualised lists), and Turbo Drive swapping <body> on navigation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerUntil as pollBanner, fixture, launch, serveFixtures } from '../../scripts/lib/browser.mjs';
import { respond } from '../../scripts/lib/fixtures.mjs';

describe('live updates', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
    page = await browser.context.newPage();
  });
  after(() => browser?.close());

  const bannerUntil = (check, what) => pollBanner(page, browser.extensionId, check, what);

  test('Mailgun rows added later are read; rows a virtualised list drops stay listed', async () => {
    await page.goto(fixture('mailgun-old-logs-customers').url);
    await bannerUntil((b) => Object.keys(b.recipients).length === 7, '7 recipients');
    // The page adds a row for a new recipient (infinite scroll), as its own scripts would.
    await page.evaluate(() => {
      const rows = [...document.querySelectorAll('tbody tr')];
      const row = rows.at(-1).cloneNode(true);
      for (const cell of row.querySelectorAll('td')) {
        if (cell.textContent.includes('@')) cell.textContent = 'new.customer@example.org';
      }
      rows.at(-1).after(row);
    });
    const more = await bannerUntil((b) => b.recipients['new.customer@example.org'], 'the added row');
    assert.equal(Object.keys(more.recipients).length, 8);
    // The list drops its first rows as it scrolls on: what was seen is still listed.
    await page.evaluate(() => [...document.querySelectorAll('tbody tr')].slice(0, 10).forEach((r) => r.remove()));
    await page.waitForTimeout(600);
    const after = await bannerUntil(() => true, 'a banner');
    assert.equal(Object.keys(after.recipients).length, 8);
  });

  test('Turbo Drive navigation from the list to a show page re-reads the new page', async () => {
    await page.goto(fixture('ra3-customer-list-northwind').url);
    await bannerUntil((b) => b.rows.length === 4, 'the search rows');
    const show = fixture('ra3-customer-unconfirmed');
    const html = respond(show.url).body.toString('utf8');
    // What Turbo Drive does: fetch, swap <body> (and the title), push the URL, fire turbo:render.
    await page.evaluate(({ html, url }) => {
      const next = new DOMParser().parseFromString(html, 'text/html');
      document.title = next.title;
      document.body.replaceWith(document.adoptNode(next.body));
      history.pushState({}, '', url);
      document.dispatchEvent(new Event('turbo:render', { bubbles: true }));
    }, { html, url: show.url });
    const b = await bannerUntil((x) => x.subject === 'Priya.Raman@northwind-analytics.io', 'the show page');
    assert.equal(b.findings[0].id, 'account-unconfirmed');
    assert.equal(await page.locator('#cdot-triage-host').count(), 1, 'one banner, not two');
  });
});
