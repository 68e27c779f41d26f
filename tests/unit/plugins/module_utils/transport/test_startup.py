# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start-up: a task loads only the libraries it needs (msal only for msal credentials, cryptography only for a certificate)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = [p for p in sys.path if os.path.isdir(os.path.join(p, 'ansible_collections', 'graphops', 'intune'))][0]

SCRIPT = r'''
import json, sys
sys.path.insert(0, %(root)r)
from ansible_collections.graphops.intune.plugins.module_utils import graph_module  # what every module imports
from ansible_collections.graphops.intune.plugins.module_utils.transport.credentials import select_credential
from ansible_collections.graphops.intune.plugins.module_utils.transport.tokens import TokenProvider
from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import Endpoints
credential = select_credential(%(params)s)
tokens = TokenProvider(credential, Endpoints('global', None, None, 'beta'), tenant_id='t', client_id='c', cache_path='')
if not credential.uses_msal:
    tokens.token()
def loaded(name):
    module = sys.modules.get(name)
    return module is not None and type(module).__name__ != '_LazyModule'
print(json.dumps({name: loaded(name) for name in ('msal', 'msal_extensions', 'cryptography', 'requests')}))
'''


def _loaded(params):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('AZURE_', 'GRAPH_')))
    out = subprocess.run([sys.executable, '-c', SCRIPT % {'root': ROOT, 'params': params}], capture_output=True, text=True,
                         env=env, check=True).stdout
    return json.loads(out.splitlines()[-1])


def test_access_token_loads_neither_msal_nor_cryptography():
    assert _loaded({'access_token': 'abc'}) == {'msal': False, 'msal_extensions': False, 'cryptography': False, 'requests': True}


def test_client_secret_loads_msal_only_when_it_asks_for_a_token():
    loaded = _loaded({'client_secret': 's', 'tenant_id': 't', 'client_id': 'c'})
    assert loaded['cryptography'] is False and loaded['requests'] is True
