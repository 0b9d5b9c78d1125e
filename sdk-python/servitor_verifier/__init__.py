# SPDX-License-Identifier: Apache-2.0
"""Verify Servitor API keys and access tokens on the platform's side (a gateway or an API server).

    from servitor_verifier import Verifier
    verifier = Verifier("https://servitor.internal", os.environ["SERVITOR_VERIFY_KEY"])
    v = verifier.verify(presented, "deployments:write", client_ip)
    if v.valid: ...  # v.principal.name, v.permissions, v.credential.type
"""
from .access_token import AccessTokenVerifier, VerifiedToken
from .asgi import ServitorASGIMiddleware
from .errors import InvalidTokenError, ServitorApiError, ServitorError, ServitorUnavailableError
from .key_format import is_well_formed_key
from .middleware import ENVIRON_KEY
from .verification import Code, Credential, Federation, Principal, Verification
from .verifier import Verifier
from .wsgi import ServitorWSGIMiddleware

__version__ = "0.1.0"

__all__ = [
    "AccessTokenVerifier", "Code", "Credential", "ENVIRON_KEY", "Federation", "InvalidTokenError", "Principal",
    "ServitorASGIMiddleware", "ServitorApiError", "ServitorError", "ServitorUnavailableError",
    "ServitorWSGIMiddleware", "Verification", "VerifiedToken", "Verifier", "is_well_formed_key",
]
