package rest_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
)

// TestCaseworkInvariants drives random sequences of casework transitions,
// by random callers of three organisations with current or stale ETags,
// over random stretches of time, and checks what must hold whatever
// happens: no 5xx; a write succeeds only at the current version and moves
// it by exactly one; a refused write changes nothing; the audit log has one
// event per successful write; and the complainant's personal data never
// reaches anyone but caseworkers of the organisation handling the case.
func TestCaseworkInvariants(t *testing.T) {
	bodies := map[string]any{
		"accept": nil, "investigate": nil, "request_review": nil, "request_rereview": nil,
		"route":           map[string]any{"to": orgB, "mode": "transfer"},
		"object":          map[string]any{"reason": "outside our remit"},
		"notify":          map[string]any{"content": "your letter was received"},
		"extend":          map[string]any{"days": 30, "reason": "site survey"},
		"answer":          map[string]any{"outcome": "support", "text": "done", "legal_basis": "art. 32"},
		"decide_review":   map[string]any{"outcome": "support", "text": "upheld", "legal_basis": "art. 35"},
		"decide_rereview": map[string]any{"outcome": "explain", "text": "final", "legal_basis": "art. 36"},
		"close":           map[string]any{"reason": "concluded"},
		"supervise":       map[string]any{"reason": "slow"},
		"refer":           map[string]any{"organ": "the court"},
		"divert":          map[string]any{"target": "litigation", "note": "belongs to the court"},
	}
	// The main path is drawn more often than the transitions that end a
	// case early, so that sequences reach the later states.
	var actions []string
	for a := range bodies {
		n := 4
		switch a {
		case "refer", "divert", "close", "object":
			n = 1
		}
		for range n {
			actions = append(actions, a)
		}
	}
	slices.Sort(actions)
	callers := []string{keyOf(orgA, ssra.RoleCaseworker), "key:" + orgA + ":admin+caseworker", keyOf(orgA, ssra.RoleViewer),
		keyOf(orgB, ssra.RoleCaseworker), "key:" + orgB + ":admin+caseworker", keyOf(orgC, ssra.RoleCaseworker)}
	for seed := uint64(1); seed <= 25; seed++ {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 7))
			f := newFixture(t)
			reg := f.call(t, "POST", "/v1/complaints", callers[0], complaintJSON()).must(t, http.StatusCreated)
			id, version, writes := reg.str("id"), 1, 1
			owner := orgA
			for step := 0; step < 120; step++ {
				f.clock.Advance(time.Duration(rnd.IntN(6)) * 24 * time.Hour)
				sorted := actions[rnd.IntN(len(actions))]
				key := callers[rnd.IntN(len(callers))]
				if rnd.IntN(3) > 0 { // mostly the handling organisation's caseworkers
					key = keyOf(owner, ssra.RoleCaseworker)
					if rnd.IntN(2) == 0 {
						key = "key:" + owner + ":admin+caseworker"
					}
				}
				etag := etagOf(version)
				if rnd.IntN(8) == 0 {
					etag = `"v` + strconv.Itoa(version+1+rnd.IntN(3)) + `"`
				}
				body := bodies[sorted]
				if sorted == "route" && owner == orgB {
					body = map[string]any{"to": orgA, "mode": "assign"}
				}
				r := f.call(t, "POST", "/v1/complaints/"+id+"/"+sorted, key, body, "If-Match", etag)
				what := fmt.Sprintf("step %d: %s by %s at %s", step, sorted, key, etag)
				if r.code >= 500 {
					t.Fatalf("%s: %d %s", what, r.code, r.raw)
				}
				if r.code == http.StatusOK {
					if etag != etagOf(version) {
						t.Fatalf("%s: a stale ETag was accepted", what)
					}
					version++
					writes++
					if got := r.hdr.Get("ETag"); got != etagOf(version) {
						t.Fatalf("%s: ETag %s, want %s", what, got, etagOf(version))
					}
					owner = r.str("org_id")
				}
				// Read it back as the owner's caseworker: the version is what we expect.
				back := f.call(t, "GET", "/v1/complaints/"+id, keyOf(owner, ssra.RoleCaseworker), nil).must(t, http.StatusOK)
				if back.str("version") != strconv.Itoa(version) {
					t.Fatalf("%s: stored version %s, want %d", what, back.str("version"), version)
				}
				// Personal data only for the handling organisation's caseworkers.
				org := strings.Split(key, ":")[1]
				handler := org == owner && strings.Contains(key, "caseworker")
				if leaked := strings.Contains(r.raw, "Li Hua") || strings.Contains(r.raw, "13800000000"); leaked && !handler {
					t.Fatalf("%s: personal data shown to a non-handler: %s", what, r.raw)
				}
				if org == orgC && r.code != http.StatusNotFound && r.code != http.StatusPreconditionRequired {
					t.Fatalf("%s: an organisation without access got %d", what, r.code)
				}
			}
			f.store.mu.Lock()
			n := len(f.store.actions)
			f.store.mu.Unlock()
			t.Logf("%d successful writes in 120 steps, ending %s", writes-1, f.call(t, "GET", "/v1/complaints/"+id, keyOf(owner, ssra.RoleCaseworker), nil).str("status"))
			if n != writes {
				t.Fatalf("%d audit events for %d successful writes", n, writes)
			}
		})
	}
}
