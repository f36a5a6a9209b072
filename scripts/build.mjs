// Builds the extension for both browsers:
//   build/pkg/                      wasm-bindgen output: cdot_triage.js + cdot_triage_bg.wasm (the
//                                   banner frame), cdot_triage_pages.js + _bg.wasm (the popup and
//                                   options pages: the same crate with the feature `pages`)
//   dist/chrome/, dist/firefox/     unpacked extensions (extension/ + pkg/ + per-browser manifest)
//   dist/cdot-triage-<browser>-<version>.zip  the same, packed for the stores
// The version has one source, package.json: the build writes it into both manifests, and stops
// when Cargo.toml or extension/manifest.json says another (tests/e2e/version.test.mjs checks
// the same on what is committed and what was built).
// `node scripts/build.mjs` runs setup first; build() alone assumes the tools are installed.
// `--bench` keeps the performance marks that npm run bench reads (see stripBenchOnly, and the
// banner module's feature `marks`, src/frame/marks.rs); a
// release build never has them: the page could read the content script's marks.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { root, run, runIfMain, setup } from './setup.mjs';

const BROWSERS = ['chrome', 'firefox'];
// The banner's module (every admin and Mailgun page loads it), then the popup's and options'.
const MODULES = [
  { name: 'cdot_triage', features: [] },
  { name: 'cdot_triage_pages', features: ['--features', 'pages'] },
];
const extensionDir = path.join(root, 'extension');
const pkgDir = path.join(root, 'build', 'pkg');
const distDir = path.join(root, 'dist');

/** The files that carry the version; package.json is the source. */
export const VERSION_FILES = ['package.json', 'package-lock.json', 'Cargo.toml', 'extension/manifest.json'];

/** The version each of VERSION_FILES says (`read(file)` gives a file's text). */
export function versions(read = (file) => readFileSync(path.join(root, file), 'utf8')) {
  return {
    'package.json': JSON.parse(read('package.json')).version,
    'package-lock.json': JSON.parse(read('package-lock.json')).version,
    'Cargo.toml': read('Cargo.toml').match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m)?.[1],
    'extension/manifest.json': JSON.parse(read('extension/manifest.json')).version,
  };
}

/** The one version, or an error naming the files that disagree. */
export function version(read) {
  const all = versions(read);
  const source = all['package.json'];
  const others = Object.entries(all).filter(([, v]) => v !== source);
  if (others.length) {
    throw new Error(`version: package.json says ${source}, but ${others.map(([f, v]) => `${f} says ${v}`).join(', ')}`);
  }
  return source;
}

/**
 * The manifest for `browser`, from the one source extension/manifest.json.
 * Every difference between the Chrome and Firefox manifests is made here.
 */
export function manifestFor(browser, source, version = source.version) {
  const manifest = { ...structuredClone(source), version };
  if (browser === 'chrome') {
    // Chrome warns about the unknown key on the extensions page.
    delete manifest.browser_specific_settings;
  } else {
    // Firefox runs the MV3 background as an event page, not a service worker. Other background
    // keys (e.g. "type": "module") carry over.
    const { service_worker, ...rest } = source.background;
    manifest.background = { ...rest, scripts: [service_worker] };
    // Chrome's side panel is Firefox's sidebar: the same page, its own key, no permission.
    const { side_panel, minimum_chrome_version, ...firefox } = manifest;
    firefox.permissions = manifest.permissions.filter((p) => p !== 'sidePanel');
    if (side_panel) {
      firefox.sidebar_action = {
        default_panel: side_panel.default_path,
        default_title: source.name,
        default_icon: source.action?.default_icon,
        // Opened by the engineer (the popup's "Open as side panel", or View → Sidebar), not at
        // install.
        open_at_install: false,
      };
    }
    return firefox;
  }
  return manifest;
}

/**
 * The extension's JS as shipped: lines marked `// bench-only`, and blocks between
 * `// bench-only:start` and `// bench-only:end`, are dropped. Throws on an unclosed block.
 */
export function stripBenchOnly(text) {
  const out = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    if (line.includes('// bench-only:start')) inBlock = true;
    else if (line.includes('// bench-only:end')) {
      if (!inBlock) throw new Error('bench-only:end without start');
      inBlock = false;
    } else if (!inBlock && !line.includes('// bench-only')) out.push(line);
  }
  if (inBlock) throw new Error('bench-only:start without end');
  return out.join('\n');
}

/** dist/cdot-triage-<browser>-<version>.zip */
export const zipPath = (browser, v) => path.join(distDir, `cdot-triage-${browser}-${v}.zip`);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export async function build({ bench = false } = {}) {
  for (const { name, features: moduleFeatures } of MODULES) {
    // A bench build's banner module marks its stages (the feature `marks`, src/frame/marks.rs).
    const features = bench && name === 'cdot_triage' ? ['--features', 'marks'] : moduleFeatures;
    await run('cargo', ['build', '--release', '--lib', '--target', 'wasm32-unknown-unknown', ...features]);
    await run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', 'build/pkg', '--out-name', name,
      'target/wasm32-unknown-unknown/release/cdot_triage.wasm']);
    // wasm-opt from the npm package binaryen (Debian's older one breaks the externref table).
    // No --enable-* flags: wasm-opt reads the features from the module's target_features
    // section, which wasm-bindgen keeps (and which `strip = true` in the release profile would
    // remove). `--low-memory-unused` lets wasm-opt fold a pointer's small constant offsets
    // into the loads and stores (4.8 KB of the banner's module): it changes what a program
    // does only for an address within 1 KB of 4 GiB, which a Rust module never reaches (its
    // stack is the first 1 MB of memory, its data above it).
    const wasm = path.join(pkgDir, `${name}_bg.wasm`);
    await run(path.join(root, 'node_modules', '.bin', 'wasm-opt'), ['-Oz', '--low-memory-unused', wasm, '-o', wasm]);
  }

  const releaseVersion = version();
  const source = JSON.parse(readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
  rmSync(distDir, { recursive: true, force: true });
  for (const browser of BROWSERS) {
    const out = path.join(distDir, browser);
    for (const entry of readdirSync(extensionDir)) {
      if (entry === 'manifest.json') continue;
      const from = path.join(extensionDir, entry);
      if (entry.endsWith('.js') && !bench) {
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, entry), stripBenchOnly(readFileSync(from, 'utf8')));
      } else {
        cpSync(from, path.join(out, entry), { recursive: true });
      }
    }
    mkdirSync(path.join(out, 'pkg'), { recursive: true });
    for (const { name } of MODULES) {
      for (const file of [`${name}.js`, `${name}_bg.wasm`]) cpSync(path.join(pkgDir, file), path.join(out, 'pkg', file));
    }
    writeFileSync(path.join(out, 'manifest.json'),
      `${JSON.stringify(manifestFor(browser, source, releaseVersion), null, 2)}\n`);
    // -X: no extra file attributes (uid/gid, extended timestamps) in the archive.
    await run('zip', ['-q', '-r', '-X', zipPath(browser, releaseVersion), '.'], { cwd: out });
  }

  console.log('build summary:');
  for (const { name } of MODULES) {
    const wasm = path.join(pkgDir, `${name}_bg.wasm`);
    const wasmBytes = readFileSync(wasm);
    console.log(`  ${path.relative(root, wasm)}  ${kb(wasmBytes.length)} (${kb(gzipSync(wasmBytes, { level: 9 }).length)} gzipped)`);
    const glue = path.join(pkgDir, `${name}.js`);
    console.log(`  ${path.relative(root, glue)}  ${kb(statSync(glue).size)}`);
  }
  for (const browser of BROWSERS) {
    const zip = zipPath(browser, releaseVersion);
    console.log(`  ${path.relative(root, zip)}  ${kb(statSync(zip).size)}`);
  }
}

runIfMain(import.meta.url, async () => {
  await setup();
  await build({ bench: process.argv.includes('--bench') });
});
