# SPDX-License-Identifier: Apache-2.0
"""The platform's side of Servitor: is this credential good, and whose is it?"""
from __future__ import annotations

import hashlib
import threading
import time
from typing import Any, Callable, Optional, Sequence, Tuple, Union

from ._http import request_json
from .access_token import AccessTokenVerifier, VerifiedToken
from .cache import ExpiringCache
from .errors import InvalidTokenError, ServitorApiError, ServitorUnavailableError
from .key_format import is_well_formed_key, looks_like_jwt
from .verification import Code, Credential, Federation, Principal, Verification

MAX_NEGATIVE_CACHE_TTL = 5.0

CacheKey = Tuple[bytes, Optional[str], Optional[str]]


class Verifier:
    """Verifies API keys and access tokens with ``POST /v1/verify``, authenticated with the platform's own
    key (it needs the ``verify`` permission), and caches the answers.

    - A key that fails the format check (prefix, base62, CRC-32) is ``NOT_FOUND`` at once, with no request.
    - Valid answers are cached ``cache_ttl`` seconds (default 10; never past the credential's own
      ``expires_at``): a key revoked meanwhile keeps working here until its entry expires.
    - Refusals are cached ``negative_cache_ttl`` seconds (default 0, at most 5).
    - The cache is keyed by the SHA-256 of the credential (with the permission and address asked about),
      so it never holds a credential.
    - With ``offline_access_tokens``, a JWT asked about without a permission is checked against the JWKS
      (no request once the keys are cached) and a pass is cached like a valid answer; see
      ``verify_access_token`` for what that cannot see. ``raw`` is then the token's claims.

    Thread-safe; make one per process and share it.
    """

    def __init__(self, url: str, key: str, *, cache_ttl: float = 10.0, negative_cache_ttl: float = 0.0,
                 timeout: float = 5.0, key_prefix: Optional[str] = None, offline_access_tokens: bool = False,
                 issuer: Optional[str] = None, jwks_uri: Optional[str] = None,
                 audience: Union[str, Sequence[str], None] = None, max_cache_entries: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        """``url``: where the verifier reaches Servitor. ``key``: the platform's key holding ``verify``.
        ``key_prefix``: refuse keys with another prefix without a request (e.g. ``"svt"``).
        ``issuer``/``jwks_uri``/``audience``: for offline token checks; by default the issuer and JWKS are
        read from ``<url>/.well-known/oauth-authorization-server`` on first use, and the audience is the issuer.
        """
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError("url must be an http:// or https:// URL")
        if not isinstance(key, str) or not key or any(c in key for c in "\r\n"):
            raise ValueError("key must be the platform's Servitor key (one line)")
        if cache_ttl < 0:
            raise ValueError("cache_ttl must be >= 0 seconds")
        if not 0 <= negative_cache_ttl <= MAX_NEGATIVE_CACHE_TTL:
            raise ValueError(f"negative_cache_ttl must be between 0 and {MAX_NEGATIVE_CACHE_TTL:g} seconds: "
                             "a refused credential must not stay refused for long after it is fixed")
        if timeout <= 0:
            raise ValueError("timeout must be > 0 seconds")
        self.url = url.rstrip("/")
        self._authorization = "Bearer " + key
        self._cache_ttl = cache_ttl
        self._negative_cache_ttl = negative_cache_ttl
        self._timeout = timeout
        self._key_prefix = key_prefix
        self._offline = offline_access_tokens
        self._issuer, self._jwks_uri, self._audience = issuer, jwks_uri, audience
        self._clock = clock
        self._cache: ExpiringCache[Verification] = ExpiringCache(max_cache_entries)
        self._tokens: Optional[AccessTokenVerifier] = None
        self._tokens_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Verifier(url={self.url!r})"  # never the key

    @staticmethod
    def is_well_formed_key(candidate: object, prefix: Optional[str] = None) -> bool:
        """The offline format check of a key or client secret (see ``key_format``)."""
        return is_well_formed_key(candidate, prefix)

    def verify(self, credential: Optional[str], permission: Optional[str] = None,
               ip: Optional[str] = None) -> Verification:
        """Whether ``credential`` (an API key or an access token) is valid, optionally holds ``permission``
        and may be used from ``ip``. A refused credential is a ``Verification`` with ``valid`` false and the
        server's code; raises ServitorUnavailableError (no answer) or ServitorApiError (the server refused the
        platform's own key) when there is no verdict.
        """
        local = self.answer_without_request(credential, permission, ip)
        if local is not None:
            return local
        assert isinstance(credential, str)
        if self._offline and permission is None and looks_like_jwt(credential):
            return self._verify_offline(credential, ip)
        return self._ask(credential, permission, ip)

    def answer_without_request(self, credential: Optional[str], permission: Optional[str] = None,
                               ip: Optional[str] = None) -> Optional[Verification]:
        """The answer when it needs no I/O: a malformed credential, or a cached answer; else None.
        Never blocks (the ASGI middleware calls it on the event loop)."""
        if not isinstance(credential, str) or not credential:
            return Verification.refused()
        if not looks_like_jwt(credential) and not is_well_formed_key(credential, self._key_prefix):
            return Verification.refused()
        return self._cache.get(_cache_key(credential, permission, ip), self._clock())

    def verify_access_token(self, token: str) -> VerifiedToken:
        """Checks an access token offline against the server's JWKS: ES256, ``iss``, ``aud``, ``exp``/``nbf``
        (60 s skew). It cannot see a revoked token, a disabled or deleted account, a secret replaced without
        grace, permissions or network policies. Raises InvalidTokenError, or ServitorUnavailableError when no
        key can be fetched."""
        return self._token_verifier().verify(token)

    def clear_cache(self) -> None:
        self._cache.clear()

    def _ask(self, credential: str, permission: Optional[str], ip: Optional[str]) -> Verification:
        body = {"credential": credential}
        if permission is not None:
            body["permission"] = permission
        if ip is not None:
            body["ip"] = ip
        status, answer = request_json("POST", self.url + "/v1/verify", timeout=self._timeout, body=body,
                                      headers={"Authorization": self._authorization})
        if status != 200:
            problem = answer if isinstance(answer, dict) else {}
            code, detail = problem.get("code"), problem.get("detail")
            if status >= 500:
                raise ServitorUnavailableError(f"POST /v1/verify answered {status} {code or ''}".strip())
            raise ServitorApiError(status, code if isinstance(code, str) else None,
                                   detail if isinstance(detail, str) else None)
        if not isinstance(answer, dict) or not isinstance(answer.get("valid"), bool) \
                or not isinstance(answer.get("code"), str):
            raise ServitorUnavailableError("POST /v1/verify answered something other than a verification")
        verification = Verification.from_json(answer)
        self._remember(_cache_key(credential, permission, ip), verification)
        return verification

    def _remember(self, key: CacheKey, verification: Verification) -> None:
        ttl = self._cache_ttl if verification.valid else self._negative_cache_ttl
        if verification.code == Code.RATE_LIMITED:
            # Not refused here after the server would take the key again; without a time, not remembered.
            ttl = min(ttl, verification.retry_after_seconds or 0)
        if ttl <= 0 or (verification.valid and verification.metered):
            return
        expires_at = verification.credential.expires_at if verification.credential else None
        if verification.valid and expires_at is not None:
            ttl = min(ttl, expires_at.timestamp() - time.time())
            if ttl <= 0:
                return
        self._cache.put(key, verification, self._clock() + ttl)

    def _verify_offline(self, token: str, ip: Optional[str]) -> Verification:
        try:
            t = self._token_verifier().verify(token)
        except InvalidTokenError as e:
            return Verification.refused(Code.EXPIRED if e.expired else Code.NOT_FOUND)
        principal = Principal(id=t.subject, type=_principal_type(t.subject),
                              name=_account_name(t.subject, t.email), email=t.email, org=t.org)
        actor = Principal(id=t.actor, type=None, name=None, email=None, org=None) if t.actor else None
        verification = Verification(valid=True, code=Code.VALID, principal=principal, actor=actor,
                                    credential=Credential(id=t.token_id, kind="access_token", type=None,
                                                          expires_at=t.expires_at,
                                                          federation=Federation.from_json(t.claims.get("fed"))),
                                    raw=t.claims)
        self._remember(_cache_key(token, None, ip), verification)
        return verification

    def _token_verifier(self) -> AccessTokenVerifier:
        tokens = self._tokens
        if tokens is not None:
            return tokens
        with self._tokens_lock:
            if self._tokens is None:
                if self._issuer is not None and self._jwks_uri is not None:
                    self._tokens = AccessTokenVerifier(self._issuer, self._jwks_uri, self._audience, timeout=self._timeout)
                else:
                    # The JWKS location is the discovery document's jwks_uri, as in the other SDKs.
                    discovered = AccessTokenVerifier.discover(self.url, self._audience, timeout=self._timeout)
                    self._tokens = AccessTokenVerifier(self._issuer or discovered.issuer,
                                                       self._jwks_uri or discovered.jwks_uri,
                                                       self._audience, timeout=self._timeout)
            return self._tokens


def _principal_type(subject: str) -> Optional[str]:
    if subject.startswith("sa_"):
        return "service_account"
    if subject.startswith("usr_"):
        return "user"
    return None


def _account_name(subject: str, email: Optional[str]) -> Optional[str]:
    """Offline, a service account's name is its e-mail's local part (``<name>@<org>.sa.<domain>``, the
    contract's form), as it was when the token was issued; None for any other subject."""
    if not subject.startswith("sa_") or not email or "@" not in email:
        return None
    local, _, domain = email.partition("@")
    return local if local and ".sa." in "." + domain else None


def _cache_key(credential: str, permission: Optional[str], ip: Optional[str]) -> CacheKey:
    return hashlib.sha256(credential.encode("utf-8", "surrogatepass")).digest(), permission, ip
