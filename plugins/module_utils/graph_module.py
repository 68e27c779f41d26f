# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""GraphModule: AnsibleModule with the common Graph options, a lazily built client, and
the one place that reports failures (GraphError, bad credentials, bad input) with fail_json.

The options, the client and the mapping of failures come from the option adapter
(graph_options.py), which the controller-side plugins use too."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.graphops.intune.plugins.module_utils.graph_options import (
    common_argument_spec, connect, failure, lock_directory, lock_timeout, missing_libraries)
from ansible_collections.graphops.intune.plugins.module_utils.engine import dispatch, info, request


class GraphModule(AnsibleModule):
    """An AnsibleModule for Graph: common options merged in, check mode on."""

    def __init__(self, argument_spec, **kwargs):
        spec = common_argument_spec()
        spec.update(argument_spec)
        kwargs.setdefault('supports_check_mode', True)
        super(GraphModule, self).__init__(argument_spec=spec, **kwargs)
        for name, error in missing_libraries():
            self.fail_json(msg=missing_required_lib(name), exception=error)
        self._client = None

    @property
    def lock_directory(self):
        """Where the engine's create locks live (beside the token cache): the engine knows no credentials."""
        return lock_directory(self.params)

    @property
    def lock_timeout(self):
        return lock_timeout()

    @property
    def client(self):
        if self._client is None:
            self._client = self._build_client()
        return self._client

    def _build_client(self):
        client, secrets = connect(self.params)
        # A secret taken from the environment is not a module option, so Ansible does not
        # know to mask it: tell it.
        self.no_log_values.update(secrets)
        if not self.params['validate_certs']:
            # The same text from every task: Ansible shows a warning once per run.
            self.warn('validate_certs is false: the TLS certificates of Graph and Entra are not checked, so the credentials '
                      'and tokens of this run can be intercepted')
        return client

    def run(self, action):
        """Call action() -> result dict and exit; every expected failure becomes fail_json.

        fail_json is called outside the except blocks: inside them Ansible would attach
        the traceback to the result, and a Graph error is not a crash.
        """
        failed = None
        try:
            result = action()
        except Exception as exc:  # pylint: disable=broad-exception-caught
            failed = failure(exc)
            if failed is None:
                raise
        for warning in getattr(getattr(self._client, 'tokens', None), 'warnings', ()):
            self.warn(warning)
        if failed:
            self.fail_json(**failed)
        for warning in result.pop('warnings', ()):
            self.warn(warning)
        self.exit_json(**result)


# -- main() of every module: the glue between an entity declaration and the engine ----------------
def run_resource(entity):
    """A resource module: the entity's options, then Resource (or, for its list option, Bulk)."""
    module = GraphModule(entity.argument_spec(), **entity.argument_constraints())
    module.run(lambda: dispatch.apply(module, entity))


def run_info(entity):
    """An _info module: the entity's listing options, then one entity by id or the filtered collection."""
    module = GraphModule(entity.info_argument_spec())
    module.run(lambda: info.read(module, entity))


def run_request():
    """graph_request: any Graph request (engine/request.py)."""
    module = GraphModule(request.ARGUMENT_SPEC)
    module.run(lambda: request.GraphRequest(module).run())
