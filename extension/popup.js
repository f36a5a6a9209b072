// Loader of the popup: builds the host object the WASM module uses (the store, settings and
// recent searches over a port to the background; the API key from storage.local; host
// permission checks) and hands over. Every decision is in Rust (src/popup, src/core/lookup).
import init, { Popup } from './pkg/cdot_triage_pages.js';
import { storeClient } from './store-client.js';

const api = globalThis.browser ?? globalThis.chrome;
const store = storeClient(api);

await init({ module_or_path: new URL('pkg/cdot_triage_pages_bg.wasm', import.meta.url) });
const popup = new Popup({
  ...store,
  // The key is read here, for the request headers the module builds; it is never logged,
  // stored elsewhere or shown.
  apiKey: async () => (await api.storage.local.get('mailgunApiKey')).mailgunApiKey ?? '',
  hasOrigin: (origin) => api.permissions.contains({ origins: [origin] }),
  openOptions: () => api.runtime.openOptionsPage(),
});
await popup.start();
