package riskeval

import (
	"testing"

	"github.com/ssra-go/ssra"

	"github.com/ssra-go/ssra/internal/enumtest"
)

// TestEnums: every closed set of the package round-trips its members
// through text, refuses zero and unknown text, and labels each member in
// Chinese and English.
func TestEnums(t *testing.T) {
	t.Run("Level", func(t *testing.T) { enumtest.Check(t, levels.Members()) })
	t.Run("Degree", func(t *testing.T) { enumtest.Check(t, degrees.Members()) })
	t.Run("Outcome", func(t *testing.T) { enumtest.Check(t, outcomes.Members()) })
	t.Run("Stage", func(t *testing.T) { enumtest.Check(t, stages.Members()) })
	t.Run("Area", func(t *testing.T) { enumtest.Check(t, areas.Members()) })
	t.Run("Criterion", func(t *testing.T) { enumtest.Check(t, criteria.Members()) })
	t.Run("SubjectKind", func(t *testing.T) { enumtest.Check(t, subjectKinds.Members()) })
	t.Run("ConsultationMethod", func(t *testing.T) { enumtest.Check(t, consultationMethods.Members()) })
	t.Run("Basis", func(t *testing.T) { enumtest.Check(t, bases.Members()) })
	t.Run("LevelRule", func(t *testing.T) { enumtest.Check(t, levelRules.Members()) })
	t.Run("MeasureState", func(t *testing.T) { enumtest.Check(t, measureStates.Members()) })
	t.Run("Aggregation", func(t *testing.T) { enumtest.Check(t, aggregations.Members()) })
	t.Run("MoveKind", func(t *testing.T) { enumtest.Check(t, moveKinds.Members()) })
	t.Run("DistributionMethod", func(t *testing.T) { enumtest.Check(t, distributionMethods.Members()) })
	t.Run("AHPMethod", func(t *testing.T) { enumtest.Check(t, ahpMethods.Members()) })
	t.Run("RITable", func(t *testing.T) { enumtest.Check(t, riTables.Members()) })
	t.Run("EntropyDirection", func(t *testing.T) { enumtest.Check(t, entropyDirections.Members()) })
	t.Run("FuzzyOperator", func(t *testing.T) { enumtest.Check(t, fuzzyOperators.Members()) })
}

// TestAnswerNone: the zero Answer is a state, unanswered, whose wire form is
// the empty string, unlike the zero value of the other sets.
func TestAnswerNone(t *testing.T) {
	if b, err := AnswerNone.MarshalText(); err != nil || len(b) != 0 {
		t.Fatalf("AnswerNone encodes as %q, %v; want the empty string", b, err)
	}
	a := AnswerYes
	if err := a.UnmarshalText(nil); err != nil || a != AnswerNone {
		t.Fatalf("empty text decodes to %v, %v; want AnswerNone", a, err)
	}
	if err := a.UnmarshalText([]byte("maybe")); err == nil {
		t.Fatal("unknown text decodes")
	}
	for _, m := range answers.Members() {
		var back Answer
		if b, err := m.MarshalText(); err != nil || back.UnmarshalText(b) != nil || back != m {
			t.Errorf("%v does not round-trip: %q, %v", m, b, err)
		}
		if m.Label(ssra.LangZH) == "" || m.Label(ssra.LangEN) == "" {
			t.Errorf("%v has no label", m)
		}
	}
	if got, want := AnswerNone.Label(ssra.LangZH), "未回答"; got != want {
		t.Errorf("AnswerNone label %q, want %q", got, want)
	}
}
