// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// Per-key restrictions as the real server enforces them (docs/key-limits.md): each test mints a key of
// its own with restrictions, so the uses it spends are its own.

// meteredUpstream is a guarded handler that writes the verification's remaining member, so a test
// sees what the middleware handed on.
func meteredUpstream(t *testing.T, v *Verifier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(v.Middleware(MiddlewareOptions{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ver, _ := FromContext(r.Context())
		_, _ = io.WriteString(w, string(ver.Remaining))
	})))
	t.Cleanup(srv.Close)
	return srv
}

// forwardAuth asks the server's own /v1/forward-auth about key, as a gateway would: the answer the
// middleware must agree with.
func (l *liveServer) forwardAuth(t *testing.T, key string) (*http.Response, string) {
	t.Helper()
	return get(t, l.url+"/v1/forward-auth", "Servitor-Gateway-Key", l.platformKey, "X-Api-Key", key)
}

func problemCode(body string) string {
	var p struct{ Code string }
	_ = json.Unmarshal([]byte(body), &p)
	return p.Code
}

func TestLive_a_rate_limited_key_is_RATE_LIMITED_on_its_third_use_and_the_middleware_answers_429_with_Retry_After(t *testing.T) {
	l := live(t)
	key, _ := l.newKey(t, `{"name":"limited","restrictions":{"rate_limit":{"limit":2,"period_seconds":60}}}`)
	v, requests := verifierFor(t, l, Options{})
	for i := 1; i <= 2; i++ {
		got, err := v.Verify(context.Background(), key, "", "")
		if err != nil || !got.Valid || got.RetryAfterSeconds != nil {
			t.Fatalf("use %d: %+v %v", i, got, err)
		}
		var r struct {
			RateLimit struct {
				Limit         int `json:"limit"`
				PeriodSeconds int `json:"period_seconds"`
			} `json:"rate_limit"`
		}
		if json.Unmarshal(got.Restrictions, &r) != nil || r.RateLimit.Limit != 2 || r.RateLimit.PeriodSeconds != 60 {
			t.Errorf("use %d: restrictions %s", i, got.Restrictions)
		}
	}
	got, err := v.Verify(context.Background(), key, "", "")
	if err != nil || got.Valid || got.Code != CodeRateLimited || got.RetryAfterSeconds == nil ||
		*got.RetryAfterSeconds < 1 || *got.RetryAfterSeconds > 66 {
		t.Fatalf("third use: %+v %v", got, err)
	}
	if requests.count() != 3 {
		t.Errorf("3 verifications of a rate-limited key made %d requests: its answers must not be cached", requests.count())
	}
	resp, body := get(t, meteredUpstream(t, v).URL, "Authorization", "Bearer "+key)
	retry, convErr := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != 429 || problemCode(body) != "rate_limited" || convErr != nil || retry < 1 || retry > 66 {
		t.Errorf("middleware: %d %s, Retry-After %q", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	if resp, body := l.forwardAuth(t, key); resp.StatusCode != 429 || problemCode(body) != "rate_limited" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the server's forward auth, which the middleware must agree with: %d %s, Retry-After %q", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
}

func TestLive_a_key_with_two_uses_counts_down_then_is_USAGE_EXCEEDED_and_the_middleware_answers_429_without_Retry_After(t *testing.T) {
	l := live(t)
	key, _ := l.newKey(t, `{"name":"metered","restrictions":{"remaining_uses":2}}`)
	v, _ := verifierFor(t, l, Options{})
	srv := meteredUpstream(t, v)
	// the first use through the middleware, the second by Verify: both count
	resp, body := get(t, srv.URL, "X-Api-Key", key)
	if resp.StatusCode != 200 || body != "1" {
		t.Fatalf("first use through the middleware: %d, remaining %q, want 200 and 1", resp.StatusCode, body)
	}
	got, err := v.Verify(context.Background(), key, "", "")
	if err != nil || !got.Valid || string(got.Remaining) != "0" {
		t.Fatalf("second use: %+v (remaining %s) %v", got, got.Remaining, err)
	}
	got, err = v.Verify(context.Background(), key, "", "")
	if err != nil || got.Valid || got.Code != CodeUsageExceeded || string(got.Remaining) != "0" || got.RetryAfterSeconds != nil {
		t.Fatalf("third use: %+v (remaining %s) %v", got, got.Remaining, err)
	}
	resp, body = get(t, srv.URL, "X-Api-Key", key)
	if resp.StatusCode != 429 || problemCode(body) != "usage_exceeded" || resp.Header.Values("Retry-After") != nil {
		t.Errorf("middleware past the uses: %d %s, Retry-After %q", resp.StatusCode, body, resp.Header.Values("Retry-After"))
	}
	if resp, body := l.forwardAuth(t, key); resp.StatusCode != 429 || problemCode(body) != "usage_exceeded" || resp.Header.Values("Retry-After") != nil {
		t.Errorf("the server's forward auth, which the middleware must agree with: %d %s, Retry-After %q", resp.StatusCode, body, resp.Header.Values("Retry-After"))
	}
}

func TestLive_a_key_whose_allowed_ips_refuse_the_caller_is_IP_NOT_ALLOWED_and_the_middleware_answers_403(t *testing.T) {
	l := live(t)
	key, _ := l.newKey(t, `{"name":"fenced","restrictions":{"allowed_ips":["192.0.2.0/24"]}}`)
	v, _ := verifierFor(t, l, Options{})
	if got, err := v.Verify(context.Background(), key, "", "198.51.100.7"); err != nil || got.Valid || got.Code != CodeIPNotAllowed {
		t.Fatalf("from 198.51.100.7: %+v %v", got, err)
	}
	if got, err := v.Verify(context.Background(), key, "", "192.0.2.9"); err != nil || !got.Valid {
		t.Fatalf("from 192.0.2.9 (allowed, the control): %+v %v", got, err)
	}
	srv, calls := guarded(t, v, MiddlewareOptions{}) // the caller is 127.0.0.1, outside the allowed block
	resp, body := get(t, srv.URL, "Authorization", "Bearer "+key)
	if resp.StatusCode != 403 || problemCode(body) != "ip_not_allowed" || resp.Header.Get("WWW-Authenticate") != "" || calls.Load() != 0 {
		t.Errorf("middleware: %d %s, upstream calls %d", resp.StatusCode, body, calls.Load())
	}
	if resp, body := l.forwardAuth(t, key); resp.StatusCode != 403 || problemCode(body) != "ip_not_allowed" {
		t.Errorf("the server's forward auth (the gateway's own address, 127.0.0.1): %d %s", resp.StatusCode, body)
	}
}
