package stability_test

import (
	"encoding"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// TestZeroMeansUnset: the zero value of every closed set is no member: it
// does not encode, the empty name does not decode to it, and a missing
// rating is refused rather than counted as satisfied.
func TestZeroMeansUnset(t *testing.T) {
	type enum interface {
		encoding.TextMarshaler
		String() string
	}
	zeros := map[string]enum{
		"Tag": ssra.Tag(0), "DayUnit": stability.DayUnit(0), "Obligation": stability.Obligation(0), "EventKind": stability.EventKind(0),
		"Status": stability.Status(0), "DisputeStatus": stability.DisputeStatus(0), "Channel": stability.Channel(0),
		"MatterType": stability.MatterType(0), "DiversionTarget": stability.DiversionTarget(0), "RouteMode": stability.RouteMode(0),
		"Outcome": stability.Outcome(0), "CaseRole": stability.CaseRole(0), "ViewerRole": stability.ViewerRole(0),
		"DeadlineStatus": stability.DeadlineStatus(0), "MediationChannel": stability.MediationChannel(0),
		"MediationMode": stability.MediationMode(0), "AgreementForm": stability.AgreementForm(0), "Rating": stability.Rating(0),
		"Comparator": stability.Comparator(0), "MeasureUnit": stability.MeasureUnit(0), "Verdict": stability.Verdict(0),
	}
	for name, z := range zeros {
		if b, err := z.MarshalText(); err == nil {
			t.Errorf("%s zero value encodes as %q", name, b)
		}
		if !strings.Contains(z.String(), "unset") {
			t.Errorf("%s zero value prints %q", name, z.String())
		}
	}
	var r stability.Rating
	if err := r.UnmarshalText(nil); err == nil {
		t.Error("an empty rating decodes")
	}
	if err := r.UnmarshalText([]byte("satisfied")); err != nil || r != stability.RatingSatisfied {
		t.Errorf("satisfied decodes to %v, %v", r, err)
	}
	c := answered(t, preset(t, "xinfang2022"), "2026-03-20")
	var v stability.Viewer
	if got := c.Redact(v).View; got != stability.ViewSubject {
		t.Errorf("a viewer without a role sees view %s", got)
	}
	c2, qc := newCase(t, preset(t, "xinfang2022"), "2026-03-02")
	mustDo(t, c2.Accept(at("2026-03-03"), clerk))
	mustDo(t, c2.Answer(at("2026-03-04"), clerk, opinion))
	wantErr(t, c2.Rate(at("2026-03-05"), qc, stability.Rating(0)), ssra.KindInvalid, "complaint.rating_invalid")
	if len(c2.Ratings) != 0 {
		t.Fatalf("a missing rating was recorded: %+v", c2.Ratings)
	}
}
