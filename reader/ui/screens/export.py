"""The export dialog: where to write the list as shown, and in which format."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from reader.export import FORMATS, SUFFIXES, format_for, write_error
from reader.text import printable
from reader.ui.screens.confirm import ConfirmScreen

# Writes the list to a file as a format, replacing a file there or not; returns the count.
Writer = Callable[[Path, str, bool], int]


class ExportScreen(ModalScreen[tuple[Path, int] | None]):
    """Asks for a file (the format follows its extension, or the choice below it), writes it
    in a thread, asks before replacing a file, and stays open on an error so the path can be
    fixed. Dismisses with the file and how many articles went into it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Before the formats' own Enter, which does nothing on the format already chosen.
        Binding("enter", "enter", "Write", priority=True),
    ]

    def __init__(self, writer: Writer, count: int, day: date) -> None:
        super().__init__()
        self._writer = writer
        self._count = count
        self._format = "md"
        self._path = f"~/reader-export-{day.isoformat()}.{self._format}"
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            count = self._count
            yield Static(
                f"Export the {count:,} article{'s' * (count != 1)} in the list to:", markup=False
            )
            # Not selected when focus comes back from the formats: a key would replace it all.
            yield Input(self._path, select_on_focus=False, id="export-path")
            with RadioSet(id="export-format"):
                for fmt, name in FORMATS.items():
                    yield RadioButton(name, value=fmt == self._format, id=f"format-{fmt}")
            yield Static(id="export-message", markup=False)
            yield Static(
                "Enter: write    Tab: choose the format    Esc: cancel",
                id="export-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """Typing an extension we know picks its format. (By the value now, not the event's:
        fast typing queues events, and a stale one must not pick a format.)"""
        if fmt := format_for(event.input.value):
            self.query_one(f"#format-{fmt}", RadioButton).value = True

    @on(RadioSet.Changed, "#export-format")
    def _format_chosen(self, event: RadioSet.Changed) -> None:
        """Choosing a format gives the file its extension, and goes back to the file name."""
        field = self.query_one(Input)
        fmt = self._format = (event.pressed.id or "").removeprefix("format-")
        if format_for(field.value) != fmt:
            stem, suffix = os.path.splitext(field.value)
            field.value = f"{stem if suffix.lower() in SUFFIXES else field.value}.{fmt}"
            field.cursor_position = len(field.value)
        field.focus()

    def action_enter(self) -> None:
        """In the formats: choose the one highlighted. In the file name: write."""
        formats = self.query_one(RadioSet)
        if formats.has_focus:
            formats.action_toggle_button()
            self.query_one(Input).focus()
            return
        if self._busy:
            return
        text = self.query_one(Input).value.strip()
        if not text:
            self._show("Type the name of the file to write.", error=True)
            return
        self._start(Path(text).expanduser().absolute(), self._format, replace=False)

    def action_cancel(self) -> None:
        if not self._busy:  # a write under way finishes first: it is never left half done
            self.dismiss(None)

    def _start(self, path: Path, fmt: str, *, replace: bool) -> None:
        self._busy = True
        self._show(printable(f"Writing {path} …"))
        self._write(path, fmt, replace)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, path: Path, fmt: str, replace: bool) -> None:
        # Every exception, not only OSError: one escaping a thread worker would close the app.
        # (The writer writes whole files or nothing: a failure leaves the old file as it was.)
        try:
            count = self._writer(path, fmt, replace)
        except Exception as error:
            if isinstance(error, FileExistsError) and not os.path.isdir(path):
                self.app.call_from_thread(self._ask_replace, path, fmt)
            else:
                self.app.call_from_thread(self._failed, write_error(path, error))
        else:
            self.app.call_from_thread(self.dismiss, (path, count))

    def _ask_replace(self, path: Path, fmt: str) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                self._start(path, fmt, replace=True)
            else:
                self._busy = False
                self._show("")
                self.query_one(Input).focus()

        self.app.push_screen(ConfirmScreen(printable(f"{path} exists. Replace it?")), answered)

    def _failed(self, message: str) -> None:
        self._busy = False
        self._show(message, error=True)
        self.query_one(Input).focus()

    def _show(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#export-message", Static)
        line.update(message)
        line.set_class(error, "-error")
        line.display = bool(message)
