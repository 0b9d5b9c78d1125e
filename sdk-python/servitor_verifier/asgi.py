# SPDX-License-Identifier: Apache-2.0
"""ASGI middleware (Starlette, FastAPI, Django's ASGI, any ASGI 3 app): only verified requests reach it."""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, Optional, Union

from .errors import ServitorError
from .middleware import (ENVIRON_KEY, Refusal, credential_from, log, normalized_ip, refusal_for, unauthenticated,
                         unavailable)
from .verifier import Verifier

Scope = Dict[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def peer_address(scope: Scope) -> Optional[str]:
    client = scope.get("client")
    return normalized_ip(client[0]) if client else None


class ServitorASGIMiddleware:
    """Wraps an ASGI application: HTTP requests and WebSocket handshakes need a verified credential
    (``Authorization`` Bearer/Token/Key or ``X-Api-Key``); the application sees the ``Verification`` in
    ``scope["servitor.verification"]`` (in Starlette: ``request.scope["servitor.verification"]``).
    A refused HTTP request is answered 401 (with ``WWW-Authenticate``), 403, 429 or 503 with a small
    problem+json body; a refused WebSocket handshake is closed (the server answers it 403). Other scopes
    (``lifespan``) pass through.

    Answers known without I/O (a malformed key, a cached answer) are given on the event loop; a request
    to Servitor runs in the loop's default executor so that it never blocks other requests.
    ``permission`` and ``client_ip`` as for the WSGI middleware, as functions of the scope.
    """

    def __init__(self, app: AsgiApp, verifier: Verifier, *,
                 permission: Union[str, Callable[[Scope], Optional[str]], None] = None,
                 client_ip: Callable[[Scope], Optional[str]] = peer_address, realm: str = "api"):
        self.app = app
        self.verifier = verifier
        self._permission = permission
        self._client_ip = client_ip
        self._realm = realm

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        credential = credential_from(headers.get("authorization"), headers.get("x-api-key"))
        refusal: Optional[Refusal]
        if credential is None:
            refusal = unauthenticated(self._realm)
        else:
            permission = self._permission(scope) if callable(self._permission) else self._permission
            ip = self._client_ip(scope)
            verification = self.verifier.answer_without_request(credential, permission, ip)
            try:
                if verification is None:
                    loop = asyncio.get_running_loop()
                    verification = await loop.run_in_executor(None, self.verifier.verify, credential, permission, ip)
                refusal = refusal_for(verification, self._realm)
            except ServitorError as e:
                log.warning("servitor verification failed: %s", e)
                refusal = unavailable()
            if refusal is None:
                await self.app({**scope, ENVIRON_KEY: verification}, receive, send)
                return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": refusal.status,
                    "headers": [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in refusal.headers]})
        await send({"type": "http.response.body", "body": refusal.body})


def _headers(scope: Scope) -> Dict[str, Optional[str]]:
    """The request's headers by lower-case name; a repeated header is None: which of two credentials
    was meant is not for the middleware to guess (a WSGI server joins them, which fails the format check)."""
    out: Dict[str, Optional[str]] = {}
    for name, value in scope.get("headers") or ():
        key = name.decode("latin-1").lower()
        out[key] = None if key in out else value.decode("latin-1")
    return out
