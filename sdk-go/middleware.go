// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// MiddlewareOptions tunes Verifier.Middleware; the zero value asks for no permission.
type MiddlewareOptions struct {
	// Permission, when set, must be held by the credential (403 otherwise).
	Permission string
	// ClientIP gives the caller's address to check against the account's network policy. Default:
	// the host of r.RemoteAddr. Behind a proxy, return the address the proxy vouches for; return ""
	// to send none.
	ClientIP func(r *http.Request) string
	// Realm is the realm of WWW-Authenticate on a 401 (default "api").
	Realm string
	// OnError hears why a verification could not be made (the answer is then 503); for logs. The
	// error never contains the credential.
	OnError func(r *http.Request, err error)
}

type contextKey struct{}

// FromContext gives the verification that Middleware put in a request's context.
func FromContext(ctx context.Context) (Verification, bool) {
	v, ok := ctx.Value(contextKey{}).(Verification)
	return v, ok
}

// Middleware wraps a handler so that it runs only for a request carrying a valid credential (and
// opts.Permission, when set), found in Authorization (schemes Bearer, Token or Key, as Servitor
// takes them) or else X-Api-Key. The handler finds the Verification with FromContext.
//
// A missing, malformed, unknown, expired, revoked or disabled credential gets one 401 with
// WWW-Authenticate (the reason is never told to the presenter); a valid credential without the
// permission gets 403 "forbidden", from an address its network policy refuses 403
// "ip_not_allowed", of an account without the network policy its organization requires 403
// "network_policy_required"; past its rate limit or uses 429 with Retry-After (the server's
// retry_after_seconds, else 1 for a rate limit and none for spent uses);
// when the server cannot be asked, 503 with Retry-After. Each has a small problem document
// (application/problem+json).
func (v *Verifier) Middleware(opts MiddlewareOptions) func(http.Handler) http.Handler {
	clientIP := opts.ClientIP
	if clientIP == nil {
		clientIP = RemoteIP
	}
	realm := opts.Realm
	if realm == "" {
		realm = "api"
	}
	challenge := `Bearer realm="` + strings.NewReplacer(`"`, "", `\`, "").Replace(realm) + `"`
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			credential := PresentedCredential(r)
			if credential == "" {
				unauthenticated(w, challenge)
				return
			}
			answer, err := v.Verify(r.Context(), credential, opts.Permission, clientIP(r))
			switch {
			case err != nil:
				if opts.OnError != nil {
					opts.OnError(r, err)
				}
				w.Header().Set("Retry-After", "1")
				problem(w, http.StatusServiceUnavailable, "unavailable", "Service unavailable", "The credential could not be verified now")
			case answer.Valid:
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), contextKey{}, answer)))
			// The credential is genuine in the cases below: saying what stops it tells its holder nothing new.
			case answer.Code == CodeForbidden:
				problem(w, http.StatusForbidden, "forbidden", "Not allowed", "The credential does not grant this operation")
			case answer.Code == CodeIPNotAllowed:
				problem(w, http.StatusForbidden, "ip_not_allowed", "Client address not allowed",
					"The credential may not be used from this address")
			case answer.Code == CodeNetworkPolicyRequired:
				problem(w, http.StatusForbidden, "network_policy_required", "Network policy required",
					"The organization requires a network policy for this account")
			case answer.Code == CodeRateLimited || answer.Code == CodeUsageExceeded:
				// Retry-After is the server's retry_after_seconds. Without one, a rate limit lifts within
				// moments (1 s), while spent uses come back only with a refill or a new grant: no time is
				// promised then, rather than inviting a retry every second.
				switch {
				case answer.RetryAfterSeconds != nil && *answer.RetryAfterSeconds >= 0:
					w.Header().Set("Retry-After", strconv.Itoa(*answer.RetryAfterSeconds))
				case answer.Code == CodeRateLimited:
					w.Header().Set("Retry-After", "1")
				}
				problem(w, http.StatusTooManyRequests, strings.ToLower(answer.Code), "Too many requests",
					"The credential's limit is reached")
			default:
				// NOT_FOUND, EXPIRED, REVOKED, DISABLED and any code this SDK does not know yet: one
				// answer whatever is wrong with the credential itself, as Servitor gives.
				unauthenticated(w, challenge)
			}
		})
	}
}

func unauthenticated(w http.ResponseWriter, challenge string) {
	w.Header().Set("WWW-Authenticate", challenge)
	problem(w, http.StatusUnauthorized, "unauthenticated", "Authentication required", "A valid credential is required")
}

// PresentedCredential is the credential of a request: from a single Authorization header with the
// scheme Bearer, Token or Key (any case), or else from a single X-Api-Key header; "" when there is none.
func PresentedCredential(r *http.Request) string {
	if auth := r.Header.Values("Authorization"); len(auth) == 1 {
		scheme, rest, found := strings.Cut(auth[0], " ")
		if found && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Token") || strings.EqualFold(scheme, "Key")) {
			return strings.TrimLeft(rest, " ")
		}
	}
	if key := r.Header.Values("X-Api-Key"); len(key) == 1 {
		return key[0]
	}
	return ""
}

// RemoteIP is the address of the connection's peer (r.RemoteAddr without port or IPv6 zone), or "".
func RemoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return ""
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	return a.WithZone("").Unmap().String()
}

// problem writes a problem document (RFC 9457) as the other Servitor SDKs and the server do. Only
// constants go into it, so no escaping is needed.
func problem(w http.ResponseWriter, status int, code, title, detail string) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"type":"https://servitor.dev/problems/` + code + `","title":"` + title + `","status":` +
		strconv.Itoa(status) + `,"detail":"` + detail + `","code":"` + code + `"}`))
}
