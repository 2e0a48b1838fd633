package appraisal_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ssra-go/ssra/appraisal"
)

// FuzzDecodeScheme: decoding any bytes never panics, and a scheme that loads
// encodes to JSON that loads again to the same definition.
func FuzzDecodeScheme(f *testing.F) {
	for _, name := range appraisal.PresetNames() {
		b, _ := appraisal.PresetJSON(name)
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"name":"x","version":"1","tag":"law","mode":"points","budget":"1e9999","bands":[],"sections":[]}`))
	f.Add([]byte(`{"name":"x","version":"1","tag":"law","mode":"weights","budget":"100","bands":[{"id":"a","min":"0"}],"sections":[{"id":"s","weight":"1","items":[{"id":"i","weight":"1","rule":{"kind":"direct"}}]}]}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`{"name":"x"} trailing`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := appraisal.DecodeScheme(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		s2, err := appraisal.DecodeScheme(b)
		if err != nil {
			t.Fatalf("reload: %v\n%s", err, b)
		}
		b2, _ := json.Marshal(s2)
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
		// Scoring an empty subject never panics.
		_, _ = appraisal.Score(s, appraisal.Subject{ID: "x"})
	})
}

// FuzzDecodeSubject: any subject JSON decodes or fails cleanly, and scoring
// what decodes never panics.
func FuzzDecodeSubject(f *testing.F) {
	s, err := appraisal.Preset(appraisal.PresetGenericUnit100)
	if err != nil {
		f.Fatal(err)
	}
	w, err := appraisal.Preset(appraisal.PresetWenzhou2017)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"id":"u","size":"500","inputs":[{"item":"organisation","value":"9.5"},{"item":"major_incidents","events":[{"repeat":true}]}]}`))
	f.Add([]byte(`{"id":"u","inputs":[{"item":"accident_deaths","events":[{"magnitude":"4","special_period":true}]},{"item":"sense_of_security","value":88}]}`))
	f.Add([]byte(`{"id":"u","inputs":[{"item":"major_incident_veto","veto":{"decided_by":"county","date":"2024-02-29","reason":"x","persons":[{"person":"p","role":"principal_head"}]}}]}`))
	f.Add([]byte(`{"id":"u","inputs":[{"item":"organisation","value":"1e-30"}]}`))
	f.Add([]byte(`{"id":"u","inputs":[{"item":"organisation","value":"99999999999999999999999"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		subj, err := appraisal.DecodeSubject(data)
		if err != nil {
			return
		}
		for _, sc := range []*appraisal.Scheme{s, w} {
			r, err := appraisal.Score(sc, subj)
			if err == nil {
				if _, err := json.Marshal(r); err != nil {
					t.Fatalf("marshal result: %v", err)
				}
			}
		}
	})
}

// FuzzDecodeStaffPolicy: decoding any bytes never panics.
func FuzzDecodeStaffPolicy(f *testing.F) {
	for _, name := range appraisal.StaffPolicyNames() {
		p, _ := appraisal.StaffPolicyPreset(name)
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	f.Add([]byte(`{"quota":{"rules":"rules_2030"}}`))
	s, err := appraisal.Preset(appraisal.PresetAnnualCivilServant)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := appraisal.DecodeStaffPolicy(data)
		if err != nil {
			return
		}
		_ = appraisal.ValidateStaffPolicy(p, s)
	})
}
