package rest_test

import (
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store/storetest"
)

// TestMemStoreContract holds the memory store the REST tests use to the
// storage contract the SQL store passes, so that what the tests show of
// the routes holds with the real store too.
func TestMemStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		m := newMemStore(time.Now, orgA, orgB, orgC)
		d := newMemDirectory(time.Now)
		d.seedAdmins()
		user := func(org string) ssra.Actor {
			return ssra.Actor{UserID: "u-" + org + "-" + ssra.RoleAdmin.String(), OrgID: org}
		}
		return storetest.Subject{Records: m, Organisations: m, Audit: m, Log: m, Users: d, Keys: d, Auth: d, A: user(orgA), B: user(orgB), C: user(orgC),
			Events: func(*testing.T) int64 {
				m.mu.Lock()
				defer m.mu.Unlock()
				m.log.sequence()
				return int64(len(m.actions) + len(m.reads))
			}}
	})
}
