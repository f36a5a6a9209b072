// The error message of a report that banner.js writes itself (when the WASM module could not
// load, it cannot ask Rust): the same rules as core::report::scrub, checked against the same
// table of cases (tests/vectors/scrub.json) by `cargo test` and `node --test tests/js/`.
// Quoted or back-ticked text becomes `…`, any word with an `@` becomes `<address>`, control
// characters (other than a newline) become a space, and the rest is cut to 300 characters.
const MAX_MESSAGE = 300;
const CLOSING = { '`': '`', '"': '"', '“': '”', "'": "'" };

export function scrubMessage(message) {
  let out = '';
  let closing = null;
  for (const c of String(message)) {
    if (closing !== null) {
      if (c === closing) {
        closing = null;
        out += `…${c}`;
      }
      continue;
    }
    // An apostrophe inside a word ("can't") is not a quote.
    const last = [...out.slice(-2)].at(-1) ?? '';
    if (c in CLOSING && !(c === "'" && /[\p{Alphabetic}\p{N}]/u.test(last))) {
      out += c;
      closing = CLOSING[c];
    } else {
      out += /\p{Cc}/u.test(c) && c !== '\n' ? ' ' : c;
    }
  }
  if (closing !== null) out += '…';
  const scrubbed = out.split('\n')
    .map((line) => line.split(' ').map((w) => (w.includes('@') ? '<address>' : w)).join(' '))
    .join('\n');
  const chars = [...scrubbed];
  return chars.length > MAX_MESSAGE ? `${chars.slice(0, MAX_MESSAGE).join('')}…` : scrubbed;
}
