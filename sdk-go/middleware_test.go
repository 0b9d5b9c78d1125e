// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// guarded serves an upstream behind the middleware over real HTTP; the upstream answers the
// principal's name and counts its calls.
func guarded(t *testing.T, v *Verifier, opts MiddlewareOptions) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		ver, _ := FromContext(r.Context())
		_, _ = io.WriteString(w, ver.Principal.Name)
	})
	srv := httptest.NewServer(v.Middleware(opts)(upstream))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func get(t *testing.T, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestMiddleware_reads_the_credential_as_Servitor_does(t *testing.T) {
	l := live(t)
	v, _ := verifierFor(t, l, Options{})
	srv, calls := guarded(t, v, MiddlewareOptions{})
	for _, c := range []struct {
		name    string
		headers []string
		status  int
	}{
		{"scheme in lower case", []string{"Authorization", "bearer " + l.liveKey}, 200},
		{"scheme Key", []string{"Authorization", "Key " + l.liveKey}, 200},
		{"an access token", []string{"Authorization", "Bearer " + l.accessToken}, 200},
		{"Basic is not a scheme for keys", []string{"Authorization", "Basic " + l.liveKey}, 401},
		{"Basic, then X-Api-Key", []string{"Authorization", "Basic dXNlcjpwdw==", "X-Api-Key", l.liveKey}, 200},
		{"two Authorization headers are ambiguous", []string{"Authorization", "Bearer " + l.liveKey, "Authorization", "Bearer " + l.revokedKey}, 401},
		{"two X-Api-Key headers are ambiguous", []string{"X-Api-Key", l.liveKey, "X-Api-Key", l.liveKey}, 401},
		{"a scheme without a credential", []string{"Authorization", "Bearer"}, 401},
		{"trailing garbage", []string{"Authorization", "Bearer " + l.liveKey + " x"}, 401},
	} {
		before := calls.Load()
		resp, body := get(t, srv.URL, c.headers...)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d (%s)", c.name, resp.StatusCode, c.status, body)
		}
		if called := calls.Load() != before; called != (c.status == 200) {
			t.Errorf("%s: upstream called %v", c.name, called)
		}
		if c.status == 200 && body != l.account {
			t.Errorf("%s: upstream saw %q", c.name, body)
		}
		if c.status == 401 && resp.Header.Get("WWW-Authenticate") != `Bearer realm="api"` {
			t.Errorf("%s: WWW-Authenticate %q", c.name, resp.Header.Get("WWW-Authenticate"))
		}
	}
}

func TestMiddleware_answers_503_when_the_server_cannot_be_asked(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	url := down.URL
	down.Close() // nothing listens there any more
	v, _ := New(url, "svt_platform", Options{})
	var heard error
	srv, calls := guarded(t, v, MiddlewareOptions{OnError: func(r *http.Request, err error) { heard = err }})
	key := randomKey(t, "svt")
	resp, body := get(t, srv.URL, "Authorization", "Bearer "+key)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || calls.Load() != 0 {
		t.Errorf("%d %q, upstream calls %d; want 503 with Retry-After and no call", resp.StatusCode, body, calls.Load())
	}
	if heard == nil || strings.Contains(heard.Error(), key) {
		t.Errorf("OnError heard %v (it must hear the cause, never the key)", heard)
	}
}

func TestMiddleware_checks_the_network_policy_with_the_client_address(t *testing.T) {
	l := live(t)
	key := policyAccount(t, l)
	v, _ := verifierFor(t, l, Options{})
	direct, _ := guarded(t, v, MiddlewareOptions{}) // the peer is 127.0.0.1, outside 10.0.0.0/8
	if resp, body := get(t, direct.URL, "X-Api-Key", key); resp.StatusCode != 403 || !strings.Contains(body, `"code":"ip_not_allowed"`) {
		t.Errorf("from 127.0.0.1: %d %s, want 403 ip_not_allowed", resp.StatusCode, body)
	}
	proxied, _ := guarded(t, v, MiddlewareOptions{ClientIP: func(r *http.Request) string { return r.Header.Get("X-Test-Client") }})
	if resp, body := get(t, proxied.URL, "X-Api-Key", key, "X-Test-Client", "10.9.8.7"); resp.StatusCode != 200 {
		t.Errorf("from 10.9.8.7 as a proxy vouches: %d %s, want 200", resp.StatusCode, body)
	}
}

func TestRemoteIP(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:5000": "127.0.0.1", "[::1]:5000": "::1", "[fe80::1%eth0]:80": "fe80::1",
		"[::ffff:10.0.0.1]:80": "10.0.0.1", "pipe": "", "": "",
	} {
		if got := RemoteIP(&http.Request{RemoteAddr: addr}); got != want {
			t.Errorf("RemoteIP(%q) = %q, want %q", addr, got, want)
		}
	}
}
