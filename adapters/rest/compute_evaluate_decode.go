package rest

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/ssra-go/ssra/riskeval"
)

// decodeEvaluate reads the body of POST /v1/riskeval/evaluate into req in
// one pass with a jsonReader, without reflection. It accepts exactly what
// DecodeJSONBytes accepts for an evaluateRequest and gives the same values
// (a differential fuzz test holds it to that); its problems carry the same
// codes and name the full field path. The members a request seldom has
// (consultations, panel, workflow) are checked by the reader (syntax,
// depth, duplicate keys) and then decoded by encoding/json itself.
func decodeEvaluate(body []byte, req *evaluateRequest) error {
	if !utf8.Valid(body) {
		return badJSON("json.invalid_utf8", "", "the body is not valid UTF-8")
	}
	r := newJSONReader(body)
	if r.atEnd() {
		return badJSON("json.empty", "", "the body is empty; send a JSON object")
	}
	switch r.peek() {
	case 'n':
		if r.null() {
			r.end()
			if r.err == nil {
				return badJSON("json.null", "", "the body is null; send a JSON object")
			}
		}
		return r.err
	}
	readObject(r, req, 0, evaluateFields)
	r.end()
	if r.err != nil {
		return r.err
	}
	return nil
}

// The members of each type the evaluate decoder reads, with their JSON
// names as the types' tags give them.
var (
	evaluateFields = []field[evaluateRequest]{
		{"id", func(r *jsonReader, v *evaluateRequest, d int) { r.str(&v.ID, d) }},
		{"subject", func(r *jsonReader, v *evaluateRequest, d int) { readObject(r, &v.Subject, d, subjectFields) }},
		{"regime", func(r *jsonReader, v *evaluateRequest, d int) { r.str(&v.Regime, d) }},
		{"status", func(r *jsonReader, v *evaluateRequest, d int) { r.text(&v.Status, d) }},
		{"criteria", func(r *jsonReader, v *evaluateRequest, d int) { readSlice(r, &v.Criteria, d, readCriterion) }},
		{"factors", func(r *jsonReader, v *evaluateRequest, d int) { readSlice(r, &v.Factors, d, readFactor) }},
		{"consultations", func(r *jsonReader, v *evaluateRequest, d int) { r.delegate(&v.Consultations, d) }},
		{"survey", func(r *jsonReader, v *evaluateRequest, d int) { readPointer(r, &v.Survey, d, surveyFields) }},
		{"panel", func(r *jsonReader, v *evaluateRequest, d int) { r.delegate(&v.Panel, d) }},
		{"emergency_plan", func(r *jsonReader, v *evaluateRequest, d int) { r.str(&v.EmergencyPlan, d) }},
		{"workflow", func(r *jsonReader, v *evaluateRequest, d int) { r.delegate(&v.Workflow, d) }},
		{"follow_up_of", func(r *jsonReader, v *evaluateRequest, d int) { r.delegate(&v.FollowUpOf, d) }},
		{"normalise_weights", func(r *jsonReader, v *evaluateRequest, d int) { r.boolean(&v.NormaliseWeights, d) }},
		// json.RawMessage keeps the value's text, null included.
		{"profile", func(r *jsonReader, v *evaluateRequest, d int) {
			if raw := r.skip(d); r.err == nil {
				v.Profile = append(json.RawMessage(nil), raw...)
			}
		}},
	}
	subjectFields = []field[riskeval.Subject]{
		{"kind", func(r *jsonReader, v *riskeval.Subject, d int) { r.text(&v.Kind, d) }},
		{"name", func(r *jsonReader, v *riskeval.Subject, d int) { r.str(&v.Name, d) }},
		{"responsible_unit", func(r *jsonReader, v *riskeval.Subject, d int) { r.str(&v.ResponsibleUnit, d) }},
		{"assessing_body", func(r *jsonReader, v *riskeval.Subject, d int) { r.str(&v.AssessingBody, d) }},
		{"location", func(r *jsonReader, v *riskeval.Subject, d int) { r.str(&v.Location, d) }},
		{"investment", func(r *jsonReader, v *riskeval.Subject, d int) { r.decimal(&v.Investment, d) }},
	}
	criterionFields = []field[riskeval.CriterionAnswer]{
		{"criterion", func(r *jsonReader, v *riskeval.CriterionAnswer, d int) { r.text(&v.Criterion, d) }},
		{"question", func(r *jsonReader, v *riskeval.CriterionAnswer, d int) { r.str(&v.Question, d) }},
		{"answer", func(r *jsonReader, v *riskeval.CriterionAnswer, d int) { r.text(&v.Answer, d) }},
		{"evidence", func(r *jsonReader, v *riskeval.CriterionAnswer, d int) { r.str(&v.Evidence, d) }},
		{"measures", func(r *jsonReader, v *riskeval.CriterionAnswer, d int) {
			readSlice(r, &v.Measures, d, (*jsonReader).str)
		}},
	}
	factorFields = []field[riskeval.Factor]{
		{"id", func(r *jsonReader, v *riskeval.Factor, d int) { r.str(&v.ID, d) }},
		{"area", func(r *jsonReader, v *riskeval.Factor, d int) { r.text(&v.Area, d) }},
		{"name", func(r *jsonReader, v *riskeval.Factor, d int) { r.str(&v.Name, d) }},
		{"catalogue_id", func(r *jsonReader, v *riskeval.Factor, d int) { r.str(&v.CatalogueID, d) }},
		{"stage", func(r *jsonReader, v *riskeval.Factor, d int) { r.text(&v.Stage, d) }},
		{"affected_groups", func(r *jsonReader, v *riskeval.Factor, d int) { readSlice(r, &v.AffectedGroups, d, (*jsonReader).str) }},
		{"owner", func(r *jsonReader, v *riskeval.Factor, d int) { r.str(&v.Owner, d) }},
		{"weight", func(r *jsonReader, v *riskeval.Factor, d int) { r.decimal(&v.Weight, d) }},
		{"initial", func(r *jsonReader, v *riskeval.Factor, d int) { readObject(r, &v.Initial, d, estimateFields) }},
		{"residual", func(r *jsonReader, v *riskeval.Factor, d int) { readPointer(r, &v.Residual, d, estimateFields) }},
		{"measures", func(r *jsonReader, v *riskeval.Factor, d int) { readSlice(r, &v.Measures, d, readMeasure) }},
	}
	estimateFields = []field[riskeval.Estimate]{
		{"probability", func(r *jsonReader, v *riskeval.Estimate, d int) { r.integer(&v.Probability, d) }},
		{"impact", func(r *jsonReader, v *riskeval.Estimate, d int) { r.integer(&v.Impact, d) }},
		{"ratings", func(r *jsonReader, v *riskeval.Estimate, d int) { r.delegate(&v.Ratings, d) }},
	}
	measureFields = []field[riskeval.Measure]{
		{"id", func(r *jsonReader, v *riskeval.Measure, d int) { r.str(&v.ID, d) }},
		{"description", func(r *jsonReader, v *riskeval.Measure, d int) { r.str(&v.Description, d) }},
		{"owner", func(r *jsonReader, v *riskeval.Measure, d int) { r.str(&v.Owner, d) }},
		{"due", func(r *jsonReader, v *riskeval.Measure, d int) { r.date(&v.Due, d) }},
	}
	surveyFields = []field[riskeval.Survey]{
		{"frame", func(r *jsonReader, v *riskeval.Survey, d int) { r.str(&v.Frame, d) }},
		{"distributed", func(r *jsonReader, v *riskeval.Survey, d int) { r.integer(&v.Distributed, d) }},
		{"support", func(r *jsonReader, v *riskeval.Survey, d int) { r.integer(&v.Support, d) }},
		{"neutral", func(r *jsonReader, v *riskeval.Survey, d int) { r.integer(&v.Neutral, d) }},
		{"oppose", func(r *jsonReader, v *riskeval.Survey, d int) { r.integer(&v.Oppose, d) }},
	}
)

func readCriterion(r *jsonReader, v *riskeval.CriterionAnswer, d int) {
	readObject(r, v, d, criterionFields)
}

func readFactor(r *jsonReader, v *riskeval.Factor, d int) { readObject(r, v, d, factorFields) }

func readMeasure(r *jsonReader, v *riskeval.Measure, d int) { readObject(r, v, d, measureFields) }

// delegate checks a member's value with the reader (syntax, depth,
// duplicate keys) and decodes it with encoding/json, strictly, into v.
func (r *jsonReader) delegate(v any, depth int) {
	raw := r.skip(depth)
	if r.err != nil {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if c, ok := jsonProblem(err).(*transportCondition); ok && len(c.Problems) == 1 {
			p := c.Problems[0]
			r.fail(p.Code, "%s", p.Message)
			return
		}
		r.fail("json.invalid_value", "%v", err)
	}
}
