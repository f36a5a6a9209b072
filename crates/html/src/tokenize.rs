//! The WHATWG HTML tokenizer (<https://html.spec.whatwg.org/multipage/parsing.html#tokenization>),
//! for what real pages contain, feeding a [`Sink`] (the tree builder) without a token type.
//!
//! Covered: the data state with character references (numeric, and all 2,231 named ones with
//! the legacy no-`;` forms and longest match, from the
//! compact table in `entities.rs`); start and end tags with
//! attributes (lower-cased names, first of duplicate attributes wins, the legacy rule for
//! references in attribute values), the self-closing flag; comments (skipped: the tree keeps
//! none) and bogus comments; DOCTYPE (name, public identifier, force-quirks); CDATA sections
//! in foreign content; the RCDATA, RAWTEXT, script data (with its escaped and double-escaped
//! states) and PLAINTEXT states, chosen by the sink's answer to each start tag, ended by the
//! appropriate end tag; U+0000 and CR/CRLF as the spec handles them. Parse errors are not
//! reported.
//!
//! Speed: text, tag names and attribute values are handed to the sink borrowed from the input
//! unless a reference, an upper-case letter or a U+0000 has to be rewritten; text is scanned
//! eight bytes at a time for the few bytes that end it.

use super::entities;
use std::borrow::Cow;

/// The text states the tree builder can switch the tokenizer into after a start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextState {
    Data,
    RcData,
    RawText,
    ScriptData,
    PlainText,
}

/// A start tag's attribute: lower-case name, value with references decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    pub name: Cow<'a, str>,
    pub value: Cow<'a, str>,
}

/// What the tokenizer reports to (the tree builder).
pub trait Sink {
    /// Returns the tokenizer state to continue in (the tree builder decides: textarea/title →
    /// RcData, …).
    fn start_tag(&mut self, name: &str, attrs: &[Attribute<'_>], self_closing: bool) -> TextState;
    fn end_tag(&mut self, name: &str);
    /// Consecutive characters, possibly in several calls.
    fn text(&mut self, text: &str);
    fn doctype(&mut self, name: &str, public_id: Option<&str>, force_quirks: bool);
    /// Whether the adjusted current node is SVG/MathML content (CDATA sections allowed).
    fn in_foreign_content(&self) -> bool;
}

/// Tokenizes `html` into `sink`. Never fails: any string is some token stream.
pub fn tokenize(html: &str, sink: &mut impl Sink) {
    // Input stream preprocessing: CR LF and lone CR become LF.
    let normalised;
    let src = if find1(html.as_bytes(), 0, b'\r') < html.len() {
        normalised = normalise_newlines(html);
        normalised.as_str()
    } else {
        html
    };
    let mut t = Tokenizer {
        src,
        b: src.as_bytes(),
        sink,
        attrs: Vec::new(),
        last_start_tag: Cow::Borrowed(""),
    };
    t.run();
}

/// `html` with CR LF and lone CR replaced by LF.
fn normalise_newlines(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    while from < b.len() {
        let cr = find1(b, from, b'\r');
        out.push_str(html.get(from..cr).unwrap_or(""));
        if cr >= b.len() {
            break;
        }
        out.push('\n');
        from = if b.get(cr + 1) == Some(&b'\n') {
            cr + 2
        } else {
            cr + 1
        };
    }
    out
}

const REPLACEMENT: &str = "\u{FFFD}";

/// Why the end of a tag was reached.
enum TagEnd {
    /// After the `>`; whether the tag was self-closing.
    Closed(usize, bool),
    /// The input ended inside the tag: the tag is dropped.
    Eof,
}

struct Tokenizer<'a, 's, S: Sink> {
    src: &'a str,
    b: &'a [u8],
    sink: &'s mut S,
    attrs: Vec<Attribute<'a>>,
    last_start_tag: Cow<'a, str>,
}

// Byte classes (one table look-up per byte in the name and value scans).
const WS: u8 = 1;
/// Ends a tag name: white space, `/`, `>`.
const TAG_END: u8 = 2;
/// Ends an attribute name: white space, `/`, `>`, `=`.
const ATTR_END: u8 = 4;
/// Stops an unquoted attribute value: white space, `>`, `&`, U+0000.
const UNQUOTED_STOP: u8 = 8;
/// Rewritten in a name: ASCII upper case, U+0000.
const FIX: u8 = 16;

// Indexing in a const initialiser: an out-of-range index would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let mut k = 0;
        if matches!(b, b'\t' | b'\n' | b'\x0C' | b' ') {
            k |= WS | TAG_END | ATTR_END | UNQUOTED_STOP;
        }
        if matches!(b, b'/' | b'>') {
            k |= TAG_END | ATTR_END;
        }
        if b == b'=' {
            k |= ATTR_END;
        }
        if matches!(b, b'>' | b'&' | 0) {
            k |= UNQUOTED_STOP;
        }
        if b.is_ascii_uppercase() || b == 0 {
            k |= FIX;
        }
        t[c] = k;
        c += 1;
    }
    t
};

#[inline(always)]
fn class(c: u8) -> u8 {
    CLASS.get(usize::from(c)).copied().unwrap_or(0)
}

#[inline(always)]
fn is_ws(c: u8) -> bool {
    class(c) & WS != 0
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` equal to the byte splatted in `splat`, as their high bits.
#[inline(always)]
fn eq_mask(word: u64, splat: u64) -> u64 {
    let x = word ^ splat;
    x.wrapping_sub(LO) & !x & HI
}

/// A set of up to three bytes to search for (unused slots repeat one).
#[derive(Clone, Copy)]
struct Needles(u8, u8, u8);

/// The index of the first byte at or after `from` that is one of `n`, or `b.len()`. Eight
/// bytes at a time.
#[inline(always)]
fn find_any(b: &[u8], from: usize, n: Needles) -> usize {
    let Some(rest) = b.get(from..) else {
        return b.len();
    };
    let (s0, s1, s2) = (
        LO * u64::from(n.0),
        LO * u64::from(n.1),
        LO * u64::from(n.2),
    );
    let (chunks, tail) = rest.as_chunks::<8>();
    let mut base = from;
    for chunk in chunks {
        let word = u64::from_le_bytes(*chunk);
        let mask = eq_mask(word, s0) | eq_mask(word, s1) | eq_mask(word, s2);
        if mask != 0 {
            // The lowest flagged byte is exact (borrows only run upwards from a zero byte).
            return base + (mask.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    for &c in tail {
        if c == n.0 || c == n.1 || c == n.2 {
            return base;
        }
        base += 1;
    }
    b.len()
}

/// [`find_any`] for one byte, sixteen bytes at a time (the whole-input scan for CR).
fn find1(b: &[u8], from: usize, c: u8) -> usize {
    let Some(rest) = b.get(from..) else {
        return b.len();
    };
    let splat = LO * u64::from(c);
    let (chunks, _) = rest.as_chunks::<16>();
    let mut base = from;
    for chunk in chunks {
        let (lo, hi) = chunk.split_at(8);
        let (Ok(lo), Ok(hi)) = (<[u8; 8]>::try_from(lo), <[u8; 8]>::try_from(hi)) else {
            break;
        };
        let (m0, m1) = (
            eq_mask(u64::from_le_bytes(lo), splat),
            eq_mask(u64::from_le_bytes(hi), splat),
        );
        if m0 | m1 != 0 {
            break;
        }
        base += 16;
    }
    find_any(b, base, Needles(c, c, c))
}

/// Appends `s` with ASCII upper case lowered and U+0000 replaced.
fn push_lower(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c.to_ascii_lowercase()),
        }
    }
}

/// A name as the tokenizer reports it: lower case, U+0000 replaced; borrowed when unchanged.
fn lower_name(s: &str) -> Cow<'_, str> {
    if s.as_bytes().iter().any(|&c| class(c) & FIX != 0) {
        let mut out = String::with_capacity(s.len() + 2);
        push_lower(&mut out, s);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `name` is among `attrs` (all distinct), through `index`, an open-addressing hash
/// table of `attrs`' positions + 1 (0: free), rebuilt as `attrs` grows; if not, `name` is
/// entered as `attrs.len()` (the caller pushes it).
fn seen_or_insert(index: &mut Vec<u32>, attrs: &[Attribute<'_>], name: &str) -> bool {
    fn hash(s: &str) -> usize {
        s.bytes().fold(0x811C_9DC5u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        }) as usize
    }
    fn enter(index: &mut [u32], mask: usize, name: &str, position: usize) {
        let mut j = hash(name) & mask;
        while let Some(slot) = index.get_mut(j) {
            if *slot == 0 {
                *slot = u32::try_from(position + 1).unwrap_or(u32::MAX);
                return;
            }
            j = (j + 1) & mask;
        }
    }
    if index.len() < attrs.len() * 2 + 2 {
        let size = (attrs.len() * 4).next_power_of_two();
        *index = vec![0; size];
        for (i, a) in attrs.iter().enumerate() {
            enter(index, size - 1, &a.name, i);
        }
    }
    let mask = index.len() - 1;
    let mut j = hash(name) & mask;
    while let Some(&slot) = index.get(j) {
        if slot == 0 {
            break;
        }
        if attrs
            .get(slot as usize - 1)
            .is_some_and(|a| a.name.len() == name.len() && a.name == name)
        {
            return true;
        }
        j = (j + 1) & mask;
    }
    enter(index, mask, name, attrs.len());
    false
}

/// A decoded character reference: its characters and where it ends.
struct CharRef {
    end: usize,
    chars: [char; 2],
    len: usize,
}

impl CharRef {
    fn push_to(&self, out: &mut String) {
        for c in self.chars.iter().take(self.len) {
            out.push(*c);
        }
    }
}

/// The windows-1252 meaning of numeric references to 0x80–0x9F.
const C1: [u16; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

impl<'a, S: Sink> Tokenizer<'a, '_, S> {
    #[inline(always)]
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    #[inline(always)]
    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.src.get(from..to).unwrap_or("")
    }

    #[inline(always)]
    fn text(&mut self, from: usize, to: usize) {
        if from < to {
            let s = self.slice(from, to);
            self.sink.text(s);
        }
    }

    /// A name from `from..to`, lowered if `fix` (the OR of its bytes' classes) says so.
    #[inline(always)]
    fn name(&self, from: usize, to: usize, fix: u8) -> Cow<'a, str> {
        let s = self.slice(from, to);
        if fix & FIX != 0 {
            lower_name(s)
        } else {
            Cow::Borrowed(s)
        }
    }

    #[inline(always)]
    fn clear_attrs(&mut self) {
        if !self.attrs.is_empty() {
            self.attrs.clear();
        }
    }

    fn run(&mut self) {
        let mut pos = 0;
        let mut state = TextState::Data;
        while pos < self.b.len() {
            let (next, next_state) = match state {
                TextState::Data => self.data(pos),
                TextState::RcData => self.raw(pos, true),
                TextState::RawText => self.raw(pos, false),
                TextState::ScriptData => self.script(pos),
                TextState::PlainText => {
                    self.replacing_nul(pos, self.b.len());
                    (self.b.len(), TextState::PlainText)
                }
            };
            pos = next;
            state = next_state;
        }
    }

    /// Reports `from..to` as text with U+0000 replaced.
    fn replacing_nul(&mut self, mut from: usize, to: usize) {
        while from < to {
            let nul = find1(self.b, from, 0).min(to);
            self.text(from, nul);
            if nul < to {
                self.sink.text(REPLACEMENT);
            }
            from = nul + 1;
        }
    }

    /// The data state from `pos`, up to the next start tag (or the end). Returns where to go
    /// on and in which state.
    fn data(&mut self, mut pos: usize) -> (usize, TextState) {
        let mut text_start = pos;
        loop {
            let i = find_any(self.b, pos, Needles(b'<', b'&', b'&'));
            match self.at(i) {
                None => {
                    self.text(text_start, i);
                    return (i, TextState::Data);
                }
                Some(b'&') => {
                    if let Some(r) = self.char_ref(i, false) {
                        self.text(text_start, i);
                        self.emit_ref(&r);
                        text_start = r.end;
                        pos = r.end;
                    } else {
                        pos = i + 1;
                    }
                }
                Some(_) => match self.at(i + 1) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.text(text_start, i);
                        match self.tag(i + 1, false) {
                            Some((end, Some(state))) => return (end, state),
                            Some((end, None)) => {
                                pos = end;
                                text_start = end;
                            }
                            None => return (self.b.len(), TextState::Data),
                        }
                    }
                    Some(b'/') => match self.at(i + 2) {
                        Some(c) if c.is_ascii_alphabetic() => {
                            self.text(text_start, i);
                            match self.tag(i + 2, true) {
                                Some((end, _)) => {
                                    pos = end;
                                    text_start = end;
                                }
                                None => return (self.b.len(), TextState::Data),
                            }
                        }
                        Some(b'>') => {
                            // `</>`: nothing.
                            self.text(text_start, i);
                            pos = i + 3;
                            text_start = pos;
                        }
                        None => {
                            // `</` at the end: text.
                            pos = i + 2;
                        }
                        Some(_) => {
                            self.text(text_start, i);
                            pos = self.bogus_comment(i + 2);
                            text_start = pos;
                        }
                    },
                    Some(b'!') => {
                        self.text(text_start, i);
                        pos = self.markup_declaration(i + 2);
                        text_start = pos;
                    }
                    Some(b'?') => {
                        self.text(text_start, i);
                        pos = self.bogus_comment(i + 1);
                        text_start = pos;
                    }
                    _ => pos = i + 1,
                },
            }
        }
    }

    fn emit_ref(&mut self, r: &CharRef) {
        let mut buf = [0u8; 8];
        let mut n = 0;
        for c in r.chars.iter().take(r.len) {
            let len = c.len_utf8();
            if let Some(dst) = buf.get_mut(n..n + len) {
                c.encode_utf8(dst);
                n += len;
            }
        }
        if let Some(s) = buf.get(..n).and_then(|b| std::str::from_utf8(b).ok()) {
            self.sink.text(s);
        }
    }

    /// A character reference at `amp` (the `&`), or `None` if the `&` and what follows stay
    /// text as they are.
    fn char_ref(&self, amp: usize, in_attribute: bool) -> Option<CharRef> {
        match self.at(amp + 1)? {
            b'#' => self.numeric_ref(amp + 2),
            c if c.is_ascii_alphanumeric() => {
                let start = amp + 1;
                let rest = self.b.get(start..)?;
                let run = rest
                    .iter()
                    .take(entities::MAX_LEN + 1)
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if run <= entities::MAX_LEN && rest.get(run) == Some(&b';') {
                    if let Some(e) = entities::lookup(rest.get(..run)?) {
                        return Some(CharRef {
                            end: start + run + 1,
                            chars: e.chars,
                            len: e.len,
                        });
                    }
                }
                // Without `;`: the longest legacy name that is a prefix of the run.
                for len in (2..=run.min(entities::MAX_LEGACY_LEN)).rev() {
                    let Some(e) = entities::lookup(rest.get(..len)?) else {
                        continue;
                    };
                    if !e.legacy {
                        continue;
                    }
                    let next = rest.get(len).copied();
                    if in_attribute
                        && matches!(next, Some(c) if c == b'=' || c.is_ascii_alphanumeric())
                    {
                        return None;
                    }
                    return Some(CharRef {
                        end: start + len,
                        chars: e.chars,
                        len: e.len,
                    });
                }
                None
            }
            _ => None,
        }
    }

    /// A numeric reference whose `&#` ends before `pos`.
    fn numeric_ref(&self, pos: usize) -> Option<CharRef> {
        let (hex, digits_at) = match self.at(pos) {
            Some(b'x' | b'X') => (true, pos + 1),
            _ => (false, pos),
        };
        let mut value: u32 = 0;
        let mut i = digits_at;
        while let Some(c) = self.at(i) {
            let d = if hex {
                (c as char).to_digit(16)
            } else {
                (c as char).to_digit(10)
            };
            let Some(d) = d else { break };
            value = value
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d)
                .min(0x11_0000);
            i += 1;
        }
        if i == digits_at {
            return None;
        }
        let end = if self.at(i) == Some(b';') { i + 1 } else { i };
        let c = match value {
            0 => '\u{FFFD}',
            0x80..=0x9F => {
                let mapped = C1.get((value - 0x80) as usize).copied().unwrap_or(0xFFFD);
                char::from_u32(u32::from(mapped)).unwrap_or('\u{FFFD}')
            }
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        Some(CharRef {
            end,
            chars: [c, '\0'],
            len: 1,
        })
    }

    /// `<!` ended before `pos`: a comment, DOCTYPE, CDATA section or bogus comment. Returns
    /// where the data state goes on.
    fn markup_declaration(&mut self, pos: usize) -> usize {
        let rest = self.b.get(pos..).unwrap_or(&[]);
        if rest.starts_with(b"--") {
            return self.comment(pos + 2);
        }
        if rest.len() >= 7
            && rest
                .get(..7)
                .is_some_and(|k| k.eq_ignore_ascii_case(b"doctype"))
        {
            return self.doctype(pos + 7);
        }
        if rest.starts_with(b"[CDATA[") && self.sink.in_foreign_content() {
            let start = pos + 7;
            let mut i = start;
            loop {
                i = find1(self.b, i, b']');
                if i >= self.b.len() {
                    self.text(start, i);
                    return i;
                }
                if self.b.get(i..i + 3) == Some(b"]]>") {
                    self.text(start, i);
                    return i + 3;
                }
                i += 1;
            }
        }
        self.bogus_comment(pos)
    }

    /// A bogus comment from `pos`: up to the next `>`.
    fn bogus_comment(&self, pos: usize) -> usize {
        let i = find1(self.b, pos, b'>');
        (i + 1).min(self.b.len())
    }

    /// A comment whose `<!--` ends before `pos`.
    fn comment(&self, pos: usize) -> usize {
        let rest = self.b.get(pos..).unwrap_or(&[]);
        if rest.starts_with(b">") {
            return pos + 1;
        }
        if rest.starts_with(b"->") {
            return pos + 2;
        }
        let mut i = pos;
        loop {
            i = find1(self.b, i, b'-');
            if i >= self.b.len() {
                return i;
            }
            let tail = self.b.get(i..).unwrap_or(&[]);
            if tail.starts_with(b"-->") {
                return i + 3;
            }
            if tail.starts_with(b"--!>") {
                return i + 4;
            }
            i += 1;
        }
    }

    /// A DOCTYPE whose `<!DOCTYPE` ends before `pos`.
    fn doctype(&mut self, mut pos: usize) -> usize {
        let len = self.b.len();
        while self.at(pos).is_some_and(is_ws) {
            pos += 1;
        }
        let mut name = String::new();
        let mut public: Option<String> = None;
        let mut quirks = false;
        match self.at(pos) {
            None => {
                self.sink.doctype("", None, true);
                return len;
            }
            Some(b'>') => {
                self.sink.doctype("", None, true);
                return pos + 1;
            }
            Some(_) => {}
        }
        let name_end = pos
            + self
                .b
                .get(pos..)
                .unwrap_or(&[])
                .iter()
                .take_while(|&&c| !is_ws(c) && c != b'>')
                .count();
        push_lower(&mut name, self.slice(pos, name_end));
        pos = name_end;
        while self.at(pos).is_some_and(is_ws) {
            pos += 1;
        }
        let rest = self.b.get(pos..).unwrap_or(&[]);
        let keyword = |k: &[u8]| rest.get(..6).is_some_and(|w| w.eq_ignore_ascii_case(k));
        let end = match self.at(pos) {
            None => {
                quirks = true;
                len
            }
            Some(b'>') => pos + 1,
            Some(_) if keyword(b"public") || keyword(b"system") => {
                let is_public = keyword(b"public");
                // Up to two quoted identifiers (public, then system; or system alone).
                let mut p = pos + 6;
                let mut ids = 0;
                let max_ids = if is_public { 2 } else { 1 };
                loop {
                    while self.at(p).is_some_and(is_ws) {
                        p += 1;
                    }
                    match self.at(p) {
                        None => {
                            quirks = true;
                            break len;
                        }
                        Some(b'>') => {
                            if ids == 0 {
                                quirks = true;
                            }
                            break p + 1;
                        }
                        Some(q @ (b'"' | b'\'')) if ids < max_ids => {
                            let start = p + 1;
                            let close = find_any(self.b, start, Needles(q, b'>', b'>'));
                            let id = self.slice(start, close);
                            if ids == 0 && is_public {
                                public = Some(id.replace('\0', REPLACEMENT));
                            }
                            ids += 1;
                            match self.at(close) {
                                None => {
                                    quirks = true;
                                    break len;
                                }
                                Some(b'>') => {
                                    quirks = true;
                                    break close + 1;
                                }
                                Some(_) => p = close + 1,
                            }
                        }
                        Some(_) => {
                            // Bogus DOCTYPE (force-quirks unless after the system id).
                            if ids < max_ids {
                                quirks = true;
                            }
                            break self.bogus_comment(p);
                        }
                    }
                }
            }
            Some(_) => {
                quirks = true;
                self.bogus_comment(pos)
            }
        };
        self.sink.doctype(&name, public.as_deref(), quirks);
        end
    }

    /// A tag whose name starts at `pos` (an ASCII letter). Reports it; returns where the text
    /// goes on and, for a start tag, the sink's state; `None` at the end of the input inside
    /// the tag.
    fn tag(&mut self, pos: usize, end_tag: bool) -> Option<(usize, Option<TextState>)> {
        let mut name_end = pos;
        let mut fix = 0;
        while let Some(c) = self.at(name_end) {
            let k = class(c);
            if k & TAG_END != 0 {
                break;
            }
            fix |= k;
            name_end += 1;
        }
        let name = self.name(pos, name_end, fix);
        match self.attributes(name_end) {
            TagEnd::Eof => None,
            TagEnd::Closed(end, self_closing) => {
                if end_tag {
                    self.clear_attrs();
                    self.sink.end_tag(&name);
                    Some((end, None))
                } else {
                    let state = self.sink.start_tag(&name, &self.attrs, self_closing);
                    self.clear_attrs();
                    self.last_start_tag = name;
                    Some((end, Some(state)))
                }
            }
        }
    }

    /// The attributes (into `self.attrs`) and the end of a tag whose name ends before `pos`.
    fn attributes(&mut self, mut pos: usize) -> TagEnd {
        self.clear_attrs();
        // Past 64 attributes, duplicates are found through a hash table of their indexes (no
        // quadratic time on hostile markup).
        let mut index: Vec<u32> = Vec::new();
        loop {
            // Before attribute name.
            let Some(c) = self.at(pos) else {
                return TagEnd::Eof;
            };
            match c {
                c if is_ws(c) => {
                    pos += 1;
                    continue;
                }
                b'>' => return TagEnd::Closed(pos + 1, false),
                b'/' => {
                    // Self-closing start tag.
                    match self.at(pos + 1) {
                        Some(b'>') => return TagEnd::Closed(pos + 2, true),
                        None => return TagEnd::Eof,
                        Some(_) => {
                            pos += 1;
                            continue;
                        }
                    }
                }
                _ => {}
            }
            // Attribute name: the first character is taken whatever it is (`=` included).
            let name_start = pos;
            let mut i = pos + 1;
            let mut fix = class(c);
            while let Some(c) = self.at(i) {
                let k = class(c);
                if k & ATTR_END != 0 {
                    break;
                }
                fix |= k;
                i += 1;
            }
            let name = self.name(name_start, i, fix);
            // After attribute name.
            while self.at(i).is_some_and(is_ws) {
                i += 1;
            }
            let value: Cow<'a, str>;
            if self.at(i) == Some(b'=') {
                i += 1;
                while self.at(i).is_some_and(is_ws) {
                    i += 1;
                }
                match self.at(i) {
                    None => return TagEnd::Eof,
                    Some(q @ (b'"' | b'\'')) => {
                        // The common case first: a quoted value with nothing to rewrite.
                        let start = i + 1;
                        let end = find_any(self.b, start, Needles(q, b'&', 0));
                        let (v, end) = if self.at(end) == Some(q) {
                            (Cow::Borrowed(self.slice(start, end)), end)
                        } else {
                            self.value(start, Some(q))
                        };
                        if end >= self.b.len() {
                            return TagEnd::Eof;
                        }
                        value = v;
                        i = end + 1;
                    }
                    Some(b'>') => value = Cow::Borrowed(""),
                    Some(_) => {
                        let (v, end) = self.value(i, None);
                        value = v;
                        i = end;
                    }
                }
            } else {
                value = Cow::Borrowed("");
            }
            // First wins.
            let duplicate = if self.attrs.len() < 64 {
                self.attrs
                    .iter()
                    .any(|a| a.name.len() == name.len() && a.name == name)
            } else {
                seen_or_insert(&mut index, &self.attrs, &name)
            };
            if !duplicate {
                self.attrs.push(Attribute { name, value });
            }
            pos = i;
        }
    }

    /// An attribute value from `pos`, quoted by `quote` or unquoted: the value and where it
    /// ends (at the closing quote, or the byte after an unquoted value; `len` at the end).
    fn value(&self, pos: usize, quote: Option<u8>) -> (Cow<'a, str>, usize) {
        let stop = |c: u8| match quote {
            Some(q) => c == q,
            None => is_ws(c) || c == b'>',
        };
        let mut owned: Option<String> = None;
        let mut run_start = pos;
        let mut i = pos;
        loop {
            i = match quote {
                Some(q) => find_any(self.b, i, Needles(q, b'&', 0)),
                None => {
                    let mut j = i;
                    while self.at(j).is_some_and(|c| class(c) & UNQUOTED_STOP == 0) {
                        j += 1;
                    }
                    j
                }
            };
            let c = self.at(i);
            match c {
                Some(b'&') => {
                    if let Some(r) = self.char_ref(i, true) {
                        let s = owned.get_or_insert_with(String::new);
                        s.push_str(self.slice(run_start, i));
                        r.push_to(s);
                        i = r.end;
                        run_start = i;
                    } else {
                        i += 1;
                    }
                }
                Some(0) => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.slice(run_start, i));
                    s.push('\u{FFFD}');
                    i += 1;
                    run_start = i;
                }
                Some(c) if !stop(c) => i += 1,
                _ => {
                    let value = match owned {
                        Some(mut s) => {
                            s.push_str(self.slice(run_start, i));
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(self.slice(pos, i)),
                    };
                    return (value, i);
                }
            }
        }
    }

    /// Whether an appropriate end tag starts at `lt` (`</` + the last start tag's name, then a
    /// space, `/` or `>`); if so, reports it and returns where the data state goes on (`None`
    /// inside: the end of the input inside the tag, which drops it).
    /// The text from `text_start` to `lt` is reported first.
    fn appropriate_end_tag(&mut self, text_start: usize, lt: usize) -> Option<Option<usize>> {
        let name_start = lt + 2;
        let rest = self.b.get(name_start..)?;
        let run = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let name = rest.get(..run)?;
        if run == 0 || !name.eq_ignore_ascii_case(self.last_start_tag.as_bytes()) {
            return None;
        }
        match rest.get(run).copied() {
            Some(c) if is_ws(c) || c == b'/' || c == b'>' => {}
            _ => return None,
        }
        self.text(text_start, lt);
        match self.attributes(name_start + run) {
            TagEnd::Eof => Some(None),
            TagEnd::Closed(end, _) => {
                self.clear_attrs();
                let name = self.last_start_tag.clone();
                self.sink.end_tag(&name);
                Some(Some(end))
            }
        }
    }

    /// RCDATA (`refs`) or RAWTEXT from `pos` to the appropriate end tag.
    fn raw(&mut self, mut pos: usize, refs: bool) -> (usize, TextState) {
        let mut text_start = pos;
        loop {
            let i = if refs {
                find_any(self.b, pos, Needles(b'<', b'&', 0))
            } else {
                find_any(self.b, pos, Needles(b'<', 0, 0))
            };
            match self.at(i) {
                None => {
                    self.text(text_start, i);
                    return (i, TextState::Data);
                }
                Some(0) => {
                    self.text(text_start, i);
                    self.sink.text(REPLACEMENT);
                    pos = i + 1;
                    text_start = pos;
                }
                Some(b'&') => {
                    if let Some(r) = self.char_ref(i, false) {
                        self.text(text_start, i);
                        self.emit_ref(&r);
                        pos = r.end;
                        text_start = pos;
                    } else {
                        pos = i + 1;
                    }
                }
                Some(_) => {
                    if self.at(i + 1) == Some(b'/') {
                        let end = self.b.len();
                        if let Some(after) = self.appropriate_end_tag(text_start, i) {
                            return (after.unwrap_or(end), TextState::Data);
                        }
                    }
                    pos = i + 1;
                }
            }
        }
    }

    /// Script data from `pos` to the appropriate end tag, through the escaped (`<!--`) and
    /// double-escaped (`<!--<script>`) states. The text is the input as it is (U+0000
    /// replaced); the states only decide which `</script>` ends it.
    fn script(&mut self, mut pos: usize) -> (usize, TextState) {
        #[derive(Clone, Copy, PartialEq)]
        enum Esc {
            No,
            Escaped,
            Double,
        }
        let mut esc = Esc::No;
        let mut text_start = pos;
        let len = self.b.len();
        loop {
            let i = match esc {
                Esc::No => find_any(self.b, pos, Needles(b'<', 0, 0)),
                _ => find_any(self.b, pos, Needles(b'<', b'-', 0)),
            };
            let Some(c) = self.at(i) else {
                self.text(text_start, len);
                return (len, TextState::Data);
            };
            match c {
                0 => {
                    self.text(text_start, i);
                    self.sink.text(REPLACEMENT);
                    pos = i + 1;
                    text_start = pos;
                }
                b'-' => {
                    // In an escaped state: `-->` returns to script data.
                    let dashes = self
                        .b
                        .get(i..)
                        .unwrap_or(&[])
                        .iter()
                        .take_while(|&&c| c == b'-')
                        .count();
                    let after = i + dashes;
                    if dashes >= 2 && self.at(after) == Some(b'>') {
                        esc = Esc::No;
                        pos = after + 1;
                    } else {
                        pos = after;
                    }
                }
                _ => match (esc, self.at(i + 1)) {
                    (Esc::No | Esc::Escaped, Some(b'/')) => {
                        if let Some(after) = self.appropriate_end_tag(text_start, i) {
                            return (after.unwrap_or(len), TextState::Data);
                        }
                        pos = i + 1;
                    }
                    (Esc::No, Some(b'!')) => {
                        // Script data escape start: `<!--`.
                        if self.b.get(i + 2..i + 4) == Some(b"--") {
                            esc = Esc::Escaped;
                            // The `--` of `<!--` also counts towards an immediate `-->`
                            // (`<!-->` ends the escape).
                            pos = i + 2;
                        } else {
                            pos = i + 2;
                        }
                    }
                    (Esc::Escaped, Some(c)) if c.is_ascii_alphabetic() => {
                        // Double escape start: `<script` followed by a space, `/` or `>`.
                        let (matched, after) = self.script_word(i + 1);
                        if matched {
                            esc = Esc::Double;
                        }
                        pos = after;
                    }
                    (Esc::Double, Some(b'/')) => {
                        // Double escape end: `</script` followed by a space, `/` or `>`.
                        let (matched, after) = self.script_word(i + 2);
                        if matched {
                            esc = Esc::Escaped;
                        }
                        pos = after;
                    }
                    _ => pos = i + 1,
                },
            }
        }
    }

    /// Whether the ASCII letters at `pos` spell `script` (any case) and are followed by a
    /// space, `/` or `>`; and where scanning goes on (after the letters).
    fn script_word(&self, pos: usize) -> (bool, usize) {
        let rest = self.b.get(pos..).unwrap_or(&[]);
        let run = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let word = rest.get(..run).unwrap_or(&[]);
        let next = rest.get(run).copied();
        let matched = word.eq_ignore_ascii_case(b"script")
            && next.is_some_and(|c| is_ws(c) || c == b'/' || c == b'>');
        (matched, pos + run)
    }
}
