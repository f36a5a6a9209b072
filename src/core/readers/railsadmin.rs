//! The CustomersDot admin (RailsAdmin 3.x and 2.x) reader.
//!
//! Markup facts (from the rails_admin sources; see the README's references):
//! - 3.x show: `.fieldset .list-group-item.{name}_field` > `.card` > `h5.card-header` (label) +
//!   `.card-body` (value). A template bug closes each list-group with `</dl>`, so later
//!   fieldsets nest inside earlier ones: only descendant selectors are used.
//! - 2.x show: `dl > dt > span.label.{name}_field` (label) + the following `dd` (value).
//! - Lists: `table` with `th.{name}_field` headers and `tr.{model}_row` rows of
//!   `td.{name}_field` cells, the id in `input[name="bulk_ids[]"]` or the Show link,
//!   `tr.empty_row` "No records found", `.total-count` "N customers", `input[name=query]`.
//! - The model: `header[data-model]` (3.x) / `.page-header[data-model]` (2.x), the breadcrumb
//!   and the `<title>` ("Customer | Customers Admin", the same on list and show pages).
//! - Blank values: absent with the default compact show view, " - " without it.
//! - The GitLab Groups tab (a CustomersDot member action, `/admin/customer/<id>/gitlab_groups`;
//!   its template is not public): the linked GitLab.com user's namespaces, read as the rows of
//!   the content's table (name in the first cell, the first link to GitLab.com as its page), or
//!   without a table, the content's links to GitLab.com; none listed is "not linked".
//!
//! What the engineer sees: only fields, rows and cells that the markup lets be on the screen
//! count ([`Node::is_rendered`]: not `hidden`, not inline `display: none`, not in a
//! `<template>` or `<noscript>`); Bootstrap's collapsed groups do. Two shown candidates for
//! one field that disagree make the page unreadable ("two values on the page"), never the
//! first one wins; so does a shadow root in the page (its content is not read).

use super::{class_with_suffix, served_checked, served_value};
use crate::core::account::{
    humanize, name_from_label, parse_admin_path, parse_total_count, usual_type, AccountRow,
    AccountSearch, AccountSnapshot, Field, FieldMatch, Flavour, GitLabGroups, Namespace, Sort,
    Value, View,
};
use crate::core::html::{Document, Node};
use crate::core::page::PageReading;
use crate::core::settings::Settings;
use crate::core::url;

/// Reads an admin page. `path` is the URL's path (parsed by `core::url`).
pub fn read(doc: &Document, page_url: &str, path: &str, settings: &Settings) -> PageReading {
    let unreadable = |reason: String| PageReading::Unreadable {
        url: page_url.to_string(),
        reason,
    };
    let Some((url_model, id, action)) = parse_admin_path(path) else {
        return unreadable("the admin dashboard has no account facts.".into());
    };
    let page_model = page_model(doc);
    if page_model.is_none() && doc.select("body.rails_admin").is_none() {
        // A sign-in redirect, an error page or a changed admin: say so rather than guess.
        return unreadable("this does not look like a RailsAdmin page (signed out?).".into());
    }
    let model = page_model.clone().unwrap_or_else(|| url_model.clone());
    if model != "customer" {
        return PageReading::OtherAdminPage {
            url: page_url.to_string(),
            what: format!("{} page", humanize(&model)),
        };
    }

    let mut recognised_by = vec!["url".to_string()];
    if page_model.as_deref() == Some("customer") {
        recognised_by.push("header".into());
    }
    if breadcrumb_says_customer(doc) {
        recognised_by.push("breadcrumb".into());
    }
    if doc.title().starts_with("Customer |") {
        recognised_by.push("title".into());
    }
    let flavour = flavour(doc);
    let zone = settings.admin_zone_offset();
    if let Some(why) = shadow_root_in_page(doc) {
        return unreadable(why);
    }

    match (id, action.as_deref()) {
        (None, None) if url_model == "customer" => match read_list(doc, page_url, flavour, zone) {
            Some(Ok(list)) => list,
            Some(Err(two)) => unreadable(two),
            None => unreadable("no Customer list table found on the page.".into()),
        },
        (Some(id), None | Some("show")) if url_model == "customer" => {
            if recognised_by.len() < 2 {
                // Only the URL says "customer": an absent field could not be read as blank.
                return unreadable("the page does not confirm it is a Customer page.".into());
            }
            let fields = match flavour {
                Flavour::RailsAdmin3 => read_fields_v3(doc, zone),
                Flavour::RailsAdmin2 => read_fields_v2(doc, zone),
            };
            if fields.is_empty() {
                return unreadable("no fields found on the Customer show page.".into());
            }
            let fields = match one_value_each(fields) {
                Ok(fields) => fields,
                Err(two) => return unreadable(two),
            };
            PageReading::CustomerShow(AccountSnapshot {
                url: page_url.to_string(),
                record_id: Some(id),
                flavour,
                view: View::Show,
                recognised_by,
                fields,
            })
        }
        (Some(id), Some("edit")) if url_model == "customer" => {
            let fields = read_edit_form(doc, zone);
            if fields.is_empty() || recognised_by.len() < 2 {
                return unreadable("the Customer edit form could not be read.".into());
            }
            let fields = match one_value_each(fields) {
                Ok(fields) => fields,
                Err(two) => return unreadable(two),
            };
            PageReading::CustomerShow(AccountSnapshot {
                url: page_url.to_string(),
                record_id: Some(id),
                flavour,
                view: View::Edit,
                recognised_by,
                fields,
            })
        }
        (Some(id), Some("gitlab_groups")) if url_model == "customer" => {
            if recognised_by.len() < 2 {
                return unreadable("the page does not confirm it is a Customer page.".into());
            }
            PageReading::CustomerGitLabGroups(read_gitlab_groups(doc, page_url, id))
        }
        (_, Some(tab)) => PageReading::OtherAdminPage {
            url: page_url.to_string(),
            what: format!(
                "Customer {} tab (account facts are read on the Show tab)",
                humanize(tab)
            ),
        },
        _ => unreadable("not a Customer page cdot-triage knows.".into()),
    }
}

/// The model named by the page header (not the sidebar, which lists every model).
fn page_model(doc: &Document) -> Option<String> {
    doc.select("header[data-model], .page-header[data-model]")
        .and_then(|h| h.attr("data-model"))
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
}

/// 2.x pages carry Bootstrap 3's `.page-header` and pjax links; 3.x pages neither.
fn flavour(doc: &Document) -> Flavour {
    if doc
        .select(".page-header[data-model], a.pjax, form.pjax-form")
        .is_some()
    {
        Flavour::RailsAdmin2
    } else {
        Flavour::RailsAdmin3
    }
}

fn breadcrumb_says_customer(doc: &Document) -> bool {
    doc.select_all(".breadcrumb a").iter().any(|a| {
        a.attr("href")
            .is_some_and(|h| h.trim_end_matches('/').ends_with("/admin/customer"))
    })
}

/// The attribute name of a field element: its `{name}_field` class, else its label.
fn field_name(el: &Node<'_>, label: &str) -> Option<(String, FieldMatch)> {
    match class_with_suffix(el, "_field") {
        Some(name) => Some((name, FieldMatch::Class)),
        None if !label.is_empty() => Some((name_from_label(label), FieldMatch::Label)),
        None => None,
    }
}

/// A shadow root in the page's content (`getHTML` writes each as a `<template
/// shadowrootmode>`): what it shows is not read, so an absent field could be in it. Also a
/// page's own inert template of that form, which markup cannot tell from a shadow root. Not
/// the shadow root of a custom element at the top of `<body>`: that is how other extensions
/// add their overlays (a grammar checker, a password manager), which must not cost the
/// engineer the banner; RailsAdmin's fields are inside its layout.
fn shadow_root_in_page(doc: &Document) -> Option<String> {
    let body = doc.body()?;
    body.descendants()
        .filter(|n| n.is_shadow_root_template())
        .any(|n| {
            let overlay = n.parent_element().is_some_and(|host| {
                host.tag().is_some_and(|tag| tag.contains('-'))
                    && host
                        .parent_element()
                        .is_some_and(|above| above.id() == body.id())
            });
            !overlay
        })
        .then(|| {
            "part of the page is in a shadow root, which cdot-triage does not read: a field \
             there would be missed."
                .to_string()
        })
}

/// Fields by name, each once: two shown candidates for one field that say different things
/// are the page's contradiction, not the reader's to settle (the reason, for the banner).
fn one_value_each(fields: Vec<Field>) -> Result<Vec<Field>, String> {
    let mut out: Vec<Field> = Vec::with_capacity(fields.len());
    for field in fields {
        match out.iter().find(|f| f.name == field.name) {
            None => out.push(field),
            Some(first) if first.value == field.value => {}
            Some(first) => {
                let shown = |f: &Field| {
                    if f.value == Value::Blank {
                        "blank".to_string()
                    } else {
                        format!("“{}”", f.raw)
                    }
                };
                return Err(format!(
                    "“{}” has two values on the page ({} and {}): cdot-triage cannot tell \
                     which one is the account's.",
                    first.label,
                    shown(first),
                    shown(&field)
                ));
            }
        }
    }
    Ok(out)
}

fn read_fields_v3(doc: &Document, zone: i64) -> Vec<Field> {
    doc.select_all(".fieldset .list-group-item")
        .iter()
        .filter(|item| item.is_rendered())
        .filter_map(|item| {
            let label = item.select_rendered(".card-header")?.text();
            let body = item.select_rendered(".card-body")?;
            let (name, matched_by) = field_name(item, &label)?;
            let field_type = class_with_suffix(item, "_type");
            Some(make_field(name, label, field_type, &body, matched_by, zone))
        })
        .collect()
}

fn read_fields_v2(doc: &Document, zone: i64) -> Vec<Field> {
    doc.select_all("dl > dt")
        .iter()
        .filter(|dt| dt.is_rendered())
        .filter_map(|dt| {
            let label_el = dt.select_rendered(".label").unwrap_or(*dt);
            let label = label_el.text();
            let dd = std::iter::successors(dt.next_element_sibling(), Node::next_element_sibling)
                .find(|e| !e.hides_itself())
                .filter(|e| e.is("dd"))?;
            let (name, matched_by) = field_name(&label_el, &label)?;
            let field_type = class_with_suffix(&label_el, "_type");
            Some(make_field(name, label, field_type, &dd, matched_by, zone))
        })
        .collect()
}

fn make_field(
    name: String,
    label: String,
    field_type: Option<String>,
    value: &Node<'_>,
    matched_by: FieldMatch,
    zone: i64,
) -> Field {
    let raw = value.text();
    // A badge is how RailsAdmin shows a boolean, and only a boolean: a date beside a badge
    // (or beside an SVG whose `<desc>` holds one) is still a date.
    let boolean = matches!(
        field_type.as_deref().or_else(|| usual_type(&name)),
        Some("boolean") | None
    );
    let badge = boolean.then(|| read_boolean_badge(value)).flatten();
    let mut field = Field::from_page(name, label, field_type, raw, matched_by, zone);
    if let Some(flag) = badge {
        field.value = flag;
    }
    field
}

/// The Edit form: `.control-group.{type}_type.{name}_field` (3.x `div.control-group.row`, 2.x
/// `div.form-group.control-group`) holding a `label` and the widget. Values are the served
/// ones: what the record holds, not what the engineer may be typing.
fn read_edit_form(doc: &Document, zone: i64) -> Vec<Field> {
    doc.select_all("form .control-group, form .form-group")
        .iter()
        .filter(|group| group.is_rendered())
        .filter_map(|group| {
            let label = group
                .select_rendered("label")
                .map(|l| l.text())
                .unwrap_or_default();
            let (name, matched_by) = field_name(group, &label)?;
            let field_type = class_with_suffix(group, "_type");
            let checkbox = group.select_rendered("input[type=checkbox]");
            let raw = if let Some(cb) = &checkbox {
                if served_checked(cb) { "✓" } else { "✘" }.to_string()
            } else if let Some(sel) = group.select_rendered("select") {
                sel.select("option[selected]")
                    .map(|o| o.text())
                    .unwrap_or_default()
            } else if let Some(area) = group.select_rendered("textarea") {
                area.text()
            } else {
                let input = group.select_rendered("input:not([type=hidden]):not([type=file])")?;
                served_value(&input).unwrap_or_default()
            };
            let ty = if checkbox.is_some() {
                Some("boolean".to_string())
            } else {
                field_type
            };
            Some(Field::from_page(name, label, ty, raw, matched_by, zone))
        })
        .collect()
}

/// 3.x: a `.badge` with `bg-success` / `bg-danger` / `bg-default` and a check / times / minus
/// icon, no text. 2.x: a `.label` with `label-success` ✓ / `label-danger` ✘ / `label-default` ‒.
fn read_boolean_badge(value: &Node<'_>) -> Option<Value> {
    let badge = value.select_rendered(".badge, .label")?;
    let icon = badge.select_rendered(".fas, .fa, [class*='icon-']");
    let is = |class: &str| badge.has_class(class) || icon.is_some_and(|i| i.has_class(class));
    let shown = badge.text();
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

/// The Customer list / search results. None when the page has no list table; the reason
/// when a row shows two values for one column.
fn read_list(
    doc: &Document,
    page_url: &str,
    flavour: Flavour,
    zone: i64,
) -> Option<Result<PageReading, String>> {
    let table = doc
        .select_all("#bulk_form table, table.table")
        .into_iter()
        .find(Node::is_rendered)?;
    let headers = table.select_all("thead th");
    let columns: Vec<String> = headers
        .iter()
        .filter(|th| !th.has_class("other"))
        .filter_map(|th| class_with_suffix(th, "_field"))
        .collect();
    let columns_hidden =
        headers.iter().any(|th| th.has_class("other")) || table.select("td.other").is_some();
    let sort = headers.iter().find_map(|th| {
        let reversed = th.has_class("headerSortUp");
        (reversed || th.has_class("headerSortDown")).then(|| Sort {
            field: class_with_suffix(th, "_field").unwrap_or_else(|| name_from_label(&th.text())),
            reversed,
        })
    });
    let rows = match table
        .select_all("tbody tr")
        .iter()
        .filter(|tr| !tr.has_class("empty_row") && tr.is_rendered())
        .filter_map(|tr| read_row(tr, page_url, zone))
        .collect::<Result<Vec<_>, String>>()
    {
        Ok(rows) => rows,
        Err(two) => return Some(Err(two)),
    };
    let total = doc
        .select(".total-count")
        .and_then(|t| parse_total_count(&t.text()));
    // 2.x renders no empty-row markup: an empty body with "0 customers" says the same.
    let no_records =
        table.select_rendered("tr.empty_row").is_some() || (rows.is_empty() && total == Some(0));
    // The rows answer the query in the URL (a GET form); the search box may hold text the
    // engineer typed since, so it is only the fallback.
    let query = url::query_param(page_url, "query")
        .or_else(|| {
            doc.select("input[name=query]")
                .and_then(|i| served_value(&i))
        })
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    let page = doc
        .select(".pagination .active")
        .and_then(|p| p.text().split_whitespace().next()?.parse().ok());
    Some(Ok(PageReading::CustomerSearch(AccountSearch {
        url: page_url.to_string(),
        flavour,
        query,
        rows,
        total,
        no_records,
        sort,
        page,
        columns,
        columns_hidden,
    })))
}

fn read_row(tr: &Node<'_>, page_url: &str, zone: i64) -> Option<Result<AccountRow, String>> {
    let fields: Vec<Field> = tr
        .select_all("td")
        .iter()
        .filter(|td| !td.has_class("other") && !td.has_class("links") && td.is_rendered())
        .filter_map(|td| {
            let name = class_with_suffix(td, "_field")?;
            let field_type = class_with_suffix(td, "_type");
            let label = name_label(&name);
            Some(make_field(
                name,
                label,
                field_type,
                td,
                FieldMatch::Class,
                zone,
            ))
        })
        .collect();
    let fields = match one_value_each(fields) {
        Ok(fields) => fields,
        Err(two) => return Some(Err(two)),
    };
    let show_href = tr
        .select_rendered(".show_member_link a, a[href*='/admin/customer/']")
        .and_then(|a| a.attr("href"));
    let show_url = show_href.and_then(|h| url::absolute(page_url, h));
    let id = tr
        .select("input[name='bulk_ids[]']")
        .and_then(|i| i.attr("value"))
        .map(str::to_string)
        .or_else(|| {
            show_url
                .as_deref()
                .and_then(url::host_and_path)
                .and_then(|(_, path)| parse_admin_path(&path))
                .and_then(|(_, id, _)| id)
        })
        .filter(|id| !id.trim().is_empty());
    (!fields.is_empty() || id.is_some()).then_some(Ok(AccountRow {
        id,
        show_url,
        fields,
    }))
}

/// Cells carry no label: Rails' `humanize` of the attribute name, as the header shows it.
fn name_label(name: &str) -> String {
    humanize(name.strip_suffix("_id").unwrap_or(name))
}

/// The host the GitLab Groups tab links namespaces to.
const GITLAB_COM: &str = "gitlab.com";

/// The GitLab Groups tab: each namespace once (by link, else by name), in order.
fn read_gitlab_groups(doc: &Document, page_url: &str, record_id: String) -> GitLabGroups {
    let gitlab_link = |el: &Node<'_>| {
        el.select_all("a[href]").iter().find_map(|a| {
            let href = url::absolute_on(page_url, a.attr("href")?, GITLAB_COM)?;
            let (_, path) = url::host_and_path(&href)?;
            (path.len() > 1).then_some((href, a.text()))
        })
    };
    let mut namespaces: Vec<Namespace> = Vec::new();
    let mut push = |ns: Namespace| {
        let same = |other: &Namespace| match (&ns.url, &other.url) {
            (Some(a), Some(b)) => a == b,
            _ => ns.name == other.name,
        };
        if !ns.name.is_empty() && !namespaces.iter().any(same) {
            namespaces.push(ns);
        }
    };
    // The content's table (the layout's navbar and sidebar hold none).
    let table = doc
        .select_all("table")
        .into_iter()
        .find(|t| t.select("thead th, tbody tr").is_some());
    let mut empty_text = None;
    match &table {
        Some(table) => {
            for tr in table.select_all("tbody tr") {
                let cells = tr.select_all("td");
                if tr.has_class("empty_row") || cells.len() <= 1 && gitlab_link(&tr).is_none() {
                    let text = tr.text();
                    if !text.is_empty() {
                        empty_text = Some(text);
                    }
                    continue;
                }
                let link = gitlab_link(&tr);
                let name = cells
                    .first()
                    .map(|c| c.text())
                    .filter(|t| !t.is_empty())
                    .or_else(|| link.as_ref().map(|(_, text)| text.clone()))
                    .unwrap_or_default();
                push(Namespace {
                    name,
                    url: link.map(|(href, _)| href),
                });
            }
        }
        None => {
            for a in doc.select_all("a[href]") {
                if let Some((href, text)) = gitlab_link(&a) {
                    push(Namespace {
                        name: text,
                        url: Some(href),
                    });
                }
            }
        }
    }
    if namespaces.is_empty() && empty_text.is_none() {
        // The page's own words for "none", when it says so in a paragraph or an alert.
        empty_text = doc
            .select_all(".gitlab-groups p, .gitlab_groups p, .alert, p.empty")
            .iter()
            .map(|p| p.text())
            .find(|t| !t.is_empty());
    }
    GitLabGroups {
        url: page_url.to_string(),
        record_id,
        namespaces,
        empty_text,
    }
}
