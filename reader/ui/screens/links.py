"""The link picker: every link of an article, to open one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.model import Article
from reader.text import printable


class LinksScreen(ModalScreen[str | None]):
    """Dismisses with the chosen URL, or None."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.links = article.links()

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box"):
            yield Static("Open which link?  (Enter opens, Esc closes)", markup=False)
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (printable(label), "bold"), "\n", (printable(url), "$text-muted")
                        )
                    )
                    for label, url in self.links
                ),
                id="links",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[event.option_index][1])
