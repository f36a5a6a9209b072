//! The Mailgun reader on the fixture pages of www/app.mailgun.com and www/api.mailgun.net
//! (`cargo test --test mailgun_reader`). Pages are parsed by `core::html`, as the banner frame
//! reads a snapshot; the browser's zone is UTC here ([`local_offset`]).
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::html;
use cdot_triage::core::mail::{
    DomainSource, EventSource, MailDomain, MailEvent, MailKind, MailgunPage, Outcome,
    SuppressionList, Surface, TimeBasis,
};
use cdot_triage::core::readers::mailgun::{read, read_json_text};
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;

/// The browser's zone in these tests: UTC, as in CI's Chromium (the detail panels' epoch
/// times match the rows' local times there).
fn local_offset(_: UtcTime) -> Option<i32> {
    Some(0)
}

const PRIYA: &str = "priya.raman@northwind-analytics.io";
const LENA: &str = "lena.vogt@alpenrad-logistik.de";
const TAKESHI: &str = "t.nakamura@kitsune-robotics.jp";

fn page(url: &str, html: &str) -> MailgunPage {
    read(&html::parse(html), url, &Settings::default(), &local_offset)
}

/// A wall-clock time shown without zone, as the reader resolves it (browser's local zone).
fn shown_local(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> (Option<UtcTime>, TimeBasis) {
    let wall = UtcTime::from_civil(y, mo, d, h, mi, s);
    let offset = local_offset(wall).unwrap();
    (
        Some(UtcTime(wall.0 - i64::from(offset) * 60)),
        TimeBasis::AssumedBrowserLocal {
            offset_minutes: offset,
        },
    )
}

fn events<'a>(p: &'a MailgunPage, key: &str, outcome: &Outcome) -> Vec<&'a MailEvent> {
    p.events_for(key)
        .into_iter()
        .filter(|e| &e.outcome == outcome)
        .collect()
}

#[test]
fn old_logs_page_of_customers_gitlab_com() {
    let p = page(
        "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
        include_str!("../www/app.mailgun.com/app/sending/domains/customers.gitlab.com/logs.html"),
    );
    assert_eq!(p.surface, Surface::OldLogs);
    assert_eq!(
        (&p.domain, p.domain_source),
        (&MailDomain::CustomersPortal, Some(DomainSource::Url))
    );
    assert_eq!(p.problems, Vec::<String>::new());
    assert_eq!(p.events.len(), 22);
    assert!(p
        .events
        .iter()
        .all(|e| e.domain == MailDomain::CustomersPortal
            && e.source == EventSource::Row
            && e.timestamp.is_some()));
    // The signed-in user's address in the header is not a recipient.
    assert_eq!(
        p.recipients(),
        [
            "s.alvarez@sol-y-mar.es",
            "r.oconnor@harbourline.ie",
            "k.brandt@alpenrad-logistik.de",
            TAKESHI,
            "d.fischer@brightwave-media.co.uk",
            "m.okafor@lagos-fintech.ng",
            LENA
        ]
    );

    let lena = p.events_for(LENA);
    let outcomes: Vec<&Outcome> = lena.iter().map(|e| &e.outcome).collect();
    assert_eq!(
        outcomes,
        [
            &Outcome::Accepted,
            &Outcome::Delivered,
            &Outcome::Opened,
            &Outcome::Clicked
        ]
    );
    let delivered = lena[1];
    assert_eq!(delivered.kind, MailKind::PasswordReset);
    assert_eq!(
        delivered.subject.as_deref(),
        Some("Reset password instructions")
    );
    assert_eq!(delivered.message.as_deref(), Some("OK"));
    assert_eq!(
        delivered.time_shown.as_deref(),
        Some("11/20/2026 08:02:14 AM")
    );
    assert_eq!(
        (delivered.timestamp, delivered.time_basis.unwrap()),
        shown_local(2026, 11, 20, 8, 2, 14)
    );

    let suppressed = events(&p, TAKESHI, &Outcome::Suppressed(SuppressionList::Bounce));
    assert_eq!(suppressed.len(), 2);
    for e in &suppressed {
        assert_eq!(e.kind, MailKind::Confirmation);
        assert_eq!(e.code.as_deref(), Some("605"));
        assert_eq!(
            e.message.as_deref(),
            Some("605 Not delivering to previously bounced address")
        );
        assert_eq!(e.event_shown, "Permanent Fail");
    }
    let temp = events(&p, "m.okafor@lagos-fintech.ng", &Outcome::TemporaryFailure);
    assert_eq!(temp[0].code.as_deref(), Some("452"));
    let all: Vec<&Outcome> = p.events.iter().map(|e| &e.outcome).collect();
    for o in [
        Outcome::PermanentFailure,
        Outcome::Rejected,
        Outcome::Complained,
        Outcome::Unsubscribed,
        Outcome::Suppressed(SuppressionList::Unsubscribe),
        Outcome::Suppressed(SuppressionList::Complaint),
    ] {
        assert!(all.contains(&&o), "{o:?}");
    }

    let search = p.search.expect("a logs page has a search");
    assert_eq!(search.query, None);
    assert_eq!(search.rows_seen, 22);
    assert_eq!(search.range.map(|r| r.last_days), Some(Some(30)));
}

#[test]
fn searched_customers_gitlab_com_for_priya_and_found_nothing() {
    let p = page(
        "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs?search=priya.raman%40northwind-analytics.io",
        include_str!("../www/app.mailgun.com/app/sending/domains/customers.gitlab.com/logs-search-priya.html"),
    );
    assert_eq!(p.events, vec![]);
    assert_eq!(p.problems, Vec::<String>::new());
    let s = p.search.expect("search read");
    assert_eq!(s.domain, MailDomain::CustomersPortal);
    assert_eq!(s.query.as_deref(), Some(PRIYA));
    assert_eq!(s.address_key().as_deref(), Some(PRIYA));
    assert_eq!(s.rows_seen, 0);
    assert_eq!(
        s.empty_text.as_deref(),
        Some("No events found for the selected period.")
    );
    assert_eq!(s.range.map(|r| r.text), Some("Last 30 days".into()));
}

#[test]
fn gitlab_com_reset_for_priya_with_its_log_details_open() {
    let p = page(
        "https://app.mailgun.com/app/sending/domains/mg.gitlab.com/logs",
        include_str!("../www/app.mailgun.com/app/sending/domains/mg.gitlab.com/logs.html"),
    );
    // The URL names the domain; the drop-down (which lacks mg.gitlab.com) does not.
    assert_eq!(
        (&p.domain, p.domain_source),
        (&MailDomain::GitLabCom, Some(DomainSource::Url))
    );
    assert_eq!(p.problems, Vec::<String>::new());
    // The detail JSON is folded into the row it details.
    assert_eq!(p.events.len(), 3);
    let priya = p.events_for(PRIYA);
    assert!(priya
        .iter()
        .all(|e| e.domain == MailDomain::GitLabCom && e.kind == MailKind::PasswordReset));
    let delivered = priya[1];
    assert_eq!(delivered.outcome, Outcome::Delivered);
    assert_eq!(delivered.code.as_deref(), Some("250"));
    assert_eq!(delivered.time_basis, Some(TimeBasis::Epoch));
    assert_eq!(
        delivered.timestamp,
        Some(UtcTime::from_civil(2026, 11, 22, 9, 14, 5))
    );
    assert!(delivered.event_id.is_some() && delivered.message_id.is_some());
    assert_eq!(delivered.event_shown, "Delivered (details: delivered)");
    let s = p.search.expect("search read");
    assert_eq!(s.address_key().as_deref(), Some(PRIYA));
    assert_eq!(s.rows_seen, 3);
}

#[test]
fn new_logs_page_all_domains_with_a_domain_column_and_a_details_drawer() {
    let p = page(
        "https://app.mailgun.com/mg/reporting/logs",
        include_str!("../www/app.mailgun.com/mg/reporting/logs.html"),
    );
    assert_eq!(p.surface, Surface::NewLogs);
    assert_eq!((&p.domain, p.domain_source), (&MailDomain::Unknown, None));
    assert_eq!(p.problems, Vec::<String>::new());
    assert_eq!(p.events.len(), 24);
    assert!(p
        .events
        .iter()
        .all(|e| e.domain_source == Some(DomainSource::RowCell)));
    let priya = p.events_for(PRIYA);
    assert_eq!(priya.len(), 3);
    assert!(priya.iter().all(|e| e.domain == MailDomain::GitLabCom));
    // A truncated subject cell is read from its title.
    assert_eq!(
        priya[0].subject.as_deref(),
        Some("Reset password instructions")
    );
    assert_eq!(
        priya[0].time_shown.as_deref(),
        Some("Nov 22, 2026, 9:14:03 AM")
    );
    assert_eq!(
        (priya[0].timestamp, priya[0].time_basis.unwrap()),
        shown_local(2026, 11, 22, 9, 14, 3)
    );
    let brandt = p.events_for("k.brandt@alpenrad-logistik.de");
    assert_eq!(
        brandt.iter().map(|e| e.domain.clone()).collect::<Vec<_>>(),
        [
            MailDomain::CustomersPortal,
            MailDomain::Other("email.mg.gitlab.com".into())
        ]
    );
    // The drawer's JSON (Nov 21 suppression) enriched its row; the Nov 19 one is not shown.
    let suppressed = events(&p, TAKESHI, &Outcome::Suppressed(SuppressionList::Bounce));
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0].reason.as_deref(), Some("suppress-bounce"));
    assert_eq!(suppressed[0].time_basis, Some(TimeBasis::Epoch));
    let s = p.search.expect("search read");
    let range = s.range.expect("range read");
    assert_eq!(range.text, "Nov 1, 2026 – Nov 23, 2026");
    assert!(range.from.is_some() && range.to.is_some());
    assert_eq!(s.filters, Vec::<String>::new());
}

#[test]
fn new_logs_page_as_a_plain_css_grid_filtered_to_one_recipient() {
    let p = page(
        "https://app.mailgun.com/mg/reporting/logs?to=t.nakamura%40kitsune-robotics.jp",
        include_str!("../www/app.mailgun.com/mg/reporting/logs-filtered-nakamura.html"),
    );
    assert_eq!(
        (&p.domain, p.domain_source),
        (
            &MailDomain::CustomersPortal,
            Some(DomainSource::PageControl)
        )
    );
    assert_eq!(p.problems, Vec::<String>::new());
    assert_eq!(p.recipients(), [TAKESHI]);
    let t = p.events_for(TAKESHI);
    assert_eq!(t.len(), 4);
    assert_eq!(
        t.iter().map(|e| &e.outcome).collect::<Vec<_>>(),
        [
            &Outcome::Accepted,
            &Outcome::Suppressed(SuppressionList::Bounce),
            &Outcome::Accepted,
            &Outcome::Suppressed(SuppressionList::Bounce)
        ]
    );
    assert_eq!(t[1].time_basis, Some(TimeBasis::ZoneShown));
    assert_eq!(
        t[1].timestamp,
        Some(UtcTime::from_civil(2026, 11, 19, 16, 42, 11))
    );
    assert_eq!(t[1].subject.as_deref(), Some("Confirmation instructions"));
    let s = p.search.expect("search read");
    assert_eq!(s.filters, ["To: t.nakamura@kitsune-robotics.jp"]);
    assert_eq!(s.address_key().as_deref(), Some(TAKESHI));
    assert_eq!(s.range.and_then(|r| r.last_days), Some(30));
}

#[test]
fn events_api_json_text_and_its_paging() {
    let url = "https://api.mailgun.net/v3/customers.gitlab.com/events?begin=1793577600&ascending=yes&limit=300";
    let p = read_json_text(
        include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page1.json"),
        url,
        &Settings::default(),
    );
    assert_eq!(p.surface, Surface::EventsApi);
    assert_eq!(p.events.len(), 11);
    assert!(p
        .events
        .iter()
        .all(|e| e.source == EventSource::EventsApi && e.domain == MailDomain::CustomersPortal));
    assert!(p.next_page.is_some());
    let end = read_json_text(
        include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page3.json"),
        "https://api.mailgun.net/v3/customers.gitlab.com/events/WzMsWyIyMDI2LTExLTIzVDA3OjU1OjE5LjAwMFoiXSwiZiIsMjNd",
        &Settings::default(),
    );
    assert_eq!((end.events.len(), end.next_page), (0, None));
    let bad = read_json_text("<html>502 Bad Gateway</html>", url, &Settings::default());
    assert_eq!(bad.events, vec![]);
    assert_eq!(bad.problems.len(), 1);
    assert!(bad.problems[0].starts_with("The response is not JSON: "));
    // The browser's view of a JSON response: a <pre>.
    let viewed = page(
        url,
        &format!(
            "<html><body><pre>{}</pre></body></html>",
            include_str!("../www/api.mailgun.net/v3/customers.gitlab.com/events-page2.json")
                .replace('&', "&amp;")
                .replace('<', "&lt;")
        ),
    );
    assert_eq!(viewed.events.len(), 12);
    assert_eq!(viewed.problems.len(), 1);
    assert!(viewed.next_page.is_some());
}

#[test]
fn odd_rows_and_blocks_are_reported_not_guessed() {
    let html = r#"<html><body>
      <div class="menu"><span>me@gitlab.com</span></div>
      <table><thead><tr><th>Time</th><th>Event</th><th>Recipient</th><th>Subject</th><th>Delivery Status Message</th></tr></thead>
      <tbody>
        <tr><td>11/22/2026 09:14:03 AM</td><td>Delivered</td><td>a@example.com, b@example.com</td><td>Reset password instructions</td><td>OK</td></tr>
        <tr><td>22.11.2026 09:14</td><td>Delivered</td><td>c@example.com</td><td>Reset password instructions</td><td>OK</td></tr>
        <tr><td>11/22/2026 09:14:03 AM</td><td>Bounced-ish</td><td>d@example.com</td><td>Reset password instructions</td><td>OK</td></tr>
        <tr><td>11/22/2026 09:15:00 AM</td><td>Accepted</td><td>e@example.com</td><td>Confirmation instructions</td><td></td></tr>
      </tbody></table>
      <div role="dialog" aria-label="Log details">
        <pre>{"event": "delivered", "recipient": "x@example.com", </pre>
        <code>{"unrelated": true}</code>
      </div>
    </body></html>"#;
    let p = page(
        "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
        html,
    );
    let keys = p.recipients();
    assert_eq!(keys, ["c@example.com", "e@example.com"]);
    let c = p.events_for("c@example.com")[0];
    assert_eq!(
        (c.timestamp, c.time_shown.as_deref()),
        (None, Some("22.11.2026 09:14"))
    );
    assert_eq!(p.events_for("e@example.com")[0].message, None);
    assert_eq!(p.problems.len(), 4, "{:#?}", p.problems);
    assert!(p.problems[0].contains("2 recipient addresses (a@example.com, b@example.com)"));
    assert!(p.problems[1].contains("time “22.11.2026 09:14” is not in a format we know"));
    assert!(p.problems[2].contains("no event word we know"));
    assert!(p.problems[3].starts_with("A JSON block (“{\"event\": \"delivered\""));
}

/// Event JSON is read where Mailgun shows it (an event's details), not from any `<pre>`,
/// `<code>` or `<textarea>` on a logs page: anyone who can put text on a page could forge one.
#[test]
fn event_json_outside_a_detail_view_is_not_read() {
    let forged = r#"{"event": "delivered", "timestamp": 1763800000, "recipient": "forged@example.com",
        "message": {"headers": {"subject": "Reset password instructions"}}}"#;
    let url = "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs";
    for block in [
        format!("<pre>{forged}</pre>"),
        format!("<code>{forged}</code>"),
        format!("<textarea>{forged}</textarea>"),
        format!("<div class=\"help\"><pre><code>{forged}</code></pre></div>"),
    ] {
        let p = page(
            url,
            &format!("<html><body><main>{block}</main></body></html>"),
        );
        assert_eq!(p.events, vec![], "{block}");
        assert_eq!(p.problems, Vec::<String>::new(), "{block}");
    }
    // The same JSON in the event's details is read.
    for details in [
        format!("<div role=\"dialog\" aria-label=\"Log details\"><pre>{forged}</pre></div>"),
        format!("<aside role=\"dialog\"><pre class=\"x\">{forged}</pre></aside>"),
        format!("<dialog open><pre>{forged}</pre></dialog>"),
    ] {
        let p = page(
            url,
            &format!("<html><body><main>{details}</main></body></html>"),
        );
        assert_eq!(p.recipients(), ["forged@example.com"], "{details}");
    }
}

#[test]
fn a_lone_row_under_a_header_in_a_plain_grid() {
    let html = r#"<html><body><div class="g">
      <div class="h"><div>Timestamp</div><div>Event</div><div>Recipient</div><div>Subject</div></div>
      <div class="r"><div>2026-11-22 09:14:05 UTC</div><div>Delivered</div><div>jane@example.com</div><div>Confirmation instructions</div></div>
    </div></body></html>"#;
    let p = page("https://app.mailgun.com/mg/reporting/logs", html);
    assert_eq!(p.problems, Vec::<String>::new());
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.events[0].kind, MailKind::Confirmation);
    assert_eq!(p.events[0].domain, MailDomain::Unknown);
}

/// Builds an n-row page: a table, role=row divs, or a plain grid.
fn big_page(n: usize, markup: &str) -> String {
    let mut rows = String::with_capacity(n * 400);
    for i in 0..n {
        let (word, msg) = match i % 4 {
            0 => ("Delivered", "OK"),
            1 => ("Accepted", ""),
            2 => (
                "Permanent Fail",
                "605 Not delivering to previously bounced address",
            ),
            _ => ("Opened", ""),
        };
        let cells = [
            format!(
                "11/{:02}/2026 {:02}:{:02}:{:02} AM",
                1 + i % 28,
                1 + i % 11,
                i % 60,
                (i / 60) % 60
            ),
            word.to_string(),
            format!("user{}@example{}.com", i % 97, i % 7),
            "Reset password instructions".to_string(),
            msg.to_string(),
        ];
        let (row, cell) = match markup {
            "table" => ("tr", "td"),
            "roles" => (
                "div role=\"row\" class=\"css-r1\"",
                "div role=\"cell\" class=\"css-c1\"",
            ),
            _ => ("div class=\"css-r2\"", "div class=\"css-c2\""),
        };
        rows.push_str(&format!("<{row}>"));
        for c in cells {
            rows.push_str(&format!(
                "<{cell}>{c}</{}>",
                cell.split(' ').next().unwrap()
            ));
        }
        rows.push_str(&format!("</{}>", row.split(' ').next().unwrap()));
    }
    match markup {
        "table" => format!("<html><body><table><tbody>{rows}</tbody></table></body></html>"),
        _ => format!("<html><body><div role=\"grid\"><div>{rows}</div></div></body></html>"),
    }
}

#[test]
fn ten_thousand_rows_in_each_markup() {
    for markup in ["table", "roles", "grid"] {
        let html = big_page(10_000, markup);
        let start = std::time::Instant::now();
        let p = page("https://app.mailgun.com/mg/reporting/logs", &html);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!(
            "{markup}: 10,000 rows ({} KB) parsed and read in {ms:.0} ms",
            html.len() / 1024
        );
        assert_eq!(p.events.len(), 10_000, "{markup}");
        assert_eq!(p.problems.len(), 0, "{markup}");
        assert_eq!(
            p.events
                .iter()
                .filter(|e| e.outcome == Outcome::Suppressed(SuppressionList::Bounce))
                .count(),
            2_500
        );
    }
}

/// Regression (issue 17): a time cell with a non-ASCII character inside its zone token
/// ("+1é1") panicked in the zone parser and turned the whole banner into its error state.
/// Now it costs that row's time only: the row is listed as not read, the others are intact.
#[test]
fn a_time_cell_with_non_ascii_in_its_zone_costs_that_row_only() {
    let row = |markup: &str, time: &str, word: &str, to: &str| {
        match markup {
        "table" => format!(
            "<tr><td>{time}</td><td>{word}</td><td>{to}</td><td>Reset password instructions</td><td>OK</td></tr>"
        ),
        _ => format!(
            "<div class=\"r\"><div>{time}</div><div>{word}</div><div>{to}</div><div>Reset password instructions</div><div>OK</div></div>"
        ),
    }
    };
    for markup in ["table", "grid"] {
        let rows = [
            row(
                markup,
                "12/01/2026, 03:58:00 PM",
                "Accepted",
                "a@example.com",
            ),
            row(
                markup,
                "12/01/2026, 03:59:23 PM +1é1",
                "Delivered",
                "b@example.com",
            ),
            row(
                markup,
                "12/01/2026, 04:00:00 PM +0100",
                "Delivered",
                "c@example.com",
            ),
        ]
        .concat();
        let html = match markup {
            "table" => format!(
                "<html><body><table><thead><tr><th>Time</th><th>Event</th><th>Recipient</th><th>Subject</th><th>Delivery Status Message</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
            ),
            _ => format!("<html><body><div class=\"g\">{rows}</div></body></html>"),
        };
        let p = page(
            "https://app.mailgun.com/app/sending/domains/customers.gitlab.com/logs",
            &html,
        );
        assert_eq!(
            p.recipients(),
            ["a@example.com", "b@example.com", "c@example.com"],
            "{markup}"
        );
        let b = p.events_for("b@example.com")[0];
        assert_eq!(
            (b.timestamp, b.time_shown.as_deref(), b.message.as_deref()),
            (None, Some("12/01/2026, 03:59:23 PM +1é1"), Some("OK")),
            "{markup}"
        );
        assert_eq!(p.problems.len(), 1, "{markup}: {:#?}", p.problems);
        assert!(
            p.problems[0]
                .contains("time “12/01/2026, 03:59:23 PM +1é1” is not in a format we know"),
            "{markup}: {:?}",
            p.problems
        );
        assert_eq!(
            p.events_for("c@example.com")[0].timestamp,
            Some(UtcTime::from_civil(2026, 12, 1, 15, 0, 0)),
            "{markup}"
        );
        assert!(p.events_for("a@example.com")[0].timestamp.is_some());
    }
}
