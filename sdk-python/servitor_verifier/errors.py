# SPDX-License-Identifier: Apache-2.0
"""What can go wrong besides a refused credential (which is a ``Verification``, not an exception)."""
from __future__ import annotations

from typing import Optional


class ServitorError(Exception):
    """The server could not answer: unreachable, too slow, or it refused the verifier's own key."""


class ServitorUnavailableError(ServitorError):
    """No answer: connection refused, timeout, a 5xx, or an answer that is not the contract's."""


class ServitorApiError(ServitorError):
    """The server refused the request itself (e.g. 401 for a wrong platform key, 403 without ``verify``)."""

    def __init__(self, status: int, code: Optional[str], detail: Optional[str]):
        super().__init__(f"servitor answered {status} {code or ''}: {detail or ''}".strip())
        self.status = status
        self.code = code
        self.detail = detail


class InvalidTokenError(Exception):
    """An access token refused by the offline check. ``reason`` is for logs; never show it to the presenter."""

    def __init__(self, reason: str, *, expired: bool = False):
        super().__init__(f"access token refused: {reason}")
        self.reason = reason
        self.expired = expired
