// Loader of the options page: the WASM module (src/options) reads and checks the form; this
// file only reaches the browser: storage.local for the settings, the Mailgun API key and the
// GitLab.com token (never storage.sync), host permissions, and the store's "forget".
import init, { OptionsPage } from './pkg/cdot_triage_pages.js';
import { storeClient } from './store-client.js';

const api = globalThis.browser ?? globalThis.chrome;
const store = storeClient(api);

await init({ module_or_path: new URL('pkg/cdot_triage_pages_bg.wasm', import.meta.url) });
const page = new OptionsPage({
  load: async () => {
    const { settings, mailgunApiKey, gitlabToken } = await api.storage.local.get(['settings', 'mailgunApiKey', 'gitlabToken']);
    // Only the key's and the token's lengths reach the page, to say that one is saved.
    return { settings, keyLength: (mailgunApiKey ?? '').length, tokenLength: (gitlabToken ?? '').length };
  },
  saveSettings: (settings) => api.storage.local.set({ settings }),
  saveKey: (key) => (key ? api.storage.local.set({ mailgunApiKey: key }) : api.storage.local.remove('mailgunApiKey')),
  saveToken: (token) => (token ? api.storage.local.set({ gitlabToken: token }) : api.storage.local.remove('gitlabToken')),
  // Called synchronously from the click that switched a look-up on: browsers only ask the
  // engineer for a permission during a user action.
  request: (origin) => api.permissions.request({ origins: [origin] }),
  release: (origin) => api.permissions.remove({ origins: [origin] }),
  forget: () => store.forget(),
});
await page.start();
