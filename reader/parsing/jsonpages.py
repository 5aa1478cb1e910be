"""The site's JSON: pages `{"page", "value": [record, ...], "nextPage"}` and single records.
A JSON Feed is told apart here (by its "version") and handed back whole."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reader.parsing import ParseError
from reader.parsing.feeds import is_json_feed


@dataclass(slots=True, frozen=True)
class JsonDocument:
    records: list[Any]
    next_page: Any = None  # as found; the remote loader decides whether it can be followed
    feed: dict[str, Any] | None = None  # a JSON Feed, for reader.parsing.jsonfeed to read


def parse_json_document(text: str) -> JsonDocument:
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON: {error.msg} (line {error.lineno})") from None
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise ParseError("invalid JSON: a number too long to read") from None
    except RecursionError:
        raise ParseError("JSON nested too deeply") from None
    if is_json_feed(data):
        return JsonDocument([], feed=data)
    if isinstance(data, dict) and "value" in data:
        records = data["value"]
        if not isinstance(records, list):
            raise ParseError("JSON page: 'value' is not a list")
        return JsonDocument(records, data.get("nextPage"))
    if isinstance(data, dict):
        return JsonDocument([data])
    if isinstance(data, list):
        return JsonDocument(data)
    raise ParseError(f"JSON is neither a page nor a record ({type(data).__name__})")
