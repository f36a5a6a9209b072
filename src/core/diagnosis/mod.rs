//! The diagnosis: findings from the support handbook's causes, each resting on evidence.
//!
//! `diagnose` is pure and deterministic: the same observations, time and settings always give
//! the same findings in the same order (problems, warnings, information; within a severity by
//! the order of [`table`]'s rows). A finding is only emitted with the evidence it names; where
//! a rule needs a page that was not seen, the finding is marked not [`Finding::certain`] (its title
//! says "likely") and `missing-evidence` names the page to open.
//!
//! - [`account`]: what the account page settles (confirmation, lock, sign-ins).
//! - [`confirmation`]: the address's confirmation (a pending email change, confirmation mails
//!   not delivered), from the account page and the logs.
//! - [`mail`]: what Mailgun's logs settle (which site sent a reset, its delivery,
//!   suppressions) within the reset window.
//! - [`gitlab`]: the GitLab.com side: the address's account and its state, the linked account
//!   (the CustomersDot `Uid`) and its address, a search that found no account.
//! - [`ways`]: today's ways back in (the handbook's current revision): the steps and replies.
//! - [`others`]: other accounts (similar addresses) and an admin search that found nothing.
//! - [`table`]: every finding's id, severity, title and verdict words, one row each.
//!
//! Each rule is one function returning its one finding (or none), called once by
//! [`diagnose`]; a finding's severity and title come from its row of the table. The modules
//! import one way: `confirmation` → `mail` → `account` (none of them back).

mod account;
mod confirmation;
mod gitlab;
pub mod group;
mod mail;
pub mod note;
mod others;
pub mod plan;
pub mod table;
pub mod ways;

pub use others::similar_rows;
pub use table::FindingId;

use crate::core::account::{AccountSnapshot, Field, GitLabGroups};
use crate::core::gitlab_com::GitLabUser;
use crate::core::mail::{MailEvent, MailSearch};
use crate::core::observation::{Fact, Observation};
use crate::core::settings::Settings;
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};

/// A fast, non-keyed hasher for de-duplicating one page's events (no untrusted keys flood
/// a table here; SipHash was most of `diagnose()`'s time on 10,000 events).
#[derive(Default)]
struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.write_u64(u64::from_le_bytes(w));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w.iter_mut()
                .zip(rest)
                .for_each(|(slot, byte)| *slot = *byte);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_u8(&mut self, byte: u8) {
        self.write_u64(u64::from(byte));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fast = std::hash::BuildHasherDefault<FastHasher>;

/// An event as the fields [`crate::core::mail::same_event`] compares when the two events do
/// not both carry an id: equal exactly when those fields are.
#[derive(Clone, Copy)]
struct SameFields<'a>(&'a MailEvent);

impl PartialEq for SameFields<'_> {
    fn eq(&self, other: &Self) -> bool {
        crate::core::mail::same_fields(self.0, other.0)
    }
}

impl Eq for SameFields<'_> {}

impl std::hash::Hash for SameFields<'_> {
    /// Part of the compared fields (equal events still hash equal), mixed into one word here:
    /// the time read, the source, outcome and domain, the subject and the message, and, without
    /// a time read, the time shown. Left out: the recipient (one address's events share it)
    /// and, with a time read, the time shown (the same text for the same instant). Events
    /// alike in all of that only share a bucket; `eq` tells them apart.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        use crate::core::mail::{EventSource, MailDomain, Outcome};
        let e = self.0;
        let slug = e.outcome.slug().as_bytes();
        let source = match e.source {
            EventSource::Row => 1,
            EventSource::DetailJson => 2,
            EventSource::EventsApi => 3,
        };
        let domain = match &e.domain {
            MailDomain::CustomersPortal => 1,
            MailDomain::GitLabCom => 2,
            MailDomain::Unknown => 3,
            MailDomain::Other(name) => 4 | (name.len() as u64) << 8,
        };
        // The slug's length and first letter tell every outcome apart.
        let outcome = (slug.len() as u64) << 8 | slug.first().map_or(0, |b| u64::from(*b));
        let mut h = Mix(e.timestamp.map_or(u64::MAX, |t| t.0 as u64));
        h.word(source | outcome << 8 | domain << 24);
        if let Outcome::Other(word) = &e.outcome {
            h.text(Some(word));
        }
        h.text(e.subject.as_deref());
        h.text(e.message.as_deref());
        if e.timestamp.is_none() {
            h.text(e.time_shown.as_deref());
        }
        state.write_u64(h.0);
    }
}

/// [`FastHasher`]'s mixing step, inline.
struct Mix(u64);

impl Mix {
    #[inline(always)]
    fn word(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    /// A whole text by 8-byte words, then its length (`None` apart from `Some("")`).
    fn text(&mut self, text: Option<&str>) {
        let Some(text) = text else {
            self.word(u64::MAX);
            return;
        };
        let mut rest = text.as_bytes();
        while let Some((w, more)) = rest.split_first_chunk::<8>() {
            self.word(u64::from_le_bytes(*w));
            rest = more;
        }
        self.word(short_word(rest) ^ (text.len() as u64).rotate_right(8));
    }
}

/// Up to 8 bytes as a word (little-endian, zero-padded).
fn short_word(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .take(8)
        .enumerate()
        .fold(0, |w, (i, b)| w | u64::from(*b) << (8 * i))
}

/// Problems first, then warnings, then information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Problem,
    Warning,
    Info,
}

/// One fact a finding rests on: which field or event, its value, where and when it was seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub what: String,
    pub value: String,
    pub source: String,
    pub seen_at: UtcTime,
    /// How many evidence items read exactly like this one (1: this one alone). Lines that
    /// read the same are shown once with their count (see [`group::group_evidence`]).
    pub count: u32,
    /// For a mail event: its place in its message, so the events of one message (accepted →
    /// delivered → opened) become one line. Never serialised: only the grouping reads it.
    #[serde(skip)]
    pub event: Option<Box<group::EventPart>>,
}

/// A next step: a link with a stable id (the `data-step` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id (the `data-finding` contract, listed in docs/contract.md).
    pub id: FindingId,
    pub severity: Severity,
    pub title: String,
    pub explanation: String,
    pub evidence: Vec<Evidence>,
    pub steps: Vec<Step>,
    /// A reply to the customer, plain text with the address filled in.
    pub reply: Option<String>,
    /// Every page the claim needs was seen. `false`: the title says "likely" and
    /// `missing-evidence` names what to open to settle it.
    pub certain: bool,
}

/// Whom the diagnosis is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub key: String,
    pub shown: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub subject: Subject,
    pub findings: Vec<Finding>,
    /// The findings in one sentence and the one thing to do now (the banner's first line).
    pub verdict: plan::Verdict,
    /// Every next step once, ordered by what blocks what (see [`plan::plan`]).
    pub plan: Vec<plan::PlanStep>,
}

impl Finding {
    /// A finding of `id` with its severity and title from the table (a rule that words its
    /// title sets it), and nothing else yet.
    pub fn new(id: FindingId, certain: bool) -> Finding {
        Finding {
            id,
            severity: id.severity(),
            title: id.title(certain).unwrap_or_default().to_string(),
            explanation: String::new(),
            evidence: Vec::new(),
            steps: Vec::new(),
            reply: None,
            certain,
        }
    }
}

/// Everything the rules read: the subject's observations, all observations (other accounts),
/// the time and the settings.
pub(crate) struct Ctx<'a> {
    pub key: &'a str,
    pub shown: String,
    pub now: UtcTime,
    pub settings: &'a Settings,
    pub all: &'a [Observation],
    /// The account pages and rows seen, for any address, in order.
    pub accounts: Vec<&'a Observation>,
    /// The address's observations other than mail events, in order.
    pub facts: Vec<&'a Observation>,
    /// The latest account page seen for the address.
    pub account: Option<(&'a Observation, &'a AccountSnapshot)>,
    /// The latest GitLab Groups tab seen of that account's record (the tab shows no address:
    /// found by the record id).
    pub groups: Option<(&'a Observation, &'a GitLabGroups)>,
    /// Every GitLab.com user seen, for any address (found by address and by id).
    pub gitlab_users: Vec<(&'a Observation, &'a GitLabUser)>,
    /// The address's mail events (see [`Ctx::events`]).
    pub events: Events<'a>,
}

/// A mail event and the observation that read it.
pub(crate) type Ev<'a> = (&'a Observation, &'a MailEvent);

/// The address's mail events, each once, and the groups the rules read, made in one pass:
/// 10,000 events are read once, not once per rule.
pub(crate) struct Events<'a> {
    /// The events on the Customers Portal's sending domain.
    pub cdot: DomainEvents<'a>,
    /// The events on GitLab.com's sending domain.
    pub glc: DomainEvents<'a>,
    /// The events without a time read or not on one of those two domains, in order.
    pub unplaced: Vec<Ev<'a>>,
}

/// One sending domain's events, each list in observation order.
#[derive(Default)]
pub(crate) struct DomainEvents<'a> {
    /// How many, and the latest (by time, undated ones first; the last of equals).
    pub count: usize,
    pub latest: Option<Ev<'a>>,
    pub resets: Vec<Ev<'a>>,
    pub confirmations: Vec<Ev<'a>>,
    /// The events that say the address is on a suppression list (`mail::is_suppression`).
    pub suppressions: Vec<Ev<'a>>,
    /// The times of the deliveries that show the address is off the domain's suppression
    /// lists (`None`: no time read): every delivery, but GitLab.com's reset mails, which bypass
    /// the lists (`X-Mailgun-Suppressions-Bypass`) and so prove nothing about them.
    pub deliveries: Vec<Option<UtcTime>>,
}

/// [`Events`] as the events come: `same_event` in linear time, by id (and outcome) when both
/// events carry an id, by their fields otherwise. A page of 10,000 events must not cost
/// 10,000² comparisons.
struct EventsBuilder<'a> {
    /// The fields of each kept event, and whether one kept with these fields had no id (an
    /// event with an id is the same as it; one with another id is not the same as another
    /// event with an id). Sized once: growing it rehashes every key.
    fields: std::collections::HashMap<SameFields<'a>, bool, Fast>,
    ids: std::collections::HashSet<(&'a str, &'a crate::core::mail::Outcome), Fast>,
    events: Events<'a>,
}

impl<'a> EventsBuilder<'a> {
    /// For up to `n` events without growing.
    fn with_capacity(n: usize) -> Self {
        EventsBuilder {
            fields: std::collections::HashMap::with_capacity_and_hasher(n, Fast::default()),
            ids: Default::default(),
            events: Events {
                cdot: DomainEvents::default(),
                glc: DomainEvents::default(),
                unplaced: Vec::new(),
            },
        }
    }

    /// The next event read: kept (and grouped) unless it is one already kept.
    fn add(&mut self, o: &'a Observation, e: &'a MailEvent) {
        use crate::core::mail::{MailDomain, MailKind, Outcome};
        use std::collections::hash_map::Entry;
        let entry = self.fields.entry(SameFields(e));
        match e.event_id.as_deref() {
            Some(id) => {
                if matches!(&entry, Entry::Occupied(kept) if *kept.get())
                    || !self.ids.insert((id, &e.outcome))
                {
                    return;
                }
                entry.or_insert(false);
            }
            None => match entry {
                Entry::Occupied(_) => return,
                Entry::Vacant(v) => {
                    v.insert(true);
                }
            },
        }
        let out = &mut self.events;
        let ev = (o, e);
        let domain = match e.domain {
            MailDomain::CustomersPortal => Some(&mut out.cdot),
            MailDomain::GitLabCom => Some(&mut out.glc),
            _ => None,
        };
        if domain.is_none() || e.timestamp.is_none() {
            out.unplaced.push(ev);
        }
        if let Some(d) = domain {
            d.count += 1;
            let time = |e: &MailEvent| (e.timestamp.is_some(), e.timestamp);
            if d.latest.is_none_or(|(_, latest)| time(e) >= time(latest)) {
                d.latest = Some(ev);
            }
            match e.kind {
                MailKind::PasswordReset => d.resets.push(ev),
                MailKind::Confirmation => d.confirmations.push(ev),
                _ => {}
            }
            if mail::is_suppression(e) {
                d.suppressions.push(ev);
            }
            let bypasses = e.domain == MailDomain::GitLabCom && e.kind == MailKind::PasswordReset;
            if e.outcome == Outcome::Delivered && !bypasses {
                d.deliveries.push(e.timestamp);
            }
        }
    }
}

impl<'a> Ctx<'a> {
    /// The start of the reset window.
    pub fn window_start(&self) -> UtcTime {
        UtcTime(self.now.0 - self.settings.reset_window_secs())
    }

    pub fn in_window(&self, t: UtcTime) -> bool {
        t >= self.window_start()
    }

    /// Mail events to the address, each once (the same event read twice counts once; the
    /// first observation of it is its source), in observation order, and grouped.
    pub fn events(&self) -> &Events<'a> {
        &self.events
    }

    /// The context of a diagnosis of `key`, from one pass over the observations: the account
    /// pages and rows (for similar accounts), the address's other facts, its mail events (most
    /// of them, on a Mailgun page) de-duplicated and grouped as they come, and the latest
    /// seen (the last of those seen latest).
    pub fn new(
        key: &'a str,
        observations: &'a [Observation],
        now: UtcTime,
        settings: &'a Settings,
    ) -> Ctx<'a> {
        let mut accounts: Vec<&Observation> = Vec::new();
        let mut facts: Vec<&Observation> = Vec::new();
        let mut events = EventsBuilder::with_capacity(observations.len());
        let mut latest: Option<&Observation> = None;
        let mut groups_seen: Vec<(&Observation, &GitLabGroups)> = Vec::new();
        let mut gitlab_users: Vec<(&Observation, &GitLabUser)> = Vec::new();
        for o in observations {
            match &o.fact {
                Fact::GitLabGroupsListed(g) => {
                    groups_seen.push((o, g));
                    continue;
                }
                Fact::GitLabComUser(u) => gitlab_users.push((o, u)),
                _ => {}
            }
            if matches!(o.fact, Fact::AccountShown(_) | Fact::AccountListed { .. }) {
                accounts.push(o);
            }
            if o.key != key {
                continue;
            }
            if latest.is_none_or(|l| o.seen_at >= l.seen_at) {
                latest = Some(o);
            }
            match &o.fact {
                Fact::MailEvent(e) => events.add(o, e),
                _ => facts.push(o),
            }
        }
        let account = facts
            .iter()
            .filter_map(|o| o.account().map(|a| (*o, a)))
            .max_by_key(|(o, _)| o.seen_at);
        // The address as the account page shows it; without one, as last seen (a search row,
        // a Mailgun event may show it in another case).
        let shown = account
            .map(|(o, _)| o)
            .or(latest)
            .map_or_else(|| key.to_string(), |o| o.shown.clone());
        let groups = groups_of(&groups_seen, account.map(|(_, a)| a));
        Ctx {
            key,
            shown,
            now,
            settings,
            all: observations,
            accounts,
            facts,
            account,
            groups,
            gitlab_users,
            events: events.events,
        }
    }

    /// Whether the account is linked to a GitLab.com account: `Some(true)` when its page shows a
    /// `Uid` or its GitLab Groups tab lists namespaces, `Some(false)` when what was seen says
    /// neither (a blank `Uid`, an empty tab), `None` when nothing seen can say.
    pub fn linked(&self) -> Option<bool> {
        let by_page = self.account.and_then(|(_, a)| ways::linked(a));
        let by_tab = self.groups.map(|(_, g)| !g.namespaces.is_empty());
        match (by_page, by_tab) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), _) | (_, Some(false)) => Some(false),
            (None, None) => None,
        }
    }

    /// Mailgun searches for the address.
    pub fn searches(&self) -> Vec<(&'a Observation, &'a MailSearch)> {
        self.facts
            .iter()
            .filter_map(|o| match &o.fact {
                Fact::MailSearched(s) => Some((*o, s)),
                _ => None,
            })
            .collect()
    }
}

/// The steps that would settle what is still open (`missing-evidence`), as the rules ask for
/// them.
#[derive(Default)]
pub(crate) struct Missing(Vec<Step>);

impl Missing {
    /// Adds a missing-evidence step once (by id; the first label wins).
    pub fn need(&mut self, step: Step) {
        if !self.0.iter().any(|s| s.id == step.id) {
            self.0.push(step);
        }
    }
}

/// Diagnoses one address from every observation (about it, and about other addresses for
/// similar accounts).
pub fn diagnose(
    key: &str,
    observations: &[Observation],
    now: UtcTime,
    settings: &Settings,
) -> Diagnosis {
    let ctx = Ctx::new(key, observations, now, settings);
    // Without an account page, a search row for the address tells what its columns show.
    let row_page = match ctx.account {
        None => row_as_page(&ctx),
        Some(_) => None,
    };
    let ctx = match &row_page {
        Some((obs, page)) => {
            let seen: Vec<(&Observation, &GitLabGroups)> = observations
                .iter()
                .filter_map(|o| match &o.fact {
                    Fact::GitLabGroupsListed(g) => Some((o, g)),
                    _ => None,
                })
                .collect();
            Ctx {
                account: Some((*obs, page)),
                groups: groups_of(&seen, Some(page)),
                ..ctx
            }
        }
        None => ctx,
    };
    // Each rule once, in this order: the order in which they ask for pages to be checked is
    // the order of `missing-evidence`'s steps (the findings are sorted by the table).
    let mut findings: Vec<Finding> = Vec::new();
    let mut missing = Missing::default();
    let no_account = others::no_account(&ctx);
    match ctx.account {
        Some((obs, snapshot)) => {
            findings.extend(account::account_findings(&ctx, obs, snapshot, &mut missing));
        }
        // Searched and nothing found: `no-account` says so; searching again settles nothing.
        None if no_account.is_some() => {}
        None => missing.need(Step {
            id: "admin-search".into(),
            label: format!("Search the admin for {}", ctx.shown),
            url: settings.admin_search_url(&ctx.shown),
        }),
    }
    findings.extend(no_account);
    findings.extend(confirmation::email_unconfirmed(&ctx));
    findings.extend(others::similar_accounts(&ctx));
    let resets = mail::Resets::new(&ctx);
    findings.extend(mail::reset_requested_on_gitlab_com(
        &ctx,
        &resets,
        &mut missing,
    ));
    findings.extend(mail::no_reset_email(&ctx, &resets, &mut missing));
    findings.extend(mail::reset_email_undelivered(&ctx, &resets));
    findings.extend(mail::reset_email_delivered(&ctx, &resets, &mut missing));
    findings.extend(mail::address_suppressed(&ctx));
    findings.extend(mail::unplaced_mail_events(&ctx));
    findings.extend(gitlab::linked_account_email_differs(&ctx));
    findings.extend(gitlab::gitlab_com_account_locked(&ctx));
    findings.extend(gitlab::no_gitlab_com_account(&ctx));
    findings.extend(gitlab::gitlab_com_account(&ctx));
    mail::unchecked_domains(&ctx, &resets, &mut missing);

    let Missing(mut missing) = missing;
    // The account first, then the Customers Portal's logs, then GitLab.com's.
    let step_rank = |s: &Step| match s.id.strip_prefix("mailgun-logs-") {
        None => 0,
        Some(d) if *d == settings.customers_domain => 1,
        Some(d) if *d == settings.gitlab_com_domain => 2,
        Some(_) => 3,
    };
    crate::core::sort::sort_by_key(&mut missing, step_rank);
    if !missing.is_empty() {
        findings.push(missing_evidence(&ctx, missing));
    }
    crate::core::sort::sort_by_key(&mut findings, |f| (f.severity, f.id));
    for f in &mut findings {
        group::group_evidence(&mut f.evidence);
    }
    let plan = plan::plan(&findings);
    let verdict = plan::verdict(&ctx.shown, &findings, &plan);
    Diagnosis {
        subject: Subject {
            key: key.to_string(),
            shown: ctx.shown,
        },
        findings,
        verdict,
        plan,
    }
}

/// The latest GitLab Groups tab of the account's record.
fn groups_of<'a>(
    seen: &[(&'a Observation, &'a GitLabGroups)],
    account: Option<&AccountSnapshot>,
) -> Option<(&'a Observation, &'a GitLabGroups)> {
    let id = account?.record_id.as_deref()?;
    seen.iter()
        .filter(|(_, g)| g.record_id == id)
        .max_by_key(|(o, _)| o.seen_at)
        .copied()
}

/// The search row the diagnosis reads as the account when no account page was seen: the row
/// of a search for exactly this address whose address reads exactly as searched, else the
/// latest row seen. Its columns become the fields of a [`View::SearchRow`] page.
fn row_as_page<'a>(ctx: &Ctx<'a>) -> Option<(&'a Observation, AccountSnapshot)> {
    let (obs, row) = ctx
        .facts
        .iter()
        .enumerate()
        .filter_map(|(i, o)| match &o.fact {
            Fact::AccountListed { row, query } => {
                let exact = query
                    .as_deref()
                    .and_then(|q| crate::core::lookup::query::parse_query(q).ok())
                    .is_some_and(|q| q.key == ctx.key && q.shown == o.shown);
                Some(((exact, o.seen_at, std::cmp::Reverse(i)), (*o, row)))
            }
            _ => None,
        })
        .max_by_key(|(rank, _)| *rank)
        .map(|(_, found)| found)?;
    Some((
        obs,
        AccountSnapshot {
            url: row.show_url.clone().unwrap_or_else(|| obs.url.clone()),
            record_id: row.id.clone(),
            flavour: crate::core::account::Flavour::RailsAdmin3,
            view: crate::core::account::View::SearchRow,
            recognised_by: vec!["search-row".into()],
            fields: row.fields.clone(),
        },
    ))
}

/// Where a field was seen: "“Confirmed at” on the account page", or, for a search row,
/// "“Confirmed at” column of the admin search “q” (row #id)".
pub(crate) fn field_where(label: &str, obs: &Observation) -> String {
    match &obs.fact {
        Fact::AccountListed { row, query } => format!(
            "“{label}” column of the admin search{}{}",
            query
                .as_deref()
                .map(|q| format!(" “{q}”"))
                .unwrap_or_default(),
            row.id
                .as_deref()
                .map(|id| format!(" (row #{id})"))
                .unwrap_or_default()
        ),
        _ => format!("“{label}” on the account page"),
    }
}

pub(crate) fn field_evidence(field: &Field, obs: &Observation) -> Evidence {
    Evidence {
        what: field_where(&field.label, obs),
        value: field.display(),
        source: obs.url.clone(),
        seen_at: obs.seen_at,
        count: 1,
        event: None,
    }
}

/// "Likely: <title>" wording for claims that rest on pages not all seen.
pub(crate) fn titled(certain: bool, sure: &str, likely: &str) -> String {
    if certain {
        sure.to_string()
    } else {
        likely.to_string()
    }
}

/// The Mailgun logs step of one domain.
pub(crate) fn logs_step(settings: &Settings, domain: &str, label: String) -> Step {
    Step {
        id: format!("mailgun-logs-{domain}"),
        label,
        url: settings.mailgun_logs_url(domain),
    }
}

pub(crate) fn resend_confirmation_step(settings: &Settings) -> Step {
    Step {
        id: "resend-confirmation".into(),
        label: "Resend the confirmation email".into(),
        url: settings.resend_confirmation_url(),
    }
}

/// What is still unchecked, each with the link that checks it.
fn missing_evidence(ctx: &Ctx, steps: Vec<Step>) -> Finding {
    Finding {
        explanation: format!(
            "These pages settle what is still open for {}: the account page shows whether it \
             exists, is confirmed or locked; each Mailgun domain's logs (search for the address \
             over the last {} days) show which site sent a password reset and what became of it.",
            ctx.shown, ctx.settings.reset_window_days
        ),
        steps,
        ..Finding::new(FindingId::MissingEvidence, true)
    }
}

#[cfg(test)]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
