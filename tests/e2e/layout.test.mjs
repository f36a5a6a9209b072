// End-to-end: the banner pushes the page down instead of covering it, also the page's own fixed
// header and sidebar (RailsAdmin 3's navbar and sidebar are `position: fixed`), stays usable at
// 200% zoom (at most 40% of the viewport, scrolling inside), and gives everything back when
// dismissed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bannerFrame, fixture, launch, serveFixtures } from '../../scripts/lib/browser.mjs';

describe('banner layout', () => {
  let browser;
  before(async () => {
    browser = await launch();
    await serveFixtures(browser.context);
  });
  after(() => browser?.close());

  const box = (page, selector) => page.evaluate((s) => {
    const r = document.querySelector(s).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: r.height };
  }, selector);

  async function open(id, viewport) {
    const page = await browser.context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    await page.goto(fixture(id).url);
    await bannerFrame(page, browser.extensionId);
    await page.waitForFunction(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height > 60);
    await page.waitForTimeout(300); // the last resize lands
    return page;
  }

  test('RailsAdmin 3: the fixed navbar and sidebar move below the banner, also when scrolled', async () => {
    const page = await open('ra3-customer-confirmed');
    const host = await box(page, '#cdot-triage-host');
    assert.equal(host.top, 0);
    for (const selector of ['nav.fixed-top', '.sidebar', 'h1']) {
      const el = await box(page, selector);
      assert.ok(el.top >= host.bottom - 0.5, `${selector} at ${el.top} is under the banner (bottom ${host.bottom})`);
    }
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(200);
    assert.equal((await box(page, '#cdot-triage-host')).top, 0, 'the banner stays at the top');
    assert.ok((await box(page, 'nav.fixed-top')).top >= host.bottom - 0.5, 'the navbar stays visible below it');
    // Dismissed: the page gets its own layout back.
    const frame = await bannerFrame(page, browser.extensionId);
    await frame.evaluate(() => document.querySelector('[data-action="dismiss"]').click()).catch(() => {});
    await page.locator('#cdot-triage-host').waitFor({ state: 'detached', timeout: 5000 });
    assert.equal((await box(page, 'nav.fixed-top')).top, 0);
    assert.equal(await page.evaluate(() => document.documentElement.style.marginTop), '');
    await page.close();
  });

  test('200% zoom: at most 40% of the viewport, scrolling inside, nothing cut off sideways', async () => {
    // 200% zoom of a 1280×860 window is a 640×430 CSS-pixel viewport at twice the pixel density.
    const page = await browser.context.newPage({});
    await page.setViewportSize({ width: 640, height: 430 });
    await page.goto(fixture('ra3-customer-unconfirmed').url);
    const frame = await bannerFrame(page, browser.extensionId);
    await page.waitForFunction(() => document.getElementById('cdot-triage-host').getBoundingClientRect().height > 60);
    await page.waitForTimeout(300);
    const host = await box(page, '#cdot-triage-host');
    assert.ok(host.height <= 430 * 0.4 + 1, `banner ${host.height}px of a 430px viewport`);
    assert.ok((await box(page, 'h1')).top >= host.bottom - 0.5, 'the heading is below the banner');
    const inside = await frame.evaluate(() => {
      const scroller = document.scrollingElement;
      const banner = document.querySelector('section.banner');
      return {
        scrolls: scroller.scrollHeight > scroller.clientHeight || banner.scrollHeight > banner.clientHeight,
        sideways: Math.max(scroller.scrollWidth - scroller.clientWidth, banner.scrollWidth - banner.clientWidth),
        controls: [...document.querySelectorAll('button')].map((b) => b.getBoundingClientRect().right <= innerWidth + 1),
      };
    });
    assert.ok(inside.scrolls, 'the findings scroll inside the banner');
    assert.ok(inside.sideways <= 1, `content wider than the banner by ${inside.sideways}px`);
    assert.ok(inside.controls.every(Boolean), 'every control is within the width');
    mkdirSync(join(ROOT, 'demo-out'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'demo-out', 'zoom-200.png') });
    await page.close();
  });
});
