// SPDX-License-Identifier: Apache-2.0

package verifier

import "time"

// The codes of a Verification (docs/api.md, POST /v1/verify).
const (
	CodeValid        = "VALID"
	CodeNotFound     = "NOT_FOUND"
	CodeExpired      = "EXPIRED"
	CodeRevoked      = "REVOKED"
	CodeDisabled     = "DISABLED"
	CodeIPNotAllowed = "IP_NOT_ALLOWED"
	CodeForbidden    = "FORBIDDEN"
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
type Credential struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Type      string     `json:"type"`
	ExpiresAt *time.Time `json:"expires_at"`
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
	if v.Credential != nil {
		c := *v.Credential
		if c.ExpiresAt != nil {
			t := *c.ExpiresAt
			c.ExpiresAt = &t
		}
		out.Credential = &c
	}
	return out
}
