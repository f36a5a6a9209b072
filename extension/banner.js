// Loader of the banner frame: listens for the content script's handshake from the first moment
// (the module may still be loading when it arrives), then hands every window message to the
// WASM module, which accepts only the one carrying this frame's token and port. Also builds
// the observation store client the module uses (store-client.js: a port to the background,
// which keeps the store and the settings).
import init, { Banner } from './pkg/cdot_triage.js';
import { storeClient } from './store-client.js';

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

await init({ module_or_path: new URL('pkg/cdot_triage_bg.wasm', import.meta.url) });
performance.mark('cdot-triage:wasm-ready');
banner = new Banner(location.hash, storeClient(api));
for (const event of early.splice(0)) banner.handshake(event);
