//! A page's markup as a compact, read-only tree: what the cdot-triage readers query instead of
//! a browser `Document` (re-exported there as `core::html`).
//!
//! [`parse`] runs the WHATWG tokenizer ([`tokenize`]) and a tree builder that follows the
//! WHATWG tree-construction rules the admin's and Mailgun's pages exercise (see
//! [`parse`]'s module for what it covers and what it leaves out). The tree is an arena: nodes
//! are indexes, text and attribute values live in one string, so a 10,000-row page is a few
//! allocations rather than a few hundred thousand.
//!
//! [`tokenize`] borrows from the input and keeps the named character references in a compact
//! table (`entities`); it is tested against `html5gum` (`tokenize_tests`, and the fuzzing in
//! `tests/fuzz.rs`).
//!
//! Nothing here runs or loads anything: markup is data. [`Node`] offers what the readers
//! used from the DOM: selectors ([`select`]), `textContent`, attributes, parents and
//! siblings.
//!
//! Page text is arbitrary and a panic in the banner frame loses the whole page, so this crate
//! may not panic on input: no `unwrap`/`expect`, no `[i]` indexing or slicing, no byte-offset
//! string slicing. Enforced by the lints below (`cargo clippy`); tests are exempt (the
//! workspace's `clippy.toml`, and `#[allow]` in tests).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod entities;
mod parse;
pub mod select;
pub mod tokenize;
#[cfg(test)]
mod tokenize_tests;

pub use parse::parse;
pub use select::Selector;

/// No node (the arena's null).
const NONE: u32 = u32::MAX;

/// The namespace an element was created in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    Html,
    Svg,
    MathMl,
}

#[derive(Debug, Clone)]
enum Kind {
    Document,
    /// The detached root of a `<template>`'s contents (the DOM's DocumentFragment): what is
    /// in a template is neither text nor elements of the page.
    Fragment,
    Element {
        /// Interned lower-case local name.
        name: u32,
        ns: Ns,
        /// Range into `Document::attrs`.
        attrs: (u32, u32),
    },
    /// Range into `Document::strings`.
    Text(u32, u32),
    /// Text that grew after other strings were written (`Document::grown`): appended to in
    /// place, so a node that keeps growing costs linear time, not a copy per piece.
    GrownText(u32),
}

#[derive(Debug, Clone)]
struct NodeData {
    parent: u32,
    first: u32,
    last: u32,
    prev: u32,
    next: u32,
    kind: Kind,
}

#[derive(Debug, Clone, Copy)]
struct Attr {
    /// Interned lower-case name.
    name: u32,
    /// Range into `Document::strings`.
    value: (u32, u32),
}

/// A parsed page.
#[derive(Debug, Clone)]
pub struct Document {
    /// Which document this is (selectors remember interned names per document).
    uid: u64,
    nodes: Vec<NodeData>,
    attrs: Vec<Attr>,
    /// Every text node's and attribute value's characters, back to back.
    strings: String,
    /// Interned element and attribute names.
    names: Vec<Box<str>>,
    name_ids: std::collections::HashMap<Box<str>, u32>,
    /// Names interned lately, by [`recent_slot`]: a page repeats a few dozen tag and attribute
    /// names hundreds of thousands of times, and a compare is cheaper than hashing the name
    /// (a name that misses here is looked up in `name_ids`, so odd names cost no more).
    recent_names: [u32; RECENT_NAMES],
    /// The characters of `Kind::GrownText` nodes.
    grown: Vec<String>,
}

/// An element or text node of a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'a> {
    doc: &'a Document,
    id: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.doc, other.doc)
    }
}
impl Eq for Node<'_> {}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.tag() {
            Some(tag) => write!(f, "<{tag}>#{}", self.id),
            None => write!(f, "#text#{}", self.id),
        }
    }
}

impl Document {
    fn empty() -> Document {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Document {
            uid: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            nodes: vec![NodeData {
                parent: NONE,
                first: NONE,
                last: NONE,
                prev: NONE,
                next: NONE,
                kind: Kind::Document,
            }],
            attrs: Vec::new(),
            strings: String::new(),
            names: Vec::new(),
            name_ids: std::collections::HashMap::new(),
            recent_names: [NONE; RECENT_NAMES],
            grown: Vec::new(),
        }
    }

    fn data(&self, id: u32) -> Option<&NodeData> {
        self.nodes.get(id as usize)
    }

    fn data_mut(&mut self, id: u32) -> Option<&mut NodeData> {
        self.nodes.get_mut(id as usize)
    }

    fn intern(&mut self, name: &str) -> u32 {
        let slot = recent_slot(name);
        if let Some(&id) = self.recent_names.get(slot) {
            if id != NONE && self.name(id) == name {
                return id;
            }
        }
        let id = match self.name_ids.get(name) {
            Some(id) => *id,
            None => {
                let id = u32::try_from(self.names.len()).unwrap_or(NONE);
                self.names.push(name.into());
                self.name_ids.insert(name.into(), id);
                id
            }
        };
        if let Some(recent) = self.recent_names.get_mut(slot) {
            *recent = id;
        }
        id
    }

    /// The interned id of an element or attribute name, and a key that changes when the
    /// document interns more names (so a remembered "not interned" is never stale).
    fn name_id(&self, name: &str) -> (u32, (u64, usize)) {
        (
            self.name_ids.get(name).copied().unwrap_or(NONE),
            (self.uid, self.names.len()),
        )
    }

    /// The key under which an interned id stays valid ([`Document::name_id`]).
    fn names_key(&self) -> (u64, usize) {
        (self.uid, self.names.len())
    }

    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }

    fn string(&self, (start, end): (u32, u32)) -> &str {
        self.strings.get(start as usize..end as usize).unwrap_or("")
    }

    fn push_string(&mut self, s: &str) -> (u32, u32) {
        let start = self.strings.len();
        self.strings.push_str(s);
        (to_u32(start), to_u32(self.strings.len()))
    }

    /// The document node (its children: the `html` element, comments are not kept).
    pub fn root(&self) -> Node<'_> {
        Node { doc: self, id: 0 }
    }

    /// The `<html>` element.
    pub fn document_element(&self) -> Option<Node<'_>> {
        self.root().element_children().next()
    }

    /// The `<body>` element.
    pub fn body(&self) -> Option<Node<'_>> {
        self.document_element()?
            .element_children()
            .find(|n| n.is("body") || n.is("frameset"))
    }

    /// `document.title`: the first `<title>`'s text, white space stripped and collapsed.
    pub fn title(&self) -> String {
        self.root()
            .select("title")
            .map(|t| t.text())
            .unwrap_or_default()
    }

    /// The first element matching `selector` in document order (none for an invalid one).
    pub fn select(&self, selector: &str) -> Option<Node<'_>> {
        self.root().select(selector)
    }

    /// Every element matching `selector`, in document order.
    pub fn select_all(&self, selector: &str) -> Vec<Node<'_>> {
        self.root().select_all(selector)
    }

    /// Sets (or adds) an attribute of an element: the snapshot writes live form values so.
    pub fn set_attribute(&mut self, id: NodeId, name: &str, value: &str) {
        let name = self.intern(&name.to_ascii_lowercase());
        let value = self.push_string(value);
        let mut list = self.attrs_of(id.0).to_vec();
        match list.iter_mut().find(|a| a.name == name) {
            Some(a) => a.value = value,
            None => list.push(Attr { name, value }),
        }
        self.set_attrs(id.0, list);
    }

    /// Removes an attribute of an element, if it has one.
    pub fn remove_attribute(&mut self, id: NodeId, name: &str) {
        let name = self.intern(&name.to_ascii_lowercase());
        let mut list = self.attrs_of(id.0).to_vec();
        list.retain(|a| a.name != name);
        self.set_attrs(id.0, list);
    }

    /// An element's attributes (none for any other node).
    fn attrs_of(&self, id: u32) -> &[Attr] {
        match self.data(id).map(|d| &d.kind) {
            Some(Kind::Element {
                attrs: (start, end),
                ..
            }) => self
                .attrs
                .get(*start as usize..*end as usize)
                .unwrap_or_default(),
            _ => &[],
        }
    }

    /// Gives an element a new list of attributes (appended; its old slots are left unused,
    /// as the few changes a snapshot or a late `<body>` makes are not worth compacting).
    fn set_attrs(&mut self, id: u32, list: Vec<Attr>) {
        let start = to_u32(self.attrs.len());
        self.attrs.extend(list);
        let end = to_u32(self.attrs.len());
        if let Some(NodeData {
            kind: Kind::Element { attrs, .. },
            ..
        }) = self.data_mut(id)
        {
            *attrs = (start, end);
        }
    }

    /// Removes an element (and what it holds) from the tree.
    pub fn detach(&mut self, id: NodeId) {
        let Some(d) = self.data(id.0).cloned() else {
            return;
        };
        if d.parent == NONE {
            return;
        }
        match self.data_mut(d.prev) {
            Some(prev) => prev.next = d.next,
            None => {
                if let Some(p) = self.data_mut(d.parent) {
                    p.first = d.next;
                }
            }
        }
        match self.data_mut(d.next) {
            Some(next) => next.prev = d.prev,
            None => {
                if let Some(p) = self.data_mut(d.parent) {
                    p.last = d.prev;
                }
            }
        }
        if let Some(n) = self.data_mut(id.0) {
            n.parent = NONE;
            n.prev = NONE;
            n.next = NONE;
        }
    }

    /// The node with this identity (from a query on this document).
    pub fn node(&self, id: NodeId) -> Option<Node<'_>> {
        self.data(id.0).map(|_| Node {
            doc: self,
            id: id.0,
        })
    }

    /// How many nodes the tree holds (elements and text).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

const RECENT_NAMES: usize = 64;

/// A name's place in [`Document::recent_names`]: from its length and its first and last bytes.
fn recent_slot(name: &str) -> usize {
    let b = name.as_bytes();
    let first = usize::from(b.first().copied().unwrap_or(0));
    let last = usize::from(b.last().copied().unwrap_or(0));
    (b.len().wrapping_mul(7) ^ first.wrapping_mul(5) ^ last.wrapping_mul(3)) % RECENT_NAMES
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

/// What [`Node::is_rendered_in`] found, by node, for one document as it stood (another
/// document starts it afresh; use one for one reading, not across changes to the document).
#[derive(Debug, Default)]
pub struct Rendered {
    doc: Option<u64>,
    known: Vec<u8>,
    /// The nodes of the walk in progress (kept to reuse its allocation).
    path: Vec<u32>,
}

impl Rendered {
    const UNKNOWN: u8 = 0;
    const SHOWN: u8 = 1;
    const HIDDEN: u8 = 2;
}

/// A node's identity, to change it through `&mut Document` after a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(u32);

/// Whether an inline `style` attribute sets `display: none` (the last declaration wins, an
/// `!important` one over later plain ones; comments are dropped as CSS drops them).
pub fn inline_display_none(style: &str) -> bool {
    if !style
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"display"))
    {
        return false;
    }
    let mut plain = String::with_capacity(style.len());
    let mut rest = style;
    while let Some(start) = rest.find("/*") {
        plain.push_str(rest.get(..start).unwrap_or(""));
        rest = rest
            .get(start + 2..)
            .and_then(|r| r.find("*/").and_then(|end| r.get(end + 2..)))
            .unwrap_or("");
    }
    plain.push_str(rest);
    let mut display: Option<(String, bool)> = None;
    for declaration in plain.split(';') {
        let Some((property, value)) = declaration.split_once(':') else {
            continue;
        };
        if !property.trim().eq_ignore_ascii_case("display") {
            continue;
        }
        let value = value.trim().to_ascii_lowercase();
        let (value, important) = match value.strip_suffix("important") {
            Some(v) if v.trim_end().ends_with('!') => (
                v.trim_end().trim_end_matches('!').trim_end().to_string(),
                true,
            ),
            _ => (value, false),
        };
        if display.as_ref().is_none_or(|(_, was)| important || !was) {
            display = Some((value, important));
        }
    }
    display.is_some_and(|(v, _)| v == "none")
}

/// Runs of ASCII white space folded to one space and trimmed (as `text()` reads).
pub fn fold_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl<'a> Node<'a> {
    fn data(&self) -> Option<&'a NodeData> {
        self.doc.data(self.id)
    }

    fn at(&self, id: u32) -> Option<Node<'a>> {
        (id != NONE).then_some(Node { doc: self.doc, id })
    }

    pub fn id(&self) -> NodeId {
        NodeId(self.id)
    }

    pub fn document(&self) -> &'a Document {
        self.doc
    }

    /// The lower-case local name of an element; `None` for text and the document.
    pub fn tag(&self) -> Option<&'a str> {
        match self.data()?.kind {
            Kind::Element { name, .. } => Some(self.doc.name(name)),
            _ => None,
        }
    }

    pub fn namespace(&self) -> Option<Ns> {
        match self.data()?.kind {
            Kind::Element { ns, .. } => Some(ns),
            _ => None,
        }
    }

    /// Whether this is an HTML element named `tag` (lower case).
    pub fn is(&self, tag: &str) -> bool {
        matches!(self.data().map(|d| &d.kind), Some(Kind::Element { name, ns: Ns::Html, .. }) if self.doc.name(*name) == tag)
    }

    pub fn is_element(&self) -> bool {
        matches!(self.data().map(|d| &d.kind), Some(Kind::Element { .. }))
    }

    fn attrs(&self) -> &'a [Attr] {
        self.doc.attrs_of(self.id)
    }

    /// The element's interned name, if it is an HTML element.
    fn html_name_id(&self) -> Option<u32> {
        match self.data()?.kind {
            Kind::Element {
                name, ns: Ns::Html, ..
            } => Some(name),
            _ => None,
        }
    }

    /// An attribute's value by interned name.
    fn attr_by_id(&self, id: u32) -> Option<&'a str> {
        self.attrs()
            .iter()
            .find(|a| a.name == id)
            .map(|a| self.doc.string(a.value))
    }

    /// An attribute's value (`name` in lower case).
    pub fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs()
            .iter()
            .find(|a| self.doc.name(a.name) == name)
            .map(|a| self.doc.string(a.value))
    }

    pub fn has_attr(&self, name: &str) -> bool {
        self.attr(name).is_some()
    }

    /// Every attribute, in markup order.
    pub fn attributes(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let doc = self.doc;
        self.attrs()
            .iter()
            .map(move |a| (doc.name(a.name), doc.string(a.value)))
    }

    /// The class list.
    pub fn classes(&self) -> impl Iterator<Item = &'a str> {
        self.attr("class").unwrap_or("").split_ascii_whitespace()
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.classes().any(|c| c == class)
    }

    /// A text node's characters.
    pub fn own_text(&self) -> Option<&'a str> {
        match self.data()?.kind {
            Kind::Text(start, end) => Some(self.doc.string((start, end))),
            Kind::GrownText(i) => Some(self.doc.grown.get(i as usize).map_or("", String::as_str)),
            _ => None,
        }
    }

    /// `textContent`: every descendant text node's characters, in document order.
    pub fn text_content(&self) -> String {
        if let Some(t) = self.own_text() {
            return t.to_string();
        }
        let mut out = String::new();
        for n in self.descendants() {
            if let Some(t) = n.own_text() {
                out.push_str(t);
            }
        }
        out
    }

    /// Whether this element's own markup keeps it, and all it holds, off the screen: what
    /// the browser's own style sheet never renders (`script`, `style`, `template`,
    /// `noscript` on a page with scripting, `head`, `title`, a closed `dialog`, a hidden
    /// `input`, SVG's `desc`, `title`, `metadata` and paint servers, MathML annotations),
    /// the `hidden` attribute, and an inline `display: none`. What a page's style sheets do
    /// is not known here (see `SECURITY.md`); Bootstrap's `.collapse` is one click away and
    /// is shown.
    pub fn hides_itself(&self) -> bool {
        let Some(Kind::Element { name, ns, .. }) = self.data().map(|d| &d.kind) else {
            return false;
        };
        let name = self.doc.name(*name);
        let by_name = match ns {
            Ns::Html => {
                self.has_attr("hidden")
                    || match name {
                        "script" | "style" | "template" | "noscript" | "head" | "title"
                        | "datalist" | "noembed" | "noframes" | "param" | "rp" | "meta"
                        | "link" | "base" => true,
                        "dialog" => !self.has_attr("open"),
                        "input" => self
                            .attr("type")
                            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden")),
                        _ => false,
                    }
            }
            Ns::Svg => matches!(
                name,
                "desc"
                    | "title"
                    | "metadata"
                    | "script"
                    | "style"
                    | "defs"
                    | "symbol"
                    | "clippath"
                    | "mask"
                    | "pattern"
                    | "marker"
                    | "filter"
                    | "lineargradient"
                    | "radialgradient"
            ),
            Ns::MathMl => matches!(name, "annotation" | "annotation-xml"),
        };
        by_name || self.attr("style").is_some_and(inline_display_none)
    }

    /// Whether the markup lets this node be on the screen: neither it nor an ancestor
    /// [hides itself](Node::hides_itself), it is not inside a `template`'s contents, and a
    /// text node inside SVG is drawn only within a `<text>` element.
    pub fn is_rendered(&self) -> bool {
        self.rendered(None)
    }

    /// [`Node::is_rendered`], with what earlier calls found for the elements above
    /// remembered in `memo`: the rows of a long list share their ancestors, which each call
    /// walked again (a 10,000-row page's addresses, each some ten elements deep).
    pub fn is_rendered_in(&self, memo: &mut Rendered) -> bool {
        self.rendered(Some(memo))
    }

    /// Up to the document (rendered), a node that hides itself or a detached one (not), or,
    /// with a memo, a node already known; then, with a memo, each node on the way is what
    /// that one is: a node is rendered when it does not hide itself and its parent is.
    fn rendered(&self, mut memo: Option<&mut Rendered>) -> bool {
        if self.own_text().is_some() && !self.parent().is_some_and(|p| p.shows_its_text()) {
            return false;
        }
        if let Some(memo) = memo.as_deref_mut() {
            if memo.doc != Some(self.doc.uid) {
                memo.doc = Some(self.doc.uid);
                memo.known.clear();
                memo.known.resize(self.doc.nodes.len(), Rendered::UNKNOWN);
            }
            memo.path.clear();
        }
        let mut node = *self;
        let rendered = loop {
            if let Some(memo) = memo.as_deref_mut() {
                match memo.known.get(node.id as usize) {
                    Some(&Rendered::SHOWN) => break true,
                    Some(&Rendered::HIDDEN) => break false,
                    _ => memo.path.push(node.id),
                }
            }
            if node.hides_itself() {
                break false;
            }
            match node.data().map(|d| (&d.kind, d.parent)) {
                Some((Kind::Document, _)) => break true,
                Some((_, parent)) if parent != NONE => {
                    node = Node {
                        doc: self.doc,
                        id: parent,
                    }
                }
                // Detached (a template's contents, or a removed node).
                _ => break false,
            }
        };
        if let Some(memo) = memo {
            let state = if rendered {
                Rendered::SHOWN
            } else {
                Rendered::HIDDEN
            };
            for &id in &memo.path {
                if let Some(known) = memo.known.get_mut(id as usize) {
                    *known = state;
                }
            }
        }
        rendered
    }

    /// Whether this element draws the text nodes it holds: SVG only within `<text>`.
    fn shows_its_text(&self) -> bool {
        if self.namespace() != Some(Ns::Svg) {
            return true;
        }
        std::iter::once(*self)
            .chain(self.ancestors())
            .take_while(|n| n.namespace() == Some(Ns::Svg))
            .any(|n| n.tag() == Some("text"))
    }

    /// `template` with a `shadowrootmode` of `open` or `closed`: what `getHTML` writes for a
    /// shadow root, first in its host (and what a page can also write as an inert template).
    pub fn is_shadow_root_template(&self) -> bool {
        self.is("template")
            && self
                .attr("shadowrootmode")
                .is_some_and(|m| m.eq_ignore_ascii_case("open") || m.eq_ignore_ascii_case("closed"))
    }

    /// The first descendant element matching `selector` that [is rendered](Node::is_rendered).
    pub fn select_rendered(&self, selector: &str) -> Option<Node<'a>> {
        let sel = Selector::cached(selector)?;
        self.descendants()
            .filter(Node::is_element)
            .find(|n| sel.matches(*n) && n.is_rendered())
    }

    /// The text with runs of white space folded to one space and trimmed (ERB and HAML leave
    /// newlines and indentation around labels and values). Only what the markup lets be on
    /// the screen counts: the text of descendants that [hide themselves](Node::hides_itself)
    /// (a `<noscript>`, an SVG `<desc>`, a `hidden` span) and SVG text outside `<text>` is
    /// left out, as `innerText` leaves it out.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        let mut push_word = |i: usize, word: &str| {
            if i > 0 {
                pending_space = true;
            }
            if word.is_empty() {
                return;
            }
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(word);
        };
        let mut push = |t: &str| {
            if t.is_ascii() {
                // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed,
                // carriage return and space; split byte by byte (at ASCII bytes, so at
                // character boundaries).
                let mut start = 0;
                let mut i = 0;
                for (at, b) in t.bytes().enumerate() {
                    if matches!(b, b'\t'..=b'\r' | b' ') {
                        push_word(i, t.get(start..at).unwrap_or(""));
                        i += 1;
                        start = at + 1;
                    }
                }
                push_word(i, t.get(start..).unwrap_or(""));
            } else {
                for (i, word) in t.split(|c: char| c.is_whitespace()).enumerate() {
                    push_word(i, word);
                }
            }
        };
        if let Some(t) = self.own_text() {
            push(t);
        } else {
            let mut next = self.first_child();
            while let Some(n) = next {
                let hidden = n.hides_itself();
                if let Some(t) = n.own_text() {
                    if n.parent().is_none_or(|p| p.shows_its_text()) {
                        push(t);
                    }
                }
                next = if hidden { None } else { n.first_child() }
                    .or_else(|| n.next_in_subtree_of(self));
            }
        }
        out
    }

    /// The node after this one's subtree in a pre-order walk of `root`'s subtree.
    fn next_in_subtree_of(&self, root: &Node<'a>) -> Option<Node<'a>> {
        let mut n = *self;
        loop {
            if n == *root {
                return None;
            }
            if let Some(s) = n.next_sibling() {
                return Some(s);
            }
            n = n.parent()?;
        }
    }

    pub fn parent(&self) -> Option<Node<'a>> {
        self.at(self.data()?.parent)
    }

    /// The parent, if it is an element.
    pub fn parent_element(&self) -> Option<Node<'a>> {
        self.parent().filter(Node::is_element)
    }

    pub fn first_child(&self) -> Option<Node<'a>> {
        self.at(self.data()?.first)
    }

    pub fn next_sibling(&self) -> Option<Node<'a>> {
        self.at(self.data()?.next)
    }

    pub fn prev_sibling(&self) -> Option<Node<'a>> {
        self.at(self.data()?.prev)
    }

    pub fn children(&self) -> impl Iterator<Item = Node<'a>> {
        std::iter::successors(self.first_child(), Node::next_sibling)
    }

    pub fn element_children(&self) -> impl Iterator<Item = Node<'a>> {
        self.children().filter(Node::is_element)
    }

    pub fn first_element_child(&self) -> Option<Node<'a>> {
        self.element_children().next()
    }

    pub fn child_element_count(&self) -> usize {
        self.element_children().count()
    }

    pub fn next_element_sibling(&self) -> Option<Node<'a>> {
        std::iter::successors(self.next_sibling(), Node::next_sibling).find(Node::is_element)
    }

    pub fn prev_element_sibling(&self) -> Option<Node<'a>> {
        std::iter::successors(self.prev_sibling(), Node::prev_sibling).find(Node::is_element)
    }

    /// Ancestors, nearest first (not including this node; the document node last).
    pub fn ancestors(&self) -> impl Iterator<Item = Node<'a>> {
        std::iter::successors(self.parent(), Node::parent)
    }

    /// Descendants in document order (not including this node).
    pub fn descendants(&self) -> Descendants<'a> {
        Descendants {
            root: *self,
            next: self.first_child(),
        }
    }

    /// Whether `other` is this node or inside it.
    pub fn contains(&self, other: &Node<'a>) -> bool {
        other == self || other.ancestors().any(|a| a == *self)
    }

    /// The nearest element, starting with this one, that matches `selector`.
    pub fn closest(&self, selector: &str) -> Option<Node<'a>> {
        let sel = Selector::cached(selector)?;
        self.closest_by(&sel)
    }

    pub fn closest_by(&self, sel: &Selector) -> Option<Node<'a>> {
        std::iter::once(*self)
            .chain(self.ancestors())
            .filter(Node::is_element)
            .find(|n| sel.matches(*n))
    }

    pub fn matches(&self, selector: &str) -> bool {
        Selector::cached(selector).is_some_and(|s| s.matches(*self))
    }

    /// The first descendant element matching `selector`.
    pub fn select(&self, selector: &str) -> Option<Node<'a>> {
        let sel = Selector::cached(selector)?;
        self.select_by(&sel)
    }

    pub fn select_by(&self, sel: &Selector) -> Option<Node<'a>> {
        self.descendants()
            .filter(Node::is_element)
            .find(|n| sel.matches(*n))
    }

    /// Every descendant element matching `selector`, in document order.
    pub fn select_all(&self, selector: &str) -> Vec<Node<'a>> {
        match Selector::cached(selector) {
            Some(sel) => self.select_all_by(&sel),
            None => Vec::new(),
        }
    }

    /// Every descendant element matching `sel`, in document order. The walk keeps count of
    /// what the elements above each one hold ([`select::Ancestors`]), so that a combinator
    /// whose left side no ancestor can match costs no walk up the tree.
    pub fn select_all_by(&self, sel: &Selector) -> Vec<Node<'a>> {
        let mut out = Vec::new();
        let mut above = select::Ancestors::new(self.doc);
        // This node and those above it are above every descendant.
        for el in std::iter::once(*self).chain(self.ancestors()) {
            above.enter(el);
        }
        let buckets = sel.buckets_for(self.doc);
        let mut next = self.first_child();
        while let Some(node) = next {
            if node.is_element() && sel.matches_walked(node, &above, buckets.as_deref()) {
                out.push(node);
            }
            if let Some(child) = node.first_child() {
                above.enter(node);
                next = Some(child);
                continue;
            }
            // Up to the nearest ancestor (below this node) with a next sibling, leaving each.
            let mut up = node;
            next = loop {
                if let Some(sibling) = up.next_sibling() {
                    break Some(sibling);
                }
                match up.parent() {
                    Some(parent) if parent != *self => {
                        above.leave(parent);
                        up = parent;
                    }
                    _ => break None,
                }
            };
        }
        out
    }
}

/// Pre-order walk of a subtree.
pub struct Descendants<'a> {
    root: Node<'a>,
    next: Option<Node<'a>>,
}

impl<'a> Iterator for Descendants<'a> {
    type Item = Node<'a>;

    fn next(&mut self) -> Option<Node<'a>> {
        let current = self.next?;
        self.next = current.first_child().or_else(|| {
            let mut n = current;
            loop {
                if n == self.root {
                    return None;
                }
                if let Some(s) = n.next_sibling() {
                    return Some(s);
                }
                n = n.parent()?;
            }
        });
        Some(current)
    }
}

#[cfg(test)]
mod tests;
