// The client of the observation store the background keeps (see background.js): requests over
// a port named "cdot-store", answered by id; `changed` and `settings` messages are pushed to
// listeners. Used by the banner frames and the popup (extension pages only: the background
// refuses ports from anywhere else, and banner frames no content script of the extension
// vouched for: those get `refused`, and every request then fails with "refused").
// Two messages are not requests and get no answer, and are sent again after a reconnect (a
// restarted background has forgotten them): a banner's `tab-state` (what the toolbar button
// says for its tab) and the side panel's `panel-watch` (tell me the address the active tab is
// about: `active-subject` messages).
export function storeClient(api) {
  const pending = new Map();
  const listeners = { changed: [], settings: [], subject: [] };
  const standing = { tabState: null, watch: null };
  let port = null;
  let refused = false;
  let reconnect = 0; // the timer of a reconnect after a disconnect
  let nextId = 1;
  const connect = () => {
    port = api.runtime.connect({ name: 'cdot-store' });
    for (const message of Object.values(standing)) if (message) port.postMessage(message);
    port.onMessage.addListener((m) => {
      if (m.type === 'refused') {
        refused = true; // not reconnected: the background will not serve this frame
        return;
      }
      // `dropped`: { [page tag]: count } of records dropped to make room, when any were.
      if (m.type === 'changed') return listeners.changed.forEach((listener) => listener(m.keys, m.dropped));
      if (m.type === 'settings') return listeners.settings.forEach((listener) => listener());
      if (m.type === 'active-subject') return listeners.subject.forEach((listener) => listener(m.shown));
      const request = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === 'error') request?.reject(new Error(m.error));
      else request?.resolve(m.records ?? null);
    });
    // The background may be stopped while idle, or mid-request: every request of this port
    // fails with "store disconnected" (the banner sends a write again), and the client
    // reconnects, so changes keep arriving.
    port.onDisconnect.addListener(() => {
      port = null;
      for (const request of pending.values()) request.reject(new Error(refused ? 'refused' : 'store disconnected'));
      pending.clear();
      if (!refused) reconnect = setTimeout(connect, 100);
    });
  };
  // Without a port a reconnect is under way, and sends it.
  const stand = (name, message) => {
    standing[name] = message;
    port?.postMessage(message);
  };
  const request = (message) => new Promise((resolve, reject) => {
    if (refused) return reject(new Error('refused'));
    if (!port) {
      // One port at a time: a request during the reconnect wait connects now, instead of the
      // timer (which would open a second port, and every "changed" would arrive twice).
      clearTimeout(reconnect);
      connect();
    }
    const id = nextId++;
    pending.set(id, { resolve, reject });
    port.postMessage({ ...message, id });
  });
  connect();
  return {
    // `url`: the page the records were read from (a banner frame's must be one its content
    // script vouched for; the popup's look-ups leave it out).
    add: (records, url) => request({ type: 'add', records, url }),
    getAll: () => request({ type: 'get-all' }),
    // What the store did not keep, per address: { [address]: { [reason]: count } }.
    lost: () => request({ type: 'lost-get' }),
    forget: () => request({ type: 'forget' }),
    prefs: () => request({ type: 'prefs-get' }),
    setPrefs: (prefs) => request({ type: 'prefs-set', prefs }),
    // The settings without the API key (which only the popup and options pages read).
    settings: () => request({ type: 'settings-get' }),
    recent: () => request({ type: 'recent-get' }),
    setRecent: (recent) => request({ type: 'recent-set', recent }),
    onChanged: (listener) => listeners.changed.push(listener),
    onSettings: (listener) => listeners.settings.push(listener),
    // Built in Rust (src/frame/mod.rs `tab_state_to_js`): { type: 'tab-state', ... }.
    tabState: (state) => stand('tabState', state),
    // The side panel: `listener(shown)` with the address the active tab's banner is about,
    // now and whenever it changes.
    watchActiveSubject: (listener) => {
      listeners.subject.push(listener);
      stand('watch', { type: 'panel-watch' });
    },
  };
}
