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
//    Provenance (see "Frames the extension vouches for" below): a banner frame is served only
//    when the extension's own content script created it in that tab, and its evidence is
//    stored only for a URL the browser reported for that tab's page.
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

// ---------------------------------------------------------------------------------------
// Frames the extension vouches for.
//
// `banner.html` is web-accessible, so any page of the two sites can embed its own copy with a
// token of its choosing and feed it made-up markup. Such a frame must not add evidence, read
// the store, or forget it. The content script (which page scripts cannot impersonate: it
// alone can call runtime.sendMessage) vouches for the token of the frame it creates, and
// again before each snapshot. The URL kept is the browser's own for the sender
// (`sender.url`), never one a message claims. A banner frame's port is served only when its
// token (the hash of its own URL, as the browser reports it) was vouched for in the same tab;
// its `add` is stored only for a URL vouched for with that token.
const VOUCHED = 'vouched'; // storage.session: { [token]: { tabId, urls } }; survives a worker restart
const VOUCH_WAIT_MS = 3000; // a frame may connect before its content script's message arrives
const URLS_PER_FRAME = 20;
const FRAMES_PER_TAB = 8;
let vouched = null; // Promise<Map<token, { tabId, urls }>>
const vouchWaiters = new Set(); // () => void, called whenever a vouch arrives

function vouchedFrames() {
  vouched ??= api.storage.session.get(VOUCHED).then(({ [VOUCHED]: saved }) => new Map(Object.entries(saved ?? {})));
  return vouched;
}
async function saveVouched() {
  const frames = await vouchedFrames();
  await api.storage.session.set({ [VOUCHED]: Object.fromEntries(frames) });
}
/** The page URL without its fragment, through the browser's URL parser; null if none. */
function pageUrl(url) {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return null;
  }
}
/** The token in a banner frame's own URL (`banner.html#<token>`); null for other pages. */
function bannerToken(senderUrl) {
  try {
    const url = new URL(senderUrl);
    if (url.origin !== new URL(api.runtime.getURL('')).origin || url.pathname !== '/banner.html') return null;
    return url.hash.slice(1);
  } catch {
    return null;
  }
}
/** Waits (at most VOUCH_WAIT_MS) until `check()` holds; resolves to whether it did. */
function until(check) {
  return new Promise((resolve) => {
    const test = async () => {
      if (!(await check())) return false;
      vouchWaiters.delete(test);
      clearTimeout(timer);
      resolve(true);
      return true;
    };
    const timer = setTimeout(() => {
      vouchWaiters.delete(test);
      resolve(false);
    }, VOUCH_WAIT_MS);
    vouchWaiters.add(test);
    test();
  });
}

api.runtime.onMessage.addListener((message, sender) => {
  if (message?.type !== 'cdot-triage/vouch') return;
  // A content script of this extension, in a tab's top frame (the only place it runs).
  const fromContentScript = sender.id === api.runtime.id && sender.tab?.id !== undefined && sender.frameId === 0
    && pageUrl(sender.url) !== null && !sender.url.startsWith(api.runtime.getURL(''));
  if (!fromContentScript || typeof message.token !== 'string' || message.token.length < 16) return;
  const url = pageUrl(sender.url);
  vouchedFrames().then(async (frames) => {
    const frame = frames.get(message.token) ?? { tabId: sender.tab.id, urls: [] };
    if (frame.tabId !== sender.tab.id) return; // a token is one tab's
    if (frame.urls.at(-1) === url) return; // nothing new (a snapshot of the same URL)
    frame.urls = [...frame.urls.filter((u) => u !== url), url].slice(-URLS_PER_FRAME);
    frames.delete(message.token);
    frames.set(message.token, frame);
    const ofTab = [...frames].filter(([, f]) => f.tabId === sender.tab.id);
    for (const [token] of ofTab.slice(0, -FRAMES_PER_TAB)) frames.delete(token);
    await saveVouched();
    for (const waiter of [...vouchWaiters]) waiter();
  });
});
api.tabs.onRemoved.addListener(async (tabId) => {
  const frames = await vouchedFrames();
  for (const [token, frame] of frames) if (frame.tabId === tabId) frames.delete(token);
  await saveVouched();
});

/** Whether the port is a banner frame vouched for in its own tab (waiting for the vouch). */
async function vouchedPort(port) {
  const token = bannerToken(port.sender?.url);
  const tabId = port.sender?.tab?.id;
  if (!token || tabId === undefined) return false;
  return until(async () => (await vouchedFrames()).get(token)?.tabId === tabId);
}
/** Whether a banner frame may store evidence read from `url`. */
async function mayAdd(port, url) {
  const token = bannerToken(port.sender?.url);
  const page = pageUrl(url);
  if (!token || !page) return false;
  return until(async () => {
    const frame = (await vouchedFrames()).get(token);
    return frame?.tabId === port.sender?.tab?.id && frame.urls.includes(page);
  });
}

api.runtime.onConnect.addListener((port) => {
  // Only the extension's own pages: not content scripts, which live in the customer pages'
  // processes. The popup and options page are not web-accessible: no page can embed them.
  const sender = port.sender;
  const fromExtensionPage = sender?.id === api.runtime.id && sender?.url?.startsWith(api.runtime.getURL(''));
  if (port.name !== 'cdot-store' || !fromExtensionPage) return port.disconnect();
  const banner = bannerToken(sender.url) !== null;
  // A banner frame waits to be vouched for; nothing it asks is answered before.
  const vouch = banner ? vouchedPort(port) : Promise.resolve(true);
  let open = true;
  port.onDisconnect.addListener(() => {
    open = false;
    ports.delete(port);
  });
  port.onDisconnect.addListener(() => toolbarPortGone(port)); // 3.
  vouch.then((ok) => {
    if (!open) return;
    if (ok) return ports.add(port); // from now on told of changes
    port.postMessage({ type: 'refused' });
    port.disconnect();
  });
  port.onMessage.addListener(async (message) => {
    // The toolbar only from a vouched banner frame (or the side panel): a page's own copy of
    // banner.html cannot set its tab's badge either.
    if (message?.type === 'tab-state' || message?.type === 'panel-watch') {
      if (await vouch) toolbarMessage(port, message); // 3.
      return;
    }
    const failed = (error) => port.postMessage({ type: 'error', id: message?.id, error: String(error?.message ?? error) });
    if (!(await vouch)) return;
    // Reading the settings or preferences does not touch the store: not queued behind a large
    // write (a 10,000-event page), which a banner would otherwise wait for before reading.
    if (message?.type === 'settings-get' || message?.type === 'prefs-get') return handle(port, message).catch(failed);
    queue = queue.then(async () => {
      if (banner && message?.type === 'add' && !(await mayAdd(port, message.url))) {
        throw new Error('refused: evidence for a page this frame was not opened on');
      }
      return handle(port, message);
    }).catch(failed);
  });
});

// A record lives until, not at, its expiry: core::store::is_live, on the same vectors
// (tests/vectors/expiry.json). A record without a numeric expiry is not kept.
const isLive = (record, now) => typeof record?.expiresAt === 'number' && record.expiresAt > now;
const live = (records, now = Date.now()) => (records ?? []).filter((r) => isLive(r, now));

async function handle(port, message) {
  const area = api.storage.session;
  switch (message?.type) {
    case 'add': {
      const { keys, notKept, dropped } = await add(area, message.records ?? []);
      broadcast(keys);
      // What did not fit (both 0 when the write was kept whole): the banner says it.
      port.postMessage({ type: 'done', id: message.id, records: { notKept, dropped } });
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
      // The frames still open keep their standing, not the URLs they were on (customer data:
      // a search URL holds an address); each snapshot vouches for its URL again.
      for (const frame of (await vouchedFrames()).values()) frame.urls = [];
      await saveVouched();
      toolbarForget(); // 3.
      broadcast(null);
      port.postMessage({ type: 'done', id: message.id });
      break;
    }
  }
}

/**
 * Stores `added` (a page's records: `{ id, key, expiresAt, observation }`, the id starting with
 * the page's 8-character tag: see src/core/store.rs), each
 * replacing a stored record with its id. A write the quota refuses is never lost whole: the
 * oldest records of other pages are dropped first, then what still does not fit of the
 * written pages is not kept. Returns the changed addresses and how many records were not
 * kept (`notKept`) and dropped (`dropped`).
 */
async function add(area, added) {
  const byKey = Object.groupBy(added, (r) => PREFIX + r.key);
  const stored = await area.get(Object.keys(byKey));
  const next = {};
  for (const [storageKey, records] of Object.entries(byKey)) {
    const ids = new Set(records.map((r) => r.id));
    next[storageKey] = [...live(stored[storageKey]).filter((r) => !ids.has(r.id)), ...records];
  }
  const keys = Object.keys(byKey).map((k) => k.slice(PREFIX.length));
  try {
    await area.set(next);
    return { keys, notKept: 0, dropped: 0 };
  } catch (error) {
    // Chrome: "Session storage quota bytes exceeded". Anything else fails the same way again.
    return makeRoom(area, added, error);
  }
}

// storage.session's quota: Chrome's QUOTA_BYTES (10 MB); Firefox states none, 10 MB assumed.
const QUOTA = 10 * 1024 * 1024;
const utf8 = new TextEncoder();
const bytes = (text) => utf8.encode(text).length;
// Chrome counts a stored value's memory, not its JSON: text at its length (quotes are not
// escaped), and about 50 bytes more per object member (a record's four: measured with
// getBytesInUse, a 404-byte JSON record of five members counts 656).
const RECORD_OVERHEAD = 224;

/** The write of `added` that did not fit: the smallest loss that fits (see `add`). */
async function makeRoom(area, added, refusal) {
  const pageOf = (r) => r.id.slice(0, 8);
  const pages = new Set(added.map(pageOf)); // the pages being written: never dropped
  const addedIds = new Set(added.map((r) => r.id));
  const all = await area.get(null);
  const otherKeys = Object.keys(all).filter((k) => !k.startsWith(PREFIX));
  // What is not observations (recent searches) stays, and counts (as the browser counts it).
  let other = area.getBytesInUse ? await area.getBytesInUse(otherKeys) : 0;
  const kept = new Map(); // storage key → its records that stay, before any is dropped
  for (const [storageKey, value] of Object.entries(all)) {
    if (!storageKey.startsWith(PREFIX)) other += area.getBytesInUse ? 0 : bytes(storageKey) + bytes(JSON.stringify(value));
    else kept.set(storageKey, live(value).filter((r) => !addedIds.has(r.id)));
  }
  const size = new Map();
  const sizeOf = (r) => size.get(r) ?? size.set(r, bytes(JSON.stringify(r)) + RECORD_OVERHEAD).get(r);
  let total = other;
  for (const [storageKey, records] of kept) total += bytes(storageKey) + 2 + records.reduce((n, r) => n + sizeOf(r), 0);
  for (const r of added) total += sizeOf(r) + (kept.has(PREFIX + r.key) ? 0 : bytes(PREFIX + r.key) + 2);
  // Other pages' records, oldest first (the expiry is the time seen plus the same hours).
  const droppable = [...kept].flatMap(([storageKey, records]) => records
    .filter((r) => !pages.has(pageOf(r))).map((r) => [storageKey, r]))
    .sort((a, b) => a[1].expiresAt - b[1].expiresAt);
  const quota = area.QUOTA_BYTES ?? QUOTA;
  // The estimate is an upper bound; each refusal tightens the budget.
  for (const margin of [0.97, 0.9, 0.8, 0.6]) {
    const budget = quota * margin;
    let estimate = total;
    let dropCount = 0;
    while (estimate > budget && dropCount < droppable.length) estimate -= sizeOf(droppable[dropCount++][1]);
    let keepCount = added.length;
    while (estimate > budget && keepCount > 0) estimate -= sizeOf(added[--keepCount]);
    const dropped = new Set(droppable.slice(0, dropCount).map(([, r]) => r));
    const touched = new Set([...droppable.slice(0, dropCount).map(([k]) => k),
      ...added.slice(0, keepCount).map((r) => PREFIX + r.key)]);
    const next = {};
    for (const storageKey of touched) {
      next[storageKey] = (kept.get(storageKey) ?? []).filter((r) => !dropped.has(r));
    }
    for (const r of added.slice(0, keepCount)) next[PREFIX + r.key].push(r);
    const empty = Object.keys(next).filter((k) => next[k].length === 0);
    for (const k of empty) delete next[k];
    try {
      if (empty.length) await area.remove(empty);
      await area.set(next);
    } catch {
      continue;
    }
    return { keys: [...touched].map((k) => k.slice(PREFIX.length)), notKept: added.length - keepCount, dropped: dropCount };
  }
  throw refusal;
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
