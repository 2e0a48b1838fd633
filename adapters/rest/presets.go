package rest

import (
	"fmt"
	"net/http"
	"sort"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

// presetInfo names one shipped preset: its name and version, whether its
// numbers are fixed by law or are common practice, and its title.
type presetInfo struct {
	Name    string     `json:"name"`
	Version string     `json:"version"`
	Tag     string     `json:"tag"`
	Title   ssra.Label `json:"title"`
}

// presetsResponse is the body of GET /v1/presets.
type presetsResponse struct {
	// RiskProfiles are the risk criteria of riskeval (风险评估标准).
	RiskProfiles []presetInfo `json:"risk_profiles"`
	// DeadlineProfiles are the deadline rules of stability (期限规则).
	DeadlineProfiles []presetInfo `json:"deadline_profiles"`
	// AppraisalSchemes are the appraisal schemes (考核方案).
	AppraisalSchemes []presetInfo `json:"appraisal_schemes"`
	// StaffPolicies are the annual appraisal policies with their excellent
	// quota (优秀等次比例).
	StaffPolicies []presetInfo `json:"staff_policies"`
}

// presetList lists the shipped presets, in name order.
func presetList(c *compute) (presetsResponse, error) {
	out := presetsResponse{RiskProfiles: []presetInfo{}, DeadlineProfiles: []presetInfo{}, AppraisalSchemes: []presetInfo{}, StaffPolicies: []presetInfo{}}
	for _, name := range riskeval.PresetNames() {
		p, ok := c.riskProfiles[name]
		if !ok {
			return out, fmt.Errorf("risk profile %s is not loaded", name)
		}
		out.RiskProfiles = append(out.RiskProfiles, presetInfo{Name: p.Name(), Version: p.Version(), Tag: p.Basis().String(), Title: p.Title()})
	}
	for _, name := range stability.PresetNames() {
		p, err := stability.Preset(name)
		if err != nil {
			return out, fmt.Errorf("deadline profile %s: %w", name, err)
		}
		out.DeadlineProfiles = append(out.DeadlineProfiles, presetInfo{Name: p.Name, Version: p.Version, Tag: p.Tag.String(), Title: p.Title})
	}
	for _, name := range appraisal.PresetNames() {
		sc, ok := c.schemes[name]
		if !ok {
			return out, fmt.Errorf("appraisal scheme %s is not loaded", name)
		}
		out.AppraisalSchemes = append(out.AppraisalSchemes, presetInfo{Name: sc.Name(), Version: sc.Version(), Tag: sc.Tag().String(), Title: sc.Def().Label})
	}
	for _, name := range appraisal.StaffPolicyNames() {
		p, ok := c.policies[name]
		if !ok {
			return out, fmt.Errorf("staff policy %s is not loaded", name)
		}
		out.StaffPolicies = append(out.StaffPolicies, presetInfo{Name: p.Name, Version: p.Version, Tag: p.Tag.String(), Title: p.Label})
	}
	return out, nil
}

// presetList answers GET /v1/presets with the list encoded at start.
func (c *compute) presetList(ctx echo.Context) error {
	if err := noQuery(ctx); err != nil {
		return err
	}
	return ctx.JSONBlob(http.StatusOK, c.presets)
}

// noQuery refuses query parameters on a route that takes none, so that a
// client's mistaken filter or page size is never silently ignored.
func noQuery(ctx echo.Context) error {
	q := ctx.QueryParams()
	if len(q) == 0 {
		return nil
	}
	var ps ssra.Problems
	for name := range q {
		ps.Add("query.unknown", name, "this route takes no query parameters")
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Field < ps[j].Field })
	return badRequest("this route takes no query parameters", ps)
}

// deadlineProfiles holds the embedded deadline profiles, each decoded once
// for the life of the process: every read of a stored case binds it to its
// profile, and decoding the profile's JSON each time cost as much as a
// sixth of a case write's CPU. The profiles are shared by every request
// and must never be modified: the stability package only reads a bound
// profile.
var deadlineProfiles = sync.OnceValues(func() (map[string]*stability.Profile, error) {
	out := map[string]*stability.Profile{}
	for _, name := range stability.PresetNames() {
		p, err := stability.Preset(name)
		if err != nil {
			return nil, fmt.Errorf("deadline profile %s: %w", name, err)
		}
		out[name] = p
	}
	return out, nil
})

// deadlineProfile returns the shared embedded deadline profile of that
// name (deadlineProfiles), or stability.Preset's error for a name that is
// none.
func deadlineProfile(name string) (*stability.Profile, error) {
	all, err := deadlineProfiles()
	if err != nil {
		return nil, err
	}
	if p, ok := all[name]; ok {
		return p, nil
	}
	return stability.Preset(name)
}
