// What ships: one version everywhere (package.json is the source; the build writes it into both
// manifests and names the zips with it), a CHANGELOG entry for it, and the icons the manifests
// declare, at their declared sizes (read from the PNGs themselves). No browser needed: this
// reads the repository and dist/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/fixtures.mjs';
import { VERSION_FILES, version, versions, zipPath } from '../../scripts/build.mjs';

const read = (file) => readFileSync(join(ROOT, file), 'utf8');
const dist = (browser) => JSON.parse(read(`dist/${browser}/manifest.json`));

test('package.json, package-lock.json, Cargo.toml and extension/manifest.json say the same version', () => {
  const all = versions();
  assert.deepEqual(Object.keys(all), VERSION_FILES);
  for (const [file, v] of Object.entries(all)) {
    assert.match(v ?? '', /^\d+\.\d+\.\d+$/, `${file} has no x.y.z version`);
    assert.equal(v, all['package.json'], `${file} says ${v}, package.json says ${all['package.json']}`);
  }
  assert.equal(version(), all['package.json']);
});

test('a version changed in one file alone is refused, naming that file', () => {
  for (const changed of VERSION_FILES) {
    const edited = (file) => {
      const text = read(file);
      if (file !== changed) return text;
      // The file's own version line, bumped: the others still say the old one.
      const v = versions()[file];
      const bumped = v.replace(/\d+$/, (patch) => String(Number(patch) + 1));
      return file === 'Cargo.toml'
        ? text.replace(`version = "${v}"`, `version = "${bumped}"`)
        : text.replace(`"version": "${v}"`, `"version": "${bumped}"`);
    };
    assert.notEqual(versions(edited)[changed], versions()[changed], `${changed}: the edit took`);
    assert.throws(() => version(edited), new RegExp(changed === 'package.json' ? 'package.json says' : `${changed.replace('.', '\\.')} says`));
  }
});

test('the built manifests carry the version and the zips are named with it', () => {
  const v = version();
  for (const browser of ['chrome', 'firefox']) {
    assert.equal(dist(browser).version, v, `dist/${browser}/manifest.json`);
    assert.ok(existsSync(zipPath(browser, v)), `${zipPath(browser, v)} missing: run npm run build`);
    assert.match(zipPath(browser, v), new RegExp(`cdot-triage-${browser}-${v.replaceAll('.', '\\.')}\\.zip$`));
  }
});

test('CHANGELOG.md has an entry for this version', () => {
  const log = read('CHANGELOG.md');
  assert.match(log, new RegExp(`^## ${version().replaceAll('.', '\\.')}\\b`, 'm'));
});

/** A PNG's width, height and colour type, from its IHDR chunk. */
function pngHeader(file) {
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is not a PNG`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${file}: IHDR first`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes[25] };
}

for (const browser of ['chrome', 'firefox']) {
  test(`${browser}: every icon the manifest declares exists at its declared size, with transparency`, () => {
    const manifest = dist(browser);
    const sets = { icons: manifest.icons, 'action.default_icon': manifest.action?.default_icon };
    if (browser === 'firefox') sets['sidebar_action.default_icon'] = manifest.sidebar_action?.default_icon;
    assert.deepEqual(Object.keys(manifest.icons ?? {}), ['16', '32', '48', '128']);
    assert.deepEqual(Object.keys(manifest.action?.default_icon ?? {}), ['16', '32']);
    for (const [key, icons] of Object.entries(sets)) {
      assert.ok(icons && Object.keys(icons).length, `${key} missing`);
      for (const [size, file] of Object.entries(icons)) {
        const path = join(ROOT, 'dist', browser, file);
        assert.ok(existsSync(path), `${key}[${size}]: ${file} missing`);
        const { width, height, colourType } = pngHeader(path);
        assert.deepEqual([width, height], [Number(size), Number(size)], `${key}[${size}]: ${file} is ${width}×${height}`);
        assert.equal(colourType, 6, `${file}: RGBA (a transparent background)`);
      }
    }
  });
}
