// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"bytes"
	"encoding/json"
	"time"
)

// The codes of a Verification (docs/api.md, POST /v1/verify).
const (
	CodeValid        = "VALID"
	CodeNotFound     = "NOT_FOUND"
	CodeExpired      = "EXPIRED"
	CodeRevoked      = "REVOKED"
	CodeDisabled     = "DISABLED"
	CodeIPNotAllowed = "IP_NOT_ALLOWED"
	CodeForbidden    = "FORBIDDEN"
	// CodeNetworkPolicyRequired: the organization's credential policy requires a network policy and
	// none applies to the account (the credential itself is genuine).
	CodeNetworkPolicyRequired = "NETWORK_POLICY_REQUIRED"
	// The per-key restrictions of the contract (rate limit, remaining uses), which the server does
	// not enforce yet; a key past them is refused with these codes.
	CodeRateLimited   = "RATE_LIMITED"
	CodeUsageExceeded = "USAGE_EXCEEDED"
)

// Verification is the answer about one credential, with the fields of POST /v1/verify. Valid is
// true only with Code VALID. Principal, Permissions and Credential are present when the server
// recognised the credential (also for FORBIDDEN and IP_NOT_ALLOWED); Actor only under
// impersonation (the admin acting as Principal).
type Verification struct {
	Valid       bool        `json:"valid"`
	Code        string      `json:"code"`
	Principal   *Principal  `json:"principal,omitempty"`
	Actor       *Principal  `json:"actor,omitempty"`
	Permissions []string    `json:"permissions,omitempty"`
	Credential  *Credential `json:"credential,omitempty"`
	// RetryAfterSeconds comes with RATE_LIMITED: when the key may be used again (Servitor gives none
	// with USAGE_EXCEEDED).
	RetryAfterSeconds *int `json:"retry_after_seconds,omitempty"`
	// Restrictions and Remaining are the key's per-key restrictions and what is left of them, as
	// the server wrote them (absent for a key without restrictions).
	Restrictions json.RawMessage `json:"restrictions,omitempty"`
	Remaining    json.RawMessage `json:"remaining,omitempty"`
}

// Principal is who a credential belongs to. Type is "service_account" or "user".
type Principal struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Org   string `json:"org"`
}

// Credential describes what was presented: Kind is "api_key" or "access_token"; Type is an API
// key's "read_write" or "read_scaling" (empty for a token); ExpiresAt is nil for a key without expiry.
// Federation is set for an access token obtained by exchanging a workload's token from a federated
// issuer (the token's "fed" claim), nil otherwise.
type Credential struct {
	ID         string      `json:"id"`
	Kind       string      `json:"kind"`
	Type       string      `json:"type"`
	ExpiresAt  *time.Time  `json:"expires_at"`
	Federation *Federation `json:"federation,omitempty"`
}

// Federation names the workload an access token was issued to: the Issuer (the name of the
// federation issuer as registered in Servitor), the Subject (the workload token's sub) and the name
// of the service account's federated Credential that matched.
type Federation struct {
	Issuer     string `json:"issuer"`
	Subject    string `json:"subject"`
	Credential string `json:"credential"`
}

// HasPermission reports whether the verification lists permission p. The permissions are the
// principal's; asking the server with a permission (Verify's permission argument) checks it there.
func (v Verification) HasPermission(p string) bool {
	for _, q := range v.Permissions {
		if q == p {
			return true
		}
	}
	return false
}

// notFound is the answer for a credential refused before any request (malformed, empty).
func notFound() Verification {
	return Verification{Valid: false, Code: CodeNotFound}
}

// clone copies everything a caller could change, so that a cached verification stays as the server said.
func (v Verification) clone() Verification {
	out := v
	if v.Principal != nil {
		p := *v.Principal
		out.Principal = &p
	}
	if v.Actor != nil {
		a := *v.Actor
		out.Actor = &a
	}
	if v.Permissions != nil {
		out.Permissions = append([]string(nil), v.Permissions...)
	}
	if v.RetryAfterSeconds != nil {
		r := *v.RetryAfterSeconds
		out.RetryAfterSeconds = &r
	}
	out.Restrictions = append(json.RawMessage(nil), v.Restrictions...)
	out.Remaining = append(json.RawMessage(nil), v.Remaining...)
	if v.Credential != nil {
		c := *v.Credential
		if c.ExpiresAt != nil {
			t := *c.ExpiresAt
			c.ExpiresAt = &t
		}
		if c.Federation != nil {
			f := *c.Federation
			c.Federation = &f
		}
		out.Credential = &c
	}
	return out
}

// metered reports whether the server may count every use of the credential (a rate limit, a number
// of uses, or a restriction this SDK does not know): such an answer is never reused from the cache,
// nor shared among concurrent callers, or the uses would not be counted. Only the restrictions known
// to be free of counting (permissions, allowed_ips) leave an answer cacheable.
func (v Verification) metered() bool {
	if present(v.Remaining) {
		return true
	}
	if !present(v.Restrictions) {
		return false
	}
	var r map[string]json.RawMessage
	if json.Unmarshal(v.Restrictions, &r) != nil {
		return true // not an object: do not guess that it is free to cache
	}
	for name, value := range r {
		if name != "permissions" && name != "allowed_ips" && present(value) {
			return true
		}
	}
	return false
}

func present(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}
