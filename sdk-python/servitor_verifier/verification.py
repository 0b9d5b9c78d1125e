# SPDX-License-Identifier: Apache-2.0
"""The answer of ``POST /v1/verify`` as immutable values (the same shapes as ``/v1/whoami``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Mapping, Optional, Tuple


class Code:
    """The codes of ``/v1/verify``; only ``VALID`` comes with ``valid`` true."""

    VALID = "VALID"
    NOT_FOUND = "NOT_FOUND"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    DISABLED = "DISABLED"
    IP_NOT_ALLOWED = "IP_NOT_ALLOWED"
    FORBIDDEN = "FORBIDDEN"
    NETWORK_POLICY_REQUIRED = "NETWORK_POLICY_REQUIRED"
    """The organization requires a network policy and none applies to the account (the credential is genuine)."""
    RATE_LIMITED = "RATE_LIMITED"
    USAGE_EXCEEDED = "USAGE_EXCEEDED"


@dataclass(frozen=True)
class Principal:
    """A service account or a user: ``type`` is ``service_account`` or ``user``."""

    id: Optional[str]
    type: Optional[str]
    name: Optional[str]
    email: Optional[str]
    org: Optional[str]

    @classmethod
    def from_json(cls, o: Any) -> Optional["Principal"]:
        if not isinstance(o, dict):
            return None
        return cls(_str(o, "id"), _str(o, "type"), _str(o, "name"), _str(o, "email"), _str(o, "org"))


@dataclass(frozen=True)
class Federation:
    """The workload an access token was issued to through federation (the token's ``fed`` claim): ``issuer``,
    the name of the federation issuer as registered in Servitor; ``subject``, the workload token's ``sub``;
    ``credential``, the name of the service account's federated credential that matched."""

    issuer: Optional[str]
    subject: Optional[str]
    credential: Optional[str]

    @classmethod
    def from_json(cls, o: Any) -> Optional["Federation"]:
        if not isinstance(o, dict):
            return None
        return cls(_str(o, "issuer"), _str(o, "subject"), _str(o, "credential"))


@dataclass(frozen=True)
class Credential:
    """The credential presented: ``kind`` is api_key, access_token or session; ``type`` read_write or read_scaling;
    ``federation`` only for an access token exchanged for a federated workload's token."""

    id: Optional[str]
    kind: Optional[str]
    type: Optional[str]
    expires_at: Optional[datetime]
    federation: Optional[Federation] = None

    @classmethod
    def from_json(cls, o: Any) -> Optional["Credential"]:
        if not isinstance(o, dict):
            return None
        return cls(_str(o, "id"), _str(o, "kind"), _str(o, "type"), _instant(o.get("expires_at")),
                   Federation.from_json(o.get("federation")))


@dataclass(frozen=True)
class Verification:
    """Whether a credential may be used, and whose it is.

    ``principal``, ``permissions`` and ``credential`` are present when the server recognised the
    credential (also for ``FORBIDDEN``); ``actor`` only under impersonation. ``raw`` is the answer's
    JSON object, read-only, for fields this class does not name yet. Never holds the credential itself.
    """

    valid: bool
    code: str
    principal: Optional[Principal] = None
    actor: Optional[Principal] = None
    permissions: Tuple[str, ...] = ()
    credential: Optional[Credential] = None
    retry_after_seconds: Optional[int] = None
    raw: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), compare=False, repr=False)

    @classmethod
    def from_json(cls, o: Mapping[str, Any]) -> "Verification":
        permissions = o.get("permissions")
        retry = o.get("retry_after_seconds")
        return cls(
            valid=o.get("valid") is True,
            code=str(o.get("code")),
            principal=Principal.from_json(o.get("principal")),
            actor=Principal.from_json(o.get("actor")),
            permissions=tuple(p for p in permissions if isinstance(p, str)) if isinstance(permissions, list) else (),
            credential=Credential.from_json(o.get("credential")),
            retry_after_seconds=retry if isinstance(retry, int) and not isinstance(retry, bool) else None,
            raw=MappingProxyType(dict(o)),
        )

    @property
    def restrictions(self) -> Optional[Mapping[str, Any]]:
        """The key's per-key restrictions as the server wrote them (``permissions``, ``allowed_ips``,
        ``rate_limit``, ``remaining_uses``, ``refill``), read-only; None for a key without any."""
        r = self.raw.get("restrictions")
        return MappingProxyType(r) if isinstance(r, dict) else None

    @property
    def remaining(self) -> Any:
        """What is left of the key's uses, as the server wrote it (the uses left after this one); None when absent."""
        return self.raw.get("remaining")

    @property
    def metered(self) -> bool:
        """Whether the server may count each use (``remaining``, or any restriction but ``permissions`` and
        ``allowed_ips``: a rate limit, remaining uses, or one this SDK does not know): such an answer is never
        cached, or uses beyond the limit would go uncounted."""
        remaining = self.raw.get("remaining")
        restrictions = self.raw.get("restrictions")
        if remaining is not None:
            return True
        if restrictions is None:
            return False
        if not isinstance(restrictions, dict):
            return True  # a shape this SDK does not know: do not guess that it is free to cache
        return any(value is not None for name, value in restrictions.items() if name not in _COUNT_NOTHING)

    @classmethod
    def refused(cls, code: str = Code.NOT_FOUND) -> "Verification":
        return cls(valid=False, code=code)


_COUNT_NOTHING = ("permissions", "allowed_ips")


def _str(o: Mapping[str, Any], name: str) -> Optional[str]:
    v = o.get(name)
    return v if isinstance(v, str) else None


def _instant(v: Any) -> Optional[datetime]:
    if not isinstance(v, str):
        return None
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
