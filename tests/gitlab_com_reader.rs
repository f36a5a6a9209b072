//! The GitLab.com admin-area reader on the fixture pages of www/gitlab.com/ (built from
//! GitLab's own views; each page names the files and commits it follows):
//! `cargo test --test gitlab_com_reader`. Each page goes through `core::readers::Snapshot`
//! exactly as the banner frame reads a snapshot.
#![cfg(not(target_arch = "wasm32"))]

use cdot_triage::core::gitlab_com::{GitLabUser, Surface, UserState};
use cdot_triage::core::observation::{from_reading, Fact};
use cdot_triage::core::page::PageReading;
use cdot_triage::core::readers::Snapshot;
use cdot_triage::core::settings::Settings;
use cdot_triage::core::time::UtcTime;

fn read(url: &str, html: &str) -> PageReading {
    Snapshot {
        url: url.into(),
        html: html.into(),
        inputs: Vec::new(),
    }
    .read(&Settings::default(), &|_| Some(0))
}

fn user(url: &str, html: &str) -> GitLabUser {
    match read(url, html) {
        PageReading::GitLabComUser(p) => {
            assert_eq!(p.url, url);
            p.user
        }
        other => panic!("expected a GitLab.com user page, got {other:?}"),
    }
}

fn search(url: &str, html: &str) -> Vec<GitLabUser> {
    match read(url, html) {
        PageReading::GitLabComSearch(s) => s.users,
        other => panic!("expected a GitLab.com user search, got {other:?}"),
    }
}

fn t(y: i64, mo: u32, d: u32, h: u32, mi: u32) -> Option<UtcTime> {
    Some(UtcTime::from_civil(y, mo, d, h, mi, 0))
}

fn emails(u: &GitLabUser) -> Vec<(&str, bool, Option<bool>)> {
    u.emails
        .iter()
        .map(|e| (e.address.as_str(), e.primary, e.confirmed))
        .collect()
}

/// The 2024–25 grid: `span.gl-text-subtle` + `.gl-col-span-2 > strong`, badges in the header.
#[test]
fn reads_a_user_page_in_the_grid_markup() {
    let u = user(
        "https://gitlab.com/admin/users/lvogt",
        include_str!("../www/gitlab.com/admin/users/lvogt.html"),
    );
    assert_eq!(u.surface, Surface::AdminPage);
    assert_eq!(u.id, Some(9136542));
    assert_eq!(u.username.as_deref(), Some("lvogt"));
    assert_eq!(u.name.as_deref(), Some("Lena Vogt"));
    assert_eq!(
        emails(&u),
        [
            ("lena.vogt@alpenrad-logistik.de", true, Some(true)),
            ("lena@vogt-familie.example", false, Some(true)),
        ]
    );
    assert_eq!(u.confirmed, Some(true));
    assert_eq!(u.confirmed_at, t(2025, 2, 14, 9, 24));
    assert_eq!(
        u.current_sign_in_at.as_ref().and_then(|s| s.time),
        t(2026, 11, 21, 8, 2)
    );
    assert_eq!(
        u.last_sign_in_at.as_ref().and_then(|s| s.time),
        t(2026, 11, 20, 9, 58)
    );
    assert_eq!(u.sign_in_count, Some(311));
    assert_eq!(u.state, Some(UserState::Active));
    assert_eq!(u.locked, Some(false));
    assert_eq!(u.unconfirmed_email, None);
    assert!(u.blocking().is_empty());
    // The profile card (rendered twice, its "E-mail:" the public one) is not the primary email.
    assert_eq!(u.primary_email(), Some("lena.vogt@alpenrad-logistik.de"));
    assert_eq!(
        u.admin_url().as_deref(),
        Some("https://gitlab.com/admin/users/lvogt")
    );
}

#[test]
fn reads_the_state_badges_blocked_and_locked() {
    let u = user(
        "https://gitlab.com/admin/users/sofia.lindqvist",
        include_str!("../www/gitlab.com/admin/users/sofia.lindqvist.html"),
    );
    assert_eq!(u.id, Some(12650388));
    assert_eq!(u.state, Some(UserState::Blocked));
    assert_eq!(u.locked, Some(true));
    assert_eq!(u.badges, ["Blocked", "Locked"]);
    assert_eq!(
        u.blocking(),
        ["blocked", "locked (too many failed sign-ins)"]
    );
}

/// The older markup: `span.light` rows, no badges beside the addresses, the state in
/// parentheses in the header.
#[test]
fn reads_a_user_page_in_the_older_markup() {
    let u = user(
        "https://gitlab.com/admin/users/dokafor",
        include_str!("../www/gitlab.com/admin/users/dokafor.html"),
    );
    // No "ID:" row on the older page: the id from the user actions app's `data-user`.
    assert_eq!(u.id, Some(11873402));
    assert_eq!(u.username.as_deref(), Some("dokafor"));
    assert_eq!(u.name.as_deref(), Some("Daniel Okafor"));
    assert_eq!(
        emails(&u),
        [
            ("daniel@okafor-studio.example", true, Some(true)),
            ("d.okafor@brightwave.studio", false, None),
        ]
    );
    assert_eq!(u.confirmed_at, t(2025, 4, 8, 11, 47));
    assert_eq!(u.sign_in_count, Some(88));
    assert_eq!(u.state, Some(UserState::Active));
    // The older header never shows a lock; this page's version has the lock card, not shown.
    assert_eq!(u.locked, None);
}

/// An unconfirmed user: "Confirmed: No", the address "Unverified", and a pending address in
/// the "Confirm user" dialog (2024–25) or the card (older).
#[test]
fn reads_an_unconfirmed_user_and_a_pending_email() {
    let grid = include_str!("../www/gitlab.com/admin/users/lvogt.html");
    // The same page as GitLab renders it for an unconfirmed user with a pending change.
    let modal = "{&quot;title&quot;:&quot;Confirm user Lena Vogt?&quot;,&quot;messageHtml&quot;:\
                 &quot;This user has an unconfirmed email address (lena.new@alpenrad.example). You \
                 may force a confirmation.&quot;}";
    let html = grid
        .replace(
            "<span class=\"gl-text-subtle\">Confirmed at:</span>\n<div class=\"gl-col-span-2\">\n<strong>Feb 14, 2025 9:24am</strong>",
            "<span class=\"gl-text-subtle\">Confirmed:</span>\n<div class=\"gl-col-span-2\">\n<strong class=\"gl-text-danger\">No</strong>",
        )
        .replacen(
            "<span class=\"gl-badge badge badge-pill badge-success\"><span class=\"gl-badge-content\">Verified</span></span>",
            "<span class=\"gl-badge badge badge-pill badge-danger\"><span class=\"gl-badge-content\">Unverified</span></span>",
            1,
        )
        .replace(
            "<div class=\"gl-p-2\">\n<a class=\"gl-button btn btn-md btn-confirm\"",
            &format!(
                "<div class=\"gl-p-2\"><button class=\"js-confirm-modal-button\" data-modal-attributes=\"{modal}\">Confirm user</button></div>\n<div class=\"gl-p-2\">\n<a class=\"gl-button btn btn-md btn-confirm\""
            ),
        );
    let u = user("https://gitlab.com/admin/users/lvogt", &html);
    assert_eq!(u.confirmed, Some(false));
    assert_eq!(u.confirmed_at, None);
    assert_eq!(u.emails[0].confirmed, Some(false));
    assert_eq!(
        u.unconfirmed_email.as_deref(),
        Some("lena.new@alpenrad.example")
    );

    let old = include_str!("../www/gitlab.com/admin/users/dokafor.html").replace(
        "<div class=\"col-md-6\">\n<div class=\"card bg-warning\">",
        "<div class=\"col-md-6\">\n<div class=\"card bg-info\"><div class=\"card-header\">Confirm user</div><div class=\"card-body\"><p>This user has an unconfirmed email address (dan@new.example). You may force a confirmation.</p></div></div>\n<div class=\"card bg-warning\">",
    );
    assert_ne!(
        old,
        include_str!("../www/gitlab.com/admin/users/dokafor.html")
    );
    let u = user("https://gitlab.com/admin/users/dokafor", &old);
    assert_eq!(u.unconfirmed_email.as_deref(), Some("dan@new.example"));
}

/// The user search: rows from `#js-admin-users-app[data-users]` before Vue renders them.
#[test]
fn reads_the_user_search_from_the_data_users_json() {
    let users = search(
        "https://gitlab.com/admin/users?search_query=t.nakamura@kitsune-robotics.jp",
        include_str!("../www/gitlab.com/admin/users/index-nakamura.html"),
    );
    type Row<'a> = (
        Option<u64>,
        Option<&'a str>,
        Option<&'a str>,
        Option<UserState>,
    );
    let rows: Vec<Row> = users
        .iter()
        .map(|u| (u.id, u.username.as_deref(), u.primary_email(), u.state))
        .collect();
    assert_eq!(
        rows,
        [
            (
                Some(13377021),
                Some("takeshi.nakamura"),
                Some("takeshi.nakamura@kitsune-robotics.co.jp"),
                Some(UserState::Active)
            ),
            (
                Some(8802214),
                Some("tnakamura"),
                Some("tnakamura@mailbox.example"),
                Some(UserState::Deactivated)
            ),
        ]
    );
    assert!(users.iter().all(|u| u.surface == Surface::AdminSearch));
    // The list shows no confirmation and no sign-ins.
    assert!(users
        .iter()
        .all(|u| u.confirmed.is_none() && u.sign_in_count.is_none()));

    let sofia = search(
        "https://gitlab.com/admin/users?search_query=sofia.lindqvist@fjordline-systems.se",
        include_str!("../www/gitlab.com/admin/users/index-sofia.html"),
    );
    assert_eq!(sofia[0].state, Some(UserState::Blocked));
    assert_eq!(sofia[0].locked, Some(true));

    let none = search(
        "https://gitlab.com/admin/users?search_query=ines.moreau@lumen-optique.example",
        include_str!("../www/gitlab.com/admin/users/index-nobody.html"),
    );
    assert!(none.is_empty());
}

/// The same search once Vue rendered the table (a snapshot after the app mounted).
#[test]
fn reads_the_user_search_as_vue_rendered_it() {
    let users = search(
        "https://gitlab.com/admin/users?search_query=lena.vogt@alpenrad-logistik.de",
        include_str!("../www/gitlab.com/admin/users/index-lena-rendered.html"),
    );
    assert_eq!(users.len(), 1);
    let u = &users[0];
    assert_eq!(u.id, Some(9136542));
    assert_eq!(u.username.as_deref(), Some("lvogt"));
    assert_eq!(u.name.as_deref(), Some("Lena Vogt"));
    assert_eq!(u.primary_email(), Some("lena.vogt@alpenrad-logistik.de"));
    assert_eq!(u.state, Some(UserState::Active));
}

/// What the pages become: a user by its primary email, a search for an address as evidence
/// (zero users too), each row by its address.
#[test]
fn observations_of_the_pages() {
    let now = UtcTime::from_civil(2026, 11, 23, 12, 0, 0);
    let page = read(
        "https://gitlab.com/admin/users?search_query=t.nakamura@kitsune-robotics.jp",
        include_str!("../www/gitlab.com/admin/users/index-nakamura.html"),
    );
    let obs = from_reading(&page, now);
    let keys: Vec<&str> = obs.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "takeshi.nakamura@kitsune-robotics.co.jp",
            "tnakamura@mailbox.example",
            "t.nakamura@kitsune-robotics.jp"
        ]
    );
    assert!(matches!(
        &obs[2].fact,
        Fact::GitLabComSearched { users: 2, .. }
    ));
    let nobody = read(
        "https://gitlab.com/admin/users?search_query=ines.moreau@lumen-optique.example",
        include_str!("../www/gitlab.com/admin/users/index-nobody.html"),
    );
    let obs = from_reading(&nobody, now);
    assert_eq!(obs.len(), 1);
    assert!(matches!(
        &obs[0].fact,
        Fact::GitLabComSearched { users: 0, .. }
    ));
    let page = read(
        "https://gitlab.com/admin/users/lvogt",
        include_str!("../www/gitlab.com/admin/users/lvogt.html"),
    );
    let obs = from_reading(&page, now);
    assert_eq!(obs.len(), 1);
    assert_eq!(obs[0].key, "lena.vogt@alpenrad-logistik.de");
}

/// Other pages under `/admin/users`: a tab of a user is a note, not a user; a page that is not
/// GitLab's (signed out, an error) is unreadable, said so.
#[test]
fn other_pages_are_said_for_what_they_are() {
    let tab = read(
        "https://gitlab.com/admin/users/lvogt/identities",
        include_str!("../www/gitlab.com/admin/users/lvogt.html"),
    );
    assert!(
        matches!(&tab, PageReading::OtherAdminPage { what, .. } if what.contains("identities")),
        "{tab:?}"
    );
    let blank = read(
        "https://gitlab.com/admin/users/lvogt",
        "<html><body>Sign in</body></html>",
    );
    assert!(matches!(blank, PageReading::Unreadable { .. }), "{blank:?}");
    let list = read(
        "https://gitlab.com/admin/users?search_query=x",
        "<html><body><p>404</p></body></html>",
    );
    assert!(matches!(list, PageReading::Unreadable { .. }), "{list:?}");
}
