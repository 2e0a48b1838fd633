package rest

import (
	"bytes"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// caseKind is what the complaint and dispute routes share: how a stored
// case decodes, how a caller sees it, and the loading of a case for a
// transition. T is stability.Complaint or stability.Dispute.
type caseKind[T any] struct {
	kind store.RecordKind // the stored kind
	op   string           // the operation named in errors, e.g. "rest.complaint"
	// createOp is the operation named in the errors of opening a case.
	createOp string
	// noun names the case to the caller in messages ("case", "dispute").
	noun string
	// defaultProfile is the deadline profile a case opens under when the
	// body names none; taking names what opening a case is ("registered",
	// "taken in").
	defaultProfile, taking string
	// decode reads a stored case and binds it to the deadline profile
	// that profileOf gives for the name it records.
	decode func(b []byte, profileOf func(string) (*stability.Profile, error), cal ssra.Calendar) (*T, error)
	// redact gives the case as the caller may see it (保密).
	redact func(p store.Identity, c *T) stability.Redacted[T]
}

var (
	complaintCases = caseKind[stability.Complaint]{kind: store.RecordComplaint, op: "rest.complaint", noun: "case",
		createOp: "rest.createComplaint", defaultProfile: "xinfang2022", taking: "registered",
		decode: stability.DecodeComplaintWith,
		redact: func(p store.Identity, c *stability.Complaint) stability.Redacted[stability.Complaint] {
			return c.Redact(complaintViewer(p, c))
		}}
	disputeCases = caseKind[stability.Dispute]{kind: store.RecordDispute, op: "rest.dispute", noun: "dispute",
		createOp: "rest.createDispute", defaultProfile: "mediation2010", taking: "taken in",
		decode: stability.DecodeDisputeWith,
		redact: func(p store.Identity, d *stability.Dispute) stability.Redacted[stability.Dispute] {
			return d.Redact(disputeViewer(p, d))
		}}
)

// decodeRecord decodes a stored case and binds it to its deadline profile
// and the server's calendar.
func (k caseKind[T]) decodeRecord(s *Server, rec store.Record) (*T, error) {
	unknown := false
	profileOf := func(name string) (*stability.Profile, error) {
		p, err := deadlineProfile(name)
		unknown = err != nil
		return p, err
	}
	c, err := k.decode(rec.Body, profileOf, s.res.Calendar)
	if unknown {
		return nil, ssra.Wrap(ssra.KindInternal, k.op, err, "stored "+k.kind.String()+" names an unknown profile")
	}
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, k.op, err, "stored "+k.kind.String()+" does not decode")
	}
	return c, nil
}

// view is the envelope of a case as the caller may see it.
func (k caseKind[T]) view(p store.Identity, rec store.Record, c *T) resource {
	env, _ := k.viewOf(p, rec, c)
	return env
}

// viewOf is view, and whether the view shows who filed the case (the
// handler's or the sender's, which redact nothing personal).
func (k caseKind[T]) viewOf(p store.Identity, rec store.Record, c *T) (resource, bool) {
	red := k.redact(p, c)
	env := envelope(rec, red.Case)
	env.View = red.View.String()
	env.Redacted = red.Removed
	if env.Redacted == nil {
		env.Redacted = []string{}
	}
	return env, red.View == stability.ViewHandler || red.View == stability.ViewSender
}

// auditReads records the reads of the cases shown in full (the caller's
// own writes are on the record already): a read that cannot be recorded
// is not answered.
func (k caseKind[T]) auditReads(s *Server, c echo.Context, p store.Identity, full []store.Record) error {
	if len(full) == 0 {
		return nil
	}
	return s.res.Store.AuditReads(c.Request().Context(), p.Actor(), k.kind.String()+".read", full)
}

// get answers GET /v1/{kind}s/:id; a read in full is audited.
func (k caseKind[T]) get(s *Server) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := caller(c)
		if err != nil {
			return err
		}
		rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), k.kind, c.Param("id"))
		if err != nil {
			return err
		}
		cs, err := k.decodeRecord(s, rec)
		if err != nil {
			return err
		}
		env, full := k.viewOf(p, rec, cs)
		if full {
			if err := k.auditReads(s, c, p, []store.Record{rec}); err != nil {
				return err
			}
		}
		return writeResource(c, http.StatusOK, rec, env)
	}
}

// list answers a listing of cases with the query q; the reads in full
// are audited, one event per case, in one transaction.
func (k caseKind[T]) list(s *Server, c echo.Context, q store.Query) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	page, err := s.res.Store.List(c.Request().Context(), p.Actor(), q)
	if err != nil {
		return err
	}
	out := listing{Items: make([]resource, 0, len(page.Records)), Next: page.Next}
	var full []store.Record
	for _, rec := range page.Records {
		cs, err := k.decodeRecord(s, rec)
		if err != nil {
			return err
		}
		env, whole := k.viewOf(p, rec, cs)
		if whole {
			full = append(full, rec)
		}
		out.Items = append(out.Items, env)
	}
	if err := k.auditReads(s, c, p, full); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// modify runs a transition on the case at the version in If-Match in one
// store call (store.Records.Modify): the case is read under its write lock
// and decoded, apply changes it, and the change is stored in the same
// transaction, with no read of the case before it (on PostgreSQL two
// round trips in all). The request body is read first, so that a slow
// client never holds the case's lock; apply may decode it but must not
// read the store (see lookupMemo). It returns the stored record and the changed case.
func (k caseKind[T]) modify(s *Server, c echo.Context, p store.Identity, version int64, action string,
	apply func(rec store.Record, cs *T) (store.Change, error)) (store.Record, *T, error) {
	if err := bufferBody(c); err != nil {
		return store.Record{}, nil, err
	}
	var cs *T
	out, err := s.res.Store.Modify(c.Request().Context(), p.Actor(), action, k.kind, c.Param("id"), version,
		func(rec store.Record) (store.Change, error) {
			var err error
			if cs, err = k.decodeRecord(s, rec); err != nil {
				return store.Change{}, err
			}
			return apply(rec, cs)
		})
	if err != nil {
		return store.Record{}, nil, err
	}
	return out, cs, nil
}

// prefetch runs a transition on the case as read before its write (at the
// version in If-Match, writable by the caller's organisation), outside any
// lock, with the request body as it will be read again by modify. It
// stores nothing.
func (k caseKind[T]) prefetch(s *Server, c echo.Context, p store.Identity, run func(cs *T) error) error {
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	defer func() { c.Request().Body = io.NopCloser(bytes.NewReader(body)) }()
	c.Request().Body = io.NopCloser(bytes.NewReader(body))
	rec, err := s.loadForWrite(c, p, k.kind, k.op, k.noun)
	if err != nil {
		return err
	}
	cs, err := k.decodeRecord(s, rec)
	if err != nil {
		return err
	}
	return run(cs)
}

// intake checks what the caller may not set when a case is opened and
// returns its deadline profile (the default when profile is empty): the
// case is opened by the caller's organisation, and the query code is the
// server's to issue.
func (k caseKind[T]) intake(p store.Identity, profile, organ, queryCode string) (*stability.Profile, error) {
	if profile == "" {
		profile = k.defaultProfile
	}
	var ps ssra.Problems
	prof, err := deadlineProfile(profile)
	if err != nil {
		ps.Add(k.kind.String()+".profile_unknown", "profile", "no deadline profile %q (have %v)", profile, stability.PresetNames())
	}
	if organ != "" && organ != p.OrgID {
		ps.Add(k.kind.String()+".organ_not_caller", "organ", "a %s is %s by the caller's organisation", k.kind, k.taking)
	}
	if queryCode != "" {
		ps.Add(k.kind.String()+".query_code_readonly", "query_code", "the query code is issued by the server")
	}
	if err := ps.Err(k.createOp); err != nil {
		return nil, err
	}
	return prof, nil
}

// referenceTaken words the conflict of a reference the caller's
// organisation chose and already uses, naming only that reference (chosen
// references are unique within an organisation; the storage's message
// names the stored, qualified column). Other errors pass unchanged.
func (k caseKind[T]) referenceTaken(err error, r stability.Record) error {
	if ssra.KindOf(err) != ssra.KindConflict {
		return err
	}
	return &ssra.Error{Kind: ssra.KindConflict, Op: k.createOp, Message: "reference in use",
		Problems: ssra.Problems{{Code: k.kind.String() + ".reference_taken", Field: "ref", Message: "your organisation already has a " + k.noun + " with reference " + r.Ref}}}
}

// created answers the opening of a case: 201 with its location, its
// version and the query code, shown only here.
func (k caseKind[T]) created(c echo.Context, p store.Identity, rec store.Record, cs *T, code string) error {
	h := c.Response().Header()
	h.Set(echo.HeaderLocation, "/v1/"+k.kind.String()+"s/"+rec.ID)
	h.Set("ETag", etag(rec.Version))
	h.Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, registration{resource: k.view(p, rec, cs), QueryCode: code})
}
