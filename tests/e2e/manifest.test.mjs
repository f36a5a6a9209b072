// Least privilege, checked on what ships: the built manifests of dist/chrome and dist/firefox.
// Any widening (a permission, a host, a web-accessible resource, a looser CSP) fails here and
// must be a deliberate change to this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/fixtures.mjs';

// GitLab.com: only its admin area's users pages (the search and a user's pages), nothing wider;
// the rest of gitlab.com and the engineer's own pages stay untouched (gitlab-com.test.mjs).
const SITES = [
  'https://customers.gitlab.com/admin/*', 'https://app.mailgun.com/*',
  'https://gitlab.com/admin/users', 'https://gitlab.com/admin/users?*', 'https://gitlab.com/admin/users/*',
];
// The banner's frame may be embedded there (a web-accessible resource's matches are origins).
const ORIGINS = ['https://customers.gitlab.com/*', 'https://app.mailgun.com/*', 'https://gitlab.com/*'];

for (const browser of ['chrome', 'firefox']) {
  const dir = join(ROOT, 'dist', browser);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

  test(`${browser}: permissions, hosts and resources are exactly the needed ones`, () => {
    // storage: the observation store and settings; contextMenus: "Triage <selection>";
    // sidePanel (Chrome only): the popup's page as a side panel that stays open (the case
    // view). Firefox's sidebar_action needs no permission. No `tabs`: the toolbar badge is set
    // per tab by id, and the side panel follows tabs.onActivated, which gives ids without it.
    assert.deepEqual(manifest.permissions, browser === 'chrome' ? ['storage', 'contextMenus', 'sidePanel'] : ['storage', 'contextMenus']);
    assert.equal(manifest.host_permissions, undefined);
    assert.equal(manifest.optional_permissions, undefined);
    // Asked for when the engineer switches a live look-up on, not at install.
    assert.deepEqual(manifest.optional_host_permissions, [
      'https://customers.gitlab.com/*', 'https://api.mailgun.net/*', 'https://api.eu.mailgun.net/*',
      // GitLab.com's users API (the token's look-up): its API path only.
      'https://gitlab.com/api/v4/*',
    ]);
    assert.equal(manifest.externally_connectable, undefined);
    // The popup and options pages, and the shortcut that opens the popup.
    assert.equal(manifest.action.default_popup, 'popup.html');
    assert.deepEqual(manifest.options_ui, { page: 'options.html', open_in_tab: true });
    assert.deepEqual(Object.keys(manifest.commands), ['_execute_action']);
    // The same page as the case view: Chrome's side panel, Firefox's sidebar.
    if (browser === 'chrome') {
      assert.deepEqual(manifest.side_panel, { default_path: 'popup.html?panel' });
      assert.equal(manifest.sidebar_action, undefined);
    } else {
      assert.equal(manifest.side_panel, undefined);
      assert.equal(manifest.sidebar_action.default_panel, 'popup.html?panel');
      assert.equal(manifest.minimum_chrome_version, undefined);
    }
    assert.deepEqual(manifest.content_scripts, [{ matches: SITES, js: ['content.js'], run_at: 'document_start' }]);
    assert.deepEqual(manifest.web_accessible_resources, [{ resources: ['banner.html'], matches: ORIGINS }]);
    assert.deepEqual(manifest.content_security_policy, {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    });
  });

  test(`${browser}: no remote code and no eval in what ships`, () => {
    const files = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
    for (const file of files(dir).filter((f) => /\.(js|html)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /\beval\(|new Function\(|<script[^>]+src=["']?https?:|import\(["']https?:/, file);
    }
  });
}
