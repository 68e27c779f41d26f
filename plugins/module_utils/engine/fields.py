# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The field model: one Field per writable property of an entity, with its option, its
Graph name and its type; it gives the argument spec, validates and normalises the option
value, and converts between option and wire shapes. How two values compare is
engine/compare.py's (Field.equal delegates there).
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine import compare

# Edm.Int32 and Edm.Int64 ranges, for Field(kind='int', **INT32).
INT32 = dict(minimum=-2 ** 31, maximum=2 ** 31 - 1)
INT64 = dict(minimum=-2 ** 63, maximum=2 ** 63 - 1)


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
                compare.parse_datetimeoffset(value)
            except ValueError as exc:
                raise ValueError('%s: %s' % (label, exc))
            return compare.canonical_datetime(value)
        if self.kind == 'date':
            try:
                return '%04d-%02d-%02d' % compare.parse_date(value)
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
        if self.kind == 'guid':
            return compare.check_guid(value, label)
        if self.kind == 'list':
            out, seen = [], set()
            for item in value:
                item = self._enum(item, label) if self.element == 'enum' else item
                if self.element == 'guid':
                    compare.check_guid(item, label)
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
        choice = compare.canonical_enum(value, self.choices)
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

    # -- comparison (engine/compare.py) -------------------------------------------------------
    def equal(self, desired, current):
        """desired (validated option value) vs. current (from_wire), semantically."""
        return compare.equal(self, desired, current)
