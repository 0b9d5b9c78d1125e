// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Defaults and bounds of Options.
const (
	DefaultCacheTTL        = 10 * time.Second
	MaxNegativeCacheTTL    = 5 * time.Second
	DefaultTimeout         = 5 * time.Second
	DefaultMaxCacheEntries = 10000
	// maxAnswerBytes bounds what is read of any answer of the server.
	maxAnswerBytes = 1 << 20
	userAgent      = "servitor-go-verifier/0.1"
)

// Options tunes a Verifier; the zero value gives the defaults.
type Options struct {
	// CacheTTL is how long a valid answer is reused for the same credential, permission and
	// address (default 10 s; negative: no positive cache). An entry never outlives the
	// credential's own expiry. A revoked key or disabled account is refused at most this long after.
	CacheTTL time.Duration
	// NegativeCacheTTL is how long a refusal is reused (default 0: never; at most 5 s, New refuses
	// more), so that a key that has just been created is not refused for long.
	NegativeCacheTTL time.Duration
	// MaxCacheEntries bounds the cache (default 10,000).
	MaxCacheEntries int
	// Timeout bounds each request to the server (default 5 s).
	Timeout time.Duration
	// HTTPClient makes the requests (default: a client of its own with keep-alive connections).
	HTTPClient *http.Client
	// KeyPrefix, when set, is the only key prefix accepted (e.g. "svt", or the deployment's
	// SERVITOR_KEY_PREFIX); a key with another prefix is refused without a request.
	KeyPrefix string

	// Issuer is the exact "iss" of access tokens (Servitor's public URL). Empty: the "issuer" of
	// the server's /.well-known/oauth-authorization-server, read once.
	Issuer string
	// Audience is the "aud" an access token must carry. Empty: the issuer, Servitor's default audience.
	Audience string
	// JWKSURL is where the signing keys are read. Empty: the "jwks_uri" of the server's
	// /.well-known/oauth-authorization-server, read once (set JWKSURL when that public URL is not
	// reachable from where the Verifier runs).
	JWKSURL string
	// VerifyTokensOffline makes Verify check access tokens against the JWKS instead of asking the
	// server, except when a permission is asked for (a token does not carry permissions). Offline
	// checks cannot see a revoked token, a disabled or deleted account, a replaced secret, or the
	// account's network policy (Verify's ip is not checked).
	VerifyTokensOffline bool
}

// Verifier verifies credentials against one Servitor server. It is safe for concurrent use; make one
// per process and share it, so that its cache and connections are shared.
type Verifier struct {
	base     string
	key      string
	opts     Options
	posTTL   time.Duration
	http     *http.Client
	cache    *verifyCache
	tokens   *tokenChecker
	now      func() time.Time
	flightMu sync.Mutex
	flights  map[cacheKey]*flight
}

// flight is one request to the server that concurrent callers asking the same thing wait for.
type flight struct {
	done chan struct{}
	v    Verification
	err  error
}

// ErrUnavailable is wrapped by every error of a verification that Servitor could not be asked for:
// unreachable, timed out, a 5xx, or an answer that is not a verification (check with errors.Is).
var ErrUnavailable = errors.New("verifier: servitor unavailable")

// APIError is a 4xx refusal of the server to answer a verification (not a refused credential, which
// is a Verification with Valid false): e.g. 401 when the Verifier's own key is not accepted, 403 when
// it lacks the "verify" permission, 429. A 5xx is an ErrUnavailable instead.
type APIError struct {
	Status    int
	Code      string
	Detail    string
	RequestID string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("servitor answered %d %s: %s (request %s)", e.Status, e.Code, e.Detail, e.RequestID)
}

// New makes a Verifier for the server at serverURL (e.g. "https://servitor.internal:8080"),
// authenticated with key, an API key of the platform that holds the "verify" permission.
func New(serverURL, key string, opts Options) (*Verifier, error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("verifier: server URL %q is not an http(s) URL", serverURL)
	}
	if key == "" || strings.ContainsAny(key, " \r\n\t") {
		return nil, errors.New("verifier: the platform's key is empty or contains whitespace")
	}
	if opts.NegativeCacheTTL < 0 || opts.NegativeCacheTTL > MaxNegativeCacheTTL {
		return nil, fmt.Errorf("verifier: NegativeCacheTTL %v is outside 0..%v: a refusal must not be remembered longer",
			opts.NegativeCacheTTL, MaxNegativeCacheTTL)
	}
	if opts.MaxCacheEntries < 0 || opts.Timeout < 0 {
		return nil, errors.New("verifier: MaxCacheEntries and Timeout cannot be negative")
	}
	if opts.MaxCacheEntries == 0 {
		opts.MaxCacheEntries = DefaultMaxCacheEntries
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	v := &Verifier{
		base:    strings.TrimRight(serverURL, "/"),
		key:     key,
		opts:    opts,
		posTTL:  opts.CacheTTL,
		cache:   newVerifyCache(opts.MaxCacheEntries),
		now:     time.Now,
		flights: make(map[cacheKey]*flight),
		http:    opts.HTTPClient,
	}
	if v.posTTL == 0 {
		v.posTTL = DefaultCacheTTL
	}
	if v.http == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64 // a gateway verifies concurrently; the default 2 would reconnect all the time
		v.http = &http.Client{Transport: t}
	}
	v.tokens = newTokenChecker(v)
	return v, nil
}

// Verify answers whether credential (an API key or an access token, as presented, without its
// scheme) is valid, optionally whether it holds permission and may be used from the client address
// ip (either may be empty). A malformed key is refused (NOT_FOUND) without a request. A refused
// credential is a Verification with Valid false and its Code; the error is for a verification that
// could not be made: an ErrUnavailable (server unreachable, timed out, a 5xx), an *APIError (the
// Verifier's own key refused), or ip not an address.
func (v *Verifier) Verify(ctx context.Context, credential, permission, ip string) (Verification, error) {
	if ip != "" && net.ParseIP(ip) == nil {
		return Verification{}, fmt.Errorf("verifier: ip %q is not an IPv4 or IPv6 address", ip)
	}
	jwt := looksLikeJWT(credential)
	if !jwt && !IsWellFormedKeyWithPrefix(credential, v.opts.KeyPrefix) {
		return notFound(), nil
	}
	if jwt && !isCompactJWS(credential) {
		return notFound(), nil
	}
	k := keyOf(credential, permission, ip)
	if cached, ok := v.cache.get(k, v.now()); ok {
		return cached.clone(), nil
	}
	if jwt && v.opts.VerifyTokensOffline && permission == "" {
		return v.verifyOffline(ctx, k, credential)
	}
	return v.verifyOnce(ctx, k, credential, permission, ip)
}

// verifyOnce asks the server, sharing one request among concurrent callers asking the same thing.
// The request runs detached from the first caller's context (bounded by Timeout), so that its
// cancellation does not fail the others; each caller stops waiting when its own context ends.
// A valid answer whose uses the server counts is not shared: every other caller then asks on its
// own, so that each use is one request the server counts.
func (v *Verifier) verifyOnce(ctx context.Context, k cacheKey, credential, permission, ip string) (Verification, error) {
	v.flightMu.Lock()
	f, joined := v.flights[k]
	if !joined {
		f = &flight{done: make(chan struct{})}
		v.flights[k] = f
		go func() {
			f.v, f.err = v.ask(context.Background(), credential, permission, ip)
			if f.err == nil {
				v.remember(k, f.v)
			}
			v.flightMu.Lock()
			delete(v.flights, k)
			v.flightMu.Unlock()
			close(f.done)
		}()
	}
	v.flightMu.Unlock()
	select {
	case <-f.done:
		if f.err != nil {
			return Verification{}, f.err
		}
		if joined && f.v.Valid && f.v.metered() {
			answer, err := v.ask(ctx, credential, permission, ip)
			if err != nil && ctx.Err() != nil {
				return Verification{}, ctx.Err() // this caller stopped waiting, as above
			}
			if err == nil {
				v.remember(k, answer)
			}
			return answer, err
		}
		return f.v.clone(), nil
	case <-ctx.Done():
		return Verification{}, ctx.Err()
	}
}

// remember caches an answer: a valid one for CacheTTL (never past the credential's expiry, and
// never when the server counts each use), a refusal for NegativeCacheTTL, and a RATE_LIMITED
// refusal no longer than its retry_after_seconds (not at all without one), so that a key is
// not refused here after the server would take it again.
func (v *Verifier) remember(k cacheKey, answer Verification) {
	now := v.now()
	ttl := v.opts.NegativeCacheTTL
	switch {
	case answer.Valid:
		if answer.metered() {
			return
		}
		ttl = v.posTTL
	case answer.Code == CodeRateLimited:
		if answer.RetryAfterSeconds == nil {
			return
		}
		if retry := time.Duration(*answer.RetryAfterSeconds) * time.Second; retry < ttl {
			ttl = retry
		}
	}
	if ttl <= 0 {
		return
	}
	until := now.Add(ttl)
	if answer.Credential != nil && answer.Credential.ExpiresAt != nil && answer.Credential.ExpiresAt.Before(until) {
		until = *answer.Credential.ExpiresAt
	}
	v.cache.put(k, answer, until, now)
}

type verifyRequest struct {
	Credential string `json:"credential"`
	Permission string `json:"permission,omitempty"`
	IP         string `json:"ip,omitempty"`
}

// ask makes one POST /v1/verify, bounded by Timeout and by ctx.
func (v *Verifier) ask(ctx context.Context, credential, permission, ip string) (Verification, error) {
	body, err := json.Marshal(verifyRequest{Credential: credential, Permission: permission, IP: ip})
	if err != nil {
		return Verification{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, v.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.base+"/v1/verify", bytes.NewReader(body))
	if err != nil {
		return Verification{}, err
	}
	req.Header.Set("Authorization", "Bearer "+v.key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	answer, status, err := v.send(req)
	if err != nil {
		return Verification{}, err
	}
	if status >= 500 {
		return Verification{}, fmt.Errorf("%w: %s/v1/verify answered %d", ErrUnavailable, v.base, status)
	}
	if status != http.StatusOK {
		return Verification{}, apiError(status, answer)
	}
	var out Verification
	if err := json.Unmarshal(answer, &out); err != nil || out.Code == "" {
		return Verification{}, fmt.Errorf("%w: the answer of %s/v1/verify is not a verification", ErrUnavailable, v.base)
	}
	out.Valid = out.Valid && out.Code == CodeValid
	return out, nil
}

// send makes a request and reads at most maxAnswerBytes of its answer. Its errors name the server,
// never the request's body or headers (which carry secrets).
func (v *Verifier) send(req *http.Request) ([]byte, int, error) {
	resp, err := v.http.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: cannot reach %s: %v", ErrUnavailable, req.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return nil, 0, fmt.Errorf("%w: reading the answer of %s: %v", ErrUnavailable, req.URL.Redacted(), err)
	}
	return answer, resp.StatusCode, nil
}

func apiError(status int, body []byte) *APIError {
	var p struct {
		Code      string `json:"code"`
		Detail    string `json:"detail"`
		RequestID string `json:"request_id"`
	}
	_ = json.Unmarshal(body, &p) // a proxy's HTML error page leaves the fields empty
	if p.Code == "" {
		p.Code = strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	}
	return &APIError{Status: status, Code: p.Code, Detail: p.Detail, RequestID: p.RequestID}
}

// looksLikeJWT reports whether s has the three dot-separated parts of a compact JWS; such a
// credential goes to the server (or the offline check) instead of the key-format check.
func looksLikeJWT(s string) bool {
	return strings.Count(s, ".") == 2
}

// maxTokenLen bounds what is sent to the server as a token: Servitor's are well under 2 KiB.
const maxTokenLen = 8192

// isCompactJWS reports whether every part is non-empty base64url, the only shape a Servitor access
// token can have (an empty signature, as alg "none" has, is refused here without a request).
func isCompactJWS(s string) bool {
	if len(s) > maxTokenLen {
		return false
	}
	part := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if i == 0 || s[i-1] == '.' {
				return false
			}
			part++
		case isBase62(c) || c == '-' || c == '_':
		default:
			return false
		}
	}
	return part == 2 && s[len(s)-1] != '.'
}
