//! Behaviour defined in Rust and, where Rust cannot run, in JS: both sides run the same table
//! of cases (tests/vectors/*.json; the JS side in tests/js/).

use cdot_triage::core::report::scrub;

#[test]
fn scrub_agrees_with_the_vectors() {
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("vectors/scrub.json")).expect("valid JSON");
    let cases = vectors["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let (message, want) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
        assert_eq!(scrub(message), want, "{message:?}");
    }
}

#[test]
fn the_handshake_rule_agrees_with_the_vectors() {
    use cdot_triage::core::protocol::is_hello;
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("vectors/hello.json")).expect("valid JSON");
    let cases = vectors["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let data = &case["data"];
        let hash = case["hash"].as_str().unwrap();
        let got = is_hello(
            case["fromParent"].as_bool().unwrap(),
            data.get("type").and_then(|t| t.as_str()),
            data.get("token").and_then(|t| t.as_str()),
            hash.strip_prefix('#').unwrap_or(hash),
            case["ports"].as_u64().unwrap() as u32,
        );
        assert_eq!(
            got,
            case["accepted"].as_bool().unwrap(),
            "{}",
            case["about"]
        );
    }
}

#[test]
fn expiry_agrees_with_the_vectors() {
    use cdot_triage::core::store::is_live;
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("vectors/expiry.json")).expect("valid JSON");
    let cases = vectors["cases"].as_array().expect("cases");
    assert!(cases.len() >= 5);
    for case in cases {
        let got = is_live(
            case["expiresAt"].as_f64().unwrap(),
            case["now"].as_f64().unwrap(),
        );
        assert_eq!(got, case["live"].as_bool().unwrap(), "{}", case["about"]);
    }
}
