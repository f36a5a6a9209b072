//! GitLab.com's users API with the engineer's own personal access token: which requests, where
//! the token may go (GitLab.com's API and nowhere else), and what an answer means.
//!
//! - `GET https://gitlab.com/api/v4/user`: the token's own user. An administrator's answer has
//!   `is_admin: true`; anyone else's answer has no such key, and then the users API shows no
//!   email addresses (only `public_email`), so a search by address says nothing: the look-up
//!   stops there and says so.
//! - `GET https://gitlab.com/api/v4/users?search=<address>`: an administrator's search matches
//!   the primary email and confirmed secondary emails exactly (and names loosely).
//! - `GET https://gitlab.com/api/v4/users/<id>`: the user a Customers Portal account is linked
//!   to (its `Uid`), when the search did not show it.
//!
//! Sent with `Authorization: Bearer <token>`, no cookies, redirects refused (the token is never
//! sent on to where an answer points). Timestamps are ISO 8601 in UTC.

use crate::core::gitlab_com::{GitLabUser, Identity, Shown, Surface, UserEmail, UserState, HOST};
use crate::core::mail::json::Json;
use crate::core::time::parse_admin_datetime;
use crate::core::url;

/// The API's path prefix: the token goes to GitLab.com under it only.
const API_PREFIX: &str = "/api/v4/";

/// The optional host permission the look-up asks for: GitLab.com's API only.
pub const API_ORIGIN: &str = "https://gitlab.com/api/v4/*";

/// The token's own user.
pub fn current_user_url() -> Option<String> {
    url::https(HOST, &["api", "v4", "user"], &[])
}

/// The users search for an address.
pub fn users_url(address: &str) -> Option<String> {
    url::https(HOST, &["api", "v4", "users"], &[("search", address)])
}

/// One user by id.
pub fn user_url(id: u64) -> Option<String> {
    url::https(HOST, &["api", "v4", "users", &id.to_string()], &[])
}

/// Whether the token may be sent to `url`: https, exactly gitlab.com, under `/api/v4/`.
pub fn may_send_token(url: &str) -> bool {
    url::is_page_of(url, HOST, API_PREFIX)
}

/// The `Authorization` header's value.
pub fn bearer(token: &str) -> String {
    format!("Bearer {}", token.trim())
}

/// What the options page says about a saved token (its length only).
pub fn masked(token: &str) -> String {
    match token.trim().chars().count() {
        0 => "No token saved".into(),
        n => format!("A token is saved ({n} characters, hidden)"),
    }
}

/// The `Uid` of the latest account page seen for the address `key` (the GitLab.com user the
/// Customers Portal account is linked to), to fetch that user by id.
pub fn linked_uid(
    observations: &[crate::core::observation::Observation],
    key: &str,
) -> Option<u64> {
    observations
        .iter()
        .filter(|o| o.key == key)
        .filter_map(|o| o.account().map(|a| (o.seen_at, a)))
        .max_by_key(|(seen, _)| *seen)
        .and_then(|(_, a)| a.field("uid"))
        .and_then(|f| f.raw.trim().parse().ok())
}

/// Whether `GET /user` answered for an administrator (`is_admin: true`).
pub fn is_admin(answer: &Json) -> bool {
    matches!(answer.get("is_admin"), Some(Json::Bool(true)))
}

/// The users of a `GET /users` answer (an array) or a `GET /users/:id` answer (an object).
/// `Err`: not that JSON, said plainly.
pub fn parse_users(answer: &Json) -> Result<Vec<GitLabUser>, String> {
    match answer {
        Json::Array(items) => Ok(items.iter().filter_map(user_from_api).collect()),
        Json::Object(_) => Ok(user_from_api(answer).into_iter().collect()),
        other => Err(format!(
            "GitLab.com answered with {} instead of users.",
            other.type_name()
        )),
    }
}

/// One `UserWithAdmin` / `UserDetailsWithAdmin` entity (fields a non-admin answer lacks stay
/// unknown).
fn user_from_api(item: &Json) -> Option<GitLabUser> {
    let text = |key: &str| {
        item.get(key)
            .and_then(Json::as_text)
            .filter(|t| !t.is_empty())
    };
    let mut user = GitLabUser::new(Surface::Api);
    user.id = item
        .get("id")
        .and_then(Json::as_number)
        .filter(|n| *n >= 0.0 && n.fract() == 0.0)
        .map(|n| n as u64);
    user.id?;
    user.username = text("username");
    user.name = text("name");
    // `confirmed_at` is in the admin entities only: null means unconfirmed there.
    let confirmed = item.get("confirmed_at").map(|c| !matches!(c, Json::Null));
    user.confirmed = confirmed;
    user.confirmed_at = text("confirmed_at").and_then(|t| parse_admin_datetime(&t, 0));
    if let Some(address) = text("email").filter(|a| crate::core::email::is_address(a)) {
        user.emails.push(UserEmail {
            address,
            primary: true,
            confirmed,
        });
    }
    let shown = |key: &str| {
        item.get(key).map(|v| match v.as_text() {
            Some(raw) => Shown {
                time: parse_admin_datetime(&raw, 0),
                raw,
            },
            None => Shown {
                raw: "never".into(),
                time: None,
            },
        })
    };
    user.current_sign_in_at = shown("current_sign_in_at");
    user.last_sign_in_at = shown("last_sign_in_at");
    user.sign_in_count = item
        .get("sign_in_count")
        .and_then(Json::as_number)
        .filter(|n| *n >= 0.0)
        .map(|n| n as u64);
    user.state = text("state").and_then(|s| UserState::from_api(&s));
    user.locked = match item.get("locked") {
        Some(Json::Bool(b)) => Some(*b),
        _ => None,
    };
    user.identities = item
        .get("identities")
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|i| {
            Some(Identity {
                provider: i.get("provider")?.as_text()?,
                extern_uid: i.get("extern_uid")?.as_text()?,
            })
        })
        .collect();
    if let Some(state) = user.state.filter(|s| *s != UserState::Active) {
        user.badges.push(state.words().to_string());
    }
    Some(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn the_token_goes_to_gitlab_com_s_api_only() {
        assert_eq!(
            users_url("Jane+tag@Example.com").as_deref(),
            Some("https://gitlab.com/api/v4/users?search=Jane%2Btag%40Example.com")
        );
        assert_eq!(
            user_url(9136542).as_deref(),
            Some("https://gitlab.com/api/v4/users/9136542")
        );
        assert!(may_send_token("https://gitlab.com/api/v4/users?search=x"));
        for url in [
            "http://gitlab.com/api/v4/users",
            "https://gitlab.com/admin/users",
            "https://gitlab.com.evil.example/api/v4/users",
            "https://evil.example\\@gitlab.com/api/v4/users",
            "https://user:pass@gitlab.com/api/v4/users",
            "https://gitlab.com:8443/api/v4/users",
            "https://staging.gitlab.com/api/v4/users",
        ] {
            assert!(!may_send_token(url), "{url}");
        }
        assert_eq!(bearer(" glpat-abc "), "Bearer glpat-abc");
        assert_eq!(masked(""), "No token saved");
        assert_eq!(
            masked("glpat-0123456789"),
            "A token is saved (16 characters, hidden)"
        );
    }

    #[test]
    fn reads_an_administrator_s_answer() {
        let answer = json(
            r#"[{"id":9136542,"username":"lvogt","name":"Lena Vogt","state":"active","locked":false,
                 "email":"lena.vogt@alpenrad-logistik.de","confirmed_at":"2025-02-14T09:24:11.204Z",
                 "current_sign_in_at":"2026-11-21T08:02:40.511Z","last_sign_in_at":null,
                 "sign_in_count":311,"identities":[{"provider":"google_oauth2","extern_uid":"1077"}]},
                {"id":12650388,"username":"sofia.lindqvist","name":"Sofia Lindqvist",
                 "state":"blocked","locked":true,"email":"sofia.lindqvist@fjordline-systems.se",
                 "confirmed_at":null}]"#,
        );
        let users = parse_users(&answer).unwrap();
        let lena = &users[0];
        assert_eq!(lena.surface, Surface::Api);
        assert_eq!(lena.id, Some(9136542));
        assert_eq!(lena.primary_email(), Some("lena.vogt@alpenrad-logistik.de"));
        assert_eq!(lena.confirmed, Some(true));
        assert_eq!(
            lena.confirmed_at,
            Some(crate::core::time::UtcTime::from_civil(
                2025, 2, 14, 9, 24, 11
            ))
        );
        assert_eq!(
            lena.current_sign_in_at
                .as_ref()
                .map(Shown::display)
                .as_deref(),
            Some("2026-11-21 08:02 UTC")
        );
        assert_eq!(
            lena.last_sign_in_at.as_ref().map(Shown::display).as_deref(),
            Some("never")
        );
        assert_eq!(lena.sign_in_count, Some(311));
        assert_eq!(lena.identities[0].provider, "google_oauth2");
        let sofia = &users[1];
        assert_eq!(sofia.state, Some(UserState::Blocked));
        assert_eq!(sofia.locked, Some(true));
        assert_eq!(sofia.confirmed, Some(false));
        assert_eq!(
            sofia.blocking(),
            ["blocked", "locked (too many failed sign-ins)"]
        );
        // `GET /users/:id` answers with one object.
        let one = parse_users(&json(r#"{"id":7,"username":"x","state":"banned"}"#)).unwrap();
        assert_eq!(one[0].state, Some(UserState::Banned));
        assert!(parse_users(&json(r#""nope""#)).is_err());
    }

    #[test]
    fn an_administrator_is_told_apart() {
        assert!(is_admin(&json(r#"{"id":1,"is_admin":true}"#)));
        assert!(!is_admin(&json(r#"{"id":1,"is_admin":false}"#)));
        assert!(!is_admin(&json(r#"{"id":1,"username":"me"}"#)));
    }
}
