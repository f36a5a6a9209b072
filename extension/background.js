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
//    The settings (storage.local, written by the options page) are handed to the banners,
//    which may not read storage themselves in Firefox, and a change is pushed to them. The
//    Mailgun API key is never sent over these ports: only the popup reads it.
//    Recent popup searches are customer addresses: storage.session, forgotten with the rest.
// 2. The context menu "Triage <selection>" opens the popup's search pre-filled.
// 3. The toolbar button per tab (badge, title) and the side panel following the active tab:
//    see "3." at the end of this file.
const api = globalThis.browser ?? globalThis.chrome;
const PREFIX = 'obs:';
const RECENT = 'recent';
const MENU = 'cdot-triage-selection';
const ports = new Set();
let queue = Promise.resolve(); // one store operation at a time: no lost updates between tabs

api.runtime.onInstalled.addListener(() => {
  api.contextMenus.create({ id: MENU, title: 'Triage “%s”', contexts: ['selection'] });
});
api.contextMenus.onClicked.addListener(triageSelection);

/** Opens the popup on the selected text (the popup says if it is not an address). */
async function triageSelection(info) {
  if (info?.menuItemId !== MENU) return;
  const popup = `popup.html?email=${encodeURIComponent((info.selectionText ?? '').slice(0, 512))}`;
  try {
    // Not awaited before openPopup: Firefox opens a popup only from within the menu click's
    // own handler, not after an await. The browser applies the two calls in order.
    const set = api.action.setPopup({ popup });
    const opened = api.action.openPopup();
    await set;
    await opened;
  } catch {
    // No popup to open (no focused window, or the browser refuses): the same page in a tab.
    await api.tabs.create({ url: api.runtime.getURL(popup) });
  } finally {
    await api.action.setPopup({ popup: 'popup.html' });
  }
}
// The end-to-end tests call this from the service worker (a native menu cannot be clicked).
globalThis.triageSelection = triageSelection;

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.settings) for (const port of ports) port.postMessage({ type: 'settings' });
});

api.runtime.onConnect.addListener((port) => {
  // Only the extension's own pages (the banner frames): not content scripts, which live in the
  // customer pages' processes.
  const fromExtensionPage = port.sender?.id === api.runtime.id && port.sender?.url?.startsWith(api.runtime.getURL(''));
  if (port.name !== 'cdot-store' || !fromExtensionPage) return port.disconnect();
  ports.add(port);
  port.onDisconnect.addListener(() => ports.delete(port));
  port.onDisconnect.addListener(() => toolbarPortGone(port)); // 3.
  port.onMessage.addListener((message) => {
    if (message?.type === 'tab-state' || message?.type === 'panel-watch') return toolbarMessage(port, message); // 3.
    const failed = (error) => port.postMessage({ type: 'error', id: message?.id, error: String(error?.message ?? error) });
    // Reading the settings or preferences does not touch the store: not queued behind a large
    // write (a 10,000-event page), which a banner would otherwise wait for before reading.
    if (message?.type === 'settings-get' || message?.type === 'prefs-get') return handle(port, message).catch(failed);
    queue = queue.then(() => handle(port, message)).catch(failed);
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
    // The settings without the API key (a separate storage key the banners never get).
    case 'settings-get': {
      const { settings } = await api.storage.local.get('settings');
      port.postMessage({ type: 'records', id: message.id, records: settings ?? {} });
      break;
    }
    case 'recent-get': {
      const { [RECENT]: recent } = await area.get(RECENT);
      port.postMessage({ type: 'records', id: message.id, records: recent ?? [] });
      break;
    }
    case 'recent-set': {
      await area.set({ [RECENT]: message.recent });
      port.postMessage({ type: 'done', id: message.id });
      break;
    }
    case 'forget': {
      await area.clear();
      toolbarForget(); // 3.
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

// ─── 3. The toolbar button and the side panel ──────────────────────────────────────────────
// Each banner frame sends { type: 'tab-state', subject, shown, problems, warnings, worst,
// badge, colour, textColour, title } after a render that changed it; every value is decided in
// Rust (src/core/toolbar.rs, sent by src/frame/mod.rs). Here it is only applied to the frame's
// tab (the port's sender.tab.id) with action.setBadgeText / setBadgeBackgroundColor /
// setBadgeTextColor / setTitle. The states are kept in memory only (a restarted background
// gets them again: store-client.js sends them again on reconnecting).
// The side panel (popup.html?panel, see popup.js) sends { type: 'panel-watch' } and is told
// { type: 'active-subject', shown } whenever the active tab's banner is about an address: on
// tab switches (tabs.onActivated and windows.onFocusChanged give the tab id without the `tabs`
// permission) and when that tab's banner changes. A tab whose banner is about no one leaves the
// panel on what it shows.
const tabStates = new Map(); // tab id → Map(port → its last tab-state), the latest report last
const panels = new Set(); // ports of side panels that sent 'panel-watch'
let activeTab = null; // the active tab of the last focused window, once known

api.tabs.onActivated.addListener(({ tabId }) => setActiveTab(tabId));
api.windows?.onFocusChanged.addListener(async (windowId) => {
  if (windowId === api.windows.WINDOW_ID_NONE) return;
  const [tab] = await api.tabs.query({ active: true, windowId }).catch(() => []);
  if (tab) setActiveTab(tab.id);
});
api.tabs.onRemoved.addListener((tabId) => tabStates.delete(tabId));

function toolbarMessage(port, message) {
  if (message.type === 'panel-watch') {
    panels.add(port);
    return tellPanels([port]);
  }
  // Only a banner frame, the extension's page inside a tab, speaks for that tab.
  const tabId = port.sender?.tab?.id;
  if (tabId === undefined || !port.sender.url?.startsWith(api.runtime.getURL('banner.html'))) return;
  const states = tabStates.get(tabId) ?? new Map();
  states.delete(port);
  states.set(port, message);
  tabStates.set(tabId, states);
  applyTabState(tabId);
}

/** The tab's latest report, from a banner frame still connected; undefined if none. */
function latestTabState(tabId) {
  return [...(tabStates.get(tabId)?.values() ?? [])].at(-1);
}

async function applyTabState(tabId) {
  const state = latestTabState(tabId);
  const action = api.action;
  try {
    await Promise.all([
      action.setBadgeText({ tabId, text: state?.badge ?? '' }),
      state?.colour && action.setBadgeBackgroundColor({ tabId, color: state.colour }),
      state?.textColour && action.setBadgeTextColor?.({ tabId, color: state.textColour }),
      action.setTitle({ tabId, title: state?.title ?? api.runtime.getManifest().action.default_title }),
    ]);
  } catch {
    // The tab was closed meanwhile.
  }
  if (tabId === activeTab) tellPanels(panels);
}

/** A banner frame went away (its page navigated or closed): its tab shows the state of another
 * frame still there, or nothing. */
function toolbarPortGone(port) {
  panels.delete(port);
  const tabId = port.sender?.tab?.id;
  if (!tabStates.get(tabId)?.delete(port)) return;
  if (tabStates.get(tabId).size === 0) tabStates.delete(tabId);
  applyTabState(tabId);
}

/** Everything was forgotten: every badge and title is cleared (each banner reports again once
 * it has re-rendered from what its own page shows). */
function toolbarForget() {
  const tabIds = [...tabStates.keys()];
  tabStates.clear();
  for (const tabId of tabIds) applyTabState(tabId);
}

function setActiveTab(tabId) {
  activeTab = tabId;
  tellPanels(panels);
}

/** Tells side panels the address the active tab's banner is about, if it is about one. */
async function tellPanels(targets) {
  if (!targets.size && !targets.length) return;
  if (activeTab === null) {
    const [tab] = await api.tabs.query({ active: true, lastFocusedWindow: true }).catch(() => []);
    activeTab = tab?.id ?? null;
  }
  const shown = latestTabState(activeTab)?.shown;
  if (!shown) return;
  for (const port of targets) {
    try {
      port.postMessage({ type: 'active-subject', shown });
    } catch {
      panels.delete(port); // closed meanwhile
    }
  }
}
