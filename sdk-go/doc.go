// SPDX-License-Identifier: Apache-2.0

// Package verifier checks the credentials that callers present to a platform (its gateway or API
// server) against Servitor: API keys and access tokens through POST /v1/verify, with a short cache;
// access tokens offline against the server's JWKS; the key format (prefix, base62, CRC-32 checksum)
// before any request; and a net/http middleware that puts the verification in the request's context.
//
// Standard library only. Secrets are never logged, never part of an error message, and never kept
// in memory beyond the call: cache keys are SHA-256 hashes of what was presented.
package verifier
