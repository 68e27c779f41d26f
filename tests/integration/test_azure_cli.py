# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""azure_cli: the token from `az account get-access-token`, with a stand-in `az` on PATH that gets its token
from the emulator (as a logged-in CLI would from Entra) and records how it was called."""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap

import pytest

from conftest import BIN, DEMO_APP, DEMO_SECRET, POLICY, RING0, TENANT

STAND_IN = textwrap.dedent('''\
    #!{python}
    """Stand-in for the Azure CLI: az account get-access-token --output json --resource R [--tenant T]."""
    import datetime, json, os, sys
    import requests
    with open(os.environ["AZ_STANDIN_LOG"], "a") as log:
        log.write(json.dumps(sys.argv[1:]) + "\\n")
    mode = os.environ.get("AZ_STANDIN_MODE", "ok")
    if mode == "logged_out":
        sys.stderr.write("ERROR: Please run 'az login' to setup account.\\n")
        sys.exit(1)
    if mode == "garbage":
        print("Welcome to Azure CLI!")
        sys.exit(0)
    args = sys.argv[1:]
    assert args[:4] == ["account", "get-access-token", "--output", "json"], args
    resource = args[args.index("--resource") + 1]
    tenant = args[args.index("--tenant") + 1] if "--tenant" in args else "{tenant}"
    answer = requests.post("%s/%s/oauth2/v2.0/token" % (os.environ["AZ_STANDIN_URL"], tenant), verify=os.environ["AZ_STANDIN_CA"],
                           data={{"grant_type": "client_credentials", "client_id": "{app}", "client_secret": "{secret}",
                                 "scope": resource + "/.default"}}, timeout=30)
    if not answer.ok:
        sys.stderr.write("ERROR: AADSTS700016: %s\\n" % answer.json().get("error_description", ""))
        sys.exit(1)
    token = answer.json()
    expires = datetime.datetime.now() + datetime.timedelta(seconds=token["expires_in"])
    print(json.dumps({{"accessToken": token["access_token"], "expiresOn": expires.strftime("%Y-%m-%d %H:%M:%S.%f"),
                      "expires_on": int(expires.timestamp()), "subscription": "00000000-0000-0000-0000-000000000000",
                      "tenant": tenant, "tokenType": "Bearer"}}, indent=2))
''')

TASKS = [
    {'name': 'change', 'graphops.intune.windows_update_ring': {'policy_id': POLICY, 'ring_id': RING0, 'deferral_in_days': 13}},
    {'name': 'read', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}},
]


@pytest.fixture
def az(tmp_path, graph):
    """(env for a run with the stand-in az on PATH, path of its call log)."""
    bindir = tmp_path / 'az-bin'
    bindir.mkdir()
    script = bindir / 'az'
    script.write_text(STAND_IN.format(python=sys.executable, tenant=TENANT, app=DEMO_APP, secret=DEMO_SECRET))
    script.chmod(0o755)
    log = tmp_path / 'az-calls.jsonl'
    env = {'PATH': os.pathsep.join([str(bindir), BIN, '/usr/bin', '/bin']), 'AZ_STANDIN_LOG': str(log),
           'AZ_STANDIN_URL': graph.url, 'AZ_STANDIN_CA': graph.ca_bundle,
           'AZURE_CLIENT_SECRET': None, 'AZURE_CLIENT_ID': None, 'AZURE_TENANT_ID': None, 'GRAPH_AZURE_CLI': 'true'}

    def calls():
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return env, calls


def test_az_login_is_reused_for_each_task(ansible, graph, az):
    env, calls = az
    run = ansible(TASKS, env=env)
    assert run.rc == 0, run.output
    assert run.task('change')['status'] == 'changed'
    assert calls() == [['account', 'get-access-token', '--output', 'json', '--resource', 'https://graph.microsoft.com']] * 2
    tokens = [e for e in graph.requests() if e['kind'] == 'token']
    assert len(tokens) == 2 and all(e['body']['client_id'] == DEMO_APP for e in tokens)  # only the stand-in asked Entra
    assert 'accessToken' not in run.output


def test_tenant_and_cloud_reach_the_cli(ansible, graph, az):
    env, calls = az
    run = ansible(TASKS[1:], env=dict(env, AZURE_TENANT_ID=TENANT, GRAPH_CLOUD='usgov'))
    assert run.rc == 0, run.output
    assert calls() == [['account', 'get-access-token', '--output', 'json', '--resource', 'https://graph.microsoft.us',
                        '--tenant', TENANT]]


def test_logged_out_cli_is_named_before_any_graph_call(ansible, graph, az):
    env, calls = az
    run = ansible(TASKS[:1], env=dict(env, AZ_STANDIN_MODE='logged_out'))
    assert run.rc != 0
    msg = run.task('change')['result']['msg']
    assert 'the Azure CLI is not logged in' in msg and 'az login' in msg
    assert [e for e in graph.requests() if e['kind'] == 'graph'] == []


def test_unexpected_cli_output_is_reported(ansible, graph, az):
    env, calls = az
    run = ansible(TASKS[:1], env=dict(env, AZ_STANDIN_MODE='garbage'))
    assert run.rc != 0 and 'unexpected output' in run.task('change')['result']['msg']


def test_missing_cli_is_named(ansible, graph, az):
    env, calls = az
    path = os.pathsep.join([BIN, '/usr/bin', '/bin'])
    if shutil.which('az', path=path):
        pytest.skip('a real Azure CLI is installed here')
    run = ansible(TASKS[:1], env=dict(env, PATH=path))
    assert run.rc != 0
    assert 'the Azure CLI (az) is not installed or not on PATH' in run.task('change')['result']['msg']
    assert graph.requests() == [] and calls() == []


def test_cli_and_another_kind_are_ambiguous(ansible, graph, az):
    env, calls = az
    run = ansible(TASKS[:1], env=dict(env, AZURE_CLIENT_SECRET=DEMO_SECRET, AZURE_CLIENT_ID=DEMO_APP, AZURE_TENANT_ID=TENANT))
    assert run.rc != 0 and 'ambiguous credentials' in run.task('change')['result']['msg']
    assert calls() == [] and graph.requests() == []
    # As a task option it wins over the environment's secret.
    task = {'name': 'read', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY, 'azure_cli': True}}
    run = ansible([task], env=dict(env, GRAPH_AZURE_CLI=None, AZURE_CLIENT_SECRET=DEMO_SECRET, AZURE_CLIENT_ID=DEMO_APP))
    assert run.rc == 0, run.output
    assert len(calls()) == 1
