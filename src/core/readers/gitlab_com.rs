//! The GitLab.com admin area reader: a user's page and the user search.
//!
//! Markup facts (from GitLab's public source, gitlabhq/gitlabhq; the fixtures in
//! `www/gitlab.com/` name the file and commit each follows):
//! - `/admin/users/<username>` (app/views/admin/users/show.html.haml): the "Account" card's
//!   rows are `li` > `span` "Label:" + `strong` value, in a grid (`span.gl-text-subtle` +
//!   `.gl-col-span-2 > strong`, 2024–25) or plain (`span.light` + `strong`, before about
//!   2023). "Email:" holds a `mailto:` link and a "Verified"/"Unverified" badge
//!   (shared/_email_with_badge); each "Secondary email:" row the address and its badge; "Confirmed
//!   at:" a date, or "Confirmed:" "No"; sign-in times "never" when unset. Dates are
//!   `to_fs(:medium)`, "Jan 18, 2007 6:10am", in the instance's zone (UTC on GitLab.com).
//! - The header (admin/users/_head): the name in `.page-title`, then the state as badges
//!   ("Blocked", "Banned", "Pending approval", "Deactivated", "Locked"; the older header wraps
//!   them in parentheses in `span.cred` and has no "Locked"). An unconfirmed user has a
//!   "Confirm user" button whose `data-modal-attributes` JSON names a pending email; the older
//!   page says it in a card ("This user has an unconfirmed email address (…)"), and a locked one
//!   has a card "This account has been locked". The user actions app's `data-user`
//!   (`Admin::UserEntity` JSON) carries the id where no "ID:" row does (the older page).
//! - `/admin/users?search_query=…` (admin/users/_users, users_helper
//!   `admin_users_data_attributes`): `#js-admin-users-app[data-users]` holds the rows as JSON
//!   (`Admin::UserEntity`: id, username, name, email, badges, last_activity_on, ...) until Vue
//!   renders the table; once it has, the rows are `tr[data-testid="user-row-content"]` with
//!   `.js-user-popover[data-user-id][data-username]`, the name, a `mailto:` link and badges.

use crate::core::gitlab_com::{
    GitLabUser, Identity, Shown, Surface, UserEmail, UserPage, UserSearch, UserState,
};
use crate::core::html::{Document, Node};
use crate::core::mail::json::Json;
use crate::core::page::PageReading;
use crate::core::time::parse_gitlab_medium;
use crate::core::{email, url};

/// Reads a page of GitLab.com's admin users area. `path` is the URL's path.
pub fn read(doc: &Document, page_url: &str, path: &str) -> PageReading {
    let unreadable = |reason: &str| PageReading::Unreadable {
        url: page_url.to_string(),
        reason: reason.to_string(),
    };
    let Some(rest) = path.strip_prefix("/admin/users") else {
        return unreadable("not a page of GitLab.com's admin users area.");
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] if rest.is_empty() || rest == "/" => match read_search(doc, page_url) {
            Some(search) => PageReading::GitLabComSearch(search),
            None => unreadable("no user list found on the GitLab.com admin users page."),
        },
        [_username] => match read_user_page(doc) {
            Some(user) => PageReading::GitLabComUser(UserPage {
                url: page_url.to_string(),
                user,
            }),
            None => unreadable("no Account card found on the GitLab.com admin user page."),
        },
        [_, tab, ..] => PageReading::OtherAdminPage {
            url: page_url.to_string(),
            what: format!(
                "GitLab.com admin user's “{}” tab (the user's facts are on the Account tab)",
                tab.replace(['_', '-'], " ")
            ),
        },
        _ => unreadable("not a page of GitLab.com's admin users area."),
    }
}

// -- the user search ------------------------------------------------------------------------

fn read_search(doc: &Document, page_url: &str) -> Option<UserSearch> {
    let query = url::query_param(page_url, "search_query")
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    let users = match doc
        .select("#js-admin-users-app[data-users]")
        .and_then(|el| el.attr("data-users"))
    {
        Some(json) => users_from_json(json)?,
        None => users_from_rows(doc)?,
    };
    Some(UserSearch {
        url: page_url.to_string(),
        query,
        users,
    })
}

/// `data-users`: a JSON array of `Admin::UserEntity` (`None`: not JSON, or not an array).
fn users_from_json(text: &str) -> Option<Vec<GitLabUser>> {
    let json: Json = serde_json::from_str(text).ok()?;
    let items = json.as_array()?;
    Some(items.iter().filter_map(user_from_entity).collect())
}

fn user_from_entity(item: &Json) -> Option<GitLabUser> {
    let mut user = GitLabUser::new(Surface::AdminSearch);
    user.id = item
        .get("id")
        .and_then(Json::as_number)
        .filter(|n| *n >= 0.0 && n.fract() == 0.0)
        .map(|n| n as u64);
    user.username = item.get("username").and_then(Json::as_text);
    user.name = item.get("name").and_then(Json::as_text);
    if let Some(address) = item
        .get("email")
        .and_then(Json::as_text)
        .filter(|a| email::is_address(a))
    {
        user.emails.push(UserEmail {
            address,
            primary: true,
            confirmed: None,
        });
    }
    let badges: Vec<String> = item
        .get("badges")
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|b| b.get("text").and_then(Json::as_text))
        .collect();
    apply_badges(&mut user, badges);
    (user.id.is_some() || user.username.is_some()).then_some(user)
}

/// The state and lock from badges: every row has its badges (none: active, not locked).
fn apply_badges(user: &mut GitLabUser, badges: Vec<String>) {
    user.state = Some(
        badges
            .iter()
            .find_map(|b| UserState::from_badge(b))
            .unwrap_or(UserState::Active),
    );
    user.locked = Some(badges.iter().any(|b| is_locked_badge(b)));
    user.badges = badges;
}

fn is_locked_badge(text: &str) -> bool {
    text.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .eq_ignore_ascii_case("locked")
}

/// The table as Vue rendered it (a snapshot taken after the app mounted).
fn users_from_rows(doc: &Document) -> Option<Vec<GitLabUser>> {
    let rows = doc.select_all("tr[data-testid=user-row-content]");
    if rows.is_empty() && doc.select("#js-admin-users-app").is_none() {
        return None;
    }
    Some(
        rows.iter()
            .filter_map(|tr| {
                let popover = tr.select(".js-user-popover, [data-user-id]")?;
                let mut user = GitLabUser::new(Surface::AdminSearch);
                user.id = popover
                    .attr("data-user-id")
                    .and_then(|i| i.trim().parse().ok());
                user.username = popover
                    .attr("data-username")
                    .map(|u| u.trim().to_string())
                    .filter(|u| !u.is_empty());
                user.name = tr
                    .select("a[href*='/admin/users/']")
                    .map(|a| a.text())
                    .filter(|t| !t.is_empty());
                if let Some(address) = tr
                    .select("a[href^='mailto:']")
                    .map(|a| a.text())
                    .filter(|a| email::is_address(a))
                {
                    user.emails.push(UserEmail {
                        address,
                        primary: true,
                        confirmed: None,
                    });
                }
                let badges = tr
                    .select_all(".gl-badge, .badge")
                    .iter()
                    .map(|b| b.text())
                    .filter(|t| !t.is_empty())
                    .collect();
                apply_badges(&mut user, badges);
                Some(user)
            })
            .collect(),
    )
}

// -- a user's page --------------------------------------------------------------------------

/// One row of the Account card: its label (without the colon) and the value element.
struct Row<'a> {
    label: String,
    value: Node<'a>,
    item: Node<'a>,
}

/// The rows: each `li` whose first `span` ends with ':' and that has a `strong`.
fn rows(doc: &Document) -> Vec<Row<'_>> {
    doc.select_all("li")
        .into_iter()
        .filter_map(|li| {
            let span = li.element_children().find(|c| c.is("span"))?;
            let label = span.text();
            let label = label.strip_suffix(':')?.trim().to_string();
            let value = li.select("strong")?;
            Some(Row {
                label,
                value,
                item: li,
            })
        })
        .collect()
}

fn read_user_page(doc: &Document) -> Option<GitLabUser> {
    let rows = rows(doc);
    // The page's own rows (the profile card is rendered twice on the 2024–25 page: the first
    // of each label is read).
    let row = |label: &str| rows.iter().find(|r| r.label.eq_ignore_ascii_case(label));
    let text = |label: &str| row(label).map(|r| r.value.text()).filter(|t| !t.is_empty());
    let email_row = row("Email")?;
    let mut user = GitLabUser::new(Surface::AdminPage);
    // The "ID:" row (2024–25), else the user actions app's `data-user` (`Admin::UserEntity`
    // JSON, in both headers: the older page has no ID row).
    user.id = text("ID").and_then(|t| t.parse().ok()).or_else(|| {
        let json = doc
            .select("#js-admin-user-actions[data-user]")?
            .attr("data-user")?;
        let value: Json = serde_json::from_str(json).ok()?;
        value
            .get("id")
            .and_then(Json::as_number)
            .filter(|n| *n >= 0.0 && n.fract() == 0.0)
            .map(|n| n as u64)
    });
    user.username = text("Username");
    user.name = text("Name");

    let primary = email_row
        .value
        .select("a[href^='mailto:']")
        .map(|a| a.text())
        .or_else(|| first_address(&email_row.value.text()))
        .filter(|a| email::is_address(a));
    let primary_key = primary.as_deref().and_then(email::normalise);
    if let Some(address) = primary {
        user.emails.push(UserEmail {
            address,
            primary: true,
            confirmed: verified_badge(&email_row.item),
        });
    }
    for r in rows
        .iter()
        .filter(|r| r.label.eq_ignore_ascii_case("Secondary email"))
    {
        let address = r
            .value
            .select("span")
            .map(|s| s.text())
            .filter(|a| email::is_address(a))
            .or_else(|| first_address(&r.value.text()));
        let Some(address) = address else { continue };
        let key = email::normalise(&address);
        if key == primary_key
            || user
                .emails
                .iter()
                .any(|e| email::normalise(&e.address) == key)
        {
            continue;
        }
        user.emails.push(UserEmail {
            address,
            primary: false,
            confirmed: verified_badge(&r.item),
        });
    }

    if let Some(r) = row("Confirmed at") {
        user.confirmed = Some(true);
        user.confirmed_at = parse_gitlab_medium(&r.value.text());
    } else if let Some(r) = row("Confirmed") {
        let no = r.value.text().eq_ignore_ascii_case("no");
        user.confirmed = Some(!no);
    }
    if let (Some(primary), Some(confirmed)) = (user.emails.first_mut(), user.confirmed) {
        // The badge and the row say the same (`@user.confirmed?`); the row when no badge.
        primary.confirmed.get_or_insert(confirmed);
    }
    if user.confirmed.is_none() {
        user.confirmed = user.emails.first().and_then(|e| e.confirmed);
    }
    let shown = |label: &str| {
        text(label).map(|raw| Shown {
            time: parse_gitlab_medium(&raw),
            raw,
        })
    };
    user.current_sign_in_at = shown("Current sign-in at");
    user.last_sign_in_at = shown("Last sign-in at");
    user.sign_in_count = text("Sign-in count").and_then(|t| t.replace(',', "").parse().ok());
    if let Some(uid) = text("LDAP uid") {
        user.identities.push(Identity {
            provider: "ldap".into(),
            extern_uid: uid,
        });
    }
    read_header(doc, &mut user);
    user.unconfirmed_email = unconfirmed_email(doc);
    Some(user)
}

/// "Verified" / "Unverified" beside an address (`gl_badge_tag`; older: `.badge-verification-
/// status.verified|unverified`). `None`: no badge (the older page shows none).
fn verified_badge(item: &Node<'_>) -> Option<bool> {
    item.select_all(".gl-badge, .badge, .badge-verification-status")
        .iter()
        .find_map(|b| {
            if b.has_class("unverified") {
                return Some(false);
            }
            if b.has_class("verified") {
                return Some(true);
            }
            match b.text().to_ascii_lowercase().as_str() {
                "verified" => Some(true),
                "unverified" => Some(false),
                _ => None,
            }
        })
}

/// The first whitespace-separated word of `text` that is an address.
fn first_address(text: &str) -> Option<String> {
    text.split_whitespace()
        .find(|w| email::is_address(w))
        .map(str::to_string)
}

/// The state badges beside the name (both headers) and the older page's lock card.
fn read_header(doc: &Document, user: &mut GitLabUser) {
    let Some(title) = doc.select(".page-title") else {
        return;
    };
    let holder = title.parent_element().unwrap_or(title);
    let mut badges: Vec<String> = holder
        .select_all(".gl-badge, .badge, .cred")
        .iter()
        .map(|b| b.text())
        .filter(|t| !t.is_empty())
        .collect();
    badges.dedup();
    let lock_card = doc.select_all(".card-header").iter().any(|h| {
        h.text()
            .eq_ignore_ascii_case("This account has been locked")
    });
    // The 2024–25 header shows "Locked" when locked; the older one never does (its page has
    // the card, when it is that version), so without either the lock is not known.
    let new_header = title.is("h1");
    let locked = badges.iter().any(|b| is_locked_badge(b)) || lock_card;
    user.state = Some(
        badges
            .iter()
            .find_map(|b| UserState::from_badge(b))
            .unwrap_or(UserState::Active),
    );
    user.locked = (locked || new_header).then_some(locked);
    user.badges = badges;
}

/// A pending email change: the "Confirm user" dialog's message (2024–25), or the older page's
/// card text, "This user has an unconfirmed email address (<address>). …".
fn unconfirmed_email(doc: &Document) -> Option<String> {
    let from_text = |text: &str| {
        let rest = text.split("unconfirmed email address (").nth(1)?;
        let address = rest.split(')').next()?.trim();
        email::is_address(address).then(|| address.to_string())
    };
    let dialog = doc
        .select_all("[data-modal-attributes]")
        .iter()
        .filter_map(|b| b.attr("data-modal-attributes"))
        .filter_map(|json| serde_json::from_str::<Json>(json).ok())
        .find_map(|json| json.get("messageHtml").and_then(Json::as_text));
    dialog.as_deref().and_then(from_text).or_else(|| {
        doc.select_all("p")
            .iter()
            .find_map(|p| from_text(&p.text()))
    })
}
