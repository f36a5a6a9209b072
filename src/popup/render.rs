//! Renders the popup with text nodes and attributes only (addresses, names and Mailgun's
//! texts come from pages and APIs: never parsed as HTML). Findings use the banner's own
//! renderer, so `data-finding` / `data-step` mean the same in both.

use crate::core::lookup::source::{SourceLine, State};
use crate::core::lookup::view::PopupView;
use crate::frame::render::{add, el, render_findings, render_verdict, summary, text_el};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlInputElement};

type R<T> = Result<T, JsValue>;

fn by_id(doc: &Document, id: &str) -> R<Element> {
    doc.get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("#{id} missing")))
}

/// The search box's message: `Some` marks the box invalid and says why.
pub fn invalid(doc: &Document, message: Option<&str>) -> R<()> {
    let note = by_id(doc, "message")?;
    note.set_text_content(message);
    if let Some(input) = doc
        .get_element_by_id("email")
        .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
    {
        if message.is_some() {
            input.set_attribute("aria-invalid", "true")?;
        } else {
            input.remove_attribute("aria-invalid")?;
        }
    }
    Ok(())
}

/// Recent searches, as buttons that search again.
pub fn recent(doc: &Document, recent: &[String]) -> R<()> {
    let list = by_id(doc, "recent")?;
    list.set_text_content(None);
    for email in recent {
        let item = el(doc, "li", "")?;
        let b = text_el(doc, "button", "recent", email)?;
        b.set_attribute("type", "button")?;
        b.set_attribute("data-action", "recent")?;
        b.set_attribute("data-email", email)?;
        add(&item, &b)?;
        add(&list, &item)?;
    }
    let section = by_id(doc, "recent-searches")?;
    if recent.is_empty() {
        section.set_attribute("hidden", "")?;
    } else {
        section.remove_attribute("hidden")?;
    }
    Ok(())
}

/// Each live source's state: `li[data-source][data-state]`.
pub fn sources(doc: &Document, lines: &[SourceLine]) -> R<()> {
    let Some(list) = doc.get_element_by_id("sources") else {
        return Ok(());
    };
    list.set_text_content(None);
    for line in lines {
        let state = match line.state {
            State::Off => "off",
            State::Waiting => "waiting",
            State::Done => "done",
            State::Failed => "failed",
        };
        let item = el(doc, "li", &format!("source {state}"))?;
        item.set_attribute("data-source", &line.id)?;
        item.set_attribute("data-state", state)?;
        add(&item, &text_el(doc, "span", "label", &line.label)?)?;
        add(&item, &text_el(doc, "span", "text", &line.text)?)?;
        if let Some(step) = line.link.as_ref().filter(|s| s.url.starts_with("https://")) {
            add(&item, &link(doc, &step.id, &step.label, &step.url)?)?;
        }
        if line.state == State::Off {
            let b = text_el(doc, "button", "options-link", "Options")?;
            b.set_attribute("type", "button")?;
            b.set_attribute("data-action", "options")?;
            add(&item, &b)?;
        }
        add(&list, &item)?;
    }
    list.set_attribute(
        "aria-busy",
        if lines.iter().any(|l| l.state == State::Waiting) {
            "true"
        } else {
            "false"
        },
    )?;
    Ok(())
}

fn link(doc: &Document, id: &str, label: &str, url: &str) -> R<Element> {
    let a = text_el(doc, "a", "step", label)?;
    a.set_attribute("href", url)?;
    a.set_attribute("target", "_blank")?;
    a.set_attribute("rel", "noopener noreferrer")?;
    a.set_attribute("data-step", id)?;
    Ok(a)
}

/// The result of a search: subject, sources, findings, links, what was observed.
pub fn result(doc: &Document, view: &PopupView, lines: &[SourceLine]) -> R<()> {
    let root = by_id(doc, "result")?;
    root.set_text_content(None);
    root.set_attribute(
        "aria-label",
        &format!("cdot-triage: {}", view.subject.shown),
    )?;

    let head = el(doc, "header", "bar")?;
    let subject = text_el(doc, "h2", "subject", &view.subject.shown)?;
    subject.set_attribute("data-subject", &view.subject.key)?;
    add(&head, &subject)?;
    add(
        &head,
        &text_el(doc, "span", "summary", &summary(&view.findings))?,
    )?;
    add(&root, &head)?;
    // As in the banner: the verdict and the plan first.
    render_verdict(doc, &root, &view.verdict, &view.plan)?;
    if !view.findings.is_empty() {
        add(&root, &render_findings(doc, &view.findings)?)?;
    }

    add(&root, &text_el(doc, "h3", "", "Live look-ups")?)?;
    let list = el(doc, "ul", "sources")?;
    list.set_id("sources");
    list.set_attribute("aria-label", "Live look-ups")?;
    add(&root, &list)?;
    sources(doc, lines)?;

    add(&root, &text_el(doc, "h3", "", "Open")?)?;
    let links = el(doc, "div", "steps links")?;
    for step in view.links.iter().filter(|s| s.url.starts_with("https://")) {
        add(&links, &link(doc, &step.id, &step.label, &step.url)?)?;
    }
    add(&root, &links)?;

    let n = view.observed.len() + view.more;
    let lost = view.not_kept.total();
    add(
        &root,
        &text_el(
            doc,
            "h3",
            "",
            &format!(
                "Observed ({n}{}{})",
                if lost > 0 {
                    format!(", {lost} not kept")
                } else {
                    String::new()
                },
                if n == 0 && lost == 0 {
                    ": nothing yet"
                } else {
                    ""
                }
            ),
        )?,
    )?;
    if let Some(line) = view.not_kept.line() {
        let p = text_el(doc, "p", "not-kept", &line)?;
        p.set_attribute("data-not-kept", &lost.to_string())?;
        add(&root, &p)?;
    }
    let observed = el(doc, "ul", "observed")?;
    observed.set_attribute(
        "aria-label",
        "Everything observed for the address, newest first",
    )?;
    for line in &view.observed {
        let item = el(doc, "li", "")?;
        item.set_attribute("data-observed", &line.kind)?;
        item.set_attribute("title", &line.url)?;
        add(&item, &text_el(doc, "span", "what", &line.text)?)?;
        add(
            &item,
            &text_el(doc, "span", "seen", &format!(" (seen {})", line.seen_at))?,
        )?;
        add(&observed, &item)?;
    }
    if view.more > 0 {
        add(
            &observed,
            &text_el(doc, "li", "more", &format!("… and {} older", view.more))?,
        )?;
    }
    add(&root, &observed)?;
    root.remove_attribute("hidden")?;
    Ok(())
}
