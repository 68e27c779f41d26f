# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""User docs in both places they are read: docs/*.md (what Galaxy shows) and docs/docsite/rst
(the antsibull-docs docsite). The AWX guide exists in both; they must say the same things."""

from __future__ import annotations

import os
import re
import textwrap

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARKDOWN = os.path.join(REPO, 'docs', 'awx.md')
RST = os.path.join(REPO, 'docs', 'docsite', 'rst', 'guide_awx.rst')


def read(path):
    with open(path) as handle:
        return handle.read()


def markdown_blocks(text):
    return [block.strip() for block in re.findall(r'^```yaml\n(.*?)^```', text, flags=re.S | re.M)]


def rst_blocks(text):
    found = re.findall(r'^\.\. code-block:: yaml\n\n((?:(?:  .*)?\n)+)', text, flags=re.M)
    return [textwrap.dedent(block).strip() for block in found]


def test_awx_guide_markdown_and_rst_hold_the_same_examples_and_variables():
    markdown, rst = read(MARKDOWN), read(RST)
    assert markdown_blocks(markdown) == rst_blocks(rst) and len(rst_blocks(rst)) == 3
    for block in markdown_blocks(markdown):
        yaml.safe_load(block)
    variables = re.compile(r'\b(?:AZURE|GRAPH)_[A-Z_]+\b')
    assert set(variables.findall(markdown)) == set(variables.findall(rst))
    headings = [line for line in rst.splitlines() if line and set(line) <= {'=', '-'}]
    assert len(re.findall(r'^#{1,2} ', markdown, flags=re.M)) == len(headings) == 3


def test_docs_claim_the_ansible_core_range_of_meta_runtime():
    with open(os.path.join(REPO, 'meta', 'runtime.yml')) as handle:
        requires = yaml.safe_load(handle)['requires_ansible']
    assert requires == '>=2.16.0'  # no upper bound, as Ansible's collection requirements advise
    # The execution environment (and the AWX guide's copy of it) builds on the newest release.
    for path in (MARKDOWN, RST, os.path.join(REPO, 'tests', 'ee', 'execution-environment.yml')):
        assert 'ansible-core>=2.21,<2.22' in read(path) and 'python3.12' in read(path), path
    with open(os.path.join(REPO, 'requirements-dev.in')) as handle:
        assert 'ansible-core>=2.21,<2.22\n' in handle.read()
    assert re.search(r'^ansible-core==2\.21\.\d+$', read(os.path.join(REPO, 'requirements-dev.txt')), flags=re.M)
    for role in sorted(os.listdir(os.path.join(REPO, 'roles'))):
        with open(os.path.join(REPO, 'roles', role, 'meta', 'main.yml')) as handle:
            assert yaml.safe_load(handle)['galaxy_info']['min_ansible_version'] == '2.16', role
    assert 'ansible-core 2.16 to 2.21' in read(os.path.join(REPO, 'README.md'))
    # Every older release keeps a stage of its own.
    compat = read(os.path.join(REPO, 'scripts', 'compat.sh'))
    for minor in ('2.16.', '2.17.', '2.18.', '2.19.', '2.20.'):
        assert minor in compat, minor


def test_graph_request_documents_partial_check_mode():
    """graph_request does not send a write in check mode: its check_mode support is partial, and says why."""
    import ast
    with open(os.path.join(REPO, 'plugins', 'modules', 'graph_request.py')) as handle:
        tree = ast.parse(handle.read())
    doc = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
           and [t.id for t in node.targets if isinstance(t, ast.Name)] == ['DOCUMENTATION']][0]
    check_mode = yaml.safe_load(doc)['attributes']['check_mode']
    assert check_mode['support'] == 'partial'
    assert 'not sent' in ' '.join(check_mode['details'])
