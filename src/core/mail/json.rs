//! A lenient JSON tree for Mailgun's event JSON.
//!
//! It deserializes through `deserialize_any` from `serde_json` (native tests, saved
//! responses); in the browser `crate::js::json_from_js` builds it from the value `JSON.parse`
//! returned (its parser is faster than one in the WASM). Field types are then checked
//! one by one by the event parser, so one odd field never loses a whole item.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Keys in document order (duplicates kept; look-ups take the first).
    Object(Vec<(String, Json)>),
}

impl Json {
    /// A member of an object (keys compared ASCII case-insensitively: header names vary).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A member down a path of keys: `item.at(&["message", "headers", "subject"])`.
    pub fn at(&self, path: &[&str]) -> Option<&Json> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A string, or a number written the way a person would (250, not 250.0): for fields
    /// such as `delivery-status.code` that come as either. Null and empty strings are `None`.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Json::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Json::Number(n) if n.is_finite() => Some(if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", *n as i64)
            } else {
                // serde_json's shortest form (the store's JSON writes numbers so anyway), as
                // "4.5" for 4.5; very large or small numbers in exponent form.
                serde_json::to_string(n).unwrap_or_default()
            }),
            Json::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A number, or a string holding one ("1763800000.123").
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Json::Number(n) if n.is_finite() => Some(*n),
            // serde_json's number parser (the module has it for JSON anyway), not `str::parse`,
            // whose tables the banner would carry for this one line: a JSON number's grammar
            // ("1763800000.123", "-2", "1e3"; not "+1", ".5" or "inf").
            // Read as any JSON value, as `f64` would read it: `deserialize_f64` would bring in
            // serde's type error, whose float formatting is ~14 KB of the banner's module.
            Json::String(s) => match serde_json::from_str(s.trim()).ok()? {
                crate::core::stored::V::U(n) => Some(n as f64),
                crate::core::stored::V::I(n) => Some(n as f64),
                crate::core::stored::V::F(n) => Some(n),
                _ => None,
            }
            .filter(|n| n.is_finite()),
            _ => None,
        }
    }

    /// What kind of value this is, for problem messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "text",
            Json::Array(_) => "a list",
            Json::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        Json::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            members.push((k, v));
        }
        Ok(Json::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_numbers_are_lenient() {
        assert_eq!(Json::Number(250.0).as_text().as_deref(), Some("250"));
        assert_eq!(Json::Number(4.5).as_text().as_deref(), Some("4.5"));
        assert_eq!(Json::String("605".into()).as_text().as_deref(), Some("605"));
        assert_eq!(Json::String(" ".into()).as_text(), None);
        assert_eq!(Json::Null.as_text(), None);
        assert_eq!(
            Json::String("1763800000.5".into()).as_number(),
            Some(1_763_800_000.5)
        );
        assert_eq!(Json::String("soon".into()).as_number(), None);
        // As serde_json reads an `f64`, which it did before.
        for text in [
            "0",
            "-0",
            "1",
            "-2",
            "1e3",
            "1E-3",
            "4.5",
            " 7 ",
            "1763800000.123",
            "+1",
            ".5",
            "1.",
            "inf",
            "NaN",
            "1e400",
            "-1e400",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775809",
            "0x10",
            "\"5\"",
            "true",
            "null",
            "[1]",
            "1 2",
            "",
        ] {
            let before = serde_json::from_str::<f64>(text.trim())
                .ok()
                .filter(|n| n.is_finite());
            let now = Json::String(text.into()).as_number();
            assert_eq!(now.map(f64::to_bits), before.map(f64::to_bits), "{text}");
        }
        let obj = Json::Object(vec![(
            "Message".into(),
            Json::Object(vec![("Subject".into(), Json::String("Hi".into()))]),
        )]);
        assert_eq!(
            obj.at(&["message", "subject"]).and_then(Json::as_str),
            Some("Hi")
        );
    }
}
