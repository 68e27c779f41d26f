# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import time

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import (
    TICKS_PER_SECOND, canonical_enum, multiset, parse_date, parse_datetimeoffset, strip_annotations)
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import (
    BoolField, DateField, DateTimeField, EnumField, GuidField, IntField, ListField, ObjectsField, StrField)


def format_ticks(ticks):
    """Ticks -> Graph's canonical UTC form, 2017-01-01T07:59:18.0955018Z (to check parse_datetimeoffset's ticks)."""
    seconds, fraction = divmod(ticks, TICKS_PER_SECOND)
    # Not strftime: glibc does not pad the year of Graph's 0001-01-01T00:00:00Z.
    return '%04d-%02d-%02dT%02d:%02d:%02d' % time.gmtime(seconds)[:6] + '.%07dZ' % fraction


ARCHITECTURES = ('x86', 'x64', 'arm', 'arM64')
EDITIONS = ('windows10Enterprise', 'windows10Education', 'windows10Pro')


def editions_field():
    return ObjectsField('supported_editions', 'supportedEditions', odata_type='#microsoft.graph.windowsOsEdition', fields=[
        EnumField('edition_type', 'editionType', EDITIONS),
        DateField('support_end_date', 'supportEndDate'),
        DateTimeField('checked_at', 'checkedAt'),
    ])


# -- parse_datetimeoffset / format_ticks ------------------------------------------------
def test_same_instant_in_two_offsets_has_the_same_ticks():
    assert parse_datetimeoffset('2016-12-31T23:59:18.0955018-08:00') == parse_datetimeoffset('2017-01-01T07:59:18.0955018Z')


def test_ticks_keep_all_seven_fractional_digits():
    base = parse_datetimeoffset('2017-01-01T07:59:18Z')
    assert parse_datetimeoffset('2017-01-01T07:59:18.0955018Z') - base == 955018
    assert parse_datetimeoffset('2017-01-01T07:59:18.0955019Z') - base == 955019  # 100 ns apart: not equal


def test_ticks_are_counted_from_the_unix_epoch():
    assert parse_datetimeoffset('1970-01-01T00:00:00Z') == 0
    assert parse_datetimeoffset('1970-01-01T00:00:01+00:00') == TICKS_PER_SECOND


@pytest.mark.parametrize('fraction', ['', '.1', '.12', '.123', '.1234', '.12345', '.123456', '.1234567'])
def test_zero_to_seven_fractional_digits_accepted(fraction):
    value = '2024-03-10T12:34:56%sZ' % fraction
    expected = parse_datetimeoffset('2024-03-10T12:34:56Z') + int((fraction[1:] or '0').ljust(7, '0'))
    assert parse_datetimeoffset(value) == expected


def test_minutes_only_and_lowercase_z_accepted():
    assert parse_datetimeoffset('2024-03-10T12:34z') == parse_datetimeoffset('2024-03-10T12:34:00.0000000Z')


@pytest.mark.parametrize('value', [
    '2024-03-10T12:34:56.12345678Z',    # 8 fractional digits
    '2024-03-10T12:34:56',              # no offset
    '2024-03-10T12:34:56.1234567',      # no offset
    '2024-13-10T12:34:56Z',             # month 13
    '2024-00-10T12:34:56Z',             # month 0
    '2023-02-29T12:34:56Z',             # not a leap year
    '2024-04-31T00:00:00Z',             # April has 30 days
    '2024-03-10T24:00:00Z',             # hour 24
    '2024-03-10T12:60:00Z',
    '2024-03-10T12:00:00+15:00',        # offset beyond 14 h
    '2024-03-10T12:00:00-14:60',
    '2024-03-10',                       # a date, not a date-time
    'yesterday',
    '',
])
def test_malformed_datetimes_rejected(value):
    with pytest.raises(ValueError):
        parse_datetimeoffset(value)


def test_offset_just_beyond_14_hours_rejected():
    with pytest.raises(ValueError):
        parse_datetimeoffset('2024-03-10T12:00:00+14:30')


def test_offset_of_exactly_14_hours_accepted():
    assert parse_datetimeoffset('2024-03-11T02:00:00+14:00') == parse_datetimeoffset('2024-03-10T12:00:00Z')
    assert parse_datetimeoffset('2024-03-09T22:00:00-14:00') == parse_datetimeoffset('2024-03-10T12:00:00Z')


@pytest.mark.parametrize('value', [None, 1700000000, datetime.datetime(2024, 1, 1)])
def test_non_strings_rejected(value):
    with pytest.raises(ValueError):
        parse_datetimeoffset(value)


@pytest.mark.parametrize('value, canonical', [
    ('2016-12-31T23:59:18.0955018-08:00', '2017-01-01T07:59:18.0955018Z'),
    ('2017-01-01T07:59:18Z', '2017-01-01T07:59:18.0000000Z'),
    ('2024-02-29T00:00:00.5+05:30', '2024-02-28T18:30:00.5000000Z'),
    ('1969-12-31T23:59:59.5Z', '1969-12-31T23:59:59.5000000Z'),
])
def test_format_ticks_gives_graphs_utc_form(value, canonical):
    assert format_ticks(parse_datetimeoffset(value)) == canonical
    assert parse_datetimeoffset(format_ticks(parse_datetimeoffset(value))) == parse_datetimeoffset(value)


def test_format_ticks_round_trips_graphs_minimum_date():
    ticks = parse_datetimeoffset('0001-01-01T00:00:00Z')
    assert format_ticks(ticks) == '0001-01-01T00:00:00.0000000Z'


# -- parse_date -------------------------------------------------------------------------
def test_parse_date():
    assert parse_date('2024-02-29') == (2024, 2, 29)
    assert parse_date(datetime.date(2025, 10, 14)) == (2025, 10, 14)  # YAML hands dates over as date objects
    assert parse_date('2025-10-14T00:00:00Z') == (2025, 10, 14)


@pytest.mark.parametrize('value', ['2023-02-29', '2024-13-01', '2024-1-1', '14/10/2025', ''])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError):
        parse_date(value)


# -- canonical_enum ---------------------------------------------------------------------
def test_canonical_enum_returns_graphs_casing():
    assert canonical_enum('ARM64', ARCHITECTURES) == 'arM64'
    assert canonical_enum('arm64', ARCHITECTURES) == 'arM64'
    assert canonical_enum('X64', ARCHITECTURES) == 'x64'


def test_canonical_enum_unknown_is_none():
    assert canonical_enum('itanium', ARCHITECTURES) is None
    assert canonical_enum(None, ARCHITECTURES) is None
    assert canonical_enum(64, ARCHITECTURES) is None


# -- Field.equal ------------------------------------------------------------------------
def test_equal_id_lists_as_sets_case_insensitive_guids():
    field = ListField('included_group_ids', 'x', item=GuidField())
    upper = 'A1B2C3D4-0000-4000-8000-00000000000A'
    assert field.equal([upper, 'b'], ['b', upper.lower()])
    assert field.equal(['a', 'a', 'b'], ['b', 'a'])
    assert not field.equal(['a', 'b'], ['a'])
    assert not field.equal(['a'], ['a', 'b'])


def test_equal_empty_list_matches_missing_value():
    field = ListField('included_group_ids', 'x', item=GuidField())
    assert field.equal([], None)
    assert not field.equal(['a'], None)


def test_equal_plain_string_lists_stay_case_sensitive():
    field = ListField('tags', 'tags')
    assert not field.equal(['Tag'], ['tag'])
    assert field.equal(['b', 'a'], ['a', 'b'])


def test_equal_enum_and_enum_list_case_insensitive():
    assert EnumField('a', 'a', ARCHITECTURES).equal('arM64', 'ARM64')
    field = ListField('archs', 'archs', item=EnumField(choices=ARCHITECTURES))
    assert field.equal(['arM64', 'x64'], ['X64', 'arm64'])
    assert not field.equal(['arM64'], ['x64'])


def test_equal_datetimes_as_instants():
    field = DateTimeField('when', 'when')
    assert field.equal('2016-12-31T23:59:18.0955018-08:00', '2017-01-01T07:59:18.0955018Z')
    assert field.equal('2017-01-01T07:59:18Z', '2017-01-01T07:59:18.0000000Z')
    assert not field.equal('2017-01-01T07:59:18.0955018Z', '2017-01-01T07:59:18.0955019Z')


def test_equal_dates():
    field = DateField('day', 'day')
    assert field.equal('2025-10-14', '2025-10-14')
    assert not field.equal('2025-10-14', '2025-10-15')


def test_equal_scalars():
    assert IntField('n', 'n').equal(3, 3)
    assert not IntField('n', 'n').equal(3, 4)
    assert not BoolField('b', 'b').equal(False, True)
    assert not StrField('s', 's').equal('Ring', 'ring')


def test_equal_objects_order_insensitive_and_semantic():
    field = editions_field()
    desired = field.validate([{'edition_type': 'WINDOWS10PRO', 'support_end_date': '2025-10-14'},
                              {'edition_type': 'windows10education', 'support_end_date': '2026-01-01'}])
    current = field.from_wire([{'editionType': 'windows10Education', 'supportEndDate': '2026-01-01'},
                               {'editionType': 'windows10pro', 'supportEndDate': '2025-10-14'}])
    assert field.equal(desired, current)


def test_equal_objects_only_over_the_keys_the_user_gave():
    field = editions_field()
    desired = field.validate([{'edition_type': 'windows10Pro'}])
    current = field.from_wire([{'editionType': 'windows10Pro', 'supportEndDate': '2025-10-14', 'checkedAt': '2024-01-01T00:00:00Z'}])
    assert field.equal(desired, current)


def test_equal_objects_nested_datetime_as_instant():
    field = editions_field()
    desired = field.validate([{'edition_type': 'windows10Pro', 'checked_at': '2016-12-31T23:59:18.0955018-08:00'}])
    assert field.equal(desired, [{'edition_type': 'windows10Pro', 'checked_at': '2017-01-01T07:59:18.0955018Z'}])
    assert not field.equal(desired, [{'edition_type': 'windows10Pro', 'checked_at': '2017-01-01T07:59:18Z'}])


def test_equal_objects_detects_differences():
    field = editions_field()
    desired = field.validate([{'edition_type': 'windows10Pro', 'support_end_date': '2025-10-14'}])
    assert not field.equal(desired, [{'edition_type': 'windows10Pro', 'support_end_date': '2025-10-15'}])
    assert not field.equal(desired, [])
    assert not field.equal(desired, None)
    # one more item than desired: the list is managed as a whole
    assert not field.equal(desired, [{'edition_type': 'windows10Pro', 'support_end_date': '2025-10-14'},
                                     {'edition_type': 'windows10Education'}])
    # multiplicity counts
    assert not field.equal(desired * 2, [{'edition_type': 'windows10Pro', 'support_end_date': '2025-10-14'}])


# -- strip_annotations / multiset -------------------------------------------------------
def test_strip_annotations_at_every_depth():
    value = {'@odata.context': 'x', 'id': '1', 'a@odata.type': '#x',
             'assignment': {'@odata.type': '#y', 'assignments': [{'@odata.type': '#z', 'groupId': 'g'}]}}
    assert strip_annotations(value) == {'id': '1', 'assignment': {'assignments': [{'groupId': 'g'}]}}
    assert strip_annotations([1, 'a']) == [1, 'a']


def test_multiset_counts_order_insensitive_content():
    first = multiset([{'a': 1, 'b': [2, 1]}, {'a': 1, 'b': [1, 2]}, 'x'])
    second = multiset(['x', {'b': [1, 2], 'a': 1}, {'b': [2, 1], 'a': 1}])
    assert first == second
    assert multiset([{'a': 1}]) != multiset([{'a': 1}, {'a': 1}])
    assert multiset([{'a': 1}]) != multiset([{'a': 2}])
