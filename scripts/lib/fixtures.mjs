// The fixture pages of www/ and how a request for a real URL is answered from them. Shared by
// the Chromium harness (browser.mjs), the Firefox smoke test and the demo; no browser here.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const WWW = join(ROOT, 'www');

/**
 * Every fixture page: [{ id, url, file, description, demo?, headers? }], from www/fixtures.json
 * (the CustomersDot admin pages) and the other www/fixtures-*.json lists (one per generator).
 */
export function fixtures() {
  return readdirSync(WWW)
    .filter((f) => /^fixtures(-[\w-]+)?\.json$/.test(f))
    .sort((a, b) => (a === 'fixtures.json' ? -1 : b === 'fixtures.json' ? 1 : a.localeCompare(b)))
    .flatMap((f) => JSON.parse(readFileSync(join(WWW, f), 'utf8')));
}

export function fixture(id) {
  const f = fixtures().find((x) => x.id === id);
  if (!f) throw new Error(`no fixture ${id} in www/fixtures.json`);
  return f;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

const NOT_FOUND = { status: 404, contentType: TYPES['.html'], headers: {},
  body: Buffer.from('<!doctype html><title>Not found</title><h1>Not found</h1>') };

/**
 * The response for `href` (an https URL): a URL listed in www/fixtures.json gets its file and
 * headers, any other path the file www/<host>/<path> (or its index.html) if it exists, else a
 * 404 page. `overrides` maps a URL to extra response headers (e.g. a strict CSP for one test).
 * Returns { status, contentType, headers, body }.
 */
export function respond(href, overrides = {}) {
  const url = new URL(href);
  url.hash = '';
  const entry = fixtures().find((f) => f.url === url.href);
  let file = entry ? join(WWW, entry.file) : join(WWW, url.host, decodeURIComponent(url.pathname));
  if (!normalize(file).startsWith(WWW + '/')) return NOT_FOUND; // no ../ out of www/
  if (!entry && existsSync(join(file, 'index.html'))) file = join(file, 'index.html');
  if (!existsSync(file) || !statSync(file).isFile()) return NOT_FOUND;
  return {
    status: 200,
    contentType: TYPES[extname(file)] ?? 'application/octet-stream',
    headers: { ...(entry?.headers ?? {}), ...(overrides[url.href] ?? {}) },
    body: readFileSync(file),
  };
}
