# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The feature and quality (expedite) update profile declarations (entities/windows_feature_update_profiles.py,
entities/windows_quality_update_profiles.py), and the engine parts they brought: fields within a complex property,
Entity.resolve, Assignments.unsupported."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.entities import windows_quality_update_profiles as quality
from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_feature_update_profiles import FEATURE_UPDATE_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_quality_update_profiles import QUALITY_UPDATE_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

FEATURE = FEATURE_UPDATE_PROFILE
QUALITY = QUALITY_UPDATE_PROFILE
ROLLOUT_TYPE = '#microsoft.graph.windowsUpdateRolloutSettings'
SETTINGS_TYPE = '#microsoft.graph.expeditedWindowsQualityUpdateSettings'
NO_ROLLOUT = {'offer_start': None, 'offer_end': None, 'offer_interval_in_days': None}


def params(entity, **given):
    base = dict((option, None) for option in entity.argument_spec())
    base.update(state='present', on_duplicate='fail')
    base.update(given)
    return base


def rollout(**given):
    return dict(NO_ROLLOUT, **given)


def day(offset):
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=offset)).strftime('%Y-%m-%d')


def test_the_module_options_come_from_the_declarations():
    assignment_options = {'included_group_ids', 'excluded_group_ids', 'all_devices', 'all_users'}
    assert set(FEATURE.argument_spec()) == {
        'profile_id', 'display_name', 'description', 'feature_update_version', 'rollout', 'install_feature_updates_optional',
        'install_latest_windows10_on_windows11_ineligible_device', 'role_scope_tag_ids', 'state', 'on_duplicate'} | assignment_options
    assert set(QUALITY.argument_spec()) == {
        'profile_id', 'display_name', 'description', 'quality_update_release', 'days_until_forced_reboot', 'role_scope_tag_ids',
        'state', 'on_duplicate'} | assignment_options
    assert set(FEATURE.info_argument_spec()) == {'profile_id', 'display_name', 'feature_update_version', 'include_assignments'}
    assert set(QUALITY.info_argument_spec()) == {'profile_id', 'display_name', 'include_assignments'}
    # Graph refuses $filter on feature profiles: the natural key is matched on the listed names
    assert FEATURE.list_query == {} and QUALITY.list_query == {}


def test_feature_create_body_sends_the_rollout_whole():
    desired = FEATURE.desired(params(FEATURE, display_name='24H2', feature_update_version='Windows 11, version 24H2',
                                     rollout=rollout(offer_start='2030-01-06')))
    assert FEATURE.create_body(desired) == {
        '@odata.type': '#microsoft.graph.windowsFeatureUpdateProfile', 'displayName': '24H2',
        'featureUpdateVersion': 'Windows 11, version 24H2',
        'rolloutSettings': {'@odata.type': ROLLOUT_TYPE, 'offerStartDateTimeInUTC': '2030-01-06T00:00:00Z',
                            'offerEndDateTimeInUTC': None, 'offerIntervalInDays': None}}


def test_feature_rollout_compares_whole_and_as_instants():
    current = {'featureUpdateVersion': 'Windows 11, version 24H2',
               'rolloutSettings': {'offerStartDateTimeInUTC': '2030-01-06T00:00:00.0000000Z', 'offerEndDateTimeInUTC': None,
                                   'offerIntervalInDays': None}}
    same = FEATURE.desired(params(FEATURE, feature_update_version='WINDOWS 11, VERSION 24H2', rollout=rollout(offer_start='2030-01-06')))
    assert FEATURE.patch(same, current) == {}
    asap = FEATURE.desired(params(FEATURE, rollout=rollout()))
    assert FEATURE.patch(asap, current) == {'rolloutSettings': {'@odata.type': ROLLOUT_TYPE, 'offerStartDateTimeInUTC': None,
                                                                'offerEndDateTimeInUTC': None, 'offerIntervalInDays': None}}


@pytest.mark.parametrize('value, message', [
    (rollout(offer_start='2030-01-01', offer_end='2030-02-01'), 'needs offer_start, offer_end and offer_interval_in_days together'),
    (rollout(offer_end='2030-02-01', offer_interval_in_days=3), 'needs offer_start, offer_end and offer_interval_in_days together'),
    (rollout(offer_start='2030-02-01', offer_end='2030-01-01', offer_interval_in_days=3), 'must be after offer_start'),
    (rollout(offer_start='2030-01-01', offer_end='2030-02-01', offer_interval_in_days=0), 'offer_interval_in_days must be between 1'),
    (rollout(offer_start='tomorrow'), 'rollout.offer_start'),
])
def test_bad_rollouts_fail_before_any_request(value, message):
    with pytest.raises(ModuleInputError) as err:
        FEATURE.desired(params(FEATURE, rollout=value))
    assert message in str(err.value)


def test_a_gradual_rollout_is_checked_against_the_clock_only_when_written():
    soon = FEATURE.desired(params(FEATURE, rollout=rollout(offer_start=day(1), offer_end=day(20), offer_interval_in_days=3)))
    with pytest.raises(ModuleInputError, match='at least two days from now'):
        FEATURE.create_body(soon)
    started = {'rolloutSettings': {'offerStartDateTimeInUTC': day(1) + 'T00:00:00Z', 'offerEndDateTimeInUTC': day(20) + 'T00:00:00Z',
                                   'offerIntervalInDays': 3}}
    assert FEATURE.patch(soon, started) == {}
    later = FEATURE.desired(params(FEATURE, rollout=rollout(offer_start=day(3), offer_end=day(20), offer_interval_in_days=3)))
    assert FEATURE.create_body(later)['rolloutSettings']['offerIntervalInDays'] == 3


def test_windows10_fallback_true_is_refused_false_accepted():
    with pytest.raises(ModuleInputError, match='Graph no longer accepts true'):
        FEATURE.desired(params(FEATURE, install_latest_windows10_on_windows11_ineligible_device=True))
    desired = FEATURE.desired(params(FEATURE, install_latest_windows10_on_windows11_ineligible_device=False))
    assert FEATURE.create_body(desired)['installLatestWindows10OnWindows11IneligibleDevice'] is False


@pytest.mark.parametrize('entity', [FEATURE, QUALITY])
def test_profiles_are_assigned_to_groups_only(entity):
    with pytest.raises(ModuleInputError, match='all_devices: Intune assigns this profile to Microsoft Entra groups only'):
        entity.assignments.wanted(params(entity, all_devices=True))
    assert entity.assignments.wanted(params(entity, all_devices=False, excluded_group_ids=['0b1c2d3e-0000-4000-8000-00000000a001'])) == {
        'all_devices': False, 'excluded_group_ids': ['0b1c2d3e-0000-4000-8000-00000000a001']}


def test_quality_settings_are_one_complex_value_sent_whole():
    desired = QUALITY.desired(params(QUALITY, display_name='Expedite', quality_update_release='2024-04-09', days_until_forced_reboot=1))
    assert QUALITY.create_body(desired) == {
        '@odata.type': '#microsoft.graph.windowsQualityUpdateProfile', 'displayName': 'Expedite',
        'expeditedUpdateSettings': {'@odata.type': SETTINGS_TYPE, 'qualityUpdateRelease': '2024-04-09T00:00:00Z', 'daysUntilForcedReboot': 1}}
    settings = {'qualityUpdateRelease': '2024-04-09T00:00:00.0000000Z', 'daysUntilForcedReboot': 1}
    current = {'displayName': 'Expedite', 'expeditedUpdateSettings': settings}
    assert QUALITY.patch(desired, current) == {}
    reboot = QUALITY.desired(params(QUALITY, days_until_forced_reboot=2))
    assert QUALITY.patch(reboot, current) == {'expeditedUpdateSettings': {
        '@odata.type': SETTINGS_TYPE, 'qualityUpdateRelease': '2024-04-09T00:00:00.0000000Z', 'daysUntilForcedReboot': 2}}
    assert QUALITY.options_of(current) == {'display_name': 'Expedite', 'quality_update_release': '2024-04-09T00:00:00.0000000Z',
                                           'days_until_forced_reboot': 1}


@pytest.mark.parametrize('given, message', [
    (dict(days_until_forced_reboot=3), 'days_until_forced_reboot must be between 0 and 2, got 3'),
    (dict(quality_update_release='newest'), "'newest' is neither a release date"),
])
def test_bad_quality_values_fail_before_any_request(given, message):
    with pytest.raises(ModuleInputError) as err:
        QUALITY.desired(params(QUALITY, **given))
    assert message in str(err.value)


class Catalog(object):
    """A client whose catalog holds the given entries (the isof() query is the catalog's own)."""

    def __init__(self, entries):
        self.entries = entries
        self.queries = []

    def get_all(self, path, query=None):
        self.queries.append((path, query))
        return list(self.entries)


def entry(entry_id, released, classification='security', kind='qualityUpdateCatalogEntry'):
    return {'@odata.type': '#microsoft.graph.windowsUpdates.' + kind, 'id': entry_id, 'releaseDateTime': released,
            'qualityUpdateClassification': classification}


def test_latest_security_resolves_through_the_catalog_logic():
    client = Catalog([entry('feb', '2024-02-13T00:00:00Z'), entry('oob', '2024-03-21T17:00:00-07:00'),
                      entry('d', '2024-03-26T00:00:00Z', classification='nonSecurity')])
    desired = QUALITY.desired(params(QUALITY, quality_update_release='LATEST_SECURITY', days_until_forced_reboot=0))
    resolved_desired, resolved = QUALITY.resolve(client, desired)
    # the out-of-band release of 21 March 17:00 (UTC-7) is the 22nd in UTC
    assert resolved_desired == {'quality_update_release': '2024-03-22T00:00:00Z', 'days_until_forced_reboot': 0}
    assert resolved['quality_update_release']['from'] == 'latest_security'
    assert resolved['quality_update_release']['catalog_entry']['id'] == 'oob'
    assert client.queries == [('/admin/windows/updates/catalog/entries',
                               {'$filter': "isof('microsoft.graph.windowsUpdates.qualityUpdateCatalogEntry')"})]
    # a given release is not looked up
    given = QUALITY.desired(params(QUALITY, quality_update_release='2024-04-09'))
    assert QUALITY.resolve(Catalog([]), given) == (given, None)
    with pytest.raises(ModuleInputError, match='holds no security quality update'):
        quality.resolve_release(Catalog([entry('d', '2024-03-26T00:00:00Z', classification='nonSecurity')]), desired)
