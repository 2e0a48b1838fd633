package sqlstore_test

import (
	"testing"

	"github.com/ssra-go/ssra/adapters/store/storetest"
)

// TestStoreContract runs the storage contract every implementation
// shares on SQLite and on PostgreSQL, each case on a fresh database.
func TestStoreContract(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) storetest.Subject {
				s, _ := b.open(t)
				w := setup(t, s)
				return storetest.Subject{Records: s, Organisations: s, Audit: s, Log: s, Users: s, Keys: s, Auth: s, A: w.a, B: w.b, C: w.c,
					Events: func(t *testing.T) int64 { return verifyOK(t, s).Leaves }}
			})
		})
	}
}
