# SPDX-License-Identifier: Apache-2.0
"""The shared ``middleware`` cases, through the WSGI middleware (served by wsgiref, asked over HTTP) and
the ASGI middleware (called as a server would call it), in front of an upstream that records its calls."""
import asyncio
import json
import threading
import unittest
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from servitor_verifier import ENVIRON_KEY, ServitorASGIMiddleware, ServitorWSGIMiddleware, Verifier
from servitor_verifier.asgi import peer_address as asgi_peer_address
from servitor_verifier.wsgi import peer_address

from .support import CASES, SERVITOR_TOKEN, SERVITOR_URL, LocalServer, SilentServer, fixtures, stand_in


class Upstream:
    """The platform's application: answers 200 with the principal's name, and remembers what it saw."""

    def __init__(self) -> None:
        self.seen: List[Any] = []

    def wsgi(self, environ: Dict[str, Any], start_response: Any) -> List[bytes]:
        v = environ[ENVIRON_KEY]
        self.seen.append(v)
        body = json.dumps({"principal": v.principal.name if v.principal else None}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    async def asgi(self, scope: Dict[str, Any], receive: Any, send: Any) -> None:
        self.seen.append(scope.get(ENVIRON_KEY, scope["type"]))
        if scope["type"] != "http":
            return
        v = scope[ENVIRON_KEY]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps({"principal": v.principal.name}).encode()})


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _ThreadedWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class WsgiApp:
    """wsgiref on a free port, serving whatever ``self.app`` is at the time of the request."""

    def __init__(self) -> None:
        self.app: Any = None
        self.server = make_server("127.0.0.1", 0, lambda e, s: self.app(e, s), server_class=_ThreadedWSGIServer,
                                  handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/deployments"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def get(self, headers: Dict[str, str]) -> Tuple[int, Dict[str, str], bytes]:
        req = urllib.request.Request(self.url, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def call_asgi(app: Any, headers: Dict[str, str], scope_type: str = "http") -> Tuple[Optional[int], Dict[str, str],
                                                                                    bytes, List[Dict[str, Any]]]:
    scope = {"type": scope_type, "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": "/deployments", "raw_path": b"/deployments", "query_string": b"",
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
    sent: List[Dict[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next((m for m in sent if m["type"] == "http.response.start"), None)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    response_headers = {k.decode(): v.decode() for k, v in (start or {}).get("headers", [])}
    return (start or {}).get("status"), response_headers, body, sent


class MiddlewareCases(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()
        cls.verifier = Verifier(SERVITOR_URL, SERVITOR_TOKEN)
        cls.http = WsgiApp()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.http.close()

    def cases(self):
        self.assertGreaterEqual(len(CASES["middleware"]), 8)
        for case in CASES["middleware"]:
            headers = {k: self.f.substitute(v) for k, v in case["request"]["headers"].items()}
            server = None
            verifier = self.verifier
            if "stand_in" in case:
                url, server = stand_in(case["stand_in"], self.f)
                verifier = Verifier(url, SERVITOR_TOKEN, timeout=2.0)
            options: Dict[str, Any] = {"permission": case.get("permission")}
            if "client_ip" in case:
                options["client_ip"] = lambda _scope, ip=case["client_ip"]: ip
            try:
                yield case, headers, case["expect"], verifier, options
            finally:
                if server is not None:
                    server.close()

    def check(self, expect: Dict[str, Any], upstream: Upstream, status: int, headers: Dict[str, str],
              body: bytes) -> None:
        self.assertEqual(status, expect["status"], body)
        self.assertEqual(bool(upstream.seen), expect["upstream_called"])
        lower = {k.lower(): v for k, v in headers.items()}
        if status == 200:
            self.assertEqual(json.loads(body)["principal"], self.f.account)
            self.assertEqual(upstream.seen[0].principal.id, self.f.account_id)
            return
        self.assertEqual(lower["content-type"], "application/problem+json")
        problem = json.loads(body)
        self.assertEqual(problem["status"], status)
        if status == 401:
            self.assertEqual(lower["www-authenticate"], 'Bearer realm="api"')
            self.assertEqual(problem["code"], "unauthenticated")
        if status == 403:
            self.assertIn(problem["code"], ("forbidden", "ip_not_allowed", "network_policy_required"))
            self.assertNotIn("www-authenticate", lower)
        if "code" in expect:
            self.assertEqual(problem["code"], expect["code"])
        if "retry_after" in expect:
            self.assertEqual(lower.get("retry-after"), expect["retry_after"])

    def test_every_shared_case_through_wsgi(self) -> None:
        for case, headers, expect, verifier, options in self.cases():
            with self.subTest(headers=list(headers), permission=case.get("permission"), status=expect["status"],
                              why=case.get("why")):
                upstream = Upstream()
                self.http.app = ServitorWSGIMiddleware(upstream.wsgi, verifier, **options)
                self.check(expect, upstream, *self.http.get(headers))

    def test_every_shared_case_through_asgi(self) -> None:
        for case, headers, expect, verifier, options in self.cases():
            with self.subTest(headers=list(headers), permission=case.get("permission"), status=expect["status"],
                              why=case.get("why")):
                upstream = Upstream()
                app = ServitorASGIMiddleware(upstream.asgi, verifier, **options)
                status, response_headers, body, _ = call_asgi(app, headers)
                self.check(expect, upstream, status, response_headers, body)


class MiddlewareBehaviour(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()
        cls.proxy = LocalServer(SERVITOR_URL)
        cls.http = WsgiApp()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.http.close()
        cls.proxy.close()

    def test_the_scheme_is_read_in_any_case_and_key_is_accepted(self) -> None:
        upstream = Upstream()
        self.http.app = ServitorWSGIMiddleware(upstream.wsgi, Verifier(SERVITOR_URL, SERVITOR_TOKEN))
        for header in (f"bearer {self.f.live_key}", f"KEY {self.f.live_key}", f"Bearer  {self.f.live_key} "):
            with self.subTest(header):
                self.assertEqual(self.http.get({"Authorization": header})[0], 200)

    def test_an_unknown_scheme_falls_back_to_x_api_key_or_is_refused(self) -> None:
        upstream = Upstream()
        self.http.app = ServitorWSGIMiddleware(upstream.wsgi, Verifier(SERVITOR_URL, SERVITOR_TOKEN))
        self.assertEqual(self.http.get({"Authorization": f"Basic {self.f.live_key}"})[0], 401)
        self.assertEqual(self.http.get({"Authorization": "Basic dXNlcjpwYXNz", "X-Api-Key": self.f.live_key})[0], 200)

    def test_the_permission_may_depend_on_the_request(self) -> None:
        upstream = Upstream()
        needed = lambda environ: "deployments:write" if environ["REQUEST_METHOD"] == "GET" else "billing:read"  # noqa
        self.http.app = ServitorWSGIMiddleware(upstream.wsgi, Verifier(SERVITOR_URL, SERVITOR_TOKEN), permission=needed)
        self.assertEqual(self.http.get({"X-Api-Key": self.f.live_key})[0], 200)
        req = urllib.request.Request(self.http.url, data=b"{}", method="POST", headers={"X-Api-Key": self.f.live_key})
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(caught.exception.code, 403)

    def test_the_peer_address_is_sent_as_ip(self) -> None:
        seen: List[Optional[str]] = []

        def client_ip(environ: Dict[str, Any]) -> Optional[str]:
            seen.append(peer_address(environ))
            return seen[-1]

        self.http.app = ServitorWSGIMiddleware(Upstream().wsgi, Verifier(SERVITOR_URL, SERVITOR_TOKEN),
                                               client_ip=client_ip)
        self.assertEqual(self.http.get({"X-Api-Key": self.f.live_key})[0], 200)
        self.assertEqual(seen, ["127.0.0.1"])

    def test_servitor_unreachable_is_503_and_the_upstream_is_not_called(self) -> None:
        silent = SilentServer()
        try:
            upstream = Upstream()
            verifier = Verifier(silent.url, SERVITOR_TOKEN, timeout=0.3)
            self.http.app = ServitorWSGIMiddleware(upstream.wsgi, verifier)
            with self.assertLogs("servitor_verifier", "WARNING") as logs:
                status, headers, body = self.http.get({"X-Api-Key": self.f.live_key})
            self.assertEqual((status, json.loads(body)["code"], upstream.seen), (503, "unavailable", []))
            self.assertEqual(headers["Retry-After"], "1")
            self.assertNotIn(self.f.live_key, "".join(logs.output))
            with self.assertLogs("servitor_verifier", "WARNING"):
                status, _, _, _ = call_asgi(ServitorASGIMiddleware(upstream.asgi, verifier),
                                            {"X-Api-Key": self.f.live_key})
            self.assertEqual((status, upstream.seen), (503, []))
        finally:
            silent.close()

    def test_asgi_answers_a_cached_credential_without_a_request(self) -> None:
        verifier = Verifier(self.proxy.url, SERVITOR_TOKEN)
        upstream = Upstream()
        app = ServitorASGIMiddleware(upstream.asgi, verifier)
        before = self.proxy.count("/v1/verify")
        for _ in range(3):
            self.assertEqual(call_asgi(app, {"Authorization": f"Bearer {self.f.live_key}"})[0], 200)
        self.assertEqual(self.proxy.count("/v1/verify"), before + 1)
        self.assertEqual(len(upstream.seen), 3)

    def test_asgi_ignores_a_repeated_credential_header(self) -> None:
        upstream = Upstream()
        app = ServitorASGIMiddleware(upstream.asgi, Verifier(SERVITOR_URL, SERVITOR_TOKEN))
        scope_headers = [(b"authorization", f"Bearer {self.f.live_key}".encode())] * 2
        sent: List[Dict[str, Any]] = []

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        async def receive() -> Dict[str, Any]:
            return {"type": "http.request", "body": b""}

        asyncio.run(app({"type": "http", "headers": scope_headers, "client": ("127.0.0.1", 1)}, receive, send))
        self.assertEqual((sent[0]["status"], upstream.seen), (401, []))

    def test_peer_addresses_are_sent_as_network_policies_see_them(self) -> None:
        for peer, sent in (("::ffff:10.1.2.3", "10.1.2.3"), ("fe80::1%eth0", "fe80::1"), ("2001:db8::1", "2001:db8::1"),
                           ("192.0.2.1", "192.0.2.1"), ("/run/app.sock", None), ("", None)):
            with self.subTest(peer):
                self.assertEqual(peer_address({"REMOTE_ADDR": peer}), sent)
                self.assertEqual(asgi_peer_address({"client": (peer, 1)}), sent)
        self.assertIsNone(asgi_peer_address({"client": None}))

    def test_asgi_closes_a_refused_websocket_and_passes_lifespan_through(self) -> None:
        upstream = Upstream()
        app = ServitorASGIMiddleware(upstream.asgi, Verifier(SERVITOR_URL, SERVITOR_TOKEN))
        _, _, _, sent = call_asgi(app, {"Authorization": f"Bearer {self.f.revoked_key}"}, "websocket")
        self.assertEqual(sent, [{"type": "websocket.close", "code": 1008}])
        self.assertEqual(upstream.seen, [])
        call_asgi(app, {}, "lifespan")
        self.assertEqual(upstream.seen, ["lifespan"])
        call_asgi(app, {"X-Api-Key": self.f.live_key}, "websocket")
        self.assertEqual(upstream.seen[-1].principal.name, self.f.account)


if __name__ == "__main__":
    unittest.main()
