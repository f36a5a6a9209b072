// The store's soak line of `npm run bench` (issue 23): the seeded 10-tab, 200-load run of
// tests/e2e/chaos-model.test.mjs (scripts/lib/chaos.mjs `modelRun`), counting instead of asserting.
// Observations lost must be 0. The write latency is, per step, from its navigations done to the
// last of the records the native model expects from them being in the store (content-script
// debounce, vouch, snapshot, read, idle wait and the store's write included; polled every
// 20 ms).
//
//   node bench/soak.mjs [--seed=N] [--ops=N]     (run by bench/run.mjs as the step `soak`)
import { fileURLToPath } from 'node:url';
import { launch, serveFixtures } from '../scripts/lib/browser.mjs';
import { buildModel, modelRun, storePage } from '../scripts/lib/chaos.mjs';

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]) : null;
};

/** { seed, ops, forgets, lost, steps, latency_ms: { p50, p95, max } } */
export async function soak({ seed = 20261206, ops = 200, extensionDir } = {}) {
  buildModel();
  const browser = await launch({ timezoneId: 'UTC', ...(extensionDir ? { extensionDir } : {}) });
  try {
    await serveFixtures(browser.context);
    const store = await storePage(browser);
    const run = await modelRun({ browser, store, seed, ops, strict: false, poll: 20, wait: 15_000 });
    return {
      seed, ops: run.ops, forgets: run.forgets, lost: run.lost, steps: run.latencies.length,
      latency_ms: { p50: pct(run.latencies, 0.5), p95: pct(run.latencies, 0.95), max: pct(run.latencies, 1) },
    };
  } finally {
    await browser.close();
  }
}

/** The report's line. */
export const soakLine = (s) => `Store soak (seed ${s.seed}, 10 tabs): ${s.ops} loads and navigations, ${s.forgets} Forget, `
  + `observations lost ${s.lost} (must be 0); write latency, navigation → stored: p50 ${s.latency_ms.p50} ms, p95 ${s.latency_ms.p95} ms (${s.steps} steps)`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const result = await soak({ seed: Number(arg('seed') ?? 20261206), ops: Number(arg('ops') ?? 200) });
  console.log(soakLine(result));
  process.exit(result.lost === 0 ? 0 : 1);
}
