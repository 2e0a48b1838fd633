package rest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
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
	recs    map[string]*store.Record
	shares  map[string]map[string]bool
	parents map[string]string
	actions []string
	// reads are the audited reads of records in full.
	reads []auditedRead
	now   func() time.Time
	log   memLog
	// failLink, when set, is asked before the second write of
	// CreateLinked and fails it with the error it returns.
	failLink func(store.Link) error
}

// auditedRead is one read the memory store audited.
type auditedRead struct {
	by         ssra.Actor
	action, id string
	version    int64
}

func newMemStore(now func() time.Time, orgs ...string) *memStore {
	m := &memStore{orgs: map[string]bool{}, recs: map[string]*store.Record{}, shares: map[string]map[string]bool{}, parents: map[string]string{}, now: now}
	for _, o := range orgs {
		m.orgs[o] = true
	}
	return m
}

func (m *memStore) visible(by ssra.Actor, r *store.Record) bool {
	return r.OrgID == by.OrgID || m.shares[r.ID][by.OrgID]
}

func (m *memStore) view(by ssra.Actor, r *store.Record) store.Record {
	out := *r
	out.Body = append(json.RawMessage(nil), r.Body...)
	out.ReadOnly = by.OrgID != "" && r.OrgID != by.OrgID
	return out
}

// checkActor refuses an actor who names no user or no organisation, as
// the SQL store does.
func checkActor(by ssra.Actor) error {
	if by.UserID == "" || by.OrgID == "" {
		return ssra.Errorf(ssra.KindUnauthenticated, "mem", "no acting user")
	}
	return nil
}

// referenceTaken reports whether another record of kind than id holds
// reference.
func (m *memStore) referenceTaken(kind store.RecordKind, reference, id string) error {
	if reference == "" {
		return nil
	}
	for _, r := range m.recs {
		if r.Kind == kind && r.Reference == reference && r.ID != id {
			return ssra.Errorf(ssra.KindConflict, "mem", "a %s with reference %q exists", kind, reference)
		}
	}
	return nil
}

func (m *memStore) get(by ssra.Actor, kind store.RecordKind, id string) (*store.Record, error) {
	if err := checkActor(by); err != nil {
		return nil, err
	}
	r, ok := m.recs[id]
	if !ok || r.Kind != kind || !m.visible(by, r) {
		return nil, ssra.Errorf(ssra.KindNotFound, "mem.Get", "no %s %q", kind, id)
	}
	return r, nil
}

func (m *memStore) forWrite(by ssra.Actor, kind store.RecordKind, id string, version int64) (*store.Record, error) {
	return m.forWriteShared(by, kind, id, version, false)
}

func (m *memStore) forWriteShared(by ssra.Actor, kind store.RecordKind, id string, version int64, shared bool) (*store.Record, error) {
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

func apply(r *store.Record, f store.Fields, at time.Time) error {
	b, err := f.Validate("mem.write", r.Kind)
	if err != nil {
		return err
	}
	r.Status, r.Reference, r.Name, r.DueOn, r.Body, r.Digest, r.UpdatedAt = f.Status, f.Reference, f.Name, f.DueOn, b, canonical.Digest(b), at
	return nil
}

func (m *memStore) Create(_ context.Context, by ssra.Actor, action string, kind store.RecordKind, f store.Fields, shareWith ...string) (store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := checkActor(by); err != nil {
		return store.Record{}, err
	}
	at := m.now().UTC()
	r := &store.Record{ID: fmt.Sprintf("r%04d", m.seq+1), Kind: kind, OrgID: by.OrgID, Version: 1, CreatedBy: by.UserID, CreatedAt: at}
	if err := apply(r, f, at); err != nil {
		return store.Record{}, err
	}
	for _, o := range shareWith {
		if !m.orgs[o] {
			return store.Record{}, ssra.Errorf(ssra.KindNotFound, "mem.Create", "no organisation %q", o)
		}
	}
	if err := m.referenceTaken(kind, f.Reference, ""); err != nil {
		return store.Record{}, err
	}
	m.seq++
	m.recs[r.ID] = r
	m.shares[r.ID] = map[string]bool{}
	m.actions = append(m.actions, action)
	m.log.add(r.ID, r.Version, action)
	for _, o := range shareWith {
		m.share(r, o)
	}
	return m.view(by, r), nil
}

func (m *memStore) Get(_ context.Context, by ssra.Actor, kind store.RecordKind, id string) (store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.get(by, kind, id)
	if err != nil {
		return store.Record{}, err
	}
	v := m.view(by, r)
	if idx, ok := m.log.index[fmt.Sprintf("%s@%d", r.ID, r.Version)]; ok && idx < m.log.size {
		v.LeafIndex = &idx
	}
	return v, nil
}

// CreateLinked checks the linked record and builds both values before it
// stores either, so that a failure leaves the store as it was.
func (m *memStore) CreateLinked(_ context.Context, by ssra.Actor, action string, kind store.RecordKind, f store.Fields, link store.Link) (store.Record, store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failLink != nil {
		if err := m.failLink(link); err != nil {
			return store.Record{}, store.Record{}, err
		}
	}
	at := m.now().UTC()
	r := &store.Record{ID: fmt.Sprintf("r%04d", m.seq+1), Kind: kind, OrgID: by.OrgID, Version: 1, CreatedBy: by.UserID, CreatedAt: at}
	if err := checkActor(by); err != nil {
		return store.Record{}, store.Record{}, err
	}
	if err := apply(r, f, at); err != nil {
		return store.Record{}, store.Record{}, err
	}
	if err := m.referenceTaken(kind, f.Reference, ""); err != nil {
		return store.Record{}, store.Record{}, err
	}
	target, err := m.forWriteShared(by, link.Kind, link.ID, link.Version, true)
	if err != nil {
		return store.Record{}, store.Record{}, err
	}
	lf, err := link.Fields(m.view(by, r))
	if err != nil {
		return store.Record{}, store.Record{}, err
	}
	linked := *target
	if err := apply(&linked, lf, at); err != nil {
		return store.Record{}, store.Record{}, err
	}
	if err := m.referenceTaken(linked.Kind, lf.Reference, linked.ID); err != nil {
		return store.Record{}, store.Record{}, err
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

func (m *memStore) Update(_ context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, f store.Fields) (store.Record, error) {
	return m.update(by, action, kind, id, version, f, false)
}

func (m *memStore) UpdateShared(_ context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, f store.Fields) (store.Record, error) {
	return m.update(by, action, kind, id, version, f, true)
}

func (m *memStore) update(by ssra.Actor, action string, kind store.RecordKind, id string, version int64, f store.Fields, shared bool) (store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.forWriteShared(by, kind, id, version, shared)
	if err != nil {
		return store.Record{}, err
	}
	if err := m.write(r, f); err != nil {
		return store.Record{}, err
	}
	m.actions = append(m.actions, action)
	m.log.add(r.ID, r.Version, action)
	return m.view(by, r), nil
}

// write applies f to r as its next version, or changes nothing when f is
// invalid or takes another record's reference.
func (m *memStore) write(r *store.Record, f store.Fields) error {
	next := *r
	if err := apply(&next, f, m.now().UTC()); err != nil {
		return err
	}
	if err := m.referenceTaken(r.Kind, f.Reference, r.ID); err != nil {
		return err
	}
	next.Version++
	*r = next
	return nil
}

// Modify reads the record, runs change without holding the store's lock
// (change may read the store), and writes the change at the version read,
// which a writer in between makes stale.
func (m *memStore) Modify(ctx context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, change func(store.Record) (store.Change, error)) (store.Record, error) {
	m.mu.Lock()
	r, err := m.forWrite(by, kind, id, version)
	var old store.Record
	if err == nil {
		old = m.view(by, r)
	}
	m.mu.Unlock()
	if err != nil {
		return store.Record{}, err
	}
	c, err := change(old)
	if err != nil {
		return store.Record{}, err
	}
	if c.To != "" {
		return m.Route(ctx, by, action, kind, id, version, c.To, c.Fields)
	}
	return m.Update(ctx, by, action, kind, id, version, c.Fields)
}

func (m *memStore) Route(_ context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, toOrg string, f store.Fields) (store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.forWrite(by, kind, id, version)
	if err != nil {
		return store.Record{}, err
	}
	if !m.orgs[toOrg] {
		return store.Record{}, ssra.Errorf(ssra.KindNotFound, "mem.Route", "no organisation %q", toOrg)
	}
	if toOrg == r.OrgID {
		return store.Record{}, ssra.Errorf(ssra.KindInvalid, "mem.Route", "already there")
	}
	if err := m.write(r, f); err != nil {
		return store.Record{}, err
	}
	m.shares[id][r.OrgID] = true
	delete(m.shares[id], toOrg)
	r.OrgID = toOrg
	m.actions = append(m.actions, action)
	m.log.add(r.ID, r.Version, action)
	return m.view(by, r), nil
}

func (m *memStore) Share(_ context.Context, by ssra.Actor, kind store.RecordKind, id, orgID string) error {
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
	m.share(r, orgID)
	return nil
}

// share gives orgID read-only access to r and audits it, as the SQL store
// does; the owner, or an organisation r is shared with, changes nothing.
func (m *memStore) share(r *store.Record, orgID string) {
	if orgID == r.OrgID || m.shares[r.ID][orgID] {
		return
	}
	m.shares[r.ID][orgID] = true
	m.actions = append(m.actions, "record.share:"+orgID)
}

// List filters, orders and pages as the SQL store does, with cursors
// that name their order.
func (m *memStore) List(_ context.Context, by ssra.Actor, q store.Query) (store.Page, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := checkActor(by); err != nil {
		return store.Page{}, err
	}
	key := func(r *store.Record) string {
		if q.Order == store.OrderDue {
			return "d:" + r.DueOn.String() + ":" + r.ID
		}
		return "c:" + r.ID
	}
	var after string
	if q.After != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.After)
		if err != nil || !strings.HasPrefix(string(b), key(&store.Record{})[:2]) {
			return store.Page{}, ssra.Errorf(ssra.KindInvalid, "mem.List", "bad cursor")
		}
		after = string(b)
	}
	if q.Scope == 0 {
		q.Scope = store.ScopeAll
	}
	if q.Order == 0 {
		q.Order = store.OrderCreated
	}
	if !q.Kind.Valid() || q.Order > store.OrderDue || q.Scope > store.ScopeShared {
		return store.Page{}, ssra.Errorf(ssra.KindInvalid, "mem.List", "bad query")
	}
	var all []*store.Record
	for _, r := range m.recs {
		if r.Kind != q.Kind || !m.visible(by, r) {
			continue
		}
		if q.Scope == store.ScopeOwned && r.OrgID != by.OrgID || q.Scope == store.ScopeShared && r.OrgID == by.OrgID {
			continue
		}
		if len(q.Status) > 0 && !slices.Contains(q.Status, r.Status) || q.Name != "" && r.Name != q.Name || q.Reference != "" && r.Reference != q.Reference {
			continue
		}
		if q.Order == store.OrderDue || !q.DueFrom.IsZero() || !q.DueBefore.IsZero() {
			if r.DueOn.IsZero() || !q.DueFrom.IsZero() && r.DueOn.Before(q.DueFrom) || !q.DueBefore.IsZero() && !r.DueOn.Before(q.DueBefore) {
				continue
			}
		}
		if after != "" && key(r) <= after {
			continue
		}
		all = append(all, r)
	}
	sort.Slice(all, func(i, j int) bool { return key(all[i]) < key(all[j]) })
	limit := min(q.Limit, 500)
	if limit <= 0 {
		limit = 50
	}
	var p store.Page
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

func (m *memStore) LookupReference(_ context.Context, kind store.RecordKind, reference string) (store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.recs {
		if r.Kind == kind && reference != "" && r.Reference == reference {
			return m.view(ssra.Actor{}, r), nil
		}
	}
	return store.Record{}, ssra.Errorf(ssra.KindNotFound, "mem.LookupReference", "none")
}

func (m *memStore) AuditReads(_ context.Context, by ssra.Actor, action string, recs []store.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := checkActor(by); err != nil {
		return err
	}
	for _, r := range recs {
		m.reads = append(m.reads, auditedRead{by: by, action: action, id: r.ID, version: r.Version})
		m.log.addRead(r.ID, r.Version, action)
	}
	return nil
}

func (m *memStore) UpdatePublic(_ context.Context, action string, kind store.RecordKind, id string, version int64, f store.Fields) (store.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[id]
	if !ok || r.Kind != kind {
		return store.Record{}, ssra.Errorf(ssra.KindNotFound, "mem.UpdatePublic", "none")
	}
	if r.Version != version {
		return store.Record{}, ssra.Errorf(ssra.KindPreconditionFailed, "mem.UpdatePublic", "stale")
	}
	if err := m.write(r, f); err != nil {
		return store.Record{}, err
	}
	m.actions = append(m.actions, action)
	m.log.add(r.ID, r.Version, action)
	return m.view(ssra.Actor{}, r), nil
}

// VerifyAudit reports the memory log's tree: every record is checked,
// and nothing can fail.
func (m *memStore) VerifyAudit(context.Context) (store.AuditReport, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.auditReport(store.AuditScopeServer, "", int64(len(m.recs))), nil
}

// VerifyOrganisation counts only the organisation's own records.
func (m *memStore) VerifyOrganisation(_ context.Context, orgID string) (store.AuditReport, error) {
	if orgID == "" {
		return store.AuditReport{}, ssra.Errorf(ssra.KindInvalid, "mem.VerifyOrganisation", "no organisation")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for _, r := range m.recs {
		if r.OrgID == orgID {
			n++
		}
	}
	return m.auditReport(store.AuditScopeOrganisation, orgID, n), nil
}

func (m *memStore) auditReport(scope store.AuditScope, orgID string, records int64) store.AuditReport {
	m.log.sequence()
	size := int64(len(m.log.leaves))
	root, err := tlog.TreeHash(size, &m.log)
	if err != nil {
		panic(err)
	}
	return store.AuditReport{Scope: scope, OrgID: orgID, Leaves: size, Root: base64.StdEncoding.EncodeToString(root[:]), Records: records, OK: true}
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
func (m *memStore) CaseStats(_ context.Context, by ssra.Actor, q store.StatsQuery) (map[stability.GroupKey]stability.Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if q.Now.IsZero() {
		return nil, ssra.Errorf(ssra.KindInvalid, "mem.CaseStats", "the measuring time is missing")
	}
	var facts []stability.CaseFacts
	for _, r := range m.recs {
		if (r.Kind != store.RecordComplaint && r.Kind != store.RecordDispute) || (by.OrgID != "" && !m.visible(by, r)) {
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
		if r.Kind == store.RecordComplaint {
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

// MatterCases is List of the matter's complaints and MatterHoldings.
func (m *memStore) MatterCases(ctx context.Context, by ssra.Actor, key string, limit int) ([]store.Record, []stability.Holding, error) {
	if key == "" {
		return nil, nil, nil
	}
	page, err := m.List(ctx, by, store.Query{Kind: store.RecordComplaint, Name: key, Limit: limit})
	if err != nil {
		return nil, nil, err
	}
	held, err := m.MatterHoldings(ctx, key, by.OrgID)
	return page.Records, held, err
}

// MatterHoldings reads the matter key and repeat state of the complaints
// held by the organisations above and below org, as the SQL store does.
func (m *memStore) MatterHoldings(ctx context.Context, key, org string) ([]stability.Holding, error) {
	above, _ := m.OrganisationsAbove(ctx, org)
	below, _ := m.OrganisationsBelow(ctx, org)
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []stability.Holding
	for _, r := range m.recs {
		superior := slices.Contains(above, r.OrgID)
		if r.Kind != store.RecordComplaint || key == "" || r.Name != key || !superior && !slices.Contains(below, r.OrgID) {
			continue
		}
		var c stability.Complaint
		if err := json.Unmarshal(r.Body, &c); err != nil {
			return nil, err
		}
		h := stability.Holding{MatterKey: key, Organ: r.OrgID, Name: orgNames[r.OrgID], Relation: stability.RelationSubordinate, State: c.RepeatState()}
		if superior {
			h.Relation = stability.RelationSuperior
		}
		out = append(out, h)
	}
	return out, nil
}
