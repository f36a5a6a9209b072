//! Renders a Diagnosis into the banner frame with text nodes and attributes only: nothing
//! derived from a page is ever parsed as HTML.

use crate::core::diagnosis::plan::{PlanStep, Verdict};
use crate::core::diagnosis::{Evidence, Finding, Severity};
use crate::core::view::{BannerView, FactLine, RecipientLine, RowLine};
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

/// Replaces the banner's content with the view. `collapsed`: only the top line shows.
pub fn render(doc: &Document, root: &Element, view: &BannerView, collapsed: bool) -> R<()> {
    root.set_text_content(None);
    if view.hidden {
        return Ok(());
    }
    let region = el(doc, "section", "banner")?;
    region.set_attribute("role", "region")?;
    region.set_attribute("aria-label", "cdot-triage diagnosis")?;

    let bar = el(doc, "header", "bar")?;
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
    let body = el(doc, "div", "body")?;
    body.set_id("banner-body");
    if view.is_quiet() {
        region.class_list().add_1("quiet")?;
    } else {
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
    region.append_child(&bar)?;

    if let Some(line) = &view.storage {
        let storage = text_el(doc, "p", "storage", line)?;
        storage.set_attribute("data-storage", "")?;
        add(&body, &storage)?;
    }
    // What to do first: the verdict, the plan, the findings; then what the page shows.
    if let Some(verdict) = &view.verdict {
        render_verdict(doc, &body, verdict, &view.plan)?;
    }
    if !view.findings.is_empty() {
        add(&body, &render_findings(doc, &view.findings)?)?;
    }
    if !view.facts.is_empty() {
        add(&body, &render_facts(doc, &view.facts)?)?;
    }
    if !view.rows.is_empty() {
        add(&body, &render_rows(doc, &view.rows)?)?;
    }
    if !view.recipients.is_empty() {
        add(&body, &render_recipients(doc, &view.recipients)?)?;
    }
    if !view.problems.is_empty() {
        add(&body, &render_problems(doc, &view.problems)?)?;
    }
    if collapsed {
        region.class_list().add_1("collapsed")?;
        body.set_attribute("hidden", "")?;
    }
    add(&region, &body)?;
    root.append_child(&region)?;
    Ok(())
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
fn render_rows(doc: &Document, rows: &[RowLine]) -> R<Element> {
    let list = el(doc, "ul", "rows")?;
    list.set_attribute("aria-label", "Customers on this page")?;
    for row in rows {
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
        add(&list, &item)?;
    }
    Ok(list)
}

/// More event lines than the banner's max-height shows many times over.
const MANY_LINES: usize = 200;

/// Each recipient (`li[data-recipient]`) with its events (`li[data-event]` carrying
/// `data-domain`, `data-kind`, `data-outcome`), oldest first.
fn render_recipients(doc: &Document, recipients: &[RecipientLine]) -> R<Element> {
    // Enough lines to fill the banner many times over: lay out only what is in view
    // (`.recipients.many` in banner.css).
    let lines: usize = recipients.iter().map(|r| r.events.len() + 1).sum();
    let list = el(
        doc,
        "ul",
        if lines > MANY_LINES {
            "recipients many"
        } else {
            "recipients"
        },
    )?;
    list.set_attribute("aria-label", "Mail events by recipient")?;
    for r in recipients {
        let item = el(doc, "li", "recipient")?;
        item.set_attribute("data-recipient", &r.key)?;
        add(&item, &text_el(doc, "span", "email", &r.shown)?)?;
        for hint in &r.hints {
            add(&item, &text_el(doc, "span", "hint", hint)?)?;
        }
        let events = el(doc, "ul", "events")?;
        for e in &r.events {
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
            add(&events, &line)?;
        }
        add(&item, &events)?;
        add(&list, &item)?;
    }
    Ok(list)
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
    for p in problems {
        add(&list, &text_el(doc, "li", "problem", p)?)?;
    }
    add(&details, &list)?;
    Ok(details)
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

/// `details.evidence` (closed): "Evidence (N)" and the lines, each with what, value, when seen
/// (hover: the page) and, for lines that read the same, how many.
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
    let list = el(doc, "ul", "evidence-lines")?;
    list.set_attribute("aria-label", "Evidence")?;
    for e in evidence {
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
        list.append_child(&li)?;
    }
    add(&details, &list)?;
    Ok(details)
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
