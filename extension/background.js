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
import { Locks, bytes, live, planRoom } from './store-policy.js';

const api = globalThis.browser ?? globalThis.chrome;
const PREFIX = 'obs:';
const RECENT = 'recent';
const MENU = 'cdot-triage-selection';
const ports = new Set();

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
// And this, to see which extension pages hold a store port (the worker is a module: its
// top-level names are not globals). Their own URLs only: no customer data.
globalThis.connectedPages = () => [...ports].map((port) => port.sender?.url);

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
// again before each snapshot, and waits for the answer before sending the snapshot. The URL
// kept is one the browser reports for the sender's tab, never one a message claims alone:
// the content script says which URL it is on (`location.href`), and that URL is vouched for
// only when the browser reports it too, as the sender's URL or its tab's URL. (Both browsers
// keep `sender.url` at the URL the document had when the content script started: after a
// pjax or Turbo `pushState`, or a `replaceState`, only the tab's URL is the page's.) A banner
// frame's port is served only when its token (the hash of its own URL, as the browser reports
// it) was vouched for in the same tab; its `add` is stored only for a URL vouched for with
// that token.
const VOUCHED = 'vouched'; // storage.session: { [token]: { tabId, doc, urls } }; survives a worker restart
const VOUCH_WAIT_MS = 3000; // a frame may connect before its content script's message arrives
const URLS_PER_FRAME = 50;
const FRAMES_PER_TAB = 8;
const CLOSED_TAB_GRACE_MS = 5000; // a closed tab's writes already sent still land
let vouched = null; // Promise<Map<token, { tabId, doc, urls }>>
const vouchWaiters = new Set(); // () => void, called whenever a vouch arrives

function vouchedFrames() {
  vouched ??= api.storage.session.get(VOUCHED).then(async ({ [VOUCHED]: saved }) => {
    const frames = new Map(Object.entries(saved ?? {}));
    // Tabs closed while the worker was stopped: their frames go (customer data: the URLs).
    const tabIds = new Set([...frames.values()].map((f) => f.tabId));
    const gone = (await Promise.all([...tabIds].map((id) => api.tabs.get(id).then(() => null, () => id)))).filter((id) => id !== null);
    if (gone.length) {
      for (const [token, frame] of frames) if (gone.includes(frame.tabId)) frames.delete(token);
      await api.storage.session.set({ [VOUCHED]: Object.fromEntries(frames) });
    }
    return frames;
  });
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
/** The URL a content script's message vouches for: the one it says it is on when the browser
 * reports it for the sender (its own URL, or its tab's on the same origin), else the sender's. */
function reportedUrl(sender, claimed) {
  const own = pageUrl(sender.url);
  const tab = pageUrl(sender.tab?.url);
  const sameOrigin = tab !== null && own !== null && new URL(tab).origin === new URL(own).origin;
  const wanted = pageUrl(claimed);
  if (wanted !== null && (wanted === own || (sameOrigin && wanted === tab))) return wanted;
  return own;
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

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message?.type !== 'cdot-triage/vouch') return undefined;
  // A content script of this extension, in a tab's top frame (the only place it runs).
  const fromContentScript = sender.id === api.runtime.id && sender.tab?.id !== undefined && sender.frameId === 0
    && pageUrl(sender.url) !== null && !sender.url.startsWith(api.runtime.getURL(''));
  if (!fromContentScript || typeof message.token !== 'string' || message.token.length < 16) return undefined;
  vouch(message.token, sender, reportedUrl(sender, message.url)).then(
    (url) => sendResponse({ ok: true, url }),
    () => sendResponse({ ok: false }),
  );
  return true; // answered once the vouch is saved: the content script sends its snapshot then
});

/** Records that `token`'s frame, in the sender's tab and document, may speak for `url`. */
async function vouch(token, sender, url) {
  const frames = await vouchedFrames();
  const doc = sender.documentId ?? null;
  const frame = frames.get(token) ?? { tabId: sender.tab.id, doc, urls: [] };
  // A token is one tab's, and one document's (where the browser says which).
  if (frame.tabId !== sender.tab.id || (frame.doc && doc && frame.doc !== doc)) throw new Error('another tab\'s token');
  if (frame.urls.at(-1) === url) return url; // nothing new (a snapshot of the same URL)
  frame.urls = [...frame.urls.filter((u) => u !== url), url].slice(-URLS_PER_FRAME);
  frames.delete(token);
  frames.set(token, frame);
  const ofTab = [...frames].filter(([, f]) => f.tabId === sender.tab.id);
  for (const [old] of ofTab.slice(0, -FRAMES_PER_TAB)) frames.delete(old);
  await saveVouched();
  for (const waiter of [...vouchWaiters]) waiter();
  return url;
}

api.tabs.onRemoved.addListener((tabId) => {
  // Not at once: a write the closed tab's frame sent just before is still served. A worker
  // stopped meanwhile drops them when it starts again (vouchedFrames).
  setTimeout(async () => {
    const frames = await vouchedFrames();
    for (const [token, frame] of frames) if (frame.tabId === tabId) frames.delete(token);
    await saveVouched();
  }, CLOSED_TAB_GRACE_MS);
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

/**
 * Every message to a port goes through here: a port closes when its frame's page goes away
 * (navigated, closed), and posting to it then throws. That is not an error of anything else:
 * the port is forgotten, and whatever the message said is already kept in the store (a write
 * that was not kept is counted there: see `lose`).
 */
function reply(port, message) {
  try {
    port.postMessage(message);
    return true;
  } catch {
    ports.delete(port);
    return false;
  }
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
    reply(port, { type: 'refused' });
    port.disconnect();
  });
  // Each request on its own: no request waits for another frame's, and one that fails
  // answers its own frame only.
  port.onMessage.addListener(async (message) => {
    // The toolbar only from a vouched banner frame (or the side panel): a page's own copy of
    // banner.html cannot set its tab's badge either.
    if (message?.type === 'tab-state' || message?.type === 'panel-watch') {
      if (await vouch) toolbarMessage(port, message); // 3.
      return;
    }
    if (!(await vouch)) return;
    try {
      await handle(port, message, banner);
    } catch (error) {
      reply(port, { type: 'error', id: message?.id, error: String(error?.message ?? error) });
    }
  });
});

/** A record as core::store sends it: string id (page tag and class first), key, observation. */
const isRecord = (r) => typeof r?.id === 'string' && r.id.length >= 9 && typeof r.key === 'string' && r.key.length > 0
  && typeof r.observation === 'string' && typeof r.expiresAt === 'number';

const locks = new Locks();
const LOST = 'lost'; // storage.session: { [address]: { [reason]: count } }, what was not kept

async function handle(port, message, banner) {
  const area = api.storage.session;
  switch (message?.type) {
    case 'add': {
      const records = Array.isArray(message.records) ? message.records.filter(isRecord) : [];
      let outcome;
      if (banner && !(await mayAdd(port, message.url))) {
        outcome = { notKept: records.length, dropped: 0, reason: 'not-vouched', keys: [], droppedByPage: new Map() };
      } else {
        outcome = await add(area, records);
      }
      const { keys, droppedByPage, notKept, reason } = outcome;
      await lose(area, outcome.notKeptRecords ?? (notKept ? records : []), reason, outcome.droppedRecords ?? []);
      broadcast(keys, droppedByPage);
      // What was not kept and why (both 0 and no reason when the write was kept whole): the
      // banner says it.
      reply(port, { type: 'done', id: message.id, records: { notKept, dropped: sum(droppedByPage), reason } });
      break;
    }
    case 'get-all': {
      const all = await area.get(null);
      const entries = Object.entries(all).filter(([k]) => k.startsWith(PREFIX));
      // Expired records are deleted, not only skipped: customer data does not outlive its
      // expiry. Under the addresses' own locks, after any write to them, on what is there then.
      const expired = entries.filter(([, v]) => live(v).length !== v.length).map(([k]) => k);
      if (expired.length) {
        locks.keyed(expired, async () => {
          const now = await area.get(expired);
          const keep = Object.fromEntries(Object.entries(now).filter(([, v]) => live(v).length).map(([k, v]) => [k, live(v)]));
          await area.set(keep);
          await area.remove(Object.keys(now).filter((k) => !(k in keep)));
        }).catch(() => {}); // tried again on the next read
      }
      reply(port, { type: 'records', id: message.id, records: entries.flatMap(([, v]) => live(v)) });
      break;
    }
    // What was not kept, per address (the popup's "observed" counts it).
    case 'lost-get': {
      const { [LOST]: lost } = await area.get(LOST);
      reply(port, { type: 'records', id: message.id, records: lost ?? {} });
      break;
    }
    // Banner preferences (collapsed or not): not customer data, kept in storage.local.
    case 'prefs-get': {
      const { bannerPrefs } = await api.storage.local.get('bannerPrefs');
      reply(port, { type: 'records', id: message.id, records: bannerPrefs ?? {} });
      break;
    }
    case 'prefs-set': {
      await api.storage.local.set({ bannerPrefs: message.prefs });
      reply(port, { type: 'done', id: message.id });
      break;
    }
    // The settings without the API key (a separate storage key the banners never get).
    case 'settings-get': {
      const { settings } = await api.storage.local.get('settings');
      reply(port, { type: 'records', id: message.id, records: settings ?? {} });
      break;
    }
    case 'recent-get': {
      const { [RECENT]: recent } = await area.get(RECENT);
      reply(port, { type: 'records', id: message.id, records: recent ?? [] });
      break;
    }
    case 'recent-set': {
      await area.set({ [RECENT]: message.recent });
      reply(port, { type: 'done', id: message.id });
      break;
    }
    case 'forget': {
      // After every write already under way, before any that comes later: what those wrote is
      // forgotten, what comes later is kept.
      await locks.exclusive(async () => {
        await area.clear();
        // The frames still open keep their standing, not the URLs they were on (customer
        // data: a search URL holds an address); each snapshot vouches for its URL again.
        for (const frame of (await vouchedFrames()).values()) frame.urls = [];
        await saveVouched();
      });
      toolbarForget(); // 3.
      broadcast(null);
      reply(port, { type: 'done', id: message.id });
      break;
    }
  }
}

const sum = (counts) => [...(counts?.values() ?? [])].reduce((a, b) => a + b, 0);

/**
 * Stores `added` (a page's records, each replacing a stored record with its id) under the
 * locks of their addresses. When the quota refuses the write, room is made under the
 * exclusive lock (store-policy.js `planRoom`). Returns { keys: changed addresses, notKept:
 * how many of `added` (its last ones) were not kept, droppedByPage: Map(page tag → stored
 * records dropped), droppedRecords, reason: null, 'quota' or 'storage-error' }.
 */
async function add(area, added) {
  const byKey = Object.groupBy(added, (r) => PREFIX + r.key);
  const storageKeys = Object.keys(byKey);
  const keys = storageKeys.map((k) => k.slice(PREFIX.length));
  const whole = { keys, notKept: 0, droppedByPage: new Map(), reason: null };
  if (!added.length) return whole;
  try {
    await locks.keyed(storageKeys, async () => {
      const stored = await area.get(storageKeys);
      const next = {};
      for (const [storageKey, records] of Object.entries(byKey)) {
        const ids = new Set(records.map((r) => r.id));
        next[storageKey] = [...live(stored[storageKey]).filter((r) => !ids.has(r.id)), ...records];
      }
      await area.set(next);
    });
    return whole;
  } catch (error) {
    // Chrome: "Session storage quota bytes exceeded". Anything else fails the same way again.
    if (!/quota/i.test(String(error?.message ?? error))) {
      return { keys: [], notKept: added.length, droppedByPage: new Map(), reason: 'storage-error' };
    }
    return locks.exclusive(() => makeRoom(area, added).catch(() => (
      { keys: [], notKept: added.length, droppedByPage: new Map(), reason: 'storage-error' })));
  }
}

// storage.session's quota: Chrome's QUOTA_BYTES (10 MB); Firefox states none, 10 MB assumed.
const QUOTA = 10 * 1024 * 1024;

/** The write of `added` that did not fit: what planRoom keeps, written in one `set`. */
async function makeRoom(area, added) {
  const addedIds = new Set(added.map((r) => r.id));
  const all = await area.get(null);
  const otherKeys = Object.keys(all).filter((k) => !k.startsWith(PREFIX));
  // What is not observations (recent searches, the vouched frames) stays, and counts.
  const other = area.getBytesInUse
    ? await area.getBytesInUse(otherKeys)
    : otherKeys.reduce((n, k) => n + bytes(k) + bytes(JSON.stringify(all[k])), 0);
  const stored = new Map();
  for (const [storageKey, value] of Object.entries(all)) {
    if (storageKey.startsWith(PREFIX)) stored.set(storageKey, live(value).filter((r) => !addedIds.has(r.id)));
  }
  const quota = area.QUOTA_BYTES ?? QUOTA;
  // The sizes are estimates; each refusal tightens the budget.
  for (const margin of [0.97, 0.9, 0.8, 0.6]) {
    const plan = planRoom({ stored, added, other, budget: quota * margin, keyOf: (r) => PREFIX + r.key });
    if (!plan) {
      // Everything fits now (records expired meanwhile): the write as it is.
      const next = {};
      for (const r of added) (next[PREFIX + r.key] ??= [...(stored.get(PREFIX + r.key) ?? [])]).push(r);
      try {
        await area.set(next);
      } catch {
        continue;
      }
      return { keys: [...new Set(added.map((r) => r.key))], notKept: 0, droppedByPage: new Map(), reason: null };
    }
    const next = {};
    const droppedRecords = [];
    for (const [storageKey, records] of stored) {
      const kept = records.filter((r) => plan.keep.has(r));
      if (kept.length !== records.length) {
        next[storageKey] = kept;
        droppedRecords.push(...records.filter((r) => !plan.keep.has(r)));
      }
    }
    // The write's records in their order; those not kept are its last ones (see `lose`).
    const keptAdded = added.filter((r) => plan.keep.has(r));
    for (const r of keptAdded) (next[PREFIX + r.key] ??= [...(stored.get(PREFIX + r.key) ?? []).filter((s) => plan.keep.has(s))]).push(r);
    const empty = Object.keys(next).filter((k) => next[k].length === 0);
    try {
      await area.set(next);
      if (empty.length) await area.remove(empty);
    } catch {
      continue;
    }
    return {
      keys: Object.keys(next).map((k) => k.slice(PREFIX.length)),
      notKept: added.length - keptAdded.length,
      notKeptRecords: added.filter((r) => !plan.keep.has(r)),
      droppedByPage: plan.droppedByPage,
      droppedRecords,
      reason: added.length - keptAdded.length ? 'quota' : null,
    };
  }
  return { keys: [], notKept: added.length, droppedByPage: new Map(), reason: 'quota' };
}

/** Counts, per address, what was not kept (`notKept`: of a write, for `reason`) and what was
 * dropped to make room: the popup's "observed" says it. */
async function lose(area, notKept, reason, dropped) {
  if (!notKept.length && !dropped.length) return;
  await locks.keyed([LOST], async () => {
    const { [LOST]: lost = {} } = await area.get(LOST);
    const count = (key, why) => {
      lost[key] ??= {};
      lost[key][why] = (lost[key][why] ?? 0) + 1;
    };
    for (const r of notKept) count(r.key, reason ?? 'storage-error');
    for (const r of dropped) count(r.key, 'dropped');
    await area.set({ [LOST]: lost });
  }).catch(() => {}); // the banner said it already; the count is a courtesy
}

/** Tells every banner which addresses changed (null: everything was forgotten), and which
 * pages lost records to make room (`dropped`: { [page tag]: count }). */
function broadcast(keys, droppedByPage = new Map()) {
  if (keys?.length === 0 && !droppedByPage.size) return;
  const dropped = droppedByPage.size ? Object.fromEntries(droppedByPage) : undefined;
  for (const port of [...ports]) reply(port, { type: 'changed', keys, dropped });
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
