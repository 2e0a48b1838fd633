package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// disputeInput is the body of a dispute intake (矛盾纠纷受理): the intake and
// the deadline profile (default "mediation2010"). The mediating body is the
// caller's organisation.
type disputeInput struct {
	stability.MediationIntake
	Profile string `json:"profile"`
}

func (s *Server) registerDisputes() {
	g := s.v1
	cw := requireRole(ssra.RoleCaseworker)
	g.POST("/disputes", s.createDispute, cw)
	g.GET("/disputes", s.listDisputes)
	g.GET("/disputes/overdue", s.dueDisputes)
	g.GET("/disputes/:id", disputeCases.get(s))
	g.POST("/disputes/:id/:action", s.disputeTransition, cw)
}

// disputeViewer is the caller's relation to a dispute: caseworkers of the
// mediating organisation see the parties; everyone else sees none of them
// (parties have a complainant's confidentiality).
func disputeViewer(p store.Identity, d *stability.Dispute) stability.Viewer {
	if p.Has(ssra.RoleCaseworker) && p.OrgID == d.Organ {
		return stability.Viewer{Role: stability.ViewHandler, Unit: p.OrgID}
	}
	return stability.Viewer{Role: stability.ViewStaff, Unit: p.OrgID}
}

func disputeFields(d *stability.Dispute) store.Fields {
	return store.Fields{Status: d.Status.String(), Reference: storedReference(d.Record), DueOn: d.NextDue(), Body: d}
}

func (s *Server) createDispute(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in disputeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	prof, err := disputeCases.intake(p, in.Profile, in.Organ, in.QueryCode)
	if err != nil {
		return err
	}
	in.Organ = p.OrgID
	d, code, err := stability.NewDispute(in.MediationIntake, prof, s.res.Calendar, s.res.Random, s.res.Now(), caseActor(p))
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Create(c.Request().Context(), p.Actor(), "dispute.intake", store.RecordDispute, disputeFields(d))
	if err != nil {
		return disputeCases.referenceTaken(err, d.Record)
	}
	return disputeCases.created(c, p, rec, d, code)
}

func (s *Server) listDisputes(c echo.Context) error {
	q, err := s.listQuery(c, store.RecordDispute)
	if err != nil {
		return err
	}
	return disputeCases.list(s, c, q)
}

// dueDisputes lists the organisation's disputes whose next deadline has
// passed, earliest first.
func (s *Server) dueDisputes(c echo.Context) error {
	q, err := s.listQuery(c, store.RecordDispute)
	if err != nil {
		return err
	}
	q.Scope, q.Order, q.DueBefore = store.ScopeOwned, store.OrderDue, ssra.DateOf(s.res.Now())
	return disputeCases.list(s, c, q)
}

// Bodies of the mediation transitions.
type (
	declineInput struct {
		Party  int    `json:"party"`
		Reason string `json:"reason"`
	}
	assignInput struct {
		UserID string                  `json:"user_id"`
		Name   string                  `json:"name"`
		Mode   stability.MediationMode `json:"mode"`
	}
	endInput struct {
		Reason string   `json:"reason"`
		Routes []string `json:"routes"`
	}
	confirmationInput struct {
		Court string `json:"court"`
		Joint bool   `json:"joint"`
	}
	groundsInput struct {
		Grounds string `json:"grounds"`
	}
	handOverInput struct {
		To     stability.MediationChannel `json:"to"`
		Organ  string                     `json:"organ"`
		Reason string                     `json:"reason"`
	}
)

type disputeAction = func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error

// disputeActions are the mediation transitions, each a domain method.
var disputeActions = map[string]disputeAction{
	"start": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		return withNoBody(c, func() error { return d.Start(now, by) })
	},
	"start_performance": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		return withNoBody(c, func() error { return d.StartPerformance(now, by) })
	},
	"mark_performed": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		return withNoBody(c, func() error { return d.MarkPerformed(now, by) })
	},
	"confirm": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		return withNoBody(c, func() error { return d.Confirm(now, by) })
	},
	"decline": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in declineInput
		return withBody(c, &in, func() error { return d.Decline(now, by, in.Party, in.Reason) })
	},
	"assign": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in assignInput
		return withBody(c, &in, func() error {
			return d.Assign(now, by, stability.Participant{ID: in.UserID, Name: in.Name, Unit: by.Unit, Role: stability.RoleStaff}, in.Mode)
		})
	},
	"pause": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in stability.Pause
		return withBody(c, &in, func() error { return d.Pause(now, by, in) })
	},
	"end_by_party": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in endInput
		return withBody(c, &in, func() error { return d.EndByParty(now, by, in.Reason, in.Routes) })
	},
	"terminate": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in endInput
		return withBody(c, &in, func() error { return d.Terminate(now, by, in.Reason, in.Routes) })
	},
	"agree": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in stability.Agreement
		return withBody(c, &in, func() error { return d.Agree(now, by, in) })
	},
	"request_confirmation": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in confirmationInput
		return withBody(c, &in, func() error { return d.RequestConfirmation(now, by, in.Court, in.Joint) })
	},
	"extend_confirmation": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in reasonInput
		return withBody(c, &in, func() error { return d.ExtendConfirmation(now, by, in.Reason) })
	},
	"refuse_confirmation": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in groundsInput
		return withBody(c, &in, func() error { return d.RefuseConfirmation(now, by, in.Grounds) })
	},
	"report_escalation": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in escalateInput
		return withBody(c, &in, func() error { return d.ReportEscalation(now, by, in.To, in.Reason) })
	},
	"recuse": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in recuseInput
		return withBody(c, &in, func() error {
			return d.Recuse(now, by, stability.Participant{ID: in.UserID, Unit: by.Unit, Role: stability.RoleStaff}, in.Reason)
		})
	},
	"end_recusal": func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in recuseInput
		return withBody(c, &in, func() error {
			return d.EndRecusal(now, by, stability.Participant{ID: in.UserID, Unit: by.Unit, Role: stability.RoleStaff}, in.Reason)
		})
	},
}

// disputeTransition runs one mediation transition on the dispute at the
// version in If-Match and stores it with its audit event, in one store
// call; hand_over to another organisation also makes that organisation
// the owner, the sender keeping read access.
func (s *Server) disputeTransition(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	action := c.Param("action")
	fn, ok := disputeActions[action]
	if !ok && action != "hand_over" {
		return echo.ErrNotFound
	}
	version, err := matchVersion(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	now, by := s.res.Now(), caseActor(p)
	run := func(d *stability.Dispute, dir directoryLookups) error {
		if err := fn(c, d, by, now); err != nil {
			return err
		}
		return s.checkResponsibility(ctx, dir, action, &d.Record, nil)
	}
	var dir *lookupMemo
	if action != "hand_over" {
		if dir, err = responsibilityLookups(s, c, p, disputeCases, action, run); err != nil {
			return err
		}
	}
	out, d, err := disputeCases.modify(s, c, p, version, "dispute."+action, func(rec store.Record, d *stability.Dispute) (store.Change, error) {
		if action == "hand_over" {
			var in handOverInput
			if err := withBody(c, &in, func() error { return d.HandOver(now, by, in.To, in.Organ, in.Reason) }); err != nil {
				return store.Change{}, err
			}
			ch := store.Change{Fields: disputeFields(d)}
			if in.Organ != rec.OrgID {
				ch.To = in.Organ
			}
			return ch, nil
		}
		if err := run(d, dir); err != nil {
			return store.Change{}, err
		}
		return store.Change{Fields: disputeFields(d)}, nil
	})
	if err != nil {
		return err
	}
	return writeResource(c, http.StatusOK, out, disputeCases.view(p, out, d))
}
