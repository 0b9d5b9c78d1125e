# SPDX-License-Identifier: Apache-2.0
"""Per-call cost of the verifier's paths, with the standard library's timeit (best of 5 repeats).

Needs SERVITOR_URL and SERVITOR_TOKEN (run bench/bench.sh, which starts a server): it makes an account,
a key and an access token, then times each path in this process."""
from __future__ import annotations

import json
import os
import platform
import sys
import timeit
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from servitor_verifier import ServitorWSGIMiddleware, Verifier, is_well_formed_key  # noqa: E402

URL, TOKEN = os.environ["SERVITOR_URL"], os.environ["SERVITOR_TOKEN"]


def api(method: str, path: str, body: Any = None) -> Any:
    req = urllib.request.Request(URL + path, data=None if body is None else json.dumps(body).encode(), method=method,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def per_call(fn: Callable[[], Any], repeat: int = 5) -> float:
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat, number)) / number


def main() -> None:
    api("POST", "/v1/service-accounts", {"name": "bench-bot", "role": "viewer"})
    key = api("POST", "/v1/service-accounts/bench-bot/keys", {"name": "bench"})["key"]
    secret = api("POST", "/v1/service-accounts/bench-bot/secret")
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": secret["client_id"],
                                   "client_secret": secret["client_secret"]}).encode()
    with urllib.request.urlopen(urllib.request.Request(URL + "/oauth/token", data=form)) as r:
        token = json.loads(r.read())["access_token"]
    malformed = key[:-1] + ("A" if key[-1] != "A" else "B")

    cached = Verifier(URL, TOKEN)
    assert cached.verify(key).valid
    uncached = Verifier(URL, TOKEN, cache_ttl=0)
    cached.verify_access_token(token)

    def ok(environ: Dict[str, Any], start_response: Any) -> Any:
        start_response("200 OK", [])
        return [b""]

    wsgi = ServitorWSGIMiddleware(ok, cached)
    environ = {"HTTP_AUTHORIZATION": "Bearer " + key, "REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET"}
    wsgi(dict(environ), lambda *a: None)

    rows = [
        ("is_well_formed_key (a good key)", lambda: is_well_formed_key(key)),
        ("is_well_formed_key (last character changed)", lambda: is_well_formed_key(malformed)),
        ("verify, malformed key (no request)", lambda: cached.verify(malformed)),
        ("verify, cached answer", lambda: cached.verify(key)),
        ("WSGI middleware, cached answer (in process)", lambda: wsgi(dict(environ), lambda *a: None)),
        ("verify_access_token (offline ES256, JWKS cached)", lambda: cached.verify_access_token(token)),
        ("verify, uncached (POST /v1/verify over loopback)", lambda: uncached.verify(key)),
    ]
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs")
    for name, fn in rows:
        seconds = per_call(fn)
        print(f"{name:<52} {seconds * 1e6:>10.2f} µs/call  {1 / seconds:>12,.0f} calls/s")


if __name__ == "__main__":
    main()
