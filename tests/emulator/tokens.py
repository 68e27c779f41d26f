"""JWT helpers: the emulator's own HMAC-signed access tokens, and checks of client assertions (RS256/PS256)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import uuid

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ACCESS_TOKEN_LIFETIME = 3599


class TokenError(Exception):
    """A token or assertion that does not validate; reason says why."""

    def __init__(self, reason: str, expired: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.expired = expired


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode_jwt(token: str):
    """Split a compact JWS into (header, payload, signing_input, signature) without verifying it."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise TokenError("JWT is not well formed: it must have three dot-separated parts.")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except (ValueError, TypeError):
        raise TokenError("JWT is not well formed: its parts are not base64url-encoded JSON.")
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise TokenError("JWT is not well formed: header and payload must be JSON objects.")
    return header, payload, (parts[0] + "." + parts[1]).encode("ascii"), signature


class TokenIssuer:
    """Issues and checks the emulator's access tokens with a per-process random HMAC key."""

    def __init__(self):
        self._key = os.urandom(32)

    def _sign(self, signing_input: bytes) -> str:
        return b64url_encode(hmac.new(self._key, signing_input, hashlib.sha256).digest())

    def mint(self, *, tenant_id: str, app_id: str, roles, audience: str, issuer: str, generation: int) -> str:
        now = int(time.time())
        header = {"typ": "JWT", "alg": "HS256", "kid": "emulator"}
        payload = {
            "aud": audience, "iss": issuer, "iat": now, "nbf": now, "exp": now + ACCESS_TOKEN_LIFETIME,
            "appid": app_id, "azp": app_id, "idtyp": "app", "oid": app_id, "sub": app_id, "tid": tenant_id,
            "roles": list(roles), "uti": uuid.uuid4().hex, "ver": "1.0", "xms_emu_gen": generation,
        }
        signing_input = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(json.dumps(payload).encode())
        return signing_input + "." + self._sign(signing_input.encode("ascii"))

    def verify(self, token: str, generation: int) -> dict:
        payload, signing_input, signature = decode_jwt(token)[1:]
        if not hmac.compare_digest(self._sign(signing_input), b64url_encode(signature)):
            raise TokenError("Access token validation failure. Invalid signature.")
        if payload.get("exp", 0) <= time.time() or payload.get("xms_emu_gen", -1) < generation:
            raise TokenError("Lifetime validation failed, the token is expired.", expired=True)
        return payload


def _thumbprint_bytes(value) -> bytes | None:
    """x5t values arrive base64url-encoded, with or without padding (msal keeps it)."""
    if not isinstance(value, str):
        return None
    try:
        return b64url_decode(value.rstrip("=").replace("+", "-").replace("/", "_"))
    except ValueError:
        return None


def load_certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode("ascii") if isinstance(pem, str) else pem)


def verify_assertion_signature(certificate: x509.Certificate, header: dict, signing_input: bytes, signature: bytes):
    """Check an RS256/PS256 signature, and that x5t / x5t#S256 (when present) name this certificate."""
    for name, algorithm in (("x5t", hashes.SHA1()), ("x5t#S256", hashes.SHA256())):
        if name in header and _thumbprint_bytes(header[name]) != certificate.fingerprint(algorithm):
            raise TokenError("The key was not found: %s does not match the app's certificate." % name)
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise TokenError("Unsupported certificate key type.")
    alg = header.get("alg")
    if alg == "RS256":
        pad = padding.PKCS1v15()
    elif alg == "PS256":
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
    else:
        raise TokenError("Unsupported signing algorithm '%s'." % alg)
    try:
        public_key.verify(signature, signing_input, pad, hashes.SHA256())
    except InvalidSignature:
        raise TokenError("Client assertion failed signature validation.")
