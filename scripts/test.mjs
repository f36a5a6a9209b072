// The whole test suite: `npm test`. Installs what is missing, builds, then runs every step below,
// continuing after a failure, and exits 1 if any step failed.
//
// Run some steps only (the build always runs first, the end-to-end steps test dist/):
//   npm test -- --only=e2e,lint
// Step names: fmt, clippy, test, js, wasm, e2e, firefox, lint.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from './build.mjs';
import { chromedriverPath, chromiumPath, firefoxPath, root, run, setup } from './setup.mjs';

const e2eDir = path.join(root, 'tests', 'e2e');
const firefoxDir = path.join(root, 'tests', 'firefox');
// The banner (smoke.mjs), the popup and options page (pages.mjs), every navigation stored
// (navigation.mjs); lib.mjs is what they share.
const FIREFOX_TESTS = ['smoke.mjs', 'pages.mjs', 'navigation.mjs'];

// Each step resolves when it passes and throws when it fails. Steps marked usesDist test the
// build output and are not run after a failed build (dist/ would be stale or missing).
const STEPS = [
  // Every crate of the workspace: the extension's and the HTML parser's (crates/html).
  { name: 'fmt', title: 'cargo fmt --all --check', run: () => run('cargo', ['fmt', '--all', '--check']) },
  {
    name: 'clippy',
    title: 'cargo clippy --workspace --all-targets --all-features -- -D warnings',
    // --all-features: the popup and options (feature `pages`) and the bench entry are linted too.
    run: () => run('cargo', ['clippy', '--workspace', '--all-targets', '--all-features', '--', '-D', 'warnings']),
  },
  { name: 'test', title: 'cargo test --workspace (native)', run: () => run('cargo', ['test', '--workspace']) },
  {
    name: 'js',
    title: 'node --test tests/js/ (the extension\'s JS glue; shared vectors with the Rust core)',
    run: () => {
      const dir = path.join(root, 'tests', 'js');
      const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).map((f) => path.join('tests', 'js', f));
      if (files.length === 0) throw new Error('no tests/js/*.test.mjs files');
      return run('node', ['--test', ...files]);
    },
  },
  {
    name: 'wasm',
    title: "cargo test --target wasm32-unknown-unknown --test '*' (what needs a browser, in headless Chromium)",
    // The runner (.cargo/config.toml) finds chromedriver through CHROMEDRIVER and reads the
    // Chromium flags from webdriver.json in the repo root.
    // Only the tests/ files: the library's own unit tests are the pure core's, run natively.
    // Then, with the feature `pages`, the one test of the pages' module: its serde-wasm-bindgen
    // values and the banner's hand-made ones read each other (tests/pages_boundary.rs).
    run: async () => {
      const env = { ...process.env, CHROMEDRIVER: chromedriverPath(), WASM_BINDGEN_TEST_TIMEOUT: '120' };
      await run('cargo', ['test', '--target', 'wasm32-unknown-unknown', '--test', '*'], { env });
      await run('cargo', ['test', '--target', 'wasm32-unknown-unknown', '--features', 'pages', '--test', 'pages_boundary'], { env });
    },
  },
  {
    name: 'e2e',
    usesDist: true,
    title: 'end-to-end tests in Chromium (tests/e2e)',
    run: () => {
      // Files are listed explicitly: how `node --test` treats a directory argument differs
      // between Node versions.
      const files = existsSync(e2eDir) ? readdirSync(e2eDir).filter((f) => f.endsWith('.test.mjs')) : [];
      if (files.length === 0) throw new Error('no tests/e2e/*.test.mjs files');
      // A hung browser test file fails after five minutes instead of holding CI until its
      // limit (the longest, chaos-model.test.mjs, takes about two).
      return run('node', ['--test', '--test-concurrency=1', '--test-timeout=300000', ...files.map((f) => path.join('tests', 'e2e', f))], {
        env: { ...process.env, CDOT_CHROMIUM: chromiumPath() },
      });
    },
  },
  {
    name: 'firefox',
    usesDist: true,
    title: 'Firefox ESR: the banner, the popup and the options page (tests/firefox)',
    run: () => {
      const files = FIREFOX_TESTS.map((f) => path.join(firefoxDir, f));
      const missing = files.filter((f) => !existsSync(f));
      if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}`);
      // One Firefox at a time (each file starts its own); a hung test fails after two minutes.
      return run('node', ['--test', '--test-concurrency=1', '--test-timeout=120000', ...files], {
        env: { ...process.env, CDOT_FIREFOX: firefoxPath() },
      });
    },
  },
  {
    name: 'lint',
    usesDist: true,
    title: 'web-ext lint --warnings-as-errors --source-dir dist/firefox',
    // 0 errors and 0 warnings, as AMO's validator will see it (a warning fails the step too).
    run: () => run(path.join(root, 'node_modules', '.bin', 'web-ext'), ['lint', '--warnings-as-errors', '--source-dir', 'dist/firefox']),
  },
];

function selectedSteps() {
  const only = process.argv.slice(2).find((a) => a.startsWith('--only='));
  if (!only) return STEPS;
  const names = only.slice('--only='.length).split(',').filter(Boolean);
  const unknown = names.filter((n) => !STEPS.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`unknown step(s): ${unknown.join(', ')}; steps are: ${STEPS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  return STEPS.filter((s) => names.includes(s.name));
}

async function main() {
  const steps = [{ name: 'build', title: 'build (scripts/build.mjs)', run: build }, ...selectedSteps()];
  try {
    await setup({ firefox: true });
  } catch (err) {
    console.error(`setup failed: ${err.message}`);
    process.exit(1);
  }

  const results = [];
  for (const [i, step] of steps.entries()) {
    console.log(`\n=== [${i + 1}/${steps.length}] ${step.name}: ${step.title} ===`);
    const start = performance.now();
    let error = null;
    try {
      if (step.usesDist && results.find((r) => r.name === 'build').error) throw new Error('not run: build failed');
      await step.run();
    } catch (err) {
      error = err;
      console.error(`${step.name} FAILED: ${err.message}`);
    }
    results.push({ name: step.name, error, seconds: (performance.now() - start) / 1000 });
  }

  console.log('\nstep      result   seconds');
  for (const r of results) {
    const result = r.error ? 'FAILED' : 'ok';
    const note = r.error ? `  ${r.error.message}` : '';
    console.log(`${r.name.padEnd(10)}${result.padEnd(9)}${r.seconds.toFixed(1).padStart(7)}${note}`);
  }
  const ok = results.filter((r) => !r.error).length;
  console.log(`cdot-triage: ${ok} of ${results.length} steps ok`);
  process.exit(ok === results.length ? 0 : 1);
}

main();
