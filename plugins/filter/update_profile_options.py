# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: update_profile_options
short_description: Turn an Intune Windows update profile as Graph returns it into the options that declare it
version_added: 0.3.0
author:
  - graphops.intune maintainers (@graphops)
description:
  - Turns a feature update profile, an expedite profile (quality update profile) or a hotpatch policy (quality update
    policy), as its C(_info) module returns it (camelCase, with C(assignments) when read with C(include_assignments=true)),
    into the snake_case options of its module and of the role C(graphops.intune.update_profiles).
  - Declaring the result again changes nothing. Properties Graph has no value for (null) are left out, and so are
    read-only ones (C(id), timestamps, C(endOfSupportDate), C(deployableContentDisplayName), C(releaseDateDisplayName)).
  - Assignments become the options C(included_group_ids), C(excluded_group_ids), C(all_devices), C(all_users) only when
    the profile carries C(assignments).
options:
  _input:
    description: The profile, as Graph returns it.
    type: dict
    required: true
  kind:
    description:
      - What the profile is.
      - V(feature) for M(graphops.intune.windows_feature_update_profile), V(expedite) for
        M(graphops.intune.windows_quality_update_profile), V(hotpatch) for M(graphops.intune.windows_quality_update_policy).
    type: str
    required: true
    choices: [feature, expedite, hotpatch]
seealso:
  - module: graphops.intune.windows_feature_update_profile_info
  - module: graphops.intune.windows_quality_update_profile_info
  - module: graphops.intune.windows_quality_update_policy_info
'''

EXAMPLES = r'''
- name: Read the feature update profiles with their assignments
  graphops.intune.windows_feature_update_profile_info:
    include_assignments: true
  register: read

- name: The same profiles as role variables
  ansible.builtin.copy:
    dest: feature-profiles.yml
    content: "{{ {'update_profiles_feature': read.profiles | map('graphops.intune.update_profile_options', 'feature') | list} | to_nice_yaml }}"
    mode: '0644'
'''

RETURN = r'''
_value:
  description: The options, for example C({display_name, feature_update_version, rollout, included_group_ids, ...}).
  type: dict
'''

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_feature_update_profiles import FEATURE_UPDATE_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_quality_update_policies import QUALITY_UPDATE_POLICY
from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_quality_update_profiles import QUALITY_UPDATE_PROFILE

KINDS = {
    'feature': FEATURE_UPDATE_PROFILE,
    'expedite': QUALITY_UPDATE_PROFILE,
    'hotpatch': QUALITY_UPDATE_POLICY,
}


def update_profile_options(profile, kind):
    """Graph's profile -> the module's options; see DOCUMENTATION."""
    if kind not in KINDS:
        raise AnsibleFilterError('update_profile_options: kind must be one of %s, got %r' % (', '.join(sorted(KINDS)), kind))
    if not isinstance(profile, Mapping):
        raise AnsibleFilterError('update_profile_options: expected a profile (a dict), got %s' % type(profile).__name__)
    return KINDS[kind].options_of(profile)


class FilterModule(object):
    def filters(self):
        return {'update_profile_options': update_profile_options}
