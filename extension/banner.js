// Loader of the banner frame: listens for the content script's handshake from the first moment
// (the module may still be loading when it arrives), then hands every window message to the
// WASM module, which accepts only the one carrying this frame's token and port. Also builds
// the observation store client the module uses (a port to the background, which keeps the
// store: see background.js).
import init, { Banner } from './pkg/cdot_triage.js';

// Marks for `npm run bench` (bench/run.mjs reads them; nothing else does): the module graph
// loaded, the WASM module ready, the first render landing in #banner, and the next frame
// after it (painted).
performance.mark('cdot-triage:frame-start');
new MutationObserver((_, observer) => {
  observer.disconnect();
  performance.mark('cdot-triage:first-render');
  requestAnimationFrame(() => setTimeout(() => performance.mark('cdot-triage:banner-painted')));
}).observe(document.getElementById('banner'), { childList: true });

const api = globalThis.browser ?? globalThis.chrome;
const early = [];
let banner = null;
addEventListener('message', (event) => (banner ? banner.handshake(event) : early.push(event)));

/** Requests over a port named "cdot-store", answered by id; `changed` pushes to listeners. */
function storeClient() {
  const pending = new Map();
  const listeners = [];
  let port = null;
  let nextId = 1;
  const connect = () => {
    port = api.runtime.connect({ name: 'cdot-store' });
    port.onMessage.addListener((m) => {
      if (m.type === 'changed') return listeners.forEach((listener) => listener(m.keys));
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
    onChanged: (listener) => listeners.push(listener),
  };
}

await init({ module_or_path: new URL('pkg/cdot_triage_bg.wasm', import.meta.url) });
performance.mark('cdot-triage:wasm-ready');
banner = new Banner(location.hash, storeClient());
for (const event of early.splice(0)) banner.handshake(event);
