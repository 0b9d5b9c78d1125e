# SPDX-License-Identifier: Apache-2.0
"""The public format of Servitor keys and client secrets (docs/api.md).

``<prefix>_<payload><checksum>``: a prefix of 1 to 16 base62 characters, 43 base62 characters of
payload and the CRC-32 (IEEE) of the payload's ASCII bytes in 6 base62 characters, most significant
digit first. Checking it costs no I/O, so a typo or a truncated paste is refused before any request.
Well formed says nothing about validity: only the server knows whether a key is live.
"""
from __future__ import annotations

import zlib
from typing import Optional

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
PAYLOAD_LENGTH = 43
CHECKSUM_LENGTH = 6
MAX_PREFIX_LENGTH = 16

_BASE62_CHARS = frozenset(BASE62)


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
    if not isinstance(candidate, str):
        return False
    underscore = len(candidate) - PAYLOAD_LENGTH - CHECKSUM_LENGTH - 1
    if underscore < 1 or underscore > MAX_PREFIX_LENGTH or candidate[underscore] != "_":
        return False
    if prefix is not None and candidate[:underscore] != prefix:
        return False
    for i, ch in enumerate(candidate):
        if i != underscore and ch not in _BASE62_CHARS:
            return False
    payload = candidate[underscore + 1:underscore + 1 + PAYLOAD_LENGTH]
    return key_checksum(payload) == candidate[-CHECKSUM_LENGTH:]


def looks_like_jwt(candidate: str) -> bool:
    """Three non-empty dot-separated base64url parts: a token for the server (or the offline check), not a key."""
    parts = candidate.split(".")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        return False
    return all(ch in _BASE64URL_CHARS for part in parts for ch in part)


_BASE64URL_CHARS = frozenset(BASE62 + "-_")
