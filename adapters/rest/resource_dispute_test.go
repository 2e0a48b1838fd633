package rest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
)

// disputeJSON is a neighbourhood dispute between two parties.
func disputeJSON() map[string]any {
	return map[string]any{"channel": "people", "category": "neighbourhood", "summary": "a wall built across a shared lane",
		"parties": []any{map[string]any{"name": "Zhao Lei", "phone": "13700000000"}, map[string]any{"name": "Qian Min"}}}
}

func TestDisputeMediation(t *testing.T) {
	f := newFixture(t)
	cw := keyOf(orgA, ssra.RoleCaseworker)
	reg := f.call(t, "POST", "/v1/disputes", cw, disputeJSON()).must(t, http.StatusCreated)
	id, ref, code := reg.str("id"), reg.str("data", "ref"), reg.str("query_code")
	if reg.str("view") != "handler" || !strings.Contains(reg.raw, "Zhao Lei") || code == "" {
		t.Fatalf("intake: %s", reg.raw)
	}
	step := func(key, action string, version int, body any, want int) reply {
		t.Helper()
		return f.call(t, "POST", "/v1/disputes/"+id+"/"+action, key, body, "If-Match", etagOf(version)).must(t, want)
	}
	step(cw, "start", 1, nil, http.StatusConflict) // no mediator yet
	step(cw, "assign", 1, map[string]any{"user_id": "u-med", "name": "mediator", "mode": "standard"}, http.StatusOK)
	step(cw, "start", 2, nil, http.StatusOK)
	// A written agreement takes effect only signed and sealed; every problem is named.
	bad := step(cw, "agree", 3, map[string]any{"form": "written", "terms": "", "perform_by": "2026-12-31"}, http.StatusUnprocessableEntity)
	if codes := strings.Join(bad.errorCodes(), ","); !strings.Contains(codes, "dispute.terms_missing") || !strings.Contains(codes, "dispute.agreement_not_effective") {
		t.Fatalf("codes %s", codes)
	}
	step(cw, "agree", 3, map[string]any{"form": "written", "terms": "the wall moves 1 m", "perform_by": "2026-12-31", "signed": true, "sealed": true}, http.StatusOK)
	// Other roles and organisations see no party.
	viewer := f.call(t, "GET", "/v1/disputes/"+id, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if viewer.str("view") != "staff" || strings.Contains(viewer.raw, "Zhao Lei") || strings.Contains(viewer.raw, "wall moves") {
		t.Fatalf("viewer's view: %s", viewer.raw)
	}
	f.call(t, "GET", "/v1/disputes/"+id, keyOf(orgB, ssra.RoleCaseworker), nil).must(t, http.StatusNotFound)
	// A party checks the status and rates the mediation with the code.
	pub := f.call(t, "GET", "/v1/public/disputes/"+ref, "", nil, "X-Query-Code", code).must(t, http.StatusOK)
	if pub.str("status") != "agreement" || pub.str("can_rate") != "true" || strings.Contains(pub.raw, "Zhao") {
		t.Fatalf("status check: %s", pub.raw)
	}
	f.call(t, "POST", "/v1/public/disputes/"+ref+"/rating", "", map[string]any{"code": code, "rating": "basically_satisfied"}).must(t, http.StatusOK)
	f.call(t, "GET", "/v1/public/disputes/"+ref, "", nil, "X-Query-Code", "nope").must(t, http.StatusNotFound)
	// A complaint's code does not open the dispute route and vice versa.
	f.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", code).must(t, http.StatusNotFound)
}

func TestDisputeHandOverMovesOwnership(t *testing.T) {
	f := newFixture(t)
	cwA, cwB := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	id := f.call(t, "POST", "/v1/disputes", cwA, disputeJSON()).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/disputes/"+id+"/hand_over", cwA, map[string]any{"to": "administrative", "organ": orgB, "reason": "land use question"},
		"If-Match", `"v1"`).must(t, http.StatusOK)
	sent := f.call(t, "GET", "/v1/disputes/"+id, cwA, nil).must(t, http.StatusOK)
	if sent.str("read_only") != "true" || strings.Contains(sent.raw, "Zhao Lei") {
		t.Fatalf("sender's view: %s", sent.raw)
	}
	got := f.call(t, "GET", "/v1/disputes/"+id, cwB, nil).must(t, http.StatusOK)
	if got.str("view") != "handler" || !strings.Contains(got.raw, "Zhao Lei") || got.str("status") != "intake" {
		t.Fatalf("receiver's view: %s", got.raw)
	}
	f.call(t, "POST", "/v1/disputes/"+id+"/assign", cwA, map[string]any{"user_id": "u", "name": "mediator", "mode": "standard"}, "If-Match", `"v2"`).must(t, http.StatusForbidden)
	f.call(t, "POST", "/v1/disputes/"+id+"/assign", cwB, map[string]any{"user_id": "u", "name": "mediator", "mode": "standard"}, "If-Match", `"v2"`).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/disputes/"+id+"/report_escalation", cwB, map[string]any{"to": "county police", "reason": "threats"}, "If-Match", `"v2"`).must(t, http.StatusPreconditionFailed)
}
