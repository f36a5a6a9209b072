//! What a CustomersDot admin page says about an account, independent of its markup.
//!
//! The readers (`crate::readers::railsadmin`) fill these types from a Document; the rules here
//! (how a raw value is typed, what "blank" means) are pure and tested natively.

use crate::core::time::{parse_admin_datetime, UtcTime};
use serde::{Deserialize, Serialize};

/// Which RailsAdmin markup the page uses (CustomersDot's exact version is not public).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flavour {
    /// RailsAdmin 3.x, Bootstrap 5: `.list-group-item.{name}_field` cards.
    RailsAdmin3,
    /// RailsAdmin 2.x, Bootstrap 3: `dl > dt > span.label.{name}_field` + `dd`.
    RailsAdmin2,
}

/// A field's value after typing. The raw text is always kept beside it in [`Field::raw`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Value {
    Text(String),
    Time(UtcTime),
    /// `None` is RailsAdmin's "nil" badge (a dash icon).
    Bool(Option<bool>),
    Number(i64),
    /// Shown as " - " (compact show view off) or empty.
    Blank,
    /// Present but in a format we do not know: kept as text and flagged, never guessed.
    Unreadable(String),
}

/// One field of a show page, as RailsAdmin rendered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The attribute name from the `{name}_field` class, e.g. `confirmed_at`.
    pub name: String,
    /// The label shown, e.g. "Confirmed at".
    pub label: String,
    /// The field type from the `{type}_type` class, e.g. `datetime`, when the markup has it.
    pub field_type: Option<String>,
    /// The trimmed text as shown.
    pub raw: String,
    pub value: Value,
}

/// Whether a fact is on the page: the diagnosis says how sure it is from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// Shown with a value.
    Present,
    /// Shown as blank (" - ").
    Blank,
    /// Not on the page. On a Customer show page this means blank: RailsAdmin's default
    /// `compact_show_view` drops fields whose value is nil or "".
    Absent,
}

/// A CustomersDot Customer show page, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSnapshot {
    pub url: String,
    /// The record id from the URL (`/admin/customer/<id>`).
    pub record_id: Option<String>,
    pub flavour: Flavour,
    /// How the page was recognised as a Customer show page (header, breadcrumb, title, URL).
    pub recognised_by: Vec<String>,
    pub fields: Vec<Field>,
}

impl AccountSnapshot {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn presence(&self, name: &str) -> Presence {
        match self.field(name) {
            None => Presence::Absent,
            Some(f) if f.value == Value::Blank => Presence::Blank,
            Some(_) => Presence::Present,
        }
    }

    /// The account's address as shown, when the Email field holds one.
    pub fn email(&self) -> Option<&str> {
        self.field("email")
            .map(|f| f.raw.as_str())
            .filter(|raw| crate::core::email::is_address(raw))
    }
}

/// How the page was classified. Every admin page gets one; none is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PageReading {
    CustomerShow(AccountSnapshot),
    /// A RailsAdmin page we recognise but that carries no account facts (another model, the
    /// dashboard, a form): no findings, and no wrong banner.
    OtherAdminPage {
        url: String,
        what: String,
    },
    /// Not a page this version can read; the banner says so discreetly.
    Unreadable {
        url: String,
        reason: String,
    },
}

impl PageReading {
    pub fn url(&self) -> &str {
        match self {
            PageReading::CustomerShow(a) => &a.url,
            PageReading::OtherAdminPage { url, .. } | PageReading::Unreadable { url, .. } => url,
        }
    }
}

/// RailsAdmin shows nil as " - " when compact_show_view is off, and "-" for empty associations.
pub fn is_blank_text(raw: &str) -> bool {
    matches!(raw.trim(), "" | "-" | "‒" | "—")
}

/// Types a field's shown text by its RailsAdmin type (`datetime`, `integer`, ...).
/// Booleans are read from their badge by the reader, not from text.
pub fn type_value(field_type: Option<&str>, raw: &str) -> Value {
    if is_blank_text(raw) {
        return Value::Blank;
    }
    match field_type {
        Some("datetime" | "timestamp" | "time" | "date") => match parse_admin_datetime(raw) {
            Some(t) => Value::Time(t),
            None => Value::Unreadable(raw.to_string()),
        },
        Some("integer" | "bigint") => match raw.trim().replace(',', "").parse() {
            Ok(n) => Value::Number(n),
            Err(_) => Value::Unreadable(raw.to_string()),
        },
        _ => Value::Text(raw.to_string()),
    }
}

/// The record id from an admin member URL: `/admin/customer/123`, `/admin/customer/123/edit`.
/// Returns (model param, id, action).
pub fn parse_admin_path(path: &str) -> Option<(String, Option<String>, Option<String>)> {
    let rest = path.split(['?', '#']).next()?.strip_prefix("/admin/")?;
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let model = parts.next()?.to_string();
    let id = parts.next().map(str::to_string);
    let action = parts.next().map(str::to_string);
    Some((model, id, action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_values_by_railsadmin_type() {
        assert_eq!(type_value(Some("datetime"), " - "), Value::Blank);
        assert_eq!(type_value(Some("string"), ""), Value::Blank);
        assert_eq!(
            type_value(Some("datetime"), "March 05, 2024 14:07"),
            Value::Time(UtcTime::from_civil(2024, 3, 5, 14, 7, 0))
        );
        assert_eq!(
            type_value(Some("datetime"), "5 mars 2024"),
            Value::Unreadable("5 mars 2024".into())
        );
        assert_eq!(type_value(Some("integer"), "1,204"), Value::Number(1204));
        assert_eq!(type_value(None, "Acme"), Value::Text("Acme".into()));
    }

    #[test]
    fn parses_admin_paths() {
        assert_eq!(
            parse_admin_path("/admin/customer/123"),
            Some(("customer".into(), Some("123".into()), None))
        );
        assert_eq!(
            parse_admin_path("/admin/customer/123/edit?x=1"),
            Some(("customer".into(), Some("123".into()), Some("edit".into())))
        );
        assert_eq!(
            parse_admin_path("/admin/customer?query=a@b.com"),
            Some(("customer".into(), None, None))
        );
        assert_eq!(parse_admin_path("/customers/sign_in"), None);
    }

    #[test]
    fn presence_distinguishes_blank_from_absent() {
        let snap = AccountSnapshot {
            url: "https://customers.gitlab.com/admin/customer/1".into(),
            record_id: Some("1".into()),
            flavour: Flavour::RailsAdmin3,
            recognised_by: vec![],
            fields: vec![Field {
                name: "unconfirmed_email".into(),
                label: "Unconfirmed email".into(),
                field_type: Some("string".into()),
                raw: "-".into(),
                value: Value::Blank,
            }],
        };
        assert_eq!(snap.presence("unconfirmed_email"), Presence::Blank);
        assert_eq!(snap.presence("confirmed_at"), Presence::Absent);
        assert_eq!(snap.email(), None);
    }
}
