package rest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/store"
)

// ExampleNew builds the server with an authenticator and calls GET /v1/me,
// first without a key and then with one.
func ExampleNew() {
	auth := rest.AuthenticatorFunc(func(_ context.Context, key string) (store.Identity, error) {
		if key != "ssra_example00000_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" {
			return store.Identity{}, ssra.Errorf(ssra.KindUnauthenticated, "example", "invalid API key")
		}
		return store.Identity{UserID: "u1", UserName: "Li", OrgID: "o1", OrgName: "County office", Roles: []ssra.Role{ssra.RoleCaseworker}}, nil
	})
	srv := rest.New(rest.Config{}, rest.Deps{Auth: auth})

	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/me", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))

	req := httptest.NewRequest("GET", "/v1/me", nil)
	req.Header.Set("Authorization", "Bearer ssra_example00000_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG")
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 401 application/problem+json
	// 200 {"user":{"id":"u1","name":"Li"},"organisation":{"id":"o1","name":"County office"},"roles":["caseworker"],"key_id":""}
}
