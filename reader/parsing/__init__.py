"""Turning bytes into article records: front matter, JSON pages, and the field normaliser."""


class ParseError(ValueError):
    """A document that cannot be read as records; the message is the reason users see."""
