//! Fuzzing of the parser on its own (`cargo test -p cdot-html --test fuzz`; `npm run fuzz --
//! --only=html` for a long run). Documents are the fixture pages of www/ mutated (markup pieces
//! inserted, ranges cut, the end dropped) and markup-heavy noise, made by a small deterministic
//! PRNG. Each case checks:
//!
//! - the tokenizer emits what html5gum emits (tags, attributes, text, doctypes);
//! - the tree is a tree: every child's parent is the node it hangs from, siblings link both
//!   ways, no node is reached twice, and there is one `<html>` with a `<head>` and a body;
//! - `is_rendered_in` (remembering) answers as `is_rendered` does;
//! - selectors agree with themselves: `select_all` is the descendants that `matches`, in order,
//!   `select` is its first, and `closest` is the nearest ancestor that matches; and a list
//!   (matched through its buckets by tag and attribute) matches what its selectors match one
//!   by one.
//!
//! Time budget: `CDOT_FUZZ_SECONDS` (default 5) and `CDOT_FUZZ_SEED` (default fixed, so that a
//! failure is reproducible; the failing case's seed is printed), read at run time.

use cdot_html::tokenize::{self, Attribute, Sink, TextState};
use cdot_html::{parse, Document, Node};
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

#[path = "../../../tests/support/rng.rs"]
mod rng;
use rng::Rng;

// ---------------------------------------------------------------------------------------
// Tokens, ours and html5gum's

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

/// html5gum's `naive_next_state` (what its tokenizer switches to after a start tag).
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
struct Recorder(Vec<Tok>);

impl Sink for Recorder {
    fn start_tag(&mut self, name: &str, attrs: &[Attribute<'_>], self_closing: bool) -> TextState {
        self.0.push(Tok::Start(
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
        self.0.push(Tok::End(name.to_string()));
    }
    fn text(&mut self, text: &str) {
        push_text(&mut self.0, text);
    }
    fn doctype(&mut self, name: &str, public_id: Option<&str>, force_quirks: bool) {
        self.0.push(Tok::Doctype(
            name.to_string(),
            public_id.map(str::to_string),
            force_quirks,
        ));
    }
    fn in_foreign_content(&self) -> bool {
        false
    }
}

fn ours(html: &str) -> Vec<Tok> {
    let mut r = Recorder::default();
    tokenize::tokenize(html, &mut r);
    r.0
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

// ---------------------------------------------------------------------------------------
// Documents

/// Every `.html` page of www/ (the fixture pages; the generated ones too when present).
fn pages() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www");
    let mut stack = vec![std::path::PathBuf::from(root)];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The generated pages are megabytes: too slow per case.
                if !path.ends_with("generated") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "html") {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out.sort();
    out
}

/// Markup the tree builder treats specially, and tokenizer edge cases.
const PIECES: &[&str] = &[
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<th>",
    "<tbody>",
    "<caption>",
    "<colgroup><col>",
    "<select>",
    "<option selected>",
    "<optgroup>",
    "</select>",
    "<template>",
    "</template>",
    "<svg>",
    "</svg>",
    "<math><mi>",
    "<foreignObject>",
    // A `tr` in SVG is SVG's (its type selector compares in any case); `desc` takes HTML.
    "<svg><TR><desc>",
    "<span aria-label=\"Filter\">",
    "<p>",
    "</p>",
    "<li>",
    "<dl><dt>",
    "<dd>",
    "</dl>",
    "<b>",
    "</b>",
    "<a href=x>",
    "</a>",
    "<form>",
    "</form>",
    "<body class=late>",
    "<html lang=x>",
    "<head>",
    "</head>",
    "<frameset>",
    "<pre>\n",
    "<textarea>\n",
    "</textarea>",
    "<title>",
    "</title>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<noscript>",
    "</noscript>",
    "<plaintext>",
    "<xmp>",
    "<iframe>",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<!--",
    "<!DOCTYPE html>",
    "<!doctype html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">",
    "<input type=hidden value=\"a&amp;b\">",
    "<img src=x onerror=y>",
    "<br/>",
    "</br>",
    "<div role=row class=\"a b\" id=i>",
    "<div role=ROW id=I>",
    "<span role=combobox id=\"i \">",
    "</div>",
    "<span title=\"&#x41;&#0;&notin;\">",
    "&amp;",
    "&lt",
    "&#xD800;",
    "\0",
    "\r\n",
    " ",
    "x@y.z",
    "<",
    "</",
    "=",
    "\"",
    "'",
];

const BYTES: &[u8] = b"<>/!-&#;=\"' abxAZ09\0\r\n\ttrdpscriptSCRIPTtitle?[]";

/// A char boundary at or before `i`.
fn boundary(s: &str, i: usize) -> usize {
    (0..=i.min(s.len()))
        .rev()
        .find(|&b| s.is_char_boundary(b))
        .unwrap_or(0)
}

fn noise(rng: &mut Rng) -> String {
    let bytes: Vec<u8> = (0..rng.below(400))
        .map(|_| match rng.below(3) {
            0 => BYTES[rng.below(BYTES.len())],
            _ => rng.next() as u8,
        })
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn document(rng: &mut Rng, pages: &[String]) -> String {
    match rng.below(3) {
        0 => (0..rng.below(80))
            .map(|_| {
                if rng.below(5) == 0 {
                    noise(rng)
                } else {
                    rng.pick(PIECES).to_string()
                }
            })
            .collect(),
        _ => {
            let mut html = pages[rng.below(pages.len())].clone();
            for _ in 0..1 + rng.below(8) {
                let at = boundary(&html, rng.below(html.len() + 1));
                match rng.below(5) {
                    0 | 1 => html.insert_str(at, rng.pick(PIECES)),
                    2 => html.insert_str(at, &noise(rng)),
                    3 => {
                        let end = boundary(&html, at + rng.below(2000)).max(at);
                        html.replace_range(at..end, "");
                    }
                    _ => html.truncate(at),
                }
            }
            html
        }
    }
}

// ---------------------------------------------------------------------------------------
// Checks

fn check_tokens(html: &str) {
    let (a, b) = (ours(html), theirs(html));
    if a != b {
        let i = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        panic!(
            "tokens differ at {i}\n ours:   {:?}\n theirs: {:?}",
            a.get(i.saturating_sub(2)..(i + 2).min(a.len())),
            b.get(i.saturating_sub(2)..(i + 2).min(b.len())),
        );
    }
}

fn check_tree(doc: &Document) {
    let root = doc.root();
    // Each child names the node it hangs from as its parent, so a node reached twice would
    // mean a cycle: the walk would then exceed the arena's size.
    let mut seen = 0usize;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        seen += 1;
        assert!(seen <= doc.node_count(), "a cycle at {node:?}");
        let mut prev: Option<Node<'_>> = None;
        for child in node.children() {
            assert_eq!(child.parent(), Some(node), "{child:?}'s parent");
            assert_eq!(child.prev_sibling(), prev, "{child:?}'s previous sibling");
            assert!(child.is_element() || child.own_text().is_some());
            prev = Some(child);
            stack.push(child);
        }
    }
    let html = doc.document_element().expect("an <html>");
    assert!(html.is("html"));
    assert_eq!(root.element_children().count(), 1, "one document element");
    assert!(html.element_children().any(|c| c.is("head")), "a <head>");
    assert!(doc.body().is_some(), "a body");
    assert_eq!(
        root.descendants().count() + 1,
        seen,
        "descendants() walks the tree"
    );
}

/// Selectors the readers use, and some of every kind the grammar has.
const SELECTORS: &[&str] = &[
    "tr",
    "td, th",
    "table tr > td",
    "[role=row]",
    "div.a",
    ".b",
    "#i",
    "a[href]",
    "input[type=HIDDEN]",
    "[title^=A], [title$=x i], [title*=\"&\"], [class~=b], [lang|=x]",
    ":is(td, th):not(.a)",
    "body *",
    "head > title",
    "svg *",
    "dl dd",
    "*",
    // Left of a combinator: a tag, an attribute, a class, an id that may be above or not.
    "tr *",
    "tr span",
    "[aria-label*=filter i] span",
    "foreignobject *",
    "svg tr *",
    "desc div",
    ".a .b",
    "#i *",
    "[role=row] > span",
    ":not(tr *)",
    ":is(tr *, [role=row] *) :not([title])",
];

/// Lists long enough to be matched by bucket (each checked against its parts one by one).
const LISTS: &[&[&str]] = &[
    &["pre", "code", "textarea", "script", "style", "template", "head"],
    &[
        "[role=combobox]",
        "[aria-haspopup=listbox]",
        "button[aria-haspopup]",
        "[aria-label*=domain i]",
        "input[type=search]",
        "input[placeholder*=search i]",
        ":is(button, [role=button], [role=listitem], li, [aria-label*=filter i] span, [data-filter]):not(tr, [role=row], tr *, [role=row] *)",
        ":is(button, [role=button], [role=combobox], input[value]):not(tr, [role=row], tr *, [role=row] *)",
    ],
    &["*", "td", ".a", "#i"],
    &[":not(div)", "svg *", "[title]", "tr > td", ".b.a"],
    &["dl dd", "p span", "li", "a[href^=x]", ":is(.a, #i) td", "tbody"],
    // Keyed by the attribute's value, compared as it is.
    &[
        "[role=row]",
        "[role=ROW] span",
        "#i",
        "#I",
        "[id=\"i \"]",
        ":is([role=combobox], [role=row]) *",
        "[role=row i]",
    ],
];

/// `is_rendered_in` (answers remembered across calls) is `is_rendered`, whatever the order
/// of the calls: from the end (the deepest first, nothing above known yet), then in document
/// order on a fresh memo, then again from the end on that one.
fn check_rendered(doc: &Document) {
    let nodes: Vec<Node<'_>> = doc.root().descendants().collect();
    let mut memo = cdot_html::Rendered::default();
    for n in nodes.iter().rev() {
        assert_eq!(
            n.is_rendered_in(&mut memo),
            n.is_rendered(),
            "{n:?}, from the end"
        );
    }
    let mut memo = cdot_html::Rendered::default();
    for n in nodes.iter().chain(nodes.iter().rev()) {
        assert_eq!(n.is_rendered_in(&mut memo), n.is_rendered(), "{n:?}");
    }
}

fn check_selectors(doc: &Document) {
    let elements: Vec<Node<'_>> = doc.root().descendants().filter(Node::is_element).collect();
    for parts in LISTS {
        let text = parts.join(", ");
        let singles: Vec<cdot_html::Selector> = parts
            .iter()
            .map(|p| cdot_html::Selector::parse(p).expect(p))
            .collect();
        let expected: Vec<Node<'_>> = elements
            .iter()
            .copied()
            .filter(|n| singles.iter().any(|s| s.matches(*n)))
            .collect();
        assert_eq!(doc.select_all(&text), expected, "select_all({text:?})");
    }
    for text in SELECTORS {
        let sel = cdot_html::Selector::parse(text).expect(text);
        let all = doc.select_all(text);
        let expected: Vec<Node<'_>> = elements
            .iter()
            .copied()
            .filter(|n| sel.matches(*n))
            .collect();
        assert_eq!(all, expected, "select_all({text:?})");
        assert_eq!(
            doc.select(text),
            expected.first().copied(),
            "select({text:?})"
        );
        // From a few elements down: their descendants that match, those above counted too.
        for n in elements.iter().step_by(elements.len() / 6 + 1) {
            let below: Vec<Node<'_>> = n
                .descendants()
                .filter(|d| d.is_element() && sel.matches(*d))
                .collect();
            assert_eq!(n.select_all(text), below, "{n:?}.select_all({text:?})");
        }
        // `closest` from a few elements: the nearest element, from the node up, that matches.
        for n in elements.iter().step_by(elements.len() / 8 + 1) {
            let nearest = std::iter::once(*n)
                .chain(n.ancestors())
                .filter(Node::is_element)
                .find(|a| all.contains(a));
            assert_eq!(n.closest(text), nearest, "closest({text:?}) from {n:?}");
        }
    }
}

fn budget_ms() -> f64 {
    std::env::var("CDOT_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(5.0)
        * 1000.0
}

fn seed() -> u64 {
    std::env::var("CDOT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x4854_4D4C_F022_0001)
}

thread_local! {
    /// The case running, said when it panics (logging every case would flood the output).
    static CASE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

#[test]
fn parser_on_arbitrary_and_mutated_pages() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        CASE.with(|c| eprintln!("fuzz (cdot-html) failed at {}", c.borrow()));
        previous(info);
    }));
    let pages = pages();
    assert!(pages.len() > 10, "the fixture pages of www/");
    let start = std::time::Instant::now();
    let budget = budget_ms();
    let mut cases = 0u64;
    let mut bytes = 0usize;
    let mut master = Rng(seed());
    while start.elapsed().as_secs_f64() * 1000.0 < budget {
        // Each case has its own seed, printed on failure, so that one case can be replayed.
        let case_seed = master.next() | 1;
        let mut rng = Rng(case_seed);
        let html = document(&mut rng, &pages);
        CASE.with(|c| {
            *c.borrow_mut() = format!("case {cases}: seed {case_seed:#x}, {} bytes", html.len())
        });
        bytes += html.len();
        check_tokens(&html);
        let doc = parse(&html);
        check_tree(&doc);
        check_selectors(&doc);
        check_rendered(&doc);
        cases += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz (cdot-html): {cases} documents ({:.1} MB) in {secs:.1} s",
        bytes as f64 / 1e6
    );
    assert!(cases > 0);
}
