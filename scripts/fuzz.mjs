// A long fuzzing run on demand: `npm run fuzz` (the short runs are part of `npm test`).
//
//   npm run fuzz -- [--cases=N] [--seconds=S] [--seed=N] [--pages=P] [--only=parsers|readers|differential|html]
//
// - parsers: tests/fuzz_parsers.rs natively, N proptest cases per property (default 20000;
//   proptest picks its own random seed each run and prints the minimal failing input);
// - readers: tests/fuzz_readers.rs natively for S seconds (default 300) from seed N (default:
//   random, printed so that a failure can be replayed with --seed);
// - differential: tests/e2e/differential.test.mjs on P generated pages (default 200) from
//   seed N, in Chromium with the extension built first (`dist/chrome`): what Chromium renders
//   against what the banner reads;
// - html: the HTML parser on its own (crates/html/tests/fuzz.rs: tokens against html5gum, the
//   tree's links, selectors) for S seconds from seed N.
// The build is the test profile (debug): integer overflow panics there, as it should in a fuzz.
import { build } from './build.mjs';
import { run, runIfMain, setup } from './setup.mjs';

function option(name, fallback) {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

async function main() {
  await setup();
  const cases = option('cases', '20000');
  const seconds = Number(option('seconds', '300'));
  const seed = option('seed', String(Math.floor(Math.random() * 2 ** 52)));
  const only = option('only', 'parsers,readers,differential,html').split(',');
  const pages = option('pages', '200');
  const started = performance.now();
  if (only.includes('parsers')) {
    console.log(`\n=== fuzz_parsers: ${cases} cases per property ===`);
    await run('cargo', ['test', '--test', 'fuzz_parsers'], { env: { ...process.env, PROPTEST_CASES: cases } });
  }
  if (only.includes('readers')) {
    console.log(`\n=== fuzz_readers: ${seconds} s from seed ${seed} (replay: npm run fuzz -- --only=readers --seed=${seed}) ===`);
    await run('cargo', ['test', '--test', 'fuzz_readers', '--', '--nocapture'], {
      env: { ...process.env, CDOT_FUZZ_SECONDS: String(seconds), CDOT_FUZZ_SEED: seed },
    });
  }
  if (only.includes('differential')) {
    const diffSeed = String(Number(seed) % 2 ** 32);
    console.log(`\n=== differential: ${pages} pages from seed ${diffSeed} (replay: npm run fuzz -- --only=differential --seed=${diffSeed} --pages=${pages}) ===`);
    await build();
    await run('node', ['--test', '--test-timeout=3600000', 'tests/e2e/differential.test.mjs'], {
      env: { ...process.env, CDOT_DIFF_PAGES: pages, CDOT_DIFF_SEED: diffSeed },
    });
  }
  if (only.includes('html')) {
    console.log(`\n=== fuzz (cdot-html): ${seconds} s from seed ${seed} (replay: npm run fuzz -- --only=html --seed=${seed}) ===`);
    await run('cargo', ['test', '-p', 'cdot-html', '--test', 'fuzz', '--', '--nocapture'], {
      env: { ...process.env, CDOT_FUZZ_SECONDS: String(seconds), CDOT_FUZZ_SEED: seed },
    });
  }
  console.log(`\nfuzz: no failures in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

runIfMain(import.meta.url, main);
