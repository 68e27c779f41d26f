# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credential kinds without an app secret: managed identity, Azure CLI; and what AWX injects."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.transport import credentials
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError

RESOURCE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/runner'
# Every variable msal reads to pick a managed identity source, so that none leaks in from the machine.
MSAL_SOURCE_VARS = ('IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT', 'MSI_ENDPOINT',
                    'MSI_SECRET', 'AZUREPS_HOST_ENVIRONMENT')


@pytest.fixture(autouse=True)
def no_identity_source(monkeypatch):
    for name in MSAL_SOURCE_VARS:
        monkeypatch.delenv(name, raising=False)
    # Nothing here requests a token; should anything try, IMDS is the loopback discard port.
    monkeypatch.setenv('AZURE_POD_IDENTITY_AUTHORITY_HOST', 'http://127.0.0.1:9')


@pytest.mark.parametrize('value, selected', [(True, True), ('true', True), ('yes', True), ('1', True), ('false', False),
                                             ('0', False), (False, False), (None, False), ('', False)])
def test_boolean_selection(value, selected):
    assert credentials.ManagedIdentity.present(value) is selected
    assert credentials.AzureCli.present(value) is selected


def test_env_false_does_not_select_and_true_does():
    with pytest.raises(AuthError, match='no credentials'):
        credentials.select_credential({}, {'GRAPH_MANAGED_IDENTITY': 'false'})
    credential = credentials.select_credential({}, {'GRAPH_MANAGED_IDENTITY': 'true', 'AZURE_CLIENT_ID': 'not needed'})
    assert isinstance(credential, credentials.ManagedIdentity)


@pytest.mark.parametrize('identifier, kind', [(None, 'SystemAssigned'), ('88888888-8888-8888-8888-888888888888', 'ClientId'),
                                              (RESOURCE_ID, 'ResourceId')])
def test_identity_forms(identifier, kind):
    credential = credentials.select_credential({'managed_identity': True, 'managed_identity_client_id': identifier}, {})
    assert credential.identity()['ManagedIdentityIdType'] == kind
    assert credential.source() == 'IMDS'


@pytest.mark.parametrize('identifier', ['runner', '/subscriptions/s/resourceGroups/rg', '8888'])
def test_identity_must_be_a_guid_or_a_resource_id(identifier):
    with pytest.raises(AuthError, match='client id'):
        credentials.select_credential({'managed_identity': True, 'managed_identity_client_id': identifier}, {})


def test_sources_are_named_from_the_environment(monkeypatch):
    monkeypatch.setenv('IDENTITY_ENDPOINT', 'http://127.0.0.1:9/msi/token')
    monkeypatch.setenv('IDENTITY_HEADER', 'h')
    assert credentials.ManagedIdentity.source() == 'App Service'
    monkeypatch.setenv('IDENTITY_SERVER_THUMBPRINT', 'a' * 40)
    assert credentials.ManagedIdentity.source() == 'Service Fabric'


def test_cloud_shell_points_to_the_cli(monkeypatch):
    monkeypatch.setenv('AZUREPS_HOST_ENVIRONMENT', 'cloud-shell/1.0')
    with pytest.raises(AuthError, match='azure_cli=true'):
        credentials.select_credential({'managed_identity': True}, {})


def test_stray_user_assigned_id_and_ambiguity():
    with pytest.raises(AuthError, match='managed_identity_client_id is set'):
        credentials.select_credential({'client_secret': 's', 'tenant_id': 't', 'client_id': 'c',
                                       'managed_identity_client_id': '88888888-8888-8888-8888-888888888888'}, {})
    with pytest.raises(AuthError, match='ambiguous credentials.*managed_identity, azure_cli'):
        credentials.select_credential({'managed_identity': True, 'azure_cli': True}, {})
    with pytest.raises(AuthError, match='AZURE_SECRET, GRAPH_AZURE_CLI'):
        credentials.select_credential({}, {'AZURE_SECRET': 's', 'GRAPH_AZURE_CLI': 'true'})


def test_missing_az_is_named(monkeypatch):
    monkeypatch.setenv('PATH', '/nonexistent')
    with pytest.raises(AuthError, match=r'Azure CLI \(az\) is not installed'):
        credentials.select_credential({'azure_cli': True}, {})


def test_awx_secret_alias_and_user_password():
    credential = credentials.select_credential({'tenant_id': 't', 'client_id': 'c'}, {'AZURE_SECRET': 'from-awx'})
    assert isinstance(credential, credentials.ClientSecret) and credential.client_credential() == 'from-awx'
    with pytest.raises(AuthError, match='AZURE_AD_USER'):
        credentials.select_credential({}, {'AZURE_AD_USER': 'u', 'AZURE_PASSWORD': 'p'})


def test_pfx_in_base64_is_read(tmp_path, app_key_and_cert):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    key, cert = app_key_and_cert
    pfx = pkcs12.serialize_key_and_certificates(b'app', key, cert, None, serialization.BestAvailableEncryption(b'pw'))
    for name, data in (('raw.pfx', pfx), ('wrapped.b64', base64.encodebytes(pfx)), ('line.b64', base64.b64encode(pfx) + b'\n')):
        path = tmp_path / name
        path.write_bytes(data)
        credential = credentials.select_credential({'tenant_id': 't', 'client_id': 'c', 'client_certificate_path': str(path),
                                                    'client_certificate_password': 'pw'}, {})
        assert credential.client_credential()['thumbprint']


@pytest.fixture(scope='module')
def app_key_and_cert():
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'unit')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    return key, cert
