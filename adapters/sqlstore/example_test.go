package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// Example opens a SQLite store, prepares it for first use, stores a
// complaint, routes it to another organisation, integrates the audit
// events into the transparency log and verifies it.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "ssra-example")
	defer os.RemoveAll(dir)

	s, err := sqlstore.Open(ctx, filepath.Join(dir, "ssra.db")) // or a postgres:// URL
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}
	boot, _ := s.Bootstrap(ctx, "County xinfang bureau", "admin")
	id, _ := s.Authenticate(ctx, boot.Key)
	me := id.Actor()

	bureau, _ := s.CreateOrganisation(ctx, sqlstore.System, "Housing bureau")
	c, _ := s.Create(ctx, me, "complaint.register", store.RecordComplaint, store.Fields{
		Status: "registered", Reference: "XF-2026-0001", Body: map[string]string{"matter": "heating"},
	})
	routed, _ := s.Route(ctx, me, "complaint.route", store.RecordComplaint, c.ID, c.Version, bureau.ID, store.Fields{
		Status: "routed", Reference: "XF-2026-0001", Body: map[string]string{"matter": "heating"},
	})
	fmt.Println("version", routed.Version, "owned by the bureau:", routed.OrgID == bureau.ID)

	_, err = s.Update(ctx, me, "complaint.answer", store.RecordComplaint, c.ID, routed.Version, store.Fields{Body: "x"})
	fmt.Println("sender may still change it:", ssra.KindOf(err) != ssra.KindForbidden)

	// A server runs the sequencer (RunSequencer); here one batch suffices.
	n, _ := s.Sequence(ctx)
	cp, _ := s.LatestCheckpoint(ctx)
	fmt.Println("leaves integrated:", n, "checkpoint size:", cp.Size, "signed:", cp.Signed)
	rep, _ := s.VerifyAudit(ctx)
	fmt.Println("intact:", rep.OK, "records checked:", rep.Records)
	// Output:
	// version 2 owned by the bureau: true
	// sender may still change it: false
	// leaves integrated: 6 checkpoint size: 6 signed: false
	// intact: true records checked: 1
}
