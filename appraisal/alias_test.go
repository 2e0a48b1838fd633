package appraisal_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// TestResultKeepsItsInputs changes every part of a subject's inputs after
// scoring (the slice's elements, the decimals its pointers reach, events
// and a veto's bound persons) and wants the result unchanged, on the
// scheme with rules of every kind and on a scheme whose items are all direct.
func TestResultKeepsItsInputs(t *testing.T) {
	direct, err := appraisal.DecodeScheme([]byte(`{"name":"d","version":"1","tag":"practice","mode":"points","budget":"100",
		"bands":[{"id":"pass","min":"0"}],
		"sections":[{"id":"s","items":[{"id":"a","points":"60","rule":{"kind":"direct"}},{"id":"b","points":"40","rule":{"kind":"direct"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	wenzhou, err := appraisal.Preset(appraisal.PresetWenzhou2017)
	if err != nil {
		t.Fatal(err)
	}
	generic, err := appraisal.Preset(appraisal.PresetGenericUnit100)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		scheme  *appraisal.Scheme
		subject func() appraisal.Subject
	}{
		{"direct items", direct, func() appraisal.Subject {
			return appraisal.Subject{ID: "u", Inputs: []appraisal.Input{{Item: "a", Value: decp("50")}, {Item: "b", Value: decp("30")}}}
		}},
		{"general path", wenzhou, func() appraisal.Subject {
			return appraisal.Subject{ID: "county-a", Size: decp("120"), Inputs: []appraisal.Input{
				{Item: "sense_of_security", Value: decp("88")},
				{Item: "awareness", Value: decp("80"), Reference: decp("80")},
				{Item: "participation", Value: decp("70"), Reference: decp("80")},
				{Item: "rank_fall", Value: decp("2")},
				{Item: "rank_rise", Value: decp("0")},
			}}
		}},
		{"events", wenzhou, func() appraisal.Subject {
			return appraisal.Subject{ID: "county-b", Inputs: wenzhouInputs(
				appraisal.Input{Item: "accident_deaths", Events: []appraisal.Event{{Ref: "a1", Magnitude: decp("6")}, {Ref: "a2", Magnitude: decp("3"), Repeat: true}}},
				appraisal.Input{Item: "veto_level_event", Events: []appraisal.Event{{Ref: "v1", SpecialPeriod: true}}},
			)}
		}},
		{"veto", generic, func() appraisal.Subject {
			s := genericSubject("u1", "10", "95")
			s.Inputs = append(s.Inputs, appraisal.Input{Item: "major_incident_veto", Veto: &appraisal.VetoDecision{DecidedBy: appraisal.LevelCounty,
				Date: ssra.MustDate(2017, 8, 31), Reason: "major incident",
				Persons: []appraisal.BoundPerson{{Person: "p1", Role: appraisal.PrincipalHead}, {Person: "p2", Role: appraisal.DirectlyResponsible}}}})
			return s
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subj := tc.subject()
			res, err := appraisal.Score(tc.scheme, subj)
			if err != nil {
				t.Fatal(err)
			}
			before, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			for i := range subj.Inputs {
				in := &subj.Inputs[i]
				if in.Value != nil {
					*in.Value = decimal.NewFromInt(1)
				}
				if in.Reference != nil {
					*in.Reference = decimal.NewFromInt(99)
				}
				for j := range in.Events {
					e := &in.Events[j]
					if e.Magnitude != nil {
						*e.Magnitude = decimal.NewFromInt(1000)
					}
					e.Ref, e.Repeat, e.SpecialPeriod = "changed", !e.Repeat, !e.SpecialPeriod
				}
				if v := in.Veto; v != nil {
					v.Reason, v.DecidedBy, v.Date = "changed", appraisal.LevelProvince, ssra.MustDate(2020, 1, 1)
					for j := range v.Persons {
						v.Persons[j].Person = "changed"
					}
				}
				in.Item = "changed"
			}
			if subj.Size != nil {
				*subj.Size = decimal.NewFromInt(1)
			}
			subj.Inputs = append(subj.Inputs[:0], appraisal.Input{Item: "x"})
			after, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Fatalf("the result changed with the caller's inputs:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}
