"""Dates as a reader wants them: relative when recent, a plain date when older."""

from __future__ import annotations

from datetime import datetime, timedelta

RECENT = timedelta(days=30)


def relative(moment: datetime | None, now: datetime) -> str:
    """'now', '12 min', '3 h', '2 d' for the last 30 days, else '2021-03-04' (local date)."""
    if moment is None:
        return ""
    age = now - moment
    seconds = age.total_seconds()
    if seconds < 0:
        return in_local_time(moment).date().isoformat()  # dated in the future
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    if age < RECENT:
        return f"{age.days} d"
    return in_local_time(moment).date().isoformat()


def local(moment: datetime) -> str:
    """Full local date and time with the zone, for the detail pane."""
    moment = in_local_time(moment)
    return f"{moment:%a} {moment.date().isoformat()} {moment:%H:%M %Z}".rstrip()


def in_local_time(moment: datetime) -> datetime:
    """`moment` in the local zone; as it is when that falls outside the years 1 to 9999 that
    a datetime can hold (records may be dated 0001-01-01, and the parser accepts it)."""
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):
        return moment


def ago(moment: datetime, now: datetime) -> str:
    """'just now', '5 minutes ago', '3 hours ago', '2 days ago', '4 months ago', '6 years ago'."""
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return "in the future"
    for unit, size in (
        ("year", 365 * 86400),
        ("month", 30 * 86400),
        ("day", 86400),
        ("hour", 3600),
        ("minute", 60),
    ):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' * (count != 1)} ago"
    return "just now"
