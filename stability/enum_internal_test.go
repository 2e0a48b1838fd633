package stability

import (
	"testing"

	"github.com/ssra-go/ssra/internal/enumtest"
)

// TestEnums: every closed set of the package round-trips its members
// through text, refuses zero and unknown text, and labels each member in
// Chinese and English.
func TestEnums(t *testing.T) {
	t.Run("DayUnit", func(t *testing.T) { enumtest.Check(t, dayUnits.Members()) })
	t.Run("Obligation", func(t *testing.T) { enumtest.Check(t, obligations.Members()) })
	t.Run("EventKind", func(t *testing.T) { enumtest.Check(t, eventKinds.Members()) })
	t.Run("Status", func(t *testing.T) { enumtest.Check(t, statuses.Members()) })
	t.Run("DisputeStatus", func(t *testing.T) { enumtest.Check(t, disputeStatuses.Members()) })
	t.Run("Channel", func(t *testing.T) { enumtest.Check(t, channels.Members()) })
	t.Run("MatterType", func(t *testing.T) { enumtest.Check(t, matterTypes.Members()) })
	t.Run("DiversionTarget", func(t *testing.T) { enumtest.Check(t, diversionTargets.Members()) })
	t.Run("RouteMode", func(t *testing.T) { enumtest.Check(t, routeModes.Members()) })
	t.Run("Outcome", func(t *testing.T) { enumtest.Check(t, outcomes.Members()) })
	t.Run("CaseRole", func(t *testing.T) { enumtest.Check(t, caseRoles.Members()) })
	t.Run("ViewerRole", func(t *testing.T) { enumtest.Check(t, viewerRoles.Members()) })
	t.Run("DeadlineStatus", func(t *testing.T) { enumtest.Check(t, deadlineStatuses.Members()) })
	t.Run("MediationChannel", func(t *testing.T) { enumtest.Check(t, mediationChannels.Members()) })
	t.Run("MediationMode", func(t *testing.T) { enumtest.Check(t, mediationModes.Members()) })
	t.Run("AgreementForm", func(t *testing.T) { enumtest.Check(t, agreementForms.Members()) })
	t.Run("Rating", func(t *testing.T) { enumtest.Check(t, ratings.Members()) })
	t.Run("Comparator", func(t *testing.T) { enumtest.Check(t, comparators.Members()) })
	t.Run("MeasureUnit", func(t *testing.T) { enumtest.Check(t, measureUnits.Members()) })
	t.Run("Verdict", func(t *testing.T) { enumtest.Check(t, verdicts.Members()) })
	t.Run("CaseKind", func(t *testing.T) { enumtest.Check(t, caseKinds.Members()) })
	t.Run("RepeatState", func(t *testing.T) { enumtest.Check(t, repeatStates.Members()) })
	t.Run("Relation", func(t *testing.T) { enumtest.Check(t, relations.Members()) })
	t.Run("IndicatorKind", func(t *testing.T) { enumtest.Check(t, indicatorKinds.Members()) })
	t.Run("EntryState", func(t *testing.T) { enumtest.Check(t, entryStates.Members()) })
	t.Run("Cycle", func(t *testing.T) { enumtest.Check(t, cycles.Members()) })
	t.Run("SlotState", func(t *testing.T) { enumtest.Check(t, slotStates.Members()) })
}
