"""OData query options on lists ($filter, $select, $orderby, $top, $skip, $skiptoken, $count), paging and context URLs."""
from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote, unquote_plus

from .validation import ValidationError

SUPPORTED = ("$filter", "$select", "$orderby", "$top", "$skip", "$skiptoken", "$count")
_CLAUSE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s+eq\s+('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|null)\s*")
_AND = re.compile(r"and(?=\s)")
# isof('microsoft.graph.x') / isof(microsoft.graph.x): the entity is of that type or derives from it.
_ISOF = re.compile(r"\s*isof\(\s*('?)(#?[A-Za-z_][A-Za-z0-9_.]*)\1\s*\)\s*")
ISOF = "@isof"


def _no_property(name: str, etype) -> ValidationError:
    return ValidationError("Could not find a property named '%s' on type '%s'." % (name, etype.qualified_name))


def _literal(text: str):
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    return float(text) if "." in text else int(text)


def parse_filter(text: str, etype) -> list:
    """`prop eq literal` clauses joined by `and`; anything else is a 400."""
    clauses, pos = [], 0
    while True:
        isof = _ISOF.match(text, pos)
        match = isof or _CLAUSE.match(text, pos)
        if isof:
            clauses.append((ISOF, isof.group(2).lstrip("#")))
            pos = isof.end()
            if pos == len(text):
                return clauses
            joiner = _AND.match(text, pos)
            if not joiner:
                raise ValidationError("Invalid filter clause: expected 'and' at position %d of '%s'." % (pos, text))
            pos = joiner.end()
            continue
        if not match:
            raise ValidationError("Invalid filter clause: the emulator (like many Graph resources) supports only "
                                  "\"property eq literal\" clauses joined by \"and\"; cannot parse '%s'." % text[pos:].strip())
        name = match.group(1)
        if etype.strict and name not in etype.property_names():
            raise _no_property(name, etype)
        clauses.append((name, _literal(match.group(2))))
        pos = match.end()
        if pos == len(text):
            return clauses
        joiner = _AND.match(text, pos)
        if not joiner:
            raise ValidationError("Invalid filter clause: expected 'and' at position %d of '%s'." % (pos, text))
        pos = joiner.end()


def _equal(actual, expected) -> bool:
    if isinstance(expected, str) and isinstance(actual, str):
        return actual.lower() == expected.lower()  # string comparison is case-insensitive, as in Graph's stores
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    return actual == expected


def _is_of(item: dict, type_name: str, etype) -> bool:
    """isof(): every entity of a collection is of the collection's type; derived types also name their bases."""
    own = (item.get("@odata.type") or etype.odata_type).lstrip("#")
    if type_name in (own, etype.qualified_name) or type_name in getattr(etype, "base_types", ()):
        return True
    return type_name in getattr(etype, "type_bases", {}).get(own, ())


def _non_negative(name: str, text: str) -> int:
    if not re.fullmatch(r"\d+", text or ""):
        raise ValidationError("Invalid value '%s' for %s query option found. The %s query option requires a non-negative integer value."
                              % (text, name, name))
    return int(text)


def encode_skiptoken(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_skiptoken(token: str) -> int:
    try:
        offset = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["o"]
        if not isinstance(offset, int) or offset < 0:
            raise ValueError(offset)
        return offset
    except (ValueError, KeyError, TypeError):
        raise ValidationError("The $skiptoken '%s' is not valid." % token)


class ListOptions:
    def __init__(self, query: dict, etype):
        for name in query:
            if name.startswith("$") and name not in SUPPORTED:
                raise ValidationError("The query option '%s' is not supported for this request." % name)
        self.etype = etype
        self.filter = parse_filter(query["$filter"], etype) if query.get("$filter") else []
        self.select = parse_select(query.get("$select"), etype)
        self.orderby = self._orderby(query.get("$orderby"))
        self.top = _non_negative("$top", query["$top"]) if "$top" in query else None
        self.skip = _non_negative("$skip", query["$skip"]) if "$skip" in query else 0
        self.offset = decode_skiptoken(query["$skiptoken"]) if "$skiptoken" in query else None
        count = query.get("$count", "false").lower()
        if count not in ("true", "false"):
            raise ValidationError("Invalid value '%s' for $count query option found. Valid values are 'true' and 'false'." % count)
        self.count = count == "true"

    def _orderby(self, text):
        keys = []
        for part in (text or "").split(","):
            if not part.strip():
                continue
            words = part.split()
            if len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
                raise ValidationError("Invalid $orderby expression '%s'." % part.strip())
            if self.etype.strict and words[0] not in self.etype.property_names():
                raise _no_property(words[0], self.etype)
            keys.append((words[0], len(words) == 2 and words[1] == "desc"))
        return keys

    def page(self, items: list, page_size: int):
        """(items of this page, offset of the next page or None, total count after filtering)."""
        items = [item for item in items if all(_is_of(item, value, self.etype) if name == ISOF else _equal(item.get(name), value)
                                               for name, value in self.filter)]
        for name, descending in reversed(self.orderby):
            items.sort(key=lambda item: (item.get(name) is not None, _sort_key(item.get(name))), reverse=descending)
        size = page_size if self.top is None else min(self.top, page_size)
        start = self.offset if self.offset is not None else self.skip
        end = start + size
        more = size > 0 and end < len(items) and (self.top is None or self.top > 0)
        return items[start:end], (end if more else None), len(items)


def _sort_key(value):
    if isinstance(value, str):
        return (1, value.lower())
    if isinstance(value, (int, float)):
        return (0, value)
    return (2, str(value))


def parse_select(text, etype) -> list | None:
    if not text or text.strip() == "*":
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if etype.strict and name not in etype.property_names():
            raise _no_property(name, etype)
    return names


def select(entity: dict, names) -> dict:
    if names is None:
        return dict(entity)
    keep = {"@odata.type", "id", *names}
    return {key: value for key, value in entity.items() if key in keep}


def next_link(base_url: str, raw_path_only: str, raw_query: str, offset: int) -> str:
    """The same URL and query, with the $skiptoken replaced."""
    parts = [part for part in raw_query.split("&") if part and unquote_plus(part.split("=", 1)[0]) != "$skiptoken"]
    parts.append("$skiptoken=" + quote(encode_skiptoken(offset), safe=""))
    return "%s%s?%s" % (base_url, raw_path_only, "&".join(parts))


def context_url(base_url: str, version: str, context: str, single: bool) -> str:
    return "%s/%s/$metadata#%s%s" % (base_url, version, context, "/$entity" if single else "")
