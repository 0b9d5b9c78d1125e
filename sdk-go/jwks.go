// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

const (
	// jwksRefetchEvery is the least time between two reads of the JWKS for an unknown kid: a flood
	// of tokens under made-up kids costs the server one request a minute.
	jwksRefetchEvery = time.Minute
	// jwksRetryUnloaded is the least time between two attempts while no set was ever read.
	jwksRetryUnloaded = time.Second
	// jwksMaxAge is how long a set is used before it is read again, so that a key withdrawn from
	// the JWKS stops being trusted (Servitor keeps a rotated key there for the tokens' lifetime).
	jwksMaxAge = time.Hour
)

// ErrKeysUnavailable wraps a failure to read the JWKS or the discovery document: the token was not
// judged. It is an ErrUnavailable.
var ErrKeysUnavailable = fmt.Errorf("%w: signing keys unavailable", ErrUnavailable)

// tokenChecker holds what offline checks need from the server: its signing keys and its issuer.
type tokenChecker struct {
	v       *Verifier
	jwksURL string

	mu       sync.RWMutex
	keys     map[string]*ecdsa.PublicKey // nil until a set was read
	loadedAt time.Time

	fetchMu     sync.Mutex // one read of the JWKS at a time
	lastAttempt time.Time

	// What the discovery document gives unless Options set it: the issuer and the jwks_uri.
	discoveryMu      sync.Mutex
	issuer           string
	discoveryAttempt time.Time
}

func newTokenChecker(v *Verifier) *tokenChecker {
	return &tokenChecker{v: v, jwksURL: v.opts.JWKSURL, issuer: v.opts.Issuer}
}

func (t *tokenChecker) lookup(kid string) (key *ecdsa.PublicKey, loaded bool, loadedAt time.Time) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.keys[kid], t.keys != nil, t.loadedAt
}

// key finds the public key named kid, reading the JWKS when none was read, when the set is older
// than jwksMaxAge, or when kid is unknown and the last read is at least jwksRefetchEvery old.
func (t *tokenChecker) key(kid string) (*ecdsa.PublicKey, error) {
	k, loaded, at := t.lookup(kid)
	if k != nil && t.v.now().Sub(at) < jwksMaxAge {
		return k, nil
	}
	t.fetchMu.Lock()
	defer t.fetchMu.Unlock()
	k, loaded, at = t.lookup(kid) // another caller may have read it while this one waited
	now := t.v.now()
	if k != nil && now.Sub(at) < jwksMaxAge {
		return k, nil
	}
	wait := jwksRefetchEvery
	if !loaded {
		wait = jwksRetryUnloaded
	}
	if !t.lastAttempt.IsZero() && now.Sub(t.lastAttempt) < wait {
		switch {
		case k != nil:
			return k, nil // stale, but a fresher set cannot be asked for yet
		case !loaded:
			return nil, fmt.Errorf("%w: the JWKS could not be read; next attempt within %v", ErrKeysUnavailable, wait)
		}
		return nil, ErrTokenUnknownKey
	}
	t.lastAttempt = now
	keys, err := t.fetch()
	if err != nil {
		if k != nil {
			return k, nil // the server is unreachable: keep trusting the set it gave last
		}
		return nil, err
	}
	t.mu.Lock()
	t.keys, t.loadedAt = keys, now
	t.mu.Unlock()
	if k = keys[kid]; k == nil {
		return nil, ErrTokenUnknownKey
	}
	return k, nil
}

type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// fetch reads the JWKS and keeps the P-256 signing keys (kty EC, crv P-256, alg ES256 or none
// given, use sig or none given, a kid, a point on the curve); every other entry is skipped.
func (t *tokenChecker) fetch() (map[string]*ecdsa.PublicKey, error) {
	var set struct {
		Keys []jwk `json:"keys"`
	}
	_, jwksURL, err := t.discovered()
	if err != nil {
		return nil, err
	}
	if err := t.getJSON(jwksURL, &set); err != nil {
		return nil, err
	}
	keys := make(map[string]*ecdsa.PublicKey, len(set.Keys))
	for _, j := range set.Keys {
		if j.Kty != "EC" || j.Crv != "P-256" || j.Kid == "" || (j.Alg != "" && j.Alg != "ES256") || (j.Use != "" && j.Use != "sig") {
			continue
		}
		x, errX := strictB64.DecodeString(j.X)
		y, errY := strictB64.DecodeString(j.Y)
		if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
			continue
		}
		point := append(append([]byte{4}, x...), y...)
		px, py := elliptic.Unmarshal(elliptic.P256(), point) // nil unless the point is on the curve
		if px == nil {
			continue
		}
		keys[j.Kid] = &ecdsa.PublicKey{Curve: elliptic.P256(), X: px, Y: py}
	}
	return keys, nil
}

// expectedIssuer is Options.Issuer, or the issuer of the server's discovery document.
func (t *tokenChecker) expectedIssuer() (string, error) {
	issuer, _, err := t.discovered()
	return issuer, err
}

// discovered gives the issuer and the JWKS location: Options.Issuer and Options.JWKSURL where set,
// else the "issuer" and "jwks_uri" of <url>/.well-known/oauth-authorization-server (RFC 8414), read
// once (a failed read is retried at most once a second).
func (t *tokenChecker) discovered() (issuer, jwksURL string, err error) {
	t.discoveryMu.Lock()
	defer t.discoveryMu.Unlock()
	if t.issuer != "" && t.jwksURL != "" {
		return t.issuer, t.jwksURL, nil
	}
	now := t.v.now()
	if !t.discoveryAttempt.IsZero() && now.Sub(t.discoveryAttempt) < jwksRetryUnloaded {
		return "", "", fmt.Errorf("%w: the discovery document could not be read; next attempt within %v", ErrKeysUnavailable, jwksRetryUnloaded)
	}
	t.discoveryAttempt = now
	var meta struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	where := t.v.base + "/.well-known/oauth-authorization-server"
	if err := t.getJSON(where, &meta); err != nil {
		return "", "", err
	}
	if meta.Issuer == "" || meta.JWKSURI == "" {
		return "", "", fmt.Errorf("%w: %s names no issuer or no jwks_uri", ErrKeysUnavailable, where)
	}
	jwks, err := url.Parse(meta.JWKSURI)
	if err != nil || (jwks.Scheme != "http" && jwks.Scheme != "https") || jwks.Host == "" {
		return "", "", fmt.Errorf("%w: the jwks_uri of %s is not an http(s) URL", ErrKeysUnavailable, where)
	}
	if t.issuer == "" {
		t.issuer = meta.Issuer
	}
	if t.jwksURL == "" {
		t.jwksURL = meta.JWKSURI
	}
	return t.issuer, t.jwksURL, nil
}

// getJSON reads a document bounded by Timeout, not by a caller's context: a read is shared by every
// caller waiting for it and rate-limited, so one caller's cancellation must not fail it for the others.
func (t *tokenChecker) getJSON(url string, into any) error {
	ctx, cancel := context.WithTimeout(context.Background(), t.v.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrKeysUnavailable, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	body, status, err := t.v.send(req)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrKeysUnavailable, err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("%w: %s answered %d", ErrKeysUnavailable, req.URL.Redacted(), status)
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("%w: %s is not the JSON expected: %v", ErrKeysUnavailable, req.URL.Redacted(), err)
	}
	return nil
}
