// `npm run bench`: the performance numbers of issue #8, printed as a table and written to
// bench/results.json (git-ignored). Not part of `npm test`: numbers are measured, never asserted.
//
//   1. build: the release extension (scripts/build.mjs) and a second module of the same crate
//      with the `bench` feature (src/bench.rs) into bench/pkg/ (git-ignored); sizes.
//   2. diagnose() natively over 10 and 10,000 observations (cargo bench --bench diagnose).
//   3. time to banner in Chromium with the extension: from the content script's first line
//      (performance mark `cdot-triage:content-start` in the page) to the first render in the
//      frame (`cdot-triage:first-render`) and the frame after it (`cdot-triage:banner-painted`,
//      banner.js), on absolute clocks (timeOrigin + mark). Cold: a fresh profile per load.
//      Warm: repeated loads in one browser. Pages: a Show page, the same with a 100 ms script in
//      <head> (as the real admin loads its JavaScript there), a 100-row list (generated here
//      from the committed 24-row page's markup), Mailgun logs with 1,000 and 10,000 rows. The
//      content script starts at document_start, so the page's own loading and parsing is
//      inside this time; `parsed →` is the part after the page is parsed (DOMContentLoaded).
//      Per page, each stage from content start to paint (STAGES below: page parsed, frame
//      loaded, WASM ready, snapshot taken and sent, copied in, parsed, read, observations,
//      diagnosis and view, records and message, message back, DOM built, painted; then the
//      store's write and read after the paint), median and p95, cold and warm, next to the
//      floor's (step 5) from the same run:
//      the module's stages are performance marks of a bench build (src/frame/marks.rs).
//   4. the frame's JS heap after the 10,000-row page (CDP Runtime.getHeapUsage on the frame).
//   5. the floor: the same on the Show page with banner.html replaced by an empty page with
//      one empty script (Chrome's share of time to banner, none of ours).
//   6. reader throughput: the WASM reader (bench/pkg) and the plain-JS peer (bench/js-reader.mjs)
//      on identical HTML strings in one extension-less page of the same browser; DOMParser is
//      inside both timings.
//
// Options: --runs=N (loads per page and mode, default 30), --quick (5 runs, shorter loops),
// --no-build (use dist/ and bench/pkg as they are), --extension=DIR (time to banner of another
// unpacked build, e.g. an older commit's dist/chrome for an A/B), --bench-pkg=DIR (the reader
// step with another build's bench module),
//   7. the store soak (bench/soak.mjs): 10 tabs, 200 loads and navigations, observations lost
//      and the write latency p50/p95.
//   8. no page holds the others hostage (`hostage`): in one browser, a Mailgun logs page of
//      10,000 and of 40,000 rows in one tab; each run changes it (a new snapshot, read again
//      in its frame) and, as the snapshot leaves the page (`cdot-triage:snapshot-sent`), loads
//      the Show page in a second tab (content start → banner painted, as step 3) and opens
//      popup.html in a third (navigation start → `cdot-triage:popup-ready`, after the popup's
//      first render). The same two without the heavy tab first ("alone"). --hostage-runs=N
//      (default 5, --quick 3).
// --only=size,diagnose,banner,floor,reader,soak,hostage,
// --pages=show,show-script,list-100,mailgun-1000,mailgun-10000 (banner and reader steps on those pages only).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { launch, ROOT, fixture } from '../scripts/lib/browser.mjs';
import { respond } from '../scripts/lib/fixtures.mjs';
import { chromiumPath } from '../scripts/setup.mjs';
import { soak, soakLine } from './soak.mjs';
import { generateOldLogsPage } from '../scripts/fixtures/mailgun.mjs';

const BENCH = join(ROOT, 'bench');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? (quick ? 5 : 30));
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (step) => !only || only.includes(step);
const pageIds = args.find((a) => a.startsWith('--pages='))?.slice(8).split(',');
const extensionDir = args.find((a) => a.startsWith('--extension='))?.slice(12); // default dist/chrome
// The bench module the reader step loads (default bench/pkg): another build's, for an A/B.
const benchPkg = args.find((a) => a.startsWith('--bench-pkg='))?.slice(12) ?? join(BENCH, 'pkg');
const hostageRuns = Number(args.find((a) => a.startsWith('--hostage-runs='))?.slice(15) ?? (quick ? 3 : 5));
const started = performance.now();

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: ['ignore', opts.capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status})`);
  return r.stdout;
}
const kb = (n) => Math.round((n / 1024) * 10) / 10;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const round = (x, d = 1) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: round(q(0.5)), p95: round(q(0.95)), min: round(s[0]), max: round(s[s.length - 1]) };
}

// ---------------------------------------------------------------------------------------
// Pages

/** The committed 24-row list's markup with its rows repeated to 100 (ids and addresses unique). */
function list100() {
  const html = readFileSync(join(ROOT, 'www/customers.gitlab.com/admin/customer/index-northwind-page2.html'), 'utf8');
  const start = html.indexOf('<tbody');
  const open = html.indexOf('>', start) + 1;
  const close = html.indexOf('</tbody>', open);
  const rows = html.slice(open, close).split(/(?=<tr class="customer_row)/).filter((r) => r.includes('<tr'));
  const out = [];
  for (let i = 0; i < 100; i++) {
    const id = String(20000 + i);
    out.push(rows[i % rows.length]
      .replace(/\/admin\/customer\/\d+/g, `/admin/customer/${id}`)
      .replace(/value="\d+"/, `value="${id}"`)
      .replace(/([A-Za-z0-9._+-]+)@northwind-analytics\.io/g, `$1.${i}@northwind-analytics.io`));
  }
  return html.slice(0, open) + '\n' + out.join('') + html.slice(close).replace(/\b24 customers\b/, '100 customers');
}

function mailgunFixtures() {
  const list = join(ROOT, 'www/app.mailgun.com/generated/fixtures.json');
  if (!existsSync(list)) sh('node', ['scripts/fixtures/mailgun.mjs']);
  return JSON.parse(readFileSync(list, 'utf8'));
}

function pages() {
  const generated = mailgunFixtures();
  const mg = (id) => {
    const f = generated.find((x) => x.id === id);
    return { url: f.url, html: readFileSync(join(ROOT, 'www', f.file), 'utf8') };
  };
  const show = fixture('ra3-customer-unconfirmed');
  const showHtml = readFileSync(join(ROOT, 'www', show.file), 'utf8');
  return [
    { id: 'show', label: 'Show page', url: show.url, html: showHtml },
    // The real admin loads its JavaScript in <head> (RailsAdmin 3: Turbo, Bootstrap, its ui.js),
    // and the page is parsed (DOMContentLoaded) only after it: modelled by one script that the
    // bench serves 100 ms late. A fixture served instantly hides the page's own loading time.
    { id: 'show-script', label: 'Show page, 100 ms script in <head>', url: `${show.url}?bench=script`,
      html: showHtml.replace('</head>', `  <script src="${SLOW_SCRIPT}"></script>\n</head>`) },
    { id: 'list-100', label: 'List, 100 rows', url: 'https://customers.gitlab.com/admin/customer?query=northwind-analytics.io&sort=email&limit=100', html: list100() },
    { id: 'mailgun-1000', label: 'Mailgun, 1,000 rows', ...mg('mailgun-new-logs-1000') },
    { id: 'mailgun-10000', label: 'Mailgun, 10,000 rows', ...mg('mailgun-new-logs-10000') },
  ];
}

const SLOW_SCRIPT = '/assets/rails_admin/bench-100ms.js';

/** Serves the bench pages for their URLs, everything else as the tests do. */
async function route(context, benchPages) {
  const byUrl = new Map(benchPages.map((p) => [p.url, p.html]));
  for (const host of ['customers.gitlab.com', 'app.mailgun.com']) {
    await context.route(`https://${host}/**`, async (r) => {
      const url = r.request().url();
      if (new URL(url).pathname === SLOW_SCRIPT) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return r.fulfill({ status: 200, contentType: 'text/javascript', body: '// bench: a late <head> script\n' });
      }
      const html = byUrl.get(url.split('#')[0]);
      return r.fulfill(html !== undefined ? { status: 200, contentType: 'text/html; charset=utf-8', body: html } : respond(url));
    });
  }
}

// ---------------------------------------------------------------------------------------
// Steps

function buildAll() {
  sh('node', ['scripts/build.mjs', '--bench']); // with the performance marks
  sh('cargo', ['build', '--release', '--lib', '--target', 'wasm32-unknown-unknown', '--features', 'bench', '--target-dir', 'target/bench']);
  sh('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', 'bench/pkg', 'target/bench/wasm32-unknown-unknown/release/cdot_triage.wasm']);
  sh(join(ROOT, 'node_modules/.bin/wasm-opt'), ['-Oz', '--low-memory-unused', 'bench/pkg/cdot_triage_bg.wasm', '-o', 'bench/pkg/cdot_triage_bg.wasm']); // as scripts/build.mjs
}

function sizes() {
  const wasm = join(ROOT, 'build/pkg/cdot_triage_bg.wasm');
  const glue = join(ROOT, 'build/pkg/cdot_triage.js');
  // The zips carry the version (scripts/build.mjs): dist/cdot-triage-<browser>-<version>.zip.
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const zip = join(ROOT, `dist/cdot-triage-chrome-${version}.zip`);
  return {
    wasm_kb: kb(statSync(wasm).size), wasm_gz_kb: kb(gz(wasm)),
    glue_kb: kb(statSync(glue).size), glue_gz_kb: kb(gz(glue)),
    zip_chrome_kb: kb(statSync(zip).size), zip_firefox_kb: kb(statSync(join(ROOT, `dist/cdot-triage-firefox-${version}.zip`)).size),
  };
}

function diagnoseBench() {
  const out = sh('cargo', ['bench', '--bench', 'diagnose', '--', '--json'], {
    capture: true, env: { ...process.env, ...(quick ? { CDOT_BENCH_QUICK: '1' } : {}) } });
  return out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

const PREFIX = (id) => `chrome-extension://${id}/banner.html`;

/** The stages from content start to paint, in the order the table shows them. */
const STAGES = [
  ['page parsed', 'the page\'s own loading and parsing (content start → DOMContentLoaded)'],
  ['frame loaded', 'content start → banner.html and its scripts loaded (in parallel with the page)'],
  ['WASM ready', 'the module fetched, compiled and instantiated'],
  ['snapshot taken and sent', 'from the later of page parsed and WASM ready to the snapshot in the frame'],
  ['copied in', 'the markup copied into the module'],
  ['parsed', 'markup → tree (cdot-html)'],
  ['read', 'the readers on the tree'],
  ['observations', 'the reading → observations and store records'],
  ['diagnosis and view', 'diagnose() and the banner\'s view, from this page\'s own observations'],
  ['records and message', 'the records to store and the view\'s text, for the frame'],
  ['message back', 'the reader\'s message to the frame\'s main thread (copied, and waiting for its turn)'],
  ['DOM built', 'the view read and the banner\'s DOM rendered'],
  ['painted', 'DOM built → the next frame'],
  ['total', 'content start → painted'],
  ['store write', 'after the paint: the new records handed to the store, until it answers'],
  ['store read', 'after the paint: every stored record read back (then the banner is drawn again)'],
];

/**
 * The stages of one load from the marks (absolute times): the page's (`content`, `parsed`),
 * banner.js's and the module's (src/frame/marks.rs, `[name, time]` pairs). The in-frame chain
 * is taken backwards from the paint (the last mark of each stage before the next one), so a
 * snapshot that waited for the settings, or an earlier snapshot, does not count.
 */
function stagesOf({ content, parsed, painted, frameMarks }) {
  const times = (name) => frameMarks.filter(([n]) => n === name).map(([, t]) => t);
  const lastBefore = (name, t) => Math.max(...times(name).filter((x) => x <= t));
  const firstAfter = (name, t) => Math.min(...times(name).filter((x) => x >= t));
  const at = { painted };
  let t = painted;
  for (const name of ['first-render', 'dom-built', 'arrived', 'message', 'view', 'observations', 'read', 'parsed', 'copied-in', 'snapshot-received']) {
    const x = lastBefore(name, t);
    at[name] = x;
    // A build without the mark (`arrived` and `message` are newer): the chain goes on.
    if (Number.isFinite(x)) t = x;
  }
  const or = (a, b) => (Number.isFinite(a) ? a : b);
  const frameStart = Math.min(...times('frame-start'));
  const ready = Math.min(...times('wasm-ready'));
  const writeStart = firstAfter('store-write-start', at['copied-in']);
  const write = firstAfter('store-write', writeStart);
  // The store tells every banner of the change (this one too) as it writes: the read back may
  // start before the write's answer arrives.
  const readStart = firstAfter('store-read-start', Number.isFinite(writeStart) ? writeStart : at['copied-in']);
  const read = firstAfter('store-read', readStart);
  const d = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? b - a : null);
  return {
    'page parsed': parsed === null ? null : parsed - content,
    'frame loaded': d(content, frameStart),
    'WASM ready': d(frameStart, ready),
    'snapshot taken and sent': d(Math.max(parsed ?? content, ready), at['snapshot-received']),
    'copied in': d(at['snapshot-received'], at['copied-in']),
    parsed: d(at['copied-in'], at.parsed),
    read: d(at.parsed, at.read),
    observations: d(at.read, at.observations),
    'diagnosis and view': d(at.observations, at.view),
    'records and message': d(at.view, at.message),
    'message back': d(at.message, at.arrived),
    'DOM built': d(or(at.arrived, at.view), at['dom-built']),
    painted: d(at['dom-built'], painted),
    total: painted - content,
    'store write': d(writeStart, write),
    'store read': d(readStart, read),
  };
}

/** The frame's marks as `[name, absolute time]` (names without the `cdot-triage:` prefix). */
const frameMarksOf = (frame) => frame.evaluate(() => performance.getEntriesByType('mark')
  .filter((m) => m.name.startsWith('cdot-triage:')).map((m) => [m.name.slice(12), performance.timeOrigin + m.startTime]));

/**
 * Loads `page` in `tab` and returns its time to banner (ms) and the frame's stages. With
 * `stages`, also waits (up to 3 s) for the store's round trips after the paint.
 */
async function loadOnce(tab, extensionId, page, { stages = true } = {}) {
  await tab.goto(page.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  const deadline = Date.now() + 60_000;
  let frame;
  while (!(frame = tab.frames().find((f) => f.url().startsWith(PREFIX(extensionId))))) {
    if (Date.now() > deadline) throw new Error(`no banner frame on ${page.url}`);
    await tab.waitForTimeout(5);
  }
  const marks = await frame.waitForFunction(() => {
    const at = (name) => {
      const m = performance.getEntriesByName(`cdot-triage:${name}`)[0];
      return m ? performance.timeOrigin + m.startTime : null;
    };
    const painted = at('banner-painted');
    return painted && { start: at('frame-start'), ready: at('wasm-ready'), render: at('first-render'), painted };
  }, null, { timeout: 60_000, polling: 10 }).then((h) => h.jsonValue());
  const [content, parsed, navigation, pagePainted] = await tab.evaluate(() => [...['content-start', 'page-parsed'].map((name) => {
    const m = performance.getEntriesByName(`cdot-triage:${name}`)[0];
    return m ? performance.timeOrigin + m.startTime : null;
  }), performance.timeOrigin, performance.timeOrigin + (performance.getEntriesByName('first-paint')[0]?.startTime ?? NaN)]);
  if (content === null) throw new Error('no content-start mark: is dist/ built from this extension/?');
  let frameMarks = [];
  if (stages) {
    // The store is written when the frame is idle (within a second) and read back when it
    // says it changed (or at once when the page brought nothing new): until both are marked.
    const until = Date.now() + 3000;
    for (;;) {
      frameMarks = await frameMarksOf(frame);
      const last = (name) => Math.max(...frameMarks.filter(([n]) => n === name).map(([, t]) => t));
      const done = last('store-read') > marks.render && !(last('store-write-start') > last('store-write'));
      if (done || Date.now() > until) break;
      await tab.waitForTimeout(20);
    }
  }
  return {
    stages: stages ? stagesOf({ content, parsed, painted: marks.painted, frameMarks }) : null,
    painted: marks.painted - content,
    render: marks.render - content,
    // The content script starts at document_start: the page's own loading and parsing comes
    // first, and this is the part after it (where a document_idle script would have started).
    afterParsed: parsed === null ? null : marks.painted - parsed,
    pageParsed: parsed === null ? null : parsed - content,
    // The page's own first paint: the banner, composited with the page, cannot come before it.
    pagePainted: pagePainted - content,
    // From the page's navigation start: the same clock for any build (an A/B of run_at).
    fromNavigation: marks.painted - navigation,
    frameLoaded: marks.start - content, // iframe created, banner.html + glue loaded
    wasmReady: marks.ready - marks.start, // WASM fetched, compiled, instantiated
    toRender: marks.render - marks.ready, // handshake, snapshot, parse, read, diagnose, render
    frame,
  };
}

/** Median and p95 of each stage over the loads (null where a load had no such stage). */
function stageStats(samples) {
  const out = {};
  for (const [name] of STAGES) {
    const xs = samples.map((s) => s.stages?.[name]).filter((x) => Number.isFinite(x));
    out[name] = xs.length ? stats(xs) : null;
  }
  return out;
}

const summarise = (samples) => ({
  stages: stageStats(samples),
  painted: stats(samples.map((s) => s.painted)),
  render: stats(samples.map((s) => s.render)),
  after_parsed: samples.some((s) => s.afterParsed === null) ? null : stats(samples.map((s) => s.afterParsed)),
  from_navigation: stats(samples.map((s) => s.fromNavigation)),
  stages_median: {
    page_parsed: samples.some((s) => s.pageParsed === null) ? null : stats(samples.map((s) => s.pageParsed)).median,
    // Chrome does not always report a first paint (e.g. a reload of identical content).
    page_painted: samples.some((s) => Number.isFinite(s.pagePainted)) ? stats(samples.map((s) => s.pagePainted).filter(Number.isFinite)).median : null,
    frame_loaded: stats(samples.map((s) => s.frameLoaded)).median,
    wasm_ready: stats(samples.map((s) => s.wasmReady)).median,
    snapshot_to_render: stats(samples.map((s) => s.toRender)).median,
  },
});

async function bannerBench(benchPages) {
  const out = {};
  // Cold: a fresh profile (and so no compiled-code cache) for every load.
  for (const page of benchPages) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const { context, extensionId, close } = await launch({ extensionDir });
      try {
        await route(context, benchPages);
        const tab = context.pages()[0] ?? await context.newPage();
        samples.push(await loadOnce(tab, extensionId, page));
      } finally {
        await close();
      }
    }
    out[page.id] = { cold: summarise(samples) };
    process.stdout.write(`  cold ${page.id}: median ${out[page.id].cold.painted.median} ms\n`);
  }
  // Warm: one browser, one tab, each page loaded once first, then `runs` times.
  const { context, extensionId, close } = await launch({ extensionDir });
  let memory = null;
  try {
    await route(context, benchPages);
    const tab = context.pages()[0] ?? await context.newPage();
    for (const page of benchPages) {
      await loadOnce(tab, extensionId, page);
      const samples = [];
      for (let i = 0; i < runs; i++) samples.push(await loadOnce(tab, extensionId, page));
      out[page.id].warm = summarise(samples);
      process.stdout.write(`  warm ${page.id}: median ${out[page.id].warm.painted.median} ms\n`);
      if (page.id === 'mailgun-10000') memory = await frameMemory(context, samples.at(-1).frame);
    }
  } finally {
    await close();
  }
  return { banner: out, memory };
}

/**
 * The floor under time to banner: this extension with banner.html replaced by a page that
 * loads one empty script, which marks itself painted one frame later (as banner.js does).
 * What is left is Chrome creating an extension-origin frame and loading a page and a script
 * into it, with none of our work.
 */
async function floorBench(benchPages) {
  const show = benchPages.find((p) => p.id === 'show');
  if (!show) return null;
  const dir = mkdtempSync(join(tmpdir(), 'cdot-triage-floor-'));
  try {
    cpSync(extensionDir ?? join(ROOT, 'dist/chrome'), dir, { recursive: true });
    writeFileSync(join(dir, 'banner.html'), '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>floor</title>'
      + '<script type="module" src="floor.js"></script></head><body><main id="banner"></main></body></html>\n');
    writeFileSync(join(dir, 'floor.js'), "performance.mark('cdot-triage:frame-start');\n"
      + "performance.mark('cdot-triage:wasm-ready');\nperformance.mark('cdot-triage:first-render');\n"
      + "requestAnimationFrame(() => setTimeout(() => performance.mark('cdot-triage:banner-painted')));\n");
    const cold = [];
    for (let i = 0; i < runs; i++) {
      const { context, extensionId, close } = await launch({ extensionDir: dir });
      try {
        await route(context, benchPages);
        cold.push(await loadOnce(context.pages()[0] ?? await context.newPage(), extensionId, show, { stages: false }));
      } finally {
        await close();
      }
    }
    const warm = [];
    const { context, extensionId, close } = await launch({ extensionDir: dir });
    try {
      await route(context, benchPages);
      const tab = context.pages()[0] ?? await context.newPage();
      await loadOnce(tab, extensionId, show, { stages: false });
      for (let i = 0; i < runs; i++) warm.push(await loadOnce(tab, extensionId, show, { stages: false }));
    } finally {
      await close();
    }
    const out = { cold: stats(cold.map((s) => s.painted)), warm: stats(warm.map((s) => s.painted)),
      frame_loaded: { cold: stats(cold.map((s) => s.frameLoaded)), warm: stats(warm.map((s) => s.frameLoaded)) } };
    process.stdout.write(`  floor (empty frame) show: cold ${out.cold.median} ms, warm ${out.warm.median} ms\n`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The banner frame's heap after the 10,000-row page: as rendered, and after a full GC. */
async function frameMemory(context, frame) {
  const cdp = await context.newCDPSession(frame);
  const usage = async () => {
    const u = await cdp.send('Runtime.getHeapUsage');
    return { js_heap_used_mb: round(u.usedSize / 2 ** 20, 2), js_heap_total_mb: round(u.totalSize / 2 ** 20, 2),
      array_buffers_mb: u.backingStorageSize === undefined ? null : round(u.backingStorageSize / 2 ** 20, 2) };
  };
  const rendered = await usage();
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const afterGc = await usage();
  await cdp.detach();
  return { rendered, after_gc: afterGc };
}

/** popup.html in `tab`: navigation start → its first render (`cdot-triage:popup-ready`). */
async function popupOnce(tab, extensionId) {
  await tab.goto(`chrome-extension://${extensionId}/popup.html`, { waitUntil: 'commit', timeout: 120_000 });
  const ready = await tab.waitForFunction(() => performance.getEntriesByName('cdot-triage:popup-ready')[0]?.startTime,
    null, { timeout: 120_000, polling: 10 });
  return ready.jsonValue();
}

/**
 * Step 8: another tab's banner and the popup while a heavy Mailgun page is read (see the
 * header). Per size: the medians alone and during, and how long the heavy frame took from
 * the snapshot leaving its page to its banner's DOM built (so that "during" is known to be
 * during).
 */
async function hostageBench(benchPages) {
  const show = benchPages.find((p) => p.id === 'show') ?? pages().find((p) => p.id === 'show');
  const out = {};
  for (const rows of [10_000, 40_000]) {
    const heavyPage = { id: `mailgun-old-${rows}`, url: `https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs?bench-rows=${rows}`,
      html: generateOldLogsPage(rows) };
    const { context, extensionId, close } = await launch({ extensionDir });
    try {
      await route(context, [...benchPages, show, heavyPage]);
      const other = await context.newPage();
      const popup = await context.newPage();
      await loadOnce(other, extensionId, show, { stages: false });
      await popupOnce(popup, extensionId);
      const alone = { banner: [], popup: [] };
      for (let i = 0; i < hostageRuns; i++) {
        alone.banner.push((await loadOnce(other, extensionId, show, { stages: false })).painted);
        alone.popup.push(await popupOnce(popup, extensionId));
      }
      const heavy = await context.newPage();
      await heavy.goto(heavyPage.url, { waitUntil: 'domcontentloaded', timeout: 180_000 });
      const sent = () => heavy.evaluate(() => performance.getEntriesByName('cdot-triage:snapshot-sent')
        .map((m) => performance.timeOrigin + m.startTime));
      let heavyFrame;
      for (const until = Date.now() + 120_000; !(heavyFrame = heavy.frames().find((f) => f.url().startsWith(PREFIX(extensionId))));) {
        if (Date.now() > until) throw new Error('no banner frame on the heavy page');
        await heavy.waitForTimeout(20);
      }
      const builtAfter = async (t) => {
        const handle = await heavyFrame.waitForFunction((after) => performance.getEntriesByName('cdot-triage:dom-built')
          .map((m) => performance.timeOrigin + m.startTime).find((x) => x > after), t, { timeout: 300_000, polling: 50 });
        return handle.jsonValue();
      };
      // The first read (and its store write) first.
      await heavy.waitForFunction(() => performance.getEntriesByName('cdot-triage:snapshot-sent').length > 0, null, { timeout: 120_000 });
      await builtAfter((await sent())[0]);
      await heavy.waitForTimeout(3000);
      const during = { banner: [], popup: [], heavy: [], long: [] };
      for (let i = 0; i < hostageRuns; i++) {
        const before = (await sent()).length;
        await heavy.evaluate((n) => document.body.append(document.createTextNode(` bench change ${n}`)), i);
        let times;
        while ((times = await sent()).length <= before) await heavy.waitForTimeout(2);
        const at = times.at(-1);
        const [banner, popupMs] = await Promise.all([loadOnce(other, extensionId, show, { stages: false }), popupOnce(popup, extensionId)]);
        during.banner.push(banner.painted);
        during.popup.push(popupMs);
        during.heavy.push((await builtAfter(at)) - at);
        // The long tasks the frames saw on the shared main thread while the other banner loaded
        // (bench builds of banner.js record them), from the snapshot sent to that banner painted.
        const end = at + Math.max(banner.painted, popupMs) + 200;
        const longTasks = await heavyFrame.evaluate(([from, to]) => (globalThis.__cdotLongTasks ?? [])
          .filter(([t, d]) => t + d > from && t < to).map(([t, d]) => [Math.round(t - from), Math.round(d)]), [at, end]).catch(() => []);
        during.long.push(longTasks);
        await heavy.waitForTimeout(3000); // its store round trips settle
      }
      out[rows] = {
        alone: { banner: stats(alone.banner), popup: stats(alone.popup) },
        during: { banner: stats(during.banner), popup: stats(during.popup), heavy_read: stats(during.heavy),
          // Per run: the main thread's long tasks [ms after the snapshot left, duration].
          long_tasks: during.long },
      };
      const o = out[rows];
      process.stdout.write(`  while ${rows.toLocaleString('en-US')} rows are read: other banner ${o.during.banner.median} ms (alone ${o.alone.banner.median} ms), `
        + `popup ${o.during.popup.median} ms (alone ${o.alone.popup.median} ms); the heavy read ${o.during.heavy_read.median} ms\n`
        + `    main thread long tasks per run [ms after the snapshot left, duration]: ${JSON.stringify(during.long)}\n`);
    } finally {
      await close();
    }
  }
  return out;
}

async function readerBench(benchPages) {
  const browser = await chromium.launch({ executablePath: process.env.CDOT_CHROMIUM || chromiumPath(), headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext();
    const files = { '/js-reader.mjs': join(BENCH, 'js-reader.mjs'), '/pkg/cdot_triage.js': join(benchPkg, 'cdot_triage.js'),
      '/pkg/cdot_triage_bg.wasm': join(benchPkg, 'cdot_triage_bg.wasm') };
    const types = { js: 'text/javascript', mjs: 'text/javascript', wasm: 'application/wasm' };
    await context.route('https://bench.cdot-triage.test/**', (r) => {
      const path = new URL(r.request().url()).pathname;
      if (files[path]) return r.fulfill({ status: 200, contentType: types[path.split('.').pop()], body: readFileSync(files[path]) });
      const page = benchPages.find((p) => `/page/${p.id}` === path);
      if (page) return r.fulfill({ status: 200, contentType: 'text/plain; charset=utf-8', body: page.html });
      return r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>bench</title>' });
    });
    const tab = await context.newPage();
    await tab.goto('https://bench.cdot-triage.test/');
    await tab.evaluate(async () => {
      const wasm = await import('/pkg/cdot_triage.js');
      await wasm.default({ module_or_path: '/pkg/cdot_triage_bg.wasm' });
      globalThis.bench = { wasm, js: await import('/js-reader.mjs') };
    });
    const out = {};
    for (const page of benchPages) {
      const iterations = page.id === 'mailgun-10000' ? (quick ? 3 : 10) : (quick ? 5 : 30);
      out[page.id] = await tab.evaluate(async ({ id, url, iterations }) => {
        const html = await (await fetch(`/page/${id}`)).text();
        const { wasm, js } = globalThis.bench;
        const time = (f) => { const t = performance.now(); const n = f(); return [performance.now() - t, n]; };
        const t = { parse: [], wasm: [], js: [], wasmDiagnose: [], wasmObserve: [] };
        let counts;
        for (let i = -1; i < iterations; i++) { // i = -1: warm-up
          const [parse] = time(() => new DOMParser().parseFromString(html, 'text/html').body.childElementCount);
          const [w, wn] = time(() => wasm.bench_read(html, url));
          const [j, jn] = time(() => js.readPage(html, url).items.length);
          const [d, dn] = time(() => wasm.bench_read_diagnose(html, url));
          // Older bench modules (an A/B with --bench-pkg) may not have it.
          const [o] = wasm.bench_read_observe ? time(() => wasm.bench_read_observe(html, url)) : [NaN];
          counts = { wasm_items: wn, js_items: jn, observations: dn };
          if (i >= 0) { t.parse.push(parse); t.wasm.push(w); t.js.push(j); t.wasmDiagnose.push(d); t.wasmObserve.push(o); }
        }
        return { bytes: html.length, ...counts, times: t };
      }, { id: page.id, url: page.url, iterations });
      const t = out[page.id].times;
      delete out[page.id].times;
      Object.assign(out[page.id], {
        parse_ms: stats(t.parse), wasm_read_ms: stats(t.wasm), js_read_ms: stats(t.js), wasm_read_diagnose_ms: stats(t.wasmDiagnose),
        wasm_read_observe_ms: stats(t.wasmObserve),
      });
      const o = out[page.id];
      o.ratio_wasm_js = round(o.wasm_read_ms.median / o.js_read_ms.median, 2);
      o.wasm_items_per_s = Math.round(o.wasm_items / (o.wasm_read_ms.median / 1000));
      o.js_items_per_s = Math.round(o.js_items / (o.js_read_ms.median / 1000));
      process.stdout.write(`  reader ${page.id}: wasm ${o.wasm_read_ms.median} ms, js ${o.js_read_ms.median} ms\n`);
    }
    return out;
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------
// Report

const TARGETS = {
  show_banner_median_ms: 50, mailgun_10000_read_diagnose_ms: 250, ratio_wasm_js: 1.5,
  diagnose_10000_us: 1000, wasm_kb: 150, wasm_gz_kb: 60,
};

function report(r) {
  const lines = [];
  const row = (...cells) => lines.push(cells.map((c, i) => String(c ?? '–')[i ? 'padStart' : 'padEnd'](i ? 13 : 24)).join(''));
  if (r.banner) {
    lines.push('Time to banner (ms, content-script start (document_start) → banner painted; render = first render in the frame;');
    lines.push('parsed → = from the page parsed (DOMContentLoaded, where a document_idle script starts) → banner painted;');
    lines.push('nav → = from the page\'s navigation start (its timeOrigin) → banner painted: the clock to compare builds on)');
    row('page', 'cold med', 'cold p95', 'warm med', 'warm p95', 'warm render', 'parsed→ cold', 'parsed→ warm', 'nav→ cold', 'nav→ warm');
    for (const [id, b] of Object.entries(r.banner)) {
      row(id, b.cold?.painted.median, b.cold?.painted.p95, b.warm?.painted.median, b.warm?.painted.p95, b.warm?.render.median,
        b.cold?.after_parsed?.median, b.warm?.after_parsed?.median, b.cold?.from_navigation.median, b.warm?.from_navigation.median);
    }
    lines.push('  median stages, cold / warm (page parsed · page\'s first paint · frame loaded · WASM ready · snapshot → render;');
    lines.push('  the first three from content start):');
    for (const [id, b] of Object.entries(r.banner)) {
      const s = (x) => x ? `${x.page_parsed ?? '–'} · ${x.page_painted ?? '–'} · ${x.frame_loaded} · ${x.wasm_ready} · ${x.snapshot_to_render}` : '–';
      lines.push(`  ${id.padEnd(22)}${s(b.cold?.stages_median)}  /  ${s(b.warm?.stages_median)}`);
    }
    lines.push(`  (${r.runs} loads per page and mode)`, '');
  }
  if (r.floor) {
    lines.push(`Floor: an empty extension frame (one empty script) on the show page, content start → painted: cold ${r.floor.cold.median} ms, warm ${r.floor.warm.median} ms (median)`, '');
  }
  if (r.banner) {
    // Each page's stages, median and p95, cold and warm, with the floor's in the same run.
    const f = r.floor;
    const cell = (s) => (s ? `${s.median} / ${s.p95}` : '–');
    const srow = (...cells) => lines.push(cells.map((c, i) => String(c ?? '–')[i ? 'padStart' : 'padEnd'](i ? 17 : 26)).join(''));
    for (const [id, b] of Object.entries(r.banner)) {
      lines.push(`Stages, ${id} (ms, median / p95; "floor" = the empty extension frame in this run)`);
      srow('stage', 'cold', 'warm', 'floor cold', 'floor warm');
      for (const [name] of STAGES) {
        const floor = name === 'frame loaded' ? f?.frame_loaded : name === 'total' ? f : null;
        srow(name, cell(b.cold?.stages?.[name]), cell(b.warm?.stages?.[name]), floor ? cell(floor.cold) : '', floor ? cell(floor.warm) : '');
      }
      lines.push('');
    }
  }
  if (r.reader) {
    lines.push('Reader on identical HTML in one page (ms, median): DOMParser alone; the WASM reader (markup copied in, parsed');
    lines.push('and read in Rust; + observations; + diagnosis and view); the plain-JS peer (DOMParser included)');
    row('page', 'items', 'DOMParser', 'WASM read', 'WASM→obs', 'JS read', 'WASM/JS', 'WASM+diag');
    for (const [id, o] of Object.entries(r.reader)) {
      row(id, o.wasm_items === o.js_items ? o.wasm_items : `${o.wasm_items}/${o.js_items}`, o.parse_ms.median,
        o.wasm_read_ms.median, o.wasm_read_observe_ms.median, o.js_read_ms.median, o.ratio_wasm_js, o.wasm_read_diagnose_ms.median);
    }
    lines.push('');
  }
  if (r.diagnose) {
    lines.push('diagnose() natively (µs per call)');
    row('case', 'obs', 'findings', 'median', 'p95');
    for (const d of r.diagnose) row(d.case.slice(0, 23), d.observations, d.findings, d.median_us, d.p95_us);
    lines.push('');
  }
  if (r.size) {
    const s = r.size;
    lines.push(`Size: .wasm ${s.wasm_kb} KB (${s.wasm_gz_kb} KB gz), JS glue ${s.glue_kb} KB (${s.glue_gz_kb} KB gz), zip ${s.zip_chrome_kb} KB (chrome) / ${s.zip_firefox_kb} KB (firefox)`);
  }
  if (r.memory) {
    const m = r.memory;
    lines.push(`Memory, banner frame after the 10,000-row page: JS heap ${m.rendered.js_heap_used_mb} MB used (${m.after_gc.js_heap_used_mb} MB after GC), array buffers (WASM memory) ${m.rendered.array_buffers_mb ?? '?'} MB`);
  }
  if (r.soak) lines.push(soakLine(r.soak));
  if (r.hostage) {
    const floor = r.floor ? `, floor ${r.floor.warm.median} ms warm` : '';
    lines.push(`No page holds the others hostage (ms, median of ${r.hostage_runs}; max in brackets; "alone" = the same without the heavy tab):`);
    for (const [rows, o] of Object.entries(r.hostage)) {
      lines.push(`  while ${Number(rows).toLocaleString('en-US')} rows are read: other banner ${o.during.banner.median} ms [${o.during.banner.max}] (alone ${o.alone.banner.median} ms${floor}), `
        + `popup ${o.during.popup.median} ms [${o.during.popup.max}] (alone ${o.alone.popup.median} ms); the heavy read, snapshot sent → DOM built: ${o.during.heavy_read.median} ms`);
    }
  }
  if (r.targets) {
    lines.push('', 'Targets:');
    for (const t of r.targets) lines.push(`  ${t.met ? 'met   ' : 'MISSED'} ${t.what}: ${t.value} (target ${t.target})`);
  }
  return lines.join('\n');
}

function targets(r) {
  const out = [];
  const add = (what, value, target, met) => value !== undefined && value !== null && out.push({ what, value, target, met });
  add('banner, show page, median (warm)', r.banner?.show?.warm?.painted.median, `≤ ${TARGETS.show_banner_median_ms} ms`, r.banner?.show?.warm?.painted.median <= TARGETS.show_banner_median_ms);
  add('banner, show page, median (cold)', r.banner?.show?.cold?.painted.median, `≤ ${TARGETS.show_banner_median_ms} ms`, r.banner?.show?.cold?.painted.median <= TARGETS.show_banner_median_ms);
  const mg = r.reader?.['mailgun-10000'];
  add('10,000 Mailgun rows read and diagnosed (WASM, DOMParser included)', mg?.wasm_read_diagnose_ms.median, `≤ ${TARGETS.mailgun_10000_read_diagnose_ms} ms`, mg?.wasm_read_diagnose_ms.median <= TARGETS.mailgun_10000_read_diagnose_ms);
  add('10,000 Mailgun rows, WASM/JS reader ratio', mg?.ratio_wasm_js, `≤ ${TARGETS.ratio_wasm_js}`, mg?.ratio_wasm_js <= TARGETS.ratio_wasm_js);
  // Issue 24: markup to observations in at most half of DOMParser's time on the same page.
  const half = mg && round(mg.parse_ms.median / 2);
  add('10,000 Mailgun rows, markup → observations (WASM)', mg?.wasm_read_observe_ms.median, `≤ DOMParser / 2 = ${half} ms`, mg?.wasm_read_observe_ms.median <= half);
  for (const d of (r.diagnose ?? []).filter((x) => x.observations >= 10000)) {
    add(`diagnose(), ${d.case}`, `${d.median_us} µs`, `≤ ${TARGETS.diagnose_10000_us} µs`, d.median_us <= TARGETS.diagnose_10000_us);
  }
  add('.wasm raw', r.size && `${r.size.wasm_kb} KB`, `≤ ${TARGETS.wasm_kb} KB`, r.size?.wasm_kb <= TARGETS.wasm_kb);
  add('.wasm gzipped', r.size && `${r.size.wasm_gz_kb} KB`, `≤ ${TARGETS.wasm_gz_kb} KB`, r.size?.wasm_gz_kb <= TARGETS.wasm_gz_kb);
  return out;
}

async function main() {
  const results = { date: new Date().toISOString(), runs, quick, machine: { cpus: (await import('node:os')).cpus().length, node: process.version } };
  if (!args.includes('--no-build')) { console.log('bench: building'); buildAll(); }
  if (want('size')) results.size = sizes();
  if (want('diagnose')) { console.log('bench: diagnose() natively'); results.diagnose = diagnoseBench(); }
  const benchPages = pages().filter((p) => !pageIds || pageIds.includes(p.id));
  if (want('banner')) {
    console.log(`bench: time to banner, ${runs} loads per page, cold and warm`);
    Object.assign(results, await bannerBench(benchPages));
  }
  if (want('floor')) {
    console.log(`bench: the floor, an empty extension frame on the show page, ${runs} loads cold and warm`);
    results.floor = await floorBench(benchPages);
  }
  if (want('reader')) {
    console.log('bench: readers, WASM and JS');
    results.reader = await readerBench(benchPages.filter((p) => p.id !== 'show-script')); // same markup as `show`
  }
  if (want('soak')) {
    console.log('bench: the store soak, 10 tabs and 200 loads and navigations (bench/soak.mjs)');
    results.soak = await soak({ extensionDir });
  }
  if (want('hostage')) {
    console.log(`bench: no page holds the others hostage, ${hostageRuns} runs at 10,000 and 40,000 rows`);
    results.hostage = await hostageBench(benchPages);
    results.hostage_runs = hostageRuns;
  }
  results.targets = targets(results);
  results.seconds = round((performance.now() - started) / 1000);
  mkdirSync(BENCH, { recursive: true });
  writeFileSync(join(BENCH, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${report(results)}\n\nbench/results.json written (${results.seconds} s).`);
}

main().catch((err) => { console.error(err); process.exit(1); });
