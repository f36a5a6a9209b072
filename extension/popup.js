// Loader of the popup: builds the host object the WASM module uses (the store, settings and
// recent searches over a port to the background; the API key from storage.local; host
// permission checks) and hands over. Every decision is in Rust (src/popup, src/core/lookup).
//
// The same page is the side panel (Chrome's side_panel.default_path, Firefox's
// sidebar_action.default_panel): `popup.html?panel`. There it also follows the address the
// active tab's banner is about, which the background tells it (background.js, section 3).
import init, { Popup } from './pkg/cdot_triage_pages.js';
import { storeClient } from './store-client.js';

const api = globalThis.browser ?? globalThis.chrome;
const store = storeClient(api);
const panel = new URLSearchParams(location.search).has('panel');
if (panel) document.documentElement.classList.add('panel');

await init({ module_or_path: new URL('pkg/cdot_triage_pages_bg.wasm', import.meta.url) });
const popup = new Popup({
  ...store,
  // The key is read here, for the request headers the module builds; it is never logged,
  // stored elsewhere or shown.
  apiKey: async () => (await api.storage.local.get('mailgunApiKey')).mailgunApiKey ?? '',
  // The same for the GitLab.com token: sent only to GitLab.com's API (core::lookup::gitlab_api).
  gitlabToken: async () => (await api.storage.local.get('gitlabToken')).gitlabToken ?? '',
  hasOrigin: (origin) => api.permissions.contains({ origins: [origin] }),
  openOptions: () => api.runtime.openOptionsPage(),
});
await popup.start();
performance.mark('cdot-triage:popup-ready'); // bench-only: npm run bench's hostage step reads it
if (panel) store.watchActiveSubject((shown) => popup.follow(shown));
else offerPanel();

/** "Open as side panel": Chrome's sidePanel.open and Firefox's sidebarAction.open must be
 * called from the click itself (a user action), so the window id is known beforehand. */
function offerPanel() {
  const button = document.getElementById('open-panel');
  const open = api.sidePanel?.open ? (windowId) => api.sidePanel.open({ windowId })
    : api.sidebarAction?.open ? () => api.sidebarAction.open() : null;
  if (!button || !open) return;
  let windowId;
  let inTab = false;
  api.tabs?.getCurrent?.().then((tab) => { inTab = Boolean(tab); });
  // Shown once the window is known: the click must open the panel without awaiting anything.
  api.windows?.getCurrent().then((w) => { windowId = w.id; button.hidden = false; });
  button.addEventListener('click', () => {
    open(windowId).then(() => { if (!inTab) window.close(); }, (error) => {
      button.textContent = `Could not open the side panel (${error?.message ?? error})`;
    });
  });
}
