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

use super::LocalOffset;
use crate::core::email;
use crate::core::html::{fold_whitespace, Document, Node, Rendered, Selector};
use crate::core::mail::classify::{kind_of_subject, leading_code, outcome_from_word};
use crate::core::mail::events_api::{self, Context};
use crate::core::mail::json::Json;
use crate::core::mail::shown_time::{looks_like_time, parse_range, parse_shown_time};
use crate::core::mail::{
    fold_details, is_host_name, surface_of, DomainSource, EventSource, MailDomain, MailEvent,
    MailKind, MailSearch, MailgunPage, RangeShown, Surface,
};
use crate::core::settings::Settings;

/// Reads a Mailgun page (a snapshot parsed into a Document, or a fetched page).
pub fn read(
    doc: &Document,
    url: &str,
    settings: &Settings,
    local_offset: LocalOffset,
) -> MailgunPage {
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
        local_offset,
        domains: Recent::new(),
        sending_hosts: Recent::new(),
        kinds: Recent::new(),
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
        page.search = Some(read_search(
            doc,
            &controls,
            page.domain.clone(),
            rows_seen,
            local_offset,
        ));
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

/// JSON text to the lenient tree.
pub fn parse_json_text(json_text: &str) -> Result<Json, String> {
    serde_json::from_str::<Json>(json_text).map_err(|e| e.to_string())
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
    local_offset: LocalOffset<'a>,
    /// Per domain cell: whether it is a host name, and its domain.
    domains: Recent<Option<Option<MailDomain>>>,
    /// Per address host: whether it is a sending domain.
    sending_hosts: Recent<bool>,
    /// Per subject: the kind of mail.
    kinds: Recent<MailKind>,
}

/// The last few results of a pure function of a text: a 10,000-row page repeats a handful of
/// domains and subjects, so each is worked out once rather than once per row.
struct Recent<T>(std::cell::RefCell<Vec<(Box<str>, T)>>);

impl<T: Clone> Recent<T> {
    fn new() -> Recent<T> {
        Recent(std::cell::RefCell::new(Vec::new()))
    }

    fn get(&self, key: &str, f: impl FnOnce(&str) -> T) -> T {
        let mut known = self.0.borrow_mut();
        if let Some((_, value)) = known.iter().find(|(k, _)| **k == *key) {
            return value.clone();
        }
        let value = f(key);
        if known.len() >= 16 {
            known.remove(0);
        }
        known.push((key.into(), value.clone()));
        value
    }
}

#[derive(Default)]
struct Rows {
    events: Vec<MailEvent>,
    problems: Vec<String>,
}

impl RowReader<'_> {
    /// `blocks`: the page's `pre, code, textarea, script, style, template, head` elements,
    /// whose addresses are not rows.
    fn read_all<'d>(&self, doc: &'d Document, blocks: &[Node<'d>]) -> Rows {
        let mut out = Rows::default();
        let mut seen_rows: Vec<Node<'d>> = Vec::new();
        let mut headers: Vec<(Node<'d>, Vec<Column>)> = Vec::new();
        let row_selector = Selector::cached("tr, [role=row]");
        let block_selector = Selector::cached(BLOCKS);
        for el in address_elements(doc) {
            let in_block = match blocks.len() {
                0 => false,
                1..=8 => blocks.iter().any(|b| b.contains(&el)),
                _ => block_selector
                    .as_ref()
                    .and_then(|s| el.closest_by(s))
                    .is_some(),
            };
            if in_block {
                continue;
            }
            let explicit = row_selector.as_ref().and_then(|s| el.closest_by(s));
            let Some(row) = explicit.or_else(|| generic_row(&el)) else {
                continue;
            };
            // Addresses of one row are consecutive in document order.
            if seen_rows.iter().rev().take(4).any(|r| *r == row) {
                continue;
            }
            seen_rows.push(row);
            let (cells, columns) = self.cells(&row, explicit.is_some(), &mut headers);
            match self.read_row(&cells, columns.as_deref()) {
                RowResult::Event(e) => out.events.push(*e),
                RowResult::EventWithProblem(e, p) => {
                    out.problems.push(format!("Row of {}: {p}", e.recipient));
                    out.events.push(*e);
                }
                RowResult::Problem(p) => out
                    .problems
                    .push(format!("Row “{}”: {p}", excerpt(&row.text(), 60))),
                RowResult::NotEvent => {}
            }
        }
        out
    }

    /// The row's cells (text as shown) and, when headers line up, what each holds.
    fn cells<'d>(
        &self,
        row: &Node<'d>,
        explicit: bool,
        cache: &mut Vec<(Node<'d>, Vec<Column>)>,
    ) -> (Vec<Node<'d>>, Option<Vec<Column>>) {
        let cells = if row.is("tr") {
            row.element_children().collect()
        } else {
            // `[role=cell], [role=gridcell], [role=rowheader]` (`role` matches case-sensitively),
            // without a selector's look-ups on each of a row's elements.
            let roles: Vec<Node<'d>> = row
                .descendants()
                .filter(|n| matches!(n.attr("role"), Some("cell" | "gridcell" | "rowheader")))
                .collect();
            if roles.is_empty() {
                let mut base = *row;
                // Descend through single-child wrappers.
                while base.child_element_count() == 1 {
                    match base.first_element_child() {
                        Some(child) => base = child,
                        None => break,
                    }
                }
                base.element_children().collect()
            } else {
                roles
            }
        };
        if !explicit {
            return (cells, None);
        }
        let container = row.closest("table, [role=grid], [role=table], [role=treegrid]");
        let columns = container.map(|c| {
            if let Some((_, cols)) = cache.iter().find(|(e, _)| *e == c) {
                return cols.clone();
            }
            let header_cells = {
                let th = c.select_all("thead th, [role=columnheader]");
                if th.is_empty() {
                    c.select("tr")
                        .map(|first| first.select_all("th"))
                        .unwrap_or_default()
                } else {
                    th
                }
            };
            let cols: Vec<Column> = header_cells.iter().map(|h| column_of(&h.text())).collect();
            cache.push((c, cols.clone()));
            cols
        });
        let columns = columns
            .filter(|cols| cols.len() == cells.len() && cols.iter().any(|c| *c != Column::Other));
        (cells, columns)
    }

    fn read_row(&self, cells: &[Node<'_>], columns: Option<&[Column]>) -> RowResult {
        let texts: Vec<String> = cells.iter().map(cell_text).collect();
        let t = |i: usize| texts.get(i).map_or("", String::as_str);
        let is_used = |used: &[bool], i: usize| used.get(i).copied().unwrap_or(true);
        let mark = |used: &mut [bool], i: usize| {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
        };
        let col = |i: usize| {
            columns
                .and_then(|c| c.get(i).copied())
                .unwrap_or(Column::Other)
        };

        // Addresses: recipients, unless in a sender column or on a sending domain.
        // With each its key (normalised once).
        let mut recipients: Vec<(usize, String, Option<String>)> = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            if matches!(col(i), Column::Sender | Column::Subject | Column::Message) {
                continue;
            }
            for addr in addresses_in(t) {
                if self.is_sender(&addr) {
                    continue;
                }
                let key = email::key_of_address(&addr);
                if !recipients.iter().any(|(_, _, k)| *k == key) {
                    recipients.push((i, addr, key));
                }
            }
        }
        let mut used = vec![false; texts.len()];
        let event_at = (0..texts.len())
            .find(|&i| col(i) == Column::Event && outcome_from_word(t(i), None).is_some())
            .or_else(|| (0..texts.len()).find(|&i| outcome_from_word(t(i), None).is_some()));
        let (recipient_at, recipient, recipient_key) = match (recipients.len(), event_at) {
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
                        .map(|(_, a, _)| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        };
        let Some(event_at) = event_at else {
            return RowResult::NotEvent;
        };
        mark(&mut used, recipient_at);
        mark(&mut used, event_at);

        // Time: the Time column, else the first cell that reads as one, else one that looks
        // like one but cannot be read (the row is then said to have an unreadable time, and
        // the cell is not taken for its subject or message).
        let time = (0..texts.len())
            .find(|&i| !is_used(&used, i) && col(i) == Column::Time)
            .map(|i| (i, parse_shown_time(t(i))))
            .or_else(|| {
                (0..texts.len())
                    .filter(|&i| !is_used(&used, i))
                    .find_map(|i| Some((i, Some(parse_shown_time(t(i))?))))
            })
            .or_else(|| {
                (0..texts.len())
                    .find(|&i| !is_used(&used, i) && looks_like_time(t(i)))
                    .map(|i| (i, None))
            });
        let mut problem = None;
        let (timestamp, time_basis, time_shown) = match time {
            Some((i, shown)) => {
                mark(&mut used, i);
                match shown {
                    Some(shown) => {
                        let (utc, basis) = shown.to_utc(self.local_offset);
                        (Some(utc), Some(basis), Some(t(i).to_string()))
                    }
                    None => {
                        problem = Some(format!("time “{}” is not in a format we know.", t(i)));
                        (None, None, Some(t(i).to_string()))
                    }
                }
            }
            None => (None, None, None),
        };

        // Domain, code, sender cells.
        let mut row_domain = None;
        let mut code = None;
        for i in 0..texts.len() {
            if is_used(&used, i) {
                continue;
            }
            let cell = t(i).trim();
            match col(i) {
                Column::Sender => mark(&mut used, i),
                Column::Code => {
                    mark(&mut used, i);
                    code = Some(cell.to_string()).filter(|c| !c.is_empty());
                }
                Column::Domain | Column::Other
                    if !cell.contains('@') && self.domain_cell(cell).is_some() =>
                {
                    mark(&mut used, i);
                    row_domain = self.domain_cell(cell).flatten();
                }
                Column::Other if cell.is_empty() || cell.contains('@') => mark(&mut used, i),
                Column::Other if cell.len() == 3 && cell.bytes().all(|b| b.is_ascii_digit()) => {
                    mark(&mut used, i);
                    code = Some(cell.to_string());
                }
                _ => {}
            }
        }

        // Subject and status message.
        let subject_col =
            (0..texts.len()).find(|&i| !is_used(&used, i) && col(i) == Column::Subject);
        let message_col =
            (0..texts.len()).find(|&i| !is_used(&used, i) && col(i) == Column::Message);
        let rest: Vec<usize> = (0..texts.len())
            .filter(|&i| {
                !is_used(&used, i)
                    && Some(i) != subject_col
                    && Some(i) != message_col
                    && !t(i).trim().is_empty()
                    && col(i) == Column::Other
            })
            .collect();
        let subject_at = subject_col.or_else(|| {
            rest.iter()
                .copied()
                .find(|&i| self.kind_of_subject(t(i)) != MailKind::Other)
                .or_else(|| {
                    rest.iter()
                        .copied()
                        .filter(|&i| !is_status_like(t(i)))
                        .max_by_key(|&i| t(i).chars().count())
                })
        });
        let message_at = message_col.or_else(|| {
            rest.iter()
                .copied()
                .filter(|&i| Some(i) != subject_at)
                .find(|&i| is_status_like(t(i)))
                .or_else(|| rest.iter().copied().find(|&i| Some(i) != subject_at))
        });
        let nonempty = |i: Option<usize>| {
            i.map(|i| t(i).trim().to_string())
                .filter(|t| !t.is_empty() && !matches!(t.as_str(), "-" | "—"))
        };
        let subject = nonempty(subject_at);
        let message = nonempty(message_at);
        let code = code.or_else(|| message.as_deref().and_then(leading_code));
        let Some(outcome) = outcome_from_word(t(event_at), message.as_deref()) else {
            return RowResult::NotEvent;
        };

        let (domain, domain_source) = match (row_domain, &self.page_domain) {
            (Some(d), _) => (d, Some(DomainSource::RowCell)),
            (None, Some((d, src))) if d.is_known() => (d.clone(), Some(*src)),
            _ => (MailDomain::Unknown, None),
        };
        let event = MailEvent {
            recipient_key,
            recipient,
            domain,
            domain_source,
            kind: subject
                .as_deref()
                .map_or(MailKind::Other, |s| self.kind_of_subject(s)),
            outcome,
            subject,
            event_shown: t(event_at).trim().to_string(),
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
        let on_sending_domain = self.sending_hosts.get(host, |host| {
            MailDomain::from_host(host, self.settings).is_some_and(|d| {
                matches!(d, MailDomain::CustomersPortal | MailDomain::GitLabCom)
                    || self.page_domain.as_ref().is_some_and(|(p, _)| *p == d)
            })
        });
        let local = local.as_bytes();
        on_sending_domain
            || local
                .get(..7)
                .is_some_and(|head| head.eq_ignore_ascii_case(b"bounce+"))
            || local.eq_ignore_ascii_case(b"postmaster")
    }

    /// A cell of a host name (`None` for any other text), and its domain.
    fn domain_cell(&self, cell: &str) -> Option<Option<MailDomain>> {
        self.domains.get(cell, |cell| {
            is_host_name(cell).then(|| MailDomain::from_host(cell, self.settings))
        })
    }

    fn kind_of_subject(&self, subject: &str) -> MailKind {
        self.kinds.get(subject, kind_of_subject)
    }
}

enum RowResult {
    Event(Box<MailEvent>),
    EventWithProblem(Box<MailEvent>, String),
    Problem(String),
    NotEvent,
}

/// The elements whose own text holds an `@`, in document order: each text node of the body
/// with an `@` that the markup lets be on the screen, as its parent element (once for
/// consecutive text nodes of one element).
fn address_elements(doc: &Document) -> Vec<Node<'_>> {
    let Some(body) = doc.body() else {
        return Vec::new();
    };
    let mut out: Vec<Node<'_>> = Vec::new();
    let mut rendered = Rendered::default();
    for text in body.descendants() {
        if !text.own_text().is_some_and(|t| t.contains('@')) {
            continue;
        }
        // Text the markup keeps off the screen (`hidden`, `display: none`, `<noscript>`, SVG
        // metadata) is not a row the engineer sees.
        if !text.is_rendered_in(&mut rendered) {
            continue;
        }
        if let Some(p) = text.parent_element() {
            if out.last() != Some(&p) {
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
fn generic_row<'d>(el: &Node<'d>) -> Option<Node<'d>> {
    let mut current = *el;
    for _ in 0..8 {
        let parent = current.parent_element()?;
        if parent.is("body") {
            return None;
        }
        let tag = current.tag();
        let class = current.attr("class");
        let neighbours = [
            current.prev_element_sibling(),
            current.next_element_sibling(),
        ];
        let twin = neighbours
            .iter()
            .flatten()
            .any(|n| n.tag() == tag && n.attr("class") == class);
        let lone_row = current.child_element_count() >= 2
            && neighbours.iter().flatten().any(|n| n.tag() == tag);
        if twin || lone_row {
            let t = current.text_content();
            // A row is short and holds no table, grid or other rows: not a layout block.
            if t.len() > 2000
                || current
                    .select("table, tr, [role=row], [role=grid], pre")
                    .is_some()
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

/// A cell's text; a truncated cell ("Reset password instr…") gives its `title` instead.
fn cell_text(cell: &Node<'_>) -> String {
    let shown = cell.text();
    if shown.ends_with('…') || shown.ends_with("...") {
        let title = cell
            .attr("title")
            .or_else(|| cell.select("[title]").and_then(|t| t.attr("title")));
        if let Some(title) = title.map(fold_whitespace).filter(|t| !t.is_empty()) {
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
    text.split(|c: char| {
        matches!(
            c,
            '<' | '>' | '(' | ')' | ',' | ';' | '"' | '\'' | '[' | ']'
        ) || c.is_whitespace()
    })
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
struct Controls<'d> {
    all: Vec<Node<'d>>,
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

impl<'d> Controls<'d> {
    fn of(doc: &'d Document) -> Controls<'d> {
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
            all: doc.select_all(&all),
        }
    }

    /// Those matching `selector` (one of the above), in document order.
    fn matching(&self, selector: &str) -> Vec<Node<'d>> {
        let Some(sel) = Selector::cached(selector) else {
            return Vec::new();
        };
        self.all
            .iter()
            .filter(|el| sel.matches(**el))
            .copied()
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
fn json_blocks(blocks: &[Node<'_>], surface: Surface) -> Vec<String> {
    blocks
        .iter()
        .filter(|el| el.is("pre") || el.is("code") || el.is("textarea"))
        .filter(|el| el.is_rendered())
        .filter(|el| {
            matches!(surface, Surface::EventsApi | Surface::EventDetail)
                || el.closest(DETAIL_VIEW).is_some()
        })
        .filter(|el| {
            // A `code` inside a `pre` is the same block.
            !el.is("code") || el.parent_element().and_then(|p| p.closest("pre")).is_none()
        })
        .filter_map(|el| {
            let raw = if el.is("textarea") {
                el.attr("value")
                    .map_or_else(|| el.text_content(), str::to_string)
            } else {
                el.text_content()
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
        shown.push(el.text());
        if let Some(v) = el.attr("value") {
            shown.push(v.to_string());
        }
    }
    shown.iter().find_map(|t| {
        t.split(|c: char| c.is_whitespace() || "()[],;:".contains(c))
            .filter(|w| !w.contains('@') && is_host_name(w))
            .find_map(|w| MailDomain::from_host(w, settings))
    })
}

fn selected_option_text(sel: &Node<'_>) -> Option<String> {
    sel.select("option[selected]")
        .or_else(|| sel.select("option"))
        .map(|o| o.text())
}

fn read_search(
    doc: &Document,
    controls: &Controls<'_>,
    domain: MailDomain,
    rows_seen: usize,
    local_offset: LocalOffset,
) -> MailSearch {
    let query = controls
        .matching(SEARCH_INPUTS)
        .iter()
        .filter_map(|i| i.attr("value"))
        .map(fold_whitespace)
        .find(|v| !v.is_empty());

    let mut filters: Vec<String> = Vec::new();
    for el in controls.matching(FILTERS) {
        let t = el.text();
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
        if let Some(r) = selected_option_text(sel).and_then(|t| parse_range(&t, local_offset)) {
            range = Some(r);
            break;
        }
    }
    if range.is_none() {
        range = controls.matching(RANGE_CONTROLS).iter().find_map(|el| {
            let t = el
                .attr("value")
                .filter(|_| el.is("input"))
                .map_or_else(|| el.text(), str::to_string);
            parse_range(&t, local_offset)
        });
    }

    let empty_text = (rows_seen == 0)
        .then(|| {
            doc.select_all("p, div, span, td, h2, h3, h4, [role=status]")
                .iter()
                .filter(|el| el.child_element_count() == 0)
                .map(|el| el.text())
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
