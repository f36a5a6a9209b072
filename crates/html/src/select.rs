//! The CSS selectors the readers use, matched on [`Node`]s: lists (`a, b`), descendant and
//! child combinators, type and universal selectors, `.class`, `#id`, attribute selectors
//! (`[a]`, `=`, `~=`, `|=`, `^=`, `$=`, `*=`, with the ` i` flag), `:not(…)` and `:is(…)`
//! taking selector lists (Selectors Level 4, as Chrome matches them).
//!
//! A selector outside this grammar does not parse ([`Selector::parse`] returns `None`), and a
//! query with it finds nothing, rather than something else.

use super::{Document, Kind, Node, Ns, NONE};
use std::cell::Cell;

/// A name's interned id in the last document it was looked up in: matching then compares
/// numbers, not strings.
#[derive(Debug, Clone, Default)]
struct NameId(Cell<Option<(u32, (u64, usize))>>);

impl PartialEq for NameId {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl NameId {
    fn get(&self, doc: &Document, name: &str) -> u32 {
        let key = doc.names_key();
        if let Some((id, k)) = self.0.get() {
            if k == key {
                return id;
            }
        }
        let (id, key) = doc.name_id(name);
        self.0.set(Some((id, key)));
        id
    }
}

/// A parsed selector list.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    list: Vec<Complex>,
    /// The list's selectors by what their subject must have, for one document ([`Buckets`]).
    buckets: BucketCell,
}

/// A list this long or longer is matched through [`Buckets`]; a shorter one tries each
/// selector in turn.
const BUCKETED: usize = 4;

/// What an element must have for a selector to match it: its tag, or an attribute (`.c` and
/// `#i` need `class` and `id`). A selector whose subject is `:is(a, [b])` needs one of several.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Tag(String),
    Attr(String),
    /// An attribute with exactly this value (`#i`, `[role=row]`: compared case-sensitively).
    AttrValue(String, String),
}

/// The selectors of a list by key, with the names interned as one document interned them
/// (the "rule hash" browsers match style rules with): an element is tried only against the
/// selectors that its tag or one of its attributes names, and those with no key. One list of
/// 30 selectors on a 140,000-element page (the Mailgun reader's controls) tried every selector
/// on every element.
#[derive(Debug, Default)]
pub(crate) struct Buckets {
    /// The document and the names it had interned when this was built ([`Document::names_key`]).
    key: (u64, usize),
    /// By the interned name: the selectors whose subject has that tag.
    by_tag: Vec<Vec<u16>>,
    /// By the interned name: the selectors whose subject needs that attribute.
    by_attr: Vec<Vec<u16>>,
    /// By the interned name, then the value: the selectors whose subject needs that attribute
    /// with that value (a page's 70,000 `role=cell` elements are not tried against
    /// `[role=combobox]`).
    by_attr_value: Vec<Vec<(String, Vec<u16>)>>,
    /// Selectors with no key: tried on every element.
    any: Vec<u16>,
}

#[derive(Debug, Clone, Default)]
struct BucketCell(std::cell::RefCell<Option<std::rc::Rc<Buckets>>>);

impl PartialEq for BucketCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Compounds joined by combinators, stored right to left (the subject first).
#[derive(Debug, Clone, PartialEq)]
struct Complex {
    subject: Compound,
    /// (combinator to the left of the previous compound, that compound).
    rest: Vec<(Combinator, Compound)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Combinator {
    Descendant,
    Child,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Compound {
    /// Lower-case type name; `None` for `*` or none given.
    tag: Option<String>,
    tag_id: NameId,
    parts: Vec<Simple>,
}

#[derive(Debug, Clone, PartialEq)]
enum Simple {
    /// A class, and the interned id of `class`.
    Class(String, NameId),
    /// An id, and the interned id of `id`.
    Id(String, NameId),
    Attr {
        name: String,
        name_id: NameId,
        test: Option<(Op, String)>,
        case_insensitive: bool,
        /// HTML matches this attribute's values case-insensitively ([`CASE_INSENSITIVE`]).
        html_case_insensitive: bool,
    },
    Not(Selector),
    Is(Selector),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Equals,
    Includes,
    DashMatch,
    Prefix,
    Suffix,
    Substring,
}

impl Selector {
    /// Parses a selector list; `None` if any part is outside the supported grammar.
    pub fn parse(text: &str) -> Option<Selector> {
        let mut p = Parser { rest: text };
        let list = p.list()?;
        p.skip_ws();
        p.rest.is_empty().then_some(list)
    }

    /// [`Selector::parse`], remembered: the readers use a few dozen selectors, some once per
    /// row of a 10,000-row page. A short list, the last used first (a row's few selectors are
    /// found in the first places), rather than a hash map: smaller in the module, as fast here.
    pub fn cached(text: &str) -> Option<std::rc::Rc<Selector>> {
        type Cache = Vec<(Box<str>, Option<std::rc::Rc<Selector>>)>;
        thread_local! {
            static CACHE: std::cell::RefCell<Cache> = const { std::cell::RefCell::new(Vec::new()) };
        }
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(i) = cache.iter().position(|(t, _)| **t == *text) {
                cache.get_mut(..=i)?.rotate_right(1);
                return cache.first().and_then(|(_, s)| s.clone());
            }
            cache.truncate(255);
            let parsed = Selector::parse(text).map(std::rc::Rc::new);
            cache.insert(0, (text.into(), parsed.clone()));
            parsed
        })
    }

    /// Whether the element matches any selector of the list.
    pub fn matches(&self, node: Node<'_>) -> bool {
        self.matches_in(node, None)
    }

    /// [`Selector::matches`], told what the elements above `node` hold when a walk knows it
    /// ([`Ancestors`]).
    pub(crate) fn matches_in(&self, node: Node<'_>, above: Option<&Ancestors>) -> bool {
        if !node.is_element() {
            return false;
        }
        if self.list.len() < BUCKETED {
            return self.list.iter().any(|c| c.matches(node, above));
        }
        self.matches_by(node, above, &self.buckets(node.document()))
    }

    /// The list's [`Buckets`] for `doc` when it is matched through them: a walk fetches them
    /// once, not once an element.
    pub(crate) fn buckets_for(&self, doc: &Document) -> Option<std::rc::Rc<Buckets>> {
        (self.list.len() >= BUCKETED).then(|| self.buckets(doc))
    }

    /// [`Selector::matches_in`] with the list's buckets from [`Selector::buckets_for`].
    pub(crate) fn matches_walked(
        &self,
        node: Node<'_>,
        above: &Ancestors,
        buckets: Option<&Buckets>,
    ) -> bool {
        match buckets {
            Some(buckets) if node.is_element() => self.matches_by(node, Some(above), buckets),
            _ => self.matches_in(node, Some(above)),
        }
    }

    fn matches_by(&self, node: Node<'_>, above: Option<&Ancestors>, buckets: &Buckets) -> bool {
        let try_all = |ids: Option<&Vec<u16>>| {
            ids.is_some_and(|ids| {
                ids.iter().any(|&i| {
                    self.list
                        .get(usize::from(i))
                        .is_some_and(|c| c.matches(node, above))
                })
            })
        };
        let tag = match node.data().map(|d| &d.kind) {
            Some(Kind::Element { name, .. }) => *name,
            _ => NONE,
        };
        let doc = node.document();
        try_all(buckets.by_tag.get(tag as usize))
            || node.attrs().iter().any(|a| {
                try_all(buckets.by_attr.get(a.name as usize))
                    || buckets
                        .by_attr_value
                        .get(a.name as usize)
                        .is_some_and(|values| {
                            let value = doc.string(a.value);
                            values
                                .iter()
                                .any(|(v, ids)| v == value && try_all(Some(ids)))
                        })
            })
            || try_all(Some(&buckets.any))
    }

    /// The list's [`Buckets`] for `doc`, built on the first use in that document (and again
    /// when it interned more names). Out of line: it runs once per list and document.
    #[inline(never)]
    fn buckets(&self, doc: &Document) -> std::rc::Rc<Buckets> {
        let key = doc.names_key();
        if let Some(b) = self.buckets.0.borrow().as_ref() {
            if b.key == key {
                return b.clone();
            }
        }
        let mut b = Buckets {
            key,
            ..Buckets::default()
        };
        for (i, complex) in self.list.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            let Some(keys) = complex.subject.keys() else {
                b.any.push(i);
                continue;
            };
            for k in keys {
                let name = match &k {
                    Key::Tag(name) | Key::Attr(name) | Key::AttrValue(name, _) => name,
                };
                // A name the document never interned is on none of its elements.
                let (id, _) = doc.name_id(name);
                if id == NONE {
                    continue;
                }
                let id = id as usize;
                let ids = match k {
                    Key::Tag(_) => slot(&mut b.by_tag, id),
                    Key::Attr(_) => slot(&mut b.by_attr, id),
                    Key::AttrValue(_, value) => slot(&mut b.by_attr_value, id).and_then(|values| {
                        if !values.iter().any(|(v, _)| *v == value) {
                            values.push((value.clone(), Vec::new()));
                        }
                        values
                            .iter_mut()
                            .find(|(v, _)| *v == value)
                            .map(|(_, ids)| ids)
                    }),
                };
                let Some(ids) = ids else {
                    continue;
                };
                if !ids.contains(&i) {
                    ids.push(i);
                }
            }
        }
        let b = std::rc::Rc::new(b);
        *self.buckets.0.borrow_mut() = Some(b.clone());
        b
    }
}

/// The list at `id`, the lists grown to hold it.
fn slot<T>(lists: &mut Vec<Vec<T>>, id: usize) -> Option<&mut Vec<T>> {
    if lists.len() <= id {
        lists.resize_with(id + 1, Vec::new);
    }
    lists.get_mut(id)
}

impl Complex {
    fn matches(&self, node: Node<'_>, above: Option<&Ancestors>) -> bool {
        self.subject.matches(node, above)
            && above.is_none_or(|a| {
                let doc = node.document();
                self.rest.iter().all(|(_, c)| a.may_hold(c, doc))
            })
            && matches_rest(&self.rest, node, above)
    }
}

/// Whether the compounds left of `node`'s match hold, with backtracking over ancestors for
/// the descendant combinator.
fn matches_rest(
    rest: &[(Combinator, Compound)],
    node: Node<'_>,
    above: Option<&Ancestors>,
) -> bool {
    let Some(((combinator, compound), further)) = rest.split_first() else {
        return true;
    };
    match combinator {
        Combinator::Child => node
            .parent_element()
            .is_some_and(|p| compound.matches(p, above) && matches_rest(further, p, above)),
        Combinator::Descendant => {
            let mut current = node.parent_element();
            while let Some(a) = current {
                if compound.matches(a, above) && matches_rest(further, a, above) {
                    return true;
                }
                current = a.parent_element();
            }
            false
        }
    }
}

impl Compound {
    /// What an element must have to match ([`Key`]): one of the keys returned; `None` when
    /// any element might (`*`, `:not(…)` alone).
    #[inline(never)]
    fn keys(&self) -> Option<Vec<Key>> {
        if let Some(tag) = &self.tag {
            return Some(vec![Key::Tag(tag.clone())]);
        }
        for part in &self.parts {
            match part {
                Simple::Class(..) => return Some(vec![Key::Attr("class".into())]),
                Simple::Id(want, _) => {
                    return Some(vec![Key::AttrValue("id".into(), want.clone())])
                }
                // A value compared as it is: the attribute with that value.
                Simple::Attr {
                    name,
                    test: Some((Op::Equals, value)),
                    case_insensitive: false,
                    html_case_insensitive: false,
                    ..
                } => return Some(vec![Key::AttrValue(name.clone(), value.clone())]),
                Simple::Attr { name, .. } => return Some(vec![Key::Attr(name.clone())]),
                Simple::Not(_) | Simple::Is(_) => {}
            }
        }
        // `:is(a, b)`: one of its selectors' keys.
        self.parts.iter().find_map(|part| match part {
            Simple::Is(list) => list
                .list
                .iter()
                .map(|c| c.subject.keys())
                .collect::<Option<Vec<Vec<Key>>>>()
                .map(|keys| keys.concat()),
            _ => None,
        })
    }

    fn matches(&self, node: Node<'_>, above: Option<&Ancestors>) -> bool {
        if let Some(tag) = &self.tag {
            if let Some(id) = node.html_name_id() {
                if id != self.tag_id.get(node.document(), tag) {
                    return false;
                }
                return self.parts.iter().all(|s| s.matches(node, above));
            }
            let Some(name) = node.tag() else {
                return false;
            };
            let same = match node.namespace() {
                Some(Ns::Html) => name == tag,
                _ => name.eq_ignore_ascii_case(tag),
            };
            if !same {
                return false;
            }
        }
        self.parts.iter().all(|s| s.matches(node, above))
    }
}

impl Simple {
    fn matches(&self, node: Node<'_>, above: Option<&Ancestors>) -> bool {
        match self {
            Simple::Class(c, class_id) => {
                let id = class_id.get(node.document(), "class");
                id != NONE
                    && node
                        .attr_by_id(id)
                        .is_some_and(|list| list.split_ascii_whitespace().any(|x| x == c))
            }
            Simple::Id(want, id_attr) => {
                let id = id_attr.get(node.document(), "id");
                id != NONE && node.attr_by_id(id) == Some(want.as_str())
            }
            Simple::Not(list) => !list.matches_in(node, above),
            Simple::Is(list) => list.matches_in(node, above),
            Simple::Attr {
                name,
                name_id,
                test,
                case_insensitive,
                html_case_insensitive,
            } => {
                let id = name_id.get(node.document(), name);
                if id == NONE {
                    return false;
                }
                let Some(value) = node.attr_by_id(id) else {
                    return false;
                };
                let Some((op, wanted)) = test else {
                    return true;
                };
                // HTML's legacy rule: some attributes' values match case-insensitively
                // (`input[type=checkbox]` matches `type=CHECKBOX`). Both are ASCII
                // case-insensitive, compared without copying.
                let fold = *case_insensitive
                    || (*html_case_insensitive && node.namespace() == Some(Ns::Html));
                let (v, w) = (value.as_bytes(), wanted.as_bytes());
                let eq = |a: &[u8], b: &[u8]| {
                    if fold {
                        a.eq_ignore_ascii_case(b)
                    } else {
                        a == b
                    }
                };
                match op {
                    Op::Equals => eq(v, w),
                    Op::Includes => {
                        !w.is_empty()
                            && v.split(|c| c.is_ascii_whitespace()).any(|part| eq(part, w))
                    }
                    Op::DashMatch => {
                        eq(v, w)
                            || (v.len() > w.len()
                                && v.get(..w.len()).is_some_and(|head| eq(head, w))
                                && v.get(w.len()) == Some(&b'-'))
                    }
                    Op::Prefix => !w.is_empty() && v.get(..w.len()).is_some_and(|head| eq(head, w)),
                    Op::Suffix => {
                        !w.is_empty()
                            && v.len() >= w.len()
                            && v.get(v.len() - w.len()..).is_some_and(|tail| eq(tail, w))
                    }
                    Op::Substring => !w.is_empty() && v.windows(w.len()).any(|win| eq(win, w)),
                }
            }
        }
    }
}

/// The tags and attribute names of the elements above the one being matched, counted as a
/// walk enters and leaves them (what browsers call the ancestor filter; exact here, by
/// interned name). A compound left of a combinator needs an ancestor with its tag and its
/// attributes: when none has them, the selector fails without walking the ancestors. A
/// 10,000-row page's 10,000 buttons and 20,000 spans each walked all theirs for `tr *` and
/// `[aria-label*=filter i] span` (the Mailgun reader's controls), on a page with neither.
///
/// Whatever node is matched against it, the walk's element or one of its ancestors (a
/// compound left of a combinator), the counts hold at least that node's ancestors: a name
/// counted nowhere is above neither.
pub(crate) struct Ancestors {
    /// By interned name: the HTML elements above with that tag.
    tags: Vec<u32>,
    /// By interned name: the elements above with that attribute.
    attrs: Vec<u32>,
    /// The elements above outside HTML: a type selector compares their names in any case,
    /// so while there is one, tags are not ruled out.
    foreign: u32,
}

impl Ancestors {
    /// Nothing above yet, for `doc`'s names.
    pub(crate) fn new(doc: &Document) -> Ancestors {
        let names = doc.names_key().1;
        Ancestors {
            tags: vec![0; names],
            attrs: vec![0; names],
            foreign: 0,
        }
    }

    /// `el` is now above the elements matched next (nothing for a node that is not one).
    pub(crate) fn enter(&mut self, el: Node<'_>) {
        self.count(el, true);
    }

    /// `el` is no longer above them.
    pub(crate) fn leave(&mut self, el: Node<'_>) {
        self.count(el, false);
    }

    fn count(&mut self, el: Node<'_>, enter: bool) {
        let step = |n: &mut u32| {
            *n = if enter {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            }
        };
        match el.data().map(|d| &d.kind) {
            Some(Kind::Element { name, ns, .. }) => {
                if *ns == Ns::Html {
                    if let Some(n) = self.tags.get_mut(*name as usize) {
                        step(n);
                    }
                } else {
                    step(&mut self.foreign);
                }
            }
            _ => return,
        }
        for a in el.attrs() {
            if let Some(n) = self.attrs.get_mut(a.name as usize) {
                step(n);
            }
        }
    }

    /// Whether some element above may match `compound`: it has the tag and every attribute
    /// (`.c` and `#i` need `class` and `id`) the compound names outside `:not` and `:is`.
    fn may_hold(&self, compound: &Compound, doc: &Document) -> bool {
        let has =
            |counts: &[u32], id: u32| id != NONE && counts.get(id as usize).is_some_and(|&n| n > 0);
        if let Some(tag) = &compound.tag {
            if self.foreign == 0 && !has(&self.tags, compound.tag_id.get(doc, tag)) {
                return false;
            }
        }
        compound.parts.iter().all(|part| match part {
            Simple::Class(_, id) => has(&self.attrs, id.get(doc, "class")),
            Simple::Id(_, id) => has(&self.attrs, id.get(doc, "id")),
            Simple::Attr { name, name_id, .. } => has(&self.attrs, name_id.get(doc, name)),
            Simple::Not(_) | Simple::Is(_) => true,
        })
    }
}

/// Attributes whose values HTML documents match case-insensitively in selectors (HTML,
/// "Selectors" in the rendering section).
const CASE_INSENSITIVE: [&str; 47] = [
    "accept",
    "accept-charset",
    "align",
    "alink",
    "axis",
    "bgcolor",
    "charset",
    "checked",
    "clear",
    "codetype",
    "color",
    "compact",
    "declare",
    "defer",
    "dir",
    "direction",
    "disabled",
    "enctype",
    "face",
    "frame",
    "hreflang",
    "http-equiv",
    "lang",
    "language",
    "link",
    "media",
    "method",
    "multiple",
    "nohref",
    "noresize",
    "noshade",
    "nowrap",
    "readonly",
    "rel",
    "rev",
    "rules",
    "scope",
    "scrolling",
    "selected",
    "shape",
    "target",
    "text",
    "type",
    "valign",
    "valuetype",
    "vlink",
    "nodeclare",
];

struct Parser<'a> {
    rest: &'a str,
}

// The selector parser runs once per selector (they are cached), not per node: kept out of line
// so that the crate's `opt-level = 3` does not copy it into every caller (about 10 KB of the
// banner's module).
impl Parser<'_> {
    #[inline(never)]
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    #[inline(never)]
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.rest = self.rest.get(c.len_utf8()..).unwrap_or("");
        Some(c)
    }

    #[inline(never)]
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }

    #[inline(never)]
    fn skip_ws(&mut self) -> bool {
        let before = self.rest.len();
        self.rest = self
            .rest
            .trim_start_matches([' ', '\t', '\n', '\r', '\x0c']);
        self.rest.len() != before
    }

    #[inline(never)]
    fn list(&mut self) -> Option<Selector> {
        let mut out = vec![self.complex()?];
        loop {
            self.skip_ws();
            if !self.eat(',') {
                return Some(Selector {
                    list: out,
                    buckets: BucketCell::default(),
                });
            }
            out.push(self.complex()?);
        }
    }

    #[inline(never)]
    fn complex(&mut self) -> Option<Complex> {
        self.skip_ws();
        let mut compounds = vec![self.compound()?];
        let mut combinators = Vec::new();
        loop {
            let had_ws = self.skip_ws();
            let combinator = if self.eat('>') {
                self.skip_ws();
                Combinator::Child
            } else if had_ws && self.peek().is_some_and(starts_compound) {
                Combinator::Descendant
            } else {
                break;
            };
            combinators.push(combinator);
            compounds.push(self.compound()?);
        }
        let subject = compounds.pop()?;
        let rest = combinators
            .into_iter()
            .rev()
            .zip(compounds.into_iter().rev())
            .collect();
        Some(Complex { subject, rest })
    }

    #[inline(never)]
    fn compound(&mut self) -> Option<Compound> {
        let mut c = Compound::default();
        let universal = self.eat('*');
        if !universal && self.peek().is_some_and(is_name_start) {
            c.tag = Some(self.ident()?.to_ascii_lowercase());
        }
        loop {
            match self.peek() {
                Some('.') => {
                    self.bump();
                    c.parts
                        .push(Simple::Class(self.ident()?, NameId::default()));
                }
                Some('#') => {
                    self.bump();
                    c.parts.push(Simple::Id(self.ident()?, NameId::default()));
                }
                Some('[') => {
                    self.bump();
                    c.parts.push(self.attribute()?);
                }
                Some(':') => {
                    self.bump();
                    let name = self.ident()?.to_ascii_lowercase();
                    if !self.eat('(') {
                        return None;
                    }
                    let list = self.list()?;
                    self.skip_ws();
                    if !self.eat(')') {
                        return None;
                    }
                    c.parts.push(match name.as_str() {
                        "not" => Simple::Not(list),
                        "is" | "where" => Simple::Is(list),
                        _ => return None,
                    });
                }
                _ => break,
            }
        }
        (universal || c.tag.is_some() || !c.parts.is_empty()).then_some(c)
    }

    #[inline(never)]
    fn attribute(&mut self) -> Option<Simple> {
        self.skip_ws();
        let name = self.ident()?.to_ascii_lowercase();
        self.skip_ws();
        if self.eat(']') {
            return Some(Simple::Attr {
                name,
                name_id: NameId::default(),
                test: None,
                case_insensitive: false,
                html_case_insensitive: false,
            });
        }
        let op = match self.bump()? {
            '=' => Op::Equals,
            c => {
                let op = match c {
                    '~' => Op::Includes,
                    '|' => Op::DashMatch,
                    '^' => Op::Prefix,
                    '$' => Op::Suffix,
                    '*' => Op::Substring,
                    _ => return None,
                };
                if !self.eat('=') {
                    return None;
                }
                op
            }
        };
        self.skip_ws();
        let value = match self.peek()? {
            q @ ('"' | '\'') => {
                self.bump();
                let mut v = String::new();
                loop {
                    match self.bump()? {
                        c if c == q => break,
                        '\\' => v.push(self.bump()?),
                        c => v.push(c),
                    }
                }
                v
            }
            _ => self.ident()?,
        };
        self.skip_ws();
        let case_insensitive = if self.peek().is_some_and(|c| c == 'i' || c == 'I') {
            self.bump();
            self.skip_ws();
            true
        } else if self.peek().is_some_and(|c| c == 's' || c == 'S') {
            self.bump();
            self.skip_ws();
            false
        } else {
            false
        };
        if !self.eat(']') {
            return None;
        }
        let html_case_insensitive = CASE_INSENSITIVE.contains(&name.as_str());
        Some(Simple::Attr {
            name,
            name_id: NameId::default(),
            test: Some((op, value)),
            case_insensitive,
            html_case_insensitive,
        })
    }

    /// A CSS identifier (with `\` escapes of one character).
    #[inline(never)]
    fn ident(&mut self) -> Option<String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '\\' {
                self.bump();
                out.push(self.bump()?);
            } else if is_name_char(c) {
                out.push(c);
                self.bump();
            } else {
                break;
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '-' || c == '\\' || !c.is_ascii()
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || !c.is_ascii()
}

fn starts_compound(c: char) -> bool {
    is_name_start(c) || matches!(c, '*' | '.' | '#' | '[' | ':')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use crate::parse;

    /// A list matched by bucket finds what its selectors find one by one, whatever key each
    /// has: a tag, a class, an id, an attribute, `:is(…)` with keys, none (`*`, `:not(…)`).
    #[test]
    fn bucketed_lists_match_their_selectors() {
        let doc = parse(
            "<div id=i class='a b'><span role=button>x</span><p title=t>y</p>\
             <svg><circle class=a /></svg><ul><li data-filter>z</li></ul>\
             <table><tr role=row><td><button>b</button></td></tr></table></div>",
        );
        let parts = [
            "p",
            ".b",
            "#i",
            "[title]",
            ":is([role=button], li[data-filter]):not(tr *)",
            "circle.a",
            ":not(div, span, p, svg, circle, ul, li, html, head, body, table, tbody, tr, td)",
            "[data-nothing-has]",
            "nosuchtag",
        ];
        let list = super::Selector::parse(&parts.join(", ")).unwrap();
        assert!(parts.len() >= super::BUCKETED);
        let singles: Vec<_> = parts
            .iter()
            .map(|p| super::Selector::parse(p).unwrap())
            .collect();
        let mut matched = 0;
        for n in doc.root().descendants().filter(|n| n.is_element()) {
            let one_by_one = singles.iter().any(|s| s.matches(n));
            assert_eq!(list.matches(n), one_by_one, "{n:?}");
            matched += usize::from(one_by_one);
        }
        // div, span, p, circle, li and the button (`:not(…)`): each key kind found something.
        assert_eq!(matched, 6);
    }

    /// Buckets are per document: a list used on one page and then another matches on both.
    #[test]
    fn buckets_follow_the_document() {
        let list = super::Selector::parse("a, b, c, [x]").unwrap();
        let one = parse("<a></a><b></b>");
        let two = parse("<i x></i><c></c><a></a>");
        let count = |doc: &crate::Document| {
            doc.root()
                .descendants()
                .filter(|n| list.matches(*n))
                .count()
        };
        assert_eq!(count(&one), 2);
        assert_eq!(count(&two), 3);
        assert_eq!(count(&one), 2);
    }
}
