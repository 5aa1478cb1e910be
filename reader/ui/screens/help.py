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
| `Tab` `Shift+Tab` | move focus: list, related stories (and facets) |
| `Enter` `v` | reader mode (`Enter` on a related story: jump to it, or open it) |
| `o` | open the article's web page in the browser |
| `O` | pick one of the article's links (web, original, AMP, related) to open |
| `y` | copy the article's URL to the clipboard |
| `/` | search: the list filters as you type; `Enter` back to the list |
| `Esc` | clear the search |
| `S` | cycle the sort: date, heat, quality, title, provider |
| `t` | facets: topics and providers of the result, pick one to add it |
| `m` | mark read / unread (an article shown is read) |
| `*` | star / unstar |
| `n` | next unread article |
| `A` | mark every article in the result read (asks first) |
| `e` | export the list as shown to a file: Markdown, CSV, JSON or JSON Lines |
| `r` | reload every source |
| `Space` `b` | scroll the detail pane a page down / up |
| `p` | problems found while loading |
| `Ctrl+P` | command palette: every action by name |
| `?` | this help |
| `q` | quit (`Esc` closes this screen) |

# Reader mode

| Key | Does |
|---|---|
| `j` `k` `↓` `↑` | scroll a line |
| `Space` `b` `PgDn` `PgUp` | scroll a page |
| `g` `G` `Home` `End` | top / bottom |
| `n` `p` | next / previous article in the list |
| `1` `2` … | open link number N (`Enter` after it when a longer number could follow) |
| `o` | open the article's web page in the browser |
| `R` | fetch the page again, replacing the stored text |
| `q` `Esc` | back to the list |

# Search

| Query | Finds |
|---|---|
| `chip export` | both words, anywhere in title, excerpt, provider or topics |
| `"open source"` | the phrase |
| `topic:AI` `topic:"AI Ethics"` | that topic exactly |
| `provider:wired` | provider name or domain containing it |
| `type:article` `category:news` | that type or category |
| `since:2024-01-01` `until:2024-02-01` | published on or after / on or before (local days) |
| `since:7d` `since:2w` | in the last 7 days / 2 weeks (also `h`, `m`, `y`) |
| `heat:>100` `quality:>=80` | compare with `>` `>=` `<` `<=` `=` |
| `is:unread` `is:read` `is:starred` | by reading state |
| `-word` `-topic:AI` | not that |

Terms combine with AND. A query with a mistake shows what is wrong and keeps the last result.

Mouse: click a row to select it, double-click to read it, wheel to scroll.
Only `http` and `https` links are opened. With no browser (SSH, console),
the URL is shown and copied to the clipboard instead.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(KEYS, open_links=False)
