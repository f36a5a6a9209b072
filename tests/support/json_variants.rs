//! JSON texts changed one member at a time, for the tests that check a hand-written reader
//! against serde's derive (tests/stored_json.rs, tests/view_json.rs): both must read each
//! variant the same, or both refuse it.

use serde_json::Value as J;

/// `json` changed at one member, recursively: left out, replaced by each of `others` (null,
/// another type, out of range), a string as a unit variant in object form (`{ "name": null }`,
/// as serde also reads one). A list is changed in its first `items` items.
pub fn changed(json: &J, others: &[J], items: usize) -> Vec<J> {
    let mut out = Vec::new();
    match json {
        J::Object(members) => {
            for (key, value) in members {
                let mut without = members.clone();
                without.remove(key);
                out.push(J::Object(without));
                for other in others {
                    let mut with = members.clone();
                    with.insert(key.clone(), other.clone());
                    out.push(J::Object(with));
                }
                if let J::String(name) = value {
                    let mut with = members.clone();
                    with.insert(key.clone(), serde_json::json!({ name.clone(): null }));
                    out.push(J::Object(with));
                }
                for inner in changed(value, others, items) {
                    let mut with = members.clone();
                    with.insert(key.clone(), inner);
                    out.push(J::Object(with));
                }
            }
        }
        J::Array(list) => {
            for (i, item) in list.iter().enumerate().take(items) {
                for inner in changed(item, others, items) {
                    let mut with = list.clone();
                    with[i] = inner;
                    out.push(J::Array(with));
                }
            }
        }
        _ => {}
    }
    out
}
