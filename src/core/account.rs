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
#[serde(rename_all = "kebab-case")]
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

/// How a field was identified on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldMatch {
    /// By RailsAdmin's `{name}_field` class (the attribute name itself).
    Class,
    /// By its label text, when the markup had no `{name}_field` class.
    Label,
}

/// One field of an admin page, as RailsAdmin rendered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The attribute name, e.g. `confirmed_at`.
    pub name: String,
    /// The label shown, e.g. "Confirmed at".
    pub label: String,
    /// The field type from the `{type}_type` class, e.g. `datetime`, when the markup has it.
    pub field_type: Option<String>,
    /// The trimmed text as shown.
    pub raw: String,
    pub value: Value,
    pub matched_by: FieldMatch,
}

impl Field {
    /// Builds a field from what a page shows, typing the value by the RailsAdmin type (or, when
    /// the markup names none, by the attribute's usual type). `zone_offset`: see
    /// [`parse_admin_datetime`].
    pub fn from_page(
        name: String,
        label: String,
        field_type: Option<String>,
        raw: String,
        matched_by: FieldMatch,
        zone_offset: i64,
    ) -> Field {
        let effective = field_type.as_deref().or_else(|| usual_type(&name));
        let value = type_value(effective, &raw, zone_offset);
        Field {
            name,
            label,
            field_type,
            raw,
            value,
            matched_by,
        }
    }

    /// The value as the banner shows it: times in UTC, flags spelled out.
    pub fn display(&self) -> String {
        match &self.value {
            Value::Time(t) => t.to_string(),
            Value::Bool(Some(true)) => "yes".into(),
            Value::Bool(Some(false)) => "no".into(),
            Value::Bool(None) => "not set".into(),
            Value::Number(n) => n.to_string(),
            Value::Blank => "blank".into(),
            Value::Text(t) => t.clone(),
            Value::Unreadable(raw) => format!("{raw} (format not recognised)"),
        }
    }
}

/// Which member page of the record the fields were read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum View {
    /// The Show tab: with the default compact show view, a blank field is left out.
    Show,
    /// The Edit form: shows editable fields only, so a missing field says nothing.
    Edit,
    /// A row of the admin's Customer search, as the diagnosis reads it when no account page
    /// was seen: only the columns the list shows, so a missing column says nothing.
    SearchRow,
}

/// Whether a fact is on the page: the diagnosis says how sure it is from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// Shown with a value.
    Present,
    /// Shown as blank (" - ").
    Blank,
    /// Not on the page. Whether that means blank: [`AccountSnapshot::absent_means_blank`].
    Absent,
}

/// A CustomersDot Customer record page (Show or Edit tab), read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSnapshot {
    pub url: String,
    /// The record id from the URL (`/admin/customer/<id>`).
    pub record_id: Option<String>,
    pub flavour: Flavour,
    pub view: View,
    /// How the page was recognised as a Customer page: "url", "header", "breadcrumb", "title".
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

    /// An absent field means blank only on a Show page that the page itself (not just the URL)
    /// confirms is a Customer's: RailsAdmin's default `compact_show_view` drops fields whose
    /// value is nil or "". On the Edit form, or an unconfirmed page, absent says nothing.
    pub fn absent_means_blank(&self) -> bool {
        self.view == View::Show
            && self
                .recognised_by
                .iter()
                .any(|r| matches!(r.as_str(), "header" | "breadcrumb" | "title"))
    }

    /// The account's address as shown, when the Email field holds one.
    pub fn email(&self) -> Option<&str> {
        self.field("email")
            .map(|f| f.raw.as_str())
            .filter(|raw| crate::core::email::is_address(raw))
    }
}

/// One row of the admin's Customer list (search results).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    /// The record id, from the bulk checkbox or the Show link.
    pub id: Option<String>,
    /// The row's Show link, made absolute.
    pub show_url: Option<String>,
    /// The cells shown, by column.
    pub fields: Vec<Field>,
}

impl AccountRow {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn email(&self) -> Option<&str> {
        self.field("email")
            .map(|f| f.raw.as_str())
            .filter(|raw| crate::core::email::is_address(raw))
    }

    /// "First Last" from the name columns, when shown.
    pub fn name(&self) -> Option<String> {
        let part = |n: &str| {
            self.field(n)
                .filter(|f| f.value != Value::Blank)
                .map(|f| f.raw.clone())
        };
        let parts: Vec<String> = [part("first_name"), part("last_name")]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// A Customer's "GitLab Groups" tab (`/admin/customer/<id>/gitlab_groups`): the namespaces
/// of the GitLab.com user the account is linked to (the personal namespace, the top-level
/// groups they own). Namespaces listed means linked; none listed, not linked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GitLabGroups {
    pub url: String,
    /// The Customer record's id (from the URL).
    pub record_id: String,
    pub namespaces: Vec<Namespace>,
    /// The page's own words when it lists none ("No GitLab groups found"), when it has any.
    pub empty_text: Option<String>,
}

impl GitLabGroups {
    /// The store's key of a tab that shows no address: the record (never an address: no `@`).
    pub fn record_key(&self) -> String {
        record_key(&self.record_id)
    }
}

/// The store's key of what a page says about a Customer record without showing its address.
pub fn record_key(record_id: &str) -> String {
    format!("customer/{record_id}")
}

/// One namespace on the GitLab Groups tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Namespace {
    /// The name shown (the row's first cell, or the link's text).
    pub name: String,
    /// Its page on GitLab.com, made absolute (https only), when the row links to it.
    pub url: Option<String>,
}

/// The sort order of a list page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub field: String,
    /// RailsAdmin's `sort_reverse` (header `headerSortUp`): the field's default order reversed.
    pub reversed: bool,
}

/// The admin's Customer list or search results (`/admin/customer?query=...`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSearch {
    pub url: String,
    pub flavour: Flavour,
    /// What was searched for, as in the search box (None: the unfiltered list).
    pub query: Option<String>,
    pub rows: Vec<AccountRow>,
    /// The total the page states ("3 customers"), over all pages.
    pub total: Option<u64>,
    /// The page showed "No records found".
    pub no_records: bool,
    pub sort: Option<Sort>,
    /// The page number shown as current in the pagination, when there is one.
    pub page: Option<u32>,
    /// The attribute names of the columns shown.
    pub columns: Vec<String>,
    /// RailsAdmin 2.x splits wide tables into column sets: some columns are not shown.
    pub columns_hidden: bool,
}

/// RailsAdmin shows nil as " - " when compact_show_view is off, and "-" for empty associations.
pub fn is_blank_text(raw: &str) -> bool {
    matches!(raw.trim(), "" | "-" | "‒" | "—")
}

/// The usual RailsAdmin type of a CustomersDot attribute, for markup that names no type.
pub fn usual_type(name: &str) -> Option<&'static str> {
    match name {
        "sign_in_count" | "failed_attempts" | "id" => Some("integer"),
        "login_activated" | "billable" => Some("boolean"),
        n if n.ends_with("_at") => Some("datetime"),
        _ => None,
    }
}

/// Types a field's shown text by its RailsAdmin type (`datetime`, `integer`, ...).
/// Booleans are read from their badge by the reader; here only their 2.x text (✓ ✘ ‒).
pub fn type_value(field_type: Option<&str>, raw: &str, zone_offset: i64) -> Value {
    let trimmed = raw.trim();
    match (field_type, trimmed) {
        (Some("boolean"), "✓") => return Value::Bool(Some(true)),
        (Some("boolean"), "✘") => return Value::Bool(Some(false)),
        (Some("boolean"), "‒") => return Value::Bool(None),
        _ => {}
    }
    if is_blank_text(raw) {
        return Value::Blank;
    }
    match field_type {
        Some("datetime" | "timestamp" | "time" | "date") => {
            match parse_admin_datetime(raw, zone_offset) {
                Some(t) => Value::Time(t),
                None => Value::Unreadable(raw.to_string()),
            }
        }
        Some("integer" | "bigint") => match trimmed.replace(',', "").parse() {
            Ok(n) => Value::Number(n),
            Err(_) => Value::Unreadable(raw.to_string()),
        },
        Some("boolean") => Value::Unreadable(raw.to_string()),
        _ => Value::Text(raw.to_string()),
    }
}

/// Rails' `humanize` of an attribute or model name: "confirmed_at" → "Confirmed at",
/// "billing_account" → "Billing account" ("foo~bar", a namespaced model param, → "Foo bar").
pub fn humanize(name: &str) -> String {
    let spaced = name.replace(['_', '~'], " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// The attribute name for a label, when the markup has no `{name}_field` class: the inverse
/// of Rails' `humanize` for CustomersDot's columns ("Zuora account" is `zuora_account_id`,
/// humanize drops a trailing "_id").
pub fn name_from_label(label: &str) -> String {
    let snake = label
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_");
    match snake.as_str() {
        "zuora_account" | "salesforce_account" => format!("{snake}_id"),
        _ => snake,
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

/// "12 customers" / "1 customer" / "1,204 customers" → the number.
pub fn parse_total_count(text: &str) -> Option<u64> {
    let first = text.split_whitespace().next()?;
    first.replace([',', '.', '\u{a0}'], "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_values_by_railsadmin_type() {
        assert_eq!(type_value(Some("datetime"), " - ", 0), Value::Blank);
        assert_eq!(type_value(Some("string"), "", 0), Value::Blank);
        assert_eq!(
            type_value(Some("datetime"), "March 05, 2024 14:07", 0),
            Value::Time(UtcTime::from_civil(2024, 3, 5, 14, 7, 0))
        );
        assert_eq!(
            type_value(Some("datetime"), "5 mars 2024", 0),
            Value::Unreadable("5 mars 2024".into())
        );
        assert_eq!(type_value(Some("integer"), "1,204", 0), Value::Number(1204));
        assert_eq!(type_value(None, "Acme", 0), Value::Text("Acme".into()));
        assert_eq!(type_value(Some("boolean"), "✓", 0), Value::Bool(Some(true)));
        assert_eq!(
            type_value(Some("boolean"), "✘", 0),
            Value::Bool(Some(false))
        );
        assert_eq!(type_value(Some("boolean"), "‒", 0), Value::Bool(None));
        assert_eq!(
            type_value(Some("boolean"), "maybe", 0),
            Value::Unreadable("maybe".into())
        );
    }

    #[test]
    fn fields_without_a_type_class_get_their_usual_type() {
        let f = Field::from_page(
            "confirmed_at".into(),
            "Confirmed at".into(),
            None,
            "March 05, 2024 14:07".into(),
            FieldMatch::Label,
            0,
        );
        assert_eq!(
            f.value,
            Value::Time(UtcTime::from_civil(2024, 3, 5, 14, 7, 0))
        );
        assert_eq!(f.display(), "2024-03-05 14:07 UTC");
        assert_eq!(name_from_label(" Confirmed  at "), "confirmed_at");
        assert_eq!(name_from_label("Zuora account"), "zuora_account_id");
        assert_eq!(name_from_label("Sign in count"), "sign_in_count");
    }

    #[test]
    fn parses_total_counts() {
        assert_eq!(parse_total_count("3 customers"), Some(3));
        assert_eq!(parse_total_count("1 customer"), Some(1));
        assert_eq!(parse_total_count(" 1,204 customers "), Some(1204));
        assert_eq!(parse_total_count("customers"), None);
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
        let mut snap = AccountSnapshot {
            url: "https://customers.gitlab.com/admin/customer/1".into(),
            record_id: Some("1".into()),
            flavour: Flavour::RailsAdmin3,
            view: View::Show,
            recognised_by: vec!["url".into()],
            fields: vec![Field::from_page(
                "unconfirmed_email".into(),
                "Unconfirmed email".into(),
                Some("string".into()),
                "-".into(),
                FieldMatch::Class,
                0,
            )],
        };
        assert_eq!(snap.presence("unconfirmed_email"), Presence::Blank);
        assert_eq!(snap.presence("confirmed_at"), Presence::Absent);
        assert_eq!(snap.email(), None);
        // Only the URL says "customer show": absent is not known to mean blank.
        assert!(!snap.absent_means_blank());
        snap.recognised_by.push("header".into());
        assert!(snap.absent_means_blank());
        snap.view = View::Edit;
        assert!(!snap.absent_means_blank());
    }
}
