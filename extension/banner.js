// Loader of the banner frame: listens for the content script's handshake from the first moment
// (the module may still be loading when it arrives), then hands every window message to the
// WASM module, which accepts only the one carrying this frame's token and port.
import init, { Banner } from './pkg/cdot_triage.js';

const early = [];
let banner = null;
addEventListener('message', (event) => (banner ? banner.handshake(event) : early.push(event)));

await init({ module_or_path: new URL('pkg/cdot_triage_bg.wasm', import.meta.url) });
banner = new Banner(location.hash);
for (const event of early.splice(0)) banner.handshake(event);
