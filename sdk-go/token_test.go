// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testIssuer = "https://auth.example.test"

// offlineVerifier checks tokens against a JWKS served over HTTP by the test, with a settable clock.
func offlineVerifier(t *testing.T, opts Options, signers ...*signer) (*Verifier, *jwksServer, *clock) {
	t.Helper()
	jwks := newJWKSServer(t, func() []byte { return jwksOf(t, signers...) })
	if opts.Issuer == "" {
		opts.Issuer = testIssuer
	}
	opts.JWKSURL = jwks.URL
	v, err := New(jwks.URL, "svt_platform", opts)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Now()}
	v.now = clk.Now
	return v, jwks, clk
}

func goodClaims(now time.Time) map[string]any {
	return map[string]any{
		"iss": testIssuer, "aud": testIssuer, "sub": "sa_123", "jti": "jti_1", "org": "default",
		"email": "ci-bot@default.sa.servitor.local", "client_id": "sa_123",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

func with(c map[string]any, changes map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range c {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func TestVerifyAccessToken_refuses_every_kind_of_bad_token(t *testing.T) {
	s := newSigner(t, "k1")
	v, _, clk := offlineVerifier(t, Options{}, s)
	now := clk.Now()
	c := goodClaims(now)
	good := s.sign(t, nil, c)
	parts := strings.Split(good, ".")
	hs256 := func() string {
		// The classic confusion: HMAC keyed with the public key, hoping the verifier follows the header.
		input := b64json(t, map[string]any{"alg": "HS256", "kid": "k1"}) + "." + parts[1]
		m := hmac.New(sha256.New, jwksOf(t, s))
		m.Write([]byte(input))
		return input + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}()
	// The last character of a 64-byte signature carries 2 unused bits: a lenient decoder reads the
	// same signature from 4 spellings of it.
	last := strings.IndexByte(base62Alphabet64, good[len(good)-1])
	sameBytes := good[:len(good)-1] + string(base62Alphabet64[last|1])

	for _, c := range []struct {
		name  string
		token string
		want  error
	}{
		{"valid", good, nil},
		{"aud as a list", s.sign(t, nil, with(c, map[string]any{"aud": []string{"x", testIssuer}})), nil},
		{"exp passed within the skew", s.sign(t, nil, with(c, map[string]any{"exp": now.Add(-30 * time.Second).Unix()})), nil},
		{"nbf ahead within the skew", s.sign(t, nil, with(c, map[string]any{"nbf": now.Add(30 * time.Second).Unix()})), nil},
		{"exp passed beyond the skew", s.sign(t, nil, with(c, map[string]any{"exp": now.Add(-61 * time.Second).Unix()})), ErrTokenExpired},
		{"nbf ahead beyond the skew", s.sign(t, nil, with(c, map[string]any{"nbf": now.Add(2 * time.Minute).Unix()})), ErrTokenNotYetValid},
		{"another issuer", s.sign(t, nil, with(c, map[string]any{"iss": "https://evil.test"})), ErrTokenIssuer},
		{"another audience", s.sign(t, nil, with(c, map[string]any{"aud": "https://other.test"})), ErrTokenAudience},
		{"no audience", s.sign(t, nil, with(c, map[string]any{"aud": nil})), ErrTokenAudience},
		{"no exp", s.sign(t, nil, with(c, map[string]any{"exp": nil})), ErrTokenClaims},
		{"no iat", s.sign(t, nil, with(c, map[string]any{"iat": nil})), ErrTokenClaims},
		{"no jti", s.sign(t, nil, with(c, map[string]any{"jti": nil})), ErrTokenClaims},
		{"no sub", s.sign(t, nil, with(c, map[string]any{"sub": nil})), ErrTokenClaims},
		{"exp as text", s.sign(t, nil, with(c, map[string]any{"exp": "tomorrow"})), ErrTokenMalformed},
		{"sub as a number", s.sign(t, nil, with(c, map[string]any{"sub": 5})), ErrTokenMalformed},
		{"alg none", b64json(t, map[string]any{"alg": "none", "kid": "k1"}) + "." + parts[1] + ".", ErrTokenAlgorithm},
		{"alg HS256 keyed with the public key", hs256, ErrTokenAlgorithm},
		{"alg ES384", s.sign(t, map[string]any{"alg": "ES384"}, c), ErrTokenAlgorithm},
		{"no kid", s.sign(t, map[string]any{"kid": ""}, c), ErrTokenMalformed},
		{"a crit header", s.sign(t, map[string]any{"crit": []string{"exp"}}, c), ErrTokenMalformed},
		{"unknown kid", s.sign(t, map[string]any{"kid": "k2"}, c), ErrTokenUnknownKey},
		{"claims changed after signing", parts[0] + "." + b64json(t, with(c, map[string]any{"sub": "sa_admin"})) + "." + parts[2], ErrTokenSignature},
		{"signature spelled with non-zero unused bits", sameBytes, ErrTokenSignature},
		{"signature cut short", good[:len(good)-4], ErrTokenSignature},
		{"signature of another key under this kid", newSigner(t, "k1").sign(t, nil, c), ErrTokenSignature},
		{"two parts", parts[0] + "." + parts[1], ErrTokenMalformed},
		{"header not JSON", "bm90IGpzb24." + parts[1] + "." + parts[2], ErrTokenMalformed},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], ErrTokenMalformed},
	} {
		_, err := v.VerifyAccessToken(context.Background(), c.token)
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != nil && !errors.Is(err, c.want):
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		case c.want != nil && !errors.Is(err, ErrTokenInvalid):
			t.Errorf("%s: %v does not wrap ErrTokenInvalid", c.name, err)
		}
	}
}

const base62Alphabet64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func TestVerifyAccessToken_gives_the_claims(t *testing.T) {
	s := newSigner(t, "k1")
	v, _, clk := offlineVerifier(t, Options{Audience: "https://api.example.test"}, s)
	c := with(goodClaims(clk.Now()), map[string]any{
		"aud": "https://api.example.test",
		"act": map[string]any{"sub": "usr_9", "email": "admin@example.test"},
	})
	tok, err := v.VerifyAccessToken(context.Background(), s.sign(t, nil, c))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Subject != "sa_123" || tok.Email != "ci-bot@default.sa.servitor.local" || tok.Org != "default" ||
		tok.ID != "jti_1" || tok.ExpiresAt.Unix() != c["exp"].(int64) || tok.Actor == nil ||
		tok.Actor.ID != "usr_9" || tok.Actor.Type != "user" || tok.Actor.Email != "admin@example.test" {
		t.Errorf("claims read wrong: %+v actor %+v", tok, tok.Actor)
	}
}

func TestJWKS_an_unknown_kid_reads_the_set_again_at_most_once_a_minute(t *testing.T) {
	known := newSigner(t, "k1")
	v, jwks, clk := offlineVerifier(t, Options{}, known)
	ctx := context.Background()
	if _, err := v.VerifyAccessToken(ctx, known.sign(t, nil, goodClaims(clk.Now()))); err != nil {
		t.Fatal(err)
	}
	// A flood of tokens under made-up kids within the minute: no read at all.
	for i := 0; i < 100; i++ {
		forged := newSigner(t, "made-up-"+string(rune('a'+i%26))).sign(t, nil, goodClaims(clk.Now()))
		if _, err := v.VerifyAccessToken(ctx, forged); !errors.Is(err, ErrTokenUnknownKey) {
			t.Fatalf("got %v, want ErrTokenUnknownKey", err)
		}
	}
	if n := jwks.hits.Load(); n != 1 {
		t.Errorf("%d reads of the JWKS, want 1", n)
	}
	// A new signing key published: found once the minute has passed.
	rotated := newSigner(t, "k2")
	jwks.serve(func() []byte { return jwksOf(t, known, rotated) })
	tok := rotated.sign(t, nil, goodClaims(clk.Now()))
	clk.advance(30 * time.Second)
	if _, err := v.VerifyAccessToken(ctx, tok); !errors.Is(err, ErrTokenUnknownKey) {
		t.Errorf("within the minute: %v, want ErrTokenUnknownKey", err)
	}
	clk.advance(31 * time.Second)
	if _, err := v.VerifyAccessToken(ctx, tok); err != nil {
		t.Errorf("after the minute: %v", err)
	}
	if n := jwks.hits.Load(); n != 2 {
		t.Errorf("%d reads of the JWKS, want 2", n)
	}
}

func TestJWKS_a_withdrawn_key_stops_being_trusted_after_an_hour(t *testing.T) {
	old := newSigner(t, "k1")
	v, jwks, clk := offlineVerifier(t, Options{}, old)
	ctx := context.Background()
	if _, err := v.VerifyAccessToken(ctx, old.sign(t, nil, goodClaims(clk.Now()))); err != nil {
		t.Fatal(err)
	}
	jwks.serve(func() []byte { return jwksOf(t, newSigner(t, "k2")) })
	clk.advance(jwksMaxAge + time.Second)
	if _, err := v.VerifyAccessToken(ctx, old.sign(t, nil, goodClaims(clk.Now()))); !errors.Is(err, ErrTokenUnknownKey) {
		t.Errorf("a key gone from the JWKS: %v, want ErrTokenUnknownKey", err)
	}
}

func TestJWKS_while_the_server_is_down_the_last_set_is_used(t *testing.T) {
	s := newSigner(t, "k1")
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		_, _ = w.Write(jwksOf(t, s))
	}))
	defer srv.Close()
	v, _ := New(srv.URL, "svt_platform", Options{Issuer: testIssuer, JWKSURL: srv.URL})
	clk := &clock{now: time.Now()}
	v.now = clk.Now
	ctx := context.Background()
	if _, err := v.VerifyAccessToken(ctx, s.sign(t, nil, goodClaims(clk.Now()))); err != nil {
		t.Fatal(err)
	}
	down.Store(true)
	clk.advance(jwksMaxAge + time.Second)
	if _, err := v.VerifyAccessToken(ctx, s.sign(t, nil, goodClaims(clk.Now()))); err != nil {
		t.Errorf("with the JWKS unreachable, a token of a known key: %v", err)
	}
	// With no set ever read, the failure is not a judgement on the token.
	v2, _ := New(srv.URL, "svt_platform", Options{Issuer: testIssuer, JWKSURL: srv.URL})
	if _, err := v2.VerifyAccessToken(ctx, s.sign(t, nil, goodClaims(time.Now()))); !errors.Is(err, ErrKeysUnavailable) || errors.Is(err, ErrTokenInvalid) {
		t.Errorf("got %v, want ErrKeysUnavailable", err)
	}
}

func TestJWKS_only_P256_signing_keys_are_taken(t *testing.T) {
	s := newSigner(t, "k1")
	for name, mutate := range map[string]func(map[string]any){
		"use enc":       func(j map[string]any) { j["use"] = "enc" },
		"alg ES384":     func(j map[string]any) { j["alg"] = "ES384" },
		"crv P-384":     func(j map[string]any) { j["crv"] = "P-384" },
		"kty RSA":       func(j map[string]any) { j["kty"] = "RSA" },
		"off the curve": func(j map[string]any) { j["y"] = j["x"] },
		"short x":       func(j map[string]any) { j["x"] = j["x"].(string)[:40] },
	} {
		jwk := s.jwk()
		mutate(jwk)
		jwks := newJWKSServer(t, func() []byte { raw, _ := jsonMarshal(map[string]any{"keys": []any{jwk}}); return raw })
		v, _ := New(jwks.URL, "svt_platform", Options{Issuer: testIssuer, JWKSURL: jwks.URL})
		if _, err := v.VerifyAccessToken(context.Background(), s.sign(t, nil, goodClaims(time.Now()))); !errors.Is(err, ErrTokenUnknownKey) {
			t.Errorf("%s: got %v, want the key skipped (ErrTokenUnknownKey)", name, err)
		}
	}
}

func TestIssuer_and_jwks_uri_are_read_once_from_the_discovery_document(t *testing.T) {
	s := newSigner(t, "k1")
	var discoveries atomic.Int64
	var self string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/oauth-authorization-server":
			discoveries.Add(1)
			_, _ = w.Write([]byte(`{"issuer":"` + testIssuer + `","jwks_uri":"` + self + `/keys"}`))
		case "/keys": // not the usual path: only jwks_uri leads here
			_, _ = w.Write(jwksOf(t, s))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	self = srv.URL
	v, _ := New(srv.URL, "svt_platform", Options{}) // no Issuer, no JWKSURL: both from the server
	for i := 0; i < 3; i++ {
		if _, err := v.VerifyAccessToken(context.Background(), s.sign(t, nil, goodClaims(time.Now()))); err != nil {
			t.Fatal(err)
		}
	}
	if discoveries.Load() != 1 {
		t.Errorf("%d reads of the discovery document, want 1", discoveries.Load())
	}
}
