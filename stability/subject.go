package stability

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/ssra-go/ssra"
)

// The confidentiality guards of a report (检举控告保密): a report is never
// handed to the person or unit it is about, and that person never sees who
// reported them. Identifiers decide where the matter names them; free text
// is compared after folding away every difference a person can type
// without changing what a reader sees, and an uncertain match counts as a
// match, because a wrongly refused route can be routed elsewhere while an
// exposed reporter cannot be hidden again.

// SubjectMatch is how a name compares with the free-text subject of a
// matter (被反映对象).
type SubjectMatch uint8

// The subject matches.
const (
	// SubjectNoMatch means the folded names differ and neither contains the other.
	SubjectNoMatch SubjectMatch = iota
	// SubjectSame means the folded names are equal.
	SubjectSame
	// SubjectPossible means one folded name contains the other (a name
	// inside a longer description): uncertain, and treated as a match.
	SubjectPossible
)

// minContained is the length in runes a folded name must have for
// containment to count; a single letter is contained in almost anything.
const minContained = 2

var foldRanges = []*unicode.RangeTable{
	unicode.Cc, unicode.Cf, unicode.Co, unicode.Mn, unicode.Me, unicode.Z, unicode.P,
	unicode.White_Space, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector,
}

// FoldName returns the form in which names are compared: Unicode
// compatibility normalisation (NFKC, so that full-width letters and
// ideographic spaces become their plain forms), full case folding, and
// removal of spaces, punctuation, combining marks, control and format
// characters (zero-width spaces and joiners, soft hyphens, bidirectional
// marks) and other default-ignorable code points.
func FoldName(s string) string {
	s = norm.NFKC.String(s)
	s = cases.Fold().String(s)
	// Decompose so that accents become combining marks and are dropped.
	s = norm.NFKD.String(s)
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsOneOf(foldRanges, r) {
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFKC.String(b.String())
}

// MatchName compares the free-text subject of a matter with a name (of a
// user or an organisation) after folding both with FoldName. Equal folded
// forms are SubjectSame; one containing the other, the shorter having at
// least two characters, is SubjectPossible; an empty name never matches.
func MatchName(subject, name string) SubjectMatch {
	s, n := FoldName(subject), FoldName(name)
	if s == "" || n == "" {
		return SubjectNoMatch
	}
	if s == n {
		return SubjectSame
	}
	short, long := n, s
	if utf8.RuneCountInString(short) > utf8.RuneCountInString(long) {
		short, long = long, short
	}
	if utf8.RuneCountInString(short) >= minContained && strings.Contains(long, short) {
		return SubjectPossible
	}
	return SubjectNoMatch
}

// Member is a user of the system as the directory lists them: identifier
// and name.
type Member struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Destination is the organisation a complaint is routed to, as the
// system's directory knows it, with what the confidentiality guard
// compares.
type Destination struct {
	// Organ is the receiving organisation's identifier.
	Organ string `json:"organ"`
	// Name is its name in the directory.
	Name string `json:"name,omitempty"`
	// Users are the users of the receiving organisation, and of any
	// organisation whose users it answers for (above or beside the
	// subject's), as the directory lists them.
	Users []Member `json:"users,omitempty"`
}

// names are the names and identifiers of the destination the free-text
// subject is compared with, with what each is.
func (d Destination) names() [][2]string {
	out := [][2]string{{d.Organ, "the receiving organisation's identifier"}, {d.Name, "the receiving organisation"}}
	for _, u := range d.Users {
		out = append(out, [2]string{u.Name, "a user of the receiving organisation"})
	}
	return out
}

// CheckRoute is the guard that never hands a report (检举控告) to the
// person or unit it is about (信访工作条例 2022 第四十五条): it refuses with
// KindInvalid, code complaint.route_to_subject, a destination that is the
// subject organisation or one of whose users is the subject user, and
// one whose name, identifier or users' names match the free-text subject
// (MatchName). An uncertain match (containment) is refused too, with code
// complaint.route_to_possible_subject and a message that says which names
// overlap. Matters other than reports are not checked.
func (m Matter) CheckRoute(to Destination) error {
	const op = "stability.Matter.CheckRoute"
	if m.Type != MatterReport {
		return nil
	}
	refuse := func(code, format string, args ...any) error {
		return &ssra.Error{Kind: ssra.KindInvalid, Op: op, Message: "a report is never handed to the person or unit it is about",
			Problems: ssra.Problems{{Code: code, Field: "to", Message: fmt.Sprintf(format, args...)}}}
	}
	if m.SubjectOrg != "" && m.SubjectOrg == to.Organ {
		return refuse("complaint.route_to_subject", "the receiving organisation is the organisation the report is about")
	}
	if m.SubjectUser != "" && slices.ContainsFunc(to.Users, func(u Member) bool { return u.ID == m.SubjectUser }) {
		return refuse("complaint.route_to_subject", "the person the report is about is a user of the receiving organisation")
	}
	possible := ""
	for _, n := range to.names() {
		switch MatchName(m.Subject, n[0]) {
		case SubjectSame:
			return refuse("complaint.route_to_subject", "the report's subject names %s", n[1])
		case SubjectPossible:
			if possible == "" {
				possible = n[1]
			}
		}
	}
	if possible != "" {
		return refuse("complaint.route_to_possible_subject",
			"the report's subject and %s overlap once spaces, case, width and invisible characters are ignored (one contains the other); an uncertain match is refused rather than risk exposing the reporter: route to another organisation, or check the subject", possible)
	}
	return nil
}

// names reports whether the matter is about the viewer: the subject user
// or organisation by identifier, or a free-text subject matching the
// viewer's name or their organisation's name or identifier, uncertain
// matches included.
func (m Matter) names(v Viewer) bool {
	if m.namesPerson(v.User, v.Name) || (m.SubjectOrg != "" && v.Unit == m.SubjectOrg) {
		return true
	}
	return MatchName(m.Subject, v.UnitName) != SubjectNoMatch || MatchName(m.Subject, v.Unit) != SubjectNoMatch
}

// namesPerson reports whether the matter is about the user with id and
// name: the subject user by identifier, or a name matching the free-text
// subject, uncertain matches included. Such a person neither sees who
// complained nor acts on the case.
func (m Matter) namesPerson(id, name string) bool {
	return (m.SubjectUser != "" && id == m.SubjectUser) || MatchName(m.Subject, name) != SubjectNoMatch
}
