// Installs what `npm start`, `npm run build` and `npm test` need, skipping whatever is already
// there. Runs before npm packages exist, so it uses Node built-ins only.
//
//   node scripts/setup.mjs             Rust target, wasm-bindgen-cli, npm packages, Chromium
//   node scripts/setup.mjs --firefox   the same plus Firefox ESR
//
// Browsers are installed with apt-get on Debian/Ubuntu when running as root; elsewhere the
// script stops and says what to install.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// `cargo install` puts wasm-bindgen in ~/.cargo/bin, which a fresh shell may not have on PATH.
// Children inherit process.env, so adding it here covers every script that imports this one.
const cargoBin = path.join(process.env.CARGO_HOME ?? path.join(homedir(), '.cargo'), 'bin');
if (!process.env.PATH.split(path.delimiter).includes(cargoBin)) {
  process.env.PATH = `${cargoBin}${path.delimiter}${process.env.PATH}`;
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Spawns `cmd` in the repo root with inherited stdio; rejects on a non-zero exit. */
export function run(cmd, args = [], opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Runs `cmd` and returns its stdout, or null when it can't be run or fails. */
function capture(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout : null;
}

/** The first of `names` found as an executable on PATH, or null. */
function findExecutable(names) {
  for (const name of names) {
    for (const dir of process.env.PATH.split(path.delimiter)) {
      const file = path.join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not in this directory
      }
    }
  }
  return null;
}

export const chromiumPath = () => findExecutable(CHROMIUM_NAMES);
export const chromedriverPath = () => findExecutable(['chromedriver']);
export const firefoxPath = () => findExecutable(['firefox-esr']);

/** The `wasm-bindgen = "=X"` pin in Cargo.toml: the CLI must be the same version. */
export function wasmBindgenVersion() {
  const cargoToml = readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  const pin = cargoToml.match(/^wasm-bindgen\s*=\s*"=([^"]+)"/m);
  if (!pin) throw new Error('Cargo.toml has no `wasm-bindgen = "=X.Y.Z"` line');
  return pin[1];
}

let aptUpdated = false;

/** Finds one of `names`, or installs `packages` with apt-get (Debian/Ubuntu as root only). */
async function ensureExecutable(label, names, packages) {
  const found = findExecutable(names);
  if (found) {
    console.log(`ok: ${label} (${found})`);
    return;
  }
  const canApt = existsSync('/etc/debian_version') && process.getuid?.() === 0 && findExecutable(['apt-get']);
  if (!canApt) {
    throw new Error(`${label} not found (looked for ${names.join(', ')} on PATH). ` +
      `Install it, e.g. on Debian/Ubuntu: sudo apt-get install ${packages.join(' ')}`);
  }
  console.log(`installing: ${label} (apt-get install ${packages.join(' ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await run('apt-get', ['update'], { env });
    aptUpdated = true;
  }
  await run('apt-get', ['install', '-y', ...packages], { env });
  if (!findExecutable(names)) throw new Error(`${label}: still not found after apt-get install`);
}

async function ensureRust() {
  const targets = capture('rustup', ['target', 'list', '--installed']);
  if (targets === null) {
    throw new Error('rustup not found: install Rust with rustup (https://rustup.rs), then rerun');
  }
  if (targets.split('\n').includes('wasm32-unknown-unknown')) {
    console.log('ok: rust target wasm32-unknown-unknown');
  } else {
    console.log('installing: rust target wasm32-unknown-unknown');
    await run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
  }
  // `npm test` runs cargo fmt and cargo clippy; rustup's minimal profile leaves them out.
  const components = capture('rustup', ['component', 'list', '--installed']) ?? '';
  const missing = ['rustfmt', 'clippy'].filter((c) => !components.split('\n').some((l) => l.startsWith(`${c}-`)));
  if (missing.length === 0) {
    console.log('ok: rustfmt, clippy');
  } else {
    console.log(`installing: ${missing.join(', ')}`);
    await run('rustup', ['component', 'add', ...missing]);
  }
}

async function ensureWasmBindgen() {
  const version = wasmBindgenVersion();
  const installed = capture('wasm-bindgen', ['--version'])?.trim();
  if (installed === `wasm-bindgen ${version}`) {
    console.log(`ok: wasm-bindgen-cli ${version}`);
    return;
  }
  console.log(`installing: wasm-bindgen-cli ${version} (a few minutes)`);
  // No --locked: a dependency version in the CLI's lockfile is missing from the registry mirror.
  await run('cargo', ['install', 'wasm-bindgen-cli', '--version', version]);
}

async function ensureNpmPackages() {
  const lock = path.join(root, 'package-lock.json');
  const installedLock = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(lock)) {
    console.log('installing: npm packages (npm install, no package-lock.json yet)');
    await run('npm', ['install']);
  } else if (!existsSync(installedLock) || statSync(installedLock).mtimeMs < statSync(lock).mtimeMs) {
    console.log('installing: npm packages (npm ci)');
    await run('npm', ['ci']);
  } else {
    console.log('ok: npm packages');
  }
}

export async function setup({ firefox = false } = {}) {
  await ensureRust();
  await ensureWasmBindgen();
  await ensureNpmPackages();
  // build.mjs packs the extension with the `zip` command.
  await ensureExecutable('zip', ['zip'], ['zip']);
  await ensureExecutable('chromium', CHROMIUM_NAMES, ['chromium', 'chromium-driver']);
  // wasm-bindgen-test-runner drives Chromium through chromedriver.
  await ensureExecutable('chromedriver', ['chromedriver'], ['chromium-driver']);
  if (firefox) await ensureExecutable('firefox-esr', ['firefox-esr'], ['firefox-esr']);
}

/** Runs `main` when `moduleUrl` is the script Node was started with; prints errors and exits 1. */
export function runIfMain(moduleUrl, main) {
  if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl)) {
    main().catch((err) => {
      console.error(`error: ${err.message}`);
      process.exit(1);
    });
  }
}

runIfMain(import.meta.url, () => setup({ firefox: process.argv.includes('--firefox') }));
