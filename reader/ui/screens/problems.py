"""The problems screen: every file or URL that could not be read fully, and why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from reader.model import Problem
from reader.text import printable


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,p", "dismiss", "Close")]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        count = len(self.problems)
        yield Static(
            f"{count} problem{'s' * (count != 1)} while loading  (Esc to close)",
            id="problems-title",
            markup=False,
        )
        table: DataTable[Text] = DataTable(id="problems", cursor_type="row", zebra_stripes=True)
        table.add_columns("Source", "Problem")
        table.add_rows(
            (Text(printable(problem.source)), Text(printable(problem.reason)))
            for problem in self.problems
        )
        yield table
