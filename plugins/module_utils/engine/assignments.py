# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Intune assignments as desired state: read through {item}/assignments, compared as a set
of targets, written with one POST {item}/assign only when the set differs.

Any Intune profile whose assignments follow this pattern (deviceConfigurations,
deviceCompliancePolicies, windowsQualityUpdatePolicies, ...) declares it on its Entity:
Entity(..., assignments=Assignments(<assignment @odata.type>)); the resource module then
offers the assignment options (engine/resource.py applies them after the entity) and the
_info module include_assignments.

`assign` replaces the whole set, so the body always carries every target that must remain.
Options left unset are not managed: only the kinds of target the task names are replaced;
targets of other kinds (and targets Graph knows that this module has no option for, such as
a Configuration Manager collection) are kept as they are, with their assignment filters.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import check_guid
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import clean
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError, ModuleInputError

GROUP = '#microsoft.graph.groupAssignmentTarget'
EXCLUSION = '#microsoft.graph.exclusionGroupAssignmentTarget'
ALL_DEVICES = '#microsoft.graph.allDevicesAssignmentTarget'
ALL_USERS = '#microsoft.graph.allLicensedUsersAssignmentTarget'

# option -> (target @odata.type, whether the option is a list of group ids)
OPTIONS = (
    ('included_group_ids', GROUP, True),
    ('excluded_group_ids', EXCLUSION, True),
    ('all_devices', ALL_DEVICES, False),
    ('all_users', ALL_USERS, False),
)


def is_guid(value):
    try:
        check_guid(value, '')
    except ValueError:
        return False
    return True


def target_type(target):
    """'#microsoft.graph.groupAssignmentTarget' for any spelling Graph uses (with or without '#')."""
    name = str((target or {}).get('@odata.type') or '')
    return '#' + name.lstrip('#') if name else ''


def target_key(target):
    """Two targets are the same assignment when their type and group agree (case-insensitive)."""
    group = (target or {}).get('groupId') or (target or {}).get('collectionId')
    return (target_type(target).lower(), group.lower() if isinstance(group, str) else None)


class Assignments(object):
    """The assignment options of a profile type and their wire form.

    assignment_type: the @odata.type of one assignment, e.g. #microsoft.graph.deviceConfigurationAssignment.
    unsupported: {option: why} for the kinds of target the type cannot be assigned to (feature update profiles
      take groups only): the option set to a true value fails with the reason, before any request.
    """

    def __init__(self, assignment_type, assignments_segment='assignments', assign_segment='assign', unsupported=None):
        self.assignment_type = assignment_type
        self.assignments_segment = assignments_segment
        self.assign_segment = assign_segment
        self.unsupported = dict(unsupported or {})

    @staticmethod
    def argument_spec():
        return dict(
            included_group_ids=dict(type='list', elements='str'),
            excluded_group_ids=dict(type='list', elements='str'),
            all_devices=dict(type='bool'),
            all_users=dict(type='bool'),
        )

    # -- desired -----------------------------------------------------------------------
    def wanted(self, params):
        """desired(params) for this type: a kind of target it does not take fails first (ModuleInputError)."""
        refused = ['%s: %s' % (option, why) for option, why in sorted(self.unsupported.items()) if params.get(option)]
        if refused:
            raise ModuleInputError('; '.join(refused))
        return self.desired(params)

    @staticmethod
    def desired(params):
        """{option: value} for the assignment options the task sets; None when it sets none.

        Raises ModuleInputError for a group id that is not a GUID (before any request).
        """
        given = {}
        errors = []
        for option, kind, is_list in OPTIONS:
            value = params.get(option)
            if value is None:
                continue
            if is_list:
                bad = [item for item in value if not is_guid(item)]
                if bad:
                    errors.extend('%s: %r is not a GUID (a Microsoft Entra group object ID)' % (option, item) for item in bad)
                    continue
                seen, ids = set(), []
                for item in value:
                    if item.lower() not in seen:
                        seen.add(item.lower())
                        ids.append(item)
                value = ids
            given[option] = value
        if errors:
            raise ModuleInputError('; '.join(errors))
        included = set(item.lower() for item in given.get('included_group_ids') or ())
        both = [item for item in given.get('excluded_group_ids') or () if item.lower() in included]
        if both:
            raise ModuleInputError('a group cannot be both included and excluded: %s' % ', '.join(both))
        return given or None

    @staticmethod
    def targets(desired, current_targets):
        """The whole target list the profile must end with: current targets of the kinds the task
        does not name, kept as they are, plus the named kinds as the task gives them (existing
        targets reused, so their assignment filters survive)."""
        managed = set(kind.lower() for option, kind, _list in OPTIONS if option in desired)
        by_key = dict((target_key(target), target) for target in current_targets)
        wanted = [target for target in current_targets if target_type(target).lower() not in managed]
        for option, kind, is_list in OPTIONS:
            if option not in desired:
                continue
            if is_list:
                for group_id in desired[option]:
                    wanted.append(by_key.get((kind.lower(), group_id.lower())) or {'@odata.type': kind, 'groupId': group_id})
            elif desired[option]:
                wanted.append(by_key.get((kind.lower(), None)) or {'@odata.type': kind})
        return wanted

    @staticmethod
    def differ(wanted, current_targets):
        return set(target_key(t) for t in wanted) != set(target_key(t) for t in current_targets) or len(wanted) != len(current_targets)

    # -- wire ----------------------------------------------------------------------------
    def read(self, client, item_path):
        """The current assignments (GET {item}/assignments, all pages)."""
        items = client.get_all(item_path + '/' + self.assignments_segment)
        if not all(isinstance(item, dict) for item in items):
            raise GraphError(200, 'UnexpectedResponse', 'the assignments Graph returned are not objects', method='GET',
                             url='%s/%s' % (item_path, self.assignments_segment))
        return items

    @staticmethod
    def current_targets(assignments):
        return [item.get('target') for item in assignments if isinstance(item.get('target'), dict)]

    def body(self, wanted):
        assignments = []
        for target in wanted:
            wire = dict((k, v) for k, v in target.items() if v is not None)
            wire['@odata.type'] = target_type(target)
            assignments.append({'@odata.type': self.assignment_type, 'target': wire})
        return {'assignments': assignments}

    def assign(self, client, item_path, wanted):
        return client.post(item_path + '/' + self.assign_segment, self.body(wanted))

    @staticmethod
    def summary(targets):
        """The targets as the options name them, for diff and results."""
        out = {'included_group_ids': [], 'excluded_group_ids': [], 'all_devices': False, 'all_users': False, 'other': []}
        for target in targets:
            kind = target_type(target).lower()
            if kind == GROUP.lower():
                out['included_group_ids'].append(target.get('groupId'))
            elif kind == EXCLUSION.lower():
                out['excluded_group_ids'].append(target.get('groupId'))
            elif kind == ALL_DEVICES.lower():
                out['all_devices'] = True
            elif kind == ALL_USERS.lower():
                out['all_users'] = True
            else:
                out['other'].append(clean(target))
        out['included_group_ids'].sort(key=lambda g: str(g).lower())
        out['excluded_group_ids'].sort(key=lambda g: str(g).lower())
        if not out['other']:
            del out['other']
        return out

    @staticmethod
    def options_of(assignments):
        """Graph's assignments -> the options that declare them (targets of other kinds are not options)."""
        summary = Assignments.summary(Assignments.current_targets([item for item in assignments if isinstance(item, Mapping)]))
        summary.pop('other', None)
        return summary
