# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The executeAction body windows_driver_approval sends parses in msgraph-beta-sdk's request body model, and the driver
enums of entities/windows_driver_update_profiles.py hold every member of the SDK's (Graph's beta metadata).

The SDK is a test dependency only; without it the test skips, unless CI is set (then a missing SDK fails)."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.entities import windows_driver_update_profiles as drivers

try:
    from kiota_serialization_json.json_parse_node_factory import JsonParseNodeFactory
    from msgraph_beta.generated.device_management.windows_driver_update_profiles.item.execute_action import (
        execute_action_post_request_body as execute_action)
    from msgraph_beta.generated.models import (
        driver_approval_action, driver_approval_status, driver_category, driver_update_profile_approval_type)
    SDK_ERROR = None
except ImportError as exc:  # pragma: no cover - depends on the environment
    SDK_ERROR = exc

if SDK_ERROR is not None:
    if os.environ.get('CI', '').lower() in ('1', 'true', 'yes'):
        raise ImportError('msgraph-beta-sdk is required under CI: %s' % SDK_ERROR)
    pytest.skip('msgraph-beta-sdk is not installed: %s' % SDK_ERROR, allow_module_level=True)


@pytest.mark.parametrize('status', sorted(drivers.ACTION_OF))
def test_execute_action_body_parses(status):
    body = drivers.action_body(drivers.ACTION_OF[status], ['7f1e2d3c-0000-4000-8000-00000000d001'],
                               '2026-12-01T00:00:00Z' if status == 'approved' else None)
    node = JsonParseNodeFactory().get_root_parse_node('application/json', json.dumps(body).encode('utf-8'))
    parsed = node.get_object_value(execute_action.ExecuteActionPostRequestBody)
    assert parsed.action_name is not None and parsed.action_name.value == body['actionName']
    assert parsed.driver_ids == body['driverIds'] and not parsed.additional_data
    assert (parsed.deployment_date is not None) == ('deploymentDate' in body)


@pytest.mark.parametrize('ours, sdk', [
    (drivers.ACTIONS, driver_approval_action.DriverApprovalAction),
    (drivers.APPROVAL_STATUSES, driver_approval_status.DriverApprovalStatus),
    (drivers.CATEGORIES, driver_category.DriverCategory),
    (drivers.APPROVAL_TYPES, driver_update_profile_approval_type.DriverUpdateProfileApprovalType),
])
def test_enums_hold_every_member_of_the_metadata(ours, sdk):
    members = [member.value for member in sdk]
    assert set(members) <= set(ours), members
