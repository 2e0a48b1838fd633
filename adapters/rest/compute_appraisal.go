package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// appraisalPresets loads the shipped appraisal schemes (immutable and safe
// for concurrent use once compiled) and staff policies.
func appraisalPresets() (map[string]*appraisal.Scheme, map[string]appraisal.StaffPolicy, error) {
	schemes := map[string]*appraisal.Scheme{}
	for _, name := range appraisal.PresetNames() {
		s, err := appraisal.Preset(name)
		if err != nil {
			return nil, nil, fmt.Errorf("appraisal scheme %s: %w", name, err)
		}
		schemes[name] = s
	}
	policies := map[string]appraisal.StaffPolicy{}
	for _, name := range appraisal.StaffPolicyNames() {
		p, err := appraisal.StaffPolicyPreset(name)
		if err != nil {
			return nil, nil, fmt.Errorf("staff policy %s: %w", name, err)
		}
		policies[name] = p
	}
	return schemes, policies, nil
}

// scoreRequest is the body of POST /v1/appraisal/score: a scheme, either
// inline or named by preset (exactly one), and the subject to score.
type scoreRequest struct {
	Scheme  json.RawMessage   `json:"scheme,omitempty"`
	Preset  string            `json:"preset,omitempty" validate:"omitempty,appraisal_preset"`
	Subject appraisal.Subject `json:"subject"`
}

// score answers POST /v1/appraisal/score with appraisal.Score: total,
// breakdown per item, grade, veto and the explanation.
func (c *compute) score(ctx echo.Context) error {
	const op = "rest.appraisal.score"
	var req scoreRequest
	if err := decodeComplete(ctx, op, &req); err != nil {
		return err
	}
	scheme, err := c.appraisalScheme(op, req.Scheme, req.Preset)
	if err != nil {
		return err
	}
	res, err := appraisal.Score(scheme, req.Subject)
	if err != nil {
		return prefixProblems(err, "subject")
	}
	return writeJSON(ctx, res)
}

// rankRequest is the body of POST /v1/appraisal/rank: a scheme (inline or
// preset), the staff policy with the excellent quota (a preset name or an
// object), the run and the people. The people are personnel data: the
// endpoint computes and keeps nothing.
type rankRequest struct {
	Scheme json.RawMessage    `json:"scheme,omitempty"`
	Preset string             `json:"preset,omitempty" validate:"omitempty,appraisal_preset"`
	Policy json.RawMessage    `json:"policy"`
	Run    appraisal.Run      `json:"run"`
	People []appraisal.Person `json:"people" validate:"required,min=1"`
}

// rank answers POST /v1/appraisal/rank with appraisal.Rank: each person's
// total, band, proposed and final grade under the quota, and why.
func (c *compute) rank(ctx echo.Context) error {
	const op = "rest.appraisal.rank"
	var req rankRequest
	if err := decodeComplete(ctx, op, &req); err != nil {
		return err
	}
	scheme, err := c.appraisalScheme(op, req.Scheme, req.Preset)
	if err != nil {
		return err
	}
	policy, err := c.staffPolicy(op, req.Policy)
	if err != nil {
		return err
	}
	rk, err := appraisal.Rank(scheme, policy, req.Run, req.People)
	if err != nil {
		return err
	}
	return ctx.JSON(http.StatusOK, rk)
}

// appraisalScheme resolves "scheme" (an inline definition, decoded strictly
// and compiled, problems under "scheme.") or "preset"; exactly one is given.
func (c *compute) appraisalScheme(op string, raw json.RawMessage, preset string) (*appraisal.Scheme, error) {
	raw = bytes.TrimSpace(raw)
	inline := len(raw) > 0 && string(raw) != "null"
	switch {
	case inline && preset != "":
		var ps ssra.Problems
		ps.Add("request.scheme_or_preset", "preset", "give either scheme or preset, not both")
		return nil, ps.Err(op)
	case preset != "":
		return c.schemes[preset], nil
	case !inline:
		var ps ssra.Problems
		ps.Add("request.scheme_or_preset", "scheme", "give a scheme object or a preset name (one of %v)", appraisal.PresetNames())
		return nil, ps.Err(op)
	}
	var def appraisal.SchemeDef
	if err := decodeRaw(raw, &def); err != nil {
		return nil, prefixCondition(err, "scheme")
	}
	s, err := appraisal.NewScheme(def)
	if err != nil {
		return nil, prefixProblems(err, "scheme")
	}
	return s, nil
}

// staffPolicy resolves "policy": a preset name or a policy object.
func (c *compute) staffPolicy(op string, raw json.RawMessage) (appraisal.StaffPolicy, error) {
	return presetOrObject(raw, presetChoice[appraisal.StaffPolicy]{
		op: op, field: "policy", noun: "staff policy", code: "request.appraisal_policy",
		presets: c.policies, names: appraisal.StaffPolicyNames(),
		absent: func() (appraisal.StaffPolicy, error) {
			var ps ssra.Problems
			ps.Add("request.required", "policy", "give a staff policy: a preset name (one of %v) or an object", appraisal.StaffPolicyNames())
			return appraisal.StaffPolicy{}, ps.Err(op)
		},
		build: func(raw json.RawMessage) (appraisal.StaffPolicy, error) {
			var p appraisal.StaffPolicy
			if err := decodeRaw(raw, &p); err != nil {
				return appraisal.StaffPolicy{}, prefixCondition(err, "policy")
			}
			return p, nil
		},
	})
}

// prefixCondition nests the field paths of a 400 condition under prefix.
func prefixCondition(err error, prefix string) error {
	var cond *transportCondition
	if !errors.As(err, &cond) {
		return err
	}
	out := *cond
	out.Problems = cond.Problems.Prefix(prefix)
	return &out
}
