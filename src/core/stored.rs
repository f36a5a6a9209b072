//! Reading an observation back from the JSON text the store keeps
//! ([`crate::core::store::encode_observation`] writes it with serde), and the settings; and
//! the view the frame's reader sends its main thread as JSON text, written ([`view_text`]) and
//! read ([`view`]) here the same way (serde's derives for the view were ~65 KB of the banner's
//! module; `tests/view_json.rs` checks both against them).
//!
//! By hand rather than through serde's derived `Deserialize`: the derives of `Fact` and the
//! types inside it, with the serde code only they used, were ~80 KB of the banner's module (a
//! visitor per struct and enum, a sequence form of every struct, `Option` and `Vec`
//! instantiations per type, serde's error messages), where one JSON tree ([`V`]) and one small
//! reader per type take ~19 KB. The rules are serde's for these types: an object's unknown
//! keys are ignored, a duplicated key is an error, an `Option` is `null` or absent for `None`,
//! a field with `#[serde(default)]` may be absent, integers must fit their type exactly; a
//! unit variant is its name (or `{"name": null}`), any other variant an object of one key (its
//! name). A struct written as a list, which serde also reads and the store never holds, is
//! refused (the settings excepted, as below). `tests/stored_json.rs` checks the observations
//! against serde's derive, the test below the settings.

use crate::core::account::{
    AccountRow, AccountSnapshot, Field, FieldMatch, Flavour, GitLabGroups, Namespace, Value, View,
};
use crate::core::diagnosis::plan::{PlanStep, Verdict};
use crate::core::diagnosis::{Evidence, Finding, FindingId, Severity, Step, Subject};
use crate::core::gitlab_com::{GitLabUser, Identity, Shown, Surface, UserEmail, UserState};
use crate::core::mail::{
    DomainSource, EventSource, MailDomain, MailEvent, MailKind, MailSearch, Outcome, RangeShown,
    SuppressionCheck, SuppressionEntry, SuppressionList, TimeBasis,
};
use crate::core::observation::{Fact, Observation};
use crate::core::settings::{QuietPages, Region, Settings};
use crate::core::time::UtcTime;
use crate::core::view::{BannerView, EventLine, FactLine, RecipientLine, RowLine};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A JSON value with its integers kept exact (serde_json reports a non-negative integer as
/// `u64`, a negative one as `i64`, anything else as `f64`).
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Null,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    S(String),
    A(Vec<V>),
    O(Vec<(String, V)>),
}

impl<'de> Deserialize<'de> for V {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(VVisitor)
    }
}

struct VVisitor;

impl<'de> Visitor<'de> for VVisitor {
    type Value = V;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<V, E> {
        Ok(V::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<V, E> {
        Ok(V::I(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<V, E> {
        Ok(V::U(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<V, E> {
        Ok(V::F(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<V, E> {
        Ok(V::S(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<V, E> {
        Ok(V::S(v))
    }
    fn visit_unit<E>(self) -> Result<V, E> {
        Ok(V::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<V, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(V::A(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, V>()? {
            members.push(member);
        }
        Ok(V::O(members))
    }
}

/// A stored observation's JSON text, read (its `key` empty: the record carries it).
pub fn observation(json: &str) -> Option<Observation> {
    let v: V = serde_json::from_str(json).ok()?;
    let o = Obj::new(&v)?;
    Some(Observation {
        key: String::new(),
        shown: o.or_default("a")?,
        url: o.req("u")?,
        seen_at: o.req("t")?,
        fact: o.req("f")?,
    })
}

/// A type read from a [`V`]; `None` where serde's derive would fail.
trait Read: Sized {
    fn read(v: &V) -> Option<Self>;
}

/// An object's members, no key twice.
struct Obj<'a>(&'a [(String, V)]);

impl<'a> Obj<'a> {
    fn new(v: &'a V) -> Option<Obj<'a>> {
        let V::O(members) = v else { return None };
        let twice = members
            .iter()
            .enumerate()
            .any(|(i, (k, _))| members.iter().take(i).any(|(earlier, _)| earlier == k));
        (!twice).then_some(Obj(members))
    }

    fn get(&self, key: &str) -> Option<&'a V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A field that must be there.
    fn req<T: Read>(&self, key: &str) -> Option<T> {
        T::read(self.get(key)?)
    }

    /// An `Option` field: absent or `null` is `None`; `None` (outer) when it does not read.
    fn opt<T: Read>(&self, key: &str) -> Option<Option<T>> {
        match self.get(key) {
            None | Some(V::Null) => Some(None),
            Some(v) => T::read(v).map(Some),
        }
    }

    /// A field with `#[serde(default)]`.
    fn or_default<T: Read + Default>(&self, key: &str) -> Option<T> {
        self.or(key, T::default())
    }

    /// A field that is `default` when absent.
    fn or<T: Read>(&self, key: &str, default: T) -> Option<T> {
        self.get(key).map_or(Some(default), T::read)
    }
}

/// An enum's variant: its name and, for a variant with data, the data.
fn variant(v: &V) -> Option<(&str, Option<&V>)> {
    match v {
        V::S(name) => Some((name, None)),
        V::O(members) => match members.as_slice() {
            [(name, data)] => Some((name, Some(data))),
            _ => None,
        },
        _ => None,
    }
}

/// A unit variant's name (serde also reads `{"name": null}`).
fn unit(v: &V) -> Option<&str> {
    match variant(v)? {
        (name, None | Some(V::Null)) => Some(name),
        _ => None,
    }
}

impl Read for String {
    fn read(v: &V) -> Option<Self> {
        match v {
            V::S(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl Read for bool {
    fn read(v: &V) -> Option<Self> {
        match v {
            V::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl Read for u64 {
    fn read(v: &V) -> Option<Self> {
        match v {
            V::U(n) => Some(*n),
            // serde-wasm-bindgen gives a JS number that is an integer as `i64`.
            V::I(n) => u64::try_from(*n).ok(),
            _ => None,
        }
    }
}

impl Read for i64 {
    fn read(v: &V) -> Option<Self> {
        match v {
            V::U(n) => i64::try_from(*n).ok(),
            V::I(n) => Some(*n),
            _ => None,
        }
    }
}

impl Read for usize {
    fn read(v: &V) -> Option<Self> {
        usize::try_from(u64::read(v)?).ok()
    }
}

impl Read for u32 {
    fn read(v: &V) -> Option<Self> {
        u32::try_from(u64::read(v)?).ok()
    }
}

impl Read for i32 {
    fn read(v: &V) -> Option<Self> {
        i32::try_from(i64::read(v)?).ok()
    }
}

impl Read for UtcTime {
    fn read(v: &V) -> Option<Self> {
        i64::read(v).map(UtcTime)
    }
}

impl<T: Read> Read for Option<T> {
    fn read(v: &V) -> Option<Self> {
        match v {
            V::Null => Some(None),
            v => T::read(v).map(Some),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &V) -> Option<Self> {
        match v {
            // A loop: `collect` into `Option<Vec<T>>` was ~1 KB more per type.
            V::A(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(T::read(item)?);
                }
                Some(out)
            }
            _ => None,
        }
    }
}

impl Read for Fact {
    fn read(v: &V) -> Option<Self> {
        let (name, Some(data)) = variant(v)? else {
            return None;
        };
        Some(match name {
            "as" => Fact::AccountShown(AccountSnapshot::read(data)?),
            "al" => {
                let o = Obj::new(data)?;
                Fact::AccountListed {
                    row: o.req("row")?,
                    query: o.opt("query")?,
                }
            }
            "ad" => {
                let o = Obj::new(data)?;
                Fact::AdminSearched {
                    query: o.req("query")?,
                    rows: o.req("rows")?,
                    total: o.opt("total")?,
                }
            }
            "e" => Fact::MailEvent(MailEvent::read(data)?),
            "gg" => Fact::GitLabGroupsListed(GitLabGroups::read(data)?),
            "gu" => Fact::GitLabComUser(GitLabUser::read(data)?),
            "gs" => {
                let o = Obj::new(data)?;
                Fact::GitLabComSearched {
                    query: o.req("query")?,
                    users: o.req("users")?,
                }
            }
            "ms" => Fact::MailSearched(MailSearch::read(data)?),
            "sc" => Fact::SuppressionChecked(SuppressionCheck::read(data)?),
            _ => return None,
        })
    }
}

impl Read for Flavour {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "rails-admin3" => Flavour::RailsAdmin3,
            "rails-admin2" => Flavour::RailsAdmin2,
            _ => return None,
        })
    }
}

impl Read for View {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "show" => View::Show,
            "edit" => View::Edit,
            "search-row" => View::SearchRow,
            _ => return None,
        })
    }
}

impl Read for FieldMatch {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "class" => FieldMatch::Class,
            "label" => FieldMatch::Label,
            _ => return None,
        })
    }
}

impl Read for Value {
    fn read(v: &V) -> Option<Self> {
        Some(match variant(v)? {
            ("blank", None | Some(V::Null)) => Value::Blank,
            ("text", Some(d)) => Value::Text(Read::read(d)?),
            ("time", Some(d)) => Value::Time(Read::read(d)?),
            ("bool", Some(d)) => Value::Bool(Read::read(d)?),
            ("number", Some(d)) => Value::Number(Read::read(d)?),
            ("unreadable", Some(d)) => Value::Unreadable(Read::read(d)?),
            _ => return None,
        })
    }
}

impl Read for Field {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Field {
            name: o.req("name")?,
            label: o.req("label")?,
            field_type: o.opt("field_type")?,
            raw: o.req("raw")?,
            value: o.req("value")?,
            matched_by: o.req("matched_by")?,
        })
    }
}

impl Read for AccountSnapshot {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(AccountSnapshot {
            url: o.req("url")?,
            record_id: o.opt("record_id")?,
            flavour: o.req("flavour")?,
            view: o.req("view")?,
            recognised_by: o.req("recognised_by")?,
            fields: o.req("fields")?,
        })
    }
}

impl Read for AccountRow {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(AccountRow {
            id: o.opt("id")?,
            show_url: o.opt("show_url")?,
            fields: o.req("fields")?,
        })
    }
}

impl Read for Namespace {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Namespace {
            name: o.req("name")?,
            url: o.opt("url")?,
        })
    }
}

impl Read for GitLabGroups {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(GitLabGroups {
            url: o.req("url")?,
            record_id: o.req("record_id")?,
            namespaces: o.req("namespaces")?,
            empty_text: o.opt("empty_text")?,
        })
    }
}

impl Read for Surface {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "admin-page" => Surface::AdminPage,
            "admin-search" => Surface::AdminSearch,
            "api" => Surface::Api,
            _ => return None,
        })
    }
}

impl Read for UserState {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "active" => UserState::Active,
            "blocked" => UserState::Blocked,
            "ldap-blocked" => UserState::LdapBlocked,
            "pending-approval" => UserState::PendingApproval,
            "banned" => UserState::Banned,
            "deactivated" => UserState::Deactivated,
            _ => return None,
        })
    }
}

impl Read for UserEmail {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(UserEmail {
            address: o.req("address")?,
            primary: o.req("primary")?,
            confirmed: o.opt("confirmed")?,
        })
    }
}

impl Read for Shown {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Shown {
            raw: o.req("raw")?,
            time: o.opt("time")?,
        })
    }
}

impl Read for Identity {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Identity {
            provider: o.req("provider")?,
            extern_uid: o.req("extern_uid")?,
        })
    }
}

impl Read for GitLabUser {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(GitLabUser {
            surface: o.req("surface")?,
            id: o.opt("id")?,
            username: o.opt("username")?,
            name: o.opt("name")?,
            emails: o.req("emails")?,
            unconfirmed_email: o.opt("unconfirmed_email")?,
            confirmed: o.opt("confirmed")?,
            confirmed_at: o.opt("confirmed_at")?,
            current_sign_in_at: o.opt("current_sign_in_at")?,
            last_sign_in_at: o.opt("last_sign_in_at")?,
            sign_in_count: o.opt("sign_in_count")?,
            state: o.opt("state")?,
            locked: o.opt("locked")?,
            identities: o.req("identities")?,
            badges: o.req("badges")?,
        })
    }
}

impl Read for MailDomain {
    fn read(v: &V) -> Option<Self> {
        Some(match variant(v)? {
            ("c", None | Some(V::Null)) => MailDomain::CustomersPortal,
            ("g", None | Some(V::Null)) => MailDomain::GitLabCom,
            ("u", None | Some(V::Null)) => MailDomain::Unknown,
            ("o", Some(d)) => MailDomain::Other(Read::read(d)?),
            _ => return None,
        })
    }
}

impl Read for DomainSource {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "u" => DomainSource::Url,
            "pc" => DomainSource::PageControl,
            "rc" => DomainSource::RowCell,
            "es" => DomainSource::EnvelopeSender,
            "ed" => DomainSource::EventDomainField,
            "mi" => DomainSource::MessageId,
            "fh" => DomainSource::FromHeader,
            _ => return None,
        })
    }
}

impl Read for MailKind {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "r" => MailKind::PasswordReset,
            "c" => MailKind::Confirmation,
            "u" => MailKind::Unlock,
            "p" => MailKind::PasswordChanged,
            "e" => MailKind::EmailChanged,
            "o" => MailKind::Other,
            _ => return None,
        })
    }
}

impl Read for SuppressionList {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "b" => SuppressionList::Bounce,
            "u" => SuppressionList::Unsubscribe,
            "c" => SuppressionList::Complaint,
            "x" => SuppressionList::Unknown,
            _ => return None,
        })
    }
}

impl Read for Outcome {
    fn read(v: &V) -> Option<Self> {
        Some(match variant(v)? {
            ("a", None | Some(V::Null)) => Outcome::Accepted,
            ("d", None | Some(V::Null)) => Outcome::Delivered,
            ("tf", None | Some(V::Null)) => Outcome::TemporaryFailure,
            ("pf", None | Some(V::Null)) => Outcome::PermanentFailure,
            ("f", None | Some(V::Null)) => Outcome::Failed,
            ("r", None | Some(V::Null)) => Outcome::Rejected,
            ("s", Some(d)) => Outcome::Suppressed(Read::read(d)?),
            ("o", None | Some(V::Null)) => Outcome::Opened,
            ("c", None | Some(V::Null)) => Outcome::Clicked,
            ("cp", None | Some(V::Null)) => Outcome::Complained,
            ("u", None | Some(V::Null)) => Outcome::Unsubscribed,
            ("st", None | Some(V::Null)) => Outcome::Stored,
            ("x", Some(d)) => Outcome::Other(Read::read(d)?),
            _ => return None,
        })
    }
}

impl Read for TimeBasis {
    fn read(v: &V) -> Option<Self> {
        Some(match variant(v)? {
            ("e", None | Some(V::Null)) => TimeBasis::Epoch,
            ("z", None | Some(V::Null)) => TimeBasis::ZoneShown,
            ("u", None | Some(V::Null)) => TimeBasis::AssumedUtc,
            ("l", Some(d)) => TimeBasis::AssumedBrowserLocal {
                offset_minutes: Obj::new(d)?.req("m")?,
            },
            _ => return None,
        })
    }
}

impl Read for EventSource {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "r" => EventSource::Row,
            "j" => EventSource::DetailJson,
            "a" => EventSource::EventsApi,
            _ => return None,
        })
    }
}

impl Read for MailEvent {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(MailEvent {
            recipient: o.or_default("r")?,
            recipient_key: o.opt("rk")?,
            domain: o.req("d")?,
            domain_source: o.opt("ds")?,
            kind: o.req("k")?,
            outcome: o.req("o")?,
            subject: o.opt("s")?,
            event_shown: o.req("w")?,
            reason: o.opt("rs")?,
            severity: o.opt("sv")?,
            code: o.opt("c")?,
            message: o.opt("m")?,
            description: o.opt("de")?,
            timestamp: o.opt("t")?,
            time_shown: o.opt("ts")?,
            time_basis: o.opt("tb")?,
            event_id: o.opt("id")?,
            message_id: o.opt("mi")?,
            source: o.req("src")?,
        })
    }
}

impl Read for RangeShown {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(RangeShown {
            text: o.req("text")?,
            last_days: o.opt("last_days")?,
            from: o.opt("from")?,
            to: o.opt("to")?,
        })
    }
}

impl Read for MailSearch {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(MailSearch {
            domain: o.req("domain")?,
            query: o.opt("query")?,
            filters: o.req("filters")?,
            range: o.opt("range")?,
            rows_seen: o.req("rows_seen")?,
            empty_text: o.opt("empty_text")?,
        })
    }
}

impl Read for SuppressionEntry {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(SuppressionEntry {
            code: o.opt("code")?,
            error: o.opt("error")?,
            created_at: o.opt("created_at")?,
            created_shown: o.opt("created_shown")?,
        })
    }
}

impl Read for SuppressionCheck {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(SuppressionCheck {
            domain: o.req("domain")?,
            list: o.req("list")?,
            entry: o.opt("entry")?,
        })
    }
}

/// The settings as stored (`storage.local`): `#[serde(default, rename_all = "camelCase")]`.
impl<'de> Deserialize<'de> for Settings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = V::deserialize(deserializer)?;
        Settings::read(&v).ok_or_else(|| serde::de::Error::custom("not settings"))
    }
}

/// The settings' fields in order: serde's derive also reads a struct from a list of its
/// values (here each one left off the end is its default).
const SETTINGS: [&str; 14] = [
    "adminHost",
    "mailgunAppHost",
    "customersDomain",
    "gitlabComDomain",
    "adminZoneOffsetMinutes",
    "resetWindowDays",
    "lockAfterFailedAttempts",
    "observationExpiryHours",
    "quietPages",
    "mailgunRegion",
    "adminLookup",
    "mailgunLookup",
    "gitlabLookup",
    "lookupTimeoutSeconds",
];

impl Read for Settings {
    fn read(v: &V) -> Option<Self> {
        let named;
        let v = match v {
            V::A(items) if items.len() > SETTINGS.len() => return None,
            V::A(items) => {
                named = V::O(
                    SETTINGS
                        .iter()
                        .map(|k| k.to_string())
                        .zip(items.clone())
                        .collect(),
                );
                &named
            }
            v => v,
        };
        let o = Obj::new(v)?;
        let d = Settings::default();
        Some(Settings {
            admin_host: o.or("adminHost", d.admin_host)?,
            mailgun_app_host: o.or("mailgunAppHost", d.mailgun_app_host)?,
            customers_domain: o.or("customersDomain", d.customers_domain)?,
            gitlab_com_domain: o.or("gitlabComDomain", d.gitlab_com_domain)?,
            admin_zone_offset_minutes: o
                .or("adminZoneOffsetMinutes", d.admin_zone_offset_minutes)?,
            reset_window_days: o.or("resetWindowDays", d.reset_window_days)?,
            lock_after_failed_attempts: o
                .or("lockAfterFailedAttempts", d.lock_after_failed_attempts)?,
            observation_expiry_hours: o.or("observationExpiryHours", d.observation_expiry_hours)?,
            quiet_pages: o.or("quietPages", d.quiet_pages)?,
            mailgun_region: o.or("mailgunRegion", d.mailgun_region)?,
            admin_lookup: o.or("adminLookup", d.admin_lookup)?,
            mailgun_lookup: o.or("mailgunLookup", d.mailgun_lookup)?,
            gitlab_lookup: o.or("gitlabLookup", d.gitlab_lookup)?,
            lookup_timeout_seconds: o.or("lookupTimeoutSeconds", d.lookup_timeout_seconds)?,
        })
    }
}

impl Read for QuietPages {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "slim" => QuietPages::Slim,
            "hidden" => QuietPages::Hidden,
            _ => return None,
        })
    }
}

impl Read for Region {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "us" => Region::Us,
            "eu" => Region::Eu,
            _ => return None,
        })
    }
}

/// The view the frame's reader sends its main thread (JSON text, serde's `Serialize` of
/// [`BannerView`]), read back by the rules above; `None` where serde's derive would fail.
pub fn view(json: &str) -> Option<BannerView> {
    let v: V = serde_json::from_str(json).ok()?;
    BannerView::read(&v)
}

/// The view as JSON text, exactly as serde's derived `Serialize` writes it
/// (`serde_json::to_string`): the members in their declared order, `None` as `null`, the
/// evidence's `event` left out (`#[serde(skip)]`), strings escaped as serde_json escapes them.
/// By hand for the same reason as [`view`]: the derive's code for every type of the view was
/// ~5 KB more of the banner's module. `tests/view_json.rs` checks both against serde.
pub fn view_text(view: &BannerView) -> String {
    let mut out = String::new();
    view.put(&mut out);
    out
}

/// A type written as JSON (see [`view_text`]).
trait Put {
    fn put(&self, out: &mut String);
}

/// A struct: its members in order, through `dyn` so that one function writes every struct.
fn object(out: &mut String, members: &[(&str, &dyn Put)]) {
    out.push('{');
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        text(out, key);
        out.push(':');
        value.put(out);
    }
    out.push('}');
}

/// A JSON string, escaped as serde_json escapes it. The runs of bytes that need no escape
/// (every byte from 0x20 up but `"` and `\`, so every byte of a multi-byte character) are
/// copied whole; the runs end at ASCII bytes, so on character boundaries (`get` never fails).
fn text(out: &mut String, s: &str) {
    out.push('"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            b if b < 0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(plain..i).unwrap_or_default());
        plain = i + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            out.extend(char::from_digit(u32::from(b) >> 4, 16));
            out.extend(char::from_digit(u32::from(b) & 15, 16));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(s.get(plain..).unwrap_or_default());
    out.push('"');
}

impl Put for String {
    fn put(&self, out: &mut String) {
        text(out, self);
    }
}

impl Put for bool {
    fn put(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl Put for u32 {
    fn put(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl Put for UtcTime {
    fn put(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }
}

impl<T: Put> Put for Option<T> {
    fn put(&self, out: &mut String) {
        match self {
            Some(value) => value.put(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: Put> Put for Vec<T> {
    fn put(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.put(out);
        }
        out.push(']');
    }
}
impl Put for FindingId {
    fn put(&self, out: &mut String) {
        text(out, self.row().slug);
    }
}

impl Put for Severity {
    fn put(&self, out: &mut String) {
        text(
            out,
            match self {
                Severity::Problem => "problem",
                Severity::Warning => "warning",
                Severity::Info => "info",
            },
        );
    }
}

impl Put for BannerView {
    fn put(&self, out: &mut String) {
        object(
            out,
            &[
                ("subject", &self.subject),
                ("verdict", &self.verdict),
                ("plan", &self.plan),
                ("facts", &self.facts),
                ("rows", &self.rows),
                ("recipients", &self.recipients),
                ("findings", &self.findings),
                ("note", &self.note),
                ("problems", &self.problems),
                ("storage", &self.storage),
                ("hidden", &self.hidden),
                ("recipients_unsent", &self.recipients_unsent),
                ("recipient_lines_unsent", &self.recipient_lines_unsent),
            ],
        );
    }
}

impl Put for Subject {
    fn put(&self, out: &mut String) {
        object(out, &[("key", &self.key), ("shown", &self.shown)]);
    }
}

impl Put for Step {
    fn put(&self, out: &mut String) {
        object(
            out,
            &[("id", &self.id), ("label", &self.label), ("url", &self.url)],
        );
    }
}

impl Put for Verdict {
    fn put(&self, out: &mut String) {
        object(out, &[("text", &self.text), ("step", &self.step)]);
    }
}

impl Put for PlanStep {
    fn put(&self, out: &mut String) {
        object(out, &[("step", &self.step), ("finding", &self.finding)]);
    }
}

impl Put for FactLine {
    fn put(&self, out: &mut String) {
        object(
            out,
            &[
                ("name", &self.name),
                ("label", &self.label),
                ("value", &self.value),
            ],
        );
    }
}

impl Put for RowLine {
    fn put(&self, out: &mut String) {
        object(
            out,
            &[
                ("id", &self.id),
                ("email", &self.email),
                ("name", &self.name),
                ("href", &self.href),
                ("hints", &self.hints),
            ],
        );
    }
}

impl Put for EventLine {
    fn put(&self, out: &mut String) {
        object(
            out,
            &[
                ("domain", &self.domain),
                ("kind", &self.kind),
                ("outcome", &self.outcome),
                ("failure", &self.failure),
                ("text", &self.text),
            ],
        );
    }
}

impl Put for RecipientLine {
    fn put(&self, out: &mut String) {
        object(
            out,
            &[
                ("key", &self.key),
                ("shown", &self.shown),
                ("events", &self.events),
                ("hints", &self.hints),
                ("events_unsent", &self.events_unsent),
            ],
        );
    }
}

impl Put for Evidence {
    fn put(&self, out: &mut String) {
        object(
            out,
            &[
                ("what", &self.what),
                ("value", &self.value),
                ("source", &self.source),
                ("seen_at", &self.seen_at),
                ("count", &self.count),
            ],
        );
    }
}

impl Put for Finding {
    fn put(&self, out: &mut String) {
        object(
            out,
            &[
                ("id", &self.id),
                ("severity", &self.severity),
                ("title", &self.title),
                ("explanation", &self.explanation),
                ("evidence", &self.evidence),
                ("steps", &self.steps),
                ("reply", &self.reply),
                ("certain", &self.certain),
            ],
        );
    }
}

impl Read for BannerView {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(BannerView {
            subject: o.opt("subject")?,
            verdict: o.opt("verdict")?,
            plan: o.req("plan")?,
            facts: o.req("facts")?,
            rows: o.req("rows")?,
            recipients: o.req("recipients")?,
            findings: o.req("findings")?,
            note: o.opt("note")?,
            problems: o.req("problems")?,
            storage: o.opt("storage")?,
            hidden: o.req("hidden")?,
            recipients_unsent: o.req("recipients_unsent")?,
            recipient_lines_unsent: o.req("recipient_lines_unsent")?,
        })
    }
}

impl Read for Subject {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Subject {
            key: o.req("key")?,
            shown: o.req("shown")?,
        })
    }
}

impl Read for Step {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Step {
            id: o.req("id")?,
            label: o.req("label")?,
            url: o.req("url")?,
        })
    }
}

impl Read for Verdict {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Verdict {
            text: o.req("text")?,
            step: o.opt("step")?,
        })
    }
}

impl Read for FindingId {
    fn read(v: &V) -> Option<Self> {
        let slug = unit(v)?;
        FindingId::ALL
            .iter()
            .copied()
            .find(|id| id.row().slug == slug)
    }
}

impl Read for Severity {
    fn read(v: &V) -> Option<Self> {
        Some(match unit(v)? {
            "problem" => Severity::Problem,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => return None,
        })
    }
}

impl Read for PlanStep {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(PlanStep {
            step: o.req("step")?,
            finding: o.req("finding")?,
        })
    }
}

impl Read for FactLine {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(FactLine {
            name: o.req("name")?,
            label: o.req("label")?,
            value: o.req("value")?,
        })
    }
}

impl Read for RowLine {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(RowLine {
            id: o.opt("id")?,
            email: o.opt("email")?,
            name: o.opt("name")?,
            href: o.opt("href")?,
            hints: o.req("hints")?,
        })
    }
}

impl Read for EventLine {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(EventLine {
            domain: o.opt("domain")?,
            kind: o.req("kind")?,
            outcome: o.req("outcome")?,
            failure: o.req("failure")?,
            text: o.req("text")?,
        })
    }
}

impl Read for RecipientLine {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(RecipientLine {
            key: o.req("key")?,
            shown: o.req("shown")?,
            events: o.req("events")?,
            hints: o.req("hints")?,
            events_unsent: o.req("events_unsent")?,
        })
    }
}

impl Read for Evidence {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Evidence {
            what: o.req("what")?,
            value: o.req("value")?,
            source: o.req("source")?,
            seen_at: o.req("seen_at")?,
            count: o.req("count")?,
            // `#[serde(skip)]`: never sent.
            event: None,
        })
    }
}

impl Read for Finding {
    fn read(v: &V) -> Option<Self> {
        let o = Obj::new(v)?;
        Some(Finding {
            id: o.req("id")?,
            severity: o.req("severity")?,
            title: o.req("title")?,
            explanation: o.req("explanation")?,
            evidence: o.req("evidence")?,
            steps: o.req("steps")?,
            reply: o.opt("reply")?,
            certain: o.req("certain")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::{json, Value as J};

    /// `Settings` as serde's derive read it before `Read` did.
    #[derive(Serialize, serde::Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    struct Derived {
        admin_host: String,
        mailgun_app_host: String,
        customers_domain: String,
        gitlab_com_domain: String,
        admin_zone_offset_minutes: i32,
        reset_window_days: u32,
        lock_after_failed_attempts: u32,
        observation_expiry_hours: u32,
        quiet_pages: DerivedQuiet,
        mailgun_region: DerivedRegion,
        admin_lookup: bool,
        mailgun_lookup: bool,
        gitlab_lookup: bool,
        lookup_timeout_seconds: u32,
    }

    #[derive(Serialize, serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum DerivedQuiet {
        Slim,
        Hidden,
    }

    #[derive(Serialize, serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum DerivedRegion {
        Us,
        Eu,
    }

    impl Default for Derived {
        fn default() -> Self {
            let d = Settings::default();
            Derived {
                admin_host: d.admin_host,
                mailgun_app_host: d.mailgun_app_host,
                customers_domain: d.customers_domain,
                gitlab_com_domain: d.gitlab_com_domain,
                admin_zone_offset_minutes: d.admin_zone_offset_minutes,
                reset_window_days: d.reset_window_days,
                lock_after_failed_attempts: d.lock_after_failed_attempts,
                observation_expiry_hours: d.observation_expiry_hours,
                quiet_pages: DerivedQuiet::Slim,
                mailgun_region: DerivedRegion::Us,
                admin_lookup: d.admin_lookup,
                mailgun_lookup: d.mailgun_lookup,
                gitlab_lookup: d.gitlab_lookup,
                lookup_timeout_seconds: d.lookup_timeout_seconds,
            }
        }
    }

    #[test]
    fn settings_read_as_the_derive_read_them() {
        let full = serde_json::to_value(Settings {
            admin_host: "staging.example.com".into(),
            admin_zone_offset_minutes: -330,
            quiet_pages: QuietPages::Hidden,
            mailgun_region: Region::Eu,
            gitlab_lookup: true,
            ..Settings::default()
        })
        .unwrap();
        let J::Object(members) = &full else {
            unreachable!()
        };
        let mut texts = vec![
            full.to_string(),
            "{}".to_string(),
            "null".into(),
            "[]".into(),
            "{\"adminHost\":\"a\",\"adminHost\":\"b\"}".into(),
            "{\"other\":1}".into(),
            "[\"a\",\"b\"]".into(),
            "[\"a\",1]".into(),
            serde_json::to_string(&members.values().collect::<Vec<_>>()).unwrap(),
            "[\"a\",\"b\",\"c\",\"d\",0,1,2,3,\"slim\",\"eu\",true,true,true,4]".into(),
            "[\"a\",\"b\",\"c\",\"d\",0,1,2,3,\"slim\",\"eu\",true,true,true,4,5]".into(),
        ];
        for key in members.keys() {
            let mut without = members.clone();
            without.remove(key);
            texts.push(J::Object(without).to_string());
            for other in [
                J::Null,
                json!(1.5),
                json!(-1),
                json!(7),
                json!(4_294_967_296_u64),
                json!(-2_147_483_649_i64),
                json!("x"),
                json!("eu"),
                json!("hidden"),
                json!(true),
                json!([]),
                json!({"eu": null}),
            ] {
                texts.push(json!({ key.clone(): other }).to_string());
            }
        }
        for text in &texts {
            let ours = serde_json::from_str::<Settings>(text)
                .ok()
                .map(|s| serde_json::to_value(s).unwrap());
            let derived = serde_json::from_str::<Derived>(text)
                .ok()
                .map(|s| serde_json::to_value(s).unwrap());
            assert_eq!(ours, derived, "{text}");
        }
    }
}
