// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
)

// Why an access token was refused offline; test with errors.Is. Every one of them wraps ErrTokenInvalid.
var (
	ErrTokenInvalid     = errors.New("access token refused")
	ErrTokenMalformed   = fmt.Errorf("%w: malformed", ErrTokenInvalid)
	ErrTokenAlgorithm   = fmt.Errorf("%w: algorithm other than ES256", ErrTokenInvalid)
	ErrTokenUnknownKey  = fmt.Errorf("%w: signing key not in the JWKS", ErrTokenInvalid)
	ErrTokenSignature   = fmt.Errorf("%w: bad signature", ErrTokenInvalid)
	ErrTokenExpired     = fmt.Errorf("%w: expired", ErrTokenInvalid)
	ErrTokenNotYetValid = fmt.Errorf("%w: not valid yet (nbf)", ErrTokenInvalid)
	ErrTokenIssuer      = fmt.Errorf("%w: wrong issuer", ErrTokenInvalid)
	ErrTokenAudience    = fmt.Errorf("%w: wrong audience", ErrTokenInvalid)
	ErrTokenClaims      = fmt.Errorf("%w: a required claim is missing", ErrTokenInvalid)
)

// ClockSkew is how far exp and nbf are stretched for clocks that disagree a little.
const ClockSkew = 60 * time.Second

// Token is an access token that passed every offline check.
type Token struct {
	Issuer    string
	Subject   string // the service account's id (sa_…), also its OAuth client_id
	Audience  []string
	ExpiresAt time.Time
	IssuedAt  time.Time
	NotBefore time.Time // zero when the token has no nbf
	ID        string    // jti
	Org       string
	Email     string
	ClientID  string
	Actor     *Principal     // the impersonating admin (act), when there is one: ID and Email only
	Federated *Federation    // the fed claim of a token exchanged for a federated workload's token, else nil
	Claims    map[string]any // every claim, numbers as json.Number
}

// strictB64 refuses padding and non-zero trailing bits, so that a changed last character of a
// signature cannot decode to the same bytes.
var strictB64 = base64.RawURLEncoding.Strict()

type jwsHeader struct {
	Alg  string          `json:"alg"`
	Kid  string          `json:"kid"`
	Crit json.RawMessage `json:"crit"`
}

// VerifyAccessToken checks an access token offline: the ES256 signature under a key of the server's
// JWKS (never "none", never HMAC, whatever the header says), "iss", "aud", "exp" and "nbf" (with
// ClockSkew), and that "sub", "iat" and "jti" are present. The error wraps ErrTokenInvalid (and one
// of the ErrToken… reasons) for a refused token, or says why the JWKS or the issuer could not be
// read. Offline checks cannot see a revoked token, a disabled or deleted account or a replaced
// secret: use Verify where that matters. A read of the JWKS, when one is needed, is bounded by
// Options.Timeout; ctx is checked before the work starts.
func (v *Verifier) VerifyAccessToken(ctx context.Context, token string) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(token) > maxTokenLen {
		return nil, ErrTokenMalformed
	}
	var h jwsHeader
	if err := decodeJSONPart(parts[0], &h); err != nil {
		return nil, ErrTokenMalformed
	}
	if h.Alg != "ES256" {
		return nil, ErrTokenAlgorithm
	}
	if h.Kid == "" || h.Crit != nil {
		return nil, ErrTokenMalformed
	}
	sig, err := strictB64.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return nil, ErrTokenSignature
	}
	issuer, err := v.tokens.expectedIssuer()
	if err != nil {
		return nil, err
	}
	pub, err := v.tokens.key(h.Kid)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256([]byte(token[:len(parts[0])+1+len(parts[1])]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, digest[:], r, s) {
		return nil, ErrTokenSignature
	}
	var claims map[string]any
	if err := decodeJSONPart(parts[1], &claims); err != nil {
		return nil, ErrTokenMalformed
	}
	t, err := readClaims(claims)
	if err != nil {
		return nil, err
	}
	audience := v.opts.Audience
	if audience == "" {
		audience = issuer
	}
	now := v.now()
	switch {
	case t.Issuer != issuer:
		return nil, ErrTokenIssuer
	case !contains(t.Audience, audience):
		return nil, ErrTokenAudience
	case !now.Before(t.ExpiresAt.Add(ClockSkew)):
		return nil, ErrTokenExpired
	case !t.NotBefore.IsZero() && now.Add(ClockSkew).Before(t.NotBefore):
		return nil, ErrTokenNotYetValid
	}
	return t, nil
}

func decodeJSONPart(part string, into any) error {
	raw, err := strictB64.DecodeString(part)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(into); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}

// readClaims takes the registered claims out of the payload, refusing wrong types.
func readClaims(c map[string]any) (*Token, error) {
	t := &Token{Claims: c}
	var ok bool
	str := func(name string) string {
		s, isString := c[name].(string)
		if c[name] != nil && !isString {
			ok = false
		}
		return s
	}
	ok = true
	t.Issuer, t.Subject, t.ID = str("iss"), str("sub"), str("jti")
	t.Org, t.Email, t.ClientID = str("org"), str("email"), str("client_id")
	if !ok {
		return nil, ErrTokenMalformed
	}
	if t.Subject == "" || t.ID == "" {
		return nil, ErrTokenClaims
	}
	switch aud := c["aud"].(type) {
	case string:
		t.Audience = []string{aud}
	case []any:
		for _, a := range aud {
			s, isString := a.(string)
			if !isString {
				return nil, ErrTokenMalformed
			}
			t.Audience = append(t.Audience, s)
		}
	case nil:
	default:
		return nil, ErrTokenMalformed
	}
	var err error
	if t.ExpiresAt, err = numericDate(c, "exp", true); err != nil {
		return nil, err
	}
	if t.IssuedAt, err = numericDate(c, "iat", true); err != nil {
		return nil, err
	}
	if t.NotBefore, err = numericDate(c, "nbf", false); err != nil {
		return nil, err
	}
	if act, isObject := c["act"].(map[string]any); isObject {
		sub, _ := act["sub"].(string)
		email, _ := act["email"].(string)
		t.Actor = &Principal{ID: sub, Type: principalType(sub), Email: email}
	}
	if fed, isObject := c["fed"].(map[string]any); isObject {
		t.Federated = &Federation{}
		t.Federated.Issuer, _ = fed["issuer"].(string)
		t.Federated.Subject, _ = fed["subject"].(string)
		t.Federated.Credential, _ = fed["credential"].(string)
	}
	return t, nil
}

func numericDate(c map[string]any, name string, required bool) (time.Time, error) {
	raw, present := c[name]
	if !present {
		if required {
			return time.Time{}, ErrTokenClaims
		}
		return time.Time{}, nil
	}
	n, isNumber := raw.(json.Number)
	if !isNumber {
		return time.Time{}, ErrTokenMalformed
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || f < 0 || f > 1e12 {
		return time.Time{}, ErrTokenMalformed
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// principalType names the kind of an id the way /v1/verify does, from Servitor's id prefixes.
func principalType(id string) string {
	switch {
	case strings.HasPrefix(id, "sa_"):
		return "service_account"
	case strings.HasPrefix(id, "usr_"):
		return "user"
	}
	return ""
}

// verifyOffline is Verify for an access token under VerifyTokensOffline: the token's own claims
// stand for the server's answer (no permissions: the token does not carry them).
func (v *Verifier) verifyOffline(ctx context.Context, k cacheKey, token string) (Verification, error) {
	t, err := v.VerifyAccessToken(ctx, token)
	var answer Verification
	switch {
	case errors.Is(err, ErrTokenExpired):
		answer = Verification{Code: CodeExpired}
	case errors.Is(err, ErrTokenInvalid):
		answer = notFound()
	case err != nil:
		return Verification{}, err
	default:
		exp := t.ExpiresAt
		answer = Verification{
			Valid: true,
			Code:  CodeValid,
			Principal: &Principal{ID: t.Subject, Type: principalType(t.Subject), Name: accountName(t.Subject, t.Email),
				Email: t.Email, Org: t.Org},
			Actor:      t.Actor,
			Credential: &Credential{ID: t.ID, Kind: "access_token", ExpiresAt: &exp, Federation: t.Federated},
		}
	}
	v.remember(k, answer)
	return answer.clone(), nil
}

// accountName reads a service account's name from its address, <name>@<org>.sa.<domain> (docs/api.md);
// empty for any other address.
func accountName(sub, email string) string {
	at := strings.IndexByte(email, '@')
	if principalType(sub) != "service_account" || at <= 0 || !strings.Contains(email[at:], ".sa.") {
		return ""
	}
	return email[:at]
}
