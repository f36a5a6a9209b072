//! Other accounts: similar addresses (handbook cause 3) and an admin search that found none.

use super::{Ctx, Evidence, Finding, FindingId, Step};
use crate::core::observation::{Fact, Observation};
use crate::core::similar::{self, Likeness};

/// `no-account`: the latest admin search for exactly this address found no rows, and no
/// account page or row for it was seen.
pub(super) fn no_account(ctx: &Ctx) -> Option<Finding> {
    let account_seen = ctx
        .facts
        .iter()
        .any(|o| matches!(o.fact, Fact::AccountShown(_) | Fact::AccountListed { .. }));
    if account_seen {
        return None;
    }
    // The latest search for exactly this address. No row of it holds the address (a row that
    // did would be an account seen). Only when every row it showed was read (each an account
    // seen under another address); certain when no other page of results exists, likely
    // otherwise (a row on another page could be the account).
    let (obs, query, rows, total) = ctx
        .facts
        .iter()
        .filter_map(|o| match &o.fact {
            Fact::AdminSearched { query, rows, total } => Some((*o, query, *rows, *total)),
            _ => None,
        })
        .max_by_key(|(o, ..)| o.seen_at)?;
    let read = ctx
        .accounts
        .iter()
        .filter(|a| {
            a.url == obs.url
                && a.seen_at == obs.seen_at
                && matches!(a.fact, Fact::AccountListed { .. })
        })
        .count();
    if read < rows {
        // A row whose address was not read may be the account: nothing to claim.
        return None;
    }
    let certain = total.is_none_or(|t| t <= rows as u64);
    let shown = &ctx.shown;
    let local = ctx.key.split('@').next().unwrap_or(ctx.key);
    let local = local.split('+').next().unwrap_or(local);
    let sign_in = ctx.settings.sign_in_url();
    Some(Finding {
        explanation: format!(
            "The admin's Customer search for “{query}” found {}: there is {}no Customers \
             Portal account under {shown}, so no password reset for it can work. The customer may \
             have signed up with another address (see similar accounts), or only has a GitLab.com \
             account: ask the customer which address they used (the reply below asks).",
            match rows {
                0 => "no records".to_string(),
                n => format!(
                    "{n} row{} but none with exactly this address{}",
                    if n == 1 { "" } else { "s" },
                    if certain {
                        ""
                    } else {
                        " on the page seen (more pages of results exist)"
                    }
                ),
            },
            if certain { "" } else { "likely " }
        ),
        evidence: vec![Evidence {
            what: format!("Admin Customer search for “{query}”"),
            value: match (rows, total) {
                (0, Some(t)) => format!("no records found (total {t})"),
                (0, None) => "no records found".into(),
                (n, Some(t)) => format!("{n} of {t} rows read, none with exactly this address"),
                (n, None) => format!("{n} rows, none with exactly this address"),
            },
            source: obs.url.clone(),
            seen_at: obs.seen_at,
            count: 1,
            event: None,
        }],
        steps: vec![Step {
            id: "admin-search-local-part".into(),
            label: format!("Search the admin for “{local}” (the same name at other addresses)"),
            url: ctx.settings.admin_search_url(local),
        }],
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. We could not find a Customers Portal account \
             (customers.gitlab.com) for {shown}. Please note that your GitLab.com account and \
             your Customers Portal account are separate, and may use different email addresses. \
             Could you tell us which email address you used when you purchased your subscription, \
             or forward us the receipt? Once we know the account, you can sign in to it with a \
             one-time sign-in link: at {sign_in} choose “Sign in with your email” and enter that \
             address.\n"
        )),
        ..Finding::new(FindingId::NoAccount, certain)
    })
}

/// A row listed by an admin search whose query is exactly the subject's address. `seen`
/// remembers each query read (the rows of one page share theirs): read once, not per row.
fn searched_for_subject<'a>(
    ctx: &Ctx,
    o: &'a Observation,
    seen: &mut Vec<(&'a str, bool)>,
) -> bool {
    let Fact::AccountListed {
        query: Some(query), ..
    } = &o.fact
    else {
        return false;
    };
    if let Some((_, is)) = seen.iter().find(|(q, _)| q == query) {
        return *is;
    }
    let is = query.contains('@')
        && crate::core::lookup::query::parse_query(query).is_ok_and(|q| q.key == ctx.key);
    seen.push((query, is));
    is
}

/// One other account whose address looks like the subject's.
struct Candidate<'a> {
    rank: (u8, Option<Likeness>),
    key: &'a str,
    id: Option<&'a str>,
    shown: &'a str,
    reason: String,
    obs: &'a Observation,
}

/// `similar-accounts`: accounts seen (rows, pages) under similar addresses, or other records
/// under the same address (addresses differing only in case share a key), most alike first.
pub(super) fn similar_accounts(ctx: &Ctx) -> Option<Finding> {
    let mut subject_ids: Vec<&str> = ctx
        .facts
        .iter()
        .filter_map(|o| o.account().and_then(|a| a.record_id.as_deref()))
        .collect();
    // Without an account page, the search row read as the account (see `row_as_page`).
    if let Some(id) = ctx.account.and_then(|(_, a)| a.record_id.as_deref()) {
        if !subject_ids.contains(&id) {
            subject_ids.push(id);
        }
    }
    let mut found: Vec<Candidate> = Vec::new();
    let mut queries: Vec<(&str, bool)> = Vec::new();
    for o in ctx.accounts.iter().copied() {
        let id = match &o.fact {
            Fact::AccountShown(a) => a.record_id.as_deref(),
            Fact::AccountListed { row, .. } => row.id.as_deref(),
            _ => continue,
        };
        let (rank, reason) = if o.key == ctx.key {
            // Another record under the same key: only when the subject's record is known.
            match id {
                Some(i) if !subject_ids.is_empty() && !subject_ids.contains(&i) => (
                    (0, None),
                    if o.shown != ctx.shown {
                        format!("the same address in other case ({})", o.shown)
                    } else {
                        "the same address, another record".to_string()
                    },
                ),
                _ => continue,
            }
        } else {
            match similar::compare(ctx.key, &o.key) {
                Some(s) => ((1, Some(s.likeness)), s.describe(ctx.key, &o.key)),
                // A row the admin found when searched for exactly this address looks like it
                // to the admin's search (it contains the address).
                None if searched_for_subject(ctx, o, &mut queries) => (
                    (2, None),
                    "found by the admin search for this address".to_string(),
                ),
                None => continue,
            }
        };
        let candidate = Candidate {
            rank,
            key: &o.key,
            id,
            shown: &o.shown,
            reason,
            obs: o,
        };
        match found
            .iter_mut()
            .find(|c| c.key == candidate.key && c.id == candidate.id)
        {
            // The latest observation of the same account describes it.
            Some(c) if c.obs.seen_at < o.seen_at => *c = candidate,
            Some(_) => {}
            None => found.push(candidate),
        }
    }
    // A row without an id is dropped when the same address has a row with one.
    let with_ids: Vec<&str> = found
        .iter()
        .filter(|c| c.id.is_some())
        .map(|c| c.key)
        .collect();
    found.retain(|c| c.id.is_some() || !with_ids.contains(&c.key));
    if found.is_empty() {
        return None;
    }
    crate::core::sort::sort_by(&mut found, |a, b| {
        (a.rank, a.key, a.id).cmp(&(b.rank, b.key, b.id))
    });
    let settings = ctx.settings;
    let steps = found
        .iter()
        .map(|c| match c.id {
            Some(id) => Step {
                id: format!("candidate-{id}"),
                label: format!("Open the account {} (#{id})", c.shown),
                url: settings.admin_customer_url(id),
            },
            None => Step {
                id: format!("candidate-{}", c.key),
                label: format!("Search the admin for {}", c.shown),
                url: settings.admin_search_url(c.shown),
            },
        })
        .collect();
    let evidence = found
        .iter()
        .map(|c| Evidence {
            what: format!(
                "Account {}{} ({})",
                c.shown,
                c.id.map(|i| format!(" #{i}")).unwrap_or_default(),
                match c.obs.fact {
                    Fact::AccountShown(_) => "account page",
                    _ => "admin search row",
                }
            ),
            value: c.reason.clone(),
            source: c.obs.url.clone(),
            seen_at: c.obs.seen_at,
            count: 1,
            event: None,
        })
        .collect();
    let shown = &ctx.shown;
    Some(Finding {
        title: format!(
            "{} other account{} with a similar address",
            found.len(),
            if found.len() == 1 { "" } else { "s" }
        ),
        explanation: format!(
            "The customer may be signing in with another address than the account's (e.g. \
             first_last@ vs first.last@, a +tag, a typo in the domain). Most alike first: {}. \
             Confirm with the customer which address holds the subscription; do not disclose \
             other addresses.",
            found
                .iter()
                .map(|c| format!("{} ({})", c.shown, c.reason))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        evidence,
        steps,
        reply: Some(format!(
            "Hi,\n\nThank you for reaching out. We found {} under {} similar to {shown}, so you \
             may have signed up with a slightly different address. Could you confirm which email \
             address you used when you purchased your subscription (the receipt shows it)? Please \
             sign in at customers.gitlab.com with that address, and let us know if that does not \
             work.\n",
            if found.len() == 1 {
                "another Customers Portal account"
            } else {
                "other Customers Portal accounts"
            },
            if found.len() == 1 {
                "an email address"
            } else {
                "email addresses"
            }
        )),
        ..Finding::new(FindingId::SimilarAccounts, true)
    })
}

/// `similar-accounts` for a search that is not for one address (a name, part of an address):
/// rows that look like one person with several accounts (the same address in other case,
/// `first_last@` vs `first.last@`, a `+tag`, the same name at another domain), grouped, each
/// linked, with the question to ask the customer. `None` when no two rows look alike.
pub fn similar_rows(
    search: &crate::core::account::AccountSearch,
    rows_compared: usize,
    seen_at: crate::core::time::UtcTime,
    settings: &crate::core::settings::Settings,
) -> Option<Finding> {
    use crate::core::email;
    let rows: Vec<(&crate::core::account::AccountRow, &str, String)> = search
        .rows
        .iter()
        .take(rows_compared)
        .filter_map(|r| {
            let shown = r.email()?.trim();
            Some((r, shown, email::normalise(shown)?))
        })
        .collect();
    type Row<'a> = (&'a crate::core::account::AccountRow, &'a str, String);
    let alike = |a: &Row, b: &Row| {
        if a.2 == b.2 {
            a.0.id != b.0.id
        } else {
            similar::compare(&a.2, &b.2).is_some()
        }
    };
    // Groups of alike rows (transitively), each in page order, ordered by their first row (a
    // few dozen rows per page): a row joins, and merges, every group it is alike to.
    let mut groups: Vec<Vec<(usize, &Row)>> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let (joined, rest): (Vec<_>, Vec<_>) = groups
            .into_iter()
            .partition(|g| g.iter().any(|(_, other)| alike(other, row)));
        let mut merged: Vec<(usize, &Row)> = joined.into_iter().flatten().collect();
        merged.push((i, row));
        crate::core::sort::sort_by_key(&mut merged, |(i, _)| *i);
        groups = rest;
        groups.push(merged);
    }
    crate::core::sort::sort_by_key(&mut groups, |g| g.first().map(|(i, _)| *i));
    groups.retain(|g| g.len() > 1);
    if groups.is_empty() {
        return None;
    }
    let mut evidence = Vec::new();
    let mut steps = Vec::new();
    let mut named = Vec::new();
    for g in &groups {
        let Some((_, (_, first_shown, first_key))) = g.first() else {
            continue;
        };
        named.push(g.iter().map(|(_, r)| r.1).collect::<Vec<_>>().join(", "));
        for (n, (_, (row, shown, key))) in g.iter().enumerate() {
            let id = row.id.as_deref();
            let value = if n == 0 {
                "the first of the group on this page".to_string()
            } else if key == first_key {
                format!("the same address as {first_shown} in other case")
            } else {
                similar::compare(first_key, key)
                    .map(|s| s.describe(first_key, key))
                    .unwrap_or_default()
            };
            evidence.push(Evidence {
                what: format!(
                    "Account {shown}{} (admin search row)",
                    id.map(|i| format!(" #{i}")).unwrap_or_default()
                ),
                value,
                source: search.url.clone(),
                seen_at,
                count: 1,
                event: None,
            });
            steps.push(match id {
                Some(id) => Step {
                    id: format!("candidate-{id}"),
                    label: format!("Open the account {shown} (#{id})"),
                    url: settings.admin_customer_url(id),
                },
                None => Step {
                    id: format!("candidate-{key}"),
                    label: format!("Search the admin for {shown}"),
                    url: settings.admin_search_url(shown),
                },
            });
        }
    }
    let accounts: usize = groups.iter().map(Vec::len).sum();
    let title = match groups.len() {
        1 => format!("{accounts} accounts that look like one person"),
        n => format!("{accounts} accounts in {n} groups that each look like one person"),
    };
    Some(Finding {
        title,
        explanation: format!(
            "These rows look like one person with several accounts (the same address in other \
             case, first_last@ vs first.last@, a +tag, the same name at another domain): {}. \
             Ask the customer which address they sign in with and which one holds the \
             subscription (the receipt shows it); do not disclose the other addresses.",
            named
                .iter()
                .map(|g| format!("[{g}]"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        evidence,
        steps,
        reply: Some(
            "Hi,\n\nThank you for reaching out. We found more than one Customers Portal account \
             that may be yours, under slightly different email addresses. Could you tell us which \
             email address you are signing in with at customers.gitlab.com, and which one you \
             used when you purchased your subscription (the receipt shows it)? We can then make \
             sure you sign in to the right account.\n"
                .to_string(),
        ),
        ..Finding::new(FindingId::SimilarAccounts, true)
    })
}
