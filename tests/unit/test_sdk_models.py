# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every body the collection sends parses in msgraph-beta-sdk's models (Graph's beta metadata, as Microsoft generates it).

For each entity declaration of plugins/module_utils/entities (every module-level Entity), create bodies and the PATCH
body are built from sample values of every field (every member of every enum, each variant of a derived complex type),
and each assignment body from every kind of target; each body is parsed with the SDK's kiota JSON parse node into its
model class (the declaration's @odata.type, or MODELS below). A property the model does not know (it lands in
additional_data), or a value it cannot read (an enum member it does not know reads as None), fails the test.

The SDK is a test dependency only (requirements-sdk.txt, installed by scripts/bootstrap.sh). Without it the test skips,
with the reason, unless CI is set: under CI=true a missing SDK fails.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import pkgutil
import re

import pytest

from ansible_collections.graphops.intune.plugins.module_utils import entities as entities_package
from ansible_collections.graphops.intune.plugins.module_utils.engine import assignments as assignments_module
from ansible_collections.graphops.intune.plugins.module_utils.engine import fields as F
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity

try:
    from kiota_serialization_json.json_parse_node_factory import JsonParseNodeFactory
    importlib.import_module('msgraph_beta.generated.models')
    SDK_ERROR = None
except ImportError as exc:  # pragma: no cover - depends on the environment
    JsonParseNodeFactory = None
    SDK_ERROR = exc

if SDK_ERROR is not None:
    if os.environ.get('CI', '').lower() in ('1', 'true', 'yes'):
        raise ImportError('msgraph-beta-sdk is required under CI (pip install -r requirements-sdk.txt): %s' % SDK_ERROR)
    pytest.skip('msgraph-beta-sdk is not installed (pip install -r requirements-sdk.txt, or scripts/bootstrap.sh); '
                'the bodies cannot be checked against its models: %s' % SDK_ERROR, allow_module_level=True)

# Entities whose bodies carry no @odata.type: the Graph type they are.
MODELS = {
    'device configuration state': 'microsoft.graph.deviceConfigurationState',
    'Windows OS image': 'microsoft.graph.managedDeviceWindowsOperatingSystemImage',
}
GUID = '0b1c2d3e-0000-4000-8000-00000000a001'
TARGETS = [{'@odata.type': assignments_module.GROUP, 'groupId': GUID}, {'@odata.type': assignments_module.EXCLUSION, 'groupId': GUID},
           {'@odata.type': assignments_module.ALL_DEVICES}, {'@odata.type': assignments_module.ALL_USERS}]


def declarations():
    """Every Entity of plugins/module_utils/entities that writes something (it has fields)."""
    found = {}
    for info in pkgutil.iter_modules(entities_package.__path__):
        module = importlib.import_module('%s.%s' % (entities_package.__name__, info.name))
        for value in vars(module).values():
            if isinstance(value, Entity) and value.fields:
                found[value.name] = value
    return [found[name] for name in sorted(found)]


def model_class(type_name):
    """'#microsoft.graph.windowsUpdates.qualityUpdateRing' -> msgraph_beta...models.windows_updates.quality_update_ring.QualityUpdateRing."""
    parts = type_name.lstrip('#').split('.')
    assert parts[:2] == ['microsoft', 'graph'], type_name
    snake = [re.sub(r'([A-Z])', r'_\1', part).lower() for part in parts[2:]]
    module = importlib.import_module('msgraph_beta.generated.models.' + '.'.join(snake))
    name = parts[-1][0].upper() + parts[-1][1:]
    return getattr(module, name)


def future(days=10):
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)).strftime('%Y-%m-%dT%H:%M:%SZ')


def samples(field):
    """Option values exercising the field: every enum member, each variant; values the field refuses are left out."""
    if isinstance(field, F.FlagsEnumField):
        candidates = [[member] for member in field.choices] + [list(field.choices[1:3])]
    elif isinstance(field, F.EnumField):
        candidates = list(field.choices)
    elif isinstance(field, F.ListField):
        inner = samples(field.item) if getattr(field, 'item', None) is not None else ['0']
        candidates = [[value] for value in inner] or [[GUID]]
    elif isinstance(field, F.ObjectsField):
        candidates = [[item] for item in sub_samples(field.fields)]
    elif isinstance(field, F.ObjectField):
        if field.variants:
            candidates = [dict((option, samples(field.by_option[option])[0]) for option in options) for dummy, options in field.variants]
        else:
            candidates = sub_samples(field.fields)
    elif isinstance(field, F.BoolField):
        candidates = [True, False]
    elif isinstance(field, F.IntField):
        low = field.minimum if field.minimum is not None and field.minimum > -2 ** 31 else 0
        candidates = list(field.choices) or [low, field.maximum if field.maximum is not None and field.maximum < 2 ** 31 - 1 else low + 1]
    elif isinstance(field, F.DateTimeField):
        candidates = [future(40 if 'end' in (field.option or '') else 10)]  # an end after its start
    elif isinstance(field, F.DateField):
        candidates = [future()[:10]]
    elif isinstance(field, F.TimeField):
        candidates = ['08:00']
    elif isinstance(field, F.GuidField):
        candidates = [GUID]
    else:
        candidates = ['x']
    valid = []
    for value in candidates:
        try:
            valid.append(field.validate(value, field.option or 'item'))
        except ValueError:
            continue
    return valid


def sub_samples(fields):
    """Complex values: one with the first sample of every sub-field, then one per further sample of each sub-field."""
    first = dict((field.option, samples(field)[0]) for field in fields if samples(field))
    values = [first]
    for field in fields:
        for value in samples(field)[1:]:
            values.append(dict(first, **{field.option: value}))
    return values


def bodies(entity):
    """(label, @odata.type of the model, body) of every body the declaration can send: body k holds the k-th sample of
    every field (cycling), so that every sample is sent once; then the PATCH, then one assignment per kind of target."""
    model = entity.odata_type or MODELS.get(entity.name)
    assert model, 'the entity %r sends bodies without @odata.type: name its Graph type in MODELS' % entity.name
    values = {}
    for field in entity.fields:
        values[field.option] = samples(field)
        assert values[field.option], '%s.%s: no sample value' % (entity.name, field.option)
    count = max(len(found) for found in values.values())
    out = []
    for k in range(count):
        desired = dict((option, found[k % len(found)]) for option, found in values.items())
        out.append(('%s create %d' % (entity.name, k), model, entity.create_body(desired)))
    patch = entity.patch(dict((option, found[0]) for option, found in values.items()), {})
    if patch:
        out.append(('%s patch' % entity.name, model, patch))
    if entity.assignments is not None:
        for item in entity.assignments.body(TARGETS)['assignments']:
            out.append(('%s assignment %s' % (entity.name, item['target']['@odata.type']), entity.assignments.assignment_type, item))
    return out


def all_bodies():
    return [body for entity in declarations() for body in bodies(entity)]


def attribute_of(deserializer):
    """The model attribute a kiota field deserializer sets (lambda n: setattr(self, 'name', ...))."""
    names = [const for const in deserializer.__code__.co_consts if isinstance(const, str)]
    return names[0] if names else None


def unread(model, body, where):
    """What of the JSON body the parsed model does not hold: unknown properties, values read as None, enum members dropped."""
    problems = []
    extra = getattr(model, 'additional_data', None) or {}
    problems.extend('%s.%s: not a property of %s' % (where, key, type(model).__name__) for key in extra)
    deserializers = model.get_field_deserializers()
    for key, value in body.items():
        if key in extra or key not in deserializers or value is None:
            continue
        parsed = getattr(model, attribute_of(deserializers[key]), None)
        path = '%s.%s' % (where, key)
        if parsed is None:
            problems.append('%s: %r could not be read by %s' % (path, value, type(model).__name__))
        elif isinstance(value, dict):
            problems.extend(unread(parsed, value, path))
        elif isinstance(value, list):
            kept = [item for item in parsed if item is not None] if isinstance(parsed, list) else []
            if len(kept) != len(value):
                problems.append('%s: %r read as %r' % (path, value, parsed))
            problems.extend(problem for item, one in zip(value, kept) if isinstance(item, dict) for problem in unread(one, item, path))
        elif isinstance(value, str) and isinstance(parsed, list):  # a flags enum, comma-joined on the wire
            if len(parsed) != len(value.split(',')):
                problems.append('%s: %r read as %r' % (path, value, parsed))
    return problems


def parse(model_type, body):
    node = JsonParseNodeFactory().get_root_parse_node('application/json', json.dumps(body).encode('utf-8'))
    return node.get_object_value(model_class(model_type))


def test_every_declaration_has_bodies_and_a_model():
    names = [entity.name for entity in declarations()]
    assert 'Windows feature update profile' in names and 'Windows quality update profile' in names
    for entity in declarations():
        assert bodies(entity)
        model_class(entity.odata_type or MODELS[entity.name])


@pytest.mark.parametrize('label, model_type, body', all_bodies(), ids=lambda value: value if isinstance(value, str) and ' ' in value else '')
def test_every_body_parses_in_the_sdk_models(label, model_type, body):
    model = parse(model_type, body)
    assert not unread(model, body, label), json.dumps(body)


def test_the_check_catches_an_unknown_property_and_an_unknown_enum_member():
    ring = '#microsoft.graph.windowsUpdates.qualityUpdateRing'
    assert unread(parse(ring, {'@odata.type': ring, 'displayName': 'R', 'deferralDays': 3}), {'displayName': 'R', 'deferralDays': 3}, 'ring') == [
        'ring.deferralDays: not a property of QualityUpdateRing']
    wufb = '#microsoft.graph.windowsUpdateForBusinessConfiguration'
    body = {'@odata.type': wufb, 'automaticUpdateMode': 'sometimes', 'updateWeeks': 'firstWeek,fifthWeek'}
    problems = unread(parse(wufb, body), body, 'wufb')
    assert [problem.split(':')[0] for problem in problems] == ['wufb.automaticUpdateMode', 'wufb.updateWeeks']
