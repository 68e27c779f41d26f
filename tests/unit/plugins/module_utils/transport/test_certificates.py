# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Client certificate files: PEM and PFX (transport/certificates.py), through the certificate credential."""

from __future__ import annotations


import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.graphops.intune.plugins.module_utils.transport.credentials import ClientCertificate, select_credential
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError


TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
CLIENT = '11111111-2222-3333-4444-555555555555'
IDS = {'tenant_id': TENANT, 'client_id': CLIENT}


# -- client certificates ------------------------------------------------------------------
def expected_certificate(pki):
    return {'thumbprint': pki.thumbprint, 'public_certificate': pki.cert_pem.decode('ascii')}


@pytest.mark.parametrize('order', ['key-first', 'cert-first'])
def test_pem_with_key_and_certificate(tmp_path, pki, order):
    path = tmp_path / 'app.pem'
    path.write_bytes(pki.key_pem + pki.cert_pem if order == 'key-first' else pki.cert_pem + pki.key_pem)
    credential = select_credential(dict(IDS, client_certificate_path=str(path)), environ={})
    assert isinstance(credential, ClientCertificate)
    value = credential.client_credential()
    assert set(value) == {'private_key', 'thumbprint', 'public_certificate'}
    assert value['thumbprint'] == pki.thumbprint
    assert value['thumbprint'] == pki.cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec - x5t is SHA-1
    assert len(value['thumbprint']) == 40
    assert value['public_certificate'] == pki.cert_pem.decode('ascii')
    key = serialization.load_pem_private_key(value['private_key'].encode('ascii'), password=None)  # unencrypted for msal
    assert key.private_numbers() == pki.key.private_numbers()


def encrypted_pem(pki, password):
    return pki.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.BestAvailableEncryption(password.encode('utf-8'))) + pki.cert_pem


def test_encrypted_pem_with_password(tmp_path, pki):
    path = tmp_path / 'app.pem'
    path.write_bytes(encrypted_pem(pki, 'pem-pass'))
    credential = select_credential(dict(IDS, client_certificate_path=str(path), client_certificate_password='pem-pass'), environ={})
    assert credential.client_credential()['thumbprint'] == pki.thumbprint
    assert 'ENCRYPTED' not in credential.client_credential()['private_key']


@pytest.mark.parametrize('password', [None, 'wrong-pass'])
def test_encrypted_pem_without_the_right_password(tmp_path, pki, password):
    path = tmp_path / 'app.pem'
    path.write_bytes(encrypted_pem(pki, 'pem-pass'))
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_certificate_path=str(path), client_certificate_password=password), environ={})
    assert 'client_certificate_password' in str(err.value)
    assert str(path) in str(err.value)
    assert 'pem-pass' not in str(err.value)


def test_certificate_password_from_the_environment(tmp_path, pki):
    path = tmp_path / 'app.pem'
    path.write_bytes(encrypted_pem(pki, 'env-pass'))
    credential = select_credential(dict(IDS), environ={'AZURE_CLIENT_CERTIFICATE_PATH': str(path),
                                                       'AZURE_CLIENT_CERTIFICATE_PASSWORD': 'env-pass'})
    assert credential.client_credential()['thumbprint'] == pki.thumbprint


def pfx(pki, password):
    encryption = serialization.BestAvailableEncryption(password.encode('utf-8')) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(b'graphops', pki.key, pki.cert, None, encryption)


def test_pfx_with_password(tmp_path, pki):
    path = tmp_path / 'app.pfx'
    path.write_bytes(pfx(pki, 'pfx-pass'))
    credential = select_credential(dict(IDS, client_certificate_path=str(path), client_certificate_password='pfx-pass'), environ={})
    assert credential.client_credential() == dict(expected_certificate(pki), private_key=credential.client_credential()['private_key'])
    assert credential.client_credential()['private_key'].startswith('-----BEGIN PRIVATE KEY-----')


def test_pfx_without_password(tmp_path, pki):
    path = tmp_path / 'app.pfx'
    path.write_bytes(pfx(pki, None))
    assert select_credential(dict(IDS, client_certificate_path=str(path)), environ={}).client_credential()['thumbprint'] == pki.thumbprint


def test_pfx_with_wrong_password(tmp_path, pki):
    path = tmp_path / 'app.pfx'
    path.write_bytes(pfx(pki, 'pfx-pass'))
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_certificate_path=str(path), client_certificate_password='nope'), environ={})
    assert 'client_certificate_password' in str(err.value)
    assert 'pfx-pass' not in str(err.value) and 'nope' not in str(err.value)


@pytest.mark.parametrize('content, words', [
    ('cert-only', 'private key'),
    ('key-only', 'no certificate'),
    ('garbage', 'PFX'),
])
def test_incomplete_certificate_files(tmp_path, pki, content, words):
    data = {'cert-only': pki.cert_pem, 'key-only': pki.key_pem, 'garbage': b'not a certificate'}[content]
    path = tmp_path / 'app.pem'
    path.write_bytes(data)
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_certificate_path=str(path)), environ={})
    assert words in str(err.value)


def test_unreadable_certificate_file(tmp_path):
    path = tmp_path / 'missing.pem'
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_certificate_path=str(path)), environ={})
    assert 'client_certificate_path' in str(err.value) and str(path) in str(err.value)
    with pytest.raises(AuthError):
        select_credential(dict(IDS, client_certificate_path=str(tmp_path)), environ={})  # a directory
