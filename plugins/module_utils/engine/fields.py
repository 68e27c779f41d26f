# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The field model: one Field per writable property of an entity, one class per kind of value.

Each class owns everything about its kind: the argument spec, the validation of the
option value (ValueError naming the option), the conversion between option and wire
shapes, and the semantic comparison (comparable(): a form in which equal means the same
to Graph). Nothing outside this file switches on a field's kind.

    StrField, IntField, BoolField, EnumField, FlagsEnumField, DateTimeField, DateField,
    TimeField, GuidField: scalars;
    ListField: a list of scalars (another field as its item), compared as a set;
    ObjectsField: a list of complex values, compared as a multiset of their content;
    ObjectField: one complex value (or one of several derived types of it).

engine/compare.py holds the value parsers they share (instants, dates, GUIDs, multisets).
"""

from __future__ import annotations

import copy

from ansible_collections.graphops.intune.plugins.module_utils.engine import compare

# Edm.Int32 and Edm.Int64 ranges, for IntField(..., **INT32).
INT32 = dict(minimum=-2 ** 31, maximum=2 ** 31 - 1)
INT64 = dict(minimum=-2 ** 63, maximum=2 ** 63 - 1)


class Field(object):
    """One property: its option, its Graph name, and how its value behaves (the subclass).

    default: the argument spec default of the option (a resource module's, never a filter's).
    create_only: sent on create, never in a PATCH (an identifying property that never changes).
    within: (Graph name, @odata.type) of the complex property that holds this one, when the option is one
      property of a complex value (expeditedUpdateSettings.qualityUpdateRelease): the entity sends the complex
      value whole, the properties it does not set carried over from Graph's.
    """

    spec_type = 'str'

    def __init__(self, option=None, graph=None, default=None, create_only=False, within=None):
        self.option = option
        self.graph = graph
        self.default = default
        self.create_only = create_only
        self.within = tuple(within) if within else None

    def wire_value(self, entity):
        """This property's value in Graph's entity (inside its complex property, for a field declared within one)."""
        if not isinstance(entity, dict):
            return None
        if self.within:
            holder = entity.get(self.within[0])
            return holder.get(self.graph) if isinstance(holder, dict) else None
        return entity.get(self.graph)

    def renamed(self, option):
        """The same field under another option name (a filter's option)."""
        other = copy.copy(self)
        other.option = option
        return other

    # -- argument spec ------------------------------------------------------------------
    def spec(self):
        spec = {'type': self.spec_type}
        if self.default is not None:
            spec['default'] = self.default
        return spec

    def filter_spec(self):
        """The argument spec of an _info filter option over this field (no default)."""
        return dict((k, v) for k, v in self.spec().items() if k != 'default')

    # -- validation: option value -> normalised option value, or ValueError -------------
    def validate(self, value, label=None):
        if value is None:
            return None
        return self.check(value, label or self.option)

    def check(self, value, label):
        return value

    # -- wire conversion -----------------------------------------------------------------
    def to_wire(self, value):
        return value

    def patch_wire(self, value, current_wire):
        """The wire value a PATCH sends for value, given Graph's current wire value."""
        return self.to_wire(value)

    def from_wire(self, wire):
        """Graph's value in option space. Tolerant: values Graph returns never fail here."""
        return wire

    def option_value(self, wire):
        """Graph's value as the option that declares it (from_wire without internal annotations)."""
        return self.from_wire(wire)

    # -- comparison ----------------------------------------------------------------------
    def comparable(self, value, keep=None):
        """A form of the value in which equal means semantically equal (keep: ObjectsField's)."""
        return value

    def equal(self, desired, current):
        """desired (validated option value) vs. current (from_wire), semantically."""
        return self.comparable(desired) == self.comparable(current)

    # -- _info filters -----------------------------------------------------------------------
    def item_field(self):
        """The field one value of this field compares as (a list's item; itself for a scalar)."""
        return self

    def values(self, wire):
        """The values a filter looks at in Graph's value (a list's items; the value itself)."""
        return (wire,)


class StrField(Field):
    """Edm.String, optionally bounded in length; compared exactly, or in any casing with ignore_case."""

    def __init__(self, option=None, graph=None, max_length=None, ignore_case=False, **kwargs):
        super(StrField, self).__init__(option, graph, **kwargs)
        self.max_length = max_length
        self.ignore_case = ignore_case

    def check(self, value, label):
        if self.max_length is not None and len(value) > self.max_length:
            raise ValueError('%s must be at most %d characters, got %d' % (label, self.max_length, len(value)))
        return value

    def comparable(self, value, keep=None):
        return value.lower() if self.ignore_case and isinstance(value, str) else value


class IntField(Field):
    """Edm.Int32/Int64, with an optional range (minimum, maximum) or a set of allowed values (choices)."""

    spec_type = 'int'

    def __init__(self, option=None, graph=None, minimum=None, maximum=None, choices=None, **kwargs):
        super(IntField, self).__init__(option, graph, **kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.choices = tuple(choices or ())

    def spec(self):
        spec = super(IntField, self).spec()
        if self.choices:
            spec['choices'] = list(self.choices)
        return spec

    def check(self, value, label):
        if self.choices and value not in self.choices:
            raise ValueError('%s must be one of %s, got %s' % (label, ', '.join(str(v) for v in self.choices), value))
        low, high = self.minimum, self.maximum
        if low is not None and value < low or high is not None and value > high:
            if high is None:
                raise ValueError('%s must be at least %s, got %s' % (label, low, value))
            if low is None:
                raise ValueError('%s must be at most %s, got %s' % (label, high, value))
            raise ValueError('%s must be between %s and %s, got %s' % (label, low, high, value))
        return value


class BoolField(Field):
    spec_type = 'bool'


class EnumField(Field):
    """An OData enum: accepted in any casing, sent in Graph's casing (choices), compared case-insensitively.

    ansible_choices: also list the choices in the argument spec (Ansible then checks them,
    in their exact casing).
    """

    def __init__(self, option=None, graph=None, choices=(), ansible_choices=False, **kwargs):
        super(EnumField, self).__init__(option, graph, **kwargs)
        self.choices = tuple(choices)
        self.ansible_choices = ansible_choices

    def spec(self):
        spec = super(EnumField, self).spec()
        if self.ansible_choices:
            spec['choices'] = list(self.choices)
        return spec

    def check(self, value, label):
        choice = compare.canonical_enum(value, self.choices)
        if choice is None:
            raise ValueError('%s: %r is not one of %s' % (label, value, ', '.join(self.choices)))
        return choice

    def comparable(self, value, keep=None):
        return value.lower() if isinstance(value, str) else value


class FlagsEnumField(EnumField):
    """An OData flags enum: a list of members in the task (a single string is one member, or
    Graph's comma-joined form), 'firstWeek,thirdWeek' on the wire, compared as a set."""

    def spec(self):
        return {'type': 'list', 'elements': 'str'}

    @staticmethod
    def members(value):
        if isinstance(value, str):
            value = value.split(',')
        return [item.strip() if isinstance(item, str) else item for item in value or () if item != '']

    def check(self, value, label):
        out = []
        for item in self.members(value):
            item = super(FlagsEnumField, self).check(item, label)
            if item not in out:
                out.append(item)
        if not out:
            raise ValueError('%s: give at least one of %s' % (label, ', '.join(self.choices)))
        return out

    def to_wire(self, value):
        return ','.join(value)

    def from_wire(self, wire):
        if wire is None:
            return None
        return self.members(wire) if isinstance(wire, (str, list)) else wire

    def comparable(self, value, keep=None):
        if not isinstance(value, (str, list)):
            return value
        return frozenset(item.lower() if isinstance(item, str) else item for item in self.members(value))

    def item_field(self):
        return EnumField(self.option, self.graph, self.choices)

    def values(self, wire):
        return self.members(wire) if isinstance(wire, (str, list)) else ()


class DateTimeField(Field):
    """Edm.DateTimeOffset: validated, sent with Graph's upper-case T and Z, compared as an instant.

    accept_date: a plain date (YYYY-MM-DD) is taken as midnight UTC (for filters such as released_after).
    """

    def __init__(self, option=None, graph=None, accept_date=False, **kwargs):
        super(DateTimeField, self).__init__(option, graph, **kwargs)
        self.accept_date = accept_date

    def check(self, value, label):
        if self.accept_date and isinstance(value, str) and compare.is_plain_date(value):
            value = value.strip() + 'T00:00:00Z'
        try:
            compare.parse_datetimeoffset(value)
        except ValueError as exc:
            raise ValueError('%s: %s' % (label, exc))
        return compare.canonical_datetime(value)

    def comparable(self, value, keep=None):
        if value is None:
            return None
        try:
            return compare.parse_datetimeoffset(value)
        except ValueError:
            return value


class DateField(Field):
    """Edm.Date: YYYY-MM-DD (a YAML date is accepted), compared as a date."""

    def check(self, value, label):
        try:
            return '%04d-%02d-%02d' % compare.parse_date(value)
        except ValueError as exc:
            raise ValueError('%s: %s' % (label, exc))

    def comparable(self, value, keep=None):
        if value is None:
            return None
        try:
            return compare.parse_date(value)
        except ValueError:
            return value


class TimeField(Field):
    """Edm.TimeOfDay: hh:mm[:ss[.fffffff]], sent as hh:mm:ss, compared as a time ('08:00' equals '08:00:00.0000000')."""

    def check(self, value, label):
        try:
            ticks = compare.parse_time_of_day(value)
        except ValueError as exc:
            raise ValueError('%s: %s' % (label, exc))
        seconds = ticks // compare.TICKS_PER_SECOND
        return '%02d:%02d:%02d' % (seconds // 3600, seconds // 60 % 60, seconds % 60)

    def comparable(self, value, keep=None):
        if value is None:
            return None
        try:
            return compare.parse_time_of_day(value)
        except ValueError:
            return value  # a value Graph returns never fails here


class GuidField(Field):
    """Edm.Guid (and ids the metadata documents as GUIDs, like group ids): compared case-insensitively."""

    def check(self, value, label):
        return compare.check_guid(value, label)

    def comparable(self, value, keep=None):
        return value.lower() if isinstance(value, str) else value


class ListField(Field):
    """A collection of scalars (item: the field of one element, StrField by default), without
    duplicates, compared as a set in the item's way (GUIDs and enums in any casing).
    An empty list and a missing value are the same."""

    def __init__(self, option=None, graph=None, item=None, **kwargs):
        super(ListField, self).__init__(option, graph, **kwargs)
        self.item = item if item is not None else StrField()

    def spec(self):
        return {'type': 'list', 'elements': 'str'}

    def check(self, value, label):
        out, seen = [], set()
        for element in value:
            element = self.item.check(element, label)
            folded = self.item.comparable(element)
            if folded not in seen:
                seen.add(folded)
                out.append(element)
        return out

    def comparable(self, value, keep=None):
        if value is None:
            value = []
        return frozenset(self.item.comparable(element) for element in value)

    def item_field(self):
        return self.item.renamed(self.option)

    def values(self, wire):
        return wire or ()


class ObjectsField(Field):
    """A collection of complex values (fields: one Field per sub-option), compared as a multiset of
    their content; only the sub-options the task gives are compared, at every depth.

    odata_type: the element type Graph names in its examples (sent on every element).
    all_required: every sub-option is required in the argument spec (the list is compared whole);
    required: the sub-options that are. max_items: the most elements Graph takes.
    manages(item) -> bool: for a list of a base type holding several derived types, the wire items
    this field manages; the others are neither compared nor dropped (a PATCH carries them over).
    """

    def __init__(self, option=None, graph=None, fields=(), odata_type=None, all_required=False, required=(), max_items=None,
                 manages=None, **kwargs):
        super(ObjectsField, self).__init__(option, graph, **kwargs)
        self.fields = list(fields)
        self.by_option = dict((field.option, field) for field in self.fields)
        self.odata_type = odata_type
        self.required = tuple(self.by_option) if all_required else tuple(required)
        self.max_items = max_items
        self.manages = manages

    def spec(self):
        options = {}
        for field in self.fields:
            options[field.option] = field.spec()
            if field.option in self.required:
                options[field.option]['required'] = True
        return {'type': 'list', 'elements': 'dict', 'options': options}

    def check(self, value, label):
        if self.max_items is not None and len(value) > self.max_items:
            raise ValueError('%s takes at most %d items, got %d' % (label, self.max_items, len(value)))
        out = []
        for position, item in enumerate(value):
            normal = {}
            for field in self.fields:
                sub = field.validate(item.get(field.option), '%s[%d].%s' % (label, position, field.option))
                if sub is not None:
                    normal[field.option] = sub
            out.append(normal)
        return out

    def _item_to_wire(self, item):
        wire = {'@odata.type': self.odata_type} if self.odata_type else {}
        for field in self.fields:
            if field.option in item:
                wire[field.graph] = field.to_wire(item[field.option])
        return wire

    def to_wire(self, value):
        return [self._item_to_wire(item) for item in value]

    def patch_wire(self, value, current_wire):
        carried = [item for item in current_wire or [] if self.manages is not None and not self.manages(item)]
        return self.to_wire(value) + carried

    def from_wire(self, wire):
        if wire is None:
            return None
        out = []
        for item in wire or []:
            if self.manages is not None and not self.manages(item):
                continue
            out.append(dict((field.option, field.from_wire(item.get(field.graph))) for field in self.fields
                            if item.get(field.graph) is not None))
        return out

    def given_options(self, items):
        """The sub-options the user gave, at every depth: {option: nested given_options or None}."""
        given = {}
        for item in items or ():
            for name, sub in item.items():
                given.setdefault(name, []).append(sub)
        keep = {}
        for name, subs in given.items():
            field = self.by_option.get(name)
            if isinstance(field, ObjectsField):
                keep[name] = field.given_options([element for sub in subs for element in (sub or [])])
            else:
                keep[name] = None
        return keep

    def comparable(self, value, keep=None):
        if value is None:
            return None
        forms = []
        for item in value:
            forms.append(dict((name, self.by_option[name].comparable(sub, keep.get(name) if isinstance(keep, dict) else None))
                              for name, sub in item.items()
                              if name in self.by_option and (keep is None or name in keep)))
        return compare.multiset(forms)

    def equal(self, desired, current):
        """Only the sub-options the user gave are compared: an omitted sub-option is not managed."""
        return self.comparable(desired) == self.comparable(current or [], self.given_options(desired))


class ObjectField(Field):
    """One complex value (a dict of sub-fields). Only the sub-options the task gives are compared.

    odata_type: the complex type, named on the wire. variants: for an abstract complex type,
    ((derived @odata.type, (its sub-options)), ...): the sub-options the task gives pick the
    derived type (never two at once), and a current value of another derived type differs.
    """

    def __init__(self, option=None, graph=None, fields=(), odata_type=None, variants=(), **kwargs):
        super(ObjectField, self).__init__(option, graph, **kwargs)
        self.fields = list(fields)
        self.by_option = dict((field.option, field) for field in self.fields)
        self.odata_type = odata_type
        self.variants = tuple((odata, tuple(options)) for odata, options in variants)

    def spec(self):
        return {'type': 'dict', 'options': dict((f.option, f.spec()) for f in self.fields)}

    def _choices_text(self):
        return ' or '.join('/'.join(options) for dummy, options in self.variants)

    def check(self, value, label):
        normal = {}
        errors = []
        for field in self.fields:
            try:
                sub = field.validate(value.get(field.option), '%s.%s' % (label, field.option))
            except ValueError as exc:
                errors.append(str(exc))
                continue
            if sub is not None:
                normal[field.option] = sub
        if errors:
            raise ValueError('; '.join(errors))
        if self.variants:
            picked = [odata for odata, options in self.variants if any(option in normal for option in options)]
            if len(picked) > 1:
                raise ValueError('%s takes either %s, not both' % (label, self._choices_text()))
            if not normal:
                raise ValueError('%s needs %s' % (label, self._choices_text()))
        return normal

    def variant(self, value):
        """The derived @odata.type the sub-options of value pick (the first variant when none does)."""
        for odata, options in self.variants:
            if any(option in (value or {}) for option in options):
                return odata
        return self.variants[0][0] if self.variants else self.odata_type

    def to_wire(self, value):
        odata = self.variant(value) if self.variants else self.odata_type
        wire = {'@odata.type': odata} if odata else {}
        for field in self.fields:
            if field.option in value:
                wire[field.graph] = field.to_wire(value[field.option])
        return wire

    def from_wire(self, wire):
        """The sub-options Graph holds; for a field with variants, '@odata.type' names Graph's derived type."""
        if not isinstance(wire, dict):
            return None
        value = dict((f.option, f.from_wire(wire.get(f.graph))) for f in self.fields if wire.get(f.graph) is not None)
        if self.variants:
            value['@odata.type'] = '#' + str(wire.get('@odata.type') or '').lstrip('#')
        return value

    def option_value(self, wire):
        value = self.from_wire(wire)
        if value is not None:
            value = dict((k, v) for k, v in value.items() if not k.startswith('@') and v is not None)
        return value or None

    def equal(self, desired, current):
        current = current or {}
        if self.variants and str(current.get('@odata.type', '')).lower() != self.variant(desired).lower():
            return False
        return all(self.by_option[name].equal(value, current.get(name)) for name, value in desired.items())
