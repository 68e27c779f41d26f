# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The value parsers semantic comparison is built on; each field class of engine/fields.py
uses them to compare its kind of value.

Instants compare as instants (2016-12-31T23:59:18.0955018-08:00 equals
2017-01-01T07:59:18.0955018Z), times of day as times, dates as dates, lists of objects as
multisets of their content (multiset), ignoring @odata.* annotations (strip_annotations).
"""

from __future__ import annotations

import calendar
import re

# Edm.DateTimeOffset as Graph writes it: up to 7 fractional digits, 'Z' or an offset.
_DATETIME = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?([Zz]|[+-]\d{2}:\d{2})$')
_DATE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})$')
# Edm.TimeOfDay: hh:mm[:ss[.fffffff]]
_TIME = re.compile(r'^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$')

TICKS_PER_SECOND = 10 ** 7


def parse_datetimeoffset(value):
    """Return the instant as 100 ns ticks since the epoch (UTC); ValueError if malformed.

    Ticks, not datetime: Python's datetime keeps microseconds, Graph keeps 7 digits.
    """
    if not isinstance(value, str):
        raise ValueError('expected an ISO 8601 date-time string, got %r' % (value,))
    match = _DATETIME.match(value.strip())
    if not match:
        raise ValueError('%r is not an ISO 8601 date-time with an offset (e.g. 2017-01-01T07:59:18.0955018Z or '
                         '2016-12-31T23:59:18.0955018-08:00)' % value)
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    fraction = (match.group(7) or '').ljust(7, '0')
    zone = match.group(8)
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1] and hour < 24 and minute < 60 and second < 60):
        raise ValueError('%r is not a valid date-time' % value)
    offset = 0
    if zone not in ('Z', 'z'):
        sign = -1 if zone[0] == '-' else 1
        zh, zm = int(zone[1:3]), int(zone[4:6])
        if zm > 59 or zh * 60 + zm > 14 * 60:  # Edm.DateTimeOffset allows -14:00..+14:00
            raise ValueError('%r has an invalid UTC offset' % value)
        offset = sign * (zh * 3600 + zm * 60)
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)) - offset
    return seconds * TICKS_PER_SECOND + int(fraction)


def parse_date(value):
    """Edm.Date 'YYYY-MM-DD' -> (y, m, d); ValueError if malformed."""
    if not isinstance(value, str):
        value = str(value)  # YAML may hand us a datetime.date
    match = _DATE.match(value.strip()[:10] if 'T' in value else value.strip())
    if not match:
        raise ValueError('%r is not a date in the form YYYY-MM-DD' % value)
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        raise ValueError('%r is not a valid date' % value)
    return (year, month, day)


def is_plain_date(value):
    """True for 'YYYY-MM-DD' alone (no time)."""
    return bool(_DATE.match(str(value).strip()))


def parse_time_of_day(value):
    """Edm.TimeOfDay 'hh:mm[:ss[.fffffff]]' -> 100 ns ticks since midnight; ValueError if malformed."""
    match = _TIME.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError('%r is not a time of day hh:mm[:ss] (e.g. 08:00:00)' % (value,))
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError('%r is not a valid time of day' % (value,))
    return ((hour * 60 + minute) * 60 + second) * TICKS_PER_SECOND + int((match.group(4) or '').ljust(7, '0'))


_GUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')


def check_guid(value, label):
    """Edm.Guid (and ids Graph's metadata documents as GUIDs, like group ids): ValueError otherwise."""
    if not isinstance(value, str) or not _GUID.match(value.strip()):
        raise ValueError('%s: %r is not a GUID (like 0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d01)' % (label, value))
    return value.strip()


def canonical_datetime(value):
    """The date-time as typed, with the 'T' and 'Z' that Graph requires in upper case (it rejects 't' and 'z')."""
    value = value.strip()
    value = value[:10] + 'T' + value[11:]
    return value[:-1] + 'Z' if value.endswith('z') else value


def canonical_enum(value, choices):
    """Graph's casing for value (case-insensitive match), or None if it is not a choice."""
    if not isinstance(value, str):
        return None
    folded = value.lower()
    for choice in choices:
        if choice.lower() == folded:
            return choice
    return None


def strip_annotations(value):
    """Drop @odata.* keys (and other annotations) at every depth."""
    if isinstance(value, dict):
        return dict((k, strip_annotations(v)) for k, v in value.items() if '@' not in k)
    if isinstance(value, list):
        return [strip_annotations(v) for v in value]
    return value


def _freeze(value):
    """A hashable, order-insensitive form of a JSON value, for multiset comparison."""
    if isinstance(value, dict):
        # key=repr: keys may be frozen objects themselves (nested multisets), values of mixed types
        return ('{', tuple(sorted(((k, _freeze(v)) for k, v in value.items()), key=repr)))
    if isinstance(value, list):
        return ('[', tuple(sorted((_freeze(v) for v in value), key=repr)))
    return value


def multiset(items):
    counts = {}
    for item in items:
        key = _freeze(item)
        counts[key] = counts.get(key, 0) + 1
    return counts
