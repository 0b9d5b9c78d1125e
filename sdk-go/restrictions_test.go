// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// These tests answer /v1/verify from a stand-in, for answers the real server does not give on demand
// (RATE_LIMITED without retry_after_seconds, USAGE_EXCEEDED with one, a restriction this SDK does not
// know) and for exact request counts; limits_live_test.go checks the real server's restrictions.
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
		{"remaining alone", `{"valid":true,"code":"VALID",` + principal + `,"remaining":4}`, 3},
		{"a restriction this SDK does not know", `{"valid":true,"code":"VALID",` + principal + `,"restrictions":{"credits":{"per_use":2}}}`, 3},
		{"restrictions not an object", `{"valid":true,"code":"VALID",` + principal + `,"restrictions":[1]}`, 3},
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
		{`{"valid":false,"code":"RATE_LIMITED",` + principal + `}`, "rate_limited", "1"},    // no time given: 1
		{`{"valid":false,"code":"USAGE_EXCEEDED",` + principal + `}`, "usage_exceeded", ""}, // no time given: no header
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

// slowStandIn answers every /v1/verify with answer after a pause, so that concurrent callers overlap.
func slowStandIn(t *testing.T, answer string, pause time.Duration) (*Verifier, *atomic.Int64) {
	t.Helper()
	var asked atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		time.Sleep(pause)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	v, err := New(srv.URL, "svt_platform", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v, &asked
}

// Concurrent callers share one request, except when the answer is one whose uses the server counts:
// then each caller's use is a request of its own (sharing it would be a cache by another name).
func TestVerify_concurrent_callers_of_a_metered_key_each_make_a_request(t *testing.T) {
	key := randomKey(t, "svt")
	for _, c := range []struct {
		name, answer string
		requests     int64
	}{
		{"not metered (control)", `{"valid":true,"code":"VALID",` + principal + `}`, 1},
		{"a rate limit", `{"valid":true,"code":"VALID",` + principal + `,"restrictions":{"rate_limit":{"limit":10,"period_seconds":60}},"remaining":{"rate_limit":9}}`, 5},
	} {
		v, asked := slowStandIn(t, c.answer, 300*time.Millisecond)
		var wg sync.WaitGroup
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got, err := v.Verify(context.Background(), key, "", ""); err != nil || !got.Valid {
					t.Errorf("%s: %+v %v", c.name, got, err)
				}
			}()
		}
		wg.Wait()
		if asked.Load() != c.requests {
			t.Errorf("%s: 5 concurrent verifications made %d requests, want %d", c.name, asked.Load(), c.requests)
		}
	}
}

func TestVerify_remembers_RATE_LIMITED_no_longer_than_retry_after_seconds(t *testing.T) {
	key := randomKey(t, "svt")
	for _, c := range []struct {
		name, retry string
		cachedFor   time.Duration // 0: not remembered at all
	}{
		{"retry after 2 s, under the negative TTL of 5 s", `"retry_after_seconds":2,`, 2 * time.Second},
		{"retry after 60 s: the negative TTL bounds it", `"retry_after_seconds":60,`, MaxNegativeCacheTTL},
		{"retry after 0 s", `"retry_after_seconds":0,`, 0},
		{"no retry_after_seconds", ``, 0},
	} {
		v, asked := standIn(t, `{"valid":false,"code":"RATE_LIMITED",`+c.retry+principal+`}`)
		clk := &clock{now: time.Now()}
		v.now = clk.Now
		ask := func() {
			t.Helper()
			if got, err := v.Verify(context.Background(), key, "", ""); err != nil || got.Code != CodeRateLimited {
				t.Fatalf("%s: %+v %v", c.name, got, err)
			}
		}
		ask()
		ask()
		want := int64(1)
		if c.cachedFor == 0 {
			want = 2
		}
		if asked.Load() != want {
			t.Errorf("%s: at once, %d requests, want %d", c.name, asked.Load(), want)
		}
		clk.advance(c.cachedFor)
		ask()
		if asked.Load() != want+1 {
			t.Errorf("%s: after %v, %d requests, want %d (the entry must have lapsed)", c.name, c.cachedFor, asked.Load(), want+1)
		}
	}
}

func TestVerify_remembers_the_other_refusals_for_the_negative_TTL(t *testing.T) {
	for _, code := range []string{CodeUsageExceeded, CodeNetworkPolicyRequired} {
		v, asked := standIn(t, `{"valid":false,"code":"`+code+`",`+principal+`}`)
		clk := &clock{now: time.Now()}
		v.now = clk.Now
		key := randomKey(t, "svt")
		for i := 0; i < 3; i++ {
			if got, err := v.Verify(context.Background(), key, "", ""); err != nil || got.Code != code {
				t.Fatalf("%+v %v", got, err)
			}
		}
		clk.advance(MaxNegativeCacheTTL)
		if _, err := v.Verify(context.Background(), key, "", ""); err != nil || asked.Load() != 2 {
			t.Errorf("%s: %d requests, want 1 within the negative TTL and 1 after (%v)", code, asked.Load(), err)
		}
	}
}

func TestMiddleware_answers_403_network_policy_required(t *testing.T) {
	v, _ := standIn(t, `{"valid":false,"code":"NETWORK_POLICY_REQUIRED",`+principal+`}`)
	srv, calls := guarded(t, v, MiddlewareOptions{})
	resp, body := get(t, srv.URL, "Authorization", "Bearer "+randomKey(t, "svt"))
	var p struct{ Code, Type string }
	_ = json.Unmarshal([]byte(body), &p)
	if resp.StatusCode != 403 || p.Code != "network_policy_required" || p.Type != "https://servitor.dev/problems/network_policy_required" ||
		resp.Header.Get("WWW-Authenticate") != "" || calls.Load() != 0 {
		t.Errorf("%d %s, upstream calls %d", resp.StatusCode, body, calls.Load())
	}
}

func TestVerify_reads_the_federation_of_an_exchanged_token(t *testing.T) {
	v, _ := standIn(t, `{"valid":true,"code":"VALID","principal":{"id":"sa_1","type":"service_account","name":"ci-bot","email":"ci-bot@o.sa.x","org":"o"},`+
		`"credential":{"id":"jti_1","kind":"access_token","type":null,"expires_at":"2030-01-01T00:00:00Z",`+
		`"federation":{"issuer":"github-actions","subject":"repo:acme/app:ref:refs/heads/main","credential":"github-main"}}}`)
	got, err := v.Verify(context.Background(), "aGVhZGVy.Y2xhaW1z.c2ln", "", "")
	if err != nil || !got.Valid || got.Credential == nil || got.Credential.Federation == nil {
		t.Fatalf("%+v %v", got, err)
	}
	if f := *got.Credential.Federation; f.Issuer != "github-actions" ||
		f.Subject != "repo:acme/app:ref:refs/heads/main" || f.Credential != "github-main" {
		t.Errorf("federation %+v", f)
	}
	got.Credential.Federation.Subject = "changed"
	if again, _ := v.Verify(context.Background(), "aGVhZGVy.Y2xhaW1z.c2ln", "", ""); again.Credential.Federation.Subject == "changed" {
		t.Error("the cached federation changed with the copy a caller was given")
	}
}

func TestVerify_offline_gives_the_federation_of_the_fed_claim(t *testing.T) {
	s := newSigner(t, "k1")
	v, _, clk := offlineVerifier(t, Options{VerifyTokensOffline: true}, s)
	fed := map[string]any{"issuer": "github-actions", "subject": "repo:acme/app:ref:refs/heads/main", "credential": "github-main"}
	for _, c := range []struct {
		claims map[string]any
		want   *Federation
	}{
		{goodClaims(clk.Now()), nil},
		{with(goodClaims(clk.Now()), map[string]any{"fed": fed}), &Federation{Issuer: fed["issuer"].(string), Subject: fed["subject"].(string), Credential: "github-main"}},
	} {
		got, err := v.Verify(context.Background(), s.sign(t, nil, c.claims), "", "")
		if err != nil || !got.Valid {
			t.Fatalf("%+v %v", got, err)
		}
		if (c.want == nil) != (got.Credential.Federation == nil) || (c.want != nil && *got.Credential.Federation != *c.want) {
			t.Errorf("federation %+v, want %+v", got.Credential.Federation, c.want)
		}
	}
}
