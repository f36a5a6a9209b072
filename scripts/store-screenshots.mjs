// Store screenshots at 1280×800 (the Chrome Web Store's size; AMO takes it too), from the
// built extension (dist/chrome) on the bundled fixture pages, into demo-out/store/ (not
// committed). `npm start` (the demo) runs this at its end; alone:
//   node scripts/store-screenshots.mjs
// See docs/store.md.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bannerFrame, bannerUntil, fixture, launch, popupUntil, serveFixtures, sourcesSettled } from './lib/browser.mjs';
import { launchWithLookups } from './lib/mocks.mjs';
import { runIfMain } from './setup.mjs';

export const WIDTH = 1280;
export const HEIGHT = 800;
const PRIYA = 'Priya.Raman@northwind-analytics.io';
const PANEL_WIDTH = 400;

/** Width and height of a PNG (its IHDR chunk). */
function pngSize(file) {
  const bytes = readFileSync(file);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** Screenshots of other pages side by side (or overlaid), drawn as one 1280×800 page. */
async function compose(context, file, html) {
  const page = await context.newPage();
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  await page.setContent(`<body style="margin:0;width:${WIDTH}px;height:${HEIGHT}px;overflow:hidden;background:#fff">${html}</body>`);
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  await page.screenshot({ path: file });
  await page.close();
}

const dataUrl = (png) => `data:image/png;base64,${png.toString('base64')}`;

export async function storeScreenshots({ out = join(ROOT, 'demo-out', 'store') } = {}) {
  mkdirSync(out, { recursive: true });
  const written = [];
  const has = (id) => (b) => b.findings.some((f) => f.id === id && !/likely/i.test(f.title));

  {
    const { context, extensionId, close } = await launch({ headless: true });
    try {
      await serveFixtures(context);
      const open = async (id, width = WIDTH) => {
        const page = await context.newPage();
        await page.setViewportSize({ width, height: HEIGHT });
        await page.goto(fixture(id).url);
        await bannerFrame(page, extensionId);
        return page;
      };
      // The two Mailgun tabs first, then the admin page: the combined, certain diagnosis.
      const gitlab = await open('mailgun-old-logs-gitlab-com-priya');
      await open('mailgun-old-logs-customers-priya');
      const admin = await open('ra3-customer-unconfirmed');
      await bannerUntil(admin, extensionId, has('reset-requested-on-gitlab-com'), 'the combined diagnosis');
      await admin.waitForTimeout(300); // the frame's resize
      await admin.screenshot({ path: join(out, '1-banner-combined.png') });
      written.push('1-banner-combined.png');

      await bannerUntil(gitlab, extensionId, has('reset-requested-on-gitlab-com'), 'the combined diagnosis');
      await gitlab.bringToFront();
      await gitlab.waitForTimeout(300);
      await gitlab.screenshot({ path: join(out, '2-mailgun.png') });
      written.push('2-mailgun.png');

      // The case view: the admin page narrowed by the side panel's width, the panel beside it
      // (the panel page itself, following the admin tab).
      const panel = await context.newPage();
      await panel.setViewportSize({ width: PANEL_WIDTH, height: HEIGHT });
      await panel.goto(`chrome-extension://${extensionId}/popup.html?panel`);
      await admin.setViewportSize({ width: WIDTH - PANEL_WIDTH, height: HEIGHT });
      await admin.bringToFront();
      await popupUntil(panel, (p) => p.subject === PRIYA && p.findings.length > 1, 'the side panel following the admin tab');
      await admin.waitForTimeout(300);
      const left = await admin.screenshot();
      const right = await panel.screenshot();
      await compose(context, join(out, '3-side-panel.png'),
        `<img src="${dataUrl(left)}" style="position:absolute;left:0;top:0">`
        + `<img src="${dataUrl(right)}" style="position:absolute;left:${WIDTH - PANEL_WIDTH}px;top:0;border-left:1px solid #c7c7c7">`);
      written.push('3-side-panel.png');
    } finally {
      await close();
    }
  }

  {
    // The search with every live look-up on, against the mocks (as the demo's popup), drawn as
    // the popup over the admin page.
    const { context, extensionId, close } = await launchWithLookups();
    try {
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 560, height: HEIGHT - 40 });
      await popup.goto(`chrome-extension://${extensionId}/popup.html?email=${encodeURIComponent(PRIYA)}`);
      await popupUntil(popup, (x) => sourcesSettled(x) && x.findings.length > 0, 'the look-ups');
      const shot = await popup.screenshot();
      const behind = await context.newPage();
      await behind.setViewportSize({ width: WIDTH, height: HEIGHT });
      await behind.goto(fixture('ra3-customer-list-northwind').url);
      await behind.waitForTimeout(500);
      const page = await behind.screenshot();
      await compose(context, join(out, '4-search.png'),
        `<img src="${dataUrl(page)}" style="position:absolute;left:0;top:0;filter:brightness(0.85)">`
        + `<img src="${dataUrl(shot)}" style="position:absolute;right:16px;top:8px;border:1px solid #999;box-shadow:0 6px 24px rgba(0,0,0,.35)">`);
      written.push('4-search.png');
    } finally {
      await close();
    }
  }

  for (const name of written) {
    const [w, h] = pngSize(join(out, name));
    if (w !== WIDTH || h !== HEIGHT) throw new Error(`${name} is ${w}×${h}, not ${WIDTH}×${HEIGHT}`);
    console.log(`  demo-out/store/${name} (${w}×${h})`);
  }
  return written;
}

runIfMain(import.meta.url, async () => {
  console.log('store screenshots:');
  await storeScreenshots();
});
