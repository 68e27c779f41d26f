"""A throw-away CA and a loopback server certificate, made with trustme at every start."""
from __future__ import annotations

import os
import ssl

import trustme

SERVER_NAMES = ("127.0.0.1", "::1", "localhost")


def make_tls(state_dir: str):
    """(server SSLContext, path of the CA PEM that clients must trust)."""
    ca = trustme.CA(organization_name="graphops.intune test emulator")
    server_cert = ca.issue_cert(*SERVER_NAMES)
    ca_path = os.path.abspath(os.path.join(state_dir, "ca.pem"))
    tmp_path = ca_path + ".tmp"
    ca.cert_pem.write_to_path(tmp_path)
    os.replace(tmp_path, ca_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    server_cert.configure_cert(context)
    return context, ca_path
