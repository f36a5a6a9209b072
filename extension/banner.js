// Loader of the banner frame: listens for the content script's handshake from the first moment
// (the module may still be loading when it arrives), then hands every window message to the
// WASM module, which accepts only the one carrying this frame's token and port. Also builds
// the observation store client the module uses (store-client.js: a port to the background,
// which keeps the store and the settings), and starts the frame's reader: a dedicated worker
// (banner-worker.js) where the module parses, reads and diagnoses the snapshots, off the main
// thread that every banner frame and the popup share (src/frame/worker.rs).
import init, { Banner } from './pkg/cdot_triage.js';
import { storeClient } from './store-client.js';
import { scrubMessage } from './report.js';
import { isHelloMessage } from './handshake.js';

// Marks for `npm run bench` (bench/run.mjs reads them; nothing else does): the module graph
// loaded, the WASM module ready, the first render landing in #banner, and the next frame
// after it (painted). Only in bench builds (scripts/build.mjs --bench).
// bench-only:start
performance.mark('cdot-triage:frame-start');
new MutationObserver((_, observer) => {
  observer.disconnect();
  performance.mark('cdot-triage:first-render');
  requestAnimationFrame(() => setTimeout(() => performance.mark('cdot-triage:banner-painted')));
}).observe(document.getElementById('banner'), { childList: true });
// The main thread's long tasks (over 50 ms) as [absolute start, duration]: the hostage step
// reads them to tell what held the shared main thread.
globalThis.__cdotLongTasks = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) globalThis.__cdotLongTasks.push([performance.timeOrigin + e.startTime, e.duration]);
  }).observe({ type: 'longtask' });
} catch { /* no long task timing */ }
// bench-only:end

const api = globalThis.browser ?? globalThis.chrome;
// The module is compiled once, for the frame and its reader: the worker gets the compiled
// module (a streaming compile where the response allows it).
const compiled = fetch(new URL('pkg/cdot_triage_bg.wasm', import.meta.url)).then((response) => {
  if (!response.ok) throw new Error(`cdot_triage_bg.wasm: ${response.status}`);
  return WebAssembly.compileStreaming(response.clone()).catch(() => response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes)));
});
// Started first: it loads its script while this page does. Where no module worker can be
// started, the frame reads its snapshots itself (the module's fallback).
let worker = null;
try {
  worker = new Worker(new URL('banner-worker.js', import.meta.url), { type: 'module' });
  compiled.then((module) => worker.postMessage({ type: 'module', module }), () => {});
  worker.addEventListener('message', ({ data }) => {
    if (data?.type !== 'failed') return;
    if (typeof data.report === 'string') globalThis.__cdotTriageReport = data.report;
    fail(new Error(typeof data.message === 'string' ? data.message : 'the reader failed'));
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    fail(event.error ?? event.message ?? new Error('the reader failed'));
  });
} catch {
  worker = null;
}
const early = [];
let banner = null;
let port = null; // the handshake's port: the error state sizes and dismisses the frame over it
let failed = false;
addEventListener('message', (event) => {
  if (failed) {
    if (!port && isHello(event)) port = event.ports[0];
    return resizeError();
  }
  if (!banner) return early.push(event);
  if (banner.handshake(event)) port = event.ports[0];
});
addEventListener('error', (event) => fail(event.error ?? event.message));
addEventListener('unhandledrejection', (event) => fail(event.reason));
addEventListener('cdot-triage-panic', () => fail()); // the module's panic hook (src/frame/error.rs)

// cdot-triage failing must not break anything: any error in this frame (a failed load, an
// exception, a Rust panic, which the release build turns into a WebAssembly trap) replaces the
// banner with a small error state and a report to copy. A panic's report is written by the
// module's panic hook just before the trap (src/frame/error.rs); after a trap the module must
// not be called again (its memory may be mid-change), so this state is built here with plain
// DOM calls and text nodes, and the report of a JavaScript error is made here too.
function fail(error) {
  if (failed) return;
  failed = true;
  const report = globalThis.__cdotTriageReport ?? jsReport(error);
  document.getElementById('banner').hidden = true;
  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  };
  const section = el('section', 'banner failed');
  section.setAttribute('role', 'alert');
  section.dataset.state = 'error';
  const bar = el('header', 'bar');
  const copy = el('button', 'copy-report', 'Copy report');
  copy.type = 'button';
  copy.addEventListener('click', () => navigator.clipboard.writeText(report).then(
    () => { copy.textContent = 'Copied'; },
    () => { copy.textContent = 'Copy failed: select the report below'; },
  ));
  const dismiss = el('button', 'dismiss', '×');
  dismiss.type = 'button';
  dismiss.setAttribute('aria-label', 'Dismiss');
  dismiss.addEventListener('click', () => port?.postMessage({ type: 'dismiss' }));
  bar.append(el('span', 'brand', 'cdot-triage'), el('span', 'note', 'cdot-triage hit an error. The page itself is not affected; reload it to try again.'), copy, dismiss);
  const details = el('details', 'report');
  details.append(el('summary', '', 'What the report says (no customer data)'), el('pre', '', report));
  details.addEventListener('toggle', resizeError);
  section.append(bar, details);
  document.body.prepend(section);
  document.getElementById('status').textContent = 'cdot-triage hit an error';
  for (const event of early.splice(0)) if (!port && isHello(event)) port = event.ports[0];
  resizeError();
}

function resizeError() {
  const section = document.querySelector('section.failed');
  if (section) port?.postMessage({ type: 'resize', height: Math.ceil(section.getBoundingClientRect().height) });
}

// The module checks the handshake when it runs (src/frame/mod.rs); when it could not, the error
// state takes the port under the same conditions, only to size and dismiss the frame.
function isHello(event) {
  return isHelloMessage({ fromParent: event.source === parent, data: event.data, ports: event.ports.length, hash: location.hash });
}

// Version, the page's site (its origin: Chrome's ancestorOrigins, else the referrer), and the
// message scrubbed by the rules of core::report::scrub (report.js, checked against the same
// cases).
function jsReport(error) {
  let site = 'unknown';
  try { site = new URL(location.ancestorOrigins?.[0] ?? document.referrer).host || site; } catch { /* none */ }
  const message = scrubMessage(error?.message ?? error ?? 'unknown error');
  return `cdot-triage ${api.runtime.getManifest().version} hit an error\npage: ${site}, not read\nerror: ${message}`;
}

try {
  await init({ module_or_path: await compiled });
  performance.mark('cdot-triage:wasm-ready'); // bench-only
  banner = new Banner(location.hash, storeClient(api), worker);
  for (const event of early.splice(0)) if (banner.handshake(event)) port = event.ports[0];
} catch (error) {
  fail(error);
}
