// SPDX-License-Identifier: Apache-2.0

package verifier_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"

	"servitor.dev/verifier"
)

// The README's examples, compiled by every `go vet` and `go test` so that they cannot drift.

func Example() {
	ctx, presented, clientIP := context.Background(), "svt_…", "192.0.2.1"
	v, err := verifier.New("http://servitor.internal:8080", os.Getenv("SERVITOR_VERIFY_KEY"), verifier.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ans, err := v.Verify(ctx, presented, "deployments:write", clientIP)
	switch {
	case err != nil: // Servitor unreachable, or the platform's own key refused: fail closed
	case ans.Valid:
		fmt.Println(ans.Principal.Name, ans.Permissions, ans.Credential.Type)
	default:
		fmt.Println(ans.Code)
	}
}

func ExampleVerifier_Middleware() {
	v, err := verifier.New("http://servitor.internal:8080", os.Getenv("SERVITOR_VERIFY_KEY"), verifier.Options{})
	if err != nil {
		log.Fatal(err)
	}
	deployments := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ans, _ := verifier.FromContext(r.Context()) // always present behind the middleware
		fmt.Fprintf(w, "hello %s\n", ans.Principal.Name)
	})
	mux := http.NewServeMux()
	mux.Handle("/deployments", v.Middleware(verifier.MiddlewareOptions{Permission: "deployments:write"})(deployments))
}

func ExampleVerifier_VerifyAccessToken() {
	v, _ := verifier.New("http://servitor.internal:8080", os.Getenv("SERVITOR_VERIFY_KEY"), verifier.Options{})
	tok, err := v.VerifyAccessToken(context.Background(), "eyJ…")
	if errors.Is(err, verifier.ErrTokenInvalid) {
		fmt.Println("refused; expired:", errors.Is(err, verifier.ErrTokenExpired))
		return
	}
	if err == nil {
		fmt.Println(tok.Subject, tok.Email, tok.Org, tok.ExpiresAt, tok.Actor)
	}
}
