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
// permission, or from an address its network policy refuses, gets 403; when the server cannot be
// asked, 503 with Retry-After. Each has a small problem document (application/problem+json).
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
				w.Header().Set("WWW-Authenticate", challenge)
				problem(w, http.StatusUnauthorized, "unauthenticated", "A valid credential is required")
				return
			}
			answer, err := v.Verify(r.Context(), credential, opts.Permission, clientIP(r))
			switch {
			case err != nil:
				if opts.OnError != nil {
					opts.OnError(r, err)
				}
				w.Header().Set("Retry-After", "1")
				problem(w, http.StatusServiceUnavailable, "unavailable", "The credential cannot be verified now")
			case answer.Valid:
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), contextKey{}, answer)))
			case answer.Code == CodeForbidden || answer.Code == CodeIPNotAllowed:
				// The credential is genuine: saying it is not allowed here tells its holder nothing new.
				problem(w, http.StatusForbidden, "forbidden", "The credential is not allowed to do this")
			default:
				// One answer whatever is wrong with the credential itself, as Servitor gives.
				w.Header().Set("WWW-Authenticate", challenge)
				problem(w, http.StatusUnauthorized, "unauthenticated", "A valid credential is required")
			}
		})
	}
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

func problem(w http.ResponseWriter, status int, code, detail string) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// Only constants go into the document, so no escaping is needed.
	_, _ = w.Write([]byte(`{"type":"about:blank","title":"` + http.StatusText(status) + `","status":` +
		strconv.Itoa(status) + `,"detail":"` + detail + `","code":"` + code + `"}`))
}
