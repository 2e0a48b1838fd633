package rest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/ssra-go/ssra/adapters/rest"
)

// ExampleResources wires the stored-resource routes to a store (here the
// tests' in-memory one; ssrad binds the SQL store), registers a complaint
// as a caseworker and checks its status as the complainant would, with the
// reference number and the query code and no key.
func ExampleResources() {
	now := func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) }
	srv := rest.New(rest.Config{}, rest.Deps{Auth: resAuth{}, Resources: &rest.Resources{
		Store: newMemStore(now, orgA, orgB), Now: now, Random: bytes.NewReader(bytes.Repeat([]byte{1, 2, 3, 4}, 64)),
	}})
	send := func(method, path, key string, body string, hdr ...string) (int, map[string]any) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		var out map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		return rec.Code, out
	}
	code, reg := send("POST", "/v1/complaints", "key:org-a:caseworker", `{"channel":"letter",
		"matter":{"type":"claim","subject":"District water bureau","facts":"no water for two weeks","request":"restore the supply"},
		"complainants":[{"name":"Wang Fang"}]}`)
	ref := reg["data"].(map[string]any)["ref"].(string)
	fmt.Println("registered:", code, reg["status"])

	code, status := send("GET", "/v1/public/complaints/"+ref, "", "", "X-Query-Code", reg["query_code"].(string))
	fmt.Println("status check:", code, status["status"])
	for _, d := range status["deadlines"].([]any) {
		d := d.(map[string]any)
		fmt.Println(" ", d["rule"], d["due"], d["status"])
	}
	code, _ = send("GET", "/v1/public/complaints/"+ref, "", "", "X-Query-Code", "a guess")
	fmt.Println("wrong code:", code)
	// Output:
	// registered: 201 registered
	// status check: 200 registered
	//   route 2026-11-17 open
	//   notify 2026-11-17 open
	// wrong code: 404
}
