//! The Mailgun reader: the logs pages of app.mailgun.com (old and new), event JSON shown in
//! a page (detail panels, `<pre>`/`<code>` blocks, the browser's view of an API response),
//! and Events API JSON text (a saved response or the popup's live look-up).
//!
//! Mailgun's DOM is not public and changes, so nothing here names a Mailgun class. Rows are
//! found from their content: every text node holding an `@` (found natively by XPath), then
//! its row: the nearest `tr` / `[role=row]`, else the nearest ancestor repeated among its
//! siblings (same tag and class) that contains an event word. A row is an event when it has
//! exactly one recipient address (sending-domain addresses are the sender) and an event word.
//! Column headers (`th`, `[role=columnheader]`) name the cells when they line up; otherwise
//! cells are typed by content (a time, an event word, an address, a host name, a status
//! message, a subject).
//!
//! The reader is stateless: rows that appear later (scrolling, filtering) are read from the
//! next snapshot; [`MailgunPage::merge_later`] keeps rows a virtualised list dropped.

use super::dom::{fold_whitespace, select, select_all, text};
use crate::core::email;
use crate::core::mail::classify::{kind_of_subject, leading_code, outcome_from_word};
use crate::core::mail::events_api::{self, Context};
use crate::core::mail::json::Json;
use crate::core::mail::shown_time::{looks_like_time, parse_range, parse_shown_time};
use crate::core::mail::{
    fold_details, is_host_name, surface_of, DomainSource, EventSource, MailDomain, MailEvent,
    MailKind, MailSearch, MailgunPage, RangeShown, Surface,
};
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node, XPathResult};

/// Reads a Mailgun page (a snapshot parsed into a Document, or a fetched page).
pub fn read(doc: &Document, url: &str, settings: &Settings) -> MailgunPage {
    let controls = Controls::of(doc);
    let (surface, url_domain) = surface_of(url, settings);
    let page_domain = url_domain
        .map(|d| (d, DomainSource::Url))
        .or_else(|| control_domain(&controls, settings).map(|d| (d, DomainSource::PageControl)));
    let blocks = controls.matching(BLOCKS);
    let mut page = MailgunPage::new(url, surface, page_domain.as_ref());

    let rows = RowReader {
        settings,
        page_domain: page_domain.clone(),
    }
    .read_all(doc, &blocks);
    let rows_seen = rows.events.len();
    page.events = rows.events;
    page.problems = rows.problems;

    let source = if surface == Surface::EventsApi {
        EventSource::EventsApi
    } else {
        EventSource::DetailJson
    };
    let ctx = Context {
        settings,
        page_domain: page_domain.clone(),
        source,
    };
    for block in json_blocks(&blocks, surface) {
        let parsed = match parse_json_text(&block) {
            Ok(value) => events_api::parse_value(&value, &ctx),
            Err(why) => {
                page.problems.push(format!(
                    "A JSON block (“{}”) could not be parsed: {why}.",
                    excerpt(&block, 40)
                ));
                continue;
            }
        };
        page.events.extend(parsed.events);
        page.problems.extend(parsed.problems);
        if parsed.next_page.is_some() {
            page.next_page = parsed.next_page;
        }
    }
    page.events = fold_details(std::mem::take(&mut page.events));

    if matches!(surface, Surface::OldLogs | Surface::NewLogs) || rows_seen > 0 {
        page.search = Some(read_search(doc, &controls, page.domain.clone(), rows_seen));
    }
    page
}

/// Reads Events API (or Logs API) JSON text: a saved response or the popup's live look-up.
/// `url` is the request URL (it names the domain: `/v3/<domain>/events`).
pub fn read_json_text(json_text: &str, url: &str, settings: &Settings) -> MailgunPage {
    let (surface, url_domain) = surface_of(url, settings);
    let page_domain = url_domain.map(|d| (d, DomainSource::Url));
    let mut page = MailgunPage::new(url, surface, page_domain.as_ref());
    match parse_json_text(json_text) {
        Ok(value) => {
            let parsed = events_api::parse_value(
                &value,
                &Context {
                    settings,
                    page_domain,
                    source: EventSource::EventsApi,
                },
            );
            page.events = parsed.events;
            page.problems = parsed.problems;
            page.next_page = parsed.next_page;
        }
        Err(why) => page
            .problems
            .push(format!("The response is not JSON: {why}.")),
    }
    page
}

/// `JSON.parse`, then the lenient tree (no JSON parser in the WASM).
pub fn parse_json_text(json_text: &str) -> Result<Json, String> {
    let value = js_sys::JSON::parse(json_text).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "not JSON".into())
    })?;
    Ok(crate::js::json_from_js(&value))
}

/// The browser's offset (minutes east of UTC) at a wall-clock time: times the web app shows
/// without a zone are taken as the browser's local time (see `core::mail::shown_time`).
pub fn browser_local_offset(wall: UtcTime) -> Option<i32> {
    let (y, mo, d, h, mi, s) = wall.to_civil();
    let year = u32::try_from(y).ok()?;
    let local = js_sys::Date::new_with_year_month_day_hr_min_sec(
        year,
        mo as i32 - 1,
        d as i32,
        h as i32,
        mi as i32,
        s as i32,
    );
    let utc_ms = local.get_time();
    if !utc_ms.is_finite() {
        return None;
    }
    let offset_secs = wall.0 - UtcTime::from_millis(utc_ms).0;
    i32::try_from(offset_secs / 60).ok()
}

// ---------------------------------------------------------------------------------------
// Rows

/// What a column holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Time,
    Event,
    Recipient,
    Sender,
    Subject,
    Message,
    Code,
    Domain,
    Other,
}

fn column_of(header: &str) -> Column {
    let h = header.to_lowercase();
    let has = |w: &str| h.contains(w);
    if has("message") && !has("message id") && !has("message-id") || has("reason") {
        Column::Message
    } else if has("subject") {
        Column::Subject
    } else if has("recipient") || h == "to" {
        Column::Recipient
    } else if has("sender") || h == "from" {
        Column::Sender
    } else if has("code") {
        Column::Code
    } else if has("time") || has("date") || h == "when" {
        Column::Time
    } else if has("event") || has("status") || h == "type" {
        Column::Event
    } else if has("domain") {
        Column::Domain
    } else {
        Column::Other
    }
}

struct RowReader<'a> {
    settings: &'a Settings,
    page_domain: Option<(MailDomain, DomainSource)>,
}

#[derive(Default)]
struct Rows {
    events: Vec<MailEvent>,
    problems: Vec<String>,
}

impl RowReader<'_> {
    /// `blocks`: the page's `pre, code, textarea, script, style, template, head` elements,
    /// whose addresses are not rows.
    fn read_all(&self, doc: &Document, blocks: &[Element]) -> Rows {
        let mut out = Rows::default();
        let mut seen_rows: Vec<Element> = Vec::new();
        let mut headers: Vec<(Element, Vec<Column>)> = Vec::new();
        for el in address_elements(doc) {
            // Usually there are none: no call per address then.
            let in_block = match blocks.len() {
                0 => false,
                1..=8 => blocks.iter().any(|b| b.contains(Some(&el))),
                _ => el
                    .closest("pre, code, textarea, script, style, template, head")
                    .ok()
                    .flatten()
                    .is_some(),
            };
            if in_block {
                continue;
            }
            let explicit = el.closest("tr, [role=row]").ok().flatten();
            let Some(row) = explicit.clone().or_else(|| generic_row(&el)) else {
                continue;
            };
            // Addresses of one row are consecutive in document order.
            if seen_rows
                .iter()
                .rev()
                .take(4)
                .any(|r| r.is_same_node(Some(&row)))
            {
                continue;
            }
            seen_rows.push(row.clone());
            let (cells, columns) = self.cells(&row, explicit.is_some(), &mut headers);
            match self.read_row(&cells, columns.as_deref()) {
                RowResult::Event(e) => out.events.push(*e),
                RowResult::EventWithProblem(e, p) => {
                    out.problems.push(format!("Row of {}: {p}", e.recipient));
                    out.events.push(*e);
                }
                RowResult::Problem(p) => out.problems.push(format!(
                    "Row “{}”: {p}",
                    excerpt(
                        &fold_whitespace(&row.text_content().unwrap_or_default()),
                        60
                    )
                )),
                RowResult::NotEvent => {}
            }
        }
        out
    }

    /// The row's cells (text as shown) and, when headers line up, what each holds.
    fn cells(
        &self,
        row: &Element,
        explicit: bool,
        cache: &mut Vec<(Element, Vec<Column>)>,
    ) -> (Vec<Element>, Option<Vec<Column>>) {
        let cells = if row.tag_name() == "TR" {
            element_children(row)
        } else {
            let roles = select_all(row, "[role=cell], [role=gridcell], [role=rowheader]");
            if roles.is_empty() {
                let mut base = row.clone();
                // Descend through single-child wrappers.
                while base.child_element_count() == 1 {
                    match base.first_element_child() {
                        Some(child) => base = child,
                        None => break,
                    }
                }
                element_children(&base)
            } else {
                roles
            }
        };
        if !explicit {
            return (cells, None);
        }
        let container = row
            .closest("table, [role=grid], [role=table], [role=treegrid]")
            .ok()
            .flatten();
        let columns = container.map(|c| {
            if let Some((_, cols)) = cache.iter().find(|(e, _)| e.is_same_node(Some(&c))) {
                return cols.clone();
            }
            let header_cells = {
                let th = select_all(&c, "thead th, [role=columnheader]");
                if th.is_empty() {
                    select(&c, "tr")
                        .map(|first| select_all(&first, "th"))
                        .unwrap_or_default()
                } else {
                    th
                }
            };
            let cols: Vec<Column> = header_cells.iter().map(|h| column_of(&text(h))).collect();
            cache.push((c, cols.clone()));
            cols
        });
        let columns = columns
            .filter(|cols| cols.len() == cells.len() && cols.iter().any(|c| *c != Column::Other));
        (cells, columns)
    }

    fn read_row(&self, cells: &[Element], columns: Option<&[Column]>) -> RowResult {
        let s = self.settings;
        let texts: Vec<String> = cells.iter().map(cell_text).collect();
        let col = |i: usize| {
            columns
                .and_then(|c| c.get(i).copied())
                .unwrap_or(Column::Other)
        };

        // Addresses: recipients, unless in a sender column or on a sending domain.
        let mut recipients: Vec<(usize, String)> = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            if matches!(col(i), Column::Sender | Column::Subject | Column::Message) {
                continue;
            }
            for addr in addresses_in(t) {
                if self.is_sender(&addr) {
                    continue;
                }
                let key = email::normalise(&addr);
                if !recipients.iter().any(|(_, a)| email::normalise(a) == key) {
                    recipients.push((i, addr));
                }
            }
        }
        let mut used = vec![false; texts.len()];
        let event_at = (0..texts.len())
            .find(|&i| col(i) == Column::Event && outcome_from_word(&texts[i], None).is_some())
            .or_else(|| (0..texts.len()).find(|&i| outcome_from_word(&texts[i], None).is_some()));
        let (recipient_at, recipient) = match (recipients.len(), event_at) {
            (0, _) => return RowResult::NotEvent,
            (1, None) => {
                return if texts.iter().any(|t| parse_shown_time(t).is_some()) {
                    RowResult::Problem("an address and a time but no event word we know.".into())
                } else {
                    RowResult::NotEvent
                }
            }
            (1, Some(_)) => recipients.remove(0),
            (n, _) => {
                return RowResult::Problem(format!(
                    "{n} recipient addresses ({}); cannot tell which one the event is for.",
                    recipients
                        .iter()
                        .map(|(_, a)| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        };
        let Some(event_at) = event_at else {
            return RowResult::NotEvent;
        };
        used[recipient_at] = true;
        used[event_at] = true;

        // Time: the Time column, else the first cell that reads as one, else one that looks
        // like one but cannot be read (the row is then said to have an unreadable time, and
        // the cell is not taken for its subject or message).
        let time_at = (0..texts.len())
            .find(|&i| !used[i] && col(i) == Column::Time)
            .or_else(|| {
                (0..texts.len()).find(|&i| !used[i] && parse_shown_time(&texts[i]).is_some())
            })
            .or_else(|| (0..texts.len()).find(|&i| !used[i] && looks_like_time(&texts[i])));
        let mut problem = None;
        let (timestamp, time_basis, time_shown) = match time_at {
            Some(i) => {
                used[i] = true;
                match parse_shown_time(&texts[i]) {
                    Some(t) => {
                        let (utc, basis) = t.to_utc(&crate::js::browser_local_offset);
                        (Some(utc), Some(basis), Some(texts[i].clone()))
                    }
                    None => {
                        problem = Some(format!("time “{}” is not in a format we know.", texts[i]));
                        (None, None, Some(texts[i].clone()))
                    }
                }
            }
            None => (None, None, None),
        };

        // Domain, code, sender cells.
        let mut row_domain = None;
        let mut code = None;
        for i in 0..texts.len() {
            if used[i] {
                continue;
            }
            let t = texts[i].trim();
            match col(i) {
                Column::Sender => used[i] = true,
                Column::Code => {
                    used[i] = true;
                    code = Some(t.to_string()).filter(|c| !c.is_empty());
                }
                Column::Domain | Column::Other if !t.contains('@') && is_host_name(t) => {
                    used[i] = true;
                    row_domain = MailDomain::from_host(t, s);
                }
                Column::Other if t.is_empty() || t.contains('@') => used[i] = true,
                Column::Other if t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()) => {
                    used[i] = true;
                    code = Some(t.to_string());
                }
                _ => {}
            }
        }

        // Subject and status message.
        let subject_col = (0..texts.len()).find(|&i| !used[i] && col(i) == Column::Subject);
        let message_col = (0..texts.len()).find(|&i| !used[i] && col(i) == Column::Message);
        let rest: Vec<usize> = (0..texts.len())
            .filter(|&i| {
                !used[i]
                    && Some(i) != subject_col
                    && Some(i) != message_col
                    && !texts[i].trim().is_empty()
                    && col(i) == Column::Other
            })
            .collect();
        let subject_at = subject_col.or_else(|| {
            rest.iter()
                .copied()
                .find(|&i| kind_of_subject(&texts[i]) != MailKind::Other)
                .or_else(|| {
                    rest.iter()
                        .copied()
                        .filter(|&i| !is_status_like(&texts[i]))
                        .max_by_key(|&i| texts[i].chars().count())
                })
        });
        let message_at = message_col.or_else(|| {
            rest.iter()
                .copied()
                .filter(|&i| Some(i) != subject_at)
                .find(|&i| is_status_like(&texts[i]))
                .or_else(|| rest.iter().copied().find(|&i| Some(i) != subject_at))
        });
        let nonempty = |i: Option<usize>| {
            i.map(|i| texts[i].trim().to_string())
                .filter(|t| !t.is_empty() && !matches!(t.as_str(), "-" | "—"))
        };
        let subject = nonempty(subject_at);
        let message = nonempty(message_at);
        let code = code.or_else(|| message.as_deref().and_then(leading_code));
        let Some(outcome) = outcome_from_word(&texts[event_at], message.as_deref()) else {
            return RowResult::NotEvent;
        };

        let (domain, domain_source) = match (row_domain, &self.page_domain) {
            (Some(d), _) => (d, Some(DomainSource::RowCell)),
            (None, Some((d, src))) if d.is_known() => (d.clone(), Some(*src)),
            _ => (MailDomain::Unknown, None),
        };
        let event = MailEvent {
            recipient_key: email::normalise(&recipient),
            recipient,
            domain,
            domain_source,
            kind: subject.as_deref().map_or(MailKind::Other, kind_of_subject),
            outcome,
            subject,
            event_shown: texts[event_at].trim().to_string(),
            reason: None,
            severity: None,
            code,
            message,
            description: None,
            timestamp,
            time_shown,
            time_basis,
            event_id: None,
            message_id: None,
            source: EventSource::Row,
        };
        match problem {
            // The event is listed; the unreadable time is reported too.
            Some(p) => RowResult::EventWithProblem(Box::new(event), p),
            None => RowResult::Event(Box::new(event)),
        }
    }

    /// The sending side of a row: addresses on a sending domain or Mailgun's bounce address.
    fn is_sender(&self, addr: &str) -> bool {
        let Some((local, host)) = addr.rsplit_once('@') else {
            return false;
        };
        let local = local.to_ascii_lowercase();
        let on_sending_domain = MailDomain::from_host(host, self.settings).is_some_and(|d| {
            matches!(d, MailDomain::CustomersPortal | MailDomain::GitLabCom)
                || self.page_domain.as_ref().is_some_and(|(p, _)| *p == d)
        });
        on_sending_domain || local.starts_with("bounce+") || local == "postmaster"
    }
}

enum RowResult {
    Event(Box<MailEvent>),
    EventWithProblem(Box<MailEvent>, String),
    Problem(String),
    NotEvent,
}

/// The elements whose own text holds an `@`, in document order (XPath, evaluated natively).
fn address_elements(doc: &Document) -> Vec<Element> {
    let Some(body) = doc.body() else {
        return Vec::new();
    };
    let Ok(result) = doc.evaluate_with_opt_callback_and_type(
        ".//text()[contains(., '@')]",
        &body,
        None,
        XPathResult::ORDERED_NODE_SNAPSHOT_TYPE,
    ) else {
        return Vec::new();
    };
    let n = result.snapshot_length().unwrap_or(0);
    let mut out: Vec<Element> = Vec::with_capacity(n as usize);
    for i in 0..n {
        let parent = result
            .snapshot_item(i)
            .ok()
            .flatten()
            .and_then(|t: Node| t.parent_element());
        if let Some(p) = parent {
            if !out.last().is_some_and(|l| l.is_same_node(Some(&p))) {
                out.push(p);
            }
        }
    }
    out
}

/// A row without a row role: the nearest ancestor repeated next to itself (an adjacent
/// sibling with the same tag and class; or, for a lone row under a header, the same tag and
/// several cells) that holds an event word. Adjacent siblings only: rows repeat side by side,
/// and looking at all siblings of every row would be quadratic on a 10,000-row list.
fn generic_row(el: &Element) -> Option<Element> {
    let mut current = el.clone();
    for _ in 0..8 {
        let parent = current.parent_element()?;
        if parent.tag_name() == "BODY" {
            return None;
        }
        let tag = current.tag_name();
        let class = current.get_attribute("class");
        let neighbours = [
            current.previous_element_sibling(),
            current.next_element_sibling(),
        ];
        let twin = neighbours
            .iter()
            .flatten()
            .any(|n| n.tag_name() == tag && n.get_attribute("class") == class);
        let lone_row = current.child_element_count() >= 2
            && neighbours.iter().flatten().any(|n| n.tag_name() == tag);
        if twin || lone_row {
            let t = current.text_content().unwrap_or_default();
            // A row is short and holds no table, grid or other rows: not a layout block.
            if t.len() > 2000
                || select(&current, "table, tr, [role=row], [role=grid], pre").is_some()
            {
                return None;
            }
            if has_event_word(&t) {
                return Some(current);
            }
        }
        current = parent;
    }
    None
}

fn has_event_word(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "accepted",
        "delivered",
        "temporary fail",
        "permanent fail",
        "failed",
        "rejected",
        "opened",
        "clicked",
        "complained",
        "unsubscribed",
        "stored",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

fn element_children(el: &Element) -> Vec<Element> {
    let mut out = Vec::new();
    let mut next = el.first_element_child();
    while let Some(child) = next {
        next = child.next_element_sibling();
        out.push(child);
    }
    out
}

/// A cell's text; a truncated cell ("Reset password instr…") gives its `title` instead.
fn cell_text(cell: &Element) -> String {
    let shown = text(cell);
    if shown.ends_with('…') || shown.ends_with("...") {
        let title = cell
            .get_attribute("title")
            .or_else(|| select(cell, "[title]").and_then(|t| t.get_attribute("title")));
        if let Some(title) = title.map(|t| fold_whitespace(&t)).filter(|t| !t.is_empty()) {
            return title;
        }
    }
    shown
}

/// The addresses in a text (separated by spaces, brackets, commas, quotes).
fn addresses_in(text: &str) -> Vec<String> {
    // Most cells hold none: no splitting then (a 10,000-row page has 70,000 cells).
    if !text.contains('@') {
        return Vec::new();
    }
    text.split(|c: char| c.is_whitespace() || "<>(),;\"'[]".contains(c))
        .map(|t| t.trim_end_matches(['.', ':']))
        .map(|t| t.strip_prefix("mailto:").unwrap_or(t))
        .filter(|t| email::is_address(t))
        .map(str::to_string)
        .collect()
}

/// A delivery status message rather than a subject: an SMTP code, "OK", Mailgun's phrases.
fn is_status_like(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    leading_code(&lower).is_some()
        || matches!(lower.as_str(), "ok" | "queued" | "-" | "—")
        || lower.contains("not delivering")
        || lower.contains("mailbox")
        || lower.contains("smtp")
        || lower.starts_with("queued")
        || lower.contains("greylist")
}

// ---------------------------------------------------------------------------------------
// JSON blocks, domain control, search

/// The page's form controls, filters and blocks, found in one query: every query walks the
/// whole page (150,000 elements on a 10,000-row page), so the reader makes one, not six.
struct Controls {
    all: Vec<Element>,
}

/// Where an address is not a row, and where event JSON is.
const BLOCKS: &str = "pre, code, textarea, script, style, template, head";
const SELECTS: &str = "select";
const DOMAIN_CONTROLS: &str =
    "[role=combobox], [aria-haspopup=listbox], button[aria-haspopup], [aria-label*=domain i]";
const SEARCH_INPUTS: &str =
    "input[type=search], input[placeholder*=search i], input[placeholder*=recipient i], \
     input[placeholder*=filter i], input[placeholder*=email i], input[aria-label*=search i], \
     input[aria-label*=recipient i], input[aria-label*=filter i], input[name*=search i], \
     input[name*=recipient i], input[name*=query i]";
/// Filter chips outside the rows (excluded by the selector, not by a call per element: a
/// 10,000-row page has 10,000 buttons in its rows).
const FILTERS: &str = ":is(button, [role=button], [role=listitem], li, \
     [aria-label*=filter i] span, [data-filter]):not(tr, [role=row], tr *, [role=row] *)";
/// Controls outside the rows that may show the time range.
const RANGE_CONTROLS: &str = ":is(button, [role=button], [role=combobox], input[value])\
     :not(tr, [role=row], tr *, [role=row] *)";

impl Controls {
    fn of(doc: &Document) -> Controls {
        let all = [
            BLOCKS,
            SELECTS,
            DOMAIN_CONTROLS,
            SEARCH_INPUTS,
            FILTERS,
            RANGE_CONTROLS,
        ]
        .join(", ");
        Controls {
            all: select_all(doc, &all),
        }
    }

    /// Those matching `selector` (one of the above), in document order.
    fn matching(&self, selector: &str) -> Vec<Element> {
        self.all
            .iter()
            .filter(|el| el.matches(selector).unwrap_or(false))
            .cloned()
            .collect()
    }
}

/// Where Mailgun shows an event's JSON: its log or event details, a dialog (the old logs'
/// "Log details" modal, the new logs' "Event details" panel). Event JSON anywhere else on a
/// page (a `<pre>` in a help text, a `<textarea>` anyone could fill) is not read.
const DETAIL_VIEW: &str = "dialog, [role=dialog], [role=alertdialog], [aria-modal=true]";

/// Texts of `pre` / `code` / `textarea` blocks (among `blocks`) that look like event JSON, in
/// an event detail view, or anywhere on an event's own page or the browser's view of an
/// Events API response.
fn json_blocks(blocks: &[Element], surface: Surface) -> Vec<String> {
    blocks
        .iter()
        .filter(|el| {
            let tag = el.tag_name();
            ["pre", "code", "textarea"]
                .iter()
                .any(|t| tag.eq_ignore_ascii_case(t))
        })
        .filter(|el| {
            matches!(surface, Surface::EventsApi | Surface::EventDetail)
                || el.closest(DETAIL_VIEW).ok().flatten().is_some()
        })
        .filter(|el| {
            // A `code` inside a `pre` is the same block.
            el.tag_name() != "CODE"
                || el
                    .parent_element()
                    .and_then(|p| p.closest("pre").ok().flatten())
                    .is_none()
        })
        .filter_map(|el| {
            let raw = if el.tag_name() == "TEXTAREA" {
                el.get_attribute("value")
                    .or_else(|| el.text_content())
                    .unwrap_or_default()
            } else {
                el.text_content().unwrap_or_default()
            };
            let t = raw.trim();
            let looks_like = (t.starts_with('{') || t.starts_with('['))
                && (t.contains("\"event\"") || t.contains("\"items\""));
            looks_like.then(|| t.to_string())
        })
        .collect()
}

/// The selected sending domain: a `<select>`, combobox or drop-down button showing a host
/// name. "All domains" (no host name) is no domain.
fn control_domain(controls: &Controls, settings: &Settings) -> Option<MailDomain> {
    let mut shown: Vec<String> = Vec::new();
    for sel in &controls.matching(SELECTS) {
        if let Some(t) = selected_option_text(sel) {
            shown.push(t);
        }
    }
    for el in controls.matching(DOMAIN_CONTROLS) {
        shown.push(text(&el));
        if let Some(v) = el.get_attribute("value") {
            shown.push(v);
        }
    }
    shown.iter().find_map(|t| {
        t.split(|c: char| c.is_whitespace() || "()[],;:".contains(c))
            .filter(|w| !w.contains('@') && is_host_name(w))
            .find_map(|w| MailDomain::from_host(w, settings))
    })
}

fn selected_option_text(sel: &Element) -> Option<String> {
    select(sel, "option[selected]")
        .or_else(|| select(sel, "option"))
        .map(|o| text(&o))
}

fn read_search(
    doc: &Document,
    controls: &Controls,
    domain: MailDomain,
    rows_seen: usize,
) -> MailSearch {
    let query = controls
        .matching(SEARCH_INPUTS)
        .iter()
        .filter_map(|i| i.get_attribute("value"))
        .map(|v| fold_whitespace(&v))
        .find(|v| !v.is_empty());

    let mut filters: Vec<String> = Vec::new();
    for el in controls.matching(FILTERS) {
        let t = text(&el);
        let t = t.trim_end_matches(['×', '✕', '✖']).trim().to_string();
        if t.len() > 160 || filters.contains(&t) {
            continue;
        }
        let Some((label, value)) = t.split_once(':') else {
            continue;
        };
        let label = label.trim().to_lowercase();
        let known = [
            "to",
            "recipient",
            "from",
            "contains",
            "subject",
            "status message",
            "status code",
            "event",
            "status",
            "message id",
            "tags",
            "domain",
        ];
        if known.contains(&label.as_str()) && !value.trim().is_empty() {
            filters.push(t);
        }
    }

    let mut range: Option<RangeShown> = None;
    for sel in &controls.matching(SELECTS) {
        if let Some(r) = selected_option_text(sel)
            .and_then(|t| parse_range(&t, &crate::js::browser_local_offset))
        {
            range = Some(r);
            break;
        }
    }
    if range.is_none() {
        range = controls.matching(RANGE_CONTROLS).iter().find_map(|el| {
            let t = el
                .get_attribute("value")
                .filter(|_| el.tag_name() == "INPUT")
                .unwrap_or_else(|| text(el));
            parse_range(&t, &crate::js::browser_local_offset)
        });
    }

    let empty_text = (rows_seen == 0)
        .then(|| {
            select_all(doc, "p, div, span, td, h2, h3, h4, [role=status]")
                .iter()
                .filter(|el| el.child_element_count() == 0)
                .map(text)
                .find(|t| {
                    let l = t.to_lowercase();
                    t.len() < 120
                        && (l.starts_with("no ") || l.starts_with("there are no"))
                        && ["found", "result", "event", "log", "match", "data"]
                            .iter()
                            .any(|w| l.contains(w))
                })
        })
        .flatten();

    MailSearch {
        domain,
        query,
        filters,
        range,
        rows_seen,
        empty_text,
    }
}

fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}
