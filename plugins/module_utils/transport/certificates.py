# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""A client certificate file (PEM with key and certificate, or PFX, raw or base64) -> what msal signs with.

cryptography is imported only here, only when a certificate is used.
"""

from __future__ import annotations

import base64

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError


def certificate_credential(path, data, password):
    """msal's client_credential ({private_key, thumbprint, public_certificate}) from a file's bytes."""
    if b'-----BEGIN' in data:
        return pem_credential(path, data, password)
    return pfx_credential(path, unbase64(data), password)


def unbase64(data):
    """A PFX given as base64 text (as AWX's file injectors and Key Vault exports hold it) -> its bytes."""
    text = b''.join(data.split())
    if not text or data[:1] == b'\x30':  # DER: a PFX file as is
        return data
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return data


def pem_credential(path, data, password):
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
    except ImportError:
        raise AuthError('reading client_certificate_path needs the Python library "cryptography"')
    cert = key = None
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        pass
    try:
        key = serialization.load_pem_private_key(data, password=password.encode('utf-8') if password else None)
    except (ValueError, TypeError) as exc:
        raise AuthError('client_certificate_path %r: cannot load the private key (%s); the PEM file must hold the key and '
                        'the certificate, and client_certificate_password is needed for an encrypted key' % (path, exc))
    if cert is None:
        raise AuthError('client_certificate_path %r holds no certificate; the PEM file must hold the key and the certificate' % path)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    return {
        'private_key': key_pem.decode('ascii'),
        'thumbprint': cert.fingerprint(hashes.SHA1()).hex().upper(),  # nosec - Entra's x5t is SHA-1 by definition
        'public_certificate': cert_pem.decode('ascii'),
    }


def pfx_credential(path, data, password):
    try:
        from cryptography.hazmat.primitives.serialization import pkcs12
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise AuthError('reading client_certificate_path needs the Python library "cryptography"')
    try:
        key, cert, dummy = pkcs12.load_key_and_certificates(data, password.encode('utf-8') if password else None)
    except (ValueError, TypeError) as exc:
        raise AuthError('client_certificate_path %r is neither PEM nor a PFX that opens with the given '
                        'client_certificate_password (%s)' % (path, exc))
    if key is None or cert is None:
        raise AuthError('client_certificate_path %r: the PFX must hold a private key and its certificate' % path)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pem += cert.public_bytes(serialization.Encoding.PEM)
    return pem_credential(path, pem, None)
