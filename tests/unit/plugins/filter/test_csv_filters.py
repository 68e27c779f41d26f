# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.graphops.intune.plugins.filter.csv_to_dicts import FilterModule as CsvToDicts
from ansible_collections.graphops.intune.plugins.filter.csv_to_dicts import csv_to_dicts
from ansible_collections.graphops.intune.plugins.filter.dicts_to_csv import FilterModule as DictsToCsv
from ansible_collections.graphops.intune.plugins.filter.dicts_to_csv import dicts_to_csv


def test_filters_are_registered_under_their_names():
    assert CsvToDicts().filters() == {'csv_to_dicts': csv_to_dicts}
    assert DictsToCsv().filters() == {'dicts_to_csv': dicts_to_csv}


def test_rows_keyed_by_header_empty_cells_left_out():
    text = 'device_id,status,quality_update_version\nd1,upToDate,10.0.1\nd2,failed,\n'
    assert csv_to_dicts(text) == [{'device_id': 'd1', 'status': 'upToDate', 'quality_update_version': '10.0.1'},
                                  {'device_id': 'd2', 'status': 'failed'}]


def test_bom_spaces_crlf_blank_lines_and_short_rows():
    text = '\ufeff device_id , status \r\n\r\n  d1 ,  failed  \r\nd2\r\n,\r\n'
    assert csv_to_dicts(text) == [{'device_id': 'd1', 'status': 'failed'}, {'device_id': 'd2'}]
    assert csv_to_dicts(text, keep_empty=True) == [{'device_id': 'd1', 'status': 'failed'}, {'device_id': 'd2', 'status': ''}]


def test_quoting_delimiter_and_bytes():
    text = b'name;note\n"PC-01; lab";"say ""hi""\nsecond line"\n'
    assert csv_to_dicts(text, delimiter=';') == [{'name': 'PC-01; lab', 'note': 'say "hi"\nsecond line'}]


@pytest.mark.parametrize('text', ['', None, '\n\n', '\ufeff'])
def test_nothing_gives_no_row(text):
    assert csv_to_dicts(text) == []


def test_header_only_gives_no_row():
    assert csv_to_dicts('device_id,status\n') == []


@pytest.mark.parametrize('text, message', [
    ('a,b\n1,2,3\n', 'line 2 has 3 cells but the header has 2 columns'),
    ('a,,b\n1,2,3\n', 'column 2 of the header (line 1) has no name'),
    ('a,b,a\n1,2,3\n', "column 'a' appears twice"),
    ('a,b\n"1,2\n', 'line'),
])
def test_malformed_csv_fails_with_the_line(text, message):
    with pytest.raises(AnsibleFilterError, match='csv_to_dicts') as error:
        csv_to_dicts(text)
    assert message in str(error.value)


@pytest.mark.parametrize('data, delimiter', [([], ','), ({'a': 1}, ','), (3, ','), ('a', ';;'), ('a', '')])
def test_bad_arguments(data, delimiter):
    with pytest.raises(AnsibleFilterError):
        csv_to_dicts(data, delimiter=delimiter)


def test_dicts_to_csv_columns_in_order_of_appearance_and_cell_types():
    rows = [{'id': 'r1', 'paused': True, 'days': 5, 'groups': ['g1', 'g2']},
            {'id': 'r2', 'paused': False, 'note': None, 'extra': {'k': 'v'}}]
    assert dicts_to_csv(rows) == ('id,paused,days,groups,note,extra\n'
                                  'r1,true,5,"[""g1"", ""g2""]",,\n'
                                  'r2,false,,,,"{""k"": ""v""}"\n')


def test_dicts_to_csv_given_columns_and_quoting():
    rows = [{'name': 'PC-01, lab', 'status': 'failed', 'ignored': 'x'}, {'name': 'say "hi"'}]
    assert dicts_to_csv(rows, columns=['status', 'name']) == 'status,name\nfailed,"PC-01, lab"\n,"say ""hi"""\n'
    assert dicts_to_csv(rows, columns=['name'], delimiter=';') == 'name\nPC-01, lab\n"say ""hi"""\n'


def test_dicts_to_csv_empty():
    assert dicts_to_csv([]) == ''
    assert dicts_to_csv(None, columns=['a', 'b']) == 'a,b\n'


@pytest.mark.parametrize('rows', ['a,b', {'a': 1}, [1, 2], 3])
def test_dicts_to_csv_rejects_what_is_not_a_list_of_dicts(rows):
    with pytest.raises(AnsibleFilterError):
        dicts_to_csv(rows)


def test_round_trip():
    rows = [{'device_id': 'd1', 'status': 'upToDate', 'device_display_name': 'PC, "01"\nlab'},
            {'device_id': 'd2', 'status': 'failed'}]
    assert csv_to_dicts(dicts_to_csv(rows)) == rows
