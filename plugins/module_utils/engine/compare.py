# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Semantic comparison of desired and current values, and the minimal patch.

Instants compare as instants (2016-12-31T23:59:18.0955018-08:00 equals
2017-01-01T07:59:18.0955018Z), enums case-insensitively, lists of scalars as sets and
lists of objects as multisets of their content, ignoring @odata.* annotations.
"""

from __future__ import annotations

import calendar
import re
import time

# Edm.DateTimeOffset as Graph writes it: up to 7 fractional digits, 'Z' or an offset.
_DATETIME = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?([Zz]|[+-]\d{2}:\d{2})$')
_DATE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})$')

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


def format_ticks(ticks):
    """Ticks -> Graph's canonical UTC form, 2017-01-01T07:59:18.0955018Z."""
    seconds, fraction = divmod(ticks, TICKS_PER_SECOND)
    # Not strftime: glibc does not pad the year of Graph's 0001-01-01T00:00:00Z.
    return '%04d-%02d-%02dT%02d:%02d:%02d' % time.gmtime(seconds)[:6] + '.%07dZ' % fraction


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


class Field(object):
    """One writable property: its option, its Graph name, its type and how it compares.

    kind: str, int, bool, enum (choices in Graph's casing), datetime (Edm.DateTimeOffset),
    date (Edm.Date), list (of `element` scalars: str, guid or enum; compared as a set) or objects (list of
    dicts described by `fields`, compared as a multiset of their content).
    to_wire/from_wire convert when the option's shape differs from Graph's (a list of
    group ids vs. an assignment object).
    """

    def __init__(self, option, graph, kind='str', choices=None, element='str', fields=None, minimum=None, maximum=None,
                 max_length=None, to_wire=None, from_wire=None, odata_type=None):
        self.option = option
        self.graph = graph
        self.kind = kind
        self.choices = tuple(choices or ())
        self.element = element
        self.fields = list(fields or ())
        self.minimum = minimum
        self.maximum = maximum
        self.max_length = max_length
        self._to_wire = to_wire
        self._from_wire = from_wire
        self.odata_type = odata_type  # for objects: the element type Graph names in its examples

    # -- argument spec ------------------------------------------------------------------
    def spec(self):
        if self.kind in ('int', 'bool'):
            return {'type': self.kind}
        if self.kind == 'list':
            return {'type': 'list', 'elements': 'str'}
        if self.kind == 'objects':
            return {'type': 'list', 'elements': 'dict', 'options': dict((f.option, f.spec()) for f in self.fields)}
        return {'type': 'str'}

    # -- validation: option value -> normalised option value, or ValueError -------------
    def validate(self, value, label=None):
        label = label or self.option
        if value is None:
            return None
        if self.kind == 'enum':
            return self._enum(value, label)
        if self.kind == 'datetime':
            try:
                parse_datetimeoffset(value)
            except ValueError as exc:
                raise ValueError('%s: %s' % (label, exc))
            return value
        if self.kind == 'date':
            try:
                return '%04d-%02d-%02d' % parse_date(value)
            except ValueError as exc:
                raise ValueError('%s: %s' % (label, exc))
        if self.kind == 'int':
            if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
                if self.maximum is None:
                    raise ValueError('%s must be at least %s, got %s' % (label, self.minimum, value))
                if self.minimum is None:
                    raise ValueError('%s must be at most %s, got %s' % (label, self.maximum, value))
                raise ValueError('%s must be between %s and %s, got %s' % (label, self.minimum, self.maximum, value))
            return value
        if self.kind == 'str':
            if self.max_length is not None and len(value) > self.max_length:
                raise ValueError('%s must be at most %d characters, got %d' % (label, self.max_length, len(value)))
            return value
        if self.kind == 'list':
            out, seen = [], set()
            for item in value:
                item = self._enum(item, label) if self.element == 'enum' else item
                folded = item.lower() if self.element == 'guid' and isinstance(item, str) else item
                if folded not in seen:
                    seen.add(folded)
                    out.append(item)
            return out
        if self.kind == 'objects':
            out = []
            for position, item in enumerate(value):
                normal = {}
                for field in self.fields:
                    sub = field.validate(item.get(field.option), '%s[%d].%s' % (label, position, field.option))
                    if sub is not None:
                        normal[field.option] = sub
                out.append(normal)
            return out
        return value

    def _enum(self, value, label):
        choice = canonical_enum(value, self.choices)
        if choice is None:
            raise ValueError('%s: %r is not one of %s' % (label, value, ', '.join(self.choices)))
        return choice

    # -- wire conversion -----------------------------------------------------------------
    def to_wire(self, value):
        if self._to_wire:
            return self._to_wire(value)
        if self.kind == 'objects':
            out = []
            for item in value:
                wire = {'@odata.type': self.odata_type} if self.odata_type else {}
                for field in self.fields:
                    if field.option in item:
                        wire[field.graph] = field.to_wire(item[field.option])
                out.append(wire)
            return out
        return value

    def from_wire(self, wire):
        """Graph's value in option space. Tolerant: values Graph returns never fail here."""
        if self._from_wire:
            return self._from_wire(wire)
        if wire is None:
            return None
        if self.kind == 'objects':
            out = []
            for item in wire or []:
                out.append(dict((field.option, field.from_wire(item.get(field.graph))) for field in self.fields
                                if item.get(field.graph) is not None))
            return out
        return wire

    # -- comparison ------------------------------------------------------------------------
    def key(self, value, keep=None):
        """A comparison key: equal keys mean semantically equal values."""
        if value is None:
            return None
        if self.kind == 'enum':
            return value.lower() if isinstance(value, str) else value
        if self.kind == 'datetime':
            try:
                return parse_datetimeoffset(value)
            except ValueError:
                return value
        if self.kind == 'date':
            try:
                return parse_date(value)
            except ValueError:
                return value
        if self.kind == 'list':
            # enum values and GUIDs compare case-insensitively ('arM64' == 'ARM64')
            folded = self.element in ('enum', 'guid')
            return frozenset(item.lower() if folded and isinstance(item, str) else item for item in value)
        if self.kind == 'objects':
            by_option = dict((field.option, field) for field in self.fields)
            keys = []
            for item in value:
                keys.append(dict((name, by_option[name].key(sub, keep.get(name) if isinstance(keep, dict) else None))
                                 for name, sub in item.items()
                                 if name in by_option and (keep is None or name in keep)))
            return multiset(keys)
        return value

    def given_keys(self, items):
        """The keys the user gave in a list of objects, at every depth: {option: nested given_keys or None}.

        Nested lists of objects (a setting state's sources) follow the same rule as the top
        level: a key left out of every item is not compared.
        """
        by_option = dict((field.option, field) for field in self.fields)
        given = {}
        for item in items or ():
            for name, sub in item.items():
                given.setdefault(name, []).append(sub)
        keep = {}
        for name, subs in given.items():
            field = by_option.get(name)
            if field is not None and field.kind == 'objects':
                keep[name] = field.given_keys([element for sub in subs for element in (sub or [])])
            else:
                keep[name] = None
        return keep

    def equal(self, desired, current):
        """desired (validated option value) vs. current (from_wire). For lists of objects
        only the keys the user gave are compared: an omitted key is not managed."""
        if self.kind == 'objects':
            return self.key(desired) == self.key(current or [], self.given_keys(desired))
        if self.kind == 'list' and current is None:
            current = []
        return self.key(desired) == self.key(current)
