"""The `reader` command: the TUI by default, `list` and `check` for scripts. Parsing only;
the work is done by the core modules."""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

import click
from rich.cells import cell_len, set_cell_size

from reader import __version__, export
from reader.loader import load, open_cache
from reader.model import Entry, Problem
from reader.query import SORT_KEYS, QueryError, SearchIndex, parse_query, sort_entries
from reader.resources import SAMPLE_CONTENT
from reader.sources.config import (
    SourceEntry,
    SourcesFileError,
    default_sources_path,
    load_sources_file,
)
from reader.store.state import StateStore, state_path
from reader.text import printable
from reader.timefmt import relative


class _DefaultToOpen(click.Group):
    """`reader [SOURCE ...]` means `reader open [SOURCE ...]`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = next((arg for arg in args if not arg.startswith("-")), None)
        wants_help = any(arg in ("--help", "-h", "--version") for arg in args)
        if (first is None and not wants_help) or (first is not None and first not in self.commands):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToOpen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reader")
def main() -> None:
    """A keyboard-first terminal reader for news collections of article records.

    Run `reader [SOURCE ...]` to read; `reader list` and `reader check` are for scripts.
    """


no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Parse every file again; neither read nor write the cache."
)
sources_file_option = click.option(
    "--sources",
    "sources_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The sources file to use when no SOURCE is given (default: sources.toml in the "
    "config folder).",
)


@main.command("open")
@click.argument("sources", nargs=-1, metavar="[SOURCE ...]")
@no_cache_option
@sources_file_option
def open_command(sources: tuple[str, ...], no_cache: bool, sources_file: Path | None) -> None:
    """Read SOURCEs in the terminal app (the default command)."""
    from reader.ui.app import ReaderApp  # Textual is only imported when the TUI runs

    locations, problems = _sources(sources, sources_file)
    ReaderApp(
        locations,
        cache=open_cache(enabled=not no_cache),
        state=StateStore(state_path()),
        problems=problems,
    ).run()


@main.command("list")
@click.argument("sources", nargs=-1, metavar="[SOURCE ...]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(export.FORMATS)),
    help="md (a Markdown reading list), csv, json (an array) or jsonl (JSON Lines). "
    "Default: what the extension of -o's FILE says, else a table.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format jsonl.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write to FILE (replacing it) instead of stdout.",
)
@click.option(
    "--filter", "query_text", metavar="QUERY", default="", help="Only records matching QUERY."
)
@click.option("--sort", "sort_key", type=click.Choice(SORT_KEYS), default="date", show_default=True)
@click.option("--reverse", is_flag=True, help="Reverse the sort order.")
@no_cache_option
@sources_file_option
def list_command(
    sources: tuple[str, ...],
    fmt: str | None,
    as_json: bool,
    output: Path | None,
    query_text: str,
    sort_key: str,
    reverse: bool,
    no_cache: bool,
    sources_file: Path | None,
) -> None:
    """Print the records, newest first (or as sorted), optionally filtered.

    QUERY is the query language of the app's search bar (see the README):
    words, "phrases", topic:, provider:, type:, category:, since:, until:, heat:, quality:,
    is:read/unread/starred, and - before a term to negate it.
    """
    try:
        query = parse_query(query_text, now=datetime.now(UTC))
    except QueryError as error:
        raise click.BadParameter(str(error), param_hint="--filter") from None
    fmt = _output_format(fmt, as_json, output)
    locations, file_problems = _sources(sources, sources_file)
    cache = open_cache(enabled=not no_cache)
    collection = load(locations, cache)
    for problem in file_problems + collection.problems:
        click.echo(printable(str(problem)), err=True)
    entries = sort_entries(collection.entries, sort_key, reverse=reverse)
    if not query.is_empty:
        state = StateStore(state_path())
        entries = SearchIndex(entries).filter(query, state.read, state.starred, entries)
    with _output(output) as out:
        if fmt is not None:
            records = export.records(entries, cache)
            export.write(fmt, records, out, query=query_text, day=date.today())
        else:
            width = shutil.get_terminal_size((120, 24)).columns if out.isatty() else None
            for line in _table(entries, width):
                out.write(line + "\n")
    if collection.failed:
        sys.exit(1)


@main.command("check")
@click.argument("sources", nargs=-1, metavar="[SOURCE ...]")
@no_cache_option
@sources_file_option
def check_command(sources: tuple[str, ...], no_cache: bool, sources_file: Path | None) -> None:
    """Report every problem in SOURCEs; exit 1 if there is any."""
    locations, file_problems = _sources(sources, sources_file)
    collection = load(locations, open_cache(enabled=not no_cache))
    collection.problems[:0] = file_problems
    for problem in collection.problems:
        click.echo(printable(str(problem)))
    records, problems = len(collection.entries), len(collection.problems)
    click.echo(f"{records} record{'s' * (records != 1)}, {problems} problem{'s' * (problems != 1)}")
    sys.exit(1 if problems else 0)


@main.command("sources")
@sources_file_option
def sources_command(sources_file: Path | None) -> None:
    """Print the sources configured in the sources file."""
    path = sources_file or default_sources_path()
    entries, problems = _read_sources_file(sources_file)
    for problem in problems:
        click.echo(printable(str(problem)), err=True)
    if not entries:
        click.echo(f"No sources configured in {path}; `reader` opens the sample collection.")
        return
    click.echo(f"# {path}")
    width = max(cell_len(printable(entry.name)) for entry in entries)
    for entry in entries:
        click.echo(f"{_fit(printable(entry.name), width)}  {printable(entry.location)}")


target_sources_option = click.option(
    "--sources",
    "sources_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The sources file (default: sources.toml in the config folder).",
)


@main.command("import-opml")
@click.argument("opml_file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@target_sources_option
def import_opml_command(opml_file: Path, sources_file: Path | None) -> None:
    """Add the feeds listed in an OPML FILE (another reader's export) to the sources file.

    The file is created if missing; what it already holds stays as it is, and feeds it
    already has are skipped.
    """
    from reader.parsing import ParseError
    from reader.sources.opml import import_opml

    path = sources_file or default_sources_path()
    try:
        report = import_opml(opml_file.read_bytes(), path)
    except OSError as error:
        raise click.ClickException(f"{opml_file}: cannot read: {error.strerror or error}") from None
    except ParseError as error:
        raise click.ClickException(printable(f"{opml_file}: {error}")) from None
    except SourcesFileError as error:
        raise click.ClickException(printable(str(error))) from None
    for entry in report.added:
        click.echo(f"added    {printable(entry.name)}  {printable(entry.location)}")
    for reason in report.skipped:
        click.echo(f"skipped  {reason}")
    added = len(report.added)
    click.echo(
        f"{added} feed{'s' * (added != 1)} added to {printable(str(path))}, "
        f"{len(report.skipped)} skipped"
    )


@main.command("export-opml")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of standard output.",
)
@target_sources_option
def export_opml_command(output: Path | None, sources_file: Path | None) -> None:
    """Write the URL sources of the sources file as OPML 2.0, for other feed readers."""
    from reader.sources.opml import exportable, write_opml

    entries, problems = _read_sources_file(sources_file)
    for problem in problems:
        click.echo(printable(str(problem)), err=True)
    feeds = exportable(entries)  # URLs only; one that could not be opened, with a warning
    text = write_opml(feeds, "reader sources")
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"{output}: cannot write: {error.strerror or error}") from None
    count = len(feeds)
    click.echo(f"{count} source{'s' * (count != 1)} written to {printable(str(output))}", err=True)


def _read_sources_file(path: Path | None) -> tuple[list[SourceEntry], list[Problem]]:
    try:
        return load_sources_file(path)
    except SourcesFileError as error:
        raise click.ClickException(str(error)) from None


def _sources(
    sources: tuple[str, ...], sources_file: Path | None
) -> tuple[list[str], list[Problem]]:
    """What to read: the SOURCE arguments; else the sources file; else the samples."""
    if sources:
        return list(sources), []
    entries, problems = _read_sources_file(sources_file)
    return [entry.location for entry in entries] or [str(SAMPLE_CONTENT)], problems


def _output_format(fmt: str | None, as_json: bool, output: Path | None) -> str | None:
    """--format; else --json; else what -o's extension says; else None, the table."""
    if as_json and fmt not in (None, "jsonl"):
        raise click.UsageError("--json is short for --format jsonl: give one or the other.")
    if as_json:
        return "jsonl"
    return fmt or (export.format_for(output) if output else None)


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or the file -o names, written whole or not at all (export.writing); an error
    naming it and why, if it cannot be written."""
    if path is None:
        yield sys.stdout
        return
    try:
        with export.writing(path) as out:
            yield out
    except OSError as error:
        raise click.ClickException(export.write_error(path, error)) from None


def _table(entries: list[Entry], width: int | None) -> list[str]:
    """An aligned table for people: when, heat, provider, title (cut to the terminal's width)."""
    now = datetime.now(UTC)
    rows = [
        (
            relative(article.published, now),
            "" if article.heat is None else str(article.heat),
            printable(article.provider.name if article.provider else ""),
            printable(article.title),
        )
        for article in entries
    ]
    when_w = max((len(row[0]) for row in rows), default=4)
    heat_w = max((len(row[1]) for row in rows), default=4)
    provider_w = min(24, max((cell_len(row[2]) for row in rows), default=8))
    lines = []
    for when, heat, provider, title in rows:
        prefix = f"{when:<{when_w}}  {heat:>{heat_w}}  {_fit(provider, provider_w)}  "
        if width is not None:
            title = _fit(title, max(10, width - cell_len(prefix)), pad=False)
        lines.append(prefix + title)
    return lines


def _fit(text: str, width: int, *, pad: bool = True) -> str:
    """Cut to `width` terminal cells with an ellipsis; wide characters count double."""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width) if pad else text
