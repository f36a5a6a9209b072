//! Address similarity: is another account's address one the customer may have meant?
//!
//! The handbook's cause 3: a customer signed up under `firstname_lastname@org.com` and tries
//! `firstname.lastname@org.com`, or typed the domain wrong, or used a `+tag`. Addresses are
//! compared as normalised keys ([`crate::core::email::normalise`]: lower-cased), so case alone
//! never makes two keys differ; two records whose addresses differ only in case share a key
//! and are found by record id instead (see the diagnosis).

use serde::{Deserialize, Serialize};

/// Why two addresses look alike, most alike first (the order ranks candidates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Likeness {
    /// The same local part and domain but written with other separators (`first_last@` vs
    /// `first.last@`), and/or with a `+tag` added or removed.
    SameNameOtherSpelling,
    /// The same local part (up to separators and `+tag`) at a domain within edit distance 2
    /// (`gmial.com` vs `gmail.com`).
    DomainTypo,
    /// The same local part (up to separators and `+tag`) at another domain.
    OtherDomain,
}

/// How two different addresses are alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Similarity {
    pub likeness: Likeness,
    /// The `+tag` differs (one has it, the other not, or another tag).
    pub tag_differs: bool,
    /// The separators of the local part differ (`.`, `_`, `-`).
    pub separators_differ: bool,
    /// Edit distance between the domains (0 when the same).
    pub domain_distance: usize,
}

impl Similarity {
    /// A short human reason: "first_last@ vs first.last@ (separators)", "domain typo (…)".
    pub fn describe(&self, a: &str, b: &str) -> String {
        let (la, da) = split(a);
        let (lb, db) = split(b);
        let mut parts = Vec::new();
        if self.separators_differ {
            parts.push("other separators in the name".to_string());
        }
        if self.tag_differs {
            parts.push("a different +tag".to_string());
        }
        match self.likeness {
            Likeness::SameNameOtherSpelling => {}
            Likeness::DomainTypo => parts.push(format!(
                "a likely typo in the domain ({da} / {db}, {} edit{})",
                self.domain_distance,
                if self.domain_distance == 1 { "" } else { "s" }
            )),
            Likeness::OtherDomain => parts.push(format!("the same name at another domain ({db})")),
        }
        if parts.is_empty() {
            // Unreachable for different keys, kept total.
            parts.push(format!("{la}@ / {lb}@"));
        }
        parts.join(", ")
    }
}

/// Compares two normalised addresses. `None` when they are the same key or not alike.
pub fn compare(a: &str, b: &str) -> Option<Similarity> {
    if a == b {
        return None;
    }
    let (la, da) = split(a);
    let (lb, db) = split(b);
    if la.is_empty() || lb.is_empty() || da.is_empty() || db.is_empty() {
        return None;
    }
    let (base_a, tag_a) = untag(la);
    let (base_b, tag_b) = untag(lb);
    let (name_a, name_b) = (squash(base_a), squash(base_b));
    if name_a.is_empty() || name_a != name_b {
        return None;
    }
    let tag_differs = tag_a != tag_b;
    let separators_differ = base_a != base_b;
    let domain_distance = edit_distance(da, db);
    let likeness = match domain_distance {
        0 => Likeness::SameNameOtherSpelling,
        1 | 2 => Likeness::DomainTypo,
        _ => Likeness::OtherDomain,
    };
    Some(Similarity {
        likeness,
        tag_differs,
        separators_differ,
        domain_distance,
    })
}

/// ("local", "domain"); ("", "") without an `@`.
fn split(address: &str) -> (&str, &str) {
    address.rsplit_once('@').unwrap_or(("", ""))
}

/// ("first.last", Some("tag")) for `first.last+tag`.
fn untag(local: &str) -> (&str, Option<&str>) {
    match local.split_once('+') {
        Some((base, tag)) => (base, Some(tag)),
        None => (local, None),
    }
}

/// The local part without separators: `first_last`, `first.last`, `first-last` → `firstlast`.
fn squash(local: &str) -> String {
    local
        .chars()
        .filter(|c| !matches!(c, '.' | '_' | '-'))
        .collect()
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), by chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table (two back, one back, this one): `d(i, j)` of the textbook
    // recurrence is `this[j]` for row i. The first row is 0..=m.
    let m = b.len();
    let mut two_back: Vec<usize> = vec![0; m + 1];
    let mut one_back: Vec<usize> = (0..=m).collect();
    let mut this: Vec<usize> = vec![0; m + 1];
    let mut prev_a: Option<char> = None;
    for (i, &ca) in a.iter().enumerate() {
        let row = i + 1;
        this.clear();
        this.push(row);
        let mut prev_b: Option<char> = None;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let up = one_back.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let left = this.get(j).map_or(usize::MAX, |d| d + 1);
            let diagonal = one_back.get(j).map_or(usize::MAX, |d| d + cost);
            let mut best = up.min(left).min(diagonal);
            // A transposition of two neighbouring characters counts as one edit.
            if prev_a == Some(cb) && prev_b == Some(ca) {
                let two_diagonal = j.checked_sub(1).and_then(|k| two_back.get(k));
                best = best.min(two_diagonal.map_or(usize::MAX, |d| d + 1));
            }
            this.push(best);
            prev_b = Some(cb);
        }
        prev_a = Some(ca);
        std::mem::swap(&mut two_back, &mut one_back);
        std::mem::swap(&mut one_back, &mut this);
    }
    one_back.get(m).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook table (optimal string alignment), as `edit_distance` was first written:
    /// the reference for the three-row one.
    fn edit_distance_table(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let (n, m) = (a.len(), b.len());
        let mut d = vec![vec![0usize; m + 1]; n + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=n {
            for j in 1..=m {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        d[n][m]
    }

    #[test]
    fn edit_distance_is_the_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "bca",
            "ca",
            "abcd",
            "badc",
            "priya.raman",
            "priya_raman",
            "pirya.ramna",
            "aaaa",
            "aab",
            "éa",
            "aé",
            "ééé",
            "gmial.com",
            "gmail.com",
            "xyz",
            "abab",
            "baba",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    edit_distance(a, b),
                    edit_distance_table(a, b),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn table() {
        use Likeness::*;
        // (a, b, expected (likeness, tag differs, separators differ))
        type Case = (&'static str, &'static str, Option<(Likeness, bool, bool)>);
        let cases: [Case; 12] = [
            (
                "first_last@org.com",
                "first.last@org.com",
                Some((SameNameOtherSpelling, false, true)),
            ),
            (
                "first.last@org.com",
                "firstlast@org.com",
                Some((SameNameOtherSpelling, false, true)),
            ),
            (
                "jane@org.com",
                "jane+billing@org.com",
                Some((SameNameOtherSpelling, true, false)),
            ),
            (
                "jane+a@org.com",
                "jane+b@org.com",
                Some((SameNameOtherSpelling, true, false)),
            ),
            (
                "jane@gmail.com",
                "jane@gmial.com",
                Some((DomainTypo, false, false)),
            ),
            (
                "jane@gmail.com",
                "jane@gmail.co",
                Some((DomainTypo, false, false)),
            ),
            (
                "jane.doe@org.com",
                "jane_doe@0rg.con",
                Some((DomainTypo, false, true)),
            ),
            (
                "jane@org.com",
                "jane@example.io",
                Some((OtherDomain, false, false)),
            ),
            ("jane@org.com", "jane@org.com", None),
            ("jane@org.com", "john@org.com", None),
            ("jane@org.com", "jane.d@org.com", None),
            ("+@org.com", "@org.com", None),
        ];
        for (a, b, want) in cases {
            let got = compare(a, b).map(|s| (s.likeness, s.tag_differs, s.separators_differ));
            assert_eq!(got, want, "{a} vs {b}");
            assert_eq!(
                compare(b, a).map(|s| s.likeness),
                want.map(|w| w.0),
                "symmetric: {b} vs {a}"
            );
        }
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("gmail.com", "gmial.com"), 1);
        assert_eq!(edit_distance("gmail.com", "gmail.com"), 0);
        assert_eq!(edit_distance("org.com", "0rg.con"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn describes_the_likeness() {
        let s = compare("jane@gmail.com", "jane@gmial.com").unwrap();
        assert_eq!(
            s.describe("jane@gmail.com", "jane@gmial.com"),
            "a likely typo in the domain (gmail.com / gmial.com, 1 edit)"
        );
        let s = compare("first_last@org.com", "first.last+x@org.com").unwrap();
        assert_eq!(
            s.describe("first_last@org.com", "first.last+x@org.com"),
            "other separators in the name, a different +tag"
        );
    }
}
