//! The generated items' docs are written as one string each; this turns each into one
//! `#[doc = " ..."]` per line, wrapped, so the expansion reads like hand-written code (in
//! `examples/soa_expanded.rs`, in `cargo expand`) and rustdoc renders it the same.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote_spanned;

/// Where generated doc lines wrap.
const WIDTH: usize = 92;

/// Rewrites every `#[doc = "text"]` whose text does not start with a space (the derive's own
/// one-string docs; `///` comments already do) into wrapped lines, in `tokens` and every group.
pub(crate) fn wrap_docs(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Punct(pound) if pound.as_char() == '#' => {
                let text = match tokens.peek() {
                    Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Bracket => {
                        doc_text(group.stream())
                    }
                    _ => None,
                };
                match text {
                    Some(text) if !text.is_empty() && !text.starts_with(' ') => {
                        let span = pound.span();
                        tokens.next();
                        for line in lines(&text) {
                            out.extend(quote_spanned!(span=> #[doc = #line]));
                        }
                    }
                    _ => out.push(TokenTree::Punct(pound)),
                }
            }
            TokenTree::Group(group) => {
                let mut rewritten = Group::new(group.delimiter(), wrap_docs(group.stream()));
                rewritten.set_span(group.span());
                out.push(TokenTree::Group(rewritten));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// The text of `doc = "text"`, if that is what the attribute is.
fn doc_text(attribute: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = attribute.into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(literal)]
            if name == "doc" && eq.as_char() == '=' =>
        {
            let literal: syn::LitStr =
                syn::parse2(TokenTree::Literal(literal.clone()).into()).ok()?;
            Some(literal.value())
        }
        _ => None,
    }
}

/// The text as doc lines: each line of it word-wrapped at [`WIDTH`], each with the leading
/// space a `///` comment has; blank lines stay blank.
fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        if paragraph.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > WIDTH {
                out.push(format!(" {line}"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(format!(" {line}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_docs_wrap_and_paragraphs_stay_apart() {
        let text = format!("{}\n\nend", "word ".repeat(30).trim_end());
        let wrapped = lines(&text);
        assert!(
            wrapped.iter().all(|line| line.len() <= WIDTH + 1),
            "{wrapped:?}"
        );
        assert_eq!(wrapped[wrapped.len() - 2], "");
        assert_eq!(wrapped.last().unwrap(), " end");
    }

    #[test]
    fn only_the_derives_own_docs_are_rewritten() {
        let tokens: TokenStream = "#[doc = \"one\"] #[doc = \" kept\"] #[inline] fn f() {}"
            .parse()
            .unwrap();
        assert_eq!(
            wrap_docs(tokens).to_string(),
            "# [doc = \" one\"] # [doc = \" kept\"] # [inline] fn f () { }"
        );
    }
}
