# SPDX-License-Identifier: Apache-2.0
"""The SDK's only way out: one JSON request with urllib, a timeout, a size limit and no redirects.

Redirects are refused because urllib would resend the platform's key (``Authorization``) to wherever
a redirect points.
"""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any, Mapping, Optional, Tuple

from .errors import ServitorUnavailableError

MAX_ANSWER_BYTES = 1 << 20
USER_AGENT = "servitor-verifier-python/0.1.0"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


_opener = urllib.request.build_opener(_NoRedirect())


def request_json(method: str, url: str, *, timeout: float, headers: Optional[Mapping[str, str]] = None,
                 body: Optional[Mapping[str, Any]] = None, max_bytes: int = MAX_ANSWER_BYTES) -> Tuple[int, Any]:
    """Sends one request; answers (status, parsed JSON body or None). Raises ServitorUnavailableError when
    there is no answer at all (refused connection, timeout, a body over ``max_bytes``)."""
    data = None if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/json")
    req.add_header("User-Agent", USER_AGENT)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with _opener.open(req, timeout=timeout) as resp:
            return resp.status, _parse(resp.read(max_bytes + 1), max_bytes, url)
    except urllib.error.HTTPError as e:
        try:
            payload = _parse(e.read(max_bytes + 1), max_bytes, url)
        except ServitorUnavailableError:
            payload = None
        finally:
            e.close()
        return e.code, payload
    except (urllib.error.URLError, socket.timeout, TimeoutError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise ServitorUnavailableError(f"{method} {_without_query(url)}: {reason}") from None


def _parse(raw: bytes, max_bytes: int, url: str) -> Any:
    if len(raw) > max_bytes:
        raise ServitorUnavailableError(f"answer of {_without_query(url)} exceeds {max_bytes} bytes")
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]
