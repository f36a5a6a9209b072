// A CPU profile (CDP) of bench_stages on one generated Mailgun page: self time by function,
// JS, DOM and WASM. For WASM function names, point PKG at a wasm-bindgen --keep-debug output
// optimised with wasm-opt -Oz -g.   PKG=build/profile-pkg node bench/profile.mjs [fixture id]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../scripts/setup.mjs';
const ROOT = join(import.meta.dirname, '..');
const PKG = process.env.PKG ?? join(ROOT, 'bench/pkg');
const gen = JSON.parse(readFileSync(join(ROOT, 'www/app.mailgun.com/generated/fixtures.json'), 'utf8'));
const f = gen.find((x) => x.id === (process.argv[2] ?? 'mailgun-new-logs-10000'));
const html = readFileSync(join(ROOT, 'www', f.file), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CDOT_CHROMIUM || chromiumPath(), headless: true, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext();
await context.route('https://b.test/**', (r) => {
  const path = new URL(r.request().url()).pathname;
  if (path.startsWith('/pkg/')) return r.fulfill({ status: 200, contentType: path.endsWith('wasm') ? 'application/wasm' : 'text/javascript', body: readFileSync(join(PKG, path.slice(5))) });
  if (path === '/page') return r.fulfill({ status: 200, contentType: 'text/plain', body: html });
  return r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>b</title>' });
});
const tab = await context.newPage();
await tab.goto('https://b.test/');
await tab.evaluate(async () => {
  globalThis.wasm = await import('/pkg/cdot_triage.js');
  await globalThis.wasm.default({ module_or_path: '/pkg/cdot_triage_bg.wasm' });
  globalThis.html = await (await fetch('/page')).text();
});
await tab.evaluate((url) => wasm.bench_stages(html, url), f.url);
const cdp = await context.newCDPSession(tab);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
const stages = await tab.evaluate((url) => { const r = []; for (let i = 0; i < 3; i++) r.push(Array.from(wasm.bench_stages(html, url))); return r; }, f.url);
const { profile } = await cdp.send('Profiler.stop');
console.log('stages', JSON.stringify(stages.map((s) => s.map((x) => Math.round(x)))));
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
for (const [id, t] of dt) {
  const n = byId.get(id);
  const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
  self.set(name, (self.get(name) ?? 0) + t);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 45))) console.log((t / 1000 / 3).toFixed(1).padStart(8), 'ms', name.slice(0, 150));
console.log('total per run', (total / 1000 / 3).toFixed(1));
await browser.close();
