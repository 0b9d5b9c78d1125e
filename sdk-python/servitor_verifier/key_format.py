# SPDX-License-Identifier: Apache-2.0
"""The public format of Servitor keys and client secrets (docs/api.md).

``<prefix>_<payload><checksum>``: a prefix of 1 to 16 base62 characters, 43 base62 characters of
payload and the CRC-32 (IEEE) of the payload's ASCII bytes in 6 base62 characters, most significant
digit first. Checking it costs no I/O, so a typo or a truncated paste is refused before any request.
Well formed says nothing about validity: only the server knows whether a key is live.
"""
from __future__ import annotations

import re
import zlib
from typing import Optional

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
PAYLOAD_LENGTH = 43
CHECKSUM_LENGTH = 6
MAX_PREFIX_LENGTH = 16

# Explicit ASCII ranges: \w or str.isalnum() would let non-ASCII letters and digits through.
_SHAPE = re.compile(f"[0-9A-Za-z]{{1,{MAX_PREFIX_LENGTH}}}_[0-9A-Za-z]{{{PAYLOAD_LENGTH + CHECKSUM_LENGTH}}}")
_JWT_SHAPE = re.compile(r"[0-9A-Za-z_-]+\.[0-9A-Za-z_-]+\.[0-9A-Za-z_-]*")


def key_checksum(payload: str) -> str:
    """The 6-character base62 CRC-32 of ``payload`` (ASCII), as the server writes it."""
    value = zlib.crc32(payload.encode("ascii"))
    digits = []
    for _ in range(CHECKSUM_LENGTH):
        value, digit = divmod(value, 62)
        digits.append(BASE62[digit])
    return "".join(reversed(digits))


def is_well_formed_key(candidate: object, prefix: Optional[str] = None) -> bool:
    """True if ``candidate`` has the shape of a Servitor key or secret and its checksum matches.

    With ``prefix`` (e.g. ``"svt"`` for keys, ``"svs"`` for client secrets) the key's prefix must be exactly it.
    """
    if not isinstance(candidate, str) or not _SHAPE.fullmatch(candidate):
        return False
    underscore = len(candidate) - PAYLOAD_LENGTH - CHECKSUM_LENGTH - 1
    if prefix is not None and candidate[:underscore] != prefix:
        return False
    return key_checksum(candidate[underscore + 1:-CHECKSUM_LENGTH]) == candidate[-CHECKSUM_LENGTH:]


def looks_like_jwt(candidate: str) -> bool:
    """Three dot-separated base64url parts (the signature may be empty): a token for the server (or the
    offline check), not a key."""
    return _JWT_SHAPE.fullmatch(candidate) is not None
