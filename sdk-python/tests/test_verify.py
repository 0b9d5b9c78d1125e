# SPDX-License-Identifier: Apache-2.0
"""The shared ``verify`` cases and the verifier's cache, timeout and error behaviour, against a real server.

Requests go through a counting pass-through (``LocalServer``) to the real server, so that a test can
tell an answer from the cache or the format check from one the server gave."""
import hashlib
import json
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

from servitor_verifier import Code, Federation, ServitorApiError, ServitorUnavailableError, Verification, Verifier
from servitor_verifier.middleware import refusal_for

from .support import (CASES, SERVITOR_TOKEN, SERVITOR_URL, LocalServer, SilentServer, api, fixtures, stand_in,
                      well_formed_key)

VERIFY = "/v1/verify"
DISCOVERY = "/.well-known/oauth-authorization-server"


class VerifyCases(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()
        cls.proxy = LocalServer(SERVITOR_URL)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.proxy.close()

    def verifier(self, **options) -> Verifier:
        return Verifier(self.proxy.url, SERVITOR_TOKEN, **options)

    def test_every_shared_verify_case(self) -> None:
        cases = [c for c in CASES["verify"] if "then" not in c and "stand_in" not in c and "platform_key" not in c]
        self.assertGreaterEqual(len(cases), 7)
        for case in cases:
            with self.subTest(credential=case["credential"], permission=case.get("permission")):
                before = self.proxy.count(VERIFY)
                v = self.verifier().verify(self.f.named(case["credential"]), case.get("permission"))
                self.assertEqual((v.valid, v.code), (case["expect"]["valid"], case["expect"]["code"]))
                asked = self.proxy.count(VERIFY) - before
                self.assertEqual(asked, 0 if case["expect"].get("network") is False else 1)
                if v.valid:
                    self.assertEqual(v.principal.id, self.f.account_id)
                    self.assertIn("deployments:write", v.permissions)
                if case["credential"] == "live_key" and v.valid:
                    self.assertEqual(v.principal.name, self.f.account)
                    self.assertEqual(v.credential.kind, "api_key")
                    self.assertEqual(v.credential.type, "read_write")

    def test_every_shared_case_of_the_verify_calls_errors_and_of_metered_answers(self) -> None:
        cases = [c for c in CASES["verify"] if "stand_in" in c or "platform_key" in c]
        self.assertGreaterEqual(len(cases), 6)
        for case in cases:
            with self.subTest(why=case.get("why")):
                server = None
                if "stand_in" in case:
                    url, server = stand_in(case["stand_in"], self.f)
                    verifier = Verifier(url, SERVITOR_TOKEN, timeout=2.0,
                                        negative_cache_ttl=case.get("negative_cache_seconds", 0.0))
                else:
                    self.assertNotIn("negative_cache_seconds", case, "understood with a stand_in only")
                    verifier = Verifier(SERVITOR_URL, self.f.named(case["platform_key"]))
                try:
                    expect = case["expect"]
                    credential = self.f.named(case["credential"])
                    if expect.get("error") == "unavailable":
                        with self.assertRaises(ServitorUnavailableError):
                            verifier.verify(credential, case.get("permission"))
                    elif expect.get("error") == "api":
                        with self.assertRaises(ServitorApiError) as caught:
                            verifier.verify(credential, case.get("permission"))
                        self.assertNotIsInstance(caught.exception, ServitorUnavailableError)
                        self.assertEqual(caught.exception.status, expect["status"])
                    else:
                        self.assertNotIn("error", expect)
                        for i in range(case.get("times", 1)):
                            if i > 0:
                                time.sleep(case.get("interval_ms", 0) / 1000)
                            v = verifier.verify(credential, case.get("permission"))
                            self.assertEqual((v.valid, v.code), (expect["valid"], expect["code"]))
                            if "retry_after_seconds" in expect:
                                self.assertEqual(v.retry_after_seconds, expect["retry_after_seconds"])
                            if "federation" in expect:
                                self.assertEqual(v.credential.federation, Federation(**expect["federation"]))
                        if "requests" in expect:
                            self.assertEqual(server.count(VERIFY), expect["requests"])
                finally:
                    if server is not None:
                        server.close()

    def test_a_positive_cache_entry_lives_only_its_ttl(self) -> None:
        case = next(c for c in CASES["verify"] if "then" in c)
        key = self.f.new_key("short-lived")
        verifier = self.verifier(cache_ttl=3.0)  # long enough for the revocation below on a busy machine
        self.assertTrue(verifier.verify(key).valid)
        answered = time.monotonic()  # the entry's life began before this
        self.f.revoke(key)
        before = self.proxy.count(VERIFY)
        cached = verifier.verify(key)
        self.assertEqual((cached.valid, self.proxy.count(VERIFY)), (True, before), "answered from the cache")
        time.sleep(max(0.0, answered + 3.1 - time.monotonic()))
        v = verifier.verify(key)
        self.assertEqual((v.valid, v.code), (case["expect"]["valid"], case["expect"]["code"]))
        self.assertEqual(self.proxy.count(VERIFY), before + 1)


class MoreCodes(unittest.TestCase):
    """Codes the shared list does not name, from the real server, and what the middleware makes of them."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()

    def account_with_key(self, suffix: str, **fields) -> tuple:
        name = f"{self.f.account}-{suffix}"
        api("POST", "/v1/service-accounts", dict({"name": name, "role": self.f.role}, **fields))
        return name, api("POST", f"/v1/service-accounts/{name}/keys", {"name": "k"})["key"]

    def test_a_disabled_account_is_disabled_and_the_middleware_says_only_401(self) -> None:
        name, key = self.account_with_key("off")
        api("POST", f"/v1/service-accounts/{name}/disable")
        v = Verifier(SERVITOR_URL, SERVITOR_TOKEN).verify(key)
        self.assertEqual((v.valid, v.code), (False, Code.DISABLED))
        self.assertEqual(refusal_for(v, "api").status, 401)

    def test_an_address_outside_the_accounts_network_policy_is_ip_not_allowed(self) -> None:
        policy = f"{self.f.account}-tenonly"
        api("POST", "/v1/network-policies", {"name": policy, "allowed_ips": ["10.0.0.0/8"]})
        _, key = self.account_with_key("netpol", network_policy=policy)
        verifier = Verifier(SERVITOR_URL, SERVITOR_TOKEN)
        self.assertTrue(verifier.verify(key, ip="10.1.2.3").valid)
        v = verifier.verify(key, ip="192.0.2.7")
        self.assertEqual((v.valid, v.code), (False, Code.IP_NOT_ALLOWED))
        refusal = refusal_for(v, "api")
        self.assertEqual((refusal.status, json.loads(refusal.body)["code"]), (403, "ip_not_allowed"))

    def test_concurrent_verifications_share_one_verifier(self) -> None:
        verifier = Verifier(SERVITOR_URL, SERVITOR_TOKEN)
        keys = [self.f.live_key, self.f.revoked_key, self.f.malformed_key, self.f.access_token] * 10
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda k: verifier.verify(k).code, keys))
        self.assertEqual(codes, [Code.VALID, Code.REVOKED, Code.NOT_FOUND, Code.VALID] * 10)


class Cache(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()
        cls.proxy = LocalServer(SERVITOR_URL)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.proxy.close()

    def asked(self, verifier: Verifier, *calls) -> int:
        before = self.proxy.count(VERIFY)
        for credential, permission in calls:
            verifier.verify(credential, permission)
        return self.proxy.count(VERIFY) - before

    def test_a_valid_answer_is_asked_once_per_credential_and_permission(self) -> None:
        v = Verifier(self.proxy.url, SERVITOR_TOKEN)
        live = self.f.live_key
        self.assertEqual(self.asked(v, (live, None), (live, None), (live, "deployments:write"),
                                    (live, "deployments:write")), 2)

    def test_refusals_are_not_cached_by_default(self) -> None:
        v = Verifier(self.proxy.url, SERVITOR_TOKEN)
        self.assertEqual(self.asked(v, (self.f.revoked_key, None), (self.f.revoked_key, None)), 2)

    def test_refusals_are_cached_for_the_negative_ttl(self) -> None:
        v = Verifier(self.proxy.url, SERVITOR_TOKEN, negative_cache_ttl=0.5)
        self.assertEqual(self.asked(v, (self.f.revoked_key, None), (self.f.revoked_key, None)), 1)
        time.sleep(0.6)
        self.assertEqual(self.asked(v, (self.f.revoked_key, None)), 1)

    def test_a_negative_ttl_over_five_seconds_is_refused(self) -> None:
        with self.assertRaisesRegex(ValueError, "negative_cache_ttl"):
            Verifier(self.proxy.url, SERVITOR_TOKEN, negative_cache_ttl=5.5)
        Verifier(self.proxy.url, SERVITOR_TOKEN, negative_cache_ttl=5)

    def test_bad_options_are_refused_by_name(self) -> None:
        for options, name in (({"cache_ttl": -1}, "cache_ttl"), ({"timeout": 0}, "timeout"),
                              ({"negative_cache_ttl": -1}, "negative_cache_ttl")):
            with self.subTest(name), self.assertRaisesRegex(ValueError, name):
                Verifier(self.proxy.url, SERVITOR_TOKEN, **options)
        with self.assertRaisesRegex(ValueError, "url"):
            Verifier("servitor.internal", SERVITOR_TOKEN)

    def test_the_cache_holds_a_hash_of_the_credential_never_the_credential(self) -> None:
        v = Verifier(self.proxy.url, SERVITOR_TOKEN, negative_cache_ttl=5)
        v.verify(self.f.live_key)
        v.verify(self.f.revoked_key)
        entries = list(v._cache._entries.items())
        self.assertEqual(len(entries), 2)
        self.assertEqual({k[0] for k, _ in entries},
                         {hashlib.sha256(c.encode()).digest() for c in (self.f.live_key, self.f.revoked_key)})
        dump = repr(entries)
        self.assertNotIn(self.f.live_key, dump)
        self.assertNotIn(self.f.revoked_key, dump)
        self.assertNotIn(SERVITOR_TOKEN, repr(v))

    def test_a_key_with_another_prefix_than_expected_is_refused_without_a_request(self) -> None:
        v = Verifier(self.proxy.url, SERVITOR_TOKEN, key_prefix="acme")
        before = self.proxy.count(VERIFY)
        self.assertEqual(v.verify(self.f.live_key).code, Code.NOT_FOUND)
        self.assertEqual(v.verify("").code, Code.NOT_FOUND)
        self.assertEqual(v.verify(None).code, Code.NOT_FOUND)
        self.assertEqual(self.proxy.count(VERIFY), before)

    def test_a_valid_answer_is_never_cached_past_the_credentials_expiry(self) -> None:
        created = api("POST", f"/v1/service-accounts/{self.f.account}/keys", {"name": "four-seconds", "ttl_seconds": 4})
        v = Verifier(self.proxy.url, SERVITOR_TOKEN, cache_ttl=60)
        first = v.verify(created["key"])
        self.assertTrue(first.valid)
        self.assertIsNotNone(first.credential.expires_at)
        # expires_at may be written to the second: wait past the second after it
        time.sleep(max(0.0, first.credential.expires_at.timestamp() - time.time()) + 1.2)
        later = v.verify(created["key"])
        self.assertEqual((later.valid, later.code), (False, Code.EXPIRED))


class Failures(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()

    def test_a_server_that_does_not_answer_times_out(self) -> None:
        silent = SilentServer()
        try:
            v = Verifier(silent.url, SERVITOR_TOKEN, timeout=0.3)
            start = time.monotonic()
            with self.assertRaises(ServitorUnavailableError):
                v.verify(self.f.live_key)
            self.assertLess(time.monotonic() - start, 2.0)
        finally:
            silent.close()

    def test_a_refused_connection_is_unavailable(self) -> None:
        silent = SilentServer()
        url = silent.url
        silent.close()
        with self.assertRaises(ServitorUnavailableError):
            Verifier(url, SERVITOR_TOKEN).verify(self.f.live_key)

    def test_a_wrong_platform_key_is_an_api_error_not_a_refused_credential(self) -> None:
        with self.assertRaises(ServitorApiError) as caught:
            Verifier(SERVITOR_URL, well_formed_key()).verify(self.f.live_key)
        self.assertEqual(caught.exception.status, 401)

    def test_a_platform_key_without_the_verify_permission_is_an_api_error(self) -> None:
        name = self.f.account + "-noverify"
        api("POST", "/v1/service-accounts", {"name": name, "role": self.f.role})
        key = api("POST", f"/v1/service-accounts/{name}/keys", {"name": "k"})["key"]
        with self.assertRaises(ServitorApiError) as caught:
            Verifier(SERVITOR_URL, key).verify(self.f.live_key)
        self.assertEqual(caught.exception.status, 403)

    def test_a_redirect_is_not_followed_so_the_platform_key_stays_home(self) -> None:
        elsewhere = LocalServer(SERVITOR_URL)
        redirecting = LocalServer()
        redirecting.overrides[VERIFY] = (307, {}, {"Location": elsewhere.url + VERIFY})
        try:
            with self.assertRaises(ServitorApiError) as caught:
                Verifier(redirecting.url, SERVITOR_TOKEN).verify(self.f.live_key)
            self.assertEqual(caught.exception.status, 307)
            self.assertEqual(elsewhere.requests, [])
        finally:
            elsewhere.close()
            redirecting.close()


class RefusalsForCodesThisServerDoesNotGiveYet(unittest.TestCase):
    """Per-key restrictions (docs/api.md) are in the contract but not in the server yet: the answer shapes
    it documents, mapped by the middleware's pure function."""

    def test_rate_limited_is_429_with_retry_after(self) -> None:
        v = Verification.from_json({"valid": False, "code": "RATE_LIMITED", "retry_after_seconds": 7})
        refusal = refusal_for(v, "api")
        self.assertEqual(refusal.status, 429)
        self.assertIn(("Retry-After", "7"), refusal.headers)
        self.assertEqual(json.loads(refusal.body)["code"], "rate_limited")

    def test_the_restriction_fields_are_read_as_the_server_wrote_them(self) -> None:
        v = Verification.from_json({"valid": True, "code": "VALID", "remaining": 4,
                                    "restrictions": {"remaining_uses": 5, "refill": {"amount": 5, "interval": "day"}}})
        self.assertEqual((v.remaining, v.restrictions["remaining_uses"], v.metered), (4, 5, True))
        free = Verification.from_json({"valid": True, "code": "VALID", "restrictions": {"permissions": ["a"]}})
        self.assertEqual((free.remaining, free.restrictions["permissions"], free.metered), (None, ["a"], False))
        self.assertIsNone(Verification.from_json({"valid": True, "code": "VALID"}).restrictions)

    def test_usage_exceeded_is_429_with_retry_after_only_when_given_and_an_unknown_code_is_401(self) -> None:
        # as the server's /v1/verify answers it: remaining 0, no retry_after_seconds
        spent = refusal_for(Verification.from_json({"valid": False, "code": "USAGE_EXCEEDED", "remaining": 0}), "api")
        self.assertEqual((spent.status, json.loads(spent.body)["code"]), (429, "usage_exceeded"))
        self.assertNotIn("Retry-After", dict(spent.headers))
        timed = refusal_for(Verification.from_json({"valid": False, "code": "USAGE_EXCEEDED", "remaining": 0,
                                                    "retry_after_seconds": 3600}), "api")
        self.assertEqual((timed.status, dict(timed.headers).get("Retry-After")), (429, "3600"))
        self.assertEqual(refusal_for(Verification.refused("SOMETHING_NEW"), "api").status, 401)


class OfflineTokensInVerify(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()
        cls.proxy = LocalServer(SERVITOR_URL)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.proxy.close()

    def test_an_access_token_is_checked_against_the_jwks_without_asking_verify(self) -> None:
        v = Verifier(self.proxy.url, SERVITOR_TOKEN, offline_access_tokens=True)
        before = self.proxy.count(VERIFY), self.proxy.count(DISCOVERY)
        answer = v.verify(self.f.access_token)
        self.assertEqual((answer.valid, answer.code), (True, Code.VALID))
        self.assertEqual(answer.principal.id, self.f.account_id)
        self.assertEqual(answer.credential.kind, "access_token")
        self.assertEqual(v.verify(self.f.tampered_token).code, Code.NOT_FOUND)
        self.assertEqual(v.verify(self.f.alg_none_token).code, Code.NOT_FOUND)
        self.assertEqual(v.answer_without_request(self.f.access_token), answer, "a pass is cached")
        self.assertIsNone(v.answer_without_request(self.f.tampered_token), "a refusal is not")
        # The issuer and its jwks_uri are read once from the metadata; the JWKS itself is at the server's own URL.
        self.assertEqual((self.proxy.count(VERIFY), self.proxy.count(DISCOVERY)), (before[0], before[1] + 1))

    def test_a_permission_cannot_be_checked_offline_so_the_server_is_asked(self) -> None:
        v = Verifier(self.proxy.url, SERVITOR_TOKEN, offline_access_tokens=True)
        before = self.proxy.count(VERIFY)
        answer = v.verify(self.f.access_token, "billing:read")
        self.assertEqual((answer.valid, answer.code), (False, Code.FORBIDDEN))
        self.assertEqual(self.proxy.count(VERIFY), before + 1)


if __name__ == "__main__":
    unittest.main()
