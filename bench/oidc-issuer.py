#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A minimal OIDC issuer for bench/federation-exchange-load.sh: serves discovery and a JWKS on loopback,
and writes one RS256 workload token (GitHub Actions-shaped claims) to --token-file (and its JWKS to
--jwks-file, for an issuer with an inline key set) before it serves. Needs Debian's python3-cryptography. Never for anything but a benchmark."""
import argparse, base64, json, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n: int) -> str:
    return b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--audience", required=True)
    p.add_argument("--token-file", required=True)
    p.add_argument("--jwks-file")
    p.add_argument("--lifetime", type=int, default=3000)
    a = p.parse_args()
    issuer = f"http://127.0.0.1:{a.port}"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pub = key.public_key().public_numbers()
    kid = "bench-1"
    jwks = json.dumps({"keys": [{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": uint(pub.n), "e": uint(pub.e)}]})
    discovery = json.dumps({"issuer": issuer, "jwks_uri": issuer + "/jwks", "id_token_signing_alg_values_supported": ["RS256"]})
    now = int(time.time())
    claims = {"iss": issuer, "aud": a.audience, "sub": "repo:acme/web:ref:refs/heads/main", "iat": now, "nbf": now,
              "exp": now + a.lifetime, "jti": str(uuid.uuid4()), "repository": "acme/web", "repository_owner": "acme",
              "repository_owner_id": "4242", "repository_id": "777", "ref": "refs/heads/main", "ref_type": "branch",
              "event_name": "push", "job_workflow_ref": "acme/web/.github/workflows/deploy.yml@refs/heads/main"}
    header = {"alg": "RS256", "typ": "JWT", "kid": kid}
    signing_input = (b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())).encode()
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    if a.jwks_file:
        with open(a.jwks_file, "w") as f:
            f.write(jwks)
    with open(a.token_file, "w") as f:
        f.write(signing_input.decode() + "." + b64(signature))

    fetches = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = {"/.well-known/openid-configuration": discovery, "/jwks": jwks}.get(self.path)
            if body is None:
                self.send_response(404); self.end_headers(); return
            fetches["n"] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            print("issuer fetch", self.path, flush=True)

    ThreadingHTTPServer(("127.0.0.1", a.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
