// The banner frame's handshake rule, for banner.js while the WASM module could not run (the
// module checks it with core::protocol::is_hello). Both are run on tests/vectors/hello.json.
export const HELLO = 'cdot-triage/hello';
const MIN_TOKEN_LEN = 16;

/** `{ fromParent, data, ports, hash }` → whether it is this frame's handshake. */
export function isHelloMessage({ fromParent, data, ports, hash }) {
  const own = String(hash ?? '').replace(/^#/, '');
  return fromParent && typeof data === 'object' && data !== null && data.type === HELLO
    && typeof data.token === 'string' && own.length >= MIN_TOKEN_LEN && data.token === own && ports === 1;
}
