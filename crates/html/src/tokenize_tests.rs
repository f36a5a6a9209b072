//! Tests of [`super::tokenize`]: per state family, and a differential test against `html5gum`
//! (the fixture pages of www/ and generated soups).

use super::entities;
use super::tokenize::{tokenize, Attribute, Sink, TextState};
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Start(String, Vec<(String, String)>, bool),
    End(String),
    Text(String),
    Doctype(String, Option<String>, bool),
}

fn push_text(out: &mut Vec<Tok>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Tok::Text(t)) = out.last_mut() {
        t.push_str(s);
    } else {
        out.push(Tok::Text(s.to_string()));
    }
}

/// html5gum's `naive_next_state`, as ours (`noscript` RAWTEXT, the `noframe` typo).
fn naive(name: &str) -> TextState {
    match name {
        "textarea" | "title" => TextState::RcData,
        "plaintext" => TextState::PlainText,
        "script" => TextState::ScriptData,
        "style" | "iframe" | "xmp" | "noembed" | "noframe" | "noscript" => TextState::RawText,
        _ => TextState::Data,
    }
}

#[derive(Default)]
struct Recorder {
    toks: Vec<Tok>,
    foreign: bool,
}

impl Sink for Recorder {
    fn start_tag(&mut self, name: &str, attrs: &[Attribute<'_>], self_closing: bool) -> TextState {
        self.toks.push(Tok::Start(
            name.to_string(),
            attrs
                .iter()
                .map(|a| (a.name.to_string(), a.value.to_string()))
                .collect(),
            self_closing,
        ));
        naive(name)
    }
    fn end_tag(&mut self, name: &str) {
        self.toks.push(Tok::End(name.to_string()));
    }
    fn text(&mut self, text: &str) {
        push_text(&mut self.toks, text);
    }
    fn doctype(&mut self, name: &str, public_id: Option<&str>, force_quirks: bool) {
        self.toks.push(Tok::Doctype(
            name.to_string(),
            public_id.map(str::to_string),
            force_quirks,
        ));
    }
    fn in_foreign_content(&self) -> bool {
        self.foreign
    }
}

fn ours(html: &str) -> Vec<Tok> {
    let mut r = Recorder::default();
    tokenize(html, &mut r);
    r.toks
}

fn theirs(html: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    {
        let mut start: Option<String> = None;
        let mut attrs: Vec<(String, String)> = Vec::new();
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let mut emitter =
            CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<()> {
                match event {
                    CallbackEvent::OpenStartTag { name } => {
                        start = Some(s(name));
                        attrs.clear();
                    }
                    CallbackEvent::AttributeName { name } => attrs.push((s(name), String::new())),
                    CallbackEvent::AttributeValue { value } => {
                        if let Some(a) = attrs.last_mut() {
                            a.1.push_str(&s(value));
                        }
                    }
                    CallbackEvent::CloseStartTag { self_closing } => {
                        let mut kept: Vec<(String, String)> = Vec::new();
                        for a in attrs.drain(..) {
                            if !kept.iter().any(|k| k.0 == a.0) {
                                kept.push(a);
                            }
                        }
                        toks.push(Tok::Start(
                            start.take().unwrap_or_default(),
                            kept,
                            self_closing,
                        ));
                    }
                    CallbackEvent::EndTag { name } => {
                        attrs.clear();
                        toks.push(Tok::End(s(name)));
                    }
                    CallbackEvent::String { value } => push_text(&mut toks, &s(value)),
                    CallbackEvent::Doctype {
                        name,
                        public_identifier,
                        force_quirks,
                        ..
                    } => toks.push(Tok::Doctype(
                        s(name),
                        public_identifier.map(s),
                        force_quirks,
                    )),
                    CallbackEvent::Comment { .. } | CallbackEvent::Error(_) => {}
                }
                None
            });
        emitter.naively_switch_states(true);
        for _ in Tokenizer::new_with_emitter(html, emitter) {}
    }
    toks
}

/// A compact rendering for the unit tests: `<a x=y />`, `</a>`, `"text"`, `!name`.
fn show(html: &str) -> String {
    show_toks(&ours(html))
}

fn show_toks(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Start(n, a, sc) => {
                let mut s = format!("<{n}");
                for (k, v) in a {
                    s.push_str(&format!(" {k}={v}"));
                }
                if *sc {
                    s.push_str(" /");
                }
                s.push('>');
                s
            }
            Tok::End(n) => format!("</{n}>"),
            Tok::Text(t) => format!("{t:?}"),
            Tok::Doctype(n, p, q) => format!(
                "!{n}{}{}",
                p.as_ref().map(|p| format!(" [{p}]")).unwrap_or_default(),
                if *q { " quirks" } else { "" }
            ),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn data_and_tags() {
    assert_eq!(show("a<b>c</b>d"), r#""a" <b> "c" </b> "d""#);
    assert_eq!(show("<DIV Class=A>"), "<div class=A>");
    assert_eq!(show("<a b=1 B=2 c='3' d=\"4\" e>"), "<a b=1 c=3 d=4 e=>");
    assert_eq!(show("<br/><br />"), "<br /> <br />");
    assert_eq!(show("<a/b>"), "<a b=>");
    assert_eq!(show("<a =x>"), "<a =x=>");
    assert_eq!(show("<a ==x>"), "<a ==x>");
    assert_eq!(show("<a x=>"), "<a x=>");
    assert_eq!(show("<a x=\"y\"z>"), "<a x=y z=>");
    assert_eq!(show("a < b"), r#""a < b""#);
    assert_eq!(show("a <"), r#""a <""#);
    assert_eq!(show("a</"), r#""a</""#);
    assert_eq!(show("a</>b"), r#""ab""#);
    assert_eq!(show("<a"), "");
    assert_eq!(show("x<a b='c"), r#""x""#);
    assert_eq!(show("</a x=y>"), "</a>");
    assert_eq!(show("<a\0b c\0=\0>"), "<a\u{FFFD}b c\u{FFFD}=\u{FFFD}>");
    assert_eq!(show("a\0b"), r#""a\0b""#);
    assert_eq!(show("<é x=é>é"), r#""<é x=é>é""#);
    assert_eq!(show("<aé x=é>é"), r#"<aé x=é> "é""#);
}

#[test]
fn character_references() {
    assert_eq!(show("&amp;&lt&gt;x&notit;&notin;&"), r#""&<>x¬it;∉&""#);
    assert_eq!(
        show("&#65;&#x41&#X41;&#;&#x;&#0;&#x80;&#xD800;&#1114112;&#99999999999"),
        "\"AAA&#;&#x;\u{FFFD}€\u{FFFD}\u{FFFD}\u{FFFD}\""
    );
    assert_eq!(show("&nosuch;&ampx&amp"), r#""&nosuch;&x&""#);
    assert_eq!(show("&NotEqualTilde;&fjlig;"), "\"\u{2242}\\u{338}fj\"");
    assert_eq!(
        show("<a h='&amp;&ampx&amp=&amp &lt;'>"),
        "<a h=&&ampx&amp=& <>"
    );
    assert_eq!(show("<a h=?a=1&copy=2&copy;>"), "<a h=?a=1&copy=2©>");
}

#[test]
fn comments_and_doctype() {
    assert_eq!(show("a<!-- b -->c"), r#""ac""#);
    assert_eq!(show("a<!-->c<!--->d<!-- x --!>e<!---->f"), r#""acdef""#);
    assert_eq!(show("a<!x>b<?y>c</ z>d<!>e"), r#""abcde""#);
    assert_eq!(show("a<!-- never"), r#""a""#);
    assert_eq!(show("<!DOCTYPE html>"), "!html");
    assert_eq!(
        show("<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">"),
        "!html [-//W3C//DTD HTML 4.01//EN]"
    );
    assert_eq!(show("<!DOCTYPE>"), "! quirks");
    assert_eq!(show("<!DOCTYPE html foo>"), "!html quirks");
    assert_eq!(show("<!DOCTYPE html PUBLIC \"a\" 'b' x>"), "!html [a]");
    assert_eq!(show("<!DOCTYPE html PUBLIC \"a>"), "!html [a] quirks");
    assert_eq!(show("<![CDATA[x]]>y"), r#""y""#);
    let mut r = Recorder {
        foreign: true,
        ..Recorder::default()
    };
    tokenize("<![CDATA[a<b>]]]>c", &mut r);
    assert_eq!(show_toks(&r.toks), r#""a<b>]c""#);
}

#[test]
fn text_states() {
    assert_eq!(
        show("<title>a<b>&amp;</c></title>d"),
        r#"<title> "a<b>&</c>" </title> "d""#
    );
    assert_eq!(
        show("<style>a&amp;\0</style >b"),
        "<style> \"a&amp;\u{FFFD}\" </style> \"b\""
    );
    assert_eq!(
        show("<textarea>x</TEXTAREA x=y/>"),
        r#"<textarea> "x" </textarea>"#
    );
    assert_eq!(show("<title>x</titlex>"), r#"<title> "x</titlex>""#);
    assert_eq!(show("<title>x</title"), r#"<title> "x</title""#);
    assert_eq!(
        show("<plaintext>a</plaintext>\0"),
        "<plaintext> \"a</plaintext>\u{FFFD}\""
    );
    assert_eq!(
        show("<script>a<!--b</script>c"),
        r#"<script> "a<!--b" </script> "c""#
    );
    assert_eq!(
        show("<script><!--<script>x</script>y</script>z"),
        r#"<script> "<!--<script>x</script>y" </script> "z""#
    );
    assert_eq!(
        show("<script><!--<script>x--></script>y"),
        r#"<script> "<!--<script>x-->" </script> "y""#
    );
    assert_eq!(
        show("<script><!--></script>"),
        r#"<script> "<!-->" </script>"#
    );
}

#[test]
fn newlines() {
    assert_eq!(show("a\r\nb\rc\n\rd"), r#""a\nb\nc\n\nd""#);
    assert_eq!(show("<a x='1\r\n2'>"), "<a x=1\n2>");
}

#[test]
fn every_named_reference() {
    let names: Vec<Vec<u8>> = entities::names();
    assert_eq!(names.len(), 2125);
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    let legacy = names
        .iter()
        .filter(|n| entities::lookup(n).is_some_and(|e| e.legacy))
        .count();
    assert_eq!(legacy, 106);
    // Each with `;` and without, against html5gum's table.
    let mut doc = String::new();
    for n in &names {
        let n = std::str::from_utf8(n).unwrap();
        doc.push_str(&format!("&{n};|&{n} |<a x=\"&{n};\" y=\"&{n}\">"));
    }
    assert_eq!(ours(&doc), theirs(&doc));
}

#[test]
fn a_named_reference_is_found_and_no_other_name_is() {
    // The table stores each name as what it shares with the name before it and the rest
    // (scripts/entities.mjs): names next to real ones, before and after them in order.
    let names = entities::names();
    let is_name = |probe: &[u8]| names.iter().any(|n| n == probe);
    for n in &names {
        assert!(entities::lookup(n).is_some(), "{n:?}");
        let mut longer = n.clone();
        longer.push(b'z');
        let mut before = n.clone();
        *before.last_mut().unwrap() -= 1;
        let mut after = n.clone();
        *after.last_mut().unwrap() += 1;
        let mut zero = n.clone();
        zero.push(b'0');
        for probe in [
            &longer[..],
            &n[..n.len() - 1],
            &before,
            &after,
            &zero,
            &n[1..],
        ] {
            assert_eq!(
                entities::lookup(probe).is_some(),
                is_name(probe),
                "{probe:?}"
            );
        }
    }
    for probe in [
        &b""[..],
        b"\0",
        b"\xff",
        b"zzzzzzzz",
        b"A",
        b"AEli",
        b"AEligg",
    ] {
        assert_eq!(
            entities::lookup(probe).is_some(),
            is_name(probe),
            "{probe:?}"
        );
    }
}

fn check(doc: &str) {
    let (a, b) = (ours(doc), theirs(doc));
    if a != b {
        let i = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        panic!(
            "divergence at token {i} in {doc:?}\n ours:   {:?}\n theirs: {:?}",
            a.get(i.saturating_sub(2)..(i + 2).min(a.len())),
            b.get(i.saturating_sub(2)..(i + 2).min(b.len())),
        );
    }
}

#[test]
fn differential_fixture_pages() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www");
    let mut stack = vec![std::path::PathBuf::from(root)];
    let mut n = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let page = std::fs::read_to_string(&path).unwrap();
                check(&page);
                n += 1;
            }
        }
    }
    eprintln!("differential: {n} fixture pages");
    assert!(n > 0);
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<p class=x>",
    "</p>",
    "<a href=\"?a=1&amp;b=2&copy=3&copy;&lt\">",
    "<A HREF='x' Href=y>",
    "<img src=x/>",
    "<br/>",
    "<td nowrap>",
    "<input value=\"a\0b\">",
    "<span title=\"&#x41;&#65&#0;&#x80;&#xD800;&#1114112;&notit;&notin;\">",
    "&amp;",
    "&lt",
    "&notin;",
    "&notit;",
    "&#65;",
    "&#x41",
    "&#0;",
    "&#x9F;",
    "&#xDFFF;",
    "&#99999999999;",
    "&",
    "&#",
    "&#x",
    "&;",
    "&ampx",
    "&amp=",
    "&AElig",
    "&NotEqualTilde;",
    "<!-- c -->",
    "<!-->",
    "<!--->",
    "<!-- a --!>",
    "<!---->",
    "<!x>",
    "<?php ?>",
    "</ x>",
    "</>",
    "<!DOCTYPE html>",
    "<!doctype html PUBLIC \"-//W3C//DTD\" \"x\">",
    "<!DOCTYPE>",
    "<![CDATA[x]]>",
    "<script>",
    "</script>",
    "</SCRIPT >",
    "<script/>",
    "<!--<script>",
    "-->",
    "--",
    "<!--",
    "</script x=y>",
    "<style>",
    "</style>",
    "<textarea>",
    "</textarea>",
    "<title>",
    "</title>",
    "<xmp>",
    "</xmp>",
    "<noscript>",
    "</noscript>",
    "<iframe>",
    "</iframe>",
    "<noframe>",
    "</noframe>",
    "\r\n",
    "\r",
    "\n",
    "\0",
    "é",
    "日本",
    "😀",
    "<",
    ">",
    "=",
    "\"",
    "'",
    " ",
    "/",
    "!",
    "-",
    "text ",
    "a",
    "<a b=1 b=2 c d = e f='g'h>",
    "<x =y>",
    "<x/y/z/>",
    "<svg><path d='M0'/></svg>",
    "\t",
    "</a/>",
    "<a\0>",
    "x=\"y\"",
    "<q x=&amp>",
];

const BYTES: &[u8] = b"<>/!-&#;=\"' abxAZ09\0\r\n\tscriptSCRIPTtitle?[]";

fn soup(rng: &mut Rng) -> String {
    let mut doc = String::new();
    let n = rng.below(60);
    for _ in 0..n {
        if rng.below(4) == 0 {
            for _ in 0..rng.below(8) {
                doc.push(BYTES[rng.below(BYTES.len())] as char);
            }
        } else {
            doc.push_str(rng.pick(PIECES));
        }
    }
    if rng.below(50) == 0 {
        doc.push_str("<plaintext>a</plaintext>\0<b>");
    }
    doc
}

/// Arbitrary text (random bytes read as UTF-8, lossily), markup-heavy.
fn noise(rng: &mut Rng) -> String {
    let bytes: Vec<u8> = (0..rng.below(200))
        .map(|_| match rng.below(3) {
            0 => BYTES[rng.below(BYTES.len())],
            _ => rng.next() as u8,
        })
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn differential_noise() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let count = 10_000;
    for _ in 0..count {
        check(&noise(&mut rng));
    }
    eprintln!("differential: {count} noise documents");
}

#[test]
fn foreign_content_cdata_and_every_state_end() {
    // CDATA only when the sink says so; U+0000 kept in CDATA; an unterminated section runs
    // to the end.
    let mut r = Recorder {
        foreign: true,
        ..Recorder::default()
    };
    tokenize("<![CDATA[a\0b]]><![CDATA[c", &mut r);
    assert_eq!(show_toks(&r.toks), r#""a\0bc""#);
    // Every text state at the end of the input, with and without a partial end tag.
    for tag in ["title", "style", "script", "plaintext", "textarea", "xmp"] {
        for tail in [
            "",
            "<",
            "</",
            "</x",
            &format!("</{tag}"),
            &format!("</{tag} a='"),
        ] {
            let doc = format!("<{tag}>x{tail}");
            assert_eq!(ours(&doc), theirs(&doc), "{doc:?}");
        }
    }
}

#[test]
fn differential_soups() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let count = 20_000;
    for _ in 0..count {
        let doc = soup(&mut rng);
        check(&doc);
    }
    eprintln!("differential: {count} generated documents");
}

#[test]
fn many_attributes() {
    let mut doc = String::from("<a");
    for i in 0..20_000 {
        doc.push_str(&format!(" a{}={i}", i % 7_000));
    }
    doc.push_str("></a>");
    check(&doc);
    let toks = ours(&doc);
    let Tok::Start(_, attrs, _) = &toks[0] else {
        panic!("{toks:?}")
    };
    assert_eq!(attrs.len(), 7_000);
    assert_eq!(attrs[6_999], ("a6999".to_string(), "6999".to_string()));
}
