# SPDX-License-Identifier: Apache-2.0
"""WSGI middleware (Flask, Django, Bottle, any WSGI app): only verified requests reach the application."""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Optional, Union

from .errors import ServitorError
from .middleware import (ENVIRON_KEY, Refusal, credential_from, log, normalized_ip, refusal_for, unauthenticated,
                         unavailable)
from .verifier import Verifier

Environ = Dict[str, Any]
WsgiApp = Callable[[Environ, Callable[..., Any]], Iterable[bytes]]


def peer_address(environ: Environ) -> Optional[str]:
    return normalized_ip(environ.get("REMOTE_ADDR"))


class ServitorWSGIMiddleware:
    """Wraps a WSGI application: reads the credential (``Authorization`` Bearer/Token/Key or ``X-Api-Key``),
    verifies it, and calls the application with ``environ["servitor.verification"]`` set, or answers 401
    (with ``WWW-Authenticate``), 403, 429 or 503 itself with a small problem+json body.

    ``permission``: a permission every request needs, or a function of ``environ`` naming it (None: none).
    ``client_ip``: the address sent to ``/v1/verify`` for network policies; the peer address by default.
    Behind a proxy of yours, pass a function that reads the address your proxy sets (never trust a
    client's own ``X-Forwarded-For``); return None to send none.
    """

    def __init__(self, app: WsgiApp, verifier: Verifier, *,
                 permission: Union[str, Callable[[Environ], Optional[str]], None] = None,
                 client_ip: Callable[[Environ], Optional[str]] = peer_address, realm: str = "api"):
        self.app = app
        self.verifier = verifier
        self._permission = permission
        self._client_ip = client_ip
        self._realm = realm

    def __call__(self, environ: Environ, start_response: Callable[..., Any]) -> Iterable[bytes]:
        credential = credential_from(environ.get("HTTP_AUTHORIZATION"), environ.get("HTTP_X_API_KEY"))
        if credential is None:
            return _refuse(unauthenticated(self._realm), start_response)
        permission = self._permission(environ) if callable(self._permission) else self._permission
        try:
            verification = self.verifier.verify(credential, permission, self._client_ip(environ))
        except ServitorError as e:
            log.warning("servitor verification failed: %s", e)
            return _refuse(unavailable(), start_response)
        refusal = refusal_for(verification, self._realm)
        if refusal is not None:
            return _refuse(refusal, start_response)
        environ[ENVIRON_KEY] = verification
        return self.app(environ, start_response)


def _refuse(refusal: Refusal, start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response(f"{refusal.status} {refusal.reason}", refusal.header_list())
    return [refusal.body]
