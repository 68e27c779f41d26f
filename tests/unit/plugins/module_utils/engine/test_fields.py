# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The field model (engine/fields.py): validation and wire conversion."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import (
    DateField, DateTimeField, EnumField, GuidField, IntField, ListField, ObjectsField, StrField)

ARCHITECTURES = ('x86', 'x64', 'arm', 'arM64')
EDITIONS = ('windows10Enterprise', 'windows10Education', 'windows10Pro')


def editions_field():
    return ObjectsField('supported_editions', 'supportedEditions', odata_type='#microsoft.graph.windowsOsEdition', fields=[
        EnumField('edition_type', 'editionType', EDITIONS),
        DateField('support_end_date', 'supportEndDate'),
        DateTimeField('checked_at', 'checkedAt'),
    ])


# -- Field.validate ---------------------------------------------------------------------
def test_validate_enum_is_case_insensitive_and_sends_graphs_casing():
    field = EnumField('architecture', 'architecture', ARCHITECTURES)
    assert field.validate('ARM64') == 'arM64'


def test_validate_bad_enum_lists_the_choices():
    field = EnumField('architecture', 'architecture', ARCHITECTURES)
    with pytest.raises(ValueError) as err:
        field.validate('sparc')
    message = str(err.value)
    assert message.startswith('architecture:')
    assert "'sparc'" in message
    for choice in ARCHITECTURES:
        assert choice in message


def test_validate_int_range():
    field = IntField('deferral_in_days', 'deferralInDays', minimum=0, maximum=30)
    assert field.validate(0) == 0
    assert field.validate(30) == 30
    for bad in (31, -1):
        with pytest.raises(ValueError) as err:
            field.validate(bad)
        assert str(err.value) == 'deferral_in_days must be between 0 and 30, got %d' % bad


def test_validate_max_length():
    field = StrField('description', 'description', max_length=1500)
    assert field.validate('x' * 1500) == 'x' * 1500
    with pytest.raises(ValueError) as err:
        field.validate('x' * 1501)
    assert str(err.value) == 'description must be at most 1500 characters, got 1501'


def test_validate_datetime_error_names_the_option_and_the_expected_form():
    field = DateTimeField('last_scan_date_time', 'lastScanDateTime')
    assert field.validate('2016-12-31T23:59:18.0955018-08:00') == '2016-12-31T23:59:18.0955018-08:00'
    with pytest.raises(ValueError) as err:
        field.validate('2016-12-31 23:59')
    message = str(err.value)
    assert message.startswith('last_scan_date_time: ')
    assert '2017-01-01T07:59:18.0955018Z' in message  # shows an example of the right form


def test_validate_date_normalises():
    field = DateField('support_end_date', 'supportEndDate')
    assert field.validate(datetime.date(2025, 10, 14)) == '2025-10-14'
    with pytest.raises(ValueError) as err:
        field.validate('2025-02-30')
    assert str(err.value).startswith('support_end_date: ')


def test_validate_none_is_unset():
    assert IntField('x', 'x', minimum=0, maximum=1).validate(None) is None


def test_validate_list_dedups_in_order():
    field = ListField('included_group_ids', 'x')
    assert field.validate(['b', 'a', 'b', 'c', 'a']) == ['b', 'a', 'c']


def test_validate_guid_list_dedups_case_insensitively():
    field = ListField('included_group_ids', 'x', item=GuidField())
    group = 'A1B2C3D4-0000-4000-8000-00000000000A'
    assert field.validate([group, group.lower()]) == [group]


def test_validate_enum_list_normalises_and_dedups():
    field = ListField('supported_architectures', 'supportedArchitectures', item=EnumField(choices=ARCHITECTURES))
    assert field.validate(['ARM64', 'x64', 'arm64']) == ['arM64', 'x64']
    with pytest.raises(ValueError) as err:
        field.validate(['x64', 'mips'])
    assert 'mips' in str(err.value) and 'arM64' in str(err.value)


def test_validate_objects_normalises_nested_enum_and_date_and_drops_unset():
    field = editions_field()
    value = [
        {'edition_type': 'WINDOWS10PRO', 'support_end_date': datetime.date(2025, 10, 14), 'checked_at': None},
        {'edition_type': 'windows10education', 'support_end_date': None, 'checked_at': None},
    ]
    assert field.validate(value) == [
        {'edition_type': 'windows10Pro', 'support_end_date': '2025-10-14'},
        {'edition_type': 'windows10Education'},
    ]


def test_validate_objects_error_label_points_at_the_item():
    field = editions_field()
    with pytest.raises(ValueError) as err:
        field.validate([{'edition_type': 'windows10Pro'}, {'edition_type': 'windows95'}])
    assert str(err.value).startswith('supported_editions[1].edition_type: ')
    with pytest.raises(ValueError) as err:
        field.validate([{'edition_type': 'windows10Pro', 'support_end_date': '2025-13-01'}])
    assert str(err.value).startswith('supported_editions[0].support_end_date: ')


def test_objects_to_wire_uses_graph_names_and_element_type():
    field = editions_field()
    wire = field.to_wire([{'edition_type': 'windows10Pro', 'support_end_date': '2025-10-14'}])
    assert wire == [{'@odata.type': '#microsoft.graph.windowsOsEdition', 'editionType': 'windows10Pro', 'supportEndDate': '2025-10-14'}]
    assert list(wire[0])[0] == '@odata.type'


def test_objects_from_wire_tolerates_unknown_values_and_drops_nulls():
    field = editions_field()
    current = field.from_wire([{'@odata.type': '#x', 'editionType': 'windows12Future', 'supportEndDate': None, 'other': 1}])
    assert current == [{'edition_type': 'windows12Future'}]
    assert field.from_wire(None) is None


def test_objects_required_sub_options_and_max_items():
    field = ObjectsField('settings', 'settings', required=('kind',), max_items=2, fields=[
        EnumField('kind', 'kind', ('a', 'b')), IntField('days', 'days', minimum=0)])
    spec = field.spec()
    assert spec['options']['kind'] == {'type': 'str', 'required': True} and spec['options']['days'] == {'type': 'int'}
    assert field.validate([{'kind': 'A', 'days': None}]) == [{'kind': 'a'}]
    with pytest.raises(ValueError) as err:
        field.validate([{'kind': 'a'}] * 3)
    assert str(err.value) == 'settings takes at most 2 items, got 3'
