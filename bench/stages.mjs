// The stages of the WASM pipeline (copy + parse in Rust, read, observations, view: bench_stages in
// src/bench.rs) on generated Mailgun pages, median and minimum of 8 runs, next to the plain-JS
// reader. Needs bench/pkg (npm run bench builds it). On a shared machine the minimum is the
// steadier number.
//   node bench/stages.mjs [mailgun-new-logs-10000,mailgun-old-logs-1000,...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../scripts/setup.mjs';
const ROOT = join(import.meta.dirname, '..');
const gen = JSON.parse(readFileSync(join(ROOT, 'www/app.mailgun.com/generated/fixtures.json'), 'utf8'));
const pages = (process.argv[2] ?? 'mailgun-new-logs-10000').split(',').map((id) => { const f = gen.find((x) => x.id === id); return { id, url: f.url, html: readFileSync(join(ROOT, 'www', f.file), 'utf8') }; });
const browser = await chromium.launch({ executablePath: process.env.CDOT_CHROMIUM || chromiumPath(), headless: true, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext();
const files = { '/pkg/cdot_triage.js': join(ROOT, 'bench/pkg/cdot_triage.js'), '/pkg/cdot_triage_bg.wasm': join(ROOT, 'bench/pkg/cdot_triage_bg.wasm'), '/js-reader.mjs': join(ROOT, 'bench/js-reader.mjs') };
await context.route('https://b.test/**', (r) => {
  const path = new URL(r.request().url()).pathname;
  if (files[path]) return r.fulfill({ status: 200, contentType: path.endsWith('wasm') ? 'application/wasm' : 'text/javascript', body: readFileSync(files[path]) });
  const p = pages.find((x) => `/page/${x.id}` === path);
  if (p) return r.fulfill({ status: 200, contentType: 'text/plain', body: p.html });
  return r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>b</title>' });
});
const tab = await context.newPage();
await tab.goto('https://b.test/');
for (const p of pages) {
  const out = await tab.evaluate(async ({ id, url }) => {
    const wasm = await import('/pkg/cdot_triage.js');
    await wasm.default({ module_or_path: '/pkg/cdot_triage_bg.wasm' });
    const js = await import('/js-reader.mjs');
    const html = await (await fetch(`/page/${id}`)).text();
    const runs = [];
    const jsr = [];
    for (let i = 0; i < 9; i++) { runs.push(Array.from(wasm.bench_stages(html, url))); const t = performance.now(); js.readPage(html, url); jsr.push(performance.now() - t); }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const min = (xs) => Math.min(...xs);
    const r1 = (x) => Math.round(x * 10) / 10;
    return { stages: [0, 1, 2, 3].map((k) => `${r1(med(runs.slice(1).map((r) => r[k])))} (min ${r1(min(runs.slice(1).map((r) => r[k])))})`), js: `${r1(med(jsr.slice(1)))} (min ${r1(min(jsr.slice(1)))})` };
  }, { id: p.id, url: p.url });
  console.log(p.id, 'parse/read/observe/view', out.stages.join(' / '), 'js read', out.js);
}
await browser.close();
