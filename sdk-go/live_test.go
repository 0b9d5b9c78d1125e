// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testClient makes the tests' own requests (fixtures, admin calls, requests through a middleware).
// http.DefaultClient has no timeout: a request the server never answered once stalled the whole
// suite until go test's own deadline; now it fails that test, and test.sh's exit dumps the server's threads.
var testClient = &http.Client{Timeout: 30 * time.Second}

// liveServer is the real Servitor that test.sh started, with the fixtures it created.
type liveServer struct {
	url, adminToken, platformKey, account string
	liveKey, revokedKey, accessToken      string
}

// live gives the server of test.sh; without one the test is skipped, unless test.sh runs it
// (SERVITOR_SDK_LIVE=1), where a missing fixture fails.
func live(t testing.TB) *liveServer {
	t.Helper()
	l := &liveServer{
		url: os.Getenv("SERVITOR_URL"), adminToken: os.Getenv("SERVITOR_TOKEN"), platformKey: os.Getenv("SDK_PLATFORM_KEY"),
		account: os.Getenv("SDK_ACCOUNT"),
		liveKey: os.Getenv("SDK_LIVE_KEY"), revokedKey: os.Getenv("SDK_REVOKED_KEY"), accessToken: os.Getenv("SDK_ACCESS_TOKEN"),
	}
	if l.url == "" || l.adminToken == "" || l.platformKey == "" || l.account == "" || l.liveKey == "" || l.revokedKey == "" || l.accessToken == "" {
		if os.Getenv("SERVITOR_SDK_LIVE") != "" {
			t.Fatal("test.sh did not pass the server and its fixtures (SERVITOR_URL, SERVITOR_TOKEN, SDK_*)")
		}
		t.Skip("no Servitor to test against: run sdk-go/test.sh")
	}
	return l
}

// countingTransport counts the requests that reach the network (the real transport does the work).
type countingTransport struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func (c *countingTransport) count() int64 { return c.n.Load() }

// verifierFor makes a Verifier for the live server with the platform's key (a role with "verify"
// alone) and a transport that counts requests.
func verifierFor(t testing.TB, l *liveServer, opts Options) (*Verifier, *countingTransport) {
	t.Helper()
	ct := &countingTransport{next: http.DefaultTransport}
	opts.HTTPClient = &http.Client{Transport: ct}
	v, err := New(l.url, l.platformKey, opts)
	if err != nil {
		t.Fatal(err)
	}
	return v, ct
}

// admin calls the API with the admin key and decodes the answer (empty for 204).
func (l *liveServer) admin(t testing.TB, method, path, body string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(method, l.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+l.adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	out := map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// newKey mints a key of the test's account; body is the key request.
func (l *liveServer) newKey(t testing.TB, body string) (key, id string) {
	t.Helper()
	k := l.admin(t, "POST", "/v1/service-accounts/"+l.account+"/keys", body)
	return k["key"].(string), k["id"].(string)
}

func (l *liveServer) revoke(t testing.TB, id string) {
	t.Helper()
	l.admin(t, "DELETE", "/v1/service-accounts/"+l.account+"/keys/"+id, "")
}

// randomKey is a well-formed key (right checksum) that no server issued.
func randomKey(t testing.TB, prefix string) string {
	t.Helper()
	b := make([]byte, keyPayloadLen)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = base62[int(b[i])%62]
	}
	sum := keyChecksum(string(b))
	return prefix + "_" + string(b) + string(sum[:])
}

// changeChar replaces the character at i (negative: from the end) with another base62 one.
func changeChar(s string, i int) string {
	if i < 0 {
		i += len(s)
	}
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// signer is an ES256 key of the test's own, with the JWKS that publishes it.
type signer struct {
	key *ecdsa.PrivateKey
	kid string
}

func newSigner(t testing.TB, kid string) *signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &signer{key: k, kid: kid}
}

func b64json(t testing.TB, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}

// sign makes a compact JWS of claims under header (alg ES256 and the signer's kid unless header says otherwise).
func (s *signer) sign(t testing.TB, header, claims map[string]any) string {
	t.Helper()
	h := map[string]any{"alg": "ES256", "kid": s.kid, "typ": "JWT"}
	for k, v := range header {
		h[k] = v
	}
	input := b64json(t, h) + "." + b64json(t, claims)
	digest := sha256.Sum256([]byte(input))
	r, sv, err := ecdsa.Sign(rand.Reader, s.key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	sv.FillBytes(sig[32:])
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func (s *signer) jwk() map[string]any {
	return map[string]any{"kty": "EC", "crv": "P-256", "kid": s.kid, "alg": "ES256", "use": "sig",
		"x": base64.RawURLEncoding.EncodeToString(s.key.X.FillBytes(make([]byte, 32))),
		"y": base64.RawURLEncoding.EncodeToString(s.key.Y.FillBytes(make([]byte, 32)))}
}

func jwksOf(t testing.TB, signers ...*signer) []byte {
	t.Helper()
	keys := []any{}
	for _, s := range signers {
		keys = append(keys, s.jwk())
	}
	raw, _ := json.Marshal(map[string]any{"keys": keys})
	return raw
}

// partOf decodes part i (0 header, 1 claims) of a JWT.
func partOf(t testing.TB, token string, i int) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// jwksServer serves a JWKS over real HTTP: the body that the test set, and counts the reads.
type jwksServer struct {
	*httptest.Server
	mu   sync.Mutex
	body func() []byte
	hits atomic.Int64
}

func newJWKSServer(t testing.TB, body func() []byte) *jwksServer {
	t.Helper()
	s := &jwksServer{body: body}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		b := s.body()
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(body func() []byte) {
	s.mu.Lock()
	s.body = body
	s.mu.Unlock()
}

// liveJWKS reads the real server's JWKS.
func liveJWKS(t testing.TB, l *liveServer) []byte {
	resp, err := testClient.Get(l.url + "/.well-known/jwks.json")
	if err != nil {
		t.Error(err)
		return nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return raw
}

// clock is a settable time for the JWKS rate limits.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func bigInt(n int64) *big.Int { return big.NewInt(n) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
