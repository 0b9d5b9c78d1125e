// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"context"
	"testing"
	"time"
)

// go test -run '^$' -bench . -benchmem (through test.sh for the ones that need the server).

func BenchmarkIsWellFormedKey(b *testing.B) {
	key := randomKey(b, "svt")
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if !IsWellFormedKey(key) {
			b.Fatal("refused")
		}
	}
}

func BenchmarkVerify_malformed_key(b *testing.B) {
	v, _ := New("http://127.0.0.1:1", "svt_platform", Options{})
	key := changeChar(randomKey(b, "svt"), -1)
	ctx := context.Background()
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if got, _ := v.Verify(ctx, key, "", ""); got.Code != CodeNotFound {
			b.Fatal(got.Code)
		}
	}
}

func BenchmarkVerify_cached(b *testing.B) {
	l := live(b)
	v, requests := verifierFor(b, l, Options{CacheTTL: time.Hour})
	ctx := context.Background()
	if got, err := v.Verify(ctx, l.liveKey, "deployments:write", "127.0.0.1"); err != nil || !got.Valid {
		b.Fatal(got, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if got, _ := v.Verify(ctx, l.liveKey, "deployments:write", "127.0.0.1"); !got.Valid {
			b.Fatal(got.Code)
		}
	}
	b.StopTimer()
	if requests.count() != 1 {
		b.Errorf("%d requests, want 1", requests.count())
	}
}

func BenchmarkVerify_cached_parallel(b *testing.B) {
	l := live(b)
	v, _ := verifierFor(b, l, Options{CacheTTL: time.Hour})
	ctx := context.Background()
	_, _ = v.Verify(ctx, l.liveKey, "", "")
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if got, _ := v.Verify(ctx, l.liveKey, "", ""); !got.Valid {
				b.Error(got.Code)
				return
			}
		}
	})
}

// The price of a cache miss: one POST /v1/verify over loopback to the real server.
func BenchmarkVerify_uncached_round_trip(b *testing.B) {
	l := live(b)
	v, _ := verifierFor(b, l, Options{CacheTTL: -1})
	ctx := context.Background()
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if got, err := v.Verify(ctx, l.liveKey, "", ""); err != nil || !got.Valid {
			b.Fatal(got, err)
		}
	}
}

// One ES256 signature check and the claims, the JWKS already read.
func BenchmarkVerifyAccessToken_offline(b *testing.B) {
	s := newSigner(b, "k1")
	jwks := newJWKSServer(b, func() []byte { return jwksOf(b, s) })
	v, _ := New(jwks.URL, "svt_platform", Options{Issuer: testIssuer, JWKSURL: jwks.URL})
	token := s.sign(b, nil, goodClaims(time.Now()))
	ctx := context.Background()
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := v.VerifyAccessToken(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}
