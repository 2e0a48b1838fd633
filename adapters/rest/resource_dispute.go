package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

const kindDispute = "dispute"

// disputeInput is the body of a dispute intake (矛盾纠纷受理): the intake and
// the deadline profile (default "mediation2010"). The mediating body is the
// caller's organisation.
type disputeInput struct {
	stability.MediationIntake
	Profile string `json:"profile"`
}

func (s *Server) registerDisputes() {
	g := s.v1
	cw := RequireRole(ssra.RoleCaseworker)
	g.POST("/disputes", s.createDispute, cw)
	g.GET("/disputes", s.listDisputes)
	g.GET("/disputes/overdue", s.dueDisputes)
	g.GET("/disputes/:id", s.getDispute)
	g.POST("/disputes/:id/:action", s.disputeTransition, cw)
}

// disputeViewer is the caller's relation to a dispute: caseworkers of the
// mediating organisation see the parties; everyone else sees none of them
// (parties have a complainant's confidentiality).
func disputeViewer(p Principal, d *stability.Dispute) stability.Viewer {
	if p.Has(ssra.RoleCaseworker) && p.OrgID == d.Organ {
		return stability.Viewer{Role: stability.ViewHandler, Unit: p.OrgID}
	}
	return stability.Viewer{Role: stability.ViewStaff, Unit: p.OrgID}
}

func disputeView(p Principal, rec Record, d *stability.Dispute) resource {
	red := d.Redact(disputeViewer(p, d))
	env := envelope(rec, red.Case)
	env.View = red.View.String()
	env.Redacted = red.Removed
	if env.Redacted == nil {
		env.Redacted = []string{}
	}
	return env
}

func disputeFields(d *stability.Dispute) Fields {
	return Fields{Status: d.Status.String(), Reference: d.Ref, DueOn: d.NextDue(), Body: d}
}

func (s *Server) decodeDispute(rec Record) (*stability.Dispute, error) {
	var head struct {
		Profile string `json:"profile"`
	}
	if err := unmarshalStored(rec, &head); err != nil {
		return nil, err
	}
	prof, err := stability.Preset(head.Profile)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, "rest.dispute", err, "stored dispute names an unknown profile")
	}
	d, err := stability.DecodeDispute(rec.Body, prof, s.res.Calendar)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, "rest.dispute", err, "stored dispute does not decode")
	}
	return d, nil
}

func (s *Server) createDispute(c echo.Context) error {
	p, err := Caller(c)
	if err != nil {
		return err
	}
	var in disputeInput
	if err := DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.Profile == "" {
		in.Profile = "mediation2010"
	}
	var ps ssra.Problems
	prof, perr := stability.Preset(in.Profile)
	if perr != nil {
		ps.Add("dispute.profile_unknown", "profile", "no deadline profile %q (have %v)", in.Profile, stability.PresetNames())
	}
	if in.Organ != "" && in.Organ != p.OrgID {
		ps.Add("dispute.organ_not_caller", "organ", "a dispute is taken in by the caller's organisation")
	}
	if in.QueryCode != "" {
		ps.Add("dispute.query_code_readonly", "query_code", "the query code is issued by the server")
	}
	if err := ps.Err("rest.createDispute"); err != nil {
		return err
	}
	in.Organ = p.OrgID
	d, code, err := stability.NewDispute(in.MediationIntake, prof, s.res.Calendar, s.res.Random, s.res.Now(), caseActor(p))
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Create(c.Request().Context(), actorOf(p), "dispute.intake", kindDispute, disputeFields(d))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderLocation, "/v1/disputes/"+rec.ID)
	h.Set("ETag", etag(rec.Version))
	h.Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, registration{resource: disputeView(p, rec, d), QueryCode: code})
}

func (s *Server) getDispute(c echo.Context) error {
	p, err := Caller(c)
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Get(c.Request().Context(), actorOf(p), kindDispute, c.Param("id"))
	if err != nil {
		return err
	}
	d, err := s.decodeDispute(rec)
	if err != nil {
		return err
	}
	return writeResource(c, http.StatusOK, rec, disputeView(p, rec, d))
}

func (s *Server) listDisputes(c echo.Context) error {
	q, err := listQuery(c, kindDispute)
	if err != nil {
		return err
	}
	return s.listDisputeCases(c, q)
}

// dueDisputes lists the organisation's disputes whose next deadline has
// passed, earliest first.
func (s *Server) dueDisputes(c echo.Context) error {
	q, err := listQuery(c, kindDispute)
	if err != nil {
		return err
	}
	q.Scope, q.ByDue, q.DueBefore = "owned", true, ssra.DateOf(s.res.Now())
	return s.listDisputeCases(c, q)
}

func (s *Server) listDisputeCases(c echo.Context, q Query) error {
	p, err := Caller(c)
	if err != nil {
		return err
	}
	page, err := s.res.Store.List(c.Request().Context(), actorOf(p), q)
	if err != nil {
		return err
	}
	out := listing{Items: make([]resource, 0, len(page.Records)), Next: page.Next}
	for _, rec := range page.Records {
		d, err := s.decodeDispute(rec)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, disputeView(p, rec, d))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
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

type disputeAction = func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error

// disputeActions are the mediation transitions, each a domain method.
var disputeActions = map[string]disputeAction{
	"start": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		return withNoBody(c, func() error { return d.Start(now, by) })
	},
	"start_performance": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		return withNoBody(c, func() error { return d.StartPerformance(now, by) })
	},
	"mark_performed": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		return withNoBody(c, func() error { return d.MarkPerformed(now, by) })
	},
	"confirm": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		return withNoBody(c, func() error { return d.Confirm(now, by) })
	},
	"decline": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in declineInput
		return withBody(c, &in, func() error { return d.Decline(now, by, in.Party, in.Reason) })
	},
	"assign": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in assignInput
		return withBody(c, &in, func() error {
			return d.Assign(now, by, stability.Actor{ID: in.UserID, Name: in.Name, Unit: by.Unit, Role: stability.RoleStaff}, in.Mode)
		})
	},
	"pause": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in stability.Pause
		return withBody(c, &in, func() error { return d.Pause(now, by, in) })
	},
	"end_by_party": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in endInput
		return withBody(c, &in, func() error { return d.EndByParty(now, by, in.Reason, in.Routes) })
	},
	"terminate": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in endInput
		return withBody(c, &in, func() error { return d.Terminate(now, by, in.Reason, in.Routes) })
	},
	"agree": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in stability.Agreement
		return withBody(c, &in, func() error { return d.Agree(now, by, in) })
	},
	"request_confirmation": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in confirmationInput
		return withBody(c, &in, func() error { return d.RequestConfirmation(now, by, in.Court, in.Joint) })
	},
	"extend_confirmation": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in reasonInput
		return withBody(c, &in, func() error { return d.ExtendConfirmation(now, by, in.Reason) })
	},
	"refuse_confirmation": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in groundsInput
		return withBody(c, &in, func() error { return d.RefuseConfirmation(now, by, in.Grounds) })
	},
	"report_escalation": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in escalateInput
		return withBody(c, &in, func() error { return d.ReportEscalation(now, by, in.To, in.Reason) })
	},
	"recuse": func(c echo.Context, d *stability.Dispute, by stability.Actor, now nowT) error {
		var in recuseInput
		return withBody(c, &in, func() error {
			return d.Recuse(now, by, stability.Actor{ID: in.UserID, Unit: by.Unit, Role: stability.RoleStaff}, in.Reason)
		})
	},
}

// disputeTransition runs one mediation transition on the dispute at the
// version in If-Match and stores it with its audit event; hand_over to
// another organisation also makes that organisation the owner, the sender
// keeping read access.
func (s *Server) disputeTransition(c echo.Context) error {
	p, err := Caller(c)
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
	rec, err := s.res.Store.Get(ctx, actorOf(p), kindDispute, c.Param("id"))
	if err != nil {
		return err
	}
	if rec.ReadOnly {
		return ssra.Errorf(ssra.KindForbidden, "rest.dispute", "this dispute was shared with your organisation read-only")
	}
	if rec.Version != version {
		return ssra.Errorf(ssra.KindPreconditionFailed, "rest.dispute", "the dispute is at version %d, not %d: read it again and reapply the change", rec.Version, version)
	}
	d, err := s.decodeDispute(rec)
	if err != nil {
		return err
	}
	now, by := s.res.Now(), caseActor(p)
	var out Record
	if action == "hand_over" {
		var in handOverInput
		if err := withBody(c, &in, func() error { return d.HandOver(now, by, in.To, in.Organ, in.Reason) }); err != nil {
			return err
		}
		if in.Organ != rec.OrgID {
			out, err = s.res.Store.Route(ctx, actorOf(p), "dispute.hand_over", kindDispute, rec.ID, rec.Version, in.Organ, disputeFields(d))
		} else {
			out, err = s.res.Store.Update(ctx, actorOf(p), "dispute.hand_over", kindDispute, rec.ID, rec.Version, disputeFields(d))
		}
	} else {
		if err := fn(c, d, by, now); err != nil {
			return err
		}
		out, err = s.res.Store.Update(ctx, actorOf(p), "dispute."+action, kindDispute, rec.ID, rec.Version, disputeFields(d))
	}
	if err != nil {
		return err
	}
	return writeResource(c, http.StatusOK, out, disputeView(p, out, d))
}
