//! Renders a Diagnosis into the banner frame with text nodes and attributes only: nothing
//! derived from a page is ever parsed as HTML.

use crate::core::diagnosis::{Diagnosis, Finding, Severity};
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

type R<T> = Result<T, JsValue>;

fn el(doc: &Document, tag: &str, class: &str) -> R<Element> {
    let e = doc.create_element(tag)?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    Ok(e)
}

fn add(parent: &Element, child: &Element) -> R<()> {
    parent.append_child(child)?;
    Ok(())
}

fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> R<Element> {
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

/// Replaces the banner's content with the diagnosis.
pub fn render(doc: &Document, root: &Element, diagnosis: &Diagnosis) -> R<()> {
    let region = el(doc, "section", "banner")?;
    region.set_attribute("role", "region")?;
    region.set_attribute("aria-label", "cdot-triage diagnosis")?;

    let bar = el(doc, "header", "bar")?;
    add(&bar, &text_el(doc, "span", "brand", "cdot-triage")?)?;
    if let Some(subject) = &diagnosis.subject {
        let s = text_el(doc, "span", "subject", &subject.shown)?;
        s.set_attribute("data-subject", &subject.key)?;
        bar.append_child(&s)?;
        add(&bar, &text_el(doc, "span", "summary", &summary(diagnosis))?)?;
    } else if let Some(note) = &diagnosis.note {
        add(&bar, &text_el(doc, "span", "note", note)?)?;
        region.class_list().add_1("quiet")?;
    }
    let dismiss = text_el(doc, "button", "dismiss", "×")?;
    dismiss.set_attribute("type", "button")?;
    dismiss.set_attribute("data-action", "dismiss")?;
    dismiss.set_attribute("aria-label", "Dismiss the cdot-triage banner on this page")?;
    dismiss.set_attribute("title", "Dismiss")?;
    bar.append_child(&dismiss)?;
    region.append_child(&bar)?;

    if !diagnosis.findings.is_empty() {
        let list = el(doc, "ul", "findings")?;
        for finding in &diagnosis.findings {
            add(&list, &render_finding(doc, finding)?)?;
        }
        region.append_child(&list)?;
    }

    root.set_text_content(None);
    root.append_child(&region)?;
    Ok(())
}

fn summary(d: &Diagnosis) -> String {
    let count = |s: Severity| d.findings.iter().filter(|f| f.severity == s).count();
    match (count(Severity::Problem), count(Severity::Warning)) {
        (0, 0) => "no problem found".into(),
        (p, w) => [(p, "problem"), (w, "warning")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, word)| format!("{n} {word}{}", if *n == 1 { "" } else { "s" }))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn render_finding(doc: &Document, f: &Finding) -> R<Element> {
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

    if !f.evidence.is_empty() {
        let list = el(doc, "ul", "evidence")?;
        list.set_attribute("aria-label", "Evidence")?;
        for e in &f.evidence {
            let li = el(doc, "li", "")?;
            add(&li, &text_el(doc, "span", "what", &e.what)?)?;
            li.append_child(&doc.create_text_node(": "))?;
            add(&li, &text_el(doc, "span", "value", &e.value)?)?;
            add(
                &li,
                &text_el(doc, "span", "seen", &format!(" (seen {})", e.seen_at))?,
            )?;
            li.set_attribute("title", &e.source)?;
            list.append_child(&li)?;
        }
        item.append_child(&list)?;
    }

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

    if let Some(reply) = &f.reply {
        let details = el(doc, "details", "reply")?;
        add(
            &details,
            &text_el(doc, "summary", "", "Reply to the customer")?,
        )?;
        add(&details, &text_el(doc, "pre", "", reply)?)?;
        item.append_child(&details)?;
    }
    Ok(item)
}
