"""Every entity the emulator serves, one module each: the module declares its entity set(s) as module-level
declaration.Entity objects (and, for a route that is no entity set, a module-level list ROUTES of routing.Route).

A new module here is picked up by its presence: there is no list to edit. See README.md, "Adding an entity".
"""
from __future__ import annotations

import importlib
import pkgutil

from ..declaration import Entity

MODULES = [importlib.import_module("%s.%s" % (__name__, info.name)) for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)]


def _declared() -> list:
    found, seen = [], set()
    for module in MODULES:
        for value in vars(module).values():
            if isinstance(value, Entity) and id(value) not in seen:
                seen.add(id(value))
                found.append(value)
    return found


DECLARATIONS = _declared()
ROUTES = [route for module in MODULES for route in getattr(module, "ROUTES", ())]
