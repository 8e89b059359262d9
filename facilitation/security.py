"""Secrets: generation, hashing and constant-time comparison.

Keys and tokens are long random strings, so a single SHA-256 is enough to store them (no
dictionary to attack); the organizer password is chosen by a person and gets scrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# No look-alikes: without 0/O, 1/I/L, and without U/V (read aloud across a room they blur).
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_key() -> str:
    return secrets.token_urlsafe(18)


def new_salt() -> str:
    return secrets.token_hex(16)


def derive_key(secret: str, purpose: str) -> str:
    """A key the server can compute again from its secret: HMAC-SHA256, as long as ``new_key()``.

    Without the secret the result is as unguessable as a random key; ``purpose`` names what it
    opens (session, salt, role, version), so each purpose gets an unrelated key.
    """
    digest = hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str) -> str:
    """Accept what people type: lower case, spaces, a dash in the middle."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str | None, stored_hash: str) -> bool:
    if not key:
        return False
    return hmac.compare_digest(hash_key(key), stored_hash)


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), n=2**14, r=8, p=1)
    return hmac.compare_digest(candidate.hex(), digest_hex)
