//! The admin look-up: the Customer search fetched with the engineer's own session, then the
//! Show page of each account whose address is the one searched.

use crate::core::account::AccountSearch;
use crate::core::email;
use crate::core::settings::Settings;

/// Show pages opened per search at most (an address has one account; a few case variants are
/// worth reading, a page of substring matches is not).
pub const MAX_SHOW_PAGES: usize = 5;

/// A signed-in admin's search is answered, never redirected: the popup does not follow
/// redirects (a redirect is "signed out"), and an answer from a URL outside the admin
/// (Devise's sign-in page, another host) means the session is not signed in to the admin.
pub fn signed_out(final_url: &str, settings: &Settings) -> bool {
    !crate::core::url::is_page_of(final_url, &settings.admin_host, "/admin")
        || crate::core::url::host_and_path(final_url)
            .is_none_or(|(_, path)| path.contains("sign_in"))
}

/// The Show pages to read for the searched address: rows whose address is the same (case
/// aside), on the admin host, at most [`MAX_SHOW_PAGES`].
pub fn show_pages(search: &AccountSearch, key: &str, settings: &Settings) -> Vec<String> {
    let mut urls: Vec<String> = search
        .rows
        .iter()
        .filter(|row| row.email().and_then(email::normalise).as_deref() == Some(key))
        .filter_map(|row| row.show_url.clone())
        .filter(|url| crate::core::url::is_page_of(url, &settings.admin_host, "/admin/"))
        .collect();
    urls.dedup();
    urls.truncate(MAX_SHOW_PAGES);
    urls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::account::{humanize, AccountRow, Field, FieldMatch, Flavour};

    #[test]
    fn redirect_to_sign_in_is_signed_out() {
        let s = Settings::default();
        assert!(signed_out(
            "https://customers.gitlab.com/customers/sign_in",
            &s
        ));
        assert!(signed_out("https://customers.gitlab.com/admin/sign_in", &s));
        assert!(signed_out("https://gitlab.com/users/sign_in", &s));
        assert!(!signed_out(
            "https://customers.gitlab.com/admin/customer?query=a%40b.co",
            &s
        ));
    }

    #[test]
    fn opens_the_show_pages_of_exact_matches_only() {
        let row = |id: &str, email: &str, url: &str| AccountRow {
            id: Some(id.into()),
            show_url: Some(url.into()),
            fields: vec![Field::from_page(
                "email".into(),
                humanize("email"),
                Some("string".into()),
                email.into(),
                FieldMatch::Class,
                0,
            )],
        };
        let search = AccountSearch {
            url: "https://customers.gitlab.com/admin/customer?query=jane%40example.com".into(),
            flavour: Flavour::RailsAdmin3,
            query: Some("jane@example.com".into()),
            rows: vec![
                row(
                    "1",
                    "Jane@Example.com",
                    "https://customers.gitlab.com/admin/customer/1",
                ),
                row(
                    "2",
                    "xjane@example.com",
                    "https://customers.gitlab.com/admin/customer/2",
                ),
                row(
                    "3",
                    "jane@example.com",
                    "https://evil.example/admin/customer/3",
                ),
                row(
                    "4",
                    "jane@example.com",
                    "http://customers.gitlab.com/admin/customer/4",
                ),
            ],
            total: Some(4),
            no_records: false,
            sort: None,
            page: Some(1),
            columns: vec!["email".into()],
            columns_hidden: false,
        };
        assert_eq!(
            show_pages(&search, "jane@example.com", &Settings::default()),
            ["https://customers.gitlab.com/admin/customer/1"]
        );
    }
}
