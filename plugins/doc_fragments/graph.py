# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # The connection and authentication options every graphops.intune module takes.
    DOCUMENTATION = r'''
options:
  tenant_id:
    description:
      - Entra ID tenant, as a GUID or a verified domain such as C(contoso.onmicrosoft.com).
      - If not set, the E(AZURE_TENANT_ID) environment variable is used, then E(AZURE_TENANT)
        (set by the AWX built-in Azure credential).
      - Required for O(client_secret), O(client_certificate_path) and O(federated_token_file); with O(azure_cli), the tenant to ask the CLI for.
    type: str
  client_id:
    description:
      - Application (client) ID of the app registration.
      - If not set, the E(AZURE_CLIENT_ID) environment variable is used.
    type: str
  client_secret:
    description:
      - Client secret of the app registration.
      - If no credential option is set, the E(AZURE_CLIENT_SECRET) environment variable is used, then E(AZURE_SECRET)
        (set by the AWX built-in Azure credential).
      - Exactly one of O(client_secret), O(client_certificate_path), O(federated_token_file), O(access_token),
        O(managed_identity) and O(azure_cli) may be given; a credential given as an option wins over a different kind in the environment.
    type: str
  client_certificate_path:
    description:
      - Path to the app's certificate, either a PEM file holding the private key and the certificate, or a PFX (PKCS#12) file, as is or in base64.
      - If no credential option is set, the E(AZURE_CLIENT_CERTIFICATE_PATH) environment variable is used.
    type: path
  client_certificate_password:
    description:
      - Password of an encrypted PEM key or of the PFX file.
      - If not set, the E(AZURE_CLIENT_CERTIFICATE_PASSWORD) environment variable is used.
    type: str
  federated_token_file:
    description:
      - File holding a federated (workload identity) token, sent as a client assertion.
      - The file is read again for every token request, so a rotated token is picked up.
      - If no credential option is set, the E(AZURE_FEDERATED_TOKEN_FILE) environment variable is used.
    type: path
  access_token:
    description:
      - A pre-acquired bearer token for Microsoft Graph; no token request is made.
      - If no credential option is set, the E(GRAPH_ACCESS_TOKEN) environment variable is used.
    type: str
  managed_identity:
    description:
      - Authenticate as the managed identity of the Azure resource the task runs on (VM, scale set, AKS node or workload,
        App Service, Functions, Azure Arc server, Service Fabric, Azure Machine Learning), through msal's managed identity
        client, which finds the identity endpoint from the environment (C(IDENTITY_ENDPOINT), C(MSI_ENDPOINT), ...; else IMDS).
      - No secret is needed. Without O(managed_identity_client_id) the system-assigned identity is used.
      - If no credential option is set, the E(GRAPH_MANAGED_IDENTITY) environment variable is used (V(true) selects this kind).
      - Exactly one credential kind may be given; see O(client_secret).
    type: bool
  managed_identity_client_id:
    description:
      - A user-assigned managed identity, by client id (a GUID) or by resource id
        (C(/subscriptions/.../resourceGroups/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME)).
      - Only with O(managed_identity=true).
      - If not set, the E(GRAPH_MANAGED_IDENTITY_CLIENT_ID) environment variable is used.
    type: str
  azure_cli:
    description:
      - Use the login of the Azure CLI on the host that runs the task (C(az login), Azure Cloud Shell, a pipeline's
        Azure CLI step). The token comes from C(az account get-access-token --resource <Graph of the cloud>), with
        C(--tenant) when O(tenant_id) is set. The CLI keeps and renews its own tokens.
      - If no credential option is set, the E(GRAPH_AZURE_CLI) environment variable is used (V(true) selects this kind).
      - Exactly one credential kind may be given; see O(client_secret).
    type: bool
  cloud:
    description:
      - The national cloud, which sets the Graph host, the Entra authority host and the token scope.
      - V(global) is graph.microsoft.com, V(usgov) is US Government L4 (graph.microsoft.us), V(usgovdod) is
        US Government L5 DoD (dod-graph.microsoft.us), V(china) is operated by 21Vianet (microsoftgraph.chinacloudapi.cn).
      - If not set, the E(GRAPH_CLOUD) environment variable is used, then E(AZURE_CLOUD_ENVIRONMENT) with the names of
        the AWX built-in Azure credential and azure.azcollection (V(AzureCloud), V(AzureUSGovernment), V(AzureChinaCloud)).
    type: str
    default: global
    choices: [global, usgov, usgovdod, china]
  graph_endpoint:
    description:
      - Base URL of Graph without the API version, overriding the cloud's, for example a proxy or the project's emulator.
      - Must use https; plain http is accepted only for loopback hosts.
      - If not set, the E(GRAPH_ENDPOINT) environment variable is used.
    type: str
  authority_host:
    description:
      - Entra ID authority host overriding the cloud's, for example V(https://login.microsoftonline.us).
      - If not set, the E(AZURE_AUTHORITY_HOST) environment variable is used.
    type: str
  api_version:
    description:
      - Graph API version. The entities these modules manage exist in V(beta) only.
    type: str
    default: beta
    choices: [beta, v1.0]
  validate_certs:
    description:
      - Verify TLS certificates. A private CA can be given with O(ca_path).
      - If not set, the E(GRAPH_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - CA bundle (PEM file) or directory of CA certificates to verify Graph and Entra ID against, for a private CA or a
        TLS-inspecting proxy. It replaces the system trust store (and E(REQUESTS_CA_BUNDLE)) for these connections.
      - If not set, the E(GRAPH_CA_PATH) environment variable is used.
      - Without either, C(requests) verifies against the bundle named by its E(REQUESTS_CA_BUNDLE) environment variable,
        else against its own (C(certifi)) trust store.
      - Ignored when O(validate_certs=false).
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: int
    default: 30
  max_retries:
    description:
      - How many times a throttled (429) or unavailable (503, 504) request, or one that lost its connection, is retried.
        C(Retry-After) is honoured, otherwise the wait grows exponentially with jitter.
    type: int
    default: 5
  token_cache_path:
    description:
      - File of the persistent token cache shared by the tasks of a run, so that one token serves the whole playbook.
        It is created with mode 0600 in a 0700 directory.
      - Defaults to C(graphops.intune/msal_token_cache.json) under E(XDG_CACHE_HOME) or C(~/.cache).
      - The processes of one controller (forks, parallel runs) ask Entra ID for an app's first token one at a time, through a
        lock file beside the cache, and read the cache again before asking, so that a run with an empty cache makes one token request.
      - Set to an empty string to keep tokens in memory only.
      - If not set, the E(GRAPH_TOKEN_CACHE) environment variable is used.
    type: str
requirements:
  - python >= 3.10
  - msal >= 1.24.0 (1.29.0 or later for managed_identity)
  - msal-extensions >= 1.1.0
  - requests >= 2.28.0
notes:
  - Graph and Entra ID are reached through a forward proxy when the E(HTTPS_PROXY) (or E(https_proxy)) environment variable
    names one, for example C(http://proxy.corp.example:3128) or C(http://user:password@proxy.corp.example:3128); hosts in
    E(NO_PROXY) are reached directly. The proxy sees only C(CONNECT) requests; tokens travel inside TLS.
  - All options of this fragment can be given once for a play with C(module_defaults) and the action group
    C(group/graphops.intune.graph).
  - Tokens and secrets are never returned or logged.
seealso:
  - name: Microsoft Graph national cloud deployments
    description: Graph and Entra hosts per national cloud.
    link: https://learn.microsoft.com/graph/deployments
'''
