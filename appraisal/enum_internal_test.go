package appraisal

import (
	"testing"

	"github.com/ssra-go/ssra/internal/enumtest"
)

// TestEnums: every closed set of the package round-trips its members
// through text, refuses zero and unknown text, and labels each member in
// Chinese and English.
func TestEnums(t *testing.T) {
	t.Run("Mode", func(t *testing.T) { enumtest.Check(t, modes.Members()) })
	t.Run("RuleKind", func(t *testing.T) { enumtest.Check(t, ruleKinds.Members()) })
	t.Run("Direction", func(t *testing.T) { enumtest.Check(t, directions.Members()) })
	t.Run("Curve", func(t *testing.T) { enumtest.Check(t, curves.Members()) })
	t.Run("Basis", func(t *testing.T) { enumtest.Check(t, bases.Members()) })
	t.Run("AdminLevel", func(t *testing.T) { enumtest.Check(t, adminLevels.Members()) })
	t.Run("Responsibility", func(t *testing.T) { enumtest.Check(t, responsibilities.Members()) })
	t.Run("ConsequenceKind", func(t *testing.T) { enumtest.Check(t, consequenceKinds.Members()) })
	t.Run("GradeSet", func(t *testing.T) { enumtest.Check(t, gradeSets.Members()) })
	t.Run("StaffGrade", func(t *testing.T) { enumtest.Check(t, staffGrades.Members()) })
	t.Run("QuotaRules", func(t *testing.T) { enumtest.Check(t, quotaRuleSet.Members()) })
	t.Run("SmallUnits", func(t *testing.T) { enumtest.Check(t, smallUnitsSet.Members()) })
	t.Run("Rounding", func(t *testing.T) { enumtest.Check(t, roundings.Members()) })
	t.Run("NoGradeBase", func(t *testing.T) { enumtest.Check(t, noGradeBases.Members()) })
	t.Run("Sanction", func(t *testing.T) { enumtest.Check(t, sanctions.Members()) })
	t.Run("Reason", func(t *testing.T) { enumtest.Check(t, reasons.Members()) })
	t.Run("EmptyPolicy", func(t *testing.T) { enumtest.Check(t, emptyPolicies.Members()) })
	t.Run("TypedPolicy", func(t *testing.T) { enumtest.Check(t, typedPolicies.Members()) })
}
