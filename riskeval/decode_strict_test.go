package riskeval_test

import (
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// TestDecodeAssessmentExactNames: member names are matched exactly; a name
// in another case or one that folds to a member's name (ſ to s, the Kelvin
// sign to k) is an unknown member, and a member given twice, or nesting
// beyond the limit, is refused, each naming the field.
func TestDecodeAssessmentExactNames(t *testing.T) {
	for _, tc := range []struct{ name, body, code, field string }{
		{"upper case", `{"REGIME":"ndrc2012_project"}`, "json.unknown_field", "REGIME"},
		{"long s", `{"ſurvey":{"frame":"f"}}`, "json.unknown_field", "ſurvey"},
		{"Kelvin sign", "{\"subject\":{\"\u212Aind\":\"project\"}}", "json.unknown_field", "subject.\u212Aind"},
		{"duplicate member", `{"regime":"ndrc2012_project","regime":"order713_2019"}`, "json.duplicate_key", "regime"},
		{"too deep", `{"factors":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "json.too_deep", "factors" + strings.Repeat("[0]", 31)},
		{"wrong type in a list", `{"factors":[{},{"initial":{"impact":"4"}}]}`, "json.wrong_type", "factors[1].initial.impact"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := riskeval.DecodeAssessment([]byte(tc.body))
			ps := ssra.ProblemsOf(err)
			if ssra.KindOf(err) != ssra.KindInvalid || len(ps) != 1 || ps[0].Code != tc.code || ps[0].Field != tc.field {
				t.Fatalf("got %v, want %s at %q", err, tc.code, tc.field)
			}
		})
	}
}
