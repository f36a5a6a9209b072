// cdot-triage background (Chrome: service worker; Firefox: event page, see scripts/build.mjs).
// Glue only.
//
// 1. The observation store. Banner frames connect a port named "cdot-store". What to store is
//    decided in Rust (src/core/store.rs): records { id, key, expiresAt, observation }. Here
//    they are kept per address in storage.session (memory only, cleared with the browser),
//    a record replacing one with the same id, expired ones dropped, and every connected banner
//    told which addresses changed. (Firefox gives extension frames inside web pages no storage
//    API, so the frames cannot hold the store themselves.)
//    Banner preferences (whether it is collapsed) go to storage.local: no customer data.
// 2. Until the popup exists, the toolbar button opens the support handbook page on the problem
//    this extension diagnoses.
const api = globalThis.browser ?? globalThis.chrome;
const HANDBOOK =
  'https://handbook.gitlab.com/handbook/support/license-and-renewals/workflows/customersdot/customerdot_account/';
const PREFIX = 'obs:';
const ports = new Set();
let queue = Promise.resolve(); // one store operation at a time: no lost updates between tabs

api.action.onClicked.addListener(() => {
  api.tabs.create({ url: HANDBOOK });
});

api.runtime.onConnect.addListener((port) => {
  // Only the extension's own pages (the banner frames): not content scripts, which live in the
  // customer pages' processes.
  const fromExtensionPage = port.sender?.id === api.runtime.id && port.sender?.url?.startsWith(api.runtime.getURL(''));
  if (port.name !== 'cdot-store' || !fromExtensionPage) return port.disconnect();
  ports.add(port);
  port.onDisconnect.addListener(() => ports.delete(port));
  port.onMessage.addListener((message) => {
    queue = queue.then(() => handle(port, message)).catch((error) => {
      port.postMessage({ type: 'error', id: message?.id, error: String(error?.message ?? error) });
    });
  });
});

const live = (records) => (records ?? []).filter((r) => r.expiresAt > Date.now());

async function handle(port, message) {
  const area = api.storage.session;
  switch (message?.type) {
    case 'add': {
      const byKey = Object.groupBy(message.records, (r) => PREFIX + r.key);
      const stored = await area.get(Object.keys(byKey));
      const next = {};
      for (const [storageKey, added] of Object.entries(byKey)) {
        const kept = live(stored[storageKey]).filter((r) => !added.some((a) => a.id === r.id));
        next[storageKey] = [...kept, ...added];
      }
      await area.set(next);
      broadcast(Object.keys(byKey).map((k) => k.slice(PREFIX.length)));
      port.postMessage({ type: 'done', id: message.id });
      break;
    }
    case 'get-all': {
      const all = await area.get(null);
      const entries = Object.entries(all).filter(([k]) => k.startsWith(PREFIX));
      // Expired records are deleted, not only skipped: customer data does not outlive its expiry.
      const expired = entries.filter(([, v]) => live(v).length !== v.length);
      if (expired.length) {
        await area.remove(expired.filter(([, v]) => live(v).length === 0).map(([k]) => k));
        await area.set(Object.fromEntries(expired.filter(([, v]) => live(v).length).map(([k, v]) => [k, live(v)])));
      }
      port.postMessage({ type: 'records', id: message.id, records: entries.flatMap(([, v]) => live(v)) });
      break;
    }
    // Banner preferences (collapsed or not): not customer data, kept in storage.local.
    case 'prefs-get': {
      const { bannerPrefs } = await api.storage.local.get('bannerPrefs');
      port.postMessage({ type: 'records', id: message.id, records: bannerPrefs ?? {} });
      break;
    }
    case 'prefs-set': {
      await api.storage.local.set({ bannerPrefs: message.prefs });
      port.postMessage({ type: 'done', id: message.id });
      break;
    }
    case 'forget': {
      await area.clear();
      broadcast(null);
      port.postMessage({ type: 'done', id: message.id });
      break;
    }
  }
}

/** Tells every banner which addresses changed (null: everything was forgotten). */
function broadcast(keys) {
  for (const port of ports) port.postMessage({ type: 'changed', keys });
}
