# SPDX-License-Identifier: Apache-2.0
"""Offline checks of Servitor access tokens (ES256 JWTs) against the issuer's JWKS.

The signature is checked with ES256 only: the token never chooses its own algorithm, so ``none`` and
HMAC (an attacker signing with the public key as a shared secret) are refused before any key is used.
Offline checks cannot see what only the server knows: a revoked token, a disabled or deleted account,
a secret replaced without grace, network policies, permissions. Ask ``/v1/verify`` where that matters.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Union

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ._http import request_json
from .errors import InvalidTokenError, ServitorUnavailableError

MAX_JWKS_BYTES = 64 * 1024
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class VerifiedToken:
    """A token that passed every check. ``actor`` is the impersonating admin's subject, when there is one."""

    subject: str
    email: Optional[str]
    org: Optional[str]
    audience: Tuple[str, ...]
    expires_at: datetime
    issued_at: datetime
    actor: Optional[str]
    token_id: str
    claims: Mapping[str, Any]


class AccessTokenVerifier:
    """Checks access tokens offline: ES256 signature by a key of the JWKS, ``iss``, ``aud``, ``exp``/``nbf``
    with ``leeway`` seconds of clock skew, and that ``sub``, ``iat`` and ``jti`` are present.

    The JWKS is fetched on first use and kept ``max_age`` seconds. A token whose ``kid`` is not in the
    cached set refetches it, at most once per ``refetch_interval`` seconds (so a flood of made-up kids
    costs the issuer one request a minute); until then such a token is refused.
    """

    def __init__(self, issuer: str, jwks_uri: Optional[str] = None,
                 audience: Union[str, Sequence[str], None] = None, *, leeway: float = 60.0, timeout: float = 5.0,
                 refetch_interval: float = 60.0, max_age: float = 300.0, clock: Callable[[], float] = time.time):
        """``audience``: the ``aud`` values accepted (one is enough); None accepts the issuer only, which is the
        audience of a token requested without ``audience``. ``jwks_uri`` defaults to the ``jwks_uri`` of the
        issuer's ``/.well-known/oauth-authorization-server``, read on the first fetch."""
        if not issuer:
            raise ValueError("issuer is required")
        if leeway < 0 or timeout <= 0 or refetch_interval < 0 or max_age <= 0:
            raise ValueError("leeway, refetch_interval must be >= 0; timeout, max_age > 0")
        self.issuer = issuer
        self.jwks_uri: Optional[str] = jwks_uri
        if audience is None:
            self._audiences = frozenset([issuer])
        elif isinstance(audience, str):
            self._audiences = frozenset([audience])
        else:
            self._audiences = frozenset(audience)
        if not self._audiences:
            raise ValueError("audience must name at least one value")
        self._leeway = leeway
        self._timeout = timeout
        self._refetch_interval = refetch_interval
        self._max_age = max_age
        self._clock = clock
        self._keys: Dict[str, ec.EllipticCurvePublicKey] = {}
        self._fetched_at: Optional[float] = None
        self._attempted_at: Optional[float] = None
        self._lock = threading.Lock()

    @classmethod
    def discover(cls, url: str, audience: Union[str, Sequence[str], None] = None, *, timeout: float = 5.0,
                 **options: Any) -> "AccessTokenVerifier":
        """Reads ``issuer`` and ``jwks_uri`` from ``<url>/.well-known/oauth-authorization-server`` (RFC 8414)."""
        status, meta = request_json("GET", url.rstrip("/") + "/.well-known/oauth-authorization-server",
                                    timeout=timeout, max_bytes=MAX_JWKS_BYTES)
        if status != 200 or not isinstance(meta, dict) or not isinstance(meta.get("issuer"), str) \
                or not isinstance(meta.get("jwks_uri"), str):
            raise ServitorUnavailableError(f"no authorization server metadata at {url} (status {status})")
        return cls(meta["issuer"], meta["jwks_uri"], audience, timeout=timeout, **options)

    def verify(self, token: str) -> VerifiedToken:
        """Raises InvalidTokenError when the token is malformed, badly signed, expired, not yet valid, or for
        another issuer or audience; ServitorUnavailableError when the JWKS cannot be fetched and no key is known."""
        header, claims, signing_input, signature = _split(token)
        if header.get("alg") != "ES256":
            raise InvalidTokenError(f"algorithm {header.get('alg')!r} is not ES256")
        if "crit" in header:
            raise InvalidTokenError("critical header parameters are not understood")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidTokenError("no kid in the header")
        key = self._key(kid)
        if key is None:
            raise InvalidTokenError(f"unknown kid {kid!r}")
        if len(signature) != 64:
            raise InvalidTokenError("an ES256 signature has 64 bytes")
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        try:
            key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise InvalidTokenError("bad signature") from None
        return self._check_claims(claims)

    def _check_claims(self, c: Mapping[str, Any]) -> VerifiedToken:
        if c.get("iss") != self.issuer:
            raise InvalidTokenError(f"issuer {c.get('iss')!r} is not {self.issuer!r}")
        aud = c.get("aud")
        audiences = (aud,) if isinstance(aud, str) else tuple(a for a in aud if isinstance(a, str)) \
            if isinstance(aud, list) else ()
        if not self._audiences.intersection(audiences):
            raise InvalidTokenError(f"audience {aud!r} is not accepted")
        now = self._clock()
        exp, iat, nbf = _number(c, "exp"), _number(c, "iat"), c.get("nbf")
        if exp is None or iat is None:
            raise InvalidTokenError("exp and iat are required numbers")
        if now > exp + self._leeway:
            raise InvalidTokenError("expired", expired=True)
        if nbf is not None:
            nbf = _number(c, "nbf")
            if nbf is None or now < nbf - self._leeway:
                raise InvalidTokenError("not valid yet")
        sub, jti = c.get("sub"), c.get("jti")
        if not isinstance(sub, str) or not sub or not isinstance(jti, str) or not jti:
            raise InvalidTokenError("sub and jti are required strings")
        act = c.get("act")
        actor = act.get("sub") if isinstance(act, dict) and isinstance(act.get("sub"), str) else None
        email, org = c.get("email"), c.get("org")
        try:
            expires_at, issued_at = datetime.fromtimestamp(exp, timezone.utc), datetime.fromtimestamp(iat, timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise InvalidTokenError("exp or iat out of range") from None
        return VerifiedToken(
            subject=sub, email=email if isinstance(email, str) else None, org=org if isinstance(org, str) else None,
            audience=audiences, expires_at=expires_at, issued_at=issued_at, actor=actor, token_id=jti,
            claims=MappingProxyType(dict(c)))

    def _key(self, kid: str) -> Optional[ec.EllipticCurvePublicKey]:
        now = self._clock()
        keys, fetched_at = self._keys, self._fetched_at  # replaced whole, never mutated: safe to read unlocked
        if kid in keys and fetched_at is not None and now - fetched_at < self._max_age:
            return keys[kid]
        with self._lock:
            if self._may_fetch(now):
                self._fetch(now)
            if not self._keys:  # the issuer is down (or publishes no ES256 key): no verdict, not a refusal
                raise ServitorUnavailableError(f"no ES256 key known from {self.jwks_uri}")
            return self._keys.get(kid)

    def _may_fetch(self, now: float) -> bool:
        if self._attempted_at is None:
            return True
        # With no key at all (first use, or the issuer was down) retry every second, not every call.
        interval = self._refetch_interval if self._keys else min(1.0, self._refetch_interval)
        return now - self._attempted_at >= interval

    def _fetch(self, now: float) -> None:
        self._attempted_at = now
        if self.jwks_uri is None:
            self.jwks_uri = self.discover(self.issuer, timeout=self._timeout).jwks_uri
        try:
            status, jwks = request_json("GET", self.jwks_uri, timeout=self._timeout, max_bytes=MAX_JWKS_BYTES)
        except ServitorUnavailableError:
            if self._keys:
                return  # keep serving the keys we have; a stale set beats refusing every token
            raise
        if status != 200 or not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
            if self._keys:
                return
            raise ServitorUnavailableError(f"no JWKS at {self.jwks_uri} (status {status})")
        self._keys = _es256_keys(jwks["keys"])
        self._fetched_at = now


def _es256_keys(entries: Sequence[Any]) -> Dict[str, ec.EllipticCurvePublicKey]:
    keys: Dict[str, ec.EllipticCurvePublicKey] = {}
    for jwk in entries:
        if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
            continue
        if jwk.get("alg", "ES256") != "ES256" or jwk.get("use", "sig") != "sig" or not isinstance(jwk.get("kid"), str):
            continue
        try:
            x, y = _b64(jwk["x"]), _b64(jwk["y"])
            if len(x) != 32 or len(y) != 32:
                continue
            numbers = ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1())
            keys[jwk["kid"]] = numbers.public_key()
        except (KeyError, TypeError, ValueError, InvalidTokenError):
            continue  # not a point on the curve, or not base64url: skip that key, keep the others
    return keys


def _split(token: Any) -> Tuple[Dict[str, Any], Dict[str, Any], bytes, bytes]:
    if not isinstance(token, str):
        raise InvalidTokenError("not a string")
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidTokenError("not three dot-separated parts")
    header, claims = _json_part(parts[0], "header"), _json_part(parts[1], "claims")
    return header, claims, (parts[0] + "." + parts[1]).encode("ascii"), _b64(parts[2])


def _json_part(part: str, what: str) -> Dict[str, Any]:
    try:
        value = json.loads(_b64(part).decode("utf-8"), object_pairs_hook=_no_duplicates,
                           parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as e:
        raise InvalidTokenError(f"{what} is not JSON: {e}") from None
    if not isinstance(value, dict):
        raise InvalidTokenError(f"{what} is not a JSON object")
    return value


def _no_duplicates(pairs: Sequence[Tuple[str, Any]]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise ValueError(f"duplicate member {name!r}")
        out[name] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json would read NaN and Infinity


def _b64(part: Any) -> bytes:
    if not isinstance(part, str) or not _BASE64URL.fullmatch(part):
        raise InvalidTokenError("not unpadded base64url")
    try:
        return base64.urlsafe_b64decode(part.encode("ascii") + b"=" * (-len(part) % 4))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise InvalidTokenError("not base64url") from None


def _number(c: Mapping[str, Any], name: str) -> Optional[float]:
    v = c.get(name)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
