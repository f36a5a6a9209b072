//! The CustomersDot admin (RailsAdmin 3.x and 2.x) reader.
//!
//! Markup facts (from the rails_admin sources; see the README's references):
//! - 3.x show: `.fieldset .list-group-item.{name}_field` > `.card` > `h5.card-header` (label) +
//!   `.card-body` (value). A template bug closes each list-group with `</dl>`, so later
//!   fieldsets nest inside earlier ones: only descendant selectors are used.
//! - 2.x show: `dl > dt > span.label.{name}_field` (label) + the following `dd` (value).
//! - The model: `header[data-model]` (3.x) / `.page-header[data-model]` (2.x), the breadcrumb
//!   and the `<title>` ("Customer | Customers Admin").
//! - Blank values: absent with the default compact show view, " - " without it.

use super::dom::{class_with_suffix, has_class, select, select_all, text};
use crate::core::account::{
    parse_admin_path, type_value, AccountSnapshot, Field, Flavour, PageReading, Value,
};
use web_sys::{Document, Element};

/// Reads an admin page. `path` is the URL's path and query.
pub fn read(doc: &Document, url: &str, path: &str) -> PageReading {
    let unreadable = |reason: &str| PageReading::Unreadable {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let Some((url_model, id, action)) = parse_admin_path(path) else {
        return unreadable("the admin dashboard has no account facts.");
    };
    let page_model = page_model(doc);
    if page_model.is_none() && select(doc, "body.rails_admin").is_none() {
        // A sign-in redirect, an error page or a changed admin: say so rather than guess.
        return unreadable("this does not look like a RailsAdmin page (signed out?).");
    }
    let model = page_model.clone().unwrap_or_else(|| url_model.clone());
    if model != "customer" {
        return PageReading::OtherAdminPage {
            url: url.to_string(),
            what: format!("{} page", humanize(&model)),
        };
    }
    let is_show =
        url_model == "customer" && id.is_some() && matches!(action.as_deref(), None | Some("show"));
    if !is_show {
        let what = match (id.as_deref(), action.as_deref()) {
            (None, _) => "Customer list",
            (Some(_), Some("edit")) => "Customer edit form",
            (Some(_), Some("history")) => "Customer history",
            _ => "Customer page",
        };
        return PageReading::Unreadable {
            url: url.to_string(),
            reason: format!("{what} pages are not read yet; open the customer's Show tab."),
        };
    }

    let mut recognised_by = vec!["url".to_string()];
    if page_model.as_deref() == Some("customer") {
        recognised_by.push("header".into());
    }
    if breadcrumb_says_customer(doc) {
        recognised_by.push("breadcrumb".into());
    }
    if doc.title().trim_start().starts_with("Customer |") {
        recognised_by.push("title".into());
    }
    if recognised_by.len() < 2 {
        // Only the URL says "customer": an absent field could not be read as blank.
        return unreadable("the page does not confirm it is a Customer show page.");
    }

    let (flavour, fields) = match read_fields_v3(doc) {
        fields if !fields.is_empty() => (Flavour::RailsAdmin3, fields),
        _ => (Flavour::RailsAdmin2, read_fields_v2(doc)),
    };
    if fields.is_empty() {
        return unreadable("no fields found on the Customer show page.");
    }
    PageReading::CustomerShow(AccountSnapshot {
        url: url.to_string(),
        record_id: id,
        flavour,
        recognised_by,
        fields,
    })
}

/// The model named by the page header (not the sidebar, which lists every model).
fn page_model(doc: &Document) -> Option<String> {
    select(doc, "header[data-model], .page-header[data-model]")
        .and_then(|h| h.get_attribute("data-model"))
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
}

fn breadcrumb_says_customer(doc: &Document) -> bool {
    select_all(doc, ".breadcrumb a").iter().any(|a| {
        a.get_attribute("href")
            .is_some_and(|h| h.trim_end_matches('/').ends_with("/admin/customer"))
    })
}

/// "billing_account" → "Billing account"; "foo~bar" → "Foo bar".
fn humanize(model: &str) -> String {
    let spaced = model.replace(['_', '~'], " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn read_fields_v3(doc: &Document) -> Vec<Field> {
    select_all(doc, ".fieldset .list-group-item")
        .iter()
        .filter_map(|item| {
            let name = class_with_suffix(item, "_field")?;
            let field_type = class_with_suffix(item, "_type");
            let label = select(item, ".card-header").map(|h| text(&h))?;
            let body = select(item, ".card-body")?;
            Some(make_field(name, label, field_type, &body))
        })
        .collect()
}

fn read_fields_v2(doc: &Document) -> Vec<Field> {
    select_all(doc, "dl > dt")
        .iter()
        .filter_map(|dt| {
            let span = select(dt, ".label")?;
            let name = class_with_suffix(&span, "_field")?;
            let field_type = class_with_suffix(&span, "_type");
            let dd = dt.next_element_sibling().filter(|e| e.tag_name() == "DD")?;
            Some(make_field(name, text(&span), field_type, &dd))
        })
        .collect()
}

fn make_field(name: String, label: String, field_type: Option<String>, value: &Element) -> Field {
    let raw = text(value);
    let value = if field_type.as_deref() == Some("boolean") {
        read_boolean(value).unwrap_or_else(|| type_value(None, &raw))
    } else {
        type_value(field_type.as_deref(), &raw)
    };
    Field {
        name,
        label,
        field_type,
        raw,
        value,
    }
}

/// 3.x: a `.badge` with `bg-success` / `bg-danger` / `bg-default` and a check / times / minus
/// icon, no text. 2.x: a `.label` with ✓ / ✘ / ‒.
fn read_boolean(value: &Element) -> Option<Value> {
    let badge = select(value, ".badge, .label")?;
    let icon = select(&badge, ".fas, .fa, [class*='icon-']");
    let is = |class: &str| {
        has_class(&badge, class) || icon.as_ref().is_some_and(|i| has_class(i, class))
    };
    let shown = text(&badge);
    if is("bg-success") || is("label-success") || is("fa-check") || shown == "✓" {
        Some(Value::Bool(Some(true)))
    } else if is("bg-danger") || is("label-danger") || is("fa-times") || shown == "✘" {
        Some(Value::Bool(Some(false)))
    } else if is("bg-default") || is("label-default") || is("fa-minus") || shown == "‒" {
        Some(Value::Bool(None))
    } else {
        None
    }
}
