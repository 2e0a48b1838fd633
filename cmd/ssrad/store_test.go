package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// TestCreateLinkedAllOrNothing: the binding's CreateLinked, which the
// follow-up assessment (跟踪评估) route stores through, writes the new record
// and the change of the linked one in one transaction. When the second
// write fails (the linked record is stale, or its fields cannot be made)
// neither is stored and no audit event is left; when it succeeds the
// linked record names the new one.
func TestCreateLinkedAllOrNothing(t *testing.T) {
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		p := openInproc(t, dsn)
		var actors [2]ssra.Actor
		for i, name := range []string{"Decision body", "Assessing body"} {
			o, err := p.store.CreateOrganisation(ctx, sqlstore.System, name)
			if err != nil {
				t.Fatal(err)
			}
			u, err := p.store.CreateUser(ctx, sqlstore.System, o.ID, "user", []ssra.Role{ssra.RoleAssessor})
			if err != nil {
				t.Fatal(err)
			}
			actors[i] = ssra.Actor{UserID: u.ID, OrgID: o.ID}
		}
		decider, assessor := actors[0], actors[1]
		b := recordStore{p.store}
		tr, err := b.Create(ctx, decider, "tracking.open", "tracking", rest.Fields{Status: "open", Body: map[string]any{"follow_ups": []string{}}}, assessor.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		draft := rest.Fields{Status: "draft", Body: map[string]any{"follow_up_of": "a1"}}
		link := func(version int64, fail error) rest.Link {
			return rest.Link{Action: "tracking.follow_up", Kind: "tracking", ID: tr.ID, Version: version,
				Fields: func(created rest.Record) (rest.Fields, error) {
					return rest.Fields{Status: "open", Body: map[string]any{"follow_ups": []string{created.ID}}}, fail
				}}
		}
		audited := func() int64 {
			t.Helper()
			if _, err := p.store.Sequence(ctx); err != nil {
				t.Fatal(err)
			}
			r, err := b.VerifyAudit(ctx)
			if err != nil || !r.OK {
				t.Fatalf("VerifyAudit: %+v, %v", r, err)
			}
			return r.Leaves
		}
		assessments := func() int {
			t.Helper()
			pg, err := b.List(ctx, assessor, rest.Query{Kind: "assessment"})
			if err != nil {
				t.Fatal(err)
			}
			return len(pg.Records)
		}
		before := audited()
		boom := errors.New("the link cannot be made")
		for _, c := range []struct {
			name    string
			link    rest.Link
			want    ssra.Kind
			wantErr error
		}{
			{"stale linked record", link(2, nil), ssra.KindPreconditionFailed, nil},
			{"linked record unknown", rest.Link{Action: "tracking.follow_up", Kind: "tracking", ID: "nope", Version: 1, Fields: link(1, nil).Fields}, ssra.KindNotFound, nil},
			{"fields fail", link(1, boom), 0, boom},
		} {
			_, _, err := b.CreateLinked(ctx, assessor, "assessment.follow_up", "assessment", draft, c.link)
			switch {
			case c.wantErr != nil && !errors.Is(err, c.wantErr):
				t.Fatalf("%s: %v, want %v", c.name, err, c.wantErr)
			case c.wantErr == nil && ssra.KindOf(err) != c.want:
				t.Fatalf("%s: %v, want kind %v", c.name, err, c.want)
			}
			if n := assessments(); n != 0 {
				t.Fatalf("%s: %d assessments stored, want none", c.name, n)
			}
			if got := audited(); got != before {
				t.Fatalf("%s: %d audit events, want %d", c.name, got, before)
			}
		}
		created, linked, err := b.CreateLinked(ctx, assessor, "assessment.follow_up", "assessment", draft, link(1, nil))
		if err != nil {
			t.Fatal(err)
		}
		if created.OrgID != assessor.OrgID || created.Version != 1 || linked.Version != 2 || !linked.ReadOnly || !strings.Contains(string(linked.Body), created.ID) {
			t.Fatalf("created %+v, linked %+v", created, linked)
		}
		if n, got := assessments(), audited(); n != 1 || got != before+2 {
			t.Fatalf("after the follow-up: %d assessments, %d audit events; want 1 and %d", n, got, before+2)
		}
	})
}
