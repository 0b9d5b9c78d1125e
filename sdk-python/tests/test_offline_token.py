# SPDX-License-Identifier: Apache-2.0
"""The shared ``offline_token`` cases, and the offline checks' edges, against the real server's JWKS."""
import hashlib
import hmac
import time
import unittest

from servitor_verifier import AccessTokenVerifier, Federation, InvalidTokenError, ServitorUnavailableError, Verifier

from .support import (CASES, SERVITOR_TOKEN, SERVITOR_URL, LocalServer, SilentServer, b64url, b64url_json,
                      check_offline_principal, fixtures, stand_in,
                      sign_es256)

JWKS = "/.well-known/jwks.json"


class FakeClock:
    """Wall-clock time plus an offset a test can move forward (the JWKS refetch interval is a minute)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class OfflineTokenCases(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()

    def test_every_shared_offline_token_case(self) -> None:
        cases = [c for c in CASES["offline_token"] if "then" not in c and "stand_in" not in c and "via" not in c]
        self.assertGreaterEqual(len(cases), 5)
        test_jwks = LocalServer()
        test_jwks.overrides[JWKS] = (200, self.f.test_jwks, {})
        self.addCleanup(test_jwks.close)
        for case in cases:
            with self.subTest(token=case["token"], audience=case.get("audience")):
                if case["token"] == "expired_token":  # its fixture: checked against the JWKS the test serves
                    verifier = AccessTokenVerifier(self.f.issuer, test_jwks.url + JWKS, case.get("audience"))
                else:
                    verifier = AccessTokenVerifier.discover(SERVITOR_URL, case.get("audience"))
                token = self.f.named(case["token"])
                if case["expect"] == "valid":
                    t = verifier.verify(token)
                    self.assertEqual(t.subject, self.f.account_id)
                    self.assertEqual(t.org, "default")
                    self.assertIn(self.f.issuer, t.audience)
                else:
                    with self.assertRaises(InvalidTokenError) as caught:
                        verifier.verify(token)
                    if case.get("reason") == "expired":
                        self.assertTrue(caught.exception.expired, caught.exception.reason)

    def test_the_shared_cases_of_the_jwks_location_and_of_offline_modes_principal(self) -> None:
        cases = [c for c in CASES["offline_token"] if "stand_in" in c or "via" in c]
        self.assertGreaterEqual(len(cases), 2)
        for case in cases:
            with self.subTest(why=case.get("why")):
                server = None
                url = SERVITOR_URL
                if "stand_in" in case:
                    url, server = stand_in(case["stand_in"], self.f)
                    self.addCleanup(server.close)
                verifier = Verifier(url, SERVITOR_TOKEN, offline_access_tokens=True, audience=case.get("audience"))
                token = self.f.named(case["token"])
                self.assertEqual(case["expect"], "valid")
                if case.get("via") == "verify":
                    v = verifier.verify(token)
                    self.assertEqual((v.valid, v.code), (True, "VALID"))
                    check_offline_principal(self, v.principal, case.get("principal", {}),
                                            self.f.token_claims, self.f.account)
                else:
                    self.assertNotIn("via", case)
                    self.assertEqual(verifier.verify_access_token(token).subject, self.f.account_id)

    def test_an_unknown_kid_refetches_the_jwks_at_most_once_a_minute(self) -> None:
        case = next(c for c in CASES["offline_token"] if "then" in c)
        host = LocalServer(SERVITOR_URL)
        host.overrides[JWKS] = (200, self.f.test_jwks, {})  # an old set, without the server's current kid
        clock = FakeClock()
        try:
            verifier = AccessTokenVerifier(self.f.issuer, host.url + JWKS, clock=clock)
            with self.assertRaisesRegex(InvalidTokenError, "unknown kid"):
                verifier.verify(self.f.access_token)
            self.assertEqual(host.count(JWKS), 1)
            del host.overrides[JWKS]  # the issuer now publishes its real set
            clock.offset = 30
            with self.assertRaisesRegex(InvalidTokenError, "unknown kid"):
                verifier.verify(self.f.access_token)
            self.assertEqual(host.count(JWKS), 1, "no refetch within a minute of the last one")
            clock.offset = 61
            self.assertEqual(case["expect"], "valid")
            self.assertEqual(verifier.verify(self.f.access_token).subject, self.f.account_id)
            self.assertEqual(host.count(JWKS), 2)
            for _ in range(5):
                verifier.verify(self.f.access_token)
                with self.assertRaises(InvalidTokenError):
                    verifier.verify(self.f.expired_token)  # a kid it does not know: refused, no fetch
            self.assertEqual(host.count(JWKS), 2)
        finally:
            host.close()

    def test_the_expired_token_is_refused_for_its_exp_not_for_its_key(self) -> None:
        host = LocalServer()
        host.overrides[JWKS] = (200, self.f.test_jwks, {})
        try:
            verifier = AccessTokenVerifier(self.f.issuer, host.url + JWKS)
            with self.assertRaises(InvalidTokenError) as caught:
                verifier.verify(self.f.expired_token)
            self.assertTrue(caught.exception.expired, caught.exception.reason)
            live = self.sign(iat=int(time.time()), exp=int(time.time()) + 300)
            self.assertEqual(verifier.verify(live).subject, self.f.account_id)
        finally:
            host.close()

    def sign(self, header=None, **claims) -> str:
        return sign_es256(dict(self.f.token_header, kid=self.f.test_kid, **(header or {})),
                          dict(self.f.token_claims, **claims), self.f.foreign_key)


class OfflineChecks(unittest.TestCase):
    """Claims and headers, with tokens signed by a key the test holds and serves as a JWKS."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.f = fixtures()
        cls.host = LocalServer()
        cls.host.overrides[JWKS] = (200, cls.f.test_jwks, {})

    @classmethod
    def tearDownClass(cls) -> None:
        cls.host.close()

    def verifier(self, **options) -> AccessTokenVerifier:
        return AccessTokenVerifier(self.f.issuer, self.host.url + JWKS, **options)

    def sign(self, header=None, **claims) -> str:
        now = int(time.time())
        base = dict(self.f.token_claims, iat=now, exp=now + 300)
        return sign_es256({**self.f.token_header, "kid": self.f.test_kid, **(header or {})},
                          dict(base, **claims), self.f.foreign_key)

    def refused(self, token: str, reason: str, **options) -> None:
        with self.assertRaisesRegex(InvalidTokenError, reason):
            self.verifier(**options).verify(token)

    def test_a_well_signed_token_passes(self) -> None:
        t = self.verifier().verify(self.sign(act={"sub": "usr_admin"}))
        self.assertEqual((t.subject, t.actor, t.email), (self.f.account_id, "usr_admin", self.f.token_claims["email"]))

    def test_offline_the_fed_claim_is_the_credentials_federation(self) -> None:
        fed = {"issuer": "github-actions", "subject": "repo:acme/app:ref:refs/heads/main",
               "credential": "github-main"}
        verifier = Verifier(self.host.url, SERVITOR_TOKEN, offline_access_tokens=True, issuer=self.f.issuer,
                            jwks_uri=self.host.url + JWKS)
        v = verifier.verify(self.sign(fed=fed))
        self.assertTrue(v.valid)
        self.assertEqual(v.credential.federation, Federation(**fed))
        self.assertIsNone(verifier.verify(self.sign()).credential.federation)

    def test_hmac_signed_with_the_public_key_is_refused(self) -> None:
        x = self.f.test_jwks["keys"][0]["x"].encode()
        head = b64url_json(dict(self.f.token_header, alg="HS256", kid=self.f.test_kid)) + "." + \
            b64url_json(self.f.token_claims)
        token = head + "." + b64url(hmac.new(x, head.encode(), hashlib.sha256).digest())
        self.refused(token, "not ES256")

    def test_times_allow_a_minute_of_skew_and_no_more(self) -> None:
        now = int(time.time())
        self.verifier().verify(self.sign(exp=now - 30))
        self.refused(self.sign(exp=now - 90), "expired")
        self.verifier().verify(self.sign(nbf=now + 30))
        self.refused(self.sign(nbf=now + 90), "not valid yet")

    def test_the_issuer_must_match_exactly(self) -> None:
        self.refused(self.sign(iss=self.f.issuer + "/"), "issuer")
        self.refused(self.sign(iss="https://evil.example"), "issuer")

    def test_the_audience_is_the_issuer_unless_named(self) -> None:
        token = self.sign(aud=["https://api.example.com", "other"])
        self.refused(token, "audience")
        self.verifier(audience="https://api.example.com").verify(token)
        self.verifier(audience=["x", "other"]).verify(token)

    def test_required_claims_and_headers(self) -> None:
        for claims, reason in (({"sub": None}, "sub"), ({"jti": ""}, "jti"), ({"exp": "tomorrow"}, "exp"),
                               ({"iat": None}, "iat")):
            with self.subTest(claims):
                self.refused(self.sign(**claims), reason)
        self.refused(self.sign(header={"kid": None}), "kid")
        self.refused(self.sign(exp=10 ** 20), "out of range")
        nan = self.sign().split(".")
        nan[1] = b64url(b'{"exp": Infinity}')
        self.refused(".".join(nan), "not JSON")
        self.refused(self.sign(header={"crit": ["exp"]}), "critical")

    def test_malformed_tokens_are_refused(self) -> None:
        good = self.sign()
        h, c, s = good.split(".")
        twice = b64url(b'{"alg":"ES256","alg":"none"}')
        for token, reason in ((f"{h}.{c}", "three"), (f"{h}.{c}.{s}.x", "three"), (f"{h}!.{c}.{s}", "base64url"),
                              (f"{h}.{c}.{s}==", "base64url"), (f"{h}.{c}.{s[:-4]}", "64 bytes"),
                              (f"{b64url(b'[1]')}.{c}.{s}", "object"), (f"{b64url(b'{')}.{c}.{s}", "JSON"),
                              (f"{twice}.{c}.{s}", "duplicate")):
            with self.subTest(reason):
                self.refused(token, reason)

    def test_no_reachable_jwks_is_unavailable_not_invalid(self) -> None:
        silent = SilentServer()
        try:
            verifier = AccessTokenVerifier(self.f.issuer, silent.url + JWKS, timeout=0.3)
            for _ in range(2):  # also the second time, within the second in which it does not fetch again
                with self.assertRaises(ServitorUnavailableError):
                    verifier.verify(self.sign())
        finally:
            silent.close()

    def test_known_keys_keep_working_while_the_jwks_is_unreachable(self) -> None:
        host = LocalServer()
        host.overrides[JWKS] = (200, self.f.test_jwks, {})
        clock = FakeClock()
        verifier = AccessTokenVerifier(self.f.issuer, host.url + JWKS, clock=clock)
        verifier.verify(self.sign())
        host.close()
        clock.offset = 600  # past the JWKS max age: it tries to refetch, fails, keeps the set it has
        self.assertEqual(verifier.verify(self.sign(exp=int(time.time()) + 3600)).subject, self.f.account_id)

    def test_the_verifier_discovers_the_issuer_for_verify_access_token(self) -> None:
        v = Verifier(SERVITOR_URL, SERVITOR_TOKEN)
        self.assertEqual(v.verify_access_token(self.f.access_token).subject, self.f.account_id)
        with self.assertRaises(InvalidTokenError):
            v.verify_access_token(self.f.foreign_token)


if __name__ == "__main__":
    unittest.main()
