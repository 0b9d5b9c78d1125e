// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNew_refuses_a_negative_cache_longer_than_five_seconds(t *testing.T) {
	if _, err := New("http://127.0.0.1:1", "svt_x", Options{NegativeCacheTTL: 5*time.Second + time.Millisecond}); err == nil {
		t.Error("a negative cache of more than 5 s was accepted")
	}
	if _, err := New("http://127.0.0.1:1", "svt_x", Options{NegativeCacheTTL: 5 * time.Second}); err != nil {
		t.Errorf("5 s refused: %v", err)
	}
}

func TestNew_refuses_what_cannot_work(t *testing.T) {
	for _, c := range []struct{ url, key string }{
		{"127.0.0.1:8080", "svt_x"}, {"ftp://host", "svt_x"}, {"http://", "svt_x"},
		{"http://host", ""}, {"http://host", "svt_x\r\nX-Evil: 1"},
	} {
		if _, err := New(c.url, c.key, Options{}); err == nil {
			t.Errorf("New(%q, %q) accepted", c.url, c.key)
		}
	}
}

func TestVerify_answers_a_malformed_key_without_a_request(t *testing.T) {
	// A server that would fail the test if it were asked: nothing may reach it.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request reached the server: %s %s", r.Method, r.URL.Path)
	}))
	defer srv.Close()
	v, err := New(srv.URL, "svt_platform", Options{KeyPrefix: "svt"})
	if err != nil {
		t.Fatal(err)
	}
	good := randomKey(t, "svt")
	for _, credential := range []string{
		"", changeChar(good, -1), changeChar(good, 10), good[:len(good)-1], "Bearer " + good,
		randomKey(t, "acme"), // well formed, but not the expected prefix
		"a.b c.d", "eyJhbGciOiJub25lIn0.e30.", "..", strings.Repeat("a", maxTokenLen) + ".b.c",
	} {
		got, err := v.Verify(context.Background(), credential, "", "")
		if err != nil || got.Valid || got.Code != CodeNotFound {
			t.Errorf("%q: %+v, %v; want NOT_FOUND", credential, got, err)
		}
	}
	if _, err := v.Verify(context.Background(), good, "", "not-an-ip"); err == nil {
		t.Error("a malformed ip was sent")
	}
}

func TestVerify_reuses_a_valid_answer_for_the_same_question_only(t *testing.T) {
	l := live(t)
	v, requests := verifierFor(t, l, Options{})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if got, err := v.Verify(ctx, l.liveKey, "", ""); err != nil || !got.Valid {
			t.Fatalf("%+v %v", got, err)
		}
	}
	if requests.count() != 1 {
		t.Errorf("3 verifications of one key made %d requests, want 1", requests.count())
	}
	if got, _ := v.Verify(ctx, l.liveKey, "deployments:write", ""); !got.Valid || requests.count() != 2 {
		t.Errorf("another permission is another question: %+v, %d requests", got, requests.count())
	}
	if _, _ = v.Verify(ctx, l.liveKey, "", "127.0.0.1"); requests.count() != 3 {
		t.Errorf("another address is another question: %d requests", requests.count())
	}
}

func TestVerify_a_cached_answer_cannot_be_changed_by_its_reader(t *testing.T) {
	l := live(t)
	v, _ := verifierFor(t, l, Options{})
	ctx := context.Background()
	for i := 0; i < 3; i++ { // the first answer comes from the request, the next ones from the cache
		got, _ := v.Verify(ctx, l.liveKey, "", "")
		if got.Principal.Name != l.account || got.HasPermission("org_admin") {
			t.Fatalf("answer %d shows what a caller wrote: %+v %v", i, got.Principal, got.Permissions)
		}
		got.Principal.Name = "someone-else"
		got.Permissions[0] = "org_admin"
	}
}

func TestVerify_without_a_positive_cache_asks_every_time(t *testing.T) {
	l := live(t)
	v, requests := verifierFor(t, l, Options{CacheTTL: -1})
	for i := 0; i < 3; i++ {
		_, _ = v.Verify(context.Background(), l.liveKey, "", "")
	}
	if requests.count() != 3 {
		t.Errorf("%d requests, want 3", requests.count())
	}
}

func TestVerify_remembers_a_refusal_only_when_asked_to(t *testing.T) {
	l := live(t)
	unknown := randomKey(t, "svt")
	for _, c := range []struct {
		ttl  time.Duration
		want int64
	}{{0, 3}, {2 * time.Second, 1}} {
		v, requests := verifierFor(t, l, Options{NegativeCacheTTL: c.ttl})
		for i := 0; i < 3; i++ {
			if got, err := v.Verify(context.Background(), unknown, "", ""); err != nil || got.Code != CodeNotFound {
				t.Fatalf("%+v %v", got, err)
			}
		}
		if requests.count() != c.want {
			t.Errorf("negative TTL %v: %d requests, want %d", c.ttl, requests.count(), c.want)
		}
	}
}

func TestVerify_a_cached_answer_never_outlives_the_key(t *testing.T) {
	l := live(t)
	key, _ := l.newKey(t, `{"name":"short-lived","ttl_seconds":2}`)
	v, _ := verifierFor(t, l, Options{CacheTTL: time.Minute})
	if got, _ := v.Verify(context.Background(), key, "", ""); !got.Valid || got.Credential.ExpiresAt == nil {
		t.Fatalf("a fresh key with a TTL: %+v", got)
	}
	time.Sleep(2200 * time.Millisecond)
	if got, _ := v.Verify(context.Background(), key, "", ""); got.Valid || got.Code != CodeExpired {
		t.Errorf("after the key's expiry: %s, want EXPIRED (not the cached VALID)", got.Code)
	}
}

func TestVerify_concurrent_callers_asking_the_same_share_one_request(t *testing.T) {
	l := live(t)
	target, _ := url.Parse(l.url)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	verifies := 0
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		verifies++
		mu.Unlock()
		time.Sleep(300 * time.Millisecond) // long enough for every caller to arrive while the first waits
		proxy.ServeHTTP(w, r)
	}))
	defer slow.Close()
	v, err := New(slow.URL, l.platformKey, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	valid := make(chan bool, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := v.Verify(context.Background(), l.liveKey, "", "")
			valid <- err == nil && got.Valid
		}()
	}
	wg.Wait()
	close(valid)
	for ok := range valid {
		if !ok {
			t.Fatal("a caller did not get VALID")
		}
	}
	if verifies != 1 {
		t.Errorf("50 concurrent verifications made %d requests, want 1", verifies)
	}
}

func TestVerify_gives_up_after_the_timeout_and_never_names_the_credential(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // the server notices a closed connection only once the body is read
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer hang.Close()
	v, _ := New(hang.URL, "svt_platform", Options{Timeout: 300 * time.Millisecond})
	key := randomKey(t, "svt")
	start := time.Now()
	_, err := v.Verify(context.Background(), key, "", "")
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("err %v after %v, want a timeout after 300 ms", err, time.Since(start))
	}
	if strings.Contains(err.Error(), key) || strings.Contains(err.Error(), "svt_platform") {
		t.Errorf("the error names a secret: %v", err)
	}
	// The caller's own deadline ends its wait too.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := v.Verify(ctx, randomKey(t, "svt"), "", ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the caller's deadline", err)
	}
}

func TestVerify_says_when_the_platform_key_is_refused(t *testing.T) {
	l := live(t)
	for _, c := range []struct {
		platformKey string
		status      int
	}{
		{randomKey(t, "svt"), 401}, // not a key of this server
		{l.liveKey, 403},           // a live key without the "verify" permission
	} {
		v, _ := New(l.url, c.platformKey, Options{})
		_, err := v.Verify(context.Background(), l.liveKey, "", "")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != c.status {
			t.Errorf("got %v, want an APIError %d", err, c.status)
			continue
		}
		if strings.Contains(err.Error(), c.platformKey) || strings.Contains(err.Error(), l.liveKey) {
			t.Errorf("the error names a secret: %v", err)
		}
	}
}

var officeKey struct {
	sync.Mutex
	key string
}

// policyAccount gives the key of an account allowed only from 10.0.0.0/8 (made on first use).
func policyAccount(t *testing.T, l *liveServer) string {
	t.Helper()
	officeKey.Lock()
	defer officeKey.Unlock()
	if officeKey.key == "" {
		name := "go-sdk-office-" + randomKey(t, "x")[2:10] // a name of its own: the server may outlive one run
		l.admin(t, "POST", "/v1/network-policies", `{"name":"`+name+`","allowed_ips":["10.0.0.0/8"]}`)
		l.admin(t, "POST", "/v1/service-accounts", `{"name":"`+name+`","network_policy":"`+name+`"}`)
		officeKey.key = l.admin(t, "POST", "/v1/service-accounts/"+name+"/keys", `{"name":"office"}`)["key"].(string)
	}
	return officeKey.key
}

func TestVerify_sends_the_client_address_for_the_network_policy(t *testing.T) {
	l := live(t)
	key := policyAccount(t, l)
	v, _ := verifierFor(t, l, Options{})
	if got, _ := v.Verify(context.Background(), key, "", "10.1.2.3"); !got.Valid {
		t.Errorf("from inside the allow list: %s", got.Code)
	}
	if got, _ := v.Verify(context.Background(), key, "", "192.0.2.1"); got.Valid || got.Code != CodeIPNotAllowed {
		t.Errorf("from outside the allow list: %s, want IP_NOT_ALLOWED", got.Code)
	}
}

func TestVerify_sends_access_tokens_to_the_server_unless_told_to_check_them_offline(t *testing.T) {
	l := live(t)
	ctx := context.Background()
	online, requests := verifierFor(t, l, Options{})
	if got, _ := online.Verify(ctx, l.accessToken, "", ""); !got.Valid || got.Credential.Kind != "access_token" ||
		len(got.Permissions) == 0 || requests.count() != 1 {
		t.Errorf("online: %+v after %d requests", got, requests.count())
	}

	offline, requests := verifierFor(t, l, Options{VerifyTokensOffline: true})
	got, err := offline.Verify(ctx, l.accessToken, "", "")
	if err != nil || !got.Valid || got.Principal.Name != l.account || got.Principal.Type != "service_account" {
		t.Errorf("offline: %+v %v", got, err)
	}
	reads := requests.count() // the discovery document and the JWKS
	if _, err := offline.Verify(ctx, l.accessToken, "", ""); err != nil || requests.count() != reads {
		t.Errorf("a second offline verification made %d more requests", requests.count()-reads)
	}
	if got, _ := offline.Verify(ctx, l.accessToken, "deployments:write", ""); !got.Valid || requests.count() != reads+1 {
		t.Errorf("a permission is asked of the server (a token carries none): %+v", got)
	}
	if got, _ := offline.Verify(ctx, l.accessToken, "billing:read", ""); got.Valid || got.Code != CodeForbidden {
		t.Errorf("a permission the account lacks: %s, want FORBIDDEN", got.Code)
	}
	tampered := changeChar(l.accessToken, -20)
	if got, err := offline.Verify(ctx, tampered, "", ""); err != nil || got.Valid || got.Code != CodeNotFound {
		t.Errorf("a tampered token offline: %+v %v", got, err)
	}
}

func TestVerify_keeps_at_most_MaxCacheEntries(t *testing.T) {
	l := live(t)
	v, _ := verifierFor(t, l, Options{NegativeCacheTTL: 5 * time.Second, MaxCacheEntries: 10})
	for i := 0; i < 40; i++ {
		_, _ = v.Verify(context.Background(), randomKey(t, "svt"), "", "")
	}
	if n := v.cache.len(); n > 10 || n == 0 {
		t.Errorf("%d entries, want 1..10", n)
	}
}
