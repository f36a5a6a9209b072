// The demo (`npm start`, after the build): Chromium with the built extension on every fixture
// page marked "demo" in www/fixtures.json, served for its real URL. Prints what each banner
// says and writes a screenshot of each page to demo-out/. Headless unless a display is
// available (then the browser stays open until you close it).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtures, bannerFrame, launch, popupUntil, readBanner, serveFixtures, sourcesSettled } from './lib/browser.mjs';
import { launchWithLookups } from './lib/mocks.mjs';
import { runIfMain } from './setup.mjs';
import { storeScreenshots } from './store-screenshots.mjs';

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
      if (b.verdict) console.log(`  verdict: ${b.verdict}`);
      b.plan.forEach((p, i) => console.log(`  ${i === 0 ? 'plan:' : '     '} ${i + 1}. ${p.label} <${p.href}>`));
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
        if (finding.evidenceLabel) console.log(`      ${finding.evidenceLabel}, collapsed:`);
        for (const e of finding.evidence) console.log(`      evidence: ${e}`);
        for (const s of finding.steps) console.log(`      next step: ${s.label} <${s.href}>`);
      }
    }
    const shot = join(out, `${f.id}.png`);
    await page.screenshot({ path: shot });
    console.log(`  screenshot: ${shot.slice(ROOT.length + 1)}`);
    if (frame) await page.locator('#cdot-triage-host').screenshot({ path: join(out, `${f.id}.banner.png`) });
  }
  // The first page again, once every page's evidence is stored: the combined diagnosis, verdict
  // first (docs/banner-combined.png).
  const first = fixtures().find((x) => x.demo);
  await page.goto(first.url);
  await bannerFrame(page, extensionId);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'banner-combined.png') });
  console.log(`\n${first.url} again, with every page's evidence: screenshot: demo-out/banner-combined.png`);
  await popupDemo(out);
  console.log('\nStore screenshots (1280×800, docs/store.md):');
  await storeScreenshots();
  if (headless) {
    await close();
  } else {
    console.log('\nThe browser stays open: close its window to end the demo.');
    await new Promise((done) => context.on('close', done));
  }
}

/**
 * The popup, searching one address with every live look-up on, against the mocks of the admin
 * and Mailgun's APIs (www/api.mailgun.net/mock.json): the look-ups' hosts as already allowed,
 * the mock's API key saved as the options page would.
 */
async function popupDemo(out) {
  const email = 'Priya.Raman@northwind-analytics.io';
  const { context, extensionId, close } = await launchWithLookups();
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 600, height: 1400 });
    await page.goto(`chrome-extension://${extensionId}/popup.html?email=${encodeURIComponent(email)}`);
    const p = await popupUntil(page, (x) => sourcesSettled(x) && x.findings.length > 0, 'the look-ups');
    console.log(`\npopup.html?email=${email}\n  (the toolbar popup with the live look-ups on, against the mocks in www/)`);
    console.log(`  ${p.subject}`);
    if (p.verdict) console.log(`  verdict: ${p.verdict}`);
    if (p.plan.length) console.log(`  plan: ${p.plan.join(' → ')}`);
    for (const [id, s] of Object.entries(p.sources)) console.log(`  look-up ${id}: ${s.state}: ${s.text}`);
    for (const f of p.findings) console.log(`  ${f.id}: ${f.title}`);
    console.log(`  observed: ${p.observed.length} observations, newest: ${p.observed[0]?.text}`);
    const shot = join(out, 'popup.png');
    await page.screenshot({ path: shot, fullPage: true });
    await page.screenshot({ path: join(out, 'popup-top.png'), clip: { x: 0, y: 0, width: 600, height: 1000 } });
    console.log(`  screenshot: ${shot.slice(ROOT.length + 1)}`);
  } finally {
    await close();
  }
}

runIfMain(import.meta.url, demo);
