"""The query bar: search as you type, with the parse error shown in place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

PLACEHOLDER = 'words, "a phrase", topic:AI, provider:wired, since:7d, heat:>100, is:unread, -word'


class QueryBar(Vertical):
    """An input for the query and a line under it for what is wrong with it."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="query-input")
        yield Static(id="query-error", markup=False)

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    @text.setter
    def text(self, value: str) -> None:
        field = self.query_one(Input)
        field.value = value
        field.cursor_position = len(value)

    def show_error(self, message: str, position: int) -> None:
        """Point at the problem under the query, the way a compiler does."""
        error = self.query_one("#query-error", Static)
        error.update(f"{' ' * position}^ {message} (showing the last good result)")
        error.display = True

    def clear_error(self) -> None:
        self.query_one("#query-error", Static).display = False
