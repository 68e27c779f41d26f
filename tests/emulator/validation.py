"""OData value conversion: what Graph accepts in a JSON body, and the normalized form it stores and returns."""
from __future__ import annotations

import copy
import datetime
import re

INT32_MIN, INT32_MAX = -(2 ** 31), 2 ** 31 - 1
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1

_DTO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class ValidationError(Exception):
    """A body Graph would answer with 400 BadRequest."""

    def __init__(self, message: str, code: str = "BadRequest"):
        super().__init__(message)
        self.message = message
        self.code = code


def is_guid(value) -> bool:
    return isinstance(value, str) and bool(_GUID.match(value))


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cannot_convert(value, edm: str) -> ValidationError:
    if isinstance(value, (dict, list)):
        node = "StartObject" if isinstance(value, dict) else "StartArray"
        return ValidationError("An unexpected '%s' node was found when reading from the JSON reader. A 'PrimitiveValue' node was expected." % node)
    return ValidationError("Cannot convert the literal '%s' to the expected type '%s'." % (_literal(value), edm))


def parse_datetime_offset(value) -> str:
    """Validate an Edm.DateTimeOffset literal and return it in UTC with 7 fractional digits and 'Z'."""
    if not isinstance(value, str):
        raise _cannot_convert(value, "Edm.DateTimeOffset")
    match = _DTO.match(value)
    if not match:
        raise _cannot_convert(value, "Edm.DateTimeOffset")
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    ticks = int((match.group(7) or "").ljust(7, "0"))
    zone = match.group(8)
    try:
        if zone == "Z":
            tz = datetime.timezone.utc
        else:
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if hours > 14 or minutes > 59 or (hours == 14 and minutes):
                raise ValueError(zone)
            delta = datetime.timedelta(hours=hours, minutes=minutes)
            tz = datetime.timezone(delta if zone[0] == "+" else -delta)
        moment = datetime.datetime(year, month, day, hour, minute, second, ticks // 10, tzinfo=tz)
        moment = moment.astimezone(datetime.timezone.utc)
    except (ValueError, OverflowError):
        raise _cannot_convert(value, "Edm.DateTimeOffset")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d%d" % (moment.microsecond, ticks % 10) + "Z"


def format_datetime(moment: datetime.datetime) -> str:
    """A server-side timestamp in Graph's normalized form."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def parse_date(value) -> str:
    if not isinstance(value, str) or not _DATE.match(value):
        raise _cannot_convert(value, "Edm.Date")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise _cannot_convert(value, "Edm.Date")
    return value


class EdmType:
    """Base of all property types; nullable says whether JSON null is accepted."""

    edm = "Edm.Untyped"
    nullable = True

    def convert(self, value, name: str):
        raise NotImplementedError

    def check(self, value, name: str):
        if value is None:
            if self.nullable:
                return None
            raise ValidationError(
                "A null value was found for the property named '%s', which has the expected type '%s[Nullable=False]'. "
                "The expected type '%s[Nullable=False]' does not allow null values." % (name, self.edm, self.edm)
            )
        return self.convert(value, name)


class String(EdmType):
    edm = "Edm.String"

    def convert(self, value, name):
        if not isinstance(value, str):
            raise _cannot_convert(value, self.edm)
        return value


class Int(EdmType):
    nullable = False

    def __init__(self, bits: int = 32):
        self.edm = "Edm.Int%d" % bits
        self.low, self.high = (INT32_MIN, INT32_MAX) if bits == 32 else (INT64_MIN, INT64_MAX)

    def convert(self, value, name):
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= self.high:
            raise _cannot_convert(value, self.edm)
        return value


class Boolean(EdmType):
    edm = "Edm.Boolean"
    nullable = False

    def convert(self, value, name):
        if not isinstance(value, bool):
            raise _cannot_convert(value, self.edm)
        return value


class DateTimeOffset(EdmType):
    edm = "Edm.DateTimeOffset"

    def convert(self, value, name):
        return parse_datetime_offset(value)


class Date(EdmType):
    edm = "Edm.Date"

    def convert(self, value, name):
        return parse_date(value)


class Enum(EdmType):
    """Enum members are matched exactly (case-sensitive), as Graph's JSON reader does."""

    nullable = False

    def __init__(self, qualified_name: str, members):
        self.edm = qualified_name
        self.members = tuple(members)

    def convert(self, value, name):
        if not isinstance(value, str):
            raise _cannot_convert(value, self.edm)
        if value not in self.members:
            raise ValidationError("Requested value '%s' was not found." % value)
        return value


class Collection(EdmType):
    nullable = False

    def __init__(self, item: EdmType):
        self.item = item
        self.edm = "Collection(%s)" % item.edm

    def convert(self, value, name):
        if not isinstance(value, list):
            raise ValidationError(
                "An unexpected '%s' node was found when reading from the JSON reader. A 'StartArray' node was expected." % _node(value)
            )
        return [self.item.convert(_not_null(entry, self.item), name) for entry in value]


def _node(value) -> str:
    return "StartObject" if isinstance(value, dict) else "PrimitiveValue"


def _not_null(value, item: EdmType):
    if value is None:
        raise ValidationError("A null value was found for a collection item of type '%s', which does not allow null values." % item.edm)
    return value


def odata_type_matches(given, qualified_name: str) -> bool:
    """'#microsoft.graph.x' and 'microsoft.graph.x' both name microsoft.graph.x."""
    return isinstance(given, str) and given.lstrip("#") == qualified_name


def unknown_property(name: str, qualified_name: str) -> ValidationError:
    return ValidationError(
        "The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type "
        "or mark the type as open type." % (name, qualified_name)
    )


class Complex(EdmType):
    """A complex type; stored with its canonical @odata.type and every property (null when absent)."""

    def __init__(self, qualified_name: str, properties: dict, odata_type: str | None = None, checks=(), defaults=None, omit_empty=()):
        self.edm = qualified_name
        self.properties = properties
        self.odata_type = odata_type or "#" + qualified_name
        self.checks = tuple(checks)
        self.defaults = dict(defaults or {})
        self.omit_empty = tuple(omit_empty)

    def convert(self, value, name):
        if not isinstance(value, dict):
            raise ValidationError(
                "An unexpected '%s' node was found when reading from the JSON reader. A 'StartObject' node was expected." % _node(value)
            )
        result = {"@odata.type": self.odata_type}
        for key, item in value.items():
            if key == "@odata.type":
                if not odata_type_matches(item, self.edm):
                    raise ValidationError("A type named '%s' could not be resolved by the model; expected '%s'." % (item, self.edm))
                continue
            if key.startswith("@") or "@odata." in key:
                continue
            if key not in self.properties:
                raise unknown_property(key, self.edm)
            result[key] = self.properties[key].check(item, key)
        for key, prop in self.properties.items():
            result.setdefault(key, self.defaults.get(key, _default(prop)))
        for check in self.checks:
            check(result)
        for key in self.omit_empty:
            if not result.get(key):
                result.pop(key, None)
        return result

    def empty(self) -> dict:
        return self.convert({}, "")


def _default(prop: EdmType):
    if isinstance(prop, Collection):
        return []
    return None


class EntityType:
    """An entity type: its properties, which of them the server owns, and what a create must carry."""

    def __init__(self, qualified_name: str, properties: dict, *, server_fields=("id",), required=(), defaults=None,
                 checks=(), create_types=None, base_types=(), strict=True, timestamps=False):
        self.qualified_name = qualified_name
        self.odata_type = "#" + qualified_name
        self.properties = properties
        self.server_fields = tuple(server_fields)
        self.required = tuple(required)
        self.defaults = dict(defaults or {})
        self.checks = tuple(checks)
        # create_types: the @odata.type values a POST may (and then must) name; None = optional, this type only.
        self.create_types = create_types
        self.base_types = tuple(base_types)
        self.strict = strict
        self.timestamps = timestamps

    def property_names(self) -> set:
        return set(self.properties) | set(self.server_fields)

    def _check_type_annotation(self, body: dict, creating: bool):
        given = body.get("@odata.type")
        if given is None:
            if creating and self.create_types:
                raise ValidationError(
                    "Cannot create an instance of the abstract type '%s': the request body must carry an '@odata.type' "
                    "naming a derived type, e.g. '#%s'." % (self.base_types[0] if self.base_types else self.qualified_name, self.qualified_name)
                )
            return
        if creating and self.create_types:
            allowed = self.create_types
        else:
            allowed = (self.qualified_name,) + self.base_types
        if not any(odata_type_matches(given, name) for name in allowed):
            raise ValidationError(
                "A type named '%s' is not compatible with the expected type '%s'." % (given, self.qualified_name)
            )

    def parse(self, body, creating: bool) -> dict:
        """Validate a POST/PATCH body; returns only the writable properties it set, converted."""
        if not isinstance(body, dict):
            raise ValidationError("The request body must be a JSON object representing a '%s'." % self.qualified_name)
        self._check_type_annotation(body, creating)
        changes = {}
        for key, value in body.items():
            if key.startswith("@") or "@odata." in key:
                continue
            if key in self.server_fields:
                continue  # Graph ignores the key and server-owned fields in a body
            if key not in self.properties:
                raise unknown_property(key, self.qualified_name)
            changes[key] = self.properties[key].check(value, key)
        if creating:
            for key in self.required:
                if changes.get(key) in (None, ""):
                    raise ValidationError("The %s property is required when creating a %s." % (key, self.qualified_name.rsplit(".", 1)[-1]))
        return changes

    def validate_entity(self, entity: dict):
        for check in self.checks:
            check(entity)

    def new_entity(self, changes: dict) -> dict:
        entity = {"@odata.type": self.odata_type}
        for key, prop in self.properties.items():
            if key in changes:
                entity[key] = changes[key]
            elif key in self.defaults:
                entity[key] = copy.deepcopy(self.defaults[key])
            else:
                entity[key] = _default(prop)
        return entity

    def from_seed(self, data: dict) -> dict:
        """Seed entities go through the same conversion as a POST, keeping their id and server fields."""
        if not self.strict:
            entity = {"@odata.type": data.get("@odata.type") or self.odata_type}
            for key, value in data.items():
                if key != "@odata.type":
                    entity[key] = parse_datetime_offset(value) if key.endswith("DateTime") and isinstance(value, str) else value
            return entity
        server = {k: data[k] for k in self.server_fields if k in data}
        body = {k: v for k, v in data.items() if k not in self.server_fields}
        entity = self.new_entity(self.parse(body, creating=False))
        for key, value in server.items():
            entity[key] = parse_datetime_offset(value) if key.endswith("DateTime") else value
        self.validate_entity(entity)
        return entity


def max_length(prop: str, limit: int):
    def check(entity):
        value = entity.get(prop)
        if isinstance(value, str) and len(value) > limit:
            raise ValidationError("The length of %s must not exceed %d characters." % (prop, limit))
    return check


def int_range(prop: str, low: int, high: int):
    def check(entity):
        value = entity.get(prop)
        if isinstance(value, int) and not low <= value <= high:
            raise ValidationError("The value of %s must be between %d and %d." % (prop, low, high))
    return check


def not_empty(prop: str):
    def check(entity):
        if entity.get(prop) == "" or (isinstance(entity.get(prop), str) and not entity[prop].strip()):
            raise ValidationError("The value of %s must not be empty." % prop)
    return check


class Derived(EdmType):
    """A property typed as an abstract complex type: the value's @odata.type picks one of its derived types."""

    nullable = True

    def __init__(self, qualified_name: str, derived):
        self.edm = qualified_name
        self.derived = tuple(derived)

    def convert(self, value, name):
        if not isinstance(value, dict):
            raise ValidationError(
                "An unexpected '%s' node was found when reading from the JSON reader. A 'StartObject' node was expected." % _node(value)
            )
        given = value.get("@odata.type")
        for complex_type in self.derived:
            if odata_type_matches(given, complex_type.edm):
                return complex_type.convert(value, name)
        if given is None:
            raise ValidationError(
                "Cannot create an instance of the abstract type '%s': the value of '%s' must carry an '@odata.type' naming a "
                "derived type, e.g. '#%s'." % (self.edm, name, self.derived[0].edm)
            )
        raise ValidationError("A type named '%s' is not compatible with the expected type '%s'." % (given, self.edm))


# --- Intune device configurations (windowsUpdateForBusinessConfiguration) ---------------------------------------
_TIME_OF_DAY = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$")


class TimeOfDay(EdmType):
    """Edm.TimeOfDay 'hh:mm[:ss[.fffffff]]', stored and returned as hh:mm:ss.fffffff."""

    edm = "Edm.TimeOfDay"

    def convert(self, value, name):
        match = _TIME_OF_DAY.match(value) if isinstance(value, str) else None
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59 or int(match.group(3) or 0) > 59:
            raise _cannot_convert(value, self.edm)
        return "%s:%s:%02d.%s" % (match.group(1), match.group(2), int(match.group(3) or 0), (match.group(4) or "").ljust(7, "0"))


class NullableInt(Int):
    nullable = True


def int_choices(prop: str, values: tuple):
    def check(entity):
        value = entity.get(prop)
        if value is not None and value not in values:
            raise ValidationError("The value of %s must be one of %s." % (prop, ", ".join(str(v) for v in values)))
    return check


class Flags(Enum):
    """A flags enum (IsFlags in the metadata): several members comma-joined, 'firstWeek,thirdWeek'; stored and returned
    in the order the metadata declares them, as Graph serializes a flags value."""

    def convert(self, value, name):
        if not isinstance(value, str):
            raise _cannot_convert(value, self.edm)
        given = [part.strip() for part in value.split(",")]
        for member in given:
            if member not in self.members:
                raise ValidationError("Requested value '%s' was not found." % member)
        return ",".join(member for member in self.members if member in given)


class Double(EdmType):
    edm = "Edm.Double"

    def convert(self, value, name):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("Cannot convert the literal '%s' to the expected type 'Edm.Double'." % (value,))
        return value


class Nullable(EdmType):
    """Seeds may leave a non-nullable property out; it is then returned as null, as a partial seed would be."""

    def __init__(self, inner):
        self.inner, self.edm = inner, inner.edm

    def convert(self, value, name):
        return self.inner.check(value, name)


class Untyped(EdmType):
    """A complex or collection property the emulator keeps as given (never written by the modules)."""

    def convert(self, value, name):
        return value
