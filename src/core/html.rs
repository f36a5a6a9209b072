//! A page's markup as a compact, read-only tree: the crate `cdot-html` (crates/html), the
//! tokenizer, tree builder and selectors the readers query, re-exported here so that the core
//! names it `core::html` as before. It lives in a crate of its own so that it has its own tests,
//! fuzzing and benches, and so that the release build can compile it for speed (`opt-level = 3`)
//! while the rest of the module is compiled for size (Cargo.toml, docs/performance.md).

pub use cdot_html::*;
