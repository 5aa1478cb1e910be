"""The help screen: every key, in one place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

KEYS = """\
# Keys

| Key | Does |
|---|---|
| `j` `k` `↓` `↑` | move in the list |
| `g` `G` `Home` `End` | first / last article |
| `PgUp` `PgDn` | a page up / down |
| `Tab` `Shift+Tab` | move focus between the list and the related stories |
| `Enter` | open the article; on a related story: jump to it if it is in the collection, else open it |
| `o` | open the article's web page in the browser |
| `O` | pick one of the article's links (web, original, AMP, related) to open |
| `y` | copy the article's URL to the clipboard |
| `Space` `b` | scroll the detail pane a page down / up |
| `p` | list the problems found while loading |
| `?` | this help |
| `q` | quit (`Esc` closes this screen) |

Mouse: click a row to select it, double-click to open it, wheel to scroll.

Only `http` and `https` links are opened. With no browser (SSH, console),
the URL is shown and copied to the clipboard instead.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(KEYS, open_links=False)
