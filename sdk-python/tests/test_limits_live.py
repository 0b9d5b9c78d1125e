# SPDX-License-Identifier: Apache-2.0
"""Per-key restrictions as the real server enforces them (docs/key-limits.md): each test mints a key of its own
with restrictions, so the uses it spends are its own; the verdicts come from Servitor, not a stand-in."""
import json
import secrets
import unittest
import urllib.error
import urllib.request
from typing import Any, Dict, Tuple

from servitor_verifier import ServitorASGIMiddleware, ServitorWSGIMiddleware, Verifier

from .support import SERVITOR_TOKEN, SERVITOR_URL, LocalServer, api, fixtures
from .test_middleware import Upstream, WsgiApp, call_asgi


def forward_auth(key: str) -> Tuple[int, Dict[str, str], Dict[str, Any]]:
    """The server's own /v1/forward-auth about ``key``, as a gateway asks: the answer the middlewares must agree with."""
    req = urllib.request.Request(SERVITOR_URL + "/v1/forward-auth",
                                 headers={"Servitor-Gateway-Key": SERVITOR_TOKEN, "X-Api-Key": key})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, {}
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, json.loads(e.read())


class LimitsAgainstTheRealServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()
        cls.http = WsgiApp()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.http.close()

    def new_key(self, restrictions: Dict[str, Any]) -> Dict[str, Any]:
        return api("POST", f"/v1/service-accounts/{self.f.account}/keys",
                   {"name": f"limits-{secrets.token_hex(3)}", "restrictions": restrictions})

    def test_rate_limit_2_per_60_s_the_third_use_is_RATE_LIMITED_and_the_middlewares_answer_429_with_retry_after(self) -> None:
        key = self.new_key({"rate_limit": {"limit": 2, "period_seconds": 60}})["key"]
        proxy = LocalServer(SERVITOR_URL)  # counts the requests that reach the server
        try:
            verifier = Verifier(proxy.url, SERVITOR_TOKEN)
            for use in (1, 2):
                v = verifier.verify(key)
                self.assertEqual((v.code, v.retry_after_seconds), ("VALID", None), f"use {use}")
                self.assertEqual(v.restrictions, {"rate_limit": {"limit": 2, "period_seconds": 60}})
            third = verifier.verify(key)
            self.assertEqual((third.valid, third.code), (False, "RATE_LIMITED"))
            self.assertIsInstance(third.retry_after_seconds, int)
            self.assertTrue(1 <= third.retry_after_seconds <= 66, third.retry_after_seconds)
            self.assertEqual(proxy.count("/v1/verify"), 3, "a rate-limited key's answers are never cached")
            upstream = Upstream()
            self.http.app = ServitorWSGIMiddleware(upstream.wsgi, verifier)
            for status, headers, body in (self.http.get({"Authorization": f"Bearer {key}"}),
                                          call_asgi(ServitorASGIMiddleware(upstream.asgi, verifier),
                                                    {"Authorization": f"Bearer {key}"})[:3]):
                lower = {k.lower(): v for k, v in headers.items()}
                self.assertEqual((status, json.loads(body)["code"]), (429, "rate_limited"))
                self.assertTrue(1 <= int(lower["retry-after"]) <= 66, lower["retry-after"])
            self.assertEqual(upstream.seen, [])
            status, headers, problem = forward_auth(key)
            self.assertEqual((status, problem.get("code"), "retry-after" in headers), (429, "rate_limited", True))
        finally:
            proxy.close()

    def test_remaining_uses_2_count_down_then_USAGE_EXCEEDED_and_the_middlewares_answer_429_without_retry_after(self) -> None:
        created = self.new_key({"remaining_uses": 2})
        key = created["key"]
        self.assertEqual(created["remaining"], 2)
        verifier = Verifier(SERVITOR_URL, SERVITOR_TOKEN)
        upstream = Upstream()
        self.http.app = ServitorWSGIMiddleware(upstream.wsgi, verifier)
        self.assertEqual(self.http.get({"X-Api-Key": key})[0], 200)  # a use through the middleware counts
        self.assertEqual(upstream.seen[-1].remaining, 1)
        second = verifier.verify(key)
        self.assertEqual((second.code, second.remaining), ("VALID", 0))
        third = verifier.verify(key)
        self.assertEqual((third.valid, third.code, third.remaining, third.retry_after_seconds),
                         (False, "USAGE_EXCEEDED", 0, None))
        for status, headers, body in (self.http.get({"X-Api-Key": key}),
                                      call_asgi(ServitorASGIMiddleware(upstream.asgi, verifier), {"X-Api-Key": key})[:3]):
            self.assertEqual((status, json.loads(body)["code"]), (429, "usage_exceeded"))
            self.assertNotIn("retry-after", {k.lower() for k in headers})
        self.assertEqual(len(upstream.seen), 1)
        status, headers, problem = forward_auth(key)
        self.assertEqual((status, problem.get("code"), "retry-after" in headers), (429, "usage_exceeded", False))

    def test_allowed_ips_that_refuse_the_caller_are_IP_NOT_ALLOWED_and_the_middlewares_answer_403(self) -> None:
        key = self.new_key({"allowed_ips": ["192.0.2.0/24"]})["key"]
        verifier = Verifier(SERVITOR_URL, SERVITOR_TOKEN)
        self.assertEqual(verifier.verify(key, ip="198.51.100.7").code, "IP_NOT_ALLOWED")
        self.assertEqual(verifier.verify(key, ip="192.0.2.9").code, "VALID")  # the control: an allowed address
        upstream = Upstream()
        self.http.app = ServitorWSGIMiddleware(upstream.wsgi, verifier)  # the caller is 127.0.0.1, not allowed
        for status, headers, body in (self.http.get({"Authorization": f"Bearer {key}"}),
                                      call_asgi(ServitorASGIMiddleware(upstream.asgi, verifier),
                                                {"Authorization": f"Bearer {key}"})[:3]):
            self.assertEqual((status, json.loads(body)["code"]), (403, "ip_not_allowed"))
            self.assertNotIn("www-authenticate", {k.lower() for k in headers})
        self.assertEqual(upstream.seen, [])
        status, _, problem = forward_auth(key)  # the gateway's own address, 127.0.0.1
        self.assertEqual((status, problem.get("code")), (403, "ip_not_allowed"))


if __name__ == "__main__":
    unittest.main()
