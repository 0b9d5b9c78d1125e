# SPDX-License-Identifier: Apache-2.0
"""What the suites share: the shared case list, the fixtures made through a real server's API, small local
HTTP servers (a counting pass-through to the real server, a JWKS host, one that never answers) and JWT signing.

The server is the one named by SERVITOR_URL with SERVITOR_TOKEN (an org admin key, which holds ``verify``);
``test.sh`` starts a fresh one.
"""
from __future__ import annotations

import base64
import json
import os
import re
import secrets
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from servitor_verifier.key_format import BASE62, key_checksum

CASES: Dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "sdk-cases" / "cases.json").read_text(encoding="utf-8"))

# The members this suite understands, per section: any other fails at import rather than being ignored.
_KNOWN = {
    "": {"about", "fixtures", "key_format", "verify", "offline_token", "middleware"},
    "key_format": {"input", "prefix", "well_formed", "why"},
    "verify": {"credential", "permission", "then", "platform_key", "stand_in", "times", "interval_ms",
               "negative_cache_seconds", "expect", "why"},
    "verify.expect": {"valid", "code", "network", "error", "status", "requests", "retry_after_seconds", "federation"},
    "offline_token": {"token", "audience", "then", "stand_in", "via", "principal", "expect", "reason", "why"},
    "middleware": {"request", "permission", "client_ip", "stand_in", "expect", "why"},
    "middleware.expect": {"status", "code", "retry_after", "upstream_called", "upstream_sees"},
    "stand_in": {"status", "body", "unreachable", "discovery_jwks"},
}


def _check_members(o: Dict[str, Any], known: str, where: str) -> None:
    unknown = sorted(set(o) - _KNOWN[known])
    if unknown:
        raise AssertionError(f"cases.json {where}: members {unknown} are unknown to this suite")


_check_members(CASES, "", "top level")
for _section in ("key_format", "verify", "offline_token", "middleware"):
    for _i, _case in enumerate(CASES[_section]):
        _check_members(_case, _section, f"{_section}[{_i}]")
        if "stand_in" in _case:
            _check_members(_case["stand_in"], "stand_in", f"{_section}[{_i}].stand_in")
        if _section + ".expect" in _KNOWN:
            _check_members(_case["expect"], _section + ".expect", f"{_section}[{_i}].expect")

SERVITOR_URL = os.environ.get("SERVITOR_URL", "").rstrip("/")
SERVITOR_TOKEN = os.environ.get("SERVITOR_TOKEN", "")


def require_server() -> None:
    if not SERVITOR_URL or not SERVITOR_TOKEN:
        raise RuntimeError("SERVITOR_URL and SERVITOR_TOKEN must name a running Servitor (run sdk-python/test.sh)")


def api(method: str, path: str, body: Any = None) -> Any:
    """An admin call; raises on any non-2xx answer."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(SERVITOR_URL + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + SERVITOR_TOKEN,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        raw = resp.read()
        return json.loads(raw) if raw else None


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(o: Any) -> str:
    return b64url(json.dumps(o, separators=(",", ":")).encode())


def jwt_parts(token: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    h, c, _ = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(h))), json.loads(base64.urlsafe_b64decode(pad(c)))


def sign_es256(header: Dict[str, Any], claims: Dict[str, Any], key: ec.EllipticCurvePrivateKey) -> str:
    signing_input = b64url_json(header) + "." + b64url_json(claims)
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def jwks_of(key: ec.EllipticCurvePrivateKey, kid: str) -> Dict[str, Any]:
    n = key.public_key().public_numbers()
    return {"keys": [{"kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
                      "x": b64url(n.x.to_bytes(32, "big")), "y": b64url(n.y.to_bytes(32, "big"))}]}


def well_formed_key(prefix: str = "svt") -> str:
    payload = "".join(secrets.choice(BASE62) for _ in range(43))
    return f"{prefix}_{payload}{key_checksum(payload)}"


def change_last_character(s: str) -> str:
    return s[:-1] + ("A" if s[-1] != "A" else "B")


def tamper_signature(token: str) -> str:
    """One character of the signature changed. Not the last one: its low bits are base64 padding, so
    changing it may decode to the same bytes."""
    head, sig = token.rsplit(".", 1)
    i = len(sig) // 2
    return f"{head}.{sig[:i]}{'A' if sig[i] != 'A' else 'B'}{sig[i + 1:]}"


class Fixtures:
    """The fixtures of cases.json, made once per test run through the API."""

    def __init__(self) -> None:
        require_server()
        suffix = secrets.token_hex(3)
        self._key_ids: Dict[str, str] = {}
        self.role = f"deployer-{suffix}"
        self.account = f"sdk-py-{suffix}"
        api("POST", "/v1/roles", {"name": self.role, "permissions": ["deployments:write"]})
        sa = api("POST", "/v1/service-accounts", {"name": self.account, "role": self.role})
        self.account_id: str = sa["id"]
        self.live_key: str = self.new_key("live")
        self.revoked_key: str = self.new_key("revoked")
        self.revoke(self.revoked_key)
        self.unknown_key = well_formed_key(self.live_key.split("_", 1)[0])
        self.malformed_key = change_last_character(self.live_key)
        secret = api("POST", f"/v1/service-accounts/{self.account}/secret")
        self.client_id, self.client_secret = secret["client_id"], secret["client_secret"]
        self.access_token = self.new_access_token()
        header, claims = jwt_parts(self.access_token)
        self.token_header, self.token_claims = header, claims
        self.issuer: str = claims["iss"]
        self.tampered_token = tamper_signature(self.access_token)
        self.alg_none_token = b64url_json({"alg": "none", "typ": "JWT"}) + "." + \
            self.access_token.split(".")[1] + "."
        self.foreign_key = ec.generate_private_key(ec.SECP256R1())
        self.foreign_token = sign_es256(header, claims, self.foreign_key)
        # Signed by a key the server does not know, under a kid it does not know, with exp in the past.
        self.test_kid = "test-" + suffix
        self.expired_token = sign_es256(dict(header, kid=self.test_kid),
                                        dict(claims, exp=claims["iat"] - 3600, iat=claims["iat"] - 7200),
                                        self.foreign_key)
        self.test_jwks = jwks_of(self.foreign_key, self.test_kid)

    def new_key(self, name: str) -> str:
        created = api("POST", f"/v1/service-accounts/{self.account}/keys",
                      {"name": f"{name}-{secrets.token_hex(3)}"})
        self._key_ids[created["key"][-12:]] = created["id"]
        return created["key"]

    def revoke(self, key: str) -> None:
        api("DELETE", f"/v1/service-accounts/{self.account}/keys/{self._key_ids[key[-12:]]}")

    def new_access_token(self) -> str:
        form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": self.client_id,
                                       "client_secret": self.client_secret}).encode()
        with urllib.request.urlopen(urllib.request.Request(SERVITOR_URL + "/oauth/token", data=form), timeout=10) as r:
            return json.loads(r.read())["access_token"]

    @property
    def fenced_key(self) -> str:
        """cases.json's fenced_key: a key of an account whose network policy blocks 203.0.113.0/24."""
        if not hasattr(self, "_fenced_key"):
            name = f"{self.account}-fenced"
            api("POST", "/v1/network-policies", {"name": name, "blocked_ips": ["203.0.113.0/24"]})
            api("POST", "/v1/service-accounts", {"name": name, "network_policy": name})
            self._fenced_key = api("POST", f"/v1/service-accounts/{name}/keys", {"name": "fenced"})["key"]
        return self._fenced_key

    def named(self, name: str) -> str:
        """A fixture by its name in cases.json."""
        return getattr(self, name)

    def substitute(self, header_value: str) -> str:
        """``Bearer <live_key>`` -> the header with the fixture in place."""
        return re.sub(r"<([a-z_]+)>", lambda m: self.named(m.group(1)), header_value)


_fixtures: Optional[Fixtures] = None
_fixtures_lock = threading.Lock()


def fixtures() -> Fixtures:
    global _fixtures
    with _fixtures_lock:
        if _fixtures is None:
            _fixtures = Fixtures()
        return _fixtures


class LocalServer:
    """A real HTTP server on a free loopback port. Paths in ``overrides`` get the canned JSON answer (until
    removed); any other request is passed to ``target`` (the real Servitor) if there is one, else 404.
    ``requests`` lists every path asked, so a test can see whether a request was made at all."""

    def __init__(self, target: Optional[str] = None):
        self.target = target
        self.overrides: Dict[str, Tuple[int, Any, Dict[str, str]]] = {}
        self.requests: List[str] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner._handle(self)

            def do_POST(self) -> None:
                owner._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for p in self.requests if p == path)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        with self._lock:
            self.requests.append(path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else None
        if path in self.overrides:
            status, answer, headers = self.overrides[path]
            self._answer(h, status, dict(headers, **{"Content-Type": "application/json"}), json.dumps(answer).encode())
            return
        if self.target is None:
            self._answer(h, 404, {"Content-Type": "application/json"}, b'{"status":404}')
            return
        headers = {k: v for k, v in h.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        req = urllib.request.Request(self.target + h.path, data=body, method=h.command, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                self._answer(h, resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as e:
            self._answer(h, e.code, dict(e.headers), e.read())

    @staticmethod
    def _answer(h: BaseHTTPRequestHandler, status: int, headers: Dict[str, str], body: bytes) -> None:
        h.send_response(status)
        for k, v in headers.items():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)


class SilentServer:
    """Accepts connections (the kernel does, from its backlog) and never answers: a server that hangs."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def close(self) -> None:
        self._sock.close()


def unreachable_url() -> str:
    """A loopback URL nothing listens on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()
    return url


def stand_in(spec: Dict[str, Any], f: "Fixtures") -> Tuple[str, Optional[LocalServer]]:
    """A case's ``stand_in`` (cases.json, fixtures.stand_in): (the URL to point the verifier at, its server)."""
    if spec.get("unreachable"):
        return unreachable_url(), None
    if "discovery_jwks" in spec:
        if spec["discovery_jwks"] != "foreign_token":
            raise AssertionError(f"discovery_jwks {spec['discovery_jwks']!r} is unknown to this suite")
        server = LocalServer()
        with urllib.request.urlopen(SERVITOR_URL + "/.well-known/oauth-authorization-server", timeout=10) as r:
            meta = json.loads(r.read())
        server.overrides["/.well-known/oauth-authorization-server"] = (
            200, dict(meta, jwks_uri=server.url + "/test-jwks.json"), {})
        server.overrides["/test-jwks.json"] = (200, jwks_of(f.foreign_key, f.token_header["kid"]), {})
        return server.url, server
    if "status" in spec:
        server = LocalServer()
        server.overrides["/v1/verify"] = (spec["status"], spec.get("body"), {})
        return server.url, server
    raise AssertionError(f"stand_in {spec!r} is unknown to this suite")


def check_offline_principal(test: Any, principal: Any, rules: Dict[str, str], claims: Dict[str, Any],
                            account: str) -> None:
    """Offline mode's principal against cases.json's rule: a field names the claim it equals, ``account`` the
    fixture account's name, ``service_account``/``user`` are literal, null or "" mean empty."""
    for name, rule in rules.items():
        got = getattr(principal, name) or None
        if rule in (None, ""):
            want = None
        elif rule == "account":
            want = account
        elif rule in ("service_account", "user"):
            want = rule
        else:
            want = claims[rule]
        test.assertEqual(got, want, f"principal.{name} ({rule})")
