package stability_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

func TestMatchNameVariants(t *testing.T) {
	for _, tc := range []struct {
		name, subject, other string
		want                 stability.SubjectMatch
	}{
		{"same", "Chen Wei", "Chen Wei", stability.SubjectSame},
		{"two spaces", "Chen  Wei", "Chen Wei", stability.SubjectSame},
		{"no space", "ChenWei", "Chen Wei", stability.SubjectSame},
		{"case", "CHEN wei", "Chen Wei", stability.SubjectSame},
		{"full-width letters", "Ｃｈｅｎ　Ｗｅｉ", "Chen Wei", stability.SubjectSame},
		{"zero-width space", "Chen\u200bWei", "Chen Wei", stability.SubjectSame},
		{"zero-width joiner and BOM", "\ufeffChen\u200d Wei", "Chen Wei", stability.SubjectSame},
		{"soft hyphen", "Chen\u00adWei", "Chen Wei", stability.SubjectSame},
		{"bidi marks", "\u202eChen Wei\u202c\u200f", "Chen Wei", stability.SubjectSame},
		{"accent", "Chén Wéi", "Chen Wei", stability.SubjectSame},
		{"tab and newline", "Chen\t\nWei", "Chen Wei", stability.SubjectSame},
		{"title in brackets", "Chen Wei (deputy director)", "Chen Wei", stability.SubjectPossible},
		{"name inside a sentence", "the deputy director Chen Wei of the bureau", "Chen  Wei", stability.SubjectPossible},
		{"org in a longer subject", "县住建局张科长", "县住建局", stability.SubjectPossible},
		{"org with a zero-width space", "县\u200b住建局", "县住建局", stability.SubjectSame},
		{"org with an ideographic space", "县　住建局", "县住建局", stability.SubjectSame},
		{"subject inside a longer org name", "Water Company", "City Water Company Ltd.", stability.SubjectPossible},
		{"unrelated", "Chen Wei", "Li Na", stability.SubjectNoMatch},
		{"unrelated org", "某物业公司", "县住建局", stability.SubjectNoMatch},
		{"empty name", "Chen Wei", "", stability.SubjectNoMatch},
		{"invisible-only name", "Chen Wei", "\u200b \u200c", stability.SubjectNoMatch},
		{"one letter is not a containment", "Chen Wei", "C", stability.SubjectNoMatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stability.MatchName(tc.subject, tc.other); got != tc.want {
				t.Fatalf("MatchName(%q, %q) = %d, want %d (folded %q, %q)", tc.subject, tc.other, got, tc.want,
					stability.FoldName(tc.subject), stability.FoldName(tc.other))
			}
		})
	}
}

// report returns a registered report (检举控告) about subject, with the
// identifiers given.
func report(t *testing.T, subject, subjectUser, subjectOrg string) *stability.Complaint {
	t.Helper()
	in := intake()
	in.Matter = stability.Matter{Type: stability.MatterReport, Subject: subject, SubjectUser: subjectUser, SubjectOrg: subjectOrg,
		Facts: "收受工程款回扣"}
	c, _, err := stability.NewComplaint(in, preset(t, "xinfang2022"), sampleCalendar(t), rand.NewChaCha8([32]byte{2}), at("2026-03-02"), clerk)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var housingBureau = stability.Destination{Organ: "org-zjj", Name: "县住建局",
	Users: []stability.Member{{ID: "u-chen", Name: "Chen Wei"}, {ID: "u-li", Name: "李娜"}}}

func TestRouteRefusesTheSubject(t *testing.T) {
	for _, tc := range []struct {
		name                     string
		subject, subjUser, subjO string
		to                       stability.Destination
		code                     string
	}{
		{"subject organisation by identifier", "某单位", "", "org-zjj", housingBureau, "complaint.route_to_subject"},
		{"subject user by identifier", "某领导", "u-chen", "", housingBureau, "complaint.route_to_subject"},
		{"organisation name", "县住建局", "", "", housingBureau, "complaint.route_to_subject"},
		{"organisation name with a zero-width space", "县住\u200b建局", "", "", housingBureau, "complaint.route_to_subject"},
		{"organisation name full-width spaced", "县　住建局", "", "", housingBureau, "complaint.route_to_subject"},
		{"organisation inside a description", "县住建局质量科", "", "", housingBureau, "complaint.route_to_possible_subject"},
		{"user name with two spaces", "Chen  Wei", "", "", housingBureau, "complaint.route_to_subject"},
		{"user name with a title", "Chen Wei (deputy director)", "", "", housingBureau, "complaint.route_to_possible_subject"},
		{"user name full-width", "Ｃｈｅｎ Ｗｅｉ", "", "", housingBureau, "complaint.route_to_subject"},
		{"identifier elsewhere, name here", "李娜", "u-other", "org-other", housingBureau, "complaint.route_to_subject"},
		{"unrelated", "某物业公司", "u-other", "org-other", housingBureau, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := report(t, tc.subject, tc.subjUser, tc.subjO)
			err := c.Route(at("2026-03-03"), clerk, tc.to, stability.RouteTransfer)
			if tc.code == "" {
				mustDo(t, err)
				return
			}
			wantErr(t, err, ssra.KindInvalid, tc.code)
			if c.Status != stability.StatusRegistered || c.Organ != "县信访局" {
				t.Fatalf("a refused route changed the case: %s at %s", c.Status, c.Organ)
			}
		})
	}
	// A claim about a unit may go to it: only reports are guarded.
	in := intake()
	in.Matter.Subject = "县住建局"
	c, _, err := stability.NewComplaint(in, preset(t, "xinfang2022"), sampleCalendar(t), rand.NewChaCha8([32]byte{3}), at("2026-03-02"), clerk)
	mustDo(t, err)
	mustDo(t, c.Route(at("2026-03-03"), clerk, housingBureau, stability.RouteTransfer))
}

func TestRedactTheSubjectAndTheRecused(t *testing.T) {
	secret := "张三丰"
	for _, tc := range []struct {
		name   string
		c      func(t *testing.T) *stability.Complaint
		viewer stability.Viewer
		want   stability.ViewerRole
	}{
		{"subject user holding the handler role", func(t *testing.T) *stability.Complaint { return report(t, "某领导", "u-chen", "") },
			stability.Viewer{Role: stability.ViewHandler, Unit: "县信访局", User: "u-chen", Name: "陈某"}, stability.ViewSubject},
		{"subject user as sender", func(t *testing.T) *stability.Complaint { return report(t, "某领导", "u-chen", "") },
			stability.Viewer{Role: stability.ViewSender, Unit: "县信访局", User: "u-chen"}, stability.ViewSubject},
		{"subject organisation by identifier", func(t *testing.T) *stability.Complaint { return report(t, "某单位", "", "县信访局") },
			stability.Viewer{Role: stability.ViewHandler, Unit: "县信访局", User: "u-1"}, stability.ViewSubject},
		{"user name with two spaces", func(t *testing.T) *stability.Complaint { return report(t, "Chen  Wei", "", "") },
			stability.Viewer{Role: stability.ViewHandler, Unit: "县信访局", User: "u-9", Name: "Chen Wei"}, stability.ViewSubject},
		{"user name with a title", func(t *testing.T) *stability.Complaint { return report(t, "Chen Wei (deputy director)", "", "") },
			stability.Viewer{Role: stability.ViewHandler, Unit: "县信访局", User: "u-9", Name: "Chen Wei"}, stability.ViewSubject},
		{"organisation name with a zero-width space", func(t *testing.T) *stability.Complaint { return report(t, "县信\u200b访局", "", "") },
			stability.Viewer{Role: stability.ViewHandler, Unit: "org-x", UnitName: "县信访局", User: "u-9"}, stability.ViewSubject},
		{"a colleague of the subject user handles it", func(t *testing.T) *stability.Complaint { return report(t, "某领导", "u-chen", "") },
			stability.Viewer{Role: stability.ViewHandler, Unit: "县信访局", User: "u-li", Name: "李娜"}, stability.ViewHandler},
		{"recused handler", func(t *testing.T) *stability.Complaint {
			c := report(t, "某领导", "", "")
			li := stability.Participant{ID: "u-li", Role: stability.RoleStaff}
			mustDo(t, c.Recuse(at("2026-03-02"), li, li, "亲属关系"))
			return c
		}, stability.Viewer{Role: stability.ViewHandler, Unit: "县信访局", User: "u-li", Name: "李娜"}, stability.ViewStaff},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c(t)
			r := c.Redact(tc.viewer)
			if r.View != tc.want {
				t.Fatalf("view %s, want %s", r.View, tc.want)
			}
			b, _ := json.Marshal(r)
			if leaks := strings.Contains(string(b), secret); leaks != (tc.want == stability.ViewHandler) {
				t.Fatalf("complainant visible = %v in view %s", leaks, r.View)
			}
		})
	}
}

// spell returns a spelling of name that a reader would take for it (or for
// a description containing it): spaces doubled or dropped, letters in
// another case or full-width, invisible characters inserted, and words
// around it.
func spell(r *rand.Rand, name string) string {
	invisible := []rune{'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u202a', '\u180e', '\u3000', '\t', ' '}
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteString([]string{"副局长", "the deputy director ", "关于", "Mr. "}[r.IntN(4)])
	}
	for _, c := range name {
		if r.IntN(3) == 0 {
			b.WriteRune(invisible[r.IntN(len(invisible))])
		}
		switch {
		case c == ' ' && r.IntN(2) == 0:
			continue
		case c >= '!' && c <= '~' && r.IntN(3) == 0:
			c += 0xFF01 - '!' // full-width form
		case unicode.IsLetter(c) && r.IntN(2) == 0:
			c = unicode.ToUpper(c)
		}
		b.WriteRune(c)
	}
	if r.IntN(3) == 0 {
		b.WriteString([]string{" (deputy director)", "等人", "，涉嫌受贿", " et al."}[r.IntN(4)])
	}
	return b.String()
}

// TestPropertySubjectSpellings: for generated spellings of a user's or an
// organisation's name, the route to that organisation is refused and the
// user (or any member of the organisation) gets the subject's view.
func TestPropertySubjectSpellings(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	names := []string{"Chen Wei", "Li Na", "Wang Xiaoming", "县住建局", "城关镇人民政府", "陈伟", "欧阳娜娜", "City Water Company", "O'Brien Kate"}
	p, cal := preset(t, "xinfang2022"), sampleCalendar(t)
	for i := range 400 {
		name := names[r.IntN(len(names))]
		subject := spell(r, name)
		if got := stability.MatchName(subject, name); got == stability.SubjectNoMatch {
			t.Fatalf("MatchName(%q, %q) = no match (folded %q, %q)", subject, name, stability.FoldName(subject), stability.FoldName(name))
		}
		in := intake()
		in.Matter = stability.Matter{Type: stability.MatterReport, Subject: subject, Facts: "事实"}
		c, _, err := stability.NewComplaint(in, p, cal, rand.NewChaCha8([32]byte{byte(i)}), at("2026-03-02"), clerk)
		mustDo(t, err)
		asOrg := stability.Destination{Organ: "org-1", Name: name}
		asUser := stability.Destination{Organ: "org-1", Name: "某机关", Users: []stability.Member{{ID: "u-1", Name: name}}}
		for _, d := range []stability.Destination{asOrg, asUser} {
			if err := c.Route(at("2026-03-03"), clerk, d, stability.RouteTransfer); err == nil {
				t.Fatalf("route of a report about %q (spelt %q) to %+v was allowed", name, subject, d)
			}
		}
		for _, v := range []stability.Viewer{
			{Role: stability.ViewHandler, Unit: "县信访局", User: "u-1", Name: name},
			{Role: stability.ViewHandler, Unit: "县信访局", UnitName: name, User: "u-2"},
		} {
			if got := c.Redact(v).View; got != stability.ViewSubject {
				t.Fatalf("viewer %+v of a report about %q: view %s", v, subject, got)
			}
		}
	}
}

// TestSubjectDoesNotAct: the person a report is about cannot act on it,
// named by identifier or by a spelling of their name.
func TestSubjectDoesNotAct(t *testing.T) {
	c := report(t, "Chen Wei (deputy director)", "u-chen", "")
	for _, by := range []stability.Participant{
		{ID: "u-chen", Name: "陈某", Unit: "县信访局", Role: stability.RoleHead},
		{ID: "u-9", Name: "CHEN\u200bwei", Unit: "县信访局", Role: stability.RoleStaff},
	} {
		wantErr(t, c.Accept(at("2026-03-03"), by), ssra.KindForbidden, "case.subject_actor")
		wantErr(t, c.Recuse(at("2026-03-03"), by, clerk, "cover"), ssra.KindForbidden, "case.subject_actor")
		wantErr(t, c.AssignOfficer(at("2026-03-03"), clerk, by), ssra.KindForbidden, "case.subject_actor")
	}
	mustDo(t, c.Accept(at("2026-03-03"), clerk))
}

// TestNoViewCarriesTheQueryHash: the digest of the query code never leaves
// the server, whoever looks: with it, a code can be tested offline.
func TestNoViewCarriesTheQueryHash(t *testing.T) {
	p := preset(t, "xinfang2022")
	c, _ := newCase(t, p, "2026-03-02")
	d, _ := newDispute(t, "2026-03-02", stability.ModeDelegated)
	for _, v := range []stability.Viewer{
		{Role: stability.ViewHandler, Unit: c.Organ},
		{Role: stability.ViewSender, Unit: c.Sender},
		{Role: stability.ViewComplainant},
		{Role: stability.ViewStaff},
		{Role: stability.ViewSubject},
	} {
		r := c.Redact(v)
		if r.Case.QueryHash != "" || !slices.Contains(r.Removed, "query_hash") {
			t.Errorf("complaint, %s view: query_hash %q, removed %v", r.View, r.Case.QueryHash, r.Removed)
		}
		rd := d.Redact(stability.Viewer{Role: v.Role, Unit: d.Organ})
		if rd.Case.QueryHash != "" || !slices.Contains(rd.Removed, "query_hash") {
			t.Errorf("dispute, %s view: query_hash %q, removed %v", rd.View, rd.Case.QueryHash, rd.Removed)
		}
	}
	if c.QueryHash == "" || d.QueryHash == "" {
		t.Fatal("Redact changed the case")
	}
}

// TestSubjectMatchZeroIsNotNoMatch holds the fail-closed numbering: the
// route checks refuse whenever a comparison is other than SubjectNoMatch,
// so an unset SubjectMatch must not be SubjectNoMatch.
func TestSubjectMatchZeroIsNotNoMatch(t *testing.T) {
	var unset stability.SubjectMatch
	for _, m := range []stability.SubjectMatch{stability.SubjectNoMatch, stability.SubjectSame, stability.SubjectPossible} {
		if m == unset {
			t.Errorf("SubjectMatch %d is the zero value; zero is unset and must count as a match", m)
		}
	}
}
