"""Rich text kept safe: the one sanitiser for agenda details and minutes discussions (nh3)."""
from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}


def sanitize_html(html: str | None) -> str | None:
    """Strip scripts, event handlers, styles and javascript: links; keep basic formatting; None for blank."""
    if html is None or not html.strip():
        return None
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
                        link_rel="noopener noreferrer")
    return cleaned.strip() or None
