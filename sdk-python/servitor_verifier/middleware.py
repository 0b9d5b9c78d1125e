# SPDX-License-Identifier: Apache-2.0
"""What the WSGI and ASGI middlewares share: where the credential is, and how a refusal is answered.

A presenter is told only 401 (whatever is wrong with the credential: unknown, malformed, expired,
revoked, disabled), 403 (a good credential without the permission, from a refused address, or of an account
without the network policy its organization requires), 429
(a key's rate limit or uses spent) or 503 (Servitor could not be asked); the reason stays with the platform.
"""
from __future__ import annotations

import ipaddress
import json
import logging
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .verification import Code, Verification

log = logging.getLogger("servitor_verifier")

ENVIRON_KEY = "servitor.verification"
"""Where the upstream application finds the ``Verification``: WSGI ``environ`` and ASGI ``scope``."""

_SCHEMES = ("bearer", "token", "key")


def credential_from(authorization: Optional[str], x_api_key: Optional[str]) -> Optional[str]:
    """The credential of ``Authorization: Bearer|Token|Key <credential>`` (any case), else of ``X-Api-Key``."""
    if authorization:
        scheme, _, rest = authorization.strip().partition(" ")
        if scheme.lower() in _SCHEMES and rest.strip():
            return rest.strip()
    if x_api_key and x_api_key.strip():
        return x_api_key.strip()
    return None


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str
    headers: Tuple[Tuple[str, str], ...]
    body: bytes

    def header_list(self) -> List[Tuple[str, str]]:
        return list(self.headers)


def refusal_for(verification: Verification, realm: str) -> Optional[Refusal]:
    """None when the request may go on; else the answer to give the presenter."""
    code = verification.code
    if verification.valid:
        return None
    if code == Code.FORBIDDEN:
        return _problem(403, "forbidden", "Not allowed", "The credential does not grant this operation")
    if code == Code.IP_NOT_ALLOWED:
        return _problem(403, "ip_not_allowed", "Client address not allowed",
                        "The credential may not be used from this address")
    if code == Code.NETWORK_POLICY_REQUIRED:
        return _problem(403, "network_policy_required", "Network policy required",
                        "The organization requires a network policy for this account")
    if code in (Code.RATE_LIMITED, Code.USAGE_EXCEEDED):
        retry = verification.retry_after_seconds
        # Retry-After is the server's retry_after_seconds; without one, 1 s for a rate limit (it lifts within
        # moments) and none for spent uses (they come back only with a refill or a new grant), as the other SDKs.
        if retry is not None and retry >= 0:
            extra: Tuple[Tuple[str, str], ...] = (("Retry-After", str(retry)),)
        else:
            extra = (("Retry-After", "1"),) if code == Code.RATE_LIMITED else ()
        return _problem(429, code.lower(), "Too many requests", "The credential's limit is reached", extra)
    # NOT_FOUND, EXPIRED, REVOKED, DISABLED and any code this SDK does not know yet: one uniform 401.
    return unauthenticated(realm)


def unauthenticated(realm: str) -> Refusal:
    return _problem(401, "unauthenticated", "Authentication required", "A valid credential is required",
                    (("WWW-Authenticate", f'Bearer realm="{realm}"'),))


def unavailable() -> Refusal:
    return _problem(503, "unavailable", "Service unavailable", "The credential could not be verified now",
                    (("Retry-After", "1"),))


def normalized_ip(address: Optional[str]) -> Optional[str]:
    """A peer address as Servitor's network policies see it: no IPv6 zone, IPv4-mapped IPv6 as IPv4;
    None when it is not an IP address (a Unix socket's path)."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


_REASONS = {401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests", 503: "Service Unavailable"}


def _problem(status: int, code: str, title: str, detail: str, extra: Tuple[Tuple[str, str], ...] = ()) -> Refusal:
    body = json.dumps({"type": "https://servitor.dev/problems/" + code, "title": title,
                       "status": status, "detail": detail, "code": code}, separators=(",", ":")).encode("utf-8")
    headers = (("Content-Type", "application/problem+json"), ("Content-Length", str(len(body))),
               ("Cache-Control", "no-store")) + extra
    return Refusal(status, _REASONS[status], headers, body)
