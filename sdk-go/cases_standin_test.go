// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// caseStandIn is a case's "stand_in" (cases.json, fixtures.stand_in): what the real server cannot produce.
type caseStandIn struct {
	Status        int             `json:"status"`
	Body          json.RawMessage `json:"body"`
	Unreachable   bool            `json:"unreachable"`
	DiscoveryJWKS string          `json:"discovery_jwks"`
}

type standInServer struct {
	url      string
	verifies atomic.Int64
}

func (c *caseStandIn) start(t *testing.T, l *liveServer, f *fixtures) *standInServer {
	t.Helper()
	s := &standInServer{}
	switch {
	case c.Unreachable:
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		s.url = "http://" + ln.Addr().String()
		_ = ln.Close() // nothing listens there any more
	case c.DiscoveryJWKS != "":
		if c.DiscoveryJWKS != "foreign_token" {
			t.Fatalf("discovery_jwks %q: only foreign_token's signer is known to this suite", c.DiscoveryJWKS)
		}
		var meta map[string]any
		resp, err := testClient.Get(l.url + "/.well-known/oauth-authorization-server")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err := json.Unmarshal(raw, &meta); err != nil {
			t.Fatal(err)
		}
		var self string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			switch r.URL.Path {
			case "/.well-known/oauth-authorization-server":
				doc := map[string]any{}
				for k, v := range meta {
					doc[k] = v
				}
				doc["jwks_uri"] = self + "/test-jwks.json"
				_ = json.NewEncoder(w).Encode(doc)
			case "/test-jwks.json":
				_, _ = w.Write(jwksOf(t, f.foreign))
			default:
				http.NotFound(w, r)
			}
		}))
		t.Cleanup(srv.Close)
		self, s.url = srv.URL, srv.URL
	case c.Status != 0:
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.URL.Path != "/v1/verify" {
				http.NotFound(w, r)
				return
			}
			s.verifies.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(c.Status)
			_, _ = w.Write(c.Body)
		}))
		t.Cleanup(srv.Close)
		s.url = srv.URL
	default:
		t.Fatal("a stand_in this suite does not understand")
	}
	return s
}

// checkOfflinePrincipal checks offline mode's principal against the rule of cases.json: each field names
// the claim it equals; "account" is the fixture account's name; "service_account" is literal; "" is empty.
func checkOfflinePrincipal(t *testing.T, p *Principal, want map[string]string, claims map[string]any, account string) {
	t.Helper()
	if p == nil {
		t.Fatal("no principal")
	}
	got := map[string]string{"id": p.ID, "type": p.Type, "name": p.Name, "email": p.Email, "org": p.Org}
	for field, rule := range want {
		var expected string
		switch rule {
		case "account":
			expected = account
		case "service_account", "user", "":
			expected = rule
		default:
			c, ok := claims[rule].(string)
			if !ok {
				t.Fatalf("the token has no claim %q", rule)
			}
			expected = c
		}
		if got[field] != expected {
			t.Errorf("principal.%s = %q, want %q (%s)", field, got[field], expected, rule)
		}
	}
}

var fenced struct {
	sync.Mutex
	key string
}

// fencedKey is cases.json's fenced_key: a key of an account whose network policy blocks 203.0.113.0/24.
func fencedKey(t *testing.T, l *liveServer) string {
	fenced.Lock()
	defer fenced.Unlock()
	if fenced.key == "" {
		name := "go-sdk-fenced-" + strings.ToLower(randomKey(t, "x")[2:10])
		l.admin(t, "POST", "/v1/network-policies", `{"name":"`+name+`","blocked_ips":["203.0.113.0/24"]}`)
		l.admin(t, "POST", "/v1/service-accounts", `{"name":"`+name+`","network_policy":"`+name+`"}`)
		fenced.key = l.admin(t, "POST", "/v1/service-accounts/"+name+"/keys", `{"name":"fenced"}`)["key"].(string)
	}
	return fenced.key
}
