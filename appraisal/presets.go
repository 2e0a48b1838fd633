package appraisal

import (
	"embed"
	"sort"
	"strings"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

//go:embed presets/*.json policies/*.json
var presetFS embed.FS

// Preset names.
const (
	// PresetWenzhou2017 is the Wenzhou 2017 平安建设 negative list
	// [practice, a municipal government source]: veto-level event −30;
	// accidents with 3–5 deaths −5 each and 6–9 deaths −10 each; homicide
	// cases with 3–4 deaths −5; repeat events and events in a major security
	// period double; the "three rates" (平安三率) capped at −5 together, sense
	// of security −0.25 per point below 96 and −0.5 per point below 90 in
	// addition, awareness and participation −0.25 per point below the
	// provincial average, fractions pro rata; fall in rank ≥ 5 places −1,
	// ≥ 10 places −2; rise ≥ 5 places +0.5.
	// Item ids: veto_level_event, accident_deaths, homicide_deaths,
	// sense_of_security, awareness, participation, rank_fall, rank_rise.
	PresetWenzhou2017 = "wenzhou_2017_negative_list"
	// PresetGenericUnit100 is a generic 100-point unit scheme [practice]
	// that measures handling quality (on-time handling, satisfaction with
	// the handling, agreements performed, public-order cases concluded
	// within the statutory limit), never the number of complaints nor of
	// recorded cases: version 1.0 deducted per ordinary public-order case,
	// which rewards leaving cases unrecorded; 1.1 scores the share
	// concluded on time instead.
	// Item ids: organisation, risk_assessment_coverage, agreements_performed,
	// screening_missed, late_reports, on_time_handling,
	// handling_satisfaction, sense_of_security, public_order_on_time,
	// major_incidents, major_incident_veto, commendations.
	PresetGenericUnit100 = "generic_unit_100"
	// PresetAnnualCivilServant is a weights-mode annual score [practice]:
	// routine appraisal 0.5, special-task 0.1, year-end 0.2 and the
	// stability-work indicator 0.2; bands 90/70/60 propose 优秀, 称职, 基本称职
	// and 不称职.
	// Item ids: routine, special_task, year_end, stability_work.
	PresetAnnualCivilServant = "annual_civil_servant"
)

// Staff policy preset names [practice: the quota figures are reported, not
// all official texts were seen].
const (
	// PolicyCivilServants2020: 2020 rules (20 %, 25 % with approval),
	// half-up, no-grade people in the base, tie-break stability work then
	// routine appraisal.
	PolicyCivilServants2020 = "civil_servants_2020"
	// PolicyCivilServants2007: 2007 rules (15 %, 20 % cap), otherwise as above.
	PolicyCivilServants2007 = "civil_servants_2007"
	// PolicyPublicInstitutions: public-institution grades with 15 % (20 % cap).
	PolicyPublicInstitutions = "public_institutions"
)

// PresetNames returns the names of the embedded scheme presets, sorted.
func PresetNames() []string {
	entries, err := presetFS.ReadDir("presets")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}

// PresetJSON returns the JSON of an embedded preset.
func PresetJSON(name string) ([]byte, error) {
	b, err := presetFS.ReadFile("presets/" + name + ".json")
	if err != nil {
		return nil, ssra.Errorf(ssra.KindNotFound, "appraisal.PresetJSON", "no preset %q", name)
	}
	return b, nil
}

// Preset loads, validates and compiles an embedded preset. Each call
// returns a new Scheme. Its Items method lists the item ids a subject's
// inputs name, with labels, what each measures and its rule kind; the
// constants above list the ids too.
func Preset(name string) (*Scheme, error) {
	b, err := PresetJSON(name)
	if err != nil {
		return nil, err
	}
	return loadShipped(name, b)
}

// loadShipped loads a shipped preset and holds it to the boundary
// (domain.md §2.1, §4): an item that counts complaints filed or escalated
// (CountsComplaints) is an error here, not the warning a caller's scheme
// gets, so no shipped scheme can score a unit that way.
func loadShipped(name string, b []byte) (*Scheme, error) {
	const op = "appraisal.Preset"
	s, err := DecodeScheme(b)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, op, err, "preset "+name+" is invalid")
	}
	var ps ssra.Problems
	for _, w := range s.Warnings() {
		if w.Code == "item.complaint_count" {
			ps.Add(w.Code, w.Field, "%s", w.Message)
		}
	}
	if err := ps.Err(op); err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, op, err, "preset "+name+" scores a unit by complaints filed or escalated")
	}
	return s, nil
}

// DecodeStaffPolicy decodes a staff policy from JSON strictly (unknown fields
// and trailing data are refused). Validate it against its scheme with
// ValidateStaffPolicy; Rank does so too.
func DecodeStaffPolicy(data []byte) (StaffPolicy, error) {
	var p StaffPolicy
	if err := strictjson.Decode(data, &p, "appraisal.DecodeStaffPolicy"); err != nil {
		return StaffPolicy{}, err
	}
	return p, nil
}

// StaffPolicyPreset returns an embedded staff policy.
func StaffPolicyPreset(name string) (StaffPolicy, error) {
	b, err := presetFS.ReadFile("policies/" + name + ".json")
	if err != nil {
		return StaffPolicy{}, ssra.Errorf(ssra.KindNotFound, "appraisal.StaffPolicyPreset", "no staff policy preset %q", name)
	}
	return DecodeStaffPolicy(b)
}

// StaffPolicyNames returns the names of the embedded staff policies, sorted.
func StaffPolicyNames() []string {
	entries, err := presetFS.ReadDir("policies")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}
