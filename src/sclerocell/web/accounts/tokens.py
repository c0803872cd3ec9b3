"""The shape of an API token: ``scl_<prefix>_<secret>``, stored as a SHA-256 digest.

The secret carries 256 random bits, so an unsalted SHA-256 digest is enough (nothing to guess
from it, nothing to gain from a slow hash); the comparison runs in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "scl"
PREFIX_BYTES = 4  # 8 hex characters: finds the row, reveals nothing of the secret
SECRET_BYTES = 32


@dataclass(frozen=True)
class NewToken:
    prefix: str
    raw: str
    digest: str


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def generate() -> NewToken:
    prefix = secrets.token_hex(PREFIX_BYTES)
    raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return NewToken(prefix=prefix, raw=raw, digest=digest_of(raw))


def prefix_of(raw: str) -> str | None:
    """The lookup prefix of a presented token, or None if it is not shaped like ours."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME or len(parts[1]) != 2 * PREFIX_BYTES:
        return None
    return parts[1]


def matches(raw: str, digest: str) -> bool:
    return hmac.compare_digest(digest_of(raw.strip()), digest)
