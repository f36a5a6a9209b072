//! Renders a Diagnosis into the banner frame with text nodes and attributes only: nothing
//! derived from a page is ever parsed as HTML.

use crate::core::diagnosis::plan::{PlanStep, Verdict};
use crate::core::diagnosis::{Evidence, Finding, Severity};
use crate::core::view::{first_recipients, BannerView, FactLine, RecipientLine, RowLine};
use crate::js;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

type R<T> = Result<T, JsValue>;

pub(crate) fn el(doc: &Document, tag: &str, class: &str) -> R<Element> {
    let e = doc.create_element(tag)?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    Ok(e)
}

pub(crate) fn add(parent: &Element, child: &Element) -> R<()> {
    parent.append_child(child)?;
    Ok(())
}

pub(crate) fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> R<Element> {
    let e = el(doc, tag, class)?;
    e.set_text_content(Some(text));
    Ok(e)
}

fn severity_word(s: Severity) -> (&'static str, &'static str, &'static str) {
    // (data value, label shown, icon: severity is told by colour *and* by icon and word)
    match s {
        Severity::Problem => ("problem", "Problem", "✖"),
        Severity::Warning => ("warning", "Warning", "⚠"),
        Severity::Info => ("info", "Info", "ℹ"),
    }
}

/// The one line a screen reader announces when the banner changes (the status element is
/// `aria-live="polite"`; the region itself is not, so a re-render does not read out everything).
pub fn status_line(view: &BannerView) -> String {
    match (&view.subject, &view.note) {
        (Some(subject), _) => format!(
            "cdot-triage: {}: {}",
            subject.shown,
            summary(&view.findings)
        ),
        (None, Some(note)) => format!("cdot-triage: {note}"),
        (None, None) => String::new(),
    }
}

pub use crate::core::view::FIRST_LINES;

/// Replaces the banner's content with the view. `collapsed`: only the top line shows.
pub fn render(doc: &Document, root: &Element, view: &BannerView, collapsed: bool) -> R<()> {
    root.set_text_content(None);
    if view.hidden {
        return Ok(());
    }
    let region = el(doc, "section", "banner")?;
    region.set_attribute("role", "region")?;
    region.set_attribute("aria-label", "cdot-triage diagnosis")?;
    add(&region, &render_bar(doc, view, collapsed)?)?;
    let body = el(doc, "div", "body")?;
    body.set_id("banner-body");
    // What to do first: the verdict, the plan, the findings; then what the page shows.
    for part in PARTS {
        for node in part_nodes(doc, view, part)? {
            add(&body, &node)?;
        }
    }
    set_shape(&region, &body, view, collapsed)?;
    add(&region, &body)?;
    root.append_child(&region)?;
    Ok(())
}

/// The banner's body, part by part, in order; each part's nodes carry `data-part`.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Storage,
    Verdict,
    Findings,
    Facts,
    Rows,
    Recipients,
    Problems,
}

const PARTS: [Part; 7] = [
    Part::Storage,
    Part::Verdict,
    Part::Findings,
    Part::Facts,
    Part::Rows,
    Part::Recipients,
    Part::Problems,
];

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Storage => "storage",
            Part::Verdict => "verdict",
            Part::Findings => "findings",
            Part::Facts => "facts",
            Part::Rows => "rows",
            Part::Recipients => "recipients",
            Part::Problems => "problems",
        }
    }

    /// Whether this part reads the same in both views.
    fn same(self, a: &BannerView, b: &BannerView) -> bool {
        match self {
            Part::Storage => a.storage == b.storage,
            Part::Verdict => a.verdict == b.verdict && a.plan == b.plan,
            Part::Findings => a.findings == b.findings,
            Part::Facts => a.facts == b.facts,
            Part::Rows => a.rows == b.rows,
            Part::Recipients => {
                a.recipients == b.recipients
                    && a.recipients_unsent == b.recipients_unsent
                    && a.recipient_lines_unsent == b.recipient_lines_unsent
            }
            Part::Problems => a.problems == b.problems,
        }
    }
}

/// The nodes of one part of the body (none when the view has nothing for it).
fn part_nodes(doc: &Document, view: &BannerView, part: Part) -> R<Vec<Element>> {
    let mut nodes = Vec::new();
    match part {
        Part::Storage => {
            if let Some(line) = &view.storage {
                let storage = text_el(doc, "p", "storage", line)?;
                storage.set_attribute("data-storage", "")?;
                nodes.push(storage);
            }
        }
        Part::Verdict => {
            if let Some(verdict) = &view.verdict {
                let holder = el(doc, "div", "")?;
                render_verdict(doc, &holder, verdict, &view.plan)?;
                nodes.extend(element_children(&holder));
            }
        }
        Part::Findings => {
            if !view.findings.is_empty() {
                nodes.push(render_findings(doc, &view.findings)?);
            }
        }
        Part::Facts => {
            if !view.facts.is_empty() {
                nodes.push(render_facts(doc, &view.facts)?);
            }
        }
        Part::Rows => {
            if !view.rows.is_empty() {
                let list = render_rows(doc, &view.rows)?;
                nodes.push(list);
                nodes.extend(more_button(doc, "rows", view.rows.len(), FIRST_LINES)?);
            }
        }
        Part::Recipients => {
            if !view.recipients.is_empty() {
                let (list, shown) = render_recipients(doc, view)?;
                nodes.push(list);
                nodes.extend(more_button(
                    doc,
                    "recipients",
                    view.recipients_total(),
                    shown,
                )?);
            }
        }
        Part::Problems => {
            if !view.problems.is_empty() {
                nodes.push(render_problems(doc, &view.problems)?);
            }
        }
    }
    for node in &nodes {
        node.set_attribute("data-part", part.name())?;
    }
    Ok(nodes)
}

/// The top line: brand, subject, summary or note, and the controls.
fn render_bar(doc: &Document, view: &BannerView, collapsed: bool) -> R<Element> {
    let bar = el(doc, "header", "bar")?;
    bar.set_attribute("data-part", "bar")?;
    add(&bar, &text_el(doc, "span", "brand", "cdot-triage")?)?;
    if let Some(subject) = &view.subject {
        let s = text_el(doc, "span", "subject", &subject.shown)?;
        s.set_attribute("data-subject", &subject.key)?;
        bar.append_child(&s)?;
        add(
            &bar,
            &text_el(doc, "span", "summary", &summary(&view.findings))?,
        )?;
    }
    if let Some(note) = &view.note {
        add(&bar, &text_el(doc, "span", "note", note)?)?;
    }
    if !view.is_quiet() {
        let toggle = button(
            doc,
            "collapse",
            if collapsed {
                "▸ Expand"
            } else {
                "▾ Collapse"
            },
        )?;
        toggle.set_attribute("aria-expanded", if collapsed { "false" } else { "true" })?;
        toggle.set_attribute("aria-controls", "banner-body")?;
        add(&bar, &toggle)?;
    }
    let forget = button(doc, "forget", "Forget stored data")?;
    forget.set_attribute(
        "title",
        "Forget everything cdot-triage stored about customers in this browser session",
    )?;
    add(&bar, &forget)?;
    let dismiss = button(doc, "dismiss", "×")?;
    dismiss.set_attribute("aria-label", "Dismiss the cdot-triage banner on this page")?;
    dismiss.set_attribute("title", "Dismiss")?;
    add(&bar, &dismiss)?;
    Ok(bar)
}

/// Whether the top line reads the same for both views.
fn same_bar(a: &BannerView, b: &BannerView) -> bool {
    a.subject == b.subject
        && a.note == b.note
        && a.is_quiet() == b.is_quiet()
        && (a.subject.is_none() || summary(&a.findings) == summary(&b.findings))
}

/// The region's classes and the body's `hidden`: quiet, collapsed.
fn set_shape(region: &Element, body: &Element, view: &BannerView, collapsed: bool) -> R<()> {
    let classes = region.class_list();
    classes.toggle_with_force("quiet", view.is_quiet())?;
    classes.toggle_with_force("collapsed", collapsed)?;
    if collapsed {
        body.set_attribute("hidden", "")?;
    } else {
        body.remove_attribute("hidden")?;
    }
    Ok(())
}

/// Paints views into the banner, each after the first by changing only the parts that differ
/// from the view painted before (the bar, the storage line, the verdict and plan, each
/// finding by its id, facts, rows, recipients, problems). The parts kept are the same nodes:
/// an evidence list the engineer opened stays open, focus and scroll stay where they were. The
/// result reads as [`render`] of the new view would (`tests/render_update.rs`).
///
/// The view painted last is the caller's (the frame keeps it for its controls): the painter
/// keeps no copy of it, only whether it was collapsed and its storage line, the one part the
/// frame changes in place.
#[derive(Default)]
pub struct Painter {
    /// Collapsed, and the storage line, as painted last; `None` before the first paint and
    /// after one that failed (the next paint is a full render).
    painted: Option<(bool, Option<String>)>,
}

impl Painter {
    pub fn new() -> Painter {
        Painter::default()
    }

    /// Paints `view`: a full render the first time (or when the banner was emptied, or the
    /// last paint failed), an update of what differs from `before` after that. `before` is
    /// the view painted last (`view` itself when only `collapsed` or its storage line
    /// changed).
    pub fn paint(
        &mut self,
        doc: &Document,
        root: &Element,
        before: &BannerView,
        view: &BannerView,
        collapsed: bool,
    ) -> R<()> {
        let painted = self.painted.take();
        let result = update(doc, root, painted, before, view, collapsed);
        if result.is_ok() {
            self.painted = Some((collapsed, view.storage.clone()));
        }
        result
    }
}

/// [`Painter::paint`]: an update of the banner painted as `painted` says, or a full render.
fn update(
    doc: &Document,
    root: &Element,
    painted: Option<(bool, Option<String>)>,
    before: &BannerView,
    view: &BannerView,
    collapsed: bool,
) -> R<()> {
    let region = root.query_selector(":scope > section.banner")?;
    let (Some((was_collapsed, storage)), Some(region), false) = (painted, region, view.hidden)
    else {
        return render(doc, root, view, collapsed);
    };
    let focus = Focus::take(doc, root);
    let bar = region.query_selector(":scope > .bar")?;
    let body = region.query_selector(":scope > .body")?;
    let (Some(bar), Some(body)) = (bar, body) else {
        return render(doc, root, view, collapsed);
    };
    if !same_bar(before, view) || was_collapsed != collapsed {
        let fresh: web_sys::Node = render_bar(doc, view, collapsed)?.into();
        bar.replace_with_with_node_1(&fresh)?;
    }
    update_body(doc, &body, before, &storage, view)?;
    set_shape(&region, &body, view, collapsed)?;
    focus.restore(root);
    Ok(())
}

/// Changes the body's parts that differ between the two views, in place.
/// `storage`: the storage line painted (`before`'s may have changed in place since).
fn update_body(
    doc: &Document,
    body: &Element,
    before: &BannerView,
    storage: &Option<String>,
    view: &BannerView,
) -> R<()> {
    let all = element_children(body);
    let mut after: Option<Element> = None;
    for part in PARTS {
        let old: Vec<&Element> = all
            .iter()
            .filter(|c| c.get_attribute("data-part").as_deref() == Some(part.name()))
            .collect();
        let same = match part {
            Part::Storage => *storage == view.storage,
            _ => part.same(before, view),
        };
        if same {
            if let Some(last) = old.last() {
                after = Some((*last).clone());
            }
            continue;
        }
        if part == Part::Findings && !view.findings.is_empty() {
            if let [list] = old.as_slice() {
                update_findings(doc, list, &before.findings, &view.findings)?;
                after = Some((*list).clone());
                continue;
            }
        }
        for node in old {
            node.remove();
        }
        for node in part_nodes(doc, view, part)? {
            match &after {
                Some(a) => a.after_with_node_1(&node)?,
                None => body.prepend_with_node_1(&node)?,
            }
            after = Some(node);
        }
    }
    Ok(())
}

/// `ul.findings` updated finding by finding (by `data-finding`): one that reads the same is
/// kept, one that changed is changed in place, new ones are built, gone ones removed, and the
/// order is the new view's.
fn update_findings(doc: &Document, list: &Element, before: &[Finding], now: &[Finding]) -> R<()> {
    let old = element_children(list);
    let mut kept: Vec<Option<Element>> = Vec::with_capacity(now.len());
    for f in now {
        let at = old
            .iter()
            .position(|li| li.get_attribute("data-finding").as_deref() == Some(f.id.as_str()));
        let prior = before.iter().find(|b| b.id == f.id);
        kept.push(match (at, prior) {
            (Some(i), Some(prior)) => {
                let li = old[i].clone();
                if prior != f {
                    update_finding(doc, &li, prior, f)?;
                }
                Some(li)
            }
            _ => None,
        });
    }
    for li in &old {
        if !kept.iter().flatten().any(|k| k == li) {
            li.remove();
        }
    }
    let mut after: Option<Element> = None;
    for (f, li) in now.iter().zip(kept) {
        let li = match li {
            Some(li) => li,
            None => render_finding(doc, f)?,
        };
        let in_place = match &after {
            Some(a) => a.next_element_sibling().as_ref() == Some(&li),
            None => list.first_element_child().as_ref() == Some(&li),
        };
        if !in_place {
            match &after {
                Some(a) => a.after_with_node_1(&li)?,
                None => list.prepend_with_node_1(&li)?,
            }
        }
        after = Some(li);
    }
    Ok(())
}

/// One finding changed: each of its parts (head, explanation, steps, evidence, reply) that
/// differs is replaced; an evidence list keeps its `details` (open or not) and is built
/// anew inside it when open.
fn update_finding(doc: &Document, li: &Element, before: &Finding, f: &Finding) -> R<()> {
    let fresh = render_finding(doc, f)?;
    li.set_class_name(&fresh.class_name());
    li.set_attribute("data-severity", severity_word(f.severity).0)?;
    let same = |class: &str| match class {
        "finding-head" => before.severity == f.severity && before.title == f.title,
        "explanation" => before.explanation == f.explanation,
        "steps" => before.steps == f.steps,
        "evidence" => before.evidence == f.evidence,
        _ => before.reply == f.reply && before.id == f.id,
    };
    let mut after: Option<Element> = None;
    for class in ["finding-head", "explanation", "steps", "evidence", "reply"] {
        let selector = format!(":scope > .{class}");
        let old = li.query_selector(&selector)?;
        let new = fresh.query_selector(&selector)?;
        match (old, new) {
            (Some(old), Some(_)) if same(class) => after = Some(old),
            (Some(old), Some(new)) if class == "evidence" => {
                set_evidence(doc, &old, &f.evidence)?;
                new.remove();
                after = Some(old);
            }
            (Some(old), Some(new)) if class == "reply" => {
                // The reply's own `details` stays (open or not); its content is the new one.
                old.set_text_content(None);
                while let Some(child) = new.first_child() {
                    old.append_child(&child)?;
                }
                after = Some(old);
            }
            (old, new) => {
                if let Some(old) = old {
                    old.remove();
                }
                if let Some(new) = new {
                    match &after {
                        Some(a) => a.after_with_node_1(&new)?,
                        None => li.prepend_with_node_1(&new)?,
                    }
                    after = Some(new);
                }
            }
        }
    }
    Ok(())
}

/// Where the keyboard was before an update, to put it back on the same control (found again
/// by what it is, not by its node) if the update replaced it.
struct Focus {
    element: Option<Element>,
    selector: Option<String>,
}

impl Focus {
    fn take(doc: &Document, root: &Element) -> Focus {
        let element = doc.active_element().filter(|a| root.contains(Some(a)));
        let selector = element.as_ref().and_then(focus_selector);
        Focus { element, selector }
    }

    fn restore(self, root: &Element) {
        let (Some(element), Some(selector)) = (self.element, self.selector) else {
            return;
        };
        if element.is_connected() {
            return;
        }
        if let Ok(Some(again)) = root.query_selector(&selector) {
            if let Ok(again) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(again) {
                let _ = again.focus();
            }
        }
    }
}

/// A selector for a control by what it is: its part, finding and recipient, and its own
/// action, step or place.
fn focus_selector(e: &Element) -> Option<String> {
    let mut s = String::new();
    let within = |attr: &str, s: &mut String| {
        if let Ok(Some(holder)) = e.closest(&format!("[{attr}]")) {
            let value = holder.get_attribute(attr).unwrap_or_default();
            s.push_str(&format!("[{attr}=\"{}\"] ", css_string(&value)));
        }
    };
    within("data-part", &mut s);
    within("data-finding", &mut s);
    within("data-recipient", &mut s);
    let tag = e.tag_name().to_ascii_lowercase();
    if let Some(action) = e.get_attribute("data-action") {
        s.push_str(&format!("[data-action=\"{}\"]", css_string(&action)));
        if let Some(more) = e.get_attribute("data-more") {
            s.push_str(&format!("[data-more=\"{}\"]", css_string(&more)));
        }
    } else if let Some(step) = e.get_attribute("data-step") {
        s.push_str(&format!("a[data-step=\"{}\"]", css_string(&step)));
    } else if tag == "summary" {
        let class = e.parent_element()?.class_name();
        let class = class.split_whitespace().next()?;
        s.push_str(&format!("details.{class} > summary"));
    } else {
        return None;
    }
    Some(s)
}

/// A value for a CSS string in double quotes.
fn css_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\u{c}' => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The verdict (`[data-verdict]`: one sentence and the one thing to do now, with "Copy internal
/// note") and, with two or more steps, the plan (`ol[data-plan]`, each step's `a[data-step]`),
/// appended to `parent`. The banner and the popup share it.
pub(crate) fn render_verdict(
    doc: &Document,
    parent: &Element,
    verdict: &Verdict,
    plan: &[PlanStep],
) -> R<()> {
    let block = el(doc, "div", "verdict")?;
    block.set_attribute("data-verdict", "")?;
    add(&block, &text_el(doc, "p", "verdict-text", &verdict.text)?)?;
    let copy = button(doc, "copy-note", "Copy internal note")?;
    copy.set_attribute("data-copy", "internal-note")?;
    copy.set_attribute(
        "title",
        "Copy the verdict, the findings with their evidence and what is not checked, as Markdown \
         for the ticket's internal note",
    )?;
    add(&block, &copy)?;
    add(parent, &block)?;
    let steps: Vec<&PlanStep> = plan
        .iter()
        .filter(|p| p.step.url.starts_with("https://"))
        .collect();
    if steps.len() >= 2 {
        let list = el(doc, "ol", "plan")?;
        list.set_attribute("data-plan", "")?;
        list.set_attribute("aria-label", "Next steps, in order")?;
        for p in steps {
            let item = el(doc, "li", "")?;
            item.set_attribute("data-plan-of", &p.finding)?;
            let a = text_el(doc, "a", "step", &p.step.label)?;
            a.set_attribute("href", &p.step.url)?;
            a.set_attribute("target", "_blank")?;
            a.set_attribute("rel", "noopener noreferrer")?;
            a.set_attribute("data-step", &p.step.id)?;
            add(&item, &a)?;
            add(&list, &item)?;
        }
        add(parent, &list)?;
    }
    Ok(())
}

/// `ul.findings`, problems first. The banner and the popup share it.
pub(crate) fn render_findings(doc: &Document, findings: &[Finding]) -> R<Element> {
    let list = el(doc, "ul", "findings")?;
    list.set_attribute("aria-label", "Findings, problems first")?;
    for finding in findings {
        add(&list, &render_finding(doc, finding)?)?;
    }
    Ok(list)
}

/// A control the frame's one click listener handles by its `data-action`.
pub(crate) fn button(doc: &Document, action: &str, label: &str) -> R<Element> {
    let b = text_el(doc, "button", action, label)?;
    b.set_attribute("type", "button")?;
    b.set_attribute("data-action", action)?;
    Ok(b)
}

pub(crate) fn summary(findings: &[Finding]) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    crate::core::toolbar::counts_in_words(count(Severity::Problem), count(Severity::Warning))
}

/// `<dl class="facts">` of `<div data-fact="name"><dt>label</dt><dd>value</dd></div>`.
fn render_facts(doc: &Document, facts: &[FactLine]) -> R<Element> {
    let list = el(doc, "dl", "facts")?;
    list.set_attribute("aria-label", "Account facts")?;
    for fact in facts {
        let item = el(doc, "div", "fact")?;
        item.set_attribute("data-fact", &fact.name)?;
        add(&item, &text_el(doc, "dt", "", &fact.label)?)?;
        add(&item, &text_el(doc, "dd", "", &fact.value)?)?;
        add(&list, &item)?;
    }
    Ok(list)
}

/// The rows of a search page: the address (linking to the row's Show page), name and hints.
/// The first [`FIRST_LINES`]; the rest on "Show all".
fn render_rows(doc: &Document, rows: &[RowLine]) -> R<Element> {
    let list = el(doc, "ul", "rows")?;
    list.set_attribute("aria-label", "Customers on this page")?;
    for row in rows.iter().take(FIRST_LINES) {
        add(&list, &render_row(doc, row)?)?;
    }
    Ok(list)
}

fn render_row(doc: &Document, row: &RowLine) -> R<Element> {
    let item = el(doc, "li", "row")?;
    if let Some(id) = &row.id {
        item.set_attribute("data-row-id", id)?;
    }
    let shown = row.email.as_deref().unwrap_or("(no address)");
    let address = match &row.href {
        Some(href) => {
            let a = text_el(doc, "a", "email", shown)?;
            a.set_attribute("href", href)?;
            a.set_attribute("target", "_blank")?;
            a.set_attribute("rel", "noopener noreferrer")?;
            a
        }
        None => text_el(doc, "span", "email", shown)?,
    };
    add(&item, &address)?;
    if let Some(name) = &row.name {
        add(&item, &text_el(doc, "span", "name", name)?)?;
    }
    for hint in &row.hints {
        add(&item, &text_el(doc, "span", "hint", hint)?)?;
    }
    Ok(item)
}

/// More event lines than the banner's max-height shows many times over.
const MANY_LINES: usize = 200;

/// Each recipient (`li[data-recipient]`) with its events (`li[data-event]` carrying
/// `data-domain`, `data-kind`, `data-outcome`), oldest first. Built as
/// [`first_recipients`] lays them out (the view the frame receives holds no more than that,
/// [`BannerView::split_first`]); returns the list and how many recipients it holds.
fn render_recipients(doc: &Document, view: &BannerView) -> R<(Element, usize)> {
    // Enough lines to fill the banner many times over: lay out only what is in view
    // (`.recipients.many` in banner.css).
    let list = el(
        doc,
        "ul",
        if view.recipient_lines() > MANY_LINES {
            "recipients many"
        } else {
            "recipients"
        },
    )?;
    list.set_attribute("aria-label", "Mail events by recipient")?;
    let layout = first_recipients(view.recipients.iter().map(RecipientLine::events_total));
    for (r, events) in view.recipients.iter().zip(&layout) {
        add(&list, &render_recipient(doc, r, *events)?)?;
    }
    Ok((list, layout.len()))
}

/// A recipient with its first `events` events, and "Show all" for the rest.
fn render_recipient(doc: &Document, r: &RecipientLine, events: usize) -> R<Element> {
    let item = el(doc, "li", "recipient")?;
    item.set_attribute("data-recipient", &r.key)?;
    add(&item, &text_el(doc, "span", "email", &r.shown)?)?;
    for hint in &r.hints {
        add(&item, &text_el(doc, "span", "hint", hint)?)?;
    }
    let list = el(doc, "ul", "events")?;
    for e in r.events.iter().take(events) {
        add(&list, &render_event(doc, e)?)?;
    }
    add(&item, &list)?;
    if let Some(more) = more_button(doc, "events", r.events_total(), events)? {
        add(&item, &more)?;
    }
    Ok(item)
}

fn render_event(doc: &Document, e: &crate::core::view::EventLine) -> R<Element> {
    let line = text_el(
        doc,
        "li",
        if e.failure { "event failure" } else { "event" },
        &e.text,
    )?;
    line.set_attribute("data-event", "")?;
    line.set_attribute("data-domain", e.domain.as_deref().unwrap_or("unknown"))?;
    line.set_attribute("data-kind", &e.kind)?;
    line.set_attribute("data-outcome", &e.outcome)?;
    Ok(line)
}

/// What could not be read, folded away: shown, never hidden, but not in the way.
fn render_problems(doc: &Document, problems: &[String]) -> R<Element> {
    let details = el(doc, "details", "problems")?;
    let n = problems.len();
    let summary = format!(
        "{n} thing{} on this page could not be read",
        if n == 1 { "" } else { "s" }
    );
    add(&details, &text_el(doc, "summary", "", &summary)?)?;
    let list = el(doc, "ul", "")?;
    for p in problems.iter().take(FIRST_LINES) {
        add(&list, &text_el(doc, "li", "problem", p)?)?;
    }
    add(&details, &list)?;
    if let Some(more) = more_button(doc, "problems", n, FIRST_LINES)? {
        add(&details, &more)?;
    }
    Ok(details)
}

/// "Show all (N)" after a list of `total` items of which the first `shown` are built: a
/// button (`data-action="show-more"`, `data-more` naming the list) that appends the rest
/// ([`show_more`]). None when the list is whole.
fn more_button(doc: &Document, list: &str, total: usize, shown: usize) -> R<Option<Element>> {
    if total <= shown {
        return Ok(None);
    }
    let more = button(doc, "show-more", &format!("Show all ({total})"))?;
    more.set_attribute("data-more", list)?;
    more.set_attribute(
        "aria-label",
        &format!("Show all {total}: {} more", total - shown),
    )?;
    Ok(Some(more))
}

/// The lists a "Show all" button can complete: the banner's view, or the popup's findings.
pub struct Lists<'a> {
    pub findings: &'a [Finding],
    pub rows: &'a [RowLine],
    pub recipients: &'a [RecipientLine],
    pub problems: &'a [String],
}

impl<'a> Lists<'a> {
    pub fn of(view: &'a BannerView) -> Lists<'a> {
        Lists {
            findings: &view.findings,
            rows: &view.rows,
            recipients: &view.recipients,
            problems: &view.problems,
        }
    }

    pub fn findings(findings: &'a [Finding]) -> Lists<'a> {
        Lists {
            findings,
            rows: &[],
            recipients: &[],
            problems: &[],
        }
    }
}

/// Whether the rest of the list a "Show all" button completes is left out of this copy of
/// the view ([`BannerView::split_first`]): the frame asks its reader for the whole view then.
pub fn left_out(view: &BannerView, more: &Element) -> bool {
    match more.get_attribute("data-more").as_deref() {
        Some("recipients") => view.recipients_unsent > 0,
        Some("events") => match recipient_of(&view.recipients, more) {
            Some(r) => r.events_unsent > 0,
            // One of the recipients left out (appended from the whole view).
            None => view.recipients_unsent > 0,
        },
        _ => false,
    }
}

/// The recipient a recipient's "Show all" button belongs to (`li[data-recipient]` around it).
fn recipient_of<'a>(recipients: &'a [RecipientLine], more: &Element) -> Option<&'a RecipientLine> {
    let key = more
        .closest("[data-recipient]")
        .ok()
        .flatten()?
        .get_attribute("data-recipient")?;
    recipients.iter().find(|r| r.key == key)
}

/// "Show all (N)" pressed: appends the rest of its list (the list just before the button),
/// removes the button and puts the keyboard on the first line appended.
pub fn show_more(doc: &Document, lists: &Lists, more: &Element) -> R<()> {
    let Some(list) = more.previous_element_sibling() else {
        return Ok(());
    };
    let from = list.child_element_count() as usize;
    let finding = || -> Option<&Finding> {
        let id = more
            .closest("[data-finding]")
            .ok()??
            .get_attribute("data-finding")?;
        lists.findings.iter().find(|f| f.id == id)
    };
    let mut added: Vec<Element> = Vec::new();
    match more.get_attribute("data-more").as_deref() {
        Some("evidence") => {
            if let Some(f) = finding() {
                for e in f.evidence.iter().skip(from) {
                    added.push(render_evidence_line(doc, e)?);
                }
            }
        }
        Some("rows") => {
            for row in lists.rows.iter().skip(from) {
                added.push(render_row(doc, row)?);
            }
        }
        Some("recipients") => {
            for r in lists.recipients.iter().skip(from) {
                added.push(render_recipient(doc, r, FIRST_LINES)?);
            }
        }
        Some("events") => {
            if let Some(r) = recipient_of(lists.recipients, more) {
                for e in r.events.iter().skip(from) {
                    added.push(render_event(doc, e)?);
                }
            }
        }
        Some("problems") => {
            for p in lists.problems.iter().skip(from) {
                added.push(text_el(doc, "li", "problem", p)?);
            }
        }
        _ => return Ok(()),
    }
    for item in &added {
        add(&list, item)?;
    }
    more.remove();
    if let Some(first) = added.first() {
        first.set_attribute("tabindex", "-1")?;
        if let Ok(first) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(first.clone()) {
            first.focus()?;
        }
    }
    Ok(())
}

/// A `details` opened (the `toggle` event): an evidence list not built yet is built now.
/// The banner and the popup call it with their findings.
pub fn opened(doc: &Document, findings: &[Finding], target: &Element) -> R<()> {
    if !target.matches("details.evidence[open]")? || is_built(target)? {
        return Ok(());
    }
    let id = target
        .closest("[data-finding]")?
        .and_then(|f| f.get_attribute("data-finding"));
    if let Some(f) = findings
        .iter()
        .find(|f| Some(f.id.as_str()) == id.as_deref())
    {
        build_evidence(doc, target, &f.evidence)?;
    }
    Ok(())
}

fn is_built(details: &Element) -> R<bool> {
    Ok(details
        .query_selector(":scope > .evidence-lines")?
        .is_some())
}

pub(crate) fn render_finding(doc: &Document, f: &Finding) -> R<Element> {
    let (sev, label, icon) = severity_word(f.severity);
    let item = el(doc, "li", &format!("finding sev-{sev}"))?;
    item.set_attribute("data-finding", &f.id)?;
    item.set_attribute("data-severity", sev)?;

    let head = el(doc, "div", "finding-head")?;
    let badge = el(doc, "span", "sev")?;
    let icon_el = text_el(doc, "span", "icon", icon)?;
    icon_el.set_attribute("aria-hidden", "true")?;
    badge.append_child(&icon_el)?;
    badge.append_child(&doc.create_text_node(label))?;
    head.append_child(&badge)?;
    add(&head, &text_el(doc, "strong", "title", &f.title)?)?;
    item.append_child(&head)?;
    add(&item, &text_el(doc, "p", "explanation", &f.explanation)?)?;

    if !f.steps.is_empty() {
        let steps = el(doc, "div", "steps")?;
        for step in f.steps.iter().filter(|s| s.url.starts_with("https://")) {
            let a = text_el(doc, "a", "step", &step.label)?;
            a.set_attribute("href", &step.url)?;
            a.set_attribute("target", "_blank")?;
            a.set_attribute("rel", "noopener noreferrer")?;
            a.set_attribute("data-step", &step.id)?;
            steps.append_child(&a)?;
        }
        item.append_child(&steps)?;
    }

    // The evidence one click or key away: "Evidence (N)" opens the list.
    if !f.evidence.is_empty() {
        add(&item, &render_evidence(doc, &f.evidence)?)?;
    }

    if let Some(reply) = &f.reply {
        let details = el(doc, "details", "reply")?;
        add(
            &details,
            &text_el(doc, "summary", "", "Reply to the customer")?,
        )?;
        add(&details, &text_el(doc, "pre", "", reply)?)?;
        let copy = button(doc, "copy-reply", "Copy reply")?;
        copy.set_attribute("data-reply-of", &f.id)?;
        add(&details, &copy)?;
        item.append_child(&details)?;
    }
    Ok(item)
}

/// `details.evidence` (closed): "Evidence (N)"; its lines are built when it is first opened
/// ([`opened`]).
fn render_evidence(doc: &Document, evidence: &[Evidence]) -> R<Element> {
    let details = el(doc, "details", "evidence")?;
    add(
        &details,
        &text_el(
            doc,
            "summary",
            "",
            &format!("Evidence ({})", evidence.len()),
        )?,
    )?;
    Ok(details)
}

/// An evidence list whose evidence changed: its "Evidence (N)" says the new count, and its
/// lines, when open, are the new ones (closed, they are built when it opens).
fn set_evidence(doc: &Document, details: &Element, evidence: &[Evidence]) -> R<()> {
    if let Some(summary) = details.query_selector(":scope > summary")? {
        summary.set_text_content(Some(&format!("Evidence ({})", evidence.len())));
    }
    for built in js::select_all(details, ":scope > :not(summary)") {
        built.remove();
    }
    if details.has_attribute("open") {
        build_evidence(doc, details, evidence)?;
    }
    Ok(())
}

/// The evidence lines, each with what, value, when seen (hover: the page) and, for lines
/// that read the same, how many: the first [`FIRST_LINES`], the rest on "Show all".
fn build_evidence(doc: &Document, details: &Element, evidence: &[Evidence]) -> R<()> {
    let list = el(doc, "ul", "evidence-lines")?;
    list.set_attribute("aria-label", "Evidence")?;
    for e in evidence.iter().take(FIRST_LINES) {
        add(&list, &render_evidence_line(doc, e)?)?;
    }
    add(details, &list)?;
    if let Some(more) = more_button(doc, "evidence", evidence.len(), FIRST_LINES)? {
        add(details, &more)?;
    }
    Ok(())
}

fn render_evidence_line(doc: &Document, e: &Evidence) -> R<Element> {
    let li = el(doc, "li", "")?;
    add(&li, &text_el(doc, "span", "what", &e.what)?)?;
    li.append_child(&doc.create_text_node(": "))?;
    add(&li, &text_el(doc, "span", "value", &e.value)?)?;
    if e.count > 1 {
        add(
            &li,
            &text_el(doc, "span", "count", &format!(" (read {} times)", e.count))?,
        )?;
    }
    add(
        &li,
        &text_el(doc, "span", "seen", &format!(" (seen {})", e.seen_at))?,
    )?;
    li.set_attribute("title", &e.source)?;
    Ok(li)
}

/// "Forget stored data" asks first: a strip under the bar with what it does and two buttons
/// in a place of their own, so one click (on a decoy the page put under the banner, say) never
/// forgets. Focus moves to "Cancel".
pub(crate) fn confirm_forget(doc: &Document, root: &Element) -> R<()> {
    if root.query_selector("[data-confirm=forget]")?.is_some() {
        return Ok(());
    }
    let Some(bar) = root.query_selector(".bar")? else {
        return Ok(());
    };
    let strip = el(doc, "div", "confirm")?;
    strip.set_attribute("data-confirm", "forget")?;
    strip.set_attribute("role", "alertdialog")?;
    strip.set_attribute("aria-label", "Forget stored data?")?;
    add(
        &strip,
        &text_el(
            doc,
            "span",
            "question",
            "Forget everything cdot-triage stored about customers in this browser session, for every tab?",
        )?,
    )?;
    let cancel = button(doc, "forget-cancel", "Cancel")?;
    add(
        &strip,
        &button(doc, "forget-confirmed", "Forget everything")?,
    )?;
    add(&strip, &cancel)?;
    bar.after_with_node_1(&strip)?;
    if let Ok(cancel) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(cancel) {
        cancel.focus()?;
    }
    Ok(())
}

/// The question of "Forget stored data" answered: its strip goes.
pub(crate) fn drop_confirm(root: &Element) {
    for strip in js::select_all(root, "[data-confirm=forget]") {
        strip.remove();
    }
}

/// An element's element children, in order.
fn element_children(parent: &Element) -> Vec<Element> {
    let mut out = Vec::new();
    let mut next = parent.first_element_child();
    while let Some(child) = next {
        next = child.next_element_sibling();
        out.push(child);
    }
    out
}
