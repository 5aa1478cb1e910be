"""reader: a keyboard-first terminal reader for article-record news collections."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reader")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
