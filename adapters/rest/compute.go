package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

// The stateless compute endpoints. Each handler reads its body strictly
// (decodeBody, which is decodeJSON with full field paths: 400 for what
// cannot be read; 413 and 415 come before it), checks the request envelope
// (validateRequest: 422), and hands the input to one domain function, whose
// *ssra.Error of KindInvalid renders as 422 with the field paths the domain
// gives. No domain rule lives here. The shipped presets are loaded once and
// shared: compiled profiles and schemes are immutable and safe for
// concurrent use. Every body, the
// evaluate route's included, is read by the one strict decoder
// (internal/strictjson) and checked for the document's required members.
// This costs the evaluate route time: BenchmarkEvaluate/server (30
// factors; test binaries of each commit alternated 10 times on 2 shared,
// heavily loaded cores, 2,000 requests each, CPU time per request, the
// median of the per-round ratios) measured 1.24× the CPU time of the
// former hand-written decoder (f959f34^, which did not check required
// members at all, so that a factor without a weight went through) while
// every valid body was read twice, and 1.11× once the required-member
// check asks the decoded value first (required_decoded.go) and dates are
// read without time.Parse. What remains is go-json-experiment's
// reflection (field lookup by name, slice growth) and the decimals' own
// decoding.

// defaultRiskProfile is the profile POST /v1/riskeval/evaluate uses when the
// request names none; the result names it with its version.
const defaultRiskProfile = "practice"

// compute holds what the compute endpoints share: the shipped risk profiles,
// loaded and compiled once, and the pre-encoded preset list.
type compute struct {
	riskProfiles map[string]riskeval.Profile
	schemes      map[string]*appraisal.Scheme
	policies     map[string]appraisal.StaffPolicy
	presets      []byte
	// calendar counts deadlines when a request names none: the server's
	// (Resources.Calendar), else the official one.
	calendar ssra.Calendar
}

// registerCompute adds the compute endpoints (riskeval, stability and
// appraisal) and GET /v1/presets to the /v1 group.
func (s *Server) registerCompute() {
	c, err := newCompute()
	if err != nil {
		// The presets are embedded and tested; a failure is a build defect.
		panic(fmt.Sprintf("rest: compute endpoints: %v", err))
	}
	c.calendar = ssra.StateCouncilCalendar()
	if r := s.deps.Resources; r != nil && r.Calendar.Name() != "" {
		c.calendar = r.Calendar
	}
	s.v1.POST("/riskeval/ahp", c.ahp)
	s.v1.POST("/riskeval/fuzzy", c.fuzzy)
	s.v1.POST("/riskeval/evaluate", c.evaluate)
	s.v1.POST("/riskeval/sensitivity", c.sensitivity)
	s.v1.POST("/riskeval/profiles/validate", c.validateProfile)
	s.v1.POST("/stability/deadlines", c.deadlines)
	s.v1.POST("/appraisal/score", c.score)
	s.v1.POST("/appraisal/rank", c.rank)
	s.v1.GET("/presets", c.presetList)
}

func newCompute() (*compute, error) {
	c := &compute{riskProfiles: map[string]riskeval.Profile{}}
	for _, name := range riskeval.PresetNames() {
		p, err := riskeval.Preset(name)
		if err != nil {
			return nil, fmt.Errorf("risk profile %s: %w", name, err)
		}
		c.riskProfiles[name] = p
	}
	var err error
	if c.schemes, c.policies, err = appraisalPresets(); err != nil {
		return nil, err
	}
	list, err := presetList(c)
	if err != nil {
		return nil, err
	}
	if c.presets, err = json.Marshal(list); err != nil {
		return nil, fmt.Errorf("preset list: %w", err)
	}
	return c, nil
}

// ahpRequest is the body of POST /v1/riskeval/ahp: riskeval.AHPInput with
// the matrix's presence checked. The method and RI table are the domain's
// closed sets, so an unknown name is refused by the decoder (json.*) as in
// every other body and riskeval.DecodeAHPInput, not by a second list here.
type ahpRequest struct {
	Matrix  riskeval.PairwiseMatrix `json:"matrix" validate:"required"`
	Method  riskeval.AHPMethod      `json:"method,omitzero"`
	RITable riskeval.RITable        `json:"ri_table,omitzero"`
}

// ahp answers POST /v1/riskeval/ahp with riskeval.AHP.
func (c *compute) ahp(ctx echo.Context) error {
	const op = "rest.ahp"
	var req ahpRequest
	if err := decodeRequest(ctx, op, &req); err != nil {
		return err
	}
	res, err := riskeval.AHP(riskeval.AHPInput(req))
	if err != nil {
		return err
	}
	return ctx.JSON(http.StatusOK, res)
}

// fuzzyRequest is the body of POST /v1/riskeval/fuzzy: riskeval.FuzzyInput
// with the presence of its three lists checked. Everything else is
// riskeval.Fuzzy's rule with its code (fuzzy.weights.empty,
// fuzzy.grade.blank, fuzzy.membership.out_of_range, …), and the operator is
// the domain's closed set, so that a rule has one code.
type fuzzyRequest struct {
	Weights     []decimal.Decimal      `json:"weights" validate:"required"`
	Membership  [][]decimal.Decimal    `json:"membership" validate:"required"`
	Grades      []string               `json:"grades" validate:"required"`
	GradeScores []decimal.Decimal      `json:"grade_scores,omitempty"`
	Operator    riskeval.FuzzyOperator `json:"operator,omitzero"`
}

// fuzzy answers POST /v1/riskeval/fuzzy with riskeval.Fuzzy.
func (c *compute) fuzzy(ctx echo.Context) error {
	const op = "rest.fuzzy"
	var req fuzzyRequest
	if err := decodeRequest(ctx, op, &req); err != nil {
		return err
	}
	res, err := riskeval.Fuzzy(riskeval.FuzzyInput(req))
	if err != nil {
		return err
	}
	return ctx.JSON(http.StatusOK, res)
}

// evaluateRequest is the body of POST /v1/riskeval/evaluate: an assessment
// (its fields at the top level, normalise_weights included) and the profile,
// either a preset name or a profile object. Embedding keeps unknown fields
// refused by the strict decoder.
type evaluateRequest struct {
	riskeval.Assessment
	Profile json.RawMessage `json:"profile,omitempty"`
}

// evaluate answers POST /v1/riskeval/evaluate with riskeval.Evaluate.
func (c *compute) evaluate(ctx echo.Context) error {
	body, err := requestBody(ctx)
	if err != nil {
		return err
	}
	var req evaluateRequest
	fresh := zeroTarget(&req)
	if err := decodeBytes(body, &req); err != nil {
		return err
	}
	if err := requireMembers(ctx, body, fresh); err != nil {
		return err
	}
	p, err := c.riskProfile(req.Profile)
	if err != nil {
		return err
	}
	res, err := riskeval.Evaluate(req.Assessment, p)
	if err != nil {
		return err
	}
	b, err := encodeResult(res)
	if err != nil {
		return ssra.Wrap(ssra.KindInternal, "rest.evaluate", err, "the result cannot be encoded")
	}
	return ctx.JSONBlob(http.StatusOK, b)
}

// sensitivityRequest is the body of POST /v1/riskeval/sensitivity: an
// evaluate request and, optionally, the Monte Carlo seed and sample count.
type sensitivityRequest struct {
	evaluateRequest
	Seed    uint64 `json:"seed,omitempty"`
	Samples int    `json:"samples,omitempty" validate:"omitempty,min=100,max=100000"`
}

// sensitivityResponse is riskeval.SensitivityResult with the plain margin
// sentence in both languages.
type sensitivityResponse struct {
	riskeval.SensitivityResult
	MarginSentence ssra.Label `json:"margin_sentence"`
}

// sensitivity answers POST /v1/riskeval/sensitivity with
// riskeval.SensitivityWith.
func (c *compute) sensitivity(ctx echo.Context) error {
	const op = "rest.sensitivity"
	var req sensitivityRequest
	if err := decodeComplete(ctx, op, &req); err != nil {
		return err
	}
	p, err := c.riskProfile(req.Profile)
	if err != nil {
		return err
	}
	res, err := riskeval.SensitivityWith(req.Assessment, p, riskeval.SensitivityOptions{Seed: req.Seed, Samples: req.Samples})
	if err != nil {
		return err
	}
	return ctx.JSON(http.StatusOK, newSensitivityResponse(res))
}

func newSensitivityResponse(res riskeval.SensitivityResult) sensitivityResponse {
	return sensitivityResponse{SensitivityResult: res,
		MarginSentence: ssra.L(riskeval.MarginSentence(res, ssra.LangZH), riskeval.MarginSentence(res, ssra.LangEN))}
}

// writeJSON answers 200 with v's own JSON encoding. Calling MarshalJSON
// directly spares encoding/json's second pass over the output (it
// re-validates and compacts what a Marshaler returns), which for a
// 30-factor evaluation is about a fifth of the request's time.
func writeJSON(ctx echo.Context, v json.Marshaler) error {
	b, err := v.MarshalJSON()
	if err != nil {
		return ssra.Wrap(ssra.KindInternal, "rest.writeJSON", err, "the result cannot be encoded")
	}
	return ctx.JSONBlob(http.StatusOK, b)
}

// riskProfile resolves the "profile" member of an evaluate request: absent
// or null is the default preset, a string names a preset, an object is a
// profile of the caller's own, decoded strictly and compiled. Problems of an
// inline profile are reported under "profile.".
func (c *compute) riskProfile(raw json.RawMessage) (riskeval.Profile, error) {
	return presetOrObject(raw, presetChoice[riskeval.Profile]{
		op: "rest.evaluate", field: "profile", noun: "risk profile", code: "request.riskeval_preset",
		presets: c.riskProfiles, names: riskeval.PresetNames(),
		absent: func() (riskeval.Profile, error) { return c.riskProfiles[defaultRiskProfile], nil },
		build: func(raw json.RawMessage) (riskeval.Profile, error) {
			var def riskeval.ProfileDef
			if err := decodeRaw(raw, &def); err != nil {
				return riskeval.Profile{}, prefixCondition(err, "profile")
			}
			p, err := riskeval.NewProfile(def)
			if err != nil {
				return riskeval.Profile{}, prefixProblems(err, "profile")
			}
			return p, nil
		},
	})
}

// presetChoice describes a request member that is a shipped preset's name
// or an object of the caller's own.
type presetChoice[T any] struct {
	op, field string
	// noun names the member in messages ("risk profile"); code is the
	// problem code of an unknown name.
	noun, code string
	presets    map[string]T
	names      []string
	// absent answers a member that is missing or null; build decodes and
	// checks an object.
	absent func() (T, error)
	build  func(raw json.RawMessage) (T, error)
}

// presetOrObject resolves raw by ch: absent or null, a preset name, or an
// object; anything else is a wrong_type problem at the member.
func presetOrObject[T any](raw json.RawMessage, ch presetChoice[T]) (T, error) {
	var zero T
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ch.absent()
	}
	switch raw[0] {
	case '"':
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return zero, badJSON("json.invalid_value", ch.field, ch.field+" is not a valid string")
		}
		p, ok := ch.presets[name]
		if !ok {
			var ps ssra.Problems
			ps.Add(ch.code, ch.field, "no shipped %s %q; use one of %v or send a %s object", ch.noun, name, ch.names, ch.field)
			return zero, ps.Err(ch.op)
		}
		return p, nil
	case '{':
		return ch.build(raw)
	}
	return zero, badJSON("json.wrong_type", ch.field, fmt.Sprintf("%s must be a preset name (a string) or a %s (an object)", ch.field, ch.field))
}

// prefixProblems returns err with the field paths of its problems nested
// under prefix, when it is an *ssra.Error.
func prefixProblems(err error, prefix string) error {
	var se *ssra.Error
	if !errors.As(err, &se) {
		return err
	}
	out := *se
	out.Problems = se.Problems.Prefix(prefix)
	if len(out.Problems) == 0 && out.Kind == ssra.KindInvalid {
		out.Problems = ssra.Problems{{Code: "profile.invalid", Field: prefix, Message: se.Error()}}
	}
	return &out
}

// profileValidation is the body of a POST /v1/riskeval/profiles/validate
// answer: whether the profile can be used, and every problem, errors and
// warnings, with its field path.
type profileValidation struct {
	Valid    bool          `json:"valid"`
	Name     string        `json:"name"`
	Version  string        `json:"version"`
	Problems ssra.Problems `json:"problems"`
}

// validateProfile answers POST /v1/riskeval/profiles/validate: the body is a
// risk profile; the answer lists all its problems (ProfileDef.Validate,
// matrix monotonicity included) rather than refusing it, since listing them
// is the point of the call.
func (c *compute) validateProfile(ctx echo.Context) error {
	var p riskeval.ProfileDef
	if err := decodeBody(ctx, &p); err != nil {
		return err
	}
	ps := p.Validate()
	if ps == nil {
		ps = ssra.Problems{}
	}
	return ctx.JSON(http.StatusOK, profileValidation{Valid: !ps.HasErrors(), Name: p.Name, Version: p.Version, Problems: ps})
}

// deadlinesRequest is the body of POST /v1/stability/deadlines. Calendar
// is the name of a shipped calendar, a calendar object, or absent for the
// official one. The event is the domain's closed set: an unknown name is
// refused by the decoder, as in every other body.
type deadlinesRequest struct {
	Profile  string              `json:"profile" validate:"required,deadline_preset"`
	Event    stability.EventKind `json:"event" validate:"required"`
	Date     ssra.Date           `json:"date" validate:"required"`
	Calendar json.RawMessage     `json:"calendar,omitempty"`
}

// deadlinesResponse is the body of a POST /v1/stability/deadlines answer.
type deadlinesResponse struct {
	Deadlines []stability.Deadline `json:"deadlines"`
}

// deadlines answers POST /v1/stability/deadlines with
// stability.ComputeDeadlines.
func (c *compute) deadlines(ctx echo.Context) error {
	const op = "rest.deadlines"
	var req deadlinesRequest
	if err := decodeRequest(ctx, op, &req); err != nil {
		return err
	}
	cal, err := c.deadlineCalendar(req.Calendar)
	if err != nil {
		return err
	}
	ds, err := stability.ComputeDeadlines(stability.DeadlineRequest{Profile: req.Profile, Event: req.Event, Date: req.Date, Calendar: cal})
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []stability.Deadline{}
	}
	return ctx.JSON(http.StatusOK, deadlinesResponse{Deadlines: ds})
}

// shippedCalendars are the calendars a request may name.
var shippedCalendars = map[string]ssra.Calendar{
	ssra.CalendarStateCouncil: ssra.StateCouncilCalendar(),
	ssra.CalendarWeekendsOnly: ssra.WeekendsOnly(),
}

// deadlineCalendar resolves the "calendar" member of a deadlines request:
// absent or null is the server's calendar (by default the official
// ssra.StateCouncilCalendar), a string names a shipped calendar (weekends
// only must be chosen so), an object is a calendar of the caller's own.
func (c *compute) deadlineCalendar(raw json.RawMessage) (ssra.Calendar, error) {
	return presetOrObject(raw, presetChoice[ssra.Calendar]{
		op: "rest.deadlines", field: "calendar", noun: "calendar", code: "request.calendar_unknown",
		presets: shippedCalendars, names: ssra.CalendarNames(),
		absent: func() (ssra.Calendar, error) { return c.calendar, nil },
		build: func(raw json.RawMessage) (ssra.Calendar, error) {
			var cal ssra.Calendar
			if err := decodeRaw(raw, &cal); err != nil {
				return ssra.Calendar{}, prefixCondition(err, "calendar")
			}
			return cal, nil
		},
	})
}
