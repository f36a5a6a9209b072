#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;

/// The tree as nested tags, `#"text"` for text nodes, for comparing with what browsers build.
fn outline(node: Node<'_>) -> String {
    let mut out = String::new();
    for child in node.children() {
        match child.tag() {
            Some(tag) => {
                out.push('<');
                out.push_str(tag);
                let attrs: Vec<String> = child
                    .attributes()
                    .map(|(n, v)| format!(" {n}={v:?}"))
                    .collect();
                out.push_str(&attrs.concat());
                out.push('>');
                out.push_str(&outline(child));
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
            None => out.push_str(&format!("{:?}", child.own_text().unwrap_or(""))),
        }
    }
    out
}

fn body(html: &str) -> String {
    let doc = parse(html);
    outline(doc.body().unwrap())
}

#[test]
fn implied_html_head_body() {
    let doc = parse("<!DOCTYPE html><title>A &amp; B</title><p>Hi");
    assert_eq!(
        outline(doc.root()),
        r#"<html><head><title>"A & B"</title></head><body><p>"Hi"</p></body></html>"#
    );
    assert_eq!(doc.title(), "A & B");
}

#[test]
fn stray_end_tags_are_ignored() {
    // RailsAdmin 3's show template closes each list-group with `</dl>`.
    assert_eq!(
        body(r#"<div class="a"><div class="b">x</dl></div>y</div>"#),
        r#"<div class="a"><div class="b">"x"</div>"y"</div>"#
    );
}

#[test]
fn paragraphs_list_items_and_definitions_close_implicitly() {
    assert_eq!(
        body("<p>a<div>b</div><ul><li>1<li>2</ul><dl><dt>k<dd>v<dt>k2</dl>"),
        r#"<p>"a"</p><div>"b"</div><ul><li>"1"</li><li>"2"</li></ul><dl><dt>"k"</dt><dd>"v"</dd><dt>"k2"</dt></dl>"#
    );
    assert_eq!(body("<div></p>x"), r#"<div><p></p>"x"</div>"#);
}

#[test]
fn tables_get_their_implied_parts() {
    assert_eq!(
        body("<table><tr><td>a<td>b<tr><th>c</table>"),
        r#"<table><tbody><tr><td>"a"</td><td>"b"</td></tr><tr><th>"c"</th></tr></tbody></table>"#
    );
    // Misplaced content goes before the table.
    assert_eq!(
        body("<table>x<div>y</div><tr><td>z</td></tr></table>"),
        r#""x"<div>"y"</div><table><tbody><tr><td>"z"</td></tr></tbody></table>"#
    );
    // Table parts outside a table are ignored.
    assert_eq!(body("<div><tr><td>a</td></tr></div>"), r#"<div>"a"</div>"#);
}

#[test]
fn template_contents_are_not_in_the_page() {
    let doc = parse("<div id=a>x<template><span class=t>hidden@x.com</span></template>y</div>");
    let div = doc.select("#a").unwrap();
    assert_eq!(div.text_content(), "xy");
    assert!(doc.select(".t").is_none());
}

#[test]
fn raw_text_and_rcdata() {
    let doc = parse(
        "<script>if (a<b) document.write('<p>')</script><textarea>\n<b>x</b> &amp;</textarea>\
         <style>p>a{}</style><noscript><p>n</p></noscript>",
    );
    assert_eq!(
        doc.select("script").unwrap().text_content(),
        "if (a<b) document.write('<p>')"
    );
    assert_eq!(doc.select("textarea").unwrap().text_content(), "<b>x</b> &");
    assert_eq!(doc.select("style").unwrap().text_content(), "p>a{}");
    // Scripting enabled (the snapshot is of a live page): `noscript` holds text, not markup,
    // in the body and in the head alike.
    assert!(doc.select("p").is_none());
    assert_eq!(doc.select("noscript").unwrap().text_content(), "<p>n</p>");
    let doc = parse(
        "<html><head><noscript><div class=a>x</div></noscript><title>t</title></head>\
         <body><noscript><span class=a>y</span></noscript><span class=b>z</span></body></html>",
    );
    assert!(doc.select(".a").is_none());
    assert_eq!(
        outline(doc.root()),
        r#"<html><head><noscript>"<div class=a>x</div>"</noscript><title>"t"</title></head><body><noscript>"<span class=a>y</span>"</noscript><span class="b">"z"</span></body></html>"#
    );
    assert_eq!(doc.title(), "t");
}

#[test]
fn end_tags_close_svg_and_mathml_integration_points() {
    // `desc`, `title` and `mi` are HTML integration points and "special": their end tags
    // follow the foreign-content rules, as in Chromium, instead of being ignored (which put
    // the rest of the page inside them).
    assert_eq!(
        body(r#"<div>a<svg><desc>d</desc><title>t</title></svg>b</div><div>c</div>"#),
        r#"<div>"a"<svg><desc>"d"</desc><title>"t"</title></svg>"b"</div><div>"c"</div>"#
    );
    assert_eq!(
        body("<p>x<math><mi>i</mi><mo>+</mo></math>y</p>z"),
        r#"<p>"x"<math><mi>"i"</mi><mo>"+"</mo></math>"y"</p>"z""#
    );
    // HTML inside an integration point, closed by its own end tags.
    assert_eq!(
        body(r#"<svg><desc><span class="b">s</span></desc></svg><i>after</i>"#),
        r#"<svg><desc><span class="b">"s"</span></desc></svg><i>"after"</i>"#
    );
    // `</p>` and `</br>` leave foreign content first.
    assert_eq!(
        body("<p>1<svg><g></p>2"),
        r#"<p>"1"<svg><g></g></svg></p>"2""#
    );
}

#[test]
fn svg_self_closing_tags_close() {
    assert_eq!(
        body(r#"<div><svg viewBox="0 0 1 1"><path d="M0"/><circle/></svg><span>t</span></div>"#),
        r#"<div><svg viewbox="0 0 1 1"><path d="M0"></path><circle></circle></svg><span>"t"</span></div>"#
    );
    // An HTML tag ends SVG content.
    assert_eq!(
        body("<svg><g><div>x</div>"),
        r#"<svg><g></g></svg><div>"x"</div>"#
    );
}

#[test]
fn select_holds_any_content_as_chromium_parses_it() {
    // WHATWG's and Chromium's "customizable select" parsing (2025).
    assert_eq!(
        body("<select><option>a<option selected>b<div>c</div></select>"),
        r#"<select><option>"a"</option><option selected="">"b"<div>"c"</div></option></select>"#
    );
    assert_eq!(
        body("<select><option>a<input name=q>"),
        r#"<select><option>"a"</option></select><input name="q"></input>"#
    );
}

#[test]
fn entities_in_text_and_attributes() {
    let doc =
        parse(r#"<a title="&lt;x&gt; &eacute;&#x41;" href="?a=1&b=2">&nbsp;&copy;&notit;</a>"#);
    let a = doc.select("a").unwrap();
    assert_eq!(a.attr("title"), Some("<x> éA"));
    assert_eq!(a.attr("href"), Some("?a=1&b=2"));
    assert_eq!(a.text_content(), "\u{a0}©¬it;");
}

#[test]
fn first_of_repeated_attributes_counts() {
    let doc = parse(r#"<input name=a name=b value="x" VALUE=y>"#);
    let i = doc.select("input").unwrap();
    assert_eq!(i.attr("name"), Some("a"));
    assert_eq!(i.attr("value"), Some("x"));
}

#[test]
fn text_folds_white_space_like_fold_whitespace() {
    let doc = parse("<div> a <b>b</b>c\n\n<i> d</i> </div>");
    let div = doc.select("div").unwrap();
    assert_eq!(div.text(), fold_whitespace(&div.text_content()));
    assert_eq!(div.text(), "a bc d");
}

#[test]
fn selectors() {
    let doc = parse(
        r#"<table id=t><thead><tr><th class="email_field">E</th></tr></thead>
        <tbody><tr class="customer_row"><td class="email_field string_type">a@b.c</td>
        <td class="links"><a href="/admin/customer/1">Show</a></td></tr></tbody></table>
        <div aria-label="Filter by Domain"><span>x</span><button>b</button></div>
        <input type="CHECKBOX" name="bulk_ids[]" value="1">"#,
    );
    let n = |s: &str| doc.select_all(s).len();
    assert_eq!(n("thead th"), 1);
    assert_eq!(n("table > tbody > tr > td"), 2);
    assert_eq!(n("#t td.email_field.string_type"), 1);
    assert_eq!(n("a[href*='/admin/customer/']"), 1);
    assert_eq!(n("[aria-label*=domain i]"), 1);
    assert_eq!(n("[aria-label*=domain]"), 0);
    assert_eq!(n("input[type=checkbox]"), 1);
    assert_eq!(n("input[name='bulk_ids[]']"), 1);
    assert_eq!(n(":is(button, span):not(tr, tr *)"), 2);
    assert_eq!(
        n(":is(button, span, a):not(tr, [role=row], tr *, [role=row] *)"),
        2
    );
    assert_eq!(n("td:not(.links)"), 1);
    assert_eq!(n("[class*='icon-']"), 0);
    assert_eq!(
        n("*"),
        doc.root().descendants().filter(Node::is_element).count()
    );
    // Outside the grammar: nothing, not something else.
    assert_eq!(n("td + td"), 0);
    assert_eq!(n("td:first-child"), 0);
    assert!(Selector::parse("a,").is_none());
    let td = doc.select("td.email_field").unwrap();
    assert_eq!(td.closest("table").unwrap().attr("id"), Some("t"));
    assert!(td.matches("tr.customer_row td"));
}

#[test]
fn attributes_can_be_changed() {
    let mut doc = parse(r#"<input name=q value=old><input type=checkbox checked>"#);
    let ids: Vec<NodeId> = doc.select_all("input").iter().map(Node::id).collect();
    doc.set_attribute(ids[0], "value", "new");
    doc.set_attribute(ids[0], "data-x", "1");
    doc.remove_attribute(ids[1], "checked");
    let inputs = doc.select_all("input");
    assert_eq!(inputs[0].attr("value"), Some("new"));
    assert_eq!(inputs[0].attr("data-x"), Some("1"));
    assert!(!inputs[1].has_attr("checked"));
}

#[test]
fn any_string_parses() {
    for s in [
        "",
        "<",
        "</",
        "<!--",
        "<![CDATA[x",
        "&",
        "&#",
        "&#x110000;",
        "<a b='",
        "<svg><![CDATA[x]]>",
        "\0",
        "<table><td><table><tr>",
        "<select><table>",
        "<math><mi><p>",
    ] {
        let doc = parse(s);
        assert!(doc.body().is_some(), "{s:?}");
    }
}

#[test]
fn a_late_body_tag_adds_its_attributes() {
    let doc = parse("text first<html lang=en><body class=rails_admin><p>x");
    assert_eq!(doc.body().unwrap().attr("class"), Some("rails_admin"));
    assert_eq!(doc.document_element().unwrap().attr("lang"), Some("en"));
}

#[test]
fn nesting_stops_at_chromiums_depth() {
    let doc = parse(&"<div>".repeat(600));
    let depth = |n: Node<'_>| n.ancestors().count();
    let deepest = doc
        .select_all("div")
        .iter()
        .map(|d| depth(*d))
        .max()
        .unwrap();
    // html, body and 511 divs above the deepest: 513 ancestors plus the document.
    assert_eq!(deepest, 513);
    assert_eq!(doc.select_all("div").len(), 600);
}

#[test]
fn misnested_formatting_follows_the_adoption_agency() {
    assert_eq!(
        body("<b>1<p>2</b>3</p>"),
        r#"<b>"1"</b><p><b>"2"</b>"3"</p>"#
    );
    assert_eq!(
        body("<a href=x>1<div>2</a>3</div>"),
        r#"<a href="x">"1"</a><div><a href="x">"2"</a>"3"</div>"#
    );
    // An unclosed formatting element is reopened in the next block.
    assert_eq!(body("<p><i>a<p>b"), r#"<p><i>"a"</i></p><p><i>"b"</i></p>"#);
    // A second `<a>` closes the first.
    assert_eq!(body("<a>1<a>2"), r#"<a>"1"</a><a>"2"</a>"#);
}

#[test]
fn customizable_select_as_chromium_156_parses_it() {
    // Each expectation is what Chromium 156's DOMParser gives (body.innerHTML).
    let cases = [
        (
            "<div><select><option>a</div>b</select>c",
            r#"<div><select><option>"ab"</option></select>"c"</div>"#,
        ),
        (
            "<ul><li><select><li>x</ul>y",
            r#"<ul><li><select><li>"xy"</li></select></li></ul>"#,
        ),
        ("<p><select><p>z", r#"<p><select><p>"z"</p></select></p>"#),
        (
            "<div><select></p>q</select>",
            r#"<div><select><p></p>"q"</select></div>"#,
        ),
        (
            "<select><div>a</select>b",
            r#"<select><div>"a"</div></select>"b""#,
        ),
        (
            "<b><select><b>x</select>y",
            r#"<b><select><b>"x"</b></select><b>"y"</b></b>"#,
        ),
        (
            "<select><button>x</button></select>",
            r#"<select><button>"x"</button></select>"#,
        ),
        (
            "<a>1<select><a>2</a>3</select>4",
            r#"<a>"1"<select><a>"2"</a>"3"</select></a>"4""#,
        ),
        (
            "<code>1<select>2</select><p>3",
            r#"<code>"1"<select>"2"</select><p>"3"</p></code>"#,
        ),
        (
            "<select><code>1</select><p>2",
            r#"<select><code>"1"</code></select><p><code>"2"</code></p>"#,
        ),
        (
            "<a>1<select><option>2</select><a>3",
            r#"<a>"1"<select><option>"2"</option></select></a><a>"3"</a>"#,
        ),
        (
            "<a>1<div><select><a>2",
            r#"<a>"1"<div><select><a>"2"</a></select></div></a>"#,
        ),
    ];
    for (html, want) in cases {
        assert_eq!(body(html), want, "{html}");
    }
}

#[test]
fn text_split_by_ignored_or_fostered_tags_is_one_node() {
    // Stray `<tr>`s outside a table are ignored: the text around them is one node.
    let doc = parse(&format!("<div>{}</div>", "x<tr class=y>".repeat(1000)));
    let div = doc.select("div").unwrap();
    assert_eq!(div.children().count(), 1);
    assert_eq!(div.text_content(), "x".repeat(1000));
    // Text misplaced in a table (each run with its newline) goes before it, one node, while
    // the rows fill the table.
    let doc = parse(&format!("<table>{}</table>", "x<tr class=y>\n".repeat(500)));
    let body = doc.body().unwrap();
    assert_eq!(
        body.first_child().unwrap().own_text(),
        Some(format!("x{}", "\nx".repeat(499)).as_str())
    );
    assert_eq!(doc.select_all("tr").len(), 500);
}

#[test]
fn what_the_markup_keeps_off_the_screen() {
    let doc = parse(
        r#"<div id=a>shown<span hidden>hidden</span><b style="color:red;display: NONE">gone</b>
           <i style="display:none;display:inline">back</i><u style="display:none!important;display:block">still</u>
           <em style="display:/* x */none">comment</em><noscript>raw</noscript><script>s()</script>
           <svg><desc>yes</desc><title>t</title><text>drawn<tspan>too</tspan></text><g>loose</g></svg>
           <math><semantics><mi>x</mi><annotation>tex</annotation></semantics></math>
           <dialog>closed</dialog><dialog open>open</dialog><input type=hidden value=h>
           <div class="collapse">one click away</div><template>inert</template></div>"#,
    );
    let a = doc.select("#a").unwrap();
    assert_eq!(
        a.text(),
        "shown back drawntoo x open one click away",
        "innerText-like text: only what is drawn"
    );
    for (selector, rendered) in [
        ("span[hidden]", false),
        ("b", false),
        ("i", true),
        ("u", false),
        ("em", false),
        ("noscript", false),
        ("dialog:not([open])", false),
        ("dialog[open]", true),
        ("input", false),
        (".collapse", true),
        ("text", true),
        ("desc", false),
    ] {
        let el = doc.select(selector).unwrap();
        assert_eq!(el.is_rendered(), rendered, "{selector}");
    }
    // A text node in SVG is drawn only within <text>; one in a hidden element is not.
    let loose = doc.select("g").unwrap().first_child().unwrap();
    assert!(!loose.is_rendered());
    let drawn = doc.select("text").unwrap().first_child().unwrap();
    assert!(drawn.is_rendered());
    // HTML inside an SVG <desc> (an HTML integration point) is not drawn either.
    let doc = parse(r#"<p>5<svg><desc><span class="badge">✓</span></desc></svg></p>"#);
    assert!(!doc.select(".badge").unwrap().is_rendered());
    assert!(doc.root().select_rendered(".badge").is_none());
    assert_eq!(doc.select("p").unwrap().text(), "5");
}

#[test]
fn inline_display_none_follows_the_cascade_of_one_style_attribute() {
    assert!(inline_display_none("display:none"));
    assert!(inline_display_none(" Display : None ; color: red"));
    assert!(inline_display_none("display: block; display: none"));
    assert!(!inline_display_none("display: none; display: block"));
    assert!(inline_display_none(
        "display: none !important; display: block"
    ));
    assert!(!inline_display_none(
        "display: none !important; display: flex !important"
    ));
    assert!(inline_display_none("/* a */display/* b */:/* c */none"));
    assert!(!inline_display_none("--display: none"));
    assert!(!inline_display_none("color: red"));
    assert!(!inline_display_none("display: inline-none"));
}

#[test]
fn shadow_root_templates_are_named_by_their_mode() {
    let doc = parse(
        r#"<div id=h><template shadowrootmode="open"><p>in</p></template></div>
           <template id=c shadowrootmode=Closed></template><template id=n shadowrootmode=x></template>"#,
    );
    assert!(doc
        .select("#h > template")
        .unwrap()
        .is_shadow_root_template());
    assert!(doc.select("#c").unwrap().is_shadow_root_template());
    assert!(!doc.select("#n").unwrap().is_shadow_root_template());
    // Its contents are not in the page (as a template's).
    assert!(doc.select("p").is_none());
}
