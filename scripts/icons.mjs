// Renders the one icon drawing, icons/cdot-triage.svg, to the PNG sizes the manifests declare
// (extension/icons/icon-{16,32,48,128}.png: toolbar 16/32, extensions page 48, store 128), in
// Chromium with a transparent background, each size drawn from the vector (not scaled down
// from a large PNG). The PNGs are committed; run this after changing the drawing:
//   node scripts/icons.mjs
// Also writes demo-out/icons-preview.png: every size on a light and a dark toolbar colour.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromiumPath, root, runIfMain } from './setup.mjs';

export const SIZES = [16, 32, 48, 128];
const source = path.join(root, 'icons', 'cdot-triage.svg');
const outDir = path.join(root, 'extension', 'icons');

export async function renderIcons() {
  const svg = readFileSync(source, 'utf8');
  const url = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const browser = await chromium.launch({
    executablePath: process.env.CDOT_CHROMIUM || chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--force-color-profile=srgb'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    mkdirSync(outDir, { recursive: true });
    for (const size of SIZES) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<style>html,body{margin:0;background:transparent}img{display:block}</style><img width="${size}" height="${size}" src="${url}">`);
      await page.locator('img').evaluate((img) => img.decode());
      const file = path.join(outDir, `icon-${size}.png`);
      writeFileSync(file, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
      console.log(`  ${path.relative(root, file)}`);
    }
    // A preview to look at: each PNG at its own size and at 4×, on a light and a dark toolbar.
    const png = (size) => `data:image/png;base64,${readFileSync(path.join(outDir, `icon-${size}.png`)).toString('base64')}`;
    const row = (bg) => `<div style="background:${bg};padding:8px;display:flex;gap:12px;align-items:center">${
      SIZES.map((s) => `<img src="${png(s)}" width="${s}" height="${s}">`).join('')
    }${[16, 32].map((s) => `<img src="${png(s)}" width="${s * 4}" height="${s * 4}" style="image-rendering:pixelated">`).join('')}</div>`;
    await page.setViewportSize({ width: 520, height: 288 });
    await page.setContent(`<body style="margin:0">${row('#f1f3f4')}${row('#202124')}</body>`);
    await page.waitForLoadState('load');
    const preview = path.join(root, 'demo-out', 'icons-preview.png');
    mkdirSync(path.dirname(preview), { recursive: true });
    await page.screenshot({ path: preview, fullPage: true });
    console.log(`  ${path.relative(root, preview)} (not committed)`);
  } finally {
    await browser.close();
  }
}

runIfMain(import.meta.url, renderIcons);
