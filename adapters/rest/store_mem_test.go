package rest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/internal/canonical"
	"github.com/ssra-go/ssra/stability"
)

// memStore is an in-memory rest.Store with the storage contract's scoping:
// another organisation's record is not found, a shared record is read-only,
// a stale version fails, routing moves ownership and leaves the sender a
// read-only share. It records audit actions so tests can check them.
type memStore struct {
	mu      sync.Mutex
	seq     int
	orgs    map[string]bool
	recs    map[string]*rest.Record
	shares  map[string]map[string]bool
	parents map[string]string
	actions []string
	// reads are the audited reads of records in full.
	reads []auditedRead
	now   func() time.Time
	log   memLog
	// failLink, when set, is asked before the second write of
	// CreateLinked and fails it with the error it returns.
	failLink func(rest.Link) error
}

// auditedRead is one read the memory store audited.
type auditedRead struct {
	by         ssra.Actor
	action, id string
	version    int64
}

func newMemStore(now func() time.Time, orgs ...string) *memStore {
	m := &memStore{orgs: map[string]bool{}, recs: map[string]*rest.Record{}, shares: map[string]map[string]bool{}, parents: map[string]string{}, now: now}
	for _, o := range orgs {
		m.orgs[o] = true
	}
	return m
}

func (m *memStore) visible(by ssra.Actor, r *rest.Record) bool {
	return r.OrgID == by.OrgID || m.shares[r.ID][by.OrgID]
}

func (m *memStore) view(by ssra.Actor, r *rest.Record) rest.Record {
	out := *r
	out.Body = append(json.RawMessage(nil), r.Body...)
	out.ReadOnly = by.OrgID != "" && r.OrgID != by.OrgID
	return out
}

func (m *memStore) get(by ssra.Actor, kind, id string) (*rest.Record, error) {
	r, ok := m.recs[id]
	if !ok || r.Kind != kind || !m.visible(by, r) {
		return nil, ssra.Errorf(ssra.KindNotFound, "mem.Get", "no %s %q", kind, id)
	}
	return r, nil
}

func (m *memStore) forWrite(by ssra.Actor, kind, id string, version int64) (*rest.Record, error) {
	return m.forWriteShared(by, kind, id, version, false)
}

func (m *memStore) forWriteShared(by ssra.Actor, kind, id string, version int64, shared bool) (*rest.Record, error) {
	r, err := m.get(by, kind, id)
	if err != nil {
		return nil, err
	}
	if r.OrgID != by.OrgID && !shared {
		return nil, ssra.Errorf(ssra.KindForbidden, "mem.write", "read-only")
	}
	if r.Version != version {
		return nil, ssra.Errorf(ssra.KindPreconditionFailed, "mem.write", "stale")
	}
	return r, nil
}

func apply(r *rest.Record, f rest.Fields, at time.Time) error {
	b, err := canonical.JSON(f.Body)
	if err != nil {
		return err
	}
	r.Status, r.Reference, r.Name, r.DueOn, r.Body, r.Digest, r.UpdatedAt = f.Status, f.Reference, f.Name, f.DueOn, b, canonical.Digest(b), at
	return nil
}

func (m *memStore) Create(_ context.Context, by ssra.Actor, action, kind string, f rest.Fields, shareWith ...string) (rest.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range shareWith {
		if !m.orgs[o] {
			return rest.Record{}, ssra.Errorf(ssra.KindNotFound, "mem.Create", "no organisation %q", o)
		}
	}
	if f.Reference != "" {
		for _, r := range m.recs {
			if r.Kind == kind && r.Reference == f.Reference {
				return rest.Record{}, ssra.Errorf(ssra.KindConflict, "mem.Create", "duplicate reference")
			}
		}
	}
	m.seq++
	at := m.now().UTC()
	r := &rest.Record{ID: fmt.Sprintf("r%04d", m.seq), Kind: kind, OrgID: by.OrgID, Version: 1, CreatedBy: by.UserID, CreatedAt: at}
	if err := apply(r, f, at); err != nil {
		return rest.Record{}, err
	}
	m.recs[r.ID] = r
	m.shares[r.ID] = map[string]bool{}
	for _, o := range shareWith {
		m.shares[r.ID][o] = true
	}
	m.actions = append(m.actions, action)
	m.log.add(r.ID, r.Version, action)
	return m.view(by, r), nil
}

func (m *memStore) Get(_ context.Context, by ssra.Actor, kind, id string) (rest.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.get(by, kind, id)
	if err != nil {
		return rest.Record{}, err
	}
	return m.view(by, r), nil
}

// CreateLinked checks the linked record and builds both values before it
// stores either, so that a failure leaves the store as it was.
func (m *memStore) CreateLinked(_ context.Context, by ssra.Actor, action, kind string, f rest.Fields, link rest.Link) (rest.Record, rest.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failLink != nil {
		if err := m.failLink(link); err != nil {
			return rest.Record{}, rest.Record{}, err
		}
	}
	target, err := m.forWriteShared(by, link.Kind, link.ID, link.Version, true)
	if err != nil {
		return rest.Record{}, rest.Record{}, err
	}
	at := m.now().UTC()
	r := &rest.Record{ID: fmt.Sprintf("r%04d", m.seq+1), Kind: kind, OrgID: by.OrgID, Version: 1, CreatedBy: by.UserID, CreatedAt: at}
	if err := apply(r, f, at); err != nil {
		return rest.Record{}, rest.Record{}, err
	}
	lf, err := link.Fields(m.view(by, r))
	if err != nil {
		return rest.Record{}, rest.Record{}, err
	}
	linked := *target
	if err := apply(&linked, lf, at); err != nil {
		return rest.Record{}, rest.Record{}, err
	}
	linked.Version++
	m.seq++
	m.recs[r.ID], m.shares[r.ID] = r, map[string]bool{}
	*target = linked
	m.actions = append(m.actions, action, link.Action)
	m.log.add(r.ID, r.Version, action)
	m.log.add(target.ID, target.Version, link.Action)
	return m.view(by, r), m.view(by, target), nil
}

func (m *memStore) Update(_ context.Context, by ssra.Actor, action, kind, id string, version int64, f rest.Fields) (rest.Record, error) {
	return m.update(by, action, kind, id, version, f, false)
}

func (m *memStore) UpdateShared(_ context.Context, by ssra.Actor, action, kind, id string, version int64, f rest.Fields) (rest.Record, error) {
	return m.update(by, action, kind, id, version, f, true)
}

func (m *memStore) update(by ssra.Actor, action, kind, id string, version int64, f rest.Fields, shared bool) (rest.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.forWriteShared(by, kind, id, version, shared)
	if err != nil {
		return rest.Record{}, err
	}
	if err := apply(r, f, m.now().UTC()); err != nil {
		return rest.Record{}, err
	}
	r.Version++
	m.actions = append(m.actions, action)
	m.log.add(r.ID, r.Version, action)
	return m.view(by, r), nil
}

func (m *memStore) Route(_ context.Context, by ssra.Actor, action, kind, id string, version int64, toOrg string, f rest.Fields) (rest.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.forWrite(by, kind, id, version)
	if err != nil {
		return rest.Record{}, err
	}
	if !m.orgs[toOrg] {
		return rest.Record{}, ssra.Errorf(ssra.KindNotFound, "mem.Route", "no organisation %q", toOrg)
	}
	if toOrg == r.OrgID {
		return rest.Record{}, ssra.Errorf(ssra.KindInvalid, "mem.Route", "already there")
	}
	if err := apply(r, f, m.now().UTC()); err != nil {
		return rest.Record{}, err
	}
	m.shares[id][r.OrgID] = true
	delete(m.shares[id], toOrg)
	r.OrgID = toOrg
	r.Version++
	m.actions = append(m.actions, action)
	m.log.add(r.ID, r.Version, action)
	return m.view(by, r), nil
}

func (m *memStore) Share(_ context.Context, by ssra.Actor, kind, id, orgID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.get(by, kind, id)
	if err != nil {
		return err
	}
	if r.OrgID != by.OrgID {
		return ssra.Errorf(ssra.KindForbidden, "mem.Share", "only the owner shares")
	}
	if !m.orgs[orgID] {
		return ssra.Errorf(ssra.KindNotFound, "mem.Share", "no organisation %q", orgID)
	}
	if orgID != r.OrgID {
		m.shares[id][orgID] = true
		m.actions = append(m.actions, "record.share")
	}
	return nil
}

func (m *memStore) List(_ context.Context, by ssra.Actor, q rest.Query) (rest.Page, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var all []*rest.Record
	for _, r := range m.recs {
		if r.Kind != q.Kind || !m.visible(by, r) {
			continue
		}
		if q.Scope == "owned" && r.OrgID != by.OrgID || q.Scope == "shared" && r.OrgID == by.OrgID {
			continue
		}
		if len(q.Status) > 0 && !contains(q.Status, r.Status) || q.Name != "" && r.Name != q.Name {
			continue
		}
		if q.ByDue || !q.DueFrom.IsZero() || !q.DueBefore.IsZero() {
			if r.DueOn.IsZero() || !q.DueFrom.IsZero() && r.DueOn.Before(q.DueFrom) || !q.DueBefore.IsZero() && !r.DueOn.Before(q.DueBefore) {
				continue
			}
		}
		all = append(all, r)
	}
	key := func(r *rest.Record) string {
		if q.ByDue {
			return r.DueOn.String() + ":" + r.ID
		}
		return r.ID
	}
	sort.Slice(all, func(i, j int) bool { return key(all[i]) < key(all[j]) })
	if q.After != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.After)
		if err != nil {
			return rest.Page{}, ssra.Errorf(ssra.KindInvalid, "mem.List", "bad cursor")
		}
		n := sort.Search(len(all), func(i int) bool { return key(all[i]) > string(b) })
		all = all[n:]
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	var p rest.Page
	size := 0
	for i, r := range all {
		size += len(r.Body)
		if q.MaxBytes > 0 && size > q.MaxBytes && i > 0 && i < limit {
			limit = i
			break
		}
	}
	if len(all) > limit {
		all = all[:limit]
		p.Next = base64.RawURLEncoding.EncodeToString([]byte(key(all[limit-1])))
	}
	for _, r := range all {
		p.Records = append(p.Records, m.view(by, r))
	}
	return p, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (m *memStore) LookupReference(_ context.Context, kind, reference string) (rest.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.recs {
		if r.Kind == kind && reference != "" && r.Reference == reference {
			return m.view(ssra.Actor{}, r), nil
		}
	}
	return rest.Record{}, ssra.Errorf(ssra.KindNotFound, "mem.LookupReference", "none")
}

func (m *memStore) AuditReads(_ context.Context, by ssra.Actor, action string, recs []rest.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range recs {
		m.reads = append(m.reads, auditedRead{by: by, action: action, id: r.ID, version: r.Version})
		m.log.addRead(r.ID, r.Version, action)
	}
	return nil
}

func (m *memStore) UpdatePublic(_ context.Context, action, kind, id string, version int64, f rest.Fields) (rest.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[id]
	if !ok || r.Kind != kind {
		return rest.Record{}, ssra.Errorf(ssra.KindNotFound, "mem.UpdatePublic", "none")
	}
	if r.Version != version {
		return rest.Record{}, ssra.Errorf(ssra.KindPreconditionFailed, "mem.UpdatePublic", "stale")
	}
	if err := apply(r, f, m.now().UTC()); err != nil {
		return rest.Record{}, err
	}
	r.Version++
	m.actions = append(m.actions, action)
	m.log.add(r.ID, r.Version, action)
	return m.view(ssra.Actor{}, r), nil
}

func (m *memStore) VerifyAudit(context.Context) (rest.AuditReport, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, zero := int64(len(m.recs)), int64(0)
	return rest.AuditReport{Scope: rest.AuditScopeServer, Leaves: int64(len(m.actions)), Root: "mem", Records: n,
		Pending: &zero, Checkpoints: &zero, Cosignatures: &zero, OK: true}, nil
}

// VerifyOrganisationAudit counts only the organisation's own records.
func (m *memStore) VerifyOrganisationAudit(_ context.Context, orgID string) (rest.AuditReport, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for _, r := range m.recs {
		if r.OrgID == orgID {
			n++
		}
	}
	return rest.AuditReport{Scope: rest.AuditScopeOrganisation, OrgID: orgID, Leaves: int64(len(m.actions)), Root: "mem", Records: n, OK: true}, nil
}

func (m *memStore) OrganisationName(_ context.Context, id string) (string, error) {
	if n, ok := orgNames[id]; ok && m.orgs[id] {
		return n, nil
	}
	return "", ssra.Errorf(ssra.KindNotFound, "mem.OrganisationName", "no organisation %q", id)
}

// CaseStats computes the indicator facts from the stored case bodies, as
// the domain does, under the storage's scoping: the reference the SQL
// store's sums are held to.
func (m *memStore) CaseStats(_ context.Context, by ssra.Actor, q rest.StatsQuery) (map[stability.GroupKey]stability.Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if q.Now.IsZero() {
		return nil, ssra.Errorf(ssra.KindInvalid, "mem.CaseStats", "the measuring time is missing")
	}
	var facts []stability.CaseFacts
	for _, r := range m.recs {
		if (r.Kind != "complaint" && r.Kind != "dispute") || (by.OrgID != "" && !m.visible(by, r)) {
			continue
		}
		var head struct {
			Profile string `json:"profile"`
		}
		if err := json.Unmarshal(r.Body, &head); err != nil {
			return nil, err
		}
		p, err := stability.Preset(head.Profile)
		if err != nil {
			return nil, err
		}
		var f stability.CaseFacts
		if r.Kind == "complaint" {
			c, err := stability.DecodeComplaint(r.Body, p, ssra.Calendar{})
			if err != nil {
				return nil, err
			}
			f = c.Facts()
		} else {
			d, err := stability.DecodeDispute(r.Body, p, ssra.Calendar{})
			if err != nil {
				return nil, err
			}
			f = d.Facts()
		}
		f.Organ = r.OrgID
		held := len(q.Filter.Organs) == 0 || slices.Contains(q.Filter.Organs, r.OrgID)
		for _, o := range q.Filter.Organs {
			held = held || (q.Shared && m.shares[r.ID][o])
		}
		if held {
			facts = append(facts, f)
		}
	}
	qf := q.Filter
	qf.Organs = nil
	return stability.TallyFacts(facts, qf, q.Grouping, q.Now), nil
}

// OrganisationUsers lists the users the fake authenticator knows of an
// organisation: one per role, and a second assessor, reviewer and
// caseworker (see keyOf).
func (m *memStore) OrganisationUsers(_ context.Context, id string) ([]stability.Member, error) {
	if _, ok := orgNames[id]; !ok || !m.orgs[id] {
		return nil, ssra.Errorf(ssra.KindNotFound, "mem.OrganisationUsers", "no organisation %q", id)
	}
	var out []stability.Member
	for _, r := range ssra.Roles() {
		out = append(out, stability.Member{ID: "u-" + id + "-" + r.String(), Name: r.String() + " (" + id + ")"})
		switch r {
		case ssra.RoleAssessor, ssra.RoleReviewer, ssra.RoleCaseworker:
			out = append(out, stability.Member{ID: "u-" + id + "-" + r.String() + "2", Name: r.String() + "2 (" + id + ")"})
		}
	}
	return out, nil
}

func (m *memStore) UserOrganisation(ctx context.Context, userID string) (string, error) {
	for id := range m.orgs {
		us, _ := m.OrganisationUsers(ctx, id)
		for _, u := range us {
			if u.ID == userID {
				return id, nil
			}
		}
	}
	return "", ssra.Errorf(ssra.KindNotFound, "mem.UserOrganisation", "no user %q", userID)
}

// setParent places organisation id below parent in the hierarchy ("" for
// a root), as the operator's command does; it refuses nothing, so tests
// must not build a cycle.
func (m *memStore) setParent(id, parent string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if parent == "" {
		delete(m.parents, id)
		return
	}
	m.parents[id] = parent
}

func (m *memStore) OrganisationsAbove(_ context.Context, id string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.orgs[id] {
		return nil, ssra.Errorf(ssra.KindNotFound, "mem.OrganisationsAbove", "no organisation %q", id)
	}
	var out []string
	for p := m.parents[id]; p != "" && !slices.Contains(out, p); p = m.parents[p] {
		out = append(out, p)
	}
	return out, nil
}

func (m *memStore) OrganisationsBelow(ctx context.Context, id string) ([]string, error) {
	if _, err := m.OrganisationsAbove(ctx, id); err != nil {
		return nil, err
	}
	var out []string
	for o := range m.orgs {
		above, _ := m.OrganisationsAbove(ctx, o)
		if slices.Contains(above, id) {
			out = append(out, o)
		}
	}
	sort.Strings(out)
	return out, nil
}

// MatterHoldings reads the matter key and repeat state of the complaints
// held by orgs, as the SQL store does.
func (m *memStore) MatterHoldings(_ context.Context, key string, orgs []string) ([]stability.Holding, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []stability.Holding
	for _, r := range m.recs {
		if r.Kind != "complaint" || key == "" || r.Name != key || !slices.Contains(orgs, r.OrgID) {
			continue
		}
		var c stability.Complaint
		if err := json.Unmarshal(r.Body, &c); err != nil {
			return nil, err
		}
		out = append(out, stability.Holding{MatterKey: key, Organ: r.OrgID, State: c.RepeatState()})
	}
	return out, nil
}
