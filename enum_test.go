package ssra_test

import (
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/enumtest"
)

func TestClosedSets(t *testing.T) {
	t.Run("Role", func(t *testing.T) { enumtest.Check(t, ssra.Roles()) })
	t.Run("Tag", func(t *testing.T) { enumtest.Check(t, ssra.Tags()) })
	t.Run("TargetJudgement", func(t *testing.T) {
		enumtest.Check(t, []ssra.TargetJudgement{ssra.TargetUndecided, ssra.TargetMet, ssra.TargetMissed})
	})
}
