package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/store"
)

// Example_ahp derives AHP weights over HTTP from a matrix whose judgments
// are exact fractions, then sends a matrix that is not reciprocal and reads
// the cell the problem names.
func Example_ahp() {
	auth := rest.AuthenticatorFunc(func(_ context.Context, key string) (store.Identity, error) {
		if key != "example-key" {
			return store.Identity{}, ssra.Errorf(ssra.KindUnauthenticated, "example", "invalid API key")
		}
		return store.Identity{UserID: "u1", OrgID: "o1", Roles: []ssra.Role{ssra.RoleAssessor}}, nil
	})
	srv := rest.New(rest.Config{}, rest.Deps{Auth: auth})
	post := func(body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/v1/riskeval/ahp", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer example-key")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}

	rec := post(`{"matrix": [[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]]}`)
	var res struct {
		Weights    []string `json:"weights"`
		CR         string   `json:"cr"`
		Consistent bool     `json:"consistent"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &res)
	fmt.Println(rec.Code, res.Weights, res.CR, res.Consistent)

	rec = post(`{"matrix": [[1, 3], [0.3, 1]]}`)
	var p rest.Problem
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"), p.Errors[0].Field, p.Errors[0].Code)
	// Output:
	// 200 [0.648329 0.229651 0.12202] 0.003186 true
	// 422 application/problem+json matrix[1][0] ahp.cell.not_reciprocal
}
