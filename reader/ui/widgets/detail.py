"""The detail pane: everything a record says about the story under the list's cursor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown, Static

from reader.model import Article
from reader.sources.config import is_url
from reader.text import printable
from reader.timefmt import ago, local
from reader.ui.widgets.related_list import RelatedList


class DetailPane(VerticalScroll, can_focus=False):
    """Title, provider, date, type, topics, heat, quality, excerpt, image, links, body, related."""

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self.article: Article | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head", markup=False)
        yield Markdown(id="detail-body", open_links=False)
        yield Static("Related stories", id="related-label", markup=False)
        yield RelatedList(self._now, id="related")

    def show(self, article: Article | None, in_collection: Callable[[str | None], bool]) -> None:
        """Redraw for `article`, touching only what changed: each change costs a layout pass."""
        self.article = article
        head = self.query_one("#detail-head", Static)
        body = self.query_one("#detail-body", Markdown)
        related = self.query_one(RelatedList)
        label = self.query_one("#related-label", Static)
        if article is None:
            head.update(Content.styled("Nothing to show.", "$text-muted"))
            _show(body, False)
            _show(related, False)
            _show(label, False)
            return
        head.update(describe(article, self._now()))
        if article.content:
            body.update(article.content)
        _show(body, bool(article.content))
        if article.related or related.related:
            related.show(article.related, in_collection)
        _show(related, bool(article.related))
        _show(label, bool(article.related))
        self.scroll_home(animate=False)


def _show(widget: Widget, shown: bool) -> None:
    if widget.display != shown:
        widget.display = shown


def describe(article: Article, now: datetime) -> Content:
    """The head of the detail pane, built as styled plain text (record text is never markup)."""
    muted = "$text-muted"
    parts: list[str | tuple[str, str]] = [(printable(article.title), "bold $text"), "\n\n"]
    if article.provider:
        parts.append((printable(article.provider.name), "bold $text-accent"))
        if article.provider.domain and article.provider.domain != article.provider.name:
            parts.append((f"  {printable(article.provider.domain)}", muted))
        parts.append("\n")
    if article.published:
        parts += [local(article.published), (f"  ({ago(article.published, now)})", muted), "\n"]
    kind = " · ".join(printable(v) for v in dict.fromkeys((article.type, article.category)) if v)
    if kind:
        parts += [(kind, muted), "\n"]
    measures = [
        f"heat {article.heat}" if article.heat is not None else "",
        f"quality {article.quality}" if article.quality is not None else "",
    ]
    if any(measures):
        parts += [("  ".join(m for m in measures if m), "$text-warning"), "\n"]
    if article.topics:
        for topic in article.topics:
            parts += [(f" {printable(topic)} ", "$text-primary on $primary-muted"), " "]
        parts.append("\n")
    if article.excerpt:
        parts += ["\n", printable(article.excerpt), "\n"]
    for image in article.images[:1]:
        size = f"{image.width}×{image.height} " if image.width and image.height else ""
        parts += ["\n", ("Image  ", muted), size, (printable(image.url), muted), "\n"]
    links = [(label, url) for label, url in article.links() if not label.startswith("Related")]
    if links:
        parts.append("\n")
        for label, url in links:
            parts += [(f"{label:<10}", muted), (printable(url), "$text-primary underline"), "\n"]
    parts += ["\n", (f"{'From':<10}", muted), (printable(shown_path(article.source)), muted), "\n"]
    return Content.assemble(*parts)


def shown_path(source: str) -> str:
    """A file as short as it stays clear: relative to where the reader was started, or to ~."""
    if is_url(source):
        return source
    path = Path(source)
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        if path.is_relative_to(base):
            return prefix + str(path.relative_to(base))
    return source
