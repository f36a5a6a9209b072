//! Markup to [`Document`]: the WHATWG tokenizer ([`super::tokenize`]) and a tree builder after
//! the WHATWG tree-construction rules, as Chromium parses a page with scripting enabled (the
//! snapshot is of a live page, where `<noscript>` holds raw text that nobody sees).
//!
//! Followed: the implied `html`, `head` and `body`; what goes in the head; void elements;
//! implied end tags (`p`, `li`, `dd`/`dt`, `option`, table parts) and the element scopes that
//! bound them; end tags with no open element are ignored (RailsAdmin 3's stray `</dl>`);
//! tables (implied `tbody` and `tr`, cells closed by the next cell or row, text and elements
//! misplaced in a table moved before it); `select`; `template` contents kept out of the page;
//! SVG and MathML content (self-closing tags, breaking out on HTML tags); the tokenizer's
//! states for `script`, `style`, `textarea`, `title`, `xmp`, `iframe`, `noembed`, `noframes`
//! `noscript` (the scripting flag set) and `plaintext`; the newline
//! dropped after `<pre>`, `<listing>` and `<textarea>`.
//!
//! Simplified: misnested formatting elements (`<b><p></b>`) close at their end tag instead of
//! running the adoption agency algorithm, and formatting elements are not reopened in the
//! next block; SVG tag names keep the tokenizer's lower case. Neither changes what the
//! readers look at: their rows, cells, labels and values sit in block and table markup.

use super::tokenize::{self, Attribute, TextState};
use super::{Attr, Document, Kind, NodeData, Ns, NONE};

/// Parses a page's markup. Never fails: any string is some document.
pub fn parse(html: &str) -> Document {
    let mut builder = Builder::new();
    // A page has a node for every ~30 bytes of markup (the 10,000-row Mailgun page: 285,000 in
    // 8.3 MB), and attributes as many: room for most of them at once rather than by doubling
    // (each doubling copies the arena in WASM).
    builder.doc.nodes.reserve(html.len() / 32);
    builder.doc.attrs.reserve(html.len() / 48);
    tokenize::tokenize(html, &mut builder);
    builder.finish()
}

impl tokenize::Sink for Builder {
    fn start_tag(&mut self, name: &str, attrs: &[Attribute<'_>], self_closing: bool) -> TextState {
        self.tag_attrs.clear();
        for a in attrs {
            let name = self.doc.intern(&a.name);
            let value = self.doc.push_string(&a.value);
            self.tag_attrs.push(Attr { name, value });
        }
        self.start_tag(name, self_closing);
        self.next_state.take().unwrap_or(TextState::Data)
    }

    fn end_tag(&mut self, name: &str) {
        self.end_tag(name);
    }

    fn text(&mut self, text: &str) {
        self.text(text);
    }

    fn doctype(&mut self, name: &str, public_id: Option<&str>, force_quirks: bool) {
        if !self.seen_doctype && self.html == NONE {
            self.seen_doctype = true;
            self.quirks = force_quirks
                || !name.eq_ignore_ascii_case("html")
                || public_id.is_some_and(|p| {
                    let p = p.to_ascii_lowercase();
                    p.starts_with("-//w3c//dtd html 4.01 transitional//")
                        || p.starts_with("-//w3c//dtd html 4.01 frameset//")
                        || p.starts_with("-//w3o//dtd w3 html strict 3.0//en//")
                        || p.starts_with("-//ietf//dtd html")
                });
        }
    }

    fn in_foreign_content(&self) -> bool {
        Builder::in_foreign_content(self)
    }
}

// ---------------------------------------------------------------------------------------
// Tree construction

/// Where the builder is, derived from the stack of open elements as the spec's "reset the
/// insertion mode appropriately" does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    BeforeBody,
    InBody,
    InTable,
    InTableBody,
    InRow,
    InCell,
    InTemplate,
}

struct Builder {
    doc: Document,
    /// Open elements, the current node last.
    stack: Vec<u32>,
    html: u32,
    head: u32,
    body: u32,
    form: u32,
    quirks: bool,
    seen_doctype: bool,
    /// The template elements and the fragments that hold their contents.
    templates: Vec<(u32, u32)>,
    /// The list of active formatting elements (`None`: a marker).
    formatting: Vec<Option<Formatting>>,
    /// Foster parenting on: a start tag misplaced in a table is being processed.
    foster: bool,
    /// The start tag being read: its attributes.
    tag_attrs: Vec<Attr>,
    /// The tokenizer state the last start tag asks for.
    next_state: Option<TextState>,
    /// Drop one newline at the start of the next text (after `<pre>`, `<textarea>`).
    skip_newline: bool,
    /// Per interned name: what the name means to tree construction as an HTML element
    /// (`F_*`), so the stack walks compare bits, not strings.
    name_flags: Vec<u16>,
}

/// An open formatting element and the start tag it was made from (to make it again).
#[derive(Debug, Clone)]
struct Formatting {
    id: u32,
    name: u32,
    attrs: Vec<Attr>,
}

const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// How deep Chromium's HTML parser nests elements.
const MAX_DEPTH: usize = 512;

/// The insertion mode an open element sets (3 bits): see [`Builder::mode`].
const F_MODE: u16 = 0b111;
const F_SCOPE: u16 = 1 << 3;
const F_LIST_SCOPE: u16 = 1 << 4;
const F_BUTTON_SCOPE: u16 = 1 << 5;
const F_TABLE_SCOPE: u16 = 1 << 6;
const F_IN_SELECT: u16 = 1 << 7;
const F_IMPLIED_END: u16 = 1 << 8;
const F_P: u16 = 1 << 9;
const F_SPECIAL: u16 = 1 << 10;

fn flags_of(name: &str) -> u16 {
    let mode = match name {
        "td" | "th" | "caption" => 2,
        "tr" => 3,
        "tbody" | "thead" | "tfoot" => 4,
        "table" => 5,
        "template" => 6,
        "body" | "html" => 7,
        _ => 0,
    };
    let mut f = mode;
    if matches!(
        name,
        "applet"
            | "caption"
            | "html"
            | "table"
            | "td"
            | "th"
            | "marquee"
            | "object"
            | "template"
            | "select"
    ) {
        // `select` too: Chromium's customizable select keeps what is inside it from closing
        // what is outside (`<div><select></div>` leaves the div open).
        f |= F_SCOPE;
    }
    if matches!(name, "ol" | "ul") {
        f |= F_LIST_SCOPE;
    }
    if name == "button" {
        f |= F_BUTTON_SCOPE;
    }
    if matches!(name, "html" | "table" | "template") {
        f |= F_TABLE_SCOPE;
    }
    if matches!(name, "optgroup" | "option") {
        f |= F_IN_SELECT;
    }
    if IMPLIED_END.contains(&name) {
        f |= F_IMPLIED_END;
    }
    if name == "p" {
        f |= F_P;
    }
    if SPECIAL.contains(&name) {
        f |= F_SPECIAL;
    }
    f
}

const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
];

const BLOCK_END: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "search",
    "section",
    "select",
    "summary",
    "ul",
];

const HEAD_TAGS: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "title", "style", "script", "template",
    "noframes", "noscript",
];

const IMPLIED_END: &[&str] = &[
    "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

const TABLE_PARTS: &[&str] = &[
    "caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// HTML tags that end SVG or MathML content.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
    Select,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            doc: Document::empty(),
            stack: Vec::new(),
            html: NONE,
            head: NONE,
            body: NONE,
            form: NONE,
            quirks: true,
            seen_doctype: false,
            templates: Vec::new(),
            formatting: Vec::new(),
            foster: false,
            tag_attrs: Vec::new(),
            next_state: None,
            skip_newline: false,
            name_flags: Vec::new(),
        }
    }

    fn finish(mut self) -> Document {
        self.ensure_body();
        self.doc
    }

    // -- the tree ----------------------------------------------------------------------

    fn name_of(&self, id: u32) -> &str {
        match self.doc.data(id).map(|d| &d.kind) {
            Some(Kind::Element { name, .. }) => self.doc.name(*name),
            _ => "",
        }
    }

    fn ns_of(&self, id: u32) -> Ns {
        match self.doc.data(id).map(|d| &d.kind) {
            Some(Kind::Element { ns, .. }) => *ns,
            _ => Ns::Html,
        }
    }

    /// Whether `id` is the HTML element `name`.
    fn is(&self, id: u32, name: &str) -> bool {
        self.ns_of(id) == Ns::Html && self.name_of(id) == name
    }

    /// The `F_*` flags of an open element (none for SVG and MathML elements).
    fn flags(&self, id: u32) -> u16 {
        match self.doc.data(id).map(|d| &d.kind) {
            Some(Kind::Element {
                name, ns: Ns::Html, ..
            }) => self.name_flags.get(*name as usize).copied().unwrap_or(0),
            _ => 0,
        }
    }

    fn is_one_of(&self, id: u32, names: &[&str]) -> bool {
        self.ns_of(id) == Ns::Html && names.contains(&self.name_of(id))
    }

    fn current(&self) -> u32 {
        self.stack.last().copied().unwrap_or(NONE)
    }

    fn new_node(&mut self, kind: Kind) -> u32 {
        let id = super::to_u32(self.doc.nodes.len());
        self.doc.nodes.push(NodeData {
            parent: NONE,
            first: NONE,
            last: NONE,
            prev: NONE,
            next: NONE,
            kind,
        });
        id
    }

    fn new_element(&mut self, name: &str, ns: Ns, attrs: &[Attr]) -> u32 {
        let name = self.doc.intern(name);
        while self.name_flags.len() <= name as usize {
            let n = self.name_flags.len();
            let f = flags_of(self.doc.name(super::to_u32(n)));
            self.name_flags.push(f);
        }
        let start = super::to_u32(self.doc.attrs.len());
        self.doc.attrs.extend_from_slice(attrs);
        let end = super::to_u32(self.doc.attrs.len());
        self.new_node(Kind::Element {
            name,
            ns,
            attrs: (start, end),
        })
    }

    /// Appends `child` to `parent`, or puts it before `before` (a child of `parent`).
    fn attach(&mut self, parent: u32, child: u32, before: u32) {
        let parent = self
            .templates
            .iter()
            .find(|(t, _)| *t == parent)
            .map_or(parent, |(_, fragment)| *fragment);
        let (prev, next) = if before == NONE {
            (self.doc.data(parent).map_or(NONE, |p| p.last), NONE)
        } else {
            (self.doc.data(before).map_or(NONE, |b| b.prev), before)
        };
        if let Some(c) = self.doc.data_mut(child) {
            c.parent = parent;
            c.prev = prev;
            c.next = next;
        }
        match self.doc.data_mut(prev) {
            Some(p) => p.next = child,
            None => {
                if let Some(p) = self.doc.data_mut(parent) {
                    p.first = child;
                }
            }
        }
        match self.doc.data_mut(next) {
            Some(n) => n.prev = child,
            None => {
                if let Some(p) = self.doc.data_mut(parent) {
                    p.last = child;
                }
            }
        }
    }

    /// Where a new node goes: (parent, before), with foster parenting when the current node
    /// is a table part and `foster` is on.
    fn insertion_place(&self, foster: bool) -> (u32, u32) {
        let target = self.current();
        if (foster || self.foster)
            && self.is_one_of(target, &["table", "tbody", "tfoot", "thead", "tr"])
        {
            let table_at = self.stack.iter().rposition(|id| self.is(*id, "table"));
            let template_at = self.stack.iter().rposition(|id| self.is(*id, "template"));
            if let Some(t) = template_at.filter(|t| table_at.is_none_or(|tb| *t > tb)) {
                return (self.stack.get(t).copied().unwrap_or(NONE), NONE);
            }
            if let Some(tb) = table_at {
                let table = self.stack.get(tb).copied().unwrap_or(NONE);
                let parent = self.doc.data(table).map_or(NONE, |d| d.parent);
                if parent != NONE {
                    return (parent, table);
                }
                let above = tb.checked_sub(1).and_then(|i| self.stack.get(i)).copied();
                return (above.unwrap_or(self.html), NONE);
            }
            return (self.html, NONE);
        }
        (target, NONE)
    }

    /// Puts a new element where it goes (Chromium's `AttachLater`).
    fn attach_new_element(&mut self, id: u32, foster: bool) {
        let (mut parent, before) = self.insertion_place(foster);
        let fostered = before != NONE || parent != self.current();
        if self.stack.len() > MAX_DEPTH && !fostered {
            // Chromium's parser nests no deeper than 512 elements: deeper ones become
            // siblings of the deepest (`kMaximumHTMLParserDOMTreeDepth`).
            if let Some(grandparent) = self
                .doc
                .data(parent)
                .map(|d| d.parent)
                .filter(|g| *g != NONE)
            {
                parent = grandparent;
            }
        }
        self.attach(parent, id, before);
    }

    fn insert_element(&mut self, name: &str, ns: Ns, foster: bool) -> u32 {
        let attrs = std::mem::take(&mut self.tag_attrs);
        let id = self.new_element(name, ns, &attrs);
        self.tag_attrs = attrs;
        self.attach_new_element(id, foster);
        if ns == Ns::Html && name == "template" {
            let fragment = self.new_node(Kind::Fragment);
            self.templates.push((id, fragment));
            self.formatting.push(None);
        }
        self.stack.push(id);
        id
    }

    fn insert_text(&mut self, text: &str, foster: bool) {
        if text.is_empty() {
            return;
        }
        let (parent, before) = self.insertion_place(foster);
        let parent = self
            .templates
            .iter()
            .find(|(t, _)| *t == parent)
            .map_or(parent, |(_, fragment)| *fragment);
        let previous = if before == NONE {
            self.doc.data(parent).map_or(NONE, |p| p.last)
        } else {
            self.doc.data(before).map_or(NONE, |b| b.prev)
        };
        // Adjacent text is one node, as in the DOM: extended in place when it is the last
        // thing written, else moved into a string of its own once (a page alternating text
        // with ignored or fostered tags must not copy the node again for every piece).
        let strings_end = super::to_u32(self.doc.strings.len());
        match self.doc.data(previous).map(|d| d.kind.clone()) {
            Some(Kind::Text(start, end)) if end == strings_end => {
                self.doc.strings.push_str(text);
                let new_end = super::to_u32(self.doc.strings.len());
                if let Some(d) = self.doc.data_mut(previous) {
                    d.kind = Kind::Text(start, new_end);
                }
                return;
            }
            Some(Kind::Text(start, end)) => {
                let mut grown = self.doc.string((start, end)).to_string();
                grown.push_str(text);
                let i = super::to_u32(self.doc.grown.len());
                self.doc.grown.push(grown);
                if let Some(d) = self.doc.data_mut(previous) {
                    d.kind = Kind::GrownText(i);
                }
                return;
            }
            Some(Kind::GrownText(i)) => {
                if let Some(grown) = self.doc.grown.get_mut(i as usize) {
                    grown.push_str(text);
                }
                return;
            }
            _ => {}
        }
        let range = self.doc.push_string(text);
        let id = self.new_node(Kind::Text(range.0, range.1));
        self.attach(parent, id, before);
    }

    fn pop(&mut self) -> u32 {
        self.stack.pop().unwrap_or(NONE)
    }

    /// Pops up to and including the HTML element `name`.
    fn pop_until(&mut self, names: &[&str]) {
        while let Some(id) = self.stack.pop() {
            if self.is_one_of(id, names) || id == self.html {
                if id == self.html {
                    self.stack.push(id);
                }
                return;
            }
        }
    }

    fn in_scope(&self, names: &[&str], scope: Scope) -> bool {
        for id in self.stack.iter().rev() {
            let id = *id;
            if self.is_one_of(id, names) {
                return true;
            }
            if self.is_scope_boundary(id, scope) {
                return false;
            }
        }
        false
    }

    fn is_scope_boundary(&self, id: u32, scope: Scope) -> bool {
        match self.ns_of(id) {
            Ns::Html => {
                let f = self.flags(id);
                match scope {
                    Scope::Select => f & F_IN_SELECT == 0,
                    Scope::Table => f & F_TABLE_SCOPE != 0,
                    Scope::Default => f & F_SCOPE != 0,
                    Scope::ListItem => f & (F_SCOPE | F_LIST_SCOPE) != 0,
                    Scope::Button => f & (F_SCOPE | F_BUTTON_SCOPE) != 0,
                }
            }
            Ns::MathMl => {
                scope == Scope::Select
                    || (scope != Scope::Table
                        && matches!(
                            self.name_of(id),
                            "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"
                        ))
            }
            Ns::Svg => {
                scope == Scope::Select
                    || (scope != Scope::Table
                        && matches!(self.name_of(id), "foreignobject" | "desc" | "title"))
            }
        }
    }

    fn generate_implied_end_tags(&mut self, except: &str) {
        while let Some(&id) = self.stack.last() {
            if self.flags(id) & F_IMPLIED_END != 0 && self.name_of(id) != except {
                self.stack.pop();
            } else {
                return;
            }
        }
    }

    fn close_p_in_button_scope(&mut self) {
        let p_in_scope = self
            .stack
            .iter()
            .rev()
            .find(|id| self.flags(**id) & F_P != 0 || self.is_scope_boundary(**id, Scope::Button))
            .is_some_and(|id| self.flags(*id) & F_P != 0);
        if p_in_scope {
            self.generate_implied_end_tags("p");
            self.pop_until(&["p"]);
        }
    }

    fn ensure_html(&mut self) {
        if self.html == NONE {
            let id = self.new_element("html", Ns::Html, &[]);
            self.attach(0, id, NONE);
            self.html = id;
            self.stack.push(id);
        }
    }

    fn ensure_head(&mut self) {
        self.ensure_html();
        if self.head == NONE {
            let id = self.new_element("head", Ns::Html, &[]);
            self.attach(self.html, id, NONE);
            self.head = id;
        }
    }

    fn ensure_body(&mut self) {
        self.ensure_head();
        if self.body == NONE {
            let id = self.new_element("body", Ns::Html, &[]);
            self.attach(self.html, id, NONE);
            self.body = id;
            self.stack.retain(|s| *s == self.html);
            self.stack.push(id);
        }
    }

    fn mode(&self) -> Mode {
        let before_body = if self.body == NONE {
            Mode::BeforeBody
        } else {
            Mode::InBody
        };
        for id in self.stack.iter().rev() {
            match self.flags(*id) & F_MODE {
                0 => {}
                2 => return Mode::InCell,
                3 => return Mode::InRow,
                4 => return Mode::InTableBody,
                5 => return Mode::InTable,
                6 => return Mode::InTemplate,
                _ => return before_body,
            }
        }
        before_body
    }

    /// Whether the current node is SVG or MathML content (not an HTML integration point).
    fn in_foreign_content(&self) -> bool {
        let id = self.current();
        match self.ns_of(id) {
            Ns::Html => false,
            Ns::Svg => !matches!(self.name_of(id), "foreignobject" | "desc" | "title"),
            Ns::MathMl => !matches!(
                self.name_of(id),
                "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"
            ),
        }
    }

    // -- tokens ------------------------------------------------------------------------

    fn text(&mut self, text: &str) {
        let text = if std::mem::take(&mut self.skip_newline) {
            text.strip_prefix('\n').unwrap_or(text)
        } else {
            text
        };
        let owned;
        let text = if text.contains('\0') {
            owned = text.replace('\0', "");
            owned.as_str()
        } else {
            text
        };
        if text.is_empty() {
            return;
        }
        match self.mode() {
            Mode::BeforeBody => {
                let current = self.current();
                if current != NONE && current != self.html && current != self.head {
                    // The text of a `title`, `style`, `script` or `noscript` in the head.
                    self.insert_text(text, false);
                    return;
                }
                let trimmed = text.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
                let leading = text.get(..text.len() - trimmed.len()).unwrap_or("");
                if !leading.is_empty() && self.head != NONE && current != NONE {
                    // White space in or after the head stays where it is.
                    self.insert_text(leading, false);
                }
                if trimmed.is_empty() {
                    return;
                }
                self.ensure_body();
                self.insert_text(trimmed, false);
            }
            Mode::InTable | Mode::InTableBody | Mode::InRow => {
                let foster = !text
                    .chars()
                    .all(|c| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' '));
                if foster {
                    self.reconstruct(true);
                }
                self.insert_text(text, foster);
            }
            _ => {
                self.reconstruct(false);
                self.insert_text(text, false);
            }
        }
    }

    fn start_tag(&mut self, name: &str, self_closing: bool) {
        self.next_state = None;
        self.skip_newline = false;
        if self.in_foreign_content() {
            let breaks_out = BREAKOUT.contains(&name)
                || (name == "font"
                    && self
                        .tag_attrs
                        .iter()
                        .any(|a| matches!(self.doc.name(a.name), "color" | "face" | "size")));
            if !breaks_out {
                let ns = self.ns_of(self.current());
                self.insert_element(name, ns, false);
                if self_closing {
                    self.pop();
                }
                return;
            }
            while self.in_foreign_content() && self.stack.len() > 1 {
                self.pop();
            }
        }
        match self.mode() {
            Mode::BeforeBody => self.start_before_body(name, self_closing),
            Mode::InTable | Mode::InTableBody | Mode::InRow => {
                self.start_in_table(name, self_closing)
            }
            Mode::InCell => {
                if TABLE_PARTS.contains(&name) {
                    if self.in_scope(&["td", "th", "caption"], Scope::Table) {
                        self.close_cell();
                        self.start_tag(name, self_closing);
                    }
                } else {
                    self.start_in_body(name, self_closing);
                }
            }
            Mode::InTemplate | Mode::InBody => self.start_in_body(name, self_closing),
        }
    }

    fn start_before_body(&mut self, name: &str, self_closing: bool) {
        match name {
            "html" => {
                self.ensure_html();
                self.merge_attributes(self.html);
            }
            "head" => {
                if self.head == NONE {
                    self.ensure_html();
                    let id = self.insert_element("head", Ns::Html, false);
                    self.head = id;
                }
            }
            "body" | "frameset" => {
                self.ensure_head();
                self.stack.retain(|s| *s == self.html);
                let id = self.insert_element(name, Ns::Html, false);
                self.body = id;
            }
            _ if HEAD_TAGS.contains(&name) => {
                self.ensure_head();
                let in_head = self
                    .stack
                    .last()
                    .is_some_and(|c| *c == self.head || self.is(*c, "template"));
                if !in_head {
                    self.stack.push(self.head);
                }
                self.start_in_body(name, self_closing);
                if !in_head {
                    // After `</head>`: the element went into the head, which is not reopened.
                    let head = self.head;
                    self.stack.retain(|s| *s != head);
                }
            }
            _ => {
                self.ensure_body();
                self.start_tag(name, self_closing);
            }
        }
    }

    fn start_in_body(&mut self, name: &str, self_closing: bool) {
        match name {
            "input" | "textarea" | "keygen" if self.in_scope(&["select"], Scope::Default) => {
                self.close_select();
                self.start_tag(name, self_closing);
            }
            "html" => {
                if !self.stack.iter().any(|s| self.is(*s, "template")) {
                    self.merge_attributes(self.html);
                }
            }
            "body" => {
                // A second `<body>` adds the attributes the body lacks (a template-soup page
                // whose text started the body early still gets its `class`).
                let in_template = self.stack.iter().any(|s| self.is(*s, "template"));
                if !in_template && self.stack.get(1).is_some_and(|s| self.is(*s, "body")) {
                    self.merge_attributes(self.body);
                }
            }
            "frameset" | "head" => {}
            "svg" | "math" => {
                self.reconstruct(false);
                let ns = if name == "svg" { Ns::Svg } else { Ns::MathMl };
                self.insert_element(name, ns, false);
                if self_closing {
                    self.pop();
                }
            }
            _ if CLOSES_P.contains(&name) => {
                self.close_p_in_button_scope();
                self.insert_element(name, Ns::Html, false);
            }
            _ if HEADINGS.contains(&name) => {
                self.close_p_in_button_scope();
                if self.is_one_of(self.current(), HEADINGS) {
                    self.pop();
                }
                self.insert_element(name, Ns::Html, false);
            }
            "pre" | "listing" => {
                self.close_p_in_button_scope();
                self.insert_element(name, Ns::Html, false);
                self.skip_newline = true;
            }
            "form" => {
                let in_template = self.stack.iter().any(|s| self.is(*s, "template"));
                if self.form != NONE && !in_template {
                    return;
                }
                self.close_p_in_button_scope();
                let id = self.insert_element(name, Ns::Html, false);
                if !in_template {
                    self.form = id;
                }
            }
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if name == "li" { &["li"] } else { &["dd", "dt"] };
                for i in (0..self.stack.len()).rev() {
                    let id = self.stack.get(i).copied().unwrap_or(NONE);
                    if self.is_one_of(id, closes) {
                        let n = self.name_of(id).to_string();
                        self.generate_implied_end_tags(&n);
                        self.pop_until(&[n.as_str()]);
                        break;
                    }
                    if self.is_one_of(id, SPECIAL) && !self.is_one_of(id, &["address", "div", "p"])
                    {
                        break;
                    }
                }
                self.close_p_in_button_scope();
                self.insert_element(name, Ns::Html, false);
            }
            "plaintext" => {
                self.close_p_in_button_scope();
                self.insert_element(name, Ns::Html, false);
                self.next_state = Some(TextState::PlainText);
            }
            "button" => {
                if self.in_scope(&["button"], Scope::Default) {
                    self.generate_implied_end_tags("");
                    self.pop_until(&["button"]);
                }
                self.reconstruct(false);
                self.insert_element(name, Ns::Html, false);
            }
            "a" => {
                let after_marker = self
                    .formatting
                    .iter()
                    .rposition(Option::is_none)
                    .map_or(0, |m| m + 1);
                let open_a = self
                    .formatting
                    .iter()
                    .skip(after_marker)
                    .flatten()
                    .find_map(|f| (self.doc.name(f.name) == "a").then_some(f.id));
                if let Some(a) = open_a {
                    self.adoption_agency("a");
                    self.formatting
                        .retain(|e| e.as_ref().is_none_or(|f| f.id != a));
                    self.stack.retain(|s| *s != a);
                }
                self.reconstruct(false);
                let id = self.insert_element(name, Ns::Html, false);
                self.push_formatting(id);
            }
            "nobr" => {
                self.reconstruct(false);
                if self.in_scope(&["nobr"], Scope::Default) {
                    self.adoption_agency("nobr");
                    self.reconstruct(false);
                }
                let id = self.insert_element(name, Ns::Html, false);
                self.push_formatting(id);
            }
            _ if FORMATTING.contains(&name) => {
                self.reconstruct(false);
                let id = self.insert_element(name, Ns::Html, false);
                self.push_formatting(id);
            }
            "applet" | "marquee" | "object" => {
                self.reconstruct(false);
                self.insert_element(name, Ns::Html, false);
                self.formatting.push(None);
            }
            "table" => {
                if !self.quirks {
                    self.close_p_in_button_scope();
                }
                self.insert_element(name, Ns::Html, false);
            }
            "hr" => {
                self.close_p_in_button_scope();
                if self.in_scope(&["select"], Scope::Default) {
                    self.generate_implied_end_tags("");
                }
                self.insert_element(name, Ns::Html, false);
                self.pop();
            }
            "image" => {
                self.reconstruct(false);
                self.insert_element("img", Ns::Html, false);
                self.pop();
            }
            _ if VOID.contains(&name) => {
                if !matches!(
                    name,
                    "param"
                        | "source"
                        | "track"
                        | "base"
                        | "basefont"
                        | "bgsound"
                        | "link"
                        | "meta"
                        | "frame"
                        | "col"
                ) {
                    self.reconstruct(false);
                }
                self.insert_element(name, Ns::Html, false);
                self.pop();
            }
            "textarea" => {
                self.insert_element(name, Ns::Html, false);
                self.skip_newline = true;
                self.next_state = Some(TextState::RcData);
            }
            "title" => {
                self.insert_element(name, Ns::Html, false);
                self.next_state = Some(TextState::RcData);
            }
            "xmp" => {
                self.close_p_in_button_scope();
                self.reconstruct(false);
                self.insert_element(name, Ns::Html, false);
                self.next_state = Some(TextState::RawText);
            }
            // `noscript` as with the scripting flag set: the snapshot is of a page whose
            // scripts run, where what a `noscript` holds is never shown.
            "style" | "iframe" | "noembed" | "noframes" | "noscript" => {
                self.insert_element(name, Ns::Html, false);
                self.next_state = Some(TextState::RawText);
            }
            "script" => {
                self.insert_element(name, Ns::Html, false);
                self.next_state = Some(TextState::ScriptData);
            }
            // `select` holds any content (the "customizable select" parsing that WHATWG and
            // Chromium adopted in 2025: there is no "in select" insertion mode any more).
            "select" if self.in_scope(&["select"], Scope::Default) => self.close_select(),
            "select" => {
                self.reconstruct(false);
                self.insert_element(name, Ns::Html, false);
            }
            "option" => {
                if self.in_scope(&["select"], Scope::Default) {
                    self.generate_implied_end_tags("optgroup");
                } else if self.is(self.current(), "option") {
                    self.pop();
                }
                self.reconstruct(false);
                self.insert_element(name, Ns::Html, false);
            }
            "optgroup" => {
                if self.in_scope(&["select"], Scope::Default) {
                    self.generate_implied_end_tags("");
                } else if self.is(self.current(), "option") {
                    self.pop();
                }
                self.reconstruct(false);
                self.insert_element(name, Ns::Html, false);
            }
            _ if TABLE_PARTS.contains(&name) => {
                // Outside a table (or a template), table parts are ignored.
                if self.is(self.current(), "template") {
                    self.insert_element(name, Ns::Html, false);
                    if name == "col" {
                        self.pop();
                    }
                }
            }
            _ => {
                self.reconstruct(false);
                self.insert_element(name, Ns::Html, false);
            }
        }
    }

    fn clear_to(&mut self, names: &[&str]) {
        while let Some(&id) = self.stack.last() {
            if self.is_one_of(id, names) || id == self.html {
                return;
            }
            self.stack.pop();
        }
    }

    fn close_cell(&mut self) {
        self.generate_implied_end_tags("");
        self.pop_until(&["td", "th", "caption"]);
        self.clear_formatting_to_marker();
    }

    fn start_in_table(&mut self, name: &str, self_closing: bool) {
        let mode = self.mode();
        match name {
            "caption" if mode == Mode::InTable => {
                self.clear_to(&["table", "template"]);
                self.insert_element(name, Ns::Html, false);
                self.formatting.push(None);
            }
            "colgroup" | "col" if mode == Mode::InTable => {
                self.clear_to(&["table", "template"]);
                if name == "col" {
                    self.insert_element("colgroup", Ns::Html, false);
                }
                self.insert_element(name, Ns::Html, false);
                self.pop();
                if name == "col" {
                    self.pop();
                }
            }
            "tbody" | "thead" | "tfoot" if mode == Mode::InTable => {
                self.clear_to(&["table", "template"]);
                self.insert_element(name, Ns::Html, false);
            }
            "tr" | "td" | "th" if mode == Mode::InTable => {
                self.clear_to(&["table", "template"]);
                self.tag_attrs_save_and(|b| {
                    b.insert_element("tbody", Ns::Html, false);
                });
                self.start_tag(name, self_closing);
            }
            "tr" if mode == Mode::InTableBody => {
                self.clear_to(&["tbody", "thead", "tfoot", "template"]);
                self.insert_element(name, Ns::Html, false);
            }
            "td" | "th" if mode == Mode::InTableBody => {
                self.clear_to(&["tbody", "thead", "tfoot", "template"]);
                self.tag_attrs_save_and(|b| {
                    b.insert_element("tr", Ns::Html, false);
                });
                self.start_tag(name, self_closing);
            }
            "td" | "th" if mode == Mode::InRow => {
                self.clear_to(&["tr", "template"]);
                self.insert_element(name, Ns::Html, false);
                self.formatting.push(None);
            }
            "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" | "tr"
                if mode != Mode::InTable =>
            {
                // Closes the row (and the section) it is in, then starts again.
                if mode == Mode::InRow {
                    self.clear_to(&["tr", "template"]);
                    self.pop();
                } else {
                    self.clear_to(&["tbody", "thead", "tfoot", "template"]);
                    self.pop();
                }
                self.start_tag(name, self_closing);
            }
            "table" => {
                if self.in_scope(&["table"], Scope::Table) {
                    self.pop_until(&["table"]);
                    self.start_tag(name, self_closing);
                }
            }
            "style" | "script" | "template" => self.start_in_body(name, self_closing),
            "input"
                if self
                    .tag_attrs
                    .iter()
                    .find(|a| self.doc.name(a.name) == "type")
                    .is_some_and(|a| self.doc.string(a.value).eq_ignore_ascii_case("hidden")) =>
            {
                self.insert_element(name, Ns::Html, false);
                self.pop();
            }
            "form" => {
                let in_template = self.stack.iter().any(|s| self.is(*s, "template"));
                if self.form == NONE && !in_template {
                    let id = self.insert_element(name, Ns::Html, false);
                    self.form = id;
                    self.pop();
                }
            }
            _ => {
                // Anything else is moved out, before the table.
                // Anything else goes by the in-body rules, with foster parenting: what it makes
                // is moved out, before the table.
                self.foster = true;
                self.start_in_body(name, self_closing);
                self.foster = false;
            }
        }
    }

    fn merge_attributes(&mut self, id: u32) {
        let mut list = self.doc.attrs_of(id).to_vec();
        let before = list.len();
        for a in &self.tag_attrs {
            if !list.iter().any(|l| l.name == a.name) {
                list.push(*a);
            }
        }
        if list.len() > before {
            self.doc.set_attrs(id, list);
        }
    }

    // -- active formatting elements (misnested `<b>`, `<a>`, `<code>` …) ------------------

    fn push_formatting(&mut self, id: u32) {
        let Some(Kind::Element { name, .. }) = self.doc.data(id).map(|d| d.kind.clone()) else {
            return;
        };
        let attrs = self.doc.attrs_of(id).to_vec();
        // Noah's Ark: at most three equal entries after the last marker.
        let after_marker = self
            .formatting
            .iter()
            .rposition(Option::is_none)
            .map_or(0, |m| m + 1);
        let same: Vec<usize> = self
            .formatting
            .iter()
            .enumerate()
            .skip(after_marker)
            .filter(|(_, e)| {
                e.as_ref()
                    .is_some_and(|e| e.name == name && self.same_attributes(&e.attrs, &attrs))
            })
            .map(|(i, _)| i)
            .collect();
        if same.len() >= 3 {
            if let Some(first) = same.first() {
                self.formatting.remove(*first);
            }
        }
        self.formatting.push(Some(Formatting { id, name, attrs }));
    }

    fn same_attributes(&self, a: &[Attr], b: &[Attr]) -> bool {
        a.len() == b.len()
            && a.iter().all(|x| {
                b.iter().any(|y| {
                    y.name == x.name && self.doc.string(y.value) == self.doc.string(x.value)
                })
            })
    }

    /// Closes the open select (a formatting element left open inside it is reopened after
    /// it, as in Chromium).
    fn close_select(&mut self) {
        self.pop_until(&["select"]);
    }

    fn clear_formatting_to_marker(&mut self) {
        while let Some(entry) = self.formatting.pop() {
            if entry.is_none() {
                return;
            }
        }
    }

    /// Reopens formatting elements that were closed by a block but never ended (`<b>x<p>y`:
    /// the `y` is bold too).
    fn reconstruct(&mut self, foster: bool) {
        let open = |b: &Builder, e: &Option<Formatting>| match e {
            None => true,
            Some(f) => b.stack.contains(&f.id),
        };
        let Some(last) = self.formatting.last() else {
            return;
        };
        if open(self, last) {
            return;
        }
        let mut i = self.formatting.len() - 1;
        while i > 0 {
            let before = self.formatting.get(i - 1);
            if before.is_none_or(|e| open(self, e)) {
                break;
            }
            i -= 1;
        }
        while let Some(Some(entry)) = self.formatting.get(i).cloned() {
            let name = self.doc.name(entry.name).to_string();
            let id = self.new_element(&name, Ns::Html, &entry.attrs);
            self.attach_new_element(id, foster);
            self.stack.push(id);
            if let Some(slot) = self.formatting.get_mut(i) {
                *slot = Some(Formatting { id, ..entry });
            }
            i += 1;
        }
    }

    /// The adoption agency algorithm for the end tag `subject` (a formatting element's).
    /// `false`: act as for any other end tag.
    fn adoption_agency(&mut self, subject: &str) -> bool {
        let current = self.current();
        if self.is(current, subject) && !self.formatting.iter().flatten().any(|f| f.id == current) {
            self.pop();
            return true;
        }
        for _ in 0..8 {
            let after_marker = self
                .formatting
                .iter()
                .rposition(Option::is_none)
                .map_or(0, |m| m + 1);
            let Some(fmt_at) = (after_marker..self.formatting.len()).rev().find(|i| {
                matches!(self.formatting.get(*i), Some(Some(f)) if self.doc.name(f.name) == subject)
            }) else {
                return false;
            };
            let Some(Some(fmt)) = self.formatting.get(fmt_at).cloned() else {
                return false;
            };
            let Some(fmt_stack) = self.stack.iter().position(|s| *s == fmt.id) else {
                self.formatting.remove(fmt_at);
                return true;
            };
            if !self.element_in_scope(fmt.id) {
                return true;
            }
            let furthest = (fmt_stack + 1..self.stack.len())
                .find(|i| self.stack.get(*i).is_some_and(|id| self.is_special(*id)));
            let Some(furthest_at) = furthest else {
                self.stack.truncate(fmt_stack);
                self.formatting.remove(fmt_at);
                return true;
            };
            let furthest_block = self.stack.get(furthest_at).copied().unwrap_or(NONE);
            let common_ancestor = fmt_stack
                .checked_sub(1)
                .and_then(|i| self.stack.get(i))
                .copied()
                .unwrap_or(self.html);
            let mut bookmark = fmt_at;
            let mut node_at = furthest_at;
            let mut last_node = furthest_block;
            let mut inner = 0;
            loop {
                inner += 1;
                let Some(above) = node_at.checked_sub(1) else {
                    break;
                };
                node_at = above;
                let Some(&node) = self.stack.get(node_at) else {
                    break;
                };
                if node == fmt.id {
                    break;
                }
                let mut entry_at = self
                    .formatting
                    .iter()
                    .position(|e| e.as_ref().is_some_and(|f| f.id == node));
                if inner > 3 {
                    if let Some(at) = entry_at {
                        self.formatting.remove(at);
                        if at < bookmark {
                            bookmark -= 1;
                        }
                        entry_at = None;
                    }
                }
                let Some(at) = entry_at else {
                    self.stack.remove(node_at);
                    continue;
                };
                let Some(Some(entry)) = self.formatting.get(at).cloned() else {
                    break;
                };
                let name = self.doc.name(entry.name).to_string();
                let new = self.new_element(&name, Ns::Html, &entry.attrs);
                if let Some(slot) = self.formatting.get_mut(at) {
                    *slot = Some(Formatting { id: new, ..entry });
                }
                if let Some(slot) = self.stack.get_mut(node_at) {
                    *slot = new;
                }
                if last_node == furthest_block {
                    bookmark = at + 1;
                }
                self.doc.detach(super::NodeId(last_node));
                self.attach(new, last_node, NONE);
                last_node = new;
            }
            self.doc.detach(super::NodeId(last_node));
            if self.is_one_of(common_ancestor, &["table", "tbody", "tfoot", "thead", "tr"]) {
                let saved = std::mem::replace(&mut self.stack, vec![common_ancestor]);
                let (parent, before) = self.insertion_place(true);
                self.stack = saved;
                self.attach(parent, last_node, before);
            } else {
                self.attach(common_ancestor, last_node, NONE);
            }
            let name = self.doc.name(fmt.name).to_string();
            let new = self.new_element(&name, Ns::Html, &fmt.attrs);
            let children: Vec<u32> = std::iter::successors(
                self.doc
                    .data(furthest_block)
                    .map(|d| d.first)
                    .filter(|c| *c != NONE),
                |c| self.doc.data(*c).map(|d| d.next).filter(|n| *n != NONE),
            )
            .collect();
            for child in children {
                self.doc.detach(super::NodeId(child));
                self.attach(new, child, NONE);
            }
            self.attach(furthest_block, new, NONE);
            if let Some(at) = self
                .formatting
                .iter()
                .position(|e| e.as_ref().is_some_and(|f| f.id == fmt.id))
            {
                self.formatting.remove(at);
                if at < bookmark {
                    bookmark -= 1;
                }
            }
            let bookmark = bookmark.min(self.formatting.len());
            self.formatting.insert(
                bookmark,
                Some(Formatting {
                    id: new,
                    name: fmt.name,
                    attrs: fmt.attrs.clone(),
                }),
            );
            self.stack.retain(|s| *s != fmt.id);
            if let Some(at) = self.stack.iter().position(|s| *s == furthest_block) {
                self.stack.insert(at + 1, new);
            }
        }
        true
    }

    /// Whether this very element is in (default) scope.
    fn element_in_scope(&self, id: u32) -> bool {
        for s in self.stack.iter().rev() {
            if *s == id {
                return true;
            }
            if self.is_scope_boundary(*s, Scope::Default) {
                return false;
            }
        }
        false
    }

    fn is_special(&self, id: u32) -> bool {
        match self.ns_of(id) {
            Ns::Html => self.flags(id) & F_SPECIAL != 0,
            Ns::MathMl => matches!(
                self.name_of(id),
                "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"
            ),
            Ns::Svg => matches!(self.name_of(id), "foreignobject" | "desc" | "title"),
        }
    }

    fn tag_attrs_save_and(&mut self, f: impl FnOnce(&mut Builder)) {
        let saved = std::mem::take(&mut self.tag_attrs);
        f(self);
        self.tag_attrs = saved;
    }

    fn end_tag(&mut self, name: &str) {
        self.skip_newline = false;
        // An end tag while the current node is SVG or MathML, integration points (`desc`,
        // `title`, `foreignObject`, `mi`…) included, follows the rules for foreign content:
        // it closes the nearest open foreign element of its name, else goes to the HTML rules
        // (`</br>` and `</p>` after leaving the foreign elements). Left to the HTML rules, an
        // SVG `</desc>` was ignored (`desc` is "special") and the rest of the page ended up
        // inside the `desc`.
        let current = self.current();
        if current != NONE && self.ns_of(current) != Ns::Html {
            if name == "br" || name == "p" {
                while self.stack.len() > 1
                    && self.ns_of(self.current()) != Ns::Html
                    && self.in_foreign_content()
                {
                    self.pop();
                }
            } else {
                for i in (0..self.stack.len()).rev() {
                    let id = self.stack.get(i).copied().unwrap_or(NONE);
                    if self.ns_of(id) == Ns::Html {
                        break;
                    }
                    if self.name_of(id).eq_ignore_ascii_case(name) {
                        self.stack.truncate(i);
                        return;
                    }
                }
            }
        }
        match self.mode() {
            Mode::BeforeBody => self.end_before_body(name),
            Mode::InTable | Mode::InTableBody | Mode::InRow | Mode::InCell => {
                self.end_in_table(name)
            }
            Mode::InTemplate | Mode::InBody => self.end_in_body(name),
        }
    }

    fn end_before_body(&mut self, name: &str) {
        match name {
            "head" => {
                if self.stack.last() == Some(&self.head) {
                    self.pop();
                }
            }
            "body" | "html" | "br" => {
                if name == "br" {
                    self.ensure_body();
                    self.start_tag("br", false);
                }
            }
            _ => {
                // The end of an element in the head (`</title>`, `</noscript>`).
                if let Some(i) = self.stack.iter().rposition(|s| self.name_of(*s) == name) {
                    if i > 0 {
                        self.stack.truncate(i);
                    }
                }
            }
        }
    }

    fn end_in_table(&mut self, name: &str) {
        match name {
            "td" | "th" | "caption" => {
                if self.in_scope(&[name], Scope::Table) {
                    self.generate_implied_end_tags("");
                    self.pop_until(&[name]);
                    self.clear_formatting_to_marker();
                }
            }
            "tr" => {
                if self.in_scope(&["tr"], Scope::Table) {
                    self.clear_to(&["tr", "template"]);
                    if self.is(self.current(), "tr") {
                        self.pop();
                    }
                }
            }
            "tbody" | "thead" | "tfoot" => {
                if self.in_scope(&[name], Scope::Table) {
                    self.clear_to(&["tbody", "thead", "tfoot", "template"]);
                    if self.is_one_of(self.current(), &["tbody", "thead", "tfoot"]) {
                        self.pop();
                    }
                }
            }
            "table" => {
                if self.in_scope(&["table"], Scope::Table) {
                    self.pop_until(&["table"]);
                }
            }
            "body" | "col" | "colgroup" | "html" => {}
            _ => {
                // In-body rules: in a table they only close what was fostered or is in a
                // cell (table parts are special and stop them).
                self.end_in_body(name);
            }
        }
    }

    fn end_in_body(&mut self, name: &str) {
        match name {
            "body" | "html" => {}
            "template" => {
                if self.stack.iter().any(|s| self.is(*s, "template")) {
                    self.generate_implied_end_tags("");
                    self.pop_until(&["template"]);
                    self.clear_formatting_to_marker();
                }
            }
            _ if FORMATTING.contains(&name) => {
                if !self.adoption_agency(name) {
                    self.any_other_end_tag(name);
                }
            }
            "applet" | "marquee" | "object" => {
                if self.in_scope(&[name], Scope::Default) {
                    self.generate_implied_end_tags("");
                    self.pop_until(&[name]);
                    self.clear_formatting_to_marker();
                }
            }
            "select" => {
                if self.in_scope(&["select"], Scope::Default) {
                    self.generate_implied_end_tags("");
                    self.close_select();
                }
            }
            "form" => {
                let in_template = self.stack.iter().any(|s| self.is(*s, "template"));
                if in_template {
                    if self.in_scope(&["form"], Scope::Default) {
                        self.generate_implied_end_tags("");
                        self.pop_until(&["form"]);
                    }
                    return;
                }
                let form = std::mem::replace(&mut self.form, NONE);
                if form == NONE || !self.stack.contains(&form) {
                    return;
                }
                let in_scope = {
                    let mut found = false;
                    for id in self.stack.iter().rev() {
                        if *id == form {
                            found = true;
                            break;
                        }
                        if self.is_one_of(
                            *id,
                            &[
                                "applet", "caption", "html", "table", "td", "th", "marquee",
                                "object", "template",
                            ],
                        ) {
                            break;
                        }
                    }
                    found
                };
                if in_scope {
                    self.generate_implied_end_tags("");
                    self.stack.retain(|s| *s != form);
                }
            }
            "p" => {
                if !self.in_scope(&["p"], Scope::Button) {
                    self.tag_attrs_save_and(|b| {
                        b.insert_element("p", Ns::Html, false);
                    });
                }
                self.generate_implied_end_tags("p");
                self.pop_until(&["p"]);
            }
            "li" => {
                if self.in_scope(&["li"], Scope::ListItem) {
                    self.generate_implied_end_tags("li");
                    self.pop_until(&["li"]);
                }
            }
            "dd" | "dt" => {
                if self.in_scope(&[name], Scope::Default) {
                    self.generate_implied_end_tags(name);
                    self.pop_until(&[name]);
                }
            }
            _ if HEADINGS.contains(&name) => {
                if self.in_scope(HEADINGS, Scope::Default) {
                    self.generate_implied_end_tags("");
                    self.pop_until(HEADINGS);
                }
            }
            "br" => {
                self.tag_attrs.clear();
                self.start_tag("br", false);
            }
            _ if BLOCK_END.contains(&name) => {
                if self.in_scope(&[name], Scope::Default) {
                    self.generate_implied_end_tags("");
                    self.pop_until(&[name]);
                }
            }
            _ => self.any_other_end_tag(name),
        }
    }

    /// Any other end tag: the nearest open element of that name, unless a special element is
    /// in the way.
    fn any_other_end_tag(&mut self, name: &str) {
        {
            {
                for i in (0..self.stack.len()).rev() {
                    let id = self.stack.get(i).copied().unwrap_or(NONE);
                    if self.ns_of(id) == Ns::Html && self.name_of(id) == name {
                        self.generate_implied_end_tags(name);
                        self.stack.truncate(i);
                        return;
                    }
                    if self.flags(id) & F_SPECIAL != 0 || self.ns_of(id) != Ns::Html && i == 0 {
                        return;
                    }
                }
            }
        }
    }
}
