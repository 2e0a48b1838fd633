package rest

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// complaintInput is the body of a registration (信访事项登记): the intake and
// the deadline profile (default "xinfang2022"). The registering organ is
// the caller's organisation.
type complaintInput struct {
	stability.Intake
	Profile string `json:"profile"`
}

func (s *Server) registerComplaints() {
	g := s.v1
	cw := requireRole(ssra.RoleCaseworker)
	g.POST("/complaints", s.createComplaint, cw)
	g.GET("/complaints", s.listComplaints)
	g.GET("/complaints/overdue", s.dueComplaints(false))
	g.GET("/complaints/due_soon", s.dueComplaints(true))
	g.GET("/complaints/:id", complaintCases.get(s))
	g.POST("/complaints/:id/:action", s.complaintTransition, cw)
}

// complaintViewer is the caller's relation to a case, which decides what
// Redact shows: caseworkers of the handling organisation see personal
// data; everyone else, the sending organisation included, sees the case
// without it. The domain lowers this further for a caller the matter is
// about (by identifier or by name, whatever their roles) and for one who
// stood aside.
func complaintViewer(p store.Identity, c *stability.Complaint) stability.Viewer {
	v := stability.Viewer{Role: stability.ViewStaff, Unit: p.OrgID, UnitName: p.OrgName, User: p.UserID, Name: p.UserName}
	if p.Has(ssra.RoleCaseworker) && p.OrgID == c.Organ {
		v.Role = stability.ViewHandler
	}
	return v
}

// caseActor is the caller as the casework sees them: the organisation's
// administrator acts as its head (负责人), who approves extensions.
func caseActor(p store.Identity) stability.Participant {
	role := stability.RoleStaff
	if p.Has(ssra.RoleAdmin) {
		role = stability.RoleHead
	}
	return stability.Participant{ID: p.UserID, Name: p.UserName, Unit: p.OrgID, Role: role}
}

// storedReference is the reference column of a case, unique within its
// kind: a reference the package drew as it is (random, and never holding
// ":"), one an organisation chose qualified by that organisation
// ("org_id:ref"), so that chosen references are unique within the
// organisation only, and another organisation can neither learn that one
// exists nor take it first. The status check takes a chosen reference in
// the qualified form.
func storedReference(r stability.Record) string {
	if r.RefOrg == "" {
		return r.Ref
	}
	return r.RefOrg + ":" + r.Ref
}

// complaintFields are a case's stored columns. Name holds the matter key
// (a digest of the facts and request), by which the repeat-filing guard
// finds the same matter whoever filed it.
func complaintFields(c *stability.Complaint) store.Fields {
	return store.Fields{Status: c.Status.String(), Reference: storedReference(c.Record), Name: c.MatterKey, DueOn: c.NextDue(), Body: c}
}

// checkRepeat is the repeat-filing guard. It compares the matter with the
// cases the organisation holds or was shared with the same matter key
// (stability.CheckRepeat, whose refusal names the case the caller may
// see), then asks the organisations above and below the caller's in the
// hierarchy whether they hold the same matter key (stability.
// CheckRepeatHierarchy): a matter being handled is not accepted again
// elsewhere in the line, nor one re-reviewed. The second question reads
// only the holding organisation and the case's repeat state, so its
// refusal names the superior or subordinate organ and nothing of its
// case. The store answers both questions at once (store.Cases.
// MatterCases: on PostgreSQL one round trip), the second, line and
// cases, in one query.
func (s *Server) checkRepeat(c echo.Context, by ssra.Actor, m stability.Matter) error {
	ctx := c.Request().Context()
	key := m.Key()
	own, held, err := s.res.Store.MatterCases(ctx, by, key, 500)
	if err != nil {
		return err
	}
	existing := make([]*stability.Complaint, 0, len(own))
	for _, rec := range own {
		cs, err := complaintCases.decodeRecord(s, rec)
		if err != nil {
			return err
		}
		existing = append(existing, cs)
	}
	if err := stability.CheckRepeat(m, existing); err != nil {
		return err
	}
	return stability.CheckRepeatHierarchy(m, held)
}

// registration is the answer to a registration: the case and the query
// code for the complainant, shown only here.
type registration struct {
	resource
	QueryCode string `json:"query_code"`
}

func (s *Server) createComplaint(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in complaintInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	prof, err := complaintCases.intake(p, in.Profile, in.Organ, in.QueryCode)
	if err != nil {
		return err
	}
	in.Organ = p.OrgID
	if err := s.checkSubject(c, in.Matter); err != nil {
		return err
	}
	if err := s.checkRepeat(c, p.Actor(), in.Matter); err != nil {
		return err
	}
	cs, code, err := stability.NewComplaint(in.Intake, prof, s.res.Calendar, s.res.Random, s.res.Now(), caseActor(p))
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Create(c.Request().Context(), p.Actor(), "complaint.register", store.RecordComplaint, complaintFields(cs))
	if err != nil {
		return complaintCases.referenceTaken(err, cs.Record)
	}
	return complaintCases.created(c, p, rec, cs, code)
}

func (s *Server) listComplaints(c echo.Context) error {
	q, err := s.listQuery(c, store.RecordComplaint)
	if err != nil {
		return err
	}
	return complaintCases.list(s, c, q)
}

// dueComplaints lists the handling organisation's cases whose next
// deadline has passed (overdue) or falls within ?days= days (due soon,
// default 7), earliest first.
func (s *Server) dueComplaints(soon bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		q, err := s.listQuery(c, store.RecordComplaint)
		if err != nil {
			return err
		}
		q.Scope, q.Order = store.ScopeOwned, store.OrderDue
		today := ssra.DateOf(s.res.Now())
		if !soon {
			q.DueBefore = today
			return complaintCases.list(s, c, q)
		}
		days := 7
		if v := c.QueryParam("days"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 366 {
				return badRequest("invalid query parameters", ssra.Problems{{Code: "query.days", Field: "days", Message: "must be an integer from 0 to 366"}})
			}
			days = n
		}
		q.DueFrom, q.DueBefore = today, today.AddDays(days+1)
		return complaintCases.list(s, c, q)
	}
}

// destination looks up the organisation a case is routed to in the
// directory: its name and its users, and those of every organisation above
// it in the hierarchy, which the domain's confidentiality guard compares
// with a report's subject (stability.Matter.CheckRoute).
func (s *Server) destination(c echo.Context, to string) (stability.Destination, error) {
	if to == "" {
		return stability.Destination{}, nil
	}
	ctx := c.Request().Context()
	o, err := s.organ(ctx, to)
	if err != nil {
		return stability.Destination{}, err
	}
	d := stability.Destination{Organ: to, Name: o.Name, Users: o.Users}
	above, err := s.res.Store.OrganisationsAbove(ctx, to)
	if err != nil {
		return stability.Destination{}, err
	}
	for _, id := range above {
		a, err := s.organ(ctx, id)
		if err != nil {
			return stability.Destination{}, err
		}
		d.Above = append(d.Above, a)
	}
	return d, nil
}

// organ is an organisation as the directory lists it: name and users.
func (s *Server) organ(ctx context.Context, id string) (stability.Organ, error) {
	name, err := s.res.Store.OrganisationName(ctx, id)
	if err != nil {
		return stability.Organ{}, err
	}
	users, err := s.res.Store.OrganisationUsers(ctx, id)
	if err != nil {
		return stability.Organ{}, err
	}
	return stability.Organ{ID: id, Name: name, Users: users}, nil
}

// checkSubject refuses an intake whose subject identifiers name no user or
// organisation of the system: an identifier that names nobody would make
// the confidentiality guards compare against nothing.
func (s *Server) checkSubject(c echo.Context, m stability.Matter) error {
	ctx := c.Request().Context()
	var ps ssra.Problems
	if m.SubjectUser != "" {
		if _, err := s.res.Store.UserOrganisation(ctx, m.SubjectUser); ssra.KindOf(err) == ssra.KindNotFound {
			ps.Add("complaint.subject_user_unknown", "matter.subject_user", "no user of the system has this identifier")
		} else if err != nil {
			return err
		}
	}
	if m.SubjectOrg != "" {
		if _, err := s.res.Store.OrganisationName(ctx, m.SubjectOrg); ssra.KindOf(err) == ssra.KindNotFound {
			ps.Add("complaint.subject_org_unknown", "matter.subject_org", "no organisation of the system has this identifier")
		} else if err != nil {
			return err
		}
	}
	return ps.Err("rest.createComplaint")
}

// Bodies of the casework transitions.
type (
	routeInput struct {
		To   string              `json:"to"`
		Mode stability.RouteMode `json:"mode"`
	}
	contentInput struct {
		Content string `json:"content"`
	}
	organInput struct {
		Organ string `json:"organ"`
	}
	divertInput struct {
		Target stability.DiversionTarget `json:"target"`
		Note   string                    `json:"note"`
	}
	extendInput struct {
		Days   int    `json:"days"`
		Reason string `json:"reason"`
	}
	escalateInput struct {
		To     string `json:"to"`
		Reason string `json:"reason"`
	}
	officerInput struct {
		UserID string `json:"user_id"`
		Name   string `json:"name"`
	}
	recuseInput struct {
		UserID string `json:"user_id"`
		Reason string `json:"reason"`
	}
)

// complaintActions are the casework transitions, each a domain method.
var complaintActions = map[string]func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error{
	"accept": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		return withNoBody(c, func() error { return cs.Accept(now, by) })
	},
	"investigate": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		return withNoBody(c, func() error { return cs.Investigate(now, by) })
	},
	"request_review": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		return withNoBody(c, func() error { return cs.RequestReview(now, by) })
	},
	"request_rereview": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		return withNoBody(c, func() error { return cs.RequestRereview(now, by) })
	},
	"object": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in reasonInput
		return withBody(c, &in, func() error { return cs.ObjectToTransfer(now, by, in.Reason) })
	},
	"notify": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in contentInput
		return withBody(c, &in, func() error { return cs.Notify(now, by, in.Content) })
	},
	"refer": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in organInput
		return withBody(c, &in, func() error { return cs.Refer(now, by, in.Organ) })
	},
	"divert": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in divertInput
		return withBody(c, &in, func() error { return cs.Divert(now, by, in.Target, in.Note) })
	},
	"extend": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in extendInput
		return withBody(c, &in, func() error { return cs.Extend(now, by, in.Days, in.Reason) })
	},
	"pause": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in stability.Pause
		return withBody(c, &in, func() error { return cs.Pause(now, by, in) })
	},
	"answer": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in stability.Opinion
		return withBody(c, &in, func() error { return cs.Answer(now, by, in) })
	},
	"decide_review": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in stability.Opinion
		return withBody(c, &in, func() error { return cs.DecideReview(now, by, in) })
	},
	"decide_rereview": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in stability.Opinion
		return withBody(c, &in, func() error { return cs.DecideRereview(now, by, in) })
	},
	"close": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in reasonInput
		return withBody(c, &in, func() error { return cs.Close(now, by, in.Reason) })
	},
	"supervise": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in reasonInput
		return withBody(c, &in, func() error { return cs.Supervise(now, by, in.Reason) })
	},
	"escalate": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in escalateInput
		return withBody(c, &in, func() error { return cs.Escalate(now, by, in.To, in.Reason) })
	},
	"assign_officer": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in officerInput
		return withBody(c, &in, func() error {
			return cs.AssignOfficer(now, by, stability.Participant{ID: in.UserID, Name: in.Name, Unit: by.Unit, Role: stability.RoleStaff})
		})
	},
	"recuse": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in recuseInput
		return withBody(c, &in, func() error {
			return cs.Recuse(now, by, stability.Participant{ID: in.UserID, Unit: by.Unit, Role: stability.RoleStaff}, in.Reason)
		})
	},
	"end_recusal": func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in recuseInput
		return withBody(c, &in, func() error {
			return cs.EndRecusal(now, by, stability.Participant{ID: in.UserID, Unit: by.Unit, Role: stability.RoleStaff}, in.Reason)
		})
	},
}

// withNoBody refuses a body (noBody) and then runs fn.
func withNoBody(c echo.Context, fn func() error) error {
	if err := noBody(c); err != nil {
		return err
	}
	return fn()
}

// withBody decodes the body into v and then runs fn.
func withBody(c echo.Context, v any, fn func() error) error {
	if err := decodeJSON(c, v); err != nil {
		return err
	}
	return fn()
}

// complaintTransition runs one casework transition on the case at the
// version in If-Match and stores it with its audit event, in one store
// call; route also hands the case to the receiving organisation, which
// becomes its owner. The destination of a route, and the identities a
// responsibility transition names (responsibilityLookups), are looked up
// before, outside the case's lock.
func (s *Server) complaintTransition(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	action := c.Param("action")
	fn, ok := complaintActions[action]
	if !ok && action != "route" {
		return echo.ErrNotFound
	}
	version, err := matchVersion(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	now, by := s.res.Now(), caseActor(p)
	var apply func(rec store.Record, cs *stability.Complaint) (store.Change, error)
	if action == "route" {
		var in routeInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		dest, err := s.destination(c, in.To)
		if err != nil {
			return err
		}
		apply = func(_ store.Record, cs *stability.Complaint) (store.Change, error) {
			if err := cs.Route(now, by, dest, in.Mode); err != nil {
				return store.Change{}, err
			}
			return store.Change{Fields: complaintFields(cs), To: in.To}, nil
		}
	} else {
		run := func(cs *stability.Complaint, dir directoryLookups) error {
			if err := fn(c, cs, by, now); err != nil {
				return err
			}
			return s.checkResponsibility(ctx, dir, action, &cs.Record, cs.Marks)
		}
		dir, err := responsibilityLookups(s, c, p, complaintCases, action, run)
		if err != nil {
			return err
		}
		apply = func(rec store.Record, cs *stability.Complaint) (store.Change, error) {
			if err := run(cs, dir); err != nil {
				return store.Change{}, err
			}
			ch := store.Change{Fields: complaintFields(cs)}
			if cs.Organ != rec.OrgID {
				// An objection to a transfer hands the case back to the
				// sending organisation: ownership moves with it, in the
				// same audited change as the case.
				ch.To = cs.Organ
			}
			return ch, nil
		}
	}
	out, cs, err := complaintCases.modify(s, c, p, version, "complaint."+action, apply)
	if err != nil {
		return err
	}
	return writeResource(c, http.StatusOK, out, complaintCases.view(p, out, cs))
}

// nowT is the time a transition happens at.
type nowT = time.Time
