package main

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/store"
)

// TestRun runs the client against an in-process server with the same
// routes as ssrad.
func TestRun(t *testing.T) {
	const key = "ssra_example00000_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"
	auth := rest.AuthenticatorFunc(func(_ context.Context, k string) (store.Identity, error) {
		if k != key {
			return store.Identity{}, ssra.Errorf(ssra.KindUnauthenticated, "test", "invalid API key")
		}
		return store.Identity{UserID: "u1", OrgID: "o1", Roles: []ssra.Role{ssra.RoleAssessor}}, nil
	})
	srv := httptest.NewServer(rest.New(rest.Config{}, rest.Deps{Auth: auth}))
	defer srv.Close()
	t.Setenv("SSRA_URL", srv.URL)
	t.Setenv("SSRA_KEY", key)
	if err := run(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSRA_KEY", "wrong")
	if err := run(); err == nil {
		t.Fatal("a wrong key should fail")
	}
}
