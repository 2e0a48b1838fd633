//go:build !ssradtest

package main

import "testing"

// TestProductionBinaryHasNoTestRoutes fails when a file that adds test
// routes is compiled without the ssradtest tag, which only the end-to-end
// tests' build sets.
func TestProductionBinaryHasNoTestRoutes(t *testing.T) {
	if testRoutes != nil {
		t.Fatal("a build without the ssradtest tag registers test routes")
	}
}
