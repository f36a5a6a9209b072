// The client of the observation store the background keeps (see background.js): requests over
// a port named "cdot-store", answered by id; `changed` and `settings` messages are pushed to
// listeners. Used by the banner frames and the popup (extension pages only: the background
// refuses ports from anywhere else).
export function storeClient(api) {
  const pending = new Map();
  const listeners = { changed: [], settings: [] };
  let port = null;
  let nextId = 1;
  const connect = () => {
    port = api.runtime.connect({ name: 'cdot-store' });
    port.onMessage.addListener((m) => {
      if (m.type === 'changed') return listeners.changed.forEach((listener) => listener(m.keys));
      if (m.type === 'settings') return listeners.settings.forEach((listener) => listener());
      const request = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === 'error') request?.reject(new Error(m.error));
      else request?.resolve(m.records ?? null);
    });
    // The background may be stopped while idle: reconnect, so changes keep arriving.
    port.onDisconnect.addListener(() => {
      port = null;
      for (const request of pending.values()) request.reject(new Error('store disconnected'));
      pending.clear();
      setTimeout(connect, 100);
    });
  };
  const request = (message) => new Promise((resolve, reject) => {
    if (!port) connect();
    const id = nextId++;
    pending.set(id, { resolve, reject });
    port.postMessage({ ...message, id });
  });
  connect();
  return {
    add: (records) => request({ type: 'add', records }),
    getAll: () => request({ type: 'get-all' }),
    forget: () => request({ type: 'forget' }),
    prefs: () => request({ type: 'prefs-get' }),
    setPrefs: (prefs) => request({ type: 'prefs-set', prefs }),
    // The settings without the API key (which only the popup and options pages read).
    settings: () => request({ type: 'settings-get' }),
    recent: () => request({ type: 'recent-get' }),
    setRecent: (recent) => request({ type: 'recent-set', recent }),
    onChanged: (listener) => listeners.changed.push(listener),
    onSettings: (listener) => listeners.settings.push(listener),
  };
}
