# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The optional libraries of authentication (msal, msal-extensions), loaded at their first use.

msal and msal-extensions cost ~0.3 s of start-up that a task with an access token never
needs; a missing one is reported by the glue (missing_required_lib) from the flags below.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback


def lazy_import(name):
    """The module, loaded at its first use (msal and msal-extensions cost ~0.3 s of start-up
    that a task with an access token never needs); (None, error text) when it is missing."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        try:
            importlib.import_module(name)  # the real ImportError, for missing_required_lib
        except ImportError:
            return None, traceback.format_exc()
    if name in sys.modules:
        return sys.modules[name], None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module, None


msal, MSAL_IMPORT_ERROR = lazy_import('msal')
HAS_MSAL = msal is not None
msal_extensions, MSAL_EXTENSIONS_IMPORT_ERROR = lazy_import('msal_extensions')
HAS_MSAL_EXTENSIONS = msal_extensions is not None


def persistence_not_found(**kwargs):
    """msal-extensions' PersistenceNotFound (what a persistence raises when its file is missing)."""
    from msal_extensions.persistence import PersistenceNotFound
    return PersistenceNotFound(**kwargs)
