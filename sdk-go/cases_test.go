// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// The shared list of cases of every verifier SDK (sdk-cases/cases.json). Every case is run; a case
// this suite does not understand (a new fixture, a new "then") fails, so none is skipped silently.
type sharedCases struct {
	About     string            `json:"about"`
	Fixtures  map[string]string `json:"fixtures"`
	KeyFormat []struct {
		Input      string `json:"input"`
		Prefix     string `json:"prefix"`
		WellFormed bool   `json:"well_formed"`
		Why        string `json:"why"`
	} `json:"key_format"`
	Verify []struct {
		Credential  string       `json:"credential"`
		Permission  string       `json:"permission"`
		Then        string       `json:"then"`
		PlatformKey string       `json:"platform_key"`
		StandIn     *caseStandIn `json:"stand_in"`
		Times       int          `json:"times"`
		IntervalMs  int          `json:"interval_ms"`
		NegativeTTL float64      `json:"negative_cache_seconds"`
		Expect      struct {
			Valid             bool        `json:"valid"`
			Code              string      `json:"code"`
			Network           *bool       `json:"network"`
			Error             string      `json:"error"`
			Status            int         `json:"status"`
			Requests          int64       `json:"requests"`
			RetryAfterSeconds *int        `json:"retry_after_seconds"`
			Federation        *Federation `json:"federation"`
		} `json:"expect"`
		Why string `json:"why"`
	} `json:"verify"`
	OfflineToken []struct {
		Token     string            `json:"token"`
		Audience  string            `json:"audience"`
		Then      string            `json:"then"`
		StandIn   *caseStandIn      `json:"stand_in"`
		Via       string            `json:"via"`
		Principal map[string]string `json:"principal"`
		Expect    string            `json:"expect"`
		Reason    string            `json:"reason"`
		Why       string            `json:"why"`
	} `json:"offline_token"`
	Middleware []struct {
		Request struct {
			Headers map[string]string `json:"headers"`
		} `json:"request"`
		Permission string       `json:"permission"`
		ClientIP   string       `json:"client_ip"`
		StandIn    *caseStandIn `json:"stand_in"`
		Expect     struct {
			Status         int             `json:"status"`
			Code           string          `json:"code"`
			RetryAfter     json.RawMessage `json:"retry_after"` // a string, or null for no Retry-After
			UpstreamCalled bool            `json:"upstream_called"`
			UpstreamSees   string          `json:"upstream_sees"`
		} `json:"expect"`
		Why string `json:"why"`
	} `json:"middleware"`
}

func loadCases(t *testing.T) sharedCases {
	t.Helper()
	raw, err := os.ReadFile("../sdk-cases/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var c sharedCases
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields() // a member this suite does not know fails, rather than being ignored
	if err := d.Decode(&c); err != nil {
		t.Fatal(err)
	}
	if len(c.KeyFormat) == 0 || len(c.Verify) == 0 || len(c.OfflineToken) == 0 || len(c.Middleware) == 0 {
		t.Fatal("cases.json lost a section")
	}
	return c
}

func TestSharedCases_KeyFormat(t *testing.T) {
	for i, c := range loadCases(t).KeyFormat {
		c := c
		t.Run(fmt.Sprintf("%02d %s", i, c.Why), func(t *testing.T) {
			got := IsWellFormedKeyWithPrefix(c.Input, c.Prefix)
			if c.Prefix == "" && IsWellFormedKey(c.Input) != got {
				t.Errorf("IsWellFormedKey and IsWellFormedKeyWithPrefix(…, \"\") disagree on %q", c.Input)
			}
			if got != c.WellFormed {
				t.Errorf("IsWellFormedKeyWithPrefix(%q, %q) = %v, want %v", c.Input, c.Prefix, got, c.WellFormed)
			}
		})
	}
}

// fixtures makes the credentials that cases.json names, from what test.sh created on the real server.
type fixtures struct {
	l       *liveServer
	once    sync.Once
	derived map[string]string
	expired *signer
	foreign *signer
}

func newFixtures(t *testing.T, l *liveServer) *fixtures {
	at := l.accessToken
	f := &fixtures{l: l, expired: newSigner(t, "sdk-go-test-expired"), foreign: newSigner(t, partOf(t, at, 0)["kid"].(string))}
	parts := strings.Split(at, ".")
	claims := partOf(t, at, 1)
	sig := []byte(parts[2])
	mid := len(sig) / 2
	if sig[mid] == 'A' {
		sig[mid] = 'B'
	} else {
		sig[mid] = 'A'
	}
	expiredClaims := map[string]any{}
	for k, v := range claims {
		expiredClaims[k] = v
	}
	expiredClaims["iat"] = time.Now().Add(-2 * time.Hour).Unix()
	expiredClaims["exp"] = time.Now().Add(-time.Hour).Unix()
	f.derived = map[string]string{
		"live_key":       l.liveKey,
		"revoked_key":    l.revokedKey,
		"unknown_key":    randomKey(t, l.liveKey[:strings.IndexByte(l.liveKey, '_')]),
		"malformed_key":  changeChar(l.liveKey, -1),
		"access_token":   at,
		"tampered_token": parts[0] + "." + parts[1] + "." + string(sig),
		"alg_none_token": base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".",
		"foreign_token":  f.foreign.sign(t, nil, claims),
		"expired_token":  f.expired.sign(t, nil, expiredClaims),
		"fenced_key":     fencedKey(t, l),
	}
	return f
}

func (f *fixtures) get(t *testing.T, name string) string {
	t.Helper()
	v, ok := f.derived[name]
	if !ok {
		t.Fatalf("cases.json names a fixture %q that this suite does not make", name)
	}
	return v
}

// fill replaces every <fixture> in s.
func (f *fixtures) fill(t *testing.T, s string) string {
	for name, v := range f.derived {
		s = strings.ReplaceAll(s, "<"+name+">", v)
	}
	if strings.Contains(s, "<") {
		t.Fatalf("a fixture in %q is unknown to this suite", s)
	}
	return s
}

func TestSharedCases_Verify(t *testing.T) {
	l := live(t)
	f := newFixtures(t, l)
	ctx := context.Background()
	for i, c := range loadCases(t).Verify {
		c := c
		t.Run(fmt.Sprintf("%02d %s %s %s", i, c.Credential, c.Permission, c.Then), func(t *testing.T) {
			credential := f.get(t, c.Credential)
			v, requests := verifierFor(t, l, Options{CacheTTL: time.Second})
			var standIn *standInServer
			switch {
			case c.StandIn != nil:
				standIn = c.StandIn.start(t, l, f)
				var err error
				negative := time.Duration(c.NegativeTTL * float64(time.Second))
				if v, err = New(standIn.url, l.platformKey, Options{Timeout: 2 * time.Second, NegativeCacheTTL: negative}); err != nil {
					t.Fatal(err)
				}
			case c.NegativeTTL != 0:
				t.Fatal("negative_cache_seconds is understood with a stand_in only")
			case c.PlatformKey != "":
				v, requests = verifierFor(t, l, Options{})
				v.key = f.get(t, c.PlatformKey)
			}
			switch c.Then {
			case "":
			case "revoke it, wait past the SDK's positive cache TTL":
				if c.Credential != "live_key" {
					t.Fatalf("%q after revoking %s is not understood", c.Then, c.Credential)
				}
				// A key of its own, so that live_key stays live for the other cases.
				key, id := l.newKey(t, `{"name":"revoked-after-cache"}`)
				if got, err := v.Verify(ctx, key, "", ""); err != nil || !got.Valid {
					t.Fatalf("a fresh key: %+v, %v", got, err)
				}
				l.revoke(t, id)
				if got, _ := v.Verify(ctx, key, "", ""); !got.Valid {
					t.Errorf("right after revoking, the cached answer should still be VALID (the positive cache), got %s", got.Code)
				}
				time.Sleep(1100 * time.Millisecond)
				credential = key
			default:
				t.Fatalf("then %q is not understood by this suite", c.Then)
			}
			before := requests.count()
			got, err := v.Verify(ctx, credential, c.Permission, "")
			for i := 1; i < c.Times && err == nil; i++ {
				time.Sleep(time.Duration(c.IntervalMs) * time.Millisecond)
				got, err = v.Verify(ctx, credential, c.Permission, "")
			}
			var apiErr *APIError
			switch c.Expect.Error {
			case "":
				if err != nil {
					t.Fatal(err)
				}
			case "unavailable":
				if !errors.Is(err, ErrUnavailable) || errors.As(err, &apiErr) {
					t.Fatalf("got %v, want an ErrUnavailable", err)
				}
				return
			case "api":
				if !errors.As(err, &apiErr) || apiErr.Status != c.Expect.Status || errors.Is(err, ErrUnavailable) {
					t.Fatalf("got %v, want an *APIError %d", err, c.Expect.Status)
				}
				return
			default:
				t.Fatalf("expect.error %q is not understood", c.Expect.Error)
			}
			if standIn != nil && c.Expect.Requests != 0 && standIn.verifies.Load() != c.Expect.Requests {
				t.Errorf("%d verifications made %d requests, want %d", c.Times, standIn.verifies.Load(), c.Expect.Requests)
			}
			if got.Valid != c.Expect.Valid || got.Code != c.Expect.Code {
				t.Errorf("got valid=%v code=%s, want valid=%v code=%s", got.Valid, got.Code, c.Expect.Valid, c.Expect.Code)
			}
			if want := c.Expect.RetryAfterSeconds; want != nil && (got.RetryAfterSeconds == nil || *got.RetryAfterSeconds != *want) {
				t.Errorf("retry_after_seconds %v, want %d", got.RetryAfterSeconds, *want)
			}
			if want := c.Expect.Federation; want != nil && (got.Credential == nil || got.Credential.Federation == nil || *got.Credential.Federation != *want) {
				t.Errorf("credential %+v, want the federation %+v", got.Credential, *want)
			}
			if c.Expect.Network != nil && !*c.Expect.Network && requests.count() != before {
				t.Errorf("%d requests were made, want none", requests.count()-before)
			}
			if standIn == nil && got.Valid && (got.Principal == nil || got.Principal.Name != l.account) {
				t.Errorf("principal %+v, want the account %s", got.Principal, l.account)
			}
		})
	}
}

func TestSharedCases_OfflineToken(t *testing.T) {
	l := live(t)
	f := newFixtures(t, l)
	ctx := context.Background()
	for i, c := range loadCases(t).OfflineToken {
		c := c
		t.Run(fmt.Sprintf("%02d %s %s %s", i, c.Token, c.Audience, c.Then), func(t *testing.T) {
			token := f.get(t, c.Token)
			opts := Options{Audience: c.Audience}
			if c.Token == "expired_token" {
				// Its signing key is the test's, served as the JWKS the verifier is pointed at.
				opts.JWKSURL = newJWKSServer(t, func() []byte { return jwksOf(t, f.expired) }).URL
			}
			v, _ := verifierFor(t, l, opts)
			if c.StandIn != nil {
				var err error
				if v, err = New(c.StandIn.start(t, l, f).url, l.platformKey, opts); err != nil {
					t.Fatal(err)
				}
			}
			switch c.Then {
			case "":
			case "the SDK's JWKS cache holds an old set without the token's kid":
				// The first read gets an old set (a key the server never had); the next ones the server's.
				old := newSigner(t, "sdk-go-test-old")
				jwks := newJWKSServer(t, func() []byte { return jwksOf(t, old) })
				v, _ = verifierFor(t, l, Options{Audience: c.Audience, JWKSURL: jwks.URL})
				clk := &clock{now: time.Now()}
				v.now = clk.Now
				if _, err := v.VerifyAccessToken(ctx, token); !errors.Is(err, ErrTokenUnknownKey) {
					t.Fatalf("against the old set alone: %v, want ErrTokenUnknownKey", err)
				}
				jwks.serve(func() []byte { return liveJWKS(t, l) })
				clk.advance(jwksRefetchEvery + time.Second)
			default:
				t.Fatalf("then %q is not understood by this suite", c.Then)
			}
			var err error
			switch c.Via {
			case "":
				_, err = v.VerifyAccessToken(ctx, token)
			case "verify":
				v.opts.VerifyTokensOffline = true
				var got Verification
				got, err = v.Verify(ctx, token, "", "")
				if err == nil && !got.Valid {
					err = fmt.Errorf("%w: Verify says %s", ErrTokenInvalid, got.Code)
				}
				if err == nil {
					checkOfflinePrincipal(t, got.Principal, c.Principal, partOf(t, token, 1), l.account)
				}
			default:
				t.Fatalf("via %q is not understood", c.Via)
			}
			switch c.Expect {
			case "valid":
				if err != nil {
					t.Errorf("refused: %v", err)
				}
			case "invalid":
				if !errors.Is(err, ErrTokenInvalid) {
					t.Errorf("got %v, want a refusal (ErrTokenInvalid)", err)
				}
				if c.Reason == "expired" && !errors.Is(err, ErrTokenExpired) {
					t.Errorf("got %v, want ErrTokenExpired", err)
				}
			default:
				t.Fatalf("expect %q is not understood", c.Expect)
			}
		})
	}
}

func TestSharedCases_Middleware(t *testing.T) {
	l := live(t)
	f := newFixtures(t, l)
	real, _ := verifierFor(t, l, Options{})
	for i, c := range loadCases(t).Middleware {
		c := c
		v := real
		if c.StandIn != nil {
			var err error
			if v, err = New(c.StandIn.start(t, l, f).url, l.platformKey, Options{Timeout: 2 * time.Second}); err != nil {
				t.Fatal(err)
			}
		}
		opts := MiddlewareOptions{Permission: c.Permission}
		if c.ClientIP != "" {
			opts.ClientIP = func(*http.Request) string { return c.ClientIP }
		}
		t.Run(fmt.Sprintf("%02d %d %v %s", i, c.Expect.Status, keysOf(c.Request.Headers), c.Permission), func(t *testing.T) {
			called := false
			upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				ver, ok := FromContext(r.Context())
				if !ok || ver.Principal == nil {
					t.Error("the upstream handler sees no verification")
					return
				}
				_, _ = io.WriteString(w, ver.Principal.Name)
			})
			srv := httptest.NewServer(v.Middleware(opts)(upstream))
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/deployments", nil)
			for k, h := range c.Request.Headers {
				req.Header.Set(k, f.fill(t, h))
			}
			resp, err := testClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.Expect.Status {
				t.Errorf("status %d, want %d (%s)", resp.StatusCode, c.Expect.Status, body)
			}
			if called != c.Expect.UpstreamCalled {
				t.Errorf("upstream called: %v, want %v", called, c.Expect.UpstreamCalled)
			}
			if c.Expect.RetryAfter != nil {
				var want *string // nil: no Retry-After at all
				if err := json.Unmarshal(c.Expect.RetryAfter, &want); err != nil {
					t.Fatalf("retry_after %s is neither a string nor null", c.Expect.RetryAfter)
				}
				if got := resp.Header.Values("Retry-After"); want == nil && got != nil || want != nil && (len(got) != 1 || got[0] != *want) {
					t.Errorf("Retry-After %q, want %s", got, c.Expect.RetryAfter)
				}
			}
			if c.Expect.Code != "" {
				var p struct{ Code string }
				if json.Unmarshal(body, &p) != nil || p.Code != c.Expect.Code {
					t.Errorf("problem %s, want code %q", body, c.Expect.Code)
				}
			}
			switch c.Expect.UpstreamSees {
			case "":
			case "principal.name of the account":
				if string(body) != l.account {
					t.Errorf("upstream saw %q, want %q", body, l.account)
				}
			default:
				t.Fatalf("upstream_sees %q is not understood", c.Expect.UpstreamSees)
			}
			switch resp.StatusCode {
			case 401:
				if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer ") {
					t.Errorf("401 without a Bearer challenge: %q", resp.Header.Get("WWW-Authenticate"))
				}
				fallthrough
			case 403:
				var p struct {
					Status int    `json:"status"`
					Code   string `json:"code"`
				}
				if json.Unmarshal(body, &p) != nil || p.Status != resp.StatusCode ||
					resp.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("not a problem document: %s %q", resp.Header.Get("Content-Type"), body)
				}
			}
		})
	}
}

func keysOf(m map[string]string) []string {
	out := []string{}
	for k, v := range m {
		out = append(out, k+":"+strings.SplitN(v, " ", 2)[0])
	}
	return out
}
