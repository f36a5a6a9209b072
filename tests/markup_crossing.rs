//! A JS string's crossing into the module (`js::utf8_of`, the bench entries' route for a
//! page's markup, as content.js writes a snapshot's bytes), in headless Chromium: the bytes
//! are the browser's own `TextEncoder.encode` of the same string, whatever its mix of ASCII,
//! other characters, astral characters and lone surrogates, and whether or not it fits the
//! first, mostly-ASCII guess of its size.
//! `cargo test --target wasm32-unknown-unknown --test markup_crossing`
#![cfg(target_arch = "wasm32")]

use cdot_triage::js::utf8_of;
use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, source: &JsString) -> Uint8Array;
}

/// A JS string from UTF-16 units (lone surrogates included, which a Rust `&str` cannot hold).
fn js_string(units: &[u16]) -> JsString {
    JsString::from_char_code(units)
}

fn units(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

fn assert_crosses(units: &[u16]) {
    let text = js_string(units);
    let want = TextEncoder::new().encode(&text).to_vec();
    let got = utf8_of(&text);
    assert_eq!(
        got.as_bytes(),
        want.as_slice(),
        "{} UTF-16 units",
        units.len()
    );
}

#[wasm_bindgen_test]
fn a_string_crosses_as_the_browser_encodes_it() {
    for text in [
        "",
        "a",
        "<p>Delivered</p>",
        "é",
        "Nov 22, 2026 … jane@exämple.com — 日本語",
        "🙂",
        "a🙂b",
    ] {
        assert_crosses(&units(text));
    }
}

#[wasm_bindgen_test]
fn lone_surrogates_become_the_replacement_character() {
    for units in [
        vec![0xD800],
        vec![0xDC00],
        vec![b'a' as u16, 0xD83D, b'b' as u16],
        vec![0xDE42, 0xD83D],
    ] {
        assert_crosses(&units);
        let text = utf8_of(&js_string(&units));
        assert!(text.contains('\u{FFFD}'), "{text:?}");
    }
}

#[wasm_bindgen_test]
fn text_beyond_the_first_guess_of_its_size_is_all_there() {
    // Mostly ASCII with a few others: fits the first guess.
    let mut page = units(&"<tr><td>user@example.com</td><td>Delivered</td></tr>".repeat(2_000));
    page.extend(units("…"));
    assert_crosses(&page);
    // All three-byte characters, all four-byte ones, and the cut between them falling inside
    // a surrogate pair: each needs the second pass.
    assert_crosses(&units(&"…".repeat(5_000)));
    assert_crosses(&units(&"🙂".repeat(5_000)));
    let mut mixed = units(&"a".repeat(1_000));
    mixed.extend(units(&"🙂".repeat(3_000)));
    mixed.extend(units(&"ü".repeat(3_001)));
    assert_crosses(&mixed);
}
