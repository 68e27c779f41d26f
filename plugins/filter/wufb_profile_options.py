# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: wufb_profile_options
short_description: Turn an Intune update ring profile as Graph returns it into the options that declare it
version_added: 0.2.0
author:
  - graphops.intune maintainers (@graphops)
description:
  - Turns a Windows Update for Business profile (C(windowsUpdateForBusinessConfiguration)) as
    M(graphops.intune.windows_update_for_business_configuration_info) returns it (camelCase, with C(assignments) when
    read with C(include_assignments=true)) into the snake_case options of
    M(graphops.intune.windows_update_for_business_configuration) and of the role C(graphops.intune.wufb_profiles).
  - Declaring the result again changes nothing. Properties Graph has no value for (null) are left out, and so are
    read-only ones (C(id), C(version), timestamps, pause start dates).
  - Assignments become the options C(included_group_ids), C(excluded_group_ids),
    C(all_devices), C(all_users)) only when the profile carries C(assignments); targets of other kinds are not
    options and are kept by the module as they are.
options:
  _input:
    description: The profile, as Graph returns it.
    type: dict
    required: true
seealso:
  - module: graphops.intune.windows_update_for_business_configuration_info
'''

EXAMPLES = r'''
- name: Read the profiles with their assignments
  graphops.intune.windows_update_for_business_configuration_info:
    include_assignments: true
  register: read

- name: The same profiles as role variables
  ansible.builtin.copy:
    dest: wufb-profiles.yml
    content: "{{ {'wufb_profiles_profiles': read.configurations | map('graphops.intune.wufb_profile_options') | list} | to_nice_yaml }}"
    mode: '0644'
'''

RETURN = r'''
_value:
  description: The options, for example C({display_name, quality_updates_deferral_period_in_days, included_group_ids, ...}).
  type: dict
'''

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.graphops.intune.plugins.module_utils.entities.wufb_configurations import WUFB_CONFIGURATION


def wufb_profile_options(profile):
    """Graph's profile -> the module's options; see DOCUMENTATION."""
    if not isinstance(profile, Mapping):
        raise AnsibleFilterError('wufb_profile_options: expected a profile (a dict), got %s' % type(profile).__name__)
    return WUFB_CONFIGURATION.options_of(profile)


class FilterModule(object):
    def filters(self):
        return {'wufb_profile_options': wufb_profile_options}
