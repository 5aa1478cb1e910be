"""Which links may be opened, and opening them in the user's browser (never through a shell)."""

from __future__ import annotations

import os
import sys
import webbrowser
from urllib.parse import urlsplit

OPENABLE_SCHEMES = frozenset({"http", "https"})


def refusal(url: str) -> str | None:
    """Why `url` must not be handed to a browser, or None if it may be."""
    if not url.isprintable() or " " in url:  # record URLs are cleaned; this is for any other
        return "the URL contains spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in OPENABLE_SCHEMES:
        scheme = f"'{parts.scheme}:' links" if parts.scheme else "links without http(s)"
        return f"{scheme} are not opened; only http and https are"
    if not parts.netloc:
        return "the URL has no host"
    return None


def has_browser() -> bool:
    """Whether a browser can be shown: $BROWSER is set, or there is a desktop to show one on.

    Over SSH or on a console, webbrowser would fall back to a text browser that fights the
    reader for the terminal; that counts as no browser.
    """
    if os.environ.get("BROWSER"):
        return True
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    """Hand an allowed URL to the browser as a single argument; False if none could be started.

    Blocks while a `$BROWSER` command runs: call it off the UI thread.
    """
    if refusal(url) is not None:
        raise ValueError(f"refusing to open {url!r}")
    if not has_browser():
        return False
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
