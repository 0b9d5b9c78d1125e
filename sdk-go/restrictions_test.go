// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// The contract's per-key restrictions (rate limit, remaining uses) are not served by Servitor yet, so
// these tests alone answer /v1/verify from a stand-in with the contract's documented shapes.
func standIn(t *testing.T, answer string) (*Verifier, *atomic.Int64) {
	t.Helper()
	var asked atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	v, err := New(srv.URL, "svt_platform", Options{NegativeCacheTTL: MaxNegativeCacheTTL})
	if err != nil {
		t.Fatal(err)
	}
	return v, &asked
}

const principal = `"principal":{"id":"sa_1","type":"service_account","name":"ci-bot","email":"ci-bot@o.sa.x","org":"o"},"permissions":["deployments:write"],"credential":{"id":"key_1","kind":"api_key","type":"read_write","expires_at":null}`

func TestVerify_never_caches_an_answer_whose_uses_the_server_counts(t *testing.T) {
	key := randomKey(t, "svt")
	for _, c := range []struct {
		name, answer string
		requests     int64
	}{
		{"no restrictions", `{"valid":true,"code":"VALID",` + principal + `}`, 1},
		{"restrictions null", `{"valid":true,"code":"VALID",` + principal + `,"restrictions":null}`, 1},
		{"permissions and addresses only", `{"valid":true,"code":"VALID",` + principal + `,"restrictions":{"permissions":["deployments:write"],"allowed_ips":["10.0.0.0/8"]}}`, 1},
		{"a rate limit", `{"valid":true,"code":"VALID",` + principal + `,"restrictions":{"rate_limit":{"limit":10,"period_seconds":60}},"remaining":{"rate_limit":9}}`, 3},
		{"remaining uses", `{"valid":true,"code":"VALID",` + principal + `,"restrictions":{"remaining_uses":5,"refill":{"amount":5,"interval":"day"}}}`, 3},
	} {
		v, asked := standIn(t, c.answer)
		for i := 0; i < 3; i++ {
			if got, err := v.Verify(context.Background(), key, "", ""); err != nil || !got.Valid {
				t.Fatalf("%s: %+v %v", c.name, got, err)
			}
		}
		if asked.Load() != c.requests {
			t.Errorf("%s: 3 verifications made %d requests, want %d", c.name, asked.Load(), c.requests)
		}
	}
}

func TestVerify_reads_the_restriction_fields(t *testing.T) {
	v, _ := standIn(t, `{"valid":false,"code":"RATE_LIMITED","retry_after_seconds":7,`+principal+`,"restrictions":{"rate_limit":{"limit":1,"period_seconds":60}},"remaining":{"rate_limit":0}}`)
	got, err := v.Verify(context.Background(), randomKey(t, "svt"), "", "")
	if err != nil || got.Valid || got.Code != CodeRateLimited || got.RetryAfterSeconds == nil || *got.RetryAfterSeconds != 7 {
		t.Fatalf("%+v %v", got, err)
	}
	var r struct {
		RateLimit struct{ Limit int } `json:"rate_limit"`
	}
	if json.Unmarshal(got.Restrictions, &r) != nil || r.RateLimit.Limit != 1 || string(got.Remaining) != `{"rate_limit":0}` {
		t.Errorf("restrictions %s, remaining %s", got.Restrictions, got.Remaining)
	}
}

func TestMiddleware_answers_429_for_a_key_past_its_limits(t *testing.T) {
	for _, c := range []struct {
		answer, code, retryAfter string
	}{
		{`{"valid":false,"code":"RATE_LIMITED","retry_after_seconds":7,` + principal + `}`, "rate_limited", "7"},
		{`{"valid":false,"code":"USAGE_EXCEEDED",` + principal + `}`, "usage_exceeded", "1"}, // no time given: 1
	} {
		v, _ := standIn(t, c.answer)
		srv, calls := guarded(t, v, MiddlewareOptions{})
		resp, body := get(t, srv.URL, "X-Api-Key", randomKey(t, "svt"))
		var p struct{ Code string }
		_ = json.Unmarshal([]byte(body), &p)
		if resp.StatusCode != 429 || p.Code != c.code || resp.Header.Get("Retry-After") != c.retryAfter || calls.Load() != 0 {
			t.Errorf("%s: %d %s Retry-After %q, upstream calls %d", c.code, resp.StatusCode, body, resp.Header.Get("Retry-After"), calls.Load())
		}
	}
}
