// Loader of the banner frame's reader (src/frame/worker.rs): a dedicated worker of the frame,
// running the same WASM module. It parses, reads and diagnoses the frame's snapshots off the
// main thread, which every banner frame and the popup share. Messages that arrive while the
// module loads wait for it. A failure here reaches the frame (banner.js shows the error
// state): a panic's report as `{ type: 'failed', report }` (src/frame/error.rs), anything else
// as the worker's `error` event.
import init, { FrameReader } from './pkg/cdot_triage.js';

const early = [];
let reader = null;
addEventListener('message', ({ data }) => (reader ? reader.message(data) : early.push(data)));
await init({ module_or_path: new URL('pkg/cdot_triage_bg.wasm', import.meta.url) });
reader = new FrameReader((message) => postMessage(message));
for (const data of early.splice(0)) reader.message(data);
