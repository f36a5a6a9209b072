// Loader of the banner frame's reader (src/frame/worker.rs): a dedicated worker of the frame,
// running the same WASM module. It parses, reads and diagnoses the frame's snapshots off the
// main thread, which every banner frame and the popup share. Its first message is the module
// the frame compiled (`{ type: 'module', module }`: one compile for both); messages that
// arrive while it is instantiated wait for it. It says `{ type: 'ready' }` once it reads:
// until then the frame reads small snapshots itself too (src/frame/handover.rs). A failure
// here reaches the frame (banner.js shows the error state): a panic's report as
// `{ type: 'failed', report }` (src/frame/error.rs), anything else as the worker's `error`
// event.
import init, { FrameReader } from './pkg/cdot_triage.js';

const early = [];
let reader = null;
let started = false;
addEventListener('message', ({ data }) => {
  if (reader) return reader.message(data);
  if (!started && data?.type === 'module') {
    started = true;
    return start(data.module).catch(failed);
  }
  early.push(data);
});

// A rejection nobody handled (a trap inside a task of the module) is a failure too; the
// frame scrubs the message into its report (report.js).
addEventListener('unhandledrejection', (event) => failed(event.reason));
function failed(error) {
  postMessage({ type: 'failed', message: String(error?.message ?? error) });
}

async function start(module) {
  await init({ module_or_path: module });
  reader = new FrameReader((message) => postMessage(message));
  postMessage({ type: 'ready' });
  for (const data of early.splice(0)) reader.message(data);
}
