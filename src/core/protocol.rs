//! The rules of the messages between the extension's contexts that Rust checks (see
//! docs/protocol.md for every message). What JS must check too, where the module cannot run,
//! is checked against the same table of cases (tests/vectors/hello.json).

/// The first message on the banner frame's window: `{ type: HELLO, token }`.
pub const HELLO: &str = "cdot-triage/hello";

/// A frame token is a random UUID: anything shorter is no token.
pub const MIN_TOKEN_LEN: usize = 16;

/// Whether a window message is the content script's handshake for this frame: from the
/// parent window, `type` [`HELLO`], the frame's own token (from its URL's hash, at least
/// [`MIN_TOKEN_LEN`] long), transferring exactly one port.
pub fn is_hello(
    from_parent: bool,
    kind: Option<&str>,
    token: Option<&str>,
    own_token: &str,
    ports: u32,
) -> bool {
    from_parent
        && kind == Some(HELLO)
        && own_token.len() >= MIN_TOKEN_LEN
        && token == Some(own_token)
        && ports == 1
}
