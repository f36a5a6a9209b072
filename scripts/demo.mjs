// The demo (`npm start`, after the build): Chromium with the built extension on every fixture
// page marked "demo" in www/fixtures.json, served for its real URL. Prints what each banner
// says and writes a screenshot of each page to demo-out/. Headless unless a display is
// available (then the browser stays open until you close it).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtures, bannerFrame, launch, readBanner, serveFixtures } from './lib/browser.mjs';
import { runIfMain } from './setup.mjs';

export async function demo() {
  const headless = !process.env.DISPLAY || process.env.CI === 'true';
  const out = join(ROOT, 'demo-out');
  mkdirSync(out, { recursive: true });
  const { context, extensionId, close } = await launch({ headless });
  await serveFixtures(context);
  const page = context.pages()[0] ?? (await context.newPage());
  for (const f of fixtures().filter((x) => x.demo)) {
    await page.goto(f.url);
    console.log(`\n${f.url}\n  (${f.description})`);
    let frame = null;
    try {
      await page.locator('#cdot-triage-host').waitFor({ state: 'attached', timeout: 1500 });
      frame = await bannerFrame(page, extensionId);
    } catch {
      console.log('  no banner (the extension does not run on this page)');
    }
    if (frame) {
      await page.waitForTimeout(100); // let the frame's resize land before the screenshot
      const b = await readBanner(frame);
      if (b.subject) console.log(`  ${b.subject}: ${b.summary}`);
      if (b.note) console.log(`  ${b.note}`);
      const facts = Object.entries(b.facts).map(([name, value]) => `${name}: ${value}`);
      if (facts.length) console.log(`  facts: ${facts.join(' | ')}`);
      for (const [who, events] of Object.entries(b.recipients)) {
        console.log(`  ${who}:`);
        for (const e of events) console.log(`      ${e.text}`);
      }
      if (b.problems.length) console.log(`  could not read: ${b.problems.join(' | ')}`);
      for (const r of b.rows) console.log(`  row ${r.id ?? '?'}: ${r.email}${r.name ? ` (${r.name})` : ''}${r.hints.length ? ` [${r.hints.join(', ')}]` : ''}`);
      for (const finding of b.findings) {
        console.log(`  [${finding.severity}] ${finding.id}: ${finding.title}`);
        for (const e of finding.evidence) console.log(`      evidence: ${e}`);
        for (const s of finding.steps) console.log(`      next step: ${s.label} <${s.href}>`);
      }
    }
    const shot = join(out, `${f.id}.png`);
    await page.screenshot({ path: shot });
    console.log(`  screenshot: ${shot.slice(ROOT.length + 1)}`);
    if (frame) await page.locator('#cdot-triage-host').screenshot({ path: join(out, `${f.id}.banner.png`) });
  }
  if (headless) {
    await close();
  } else {
    console.log('\nThe browser stays open: close its window to end the demo.');
    await new Promise((done) => context.on('close', done));
  }
}

runIfMain(import.meta.url, demo);
