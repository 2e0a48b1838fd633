package rest_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
)

// TestRepeatFilingAcrossTheHierarchy is issue 20's finding: a matter
// accepted by a superior organ was accepted again below, because the
// guard looked only at the caller's own and shared cases. The refusal
// names the other organ and nothing of its case.
func TestRepeatFilingAcrossTheHierarchy(t *testing.T) {
	f := newFixture(t)
	f.store.setParent(orgA, orgB) // the city bureau is above the county office
	cwA, cwB, cwC := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker), keyOf(orgC, ssra.RoleCaseworker)
	// References are given: the fixture's random source repeats itself.
	first := complaintJSON()
	first["ref"] = "XF-2026-000900"
	above := f.call(t, "POST", "/v1/complaints", cwB, first).must(t, http.StatusCreated)
	again := complaintJSON()
	again["complainants"] = []any{map[string]any{"name": "Zhou Qiang"}}
	again["matter"].(map[string]any)["facts"] = "Water cut, for two weeks!"
	r := f.call(t, "POST", "/v1/complaints", cwA, again).must(t, http.StatusConflict)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "complaint.repeat_in_progress" {
		t.Fatalf("codes %v: %s", codes, r.raw)
	}
	if !strings.Contains(r.raw, "a superior organ (City bureau)") {
		t.Fatalf("the refusal does not name the superior organ: %s", r.raw)
	}
	for _, secret := range []string{above.str("data", "ref"), above.str("id"), "Li Hua", "13800000000", "water cut", "restore the supply"} {
		if strings.Contains(strings.ToLower(r.raw), strings.ToLower(secret)) {
			t.Fatalf("the refusal exposes %q of the superior's case: %s", secret, r.raw)
		}
	}
	// An organisation outside the line is not asked.
	again["ref"] = "XF-2026-000901"
	f.call(t, "POST", "/v1/complaints", cwC, again).must(t, http.StatusCreated)

	// Below: a matter handled by the county office is not accepted again by
	// the city bureau.
	below := complaintJSON()
	below["matter"].(map[string]any)["facts"] = "street lights out for a month"
	below["ref"] = "XF-2026-000903"
	f.call(t, "POST", "/v1/complaints", cwA, below).must(t, http.StatusCreated)
	r = f.call(t, "POST", "/v1/complaints", cwB, below).must(t, http.StatusConflict)
	if !strings.Contains(r.raw, "a subordinate organ (County office)") {
		t.Fatalf("the refusal does not name the subordinate organ: %s", r.raw)
	}
	// Once the county office is no longer below the bureau, it is not asked.
	f.store.setParent(orgA, "")
	below["ref"] = "XF-2026-000902"
	f.call(t, "POST", "/v1/complaints", cwB, below).must(t, http.StatusCreated)
}

// forests lists every assignment of parents to orgs that makes no cycle.
func forests(orgs []string) []map[string]string {
	var out []map[string]string
	var walk func(i int, parent map[string]string)
	walk = func(i int, parent map[string]string) {
		if i == len(orgs) {
			for _, o := range orgs {
				seen := map[string]bool{}
				for p := o; p != ""; p = parent[p] {
					if seen[p] {
						return
					}
					seen[p] = true
				}
			}
			out = append(out, maps(parent))
			return
		}
		for _, p := range append([]string{""}, orgs...) {
			if p == orgs[i] {
				continue
			}
			parent[orgs[i]] = p
			walk(i+1, parent)
		}
		delete(parent, orgs[i])
	}
	walk(0, map[string]string{})
	return out
}

func maps(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

func ancestors(parent map[string]string, o string) []string {
	var out []string
	for p := parent[o]; p != ""; p = parent[p] {
		out = append(out, p)
	}
	return out
}

// TestRepeatGuardOverEveryHierarchy runs the repeat-filing guard over
// every hierarchy of the three organisations, every holder and every
// registering organisation: the second filing is refused exactly when
// the holder is above or below the registering organisation.
func TestRepeatGuardOverEveryHierarchy(t *testing.T) {
	orgs := []string{orgA, orgB, orgC}
	fs := forests(orgs)
	if len(fs) != 16 {
		t.Fatalf("%d forests on three organisations, want 16", len(fs))
	}
	for n, parent := range fs {
		f := newFixture(t)
		for o, p := range parent {
			f.store.setParent(o, p)
		}
		k := 0
		for i, holder := range orgs {
			for _, registrar := range orgs {
				if registrar == holder {
					continue
				}
				body := complaintJSON()
				body["matter"].(map[string]any)["facts"] = fmt.Sprintf("matter %d held by %d", n, i)
				body["matter"].(map[string]any)["request"] = "act on " + registrar
				k++
				body["ref"] = fmt.Sprintf("XF-2026-%06d", k)
				f.call(t, "POST", "/v1/complaints", keyOf(holder, ssra.RoleCaseworker), body).must(t, http.StatusCreated)
				related := slices.Contains(ancestors(parent, registrar), holder) || slices.Contains(ancestors(parent, holder), registrar)
				want := http.StatusCreated
				if related {
					want = http.StatusConflict
				}
				k++
				body["ref"] = fmt.Sprintf("XF-2026-%06d", k)
				if r := f.call(t, "POST", "/v1/complaints", keyOf(registrar, ssra.RoleCaseworker), body); r.code != want {
					t.Fatalf("hierarchy %v, held by %s, filed again at %s: status %d, want %d: %s", parent, holder, registrar, r.code, want, r.raw)
				}
			}
		}
	}
}

// TestReportIsNotRoutedBelowItsSubject is issue 13's finding for the
// hierarchy: a report about an organisation, or about one of its users,
// is not routed to an organisation below it, which it directs; a route
// up to the body above the subject stays open.
func TestReportIsNotRoutedBelowItsSubject(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		subjectUser, subjectOrg string
	}{
		{"subject organisation", "", orgC},
		{"subject user", "u-" + orgC + "-admin", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.store.setParent(orgB, orgC) // the water company directs the city bureau
			cw := keyOf(orgA, ssra.RoleCaseworker)
			report := complaintJSON()
			m := report["matter"].(map[string]any)
			m["type"], m["subject"] = "report", "a manager"
			if tc.subjectUser != "" {
				m["subject_user"] = tc.subjectUser
			}
			if tc.subjectOrg != "" {
				m["subject_org"] = tc.subjectOrg
			}
			id := f.call(t, "POST", "/v1/complaints", cw, report).must(t, http.StatusCreated).str("id")
			r := f.call(t, "POST", "/v1/complaints/"+id+"/route", cw, map[string]any{"to": orgB, "mode": "transfer"}, "If-Match", `"v1"`).
				must(t, http.StatusUnprocessableEntity)
			if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "complaint.route_to_subject" {
				t.Fatalf("codes %v: %s", codes, r.raw)
			}
			f.call(t, "GET", "/v1/complaints/"+id, keyOf(orgB, ssra.RoleCaseworker), nil).must(t, http.StatusNotFound)

			// Turned around, the bureau is the body above the subject: the
			// report may go up to it.
			f.store.setParent(orgB, "")
			f.store.setParent(orgC, orgB)
			f.call(t, "POST", "/v1/complaints/"+id+"/route", cw, map[string]any{"to": orgB, "mode": "transfer"}, "If-Match", `"v1"`).must(t, http.StatusOK)
			f.call(t, "GET", "/v1/complaints/"+id, keyOf(orgC, ssra.RoleCaseworker), nil).must(t, http.StatusNotFound)
		})
	}
}
