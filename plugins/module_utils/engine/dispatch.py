# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""What a resource module runs: one entity (engine/resource.py), or, for an entity that declares
a list option (Many), many entities at once through engine/bulk.py, from the list, a file, or both.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.engine.bulk import Bulk
from ansible_collections.graphops.intune.plugins.module_utils.engine.items_file import ItemSpec, read_items
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Resource

STATES = ('present', 'absent')


class Many(object):
    """A resource module's list option: items identified by the entity's natural key, reconciled in
    bulk (engine/bulk.py), optionally with purge, and a file of items (CSV or JSON lines).

    option: the list option ('states'); result_key: the bulk result's key ('update_states').
    file_option: the file option ('states_file'), with <file_option>_format; scope_column: the file's
    column naming the scope (rows of another scope are skipped), whose default for rows without it
    is the option default_option (default: the scope option itself).
    """

    def __init__(self, option, result_key, file_option=None, scope_column=None, default_option=None):
        self.option = option
        self.result_key = result_key
        self.file_option = file_option
        self.scope_column = scope_column
        self.default_option = default_option

    def options(self):
        return (self.option, self.file_option) if self.file_option else (self.option,)

    def item_spec(self, entity):
        return dict(entity.field_specs(), **{entity.natural_key: dict(type='str', required=True),
                                             'state': dict(type='str', choices=list(STATES))})

    def argument_spec(self, entity):
        spec = {self.option: dict(type='list', elements='dict', options=self.item_spec(entity))}
        if self.file_option:
            spec[self.file_option] = dict(type='path')
            spec[self.file_option + '_format'] = dict(type='str', default='auto', choices=['auto', 'csv', 'jsonl'])
            if self.default_option:
                spec[self.default_option] = dict(type='str')
        spec.update(purge=dict(type='bool', default=False), max_concurrency=dict(type='int', default=4), max_rate=dict(type='float'))
        return spec

    def constraints(self, entity):
        many = self.options()
        single = [entity.id_option] + sorted(entity.field_specs())
        return dict(mutually_exclusive=[(one, option) for one in many for option in single],
                    required_one_of=[tuple(entity.module_identity) + many],
                    required_if=[('purge', True, many, True)])

    def check(self, params):
        if params['max_concurrency'] < 1 or (params['max_rate'] is not None and params['max_rate'] <= 0):
            raise ModuleInputError('max_concurrency must be 1 or more and max_rate more than 0, got %s and %s' % (
                params['max_concurrency'], params['max_rate']))

    def items_file(self, entity, params):
        """A callable giving the (line, item) pairs of the file, as Bulk reads them."""
        rows = ItemSpec(self.item_spec(entity), choices={'state': STATES}, required=(entity.natural_key,),
                        extra=(self.scope_column,) if self.scope_column else ())
        scope = params[self.scope_column] if self.scope_column else None
        default = params.get(self.default_option) or scope

        def items():
            return read_items(params[self.file_option], rows, params[self.file_option + '_format'],
                              keep=lambda row: not self.scope_column or row.get(self.scope_column, default) == scope)
        return items


def resource_action(module, entity):
    """The callable that applies the task: Resource(...).apply, or Bulk(...).apply for the list option."""
    many, params = entity.many, module.params
    if many is None:
        return Resource(module, entity).apply
    many.check(params)
    if many.file_option and params.get(many.file_option) is not None:
        return Bulk(module, entity, many.option, many.result_key, items_file=many.items_file(entity, params),
                    file_option=many.file_option).apply
    if params.get(many.option) is None:
        return Resource(module, entity).apply
    return Bulk(module, entity, many.option, many.result_key).apply


def apply(module, entity):
    """Apply the task (the result dict): resource_action(module, entity)()."""
    return resource_action(module, entity)()
