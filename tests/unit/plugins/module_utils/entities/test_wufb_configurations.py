# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The WUfB profile field table (entities/wufb_configurations.py)."""

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine.assignments import Assignments
from ansible_collections.graphops.intune.plugins.module_utils.entities.wufb_configurations import (
    ACTIVE_HOURS_INSTALL, ODATA_TYPE, SCHEDULED_INSTALL, WUFB_CONFIGURATION)
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError


def params(**given):
    base = dict((option, None) for option in WUFB_CONFIGURATION.field_specs())
    base.update(dict((option, None) for option in Assignments.argument_spec()))
    base.update(device_configuration_id=None, state='present')
    base.update(given)
    return base


# -- the field table -------------------------------------------------------------------------
def test_every_option_is_snake_case_of_its_graph_name():
    import re
    renamed = {'applicability_rule_os_edition', 'applicability_rule_os_version', 'applicability_rule_device_mode'}
    for field in WUFB_CONFIGURATION.fields:
        if field.option in renamed:
            continue
        assert field.option == re.sub(r'(?<!^)(?=[A-Z])', '_', field.graph).lower(), field.graph


def test_read_only_properties_are_not_options():
    graph_names = set(f.graph for f in WUFB_CONFIGURATION.fields)
    for read_only in ('version', 'supportsScopeTags', 'qualityUpdatesPauseStartDate', 'featureUpdatesPauseStartDate',
                      'createdDateTime', 'lastModifiedDateTime', 'id'):
        assert read_only not in graph_names


@pytest.mark.parametrize('option, bad, message', [
    ('quality_updates_deferral_period_in_days', 31, 'between 0 and 30'),
    ('feature_updates_deferral_period_in_days', 366, 'between 0 and 365'),
    ('deadline_grace_period_in_days', -1, 'between 0 and 7'),
    ('engaged_restart_deadline_in_days', 1, 'between 2 and 30'),
    ('engaged_restart_snooze_schedule_in_days', 4, 'between 1 and 3'),
    ('feature_updates_rollback_window_in_days', 61, 'between 2 and 60'),
    ('update_weeks', 'fifthWeek', 'is not one of'),
    ('user_pause_access', 'maybe', 'is not one of'),
])
def test_ranges_and_enums_fail_validation(option, bad, message):
    with pytest.raises(ModuleInputError, match=message):
        WUFB_CONFIGURATION.desired(params(**{option: bad}))


def test_enums_compare_in_any_casing_and_are_sent_in_graphs():
    desired = WUFB_CONFIGURATION.desired(params(automatic_update_mode='AUTOINSTALLATMAINTENANCETIME', update_weeks='EveryWeek'))
    assert WUFB_CONFIGURATION.create_body(desired) == {
        '@odata.type': ODATA_TYPE, 'automaticUpdateMode': 'autoInstallAtMaintenanceTime', 'updateWeeks': 'everyWeek'}
    current = {'automaticUpdateMode': 'autoInstallAtMaintenanceTime', 'updateWeeks': 'everyWeek'}
    assert WUFB_CONFIGURATION.patch(desired, current) == {}


def test_unknown_values_graph_returns_never_fail():
    desired = WUFB_CONFIGURATION.desired(params(update_notification_level='defaultNotifications'))
    patch = WUFB_CONFIGURATION.patch(desired, {'updateNotificationLevel': 'someFutureMember', 'installationSchedule': {'x': 1}})
    assert patch == {'@odata.type': ODATA_TYPE, 'updateNotificationLevel': 'defaultNotifications'}


def test_installation_schedule_variants_and_time_comparison():
    active = WUFB_CONFIGURATION.desired(params(installation_schedule={'active_hours_start': '08:00', 'active_hours_end': '17:00',
                                                                      'scheduled_install_day': None, 'scheduled_install_time': None}))
    body = WUFB_CONFIGURATION.create_body(active)['installationSchedule']
    assert body == {'@odata.type': ACTIVE_HOURS_INSTALL, 'activeHoursStart': '08:00:00', 'activeHoursEnd': '17:00:00'}
    same = {'installationSchedule': {'@odata.type': 'microsoft.graph.windowsUpdateActiveHoursInstall',
                                     'activeHoursStart': '08:00:00.0000000', 'activeHoursEnd': '17:00:00.0000000'}}
    assert WUFB_CONFIGURATION.patch(active, same) == {}
    scheduled = {'installationSchedule': {'@odata.type': SCHEDULED_INSTALL, 'scheduledInstallDay': 'monday',
                                          'scheduledInstallTime': '08:00:00.0000000'}}
    assert 'installationSchedule' in WUFB_CONFIGURATION.patch(active, scheduled)  # other variant: differs
    with pytest.raises(ModuleInputError, match='not both'):
        WUFB_CONFIGURATION.desired(params(installation_schedule={'active_hours_start': '08:00', 'scheduled_install_day': 'monday'}))


def test_instants_and_scope_tags_compare_semantically():
    desired = WUFB_CONFIGURATION.desired(params(quality_updates_pause_expiry_date_time='2025-01-01T01:00:00+01:00',
                                                role_scope_tag_ids=['1', '0']))
    current = {'qualityUpdatesPauseExpiryDateTime': '2025-01-01T00:00:00.0000000Z', 'roleScopeTagIds': ['0', '1']}
    assert WUFB_CONFIGURATION.patch(desired, current) == {}


def test_applicability_rule_compares_only_given_keys():
    desired = WUFB_CONFIGURATION.desired(params(applicability_rule_os_edition={
        'name': None, 'os_edition_types': ['WINDOWS10ENTERPRISE'], 'rule_type': 'include'}))
    current = {'deviceManagementApplicabilityRuleOsEdition': {'@odata.type': 'microsoft.graph.deviceManagementApplicabilityRuleOsEdition',
                                                              'name': 'x', 'osEditionTypes': ['windows10Enterprise'], 'ruleType': 'include'}}
    assert WUFB_CONFIGURATION.patch(desired, current) == {}


def test_update_weeks_is_a_flags_enum_sent_comma_joined_and_compared_as_a_set():
    assert WUFB_CONFIGURATION.field_specs()['update_weeks'] == {'type': 'list', 'elements': 'str'}
    desired = WUFB_CONFIGURATION.desired(params(update_weeks=['THIRDWEEK', 'firstWeek', 'thirdWeek']))
    assert WUFB_CONFIGURATION.create_body(desired)['updateWeeks'] == 'thirdWeek,firstWeek'
    assert WUFB_CONFIGURATION.patch(desired, {'updateWeeks': 'firstWeek,thirdWeek'}) == {}
    assert WUFB_CONFIGURATION.patch(desired, {'updateWeeks': 'firstWeek'}) == {'@odata.type': ODATA_TYPE, 'updateWeeks': 'thirdWeek,firstWeek'}
    # one week as a string, or Graph's comma-joined form, is accepted too
    assert WUFB_CONFIGURATION.desired(params(update_weeks='firstWeek, secondWeek'))['update_weeks'] == ['firstWeek', 'secondWeek']
    with pytest.raises(ModuleInputError, match="update_weeks: 'fifthWeek' is not one of"):
        WUFB_CONFIGURATION.desired(params(update_weeks=['firstWeek', 'fifthWeek']))
    with pytest.raises(ModuleInputError, match='update_weeks: give at least one of'):
        WUFB_CONFIGURATION.desired(params(update_weeks=[]))
    # the filter gives the list back
    assert WUFB_CONFIGURATION.options_of({'updateWeeks': 'firstWeek,thirdWeek'}) == {'update_weeks': ['firstWeek', 'thirdWeek']}
