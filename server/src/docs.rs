//! The customer documentation (`/docs/onboarding`, `/docs/usage`, `/docs/marketplace`): Markdown
//! files, by default the ones built into Orderdesk, or the vendor's own from a folder
//! (`<name>.<lang>.md`, else `<name>.md`). Rendered on the server; raw HTML in the Markdown is
//! shown as text and links other than http(s), mailto and relative ones are dropped.

use std::path::PathBuf;

use app::api::ports::Documentation;
use app::error::AppError;
use app::i18n::Locale;
use app::model::DocPage;
use async_trait::async_trait;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The pages there are.
pub const PAGES: [&str; 3] = ["onboarding", "usage", "marketplace"];

fn built_in(name: &str, locale: Locale) -> Option<&'static str> {
    Some(match (name, locale) {
        ("onboarding", Locale::En) => include_str!("../content/docs/onboarding.en.md"),
        ("onboarding", Locale::De) => include_str!("../content/docs/onboarding.de.md"),
        ("usage", Locale::En) => include_str!("../content/docs/usage.en.md"),
        ("usage", Locale::De) => include_str!("../content/docs/usage.de.md"),
        ("marketplace", Locale::En) => include_str!("../content/docs/marketplace.en.md"),
        ("marketplace", Locale::De) => include_str!("../content/docs/marketplace.de.md"),
        _ => return None,
    })
}

/// Documentation from the vendor's folder, falling back to the built-in pages.
pub struct Docs {
    pub folder: Option<PathBuf>,
}

impl Docs {
    async fn markdown(&self, name: &str, locale: Locale) -> Option<String> {
        if let Some(folder) = &self.folder {
            for file in [format!("{name}.{}.md", locale.tag()), format!("{name}.md")] {
                match tokio::fs::read_to_string(folder.join(&file)).await {
                    Ok(text) => return Some(text),
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                    Err(error) => tracing::warn!(%error, file, "reading a documentation page"),
                }
            }
        }
        built_in(name, locale).map(str::to_string)
    }
}

#[async_trait]
impl Documentation for Docs {
    async fn page(&self, name: &str, locale: Locale) -> Result<DocPage, AppError> {
        if !PAGES.contains(&name) {
            return Err(AppError::NotFound);
        }
        let markdown = self.markdown(name, locale).await.ok_or(AppError::NotFound)?;
        Ok(render(&markdown))
    }
}

fn safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('/')
        || lower.starts_with('#')
        || !lower.contains(':')
}

/// Markdown to HTML that is safe to insert into a page; the first level-1 heading is the title.
pub fn render(markdown: &str) -> DocPage {
    let mut title = String::new();
    let mut in_title = false;
    let events =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| {
            match event {
                Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                Event::Start(Tag::Link { link_type, dest_url, title: link_title, id }) => {
                    let dest_url = if safe_link(&dest_url) { dest_url } else { CowStr::Borrowed("#") };
                    Event::Start(Tag::Link { link_type, dest_url, title: link_title, id })
                }
                Event::Start(Tag::Image { link_type, dest_url, title: image_title, id }) => {
                    let dest_url = if safe_link(&dest_url) { dest_url } else { CowStr::Borrowed("") };
                    Event::Start(Tag::Image { link_type, dest_url, title: image_title, id })
                }
                other => other,
            }
        });
    let events: Vec<Event> = events
        .inspect(|event| match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) if title.is_empty() => in_title = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => in_title = false,
            Event::Text(text) | Event::Code(text) if in_title => title.push_str(text),
            _ => {}
        })
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    DocPage { title, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_without_raw_html_or_script_links() {
        let page = render(
            "# Getting *started*\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://a.example) <b>bold</b>",
        );
        assert_eq!(page.title, "Getting started");
        assert!(!page.html.contains("<script>") && page.html.contains("&lt;script&gt;"), "{}", page.html);
        assert!(!page.html.contains("javascript:") && page.html.contains(r#"href="https://a.example""#));
        assert!(!page.html.contains("<b>"));
    }

    #[test]
    fn every_page_exists_in_both_languages() {
        for name in PAGES {
            for locale in Locale::ALL {
                let page = render(built_in(name, locale).unwrap());
                assert!(!page.title.is_empty() && page.html.len() > 200, "{name} {locale:?}");
            }
        }
    }
}
