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
// matter (被反映对象). The zero value is unset, as for every closed set; the
// checks ask whether a comparison is other than SubjectNoMatch, so that an
// unset one counts as a match and refuses rather than exposes.
type SubjectMatch uint8

// The subject matches.
const (
	// SubjectNoMatch means the folded names differ and neither contains the other.
	SubjectNoMatch SubjectMatch = iota + 1
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
	// Users are the users of the receiving organisation, as the directory
	// lists them.
	Users []Member `json:"users,omitempty"`
	// Above are the organisations above the receiving one in the
	// organisation hierarchy (上级机关), its parent first, each with its
	// name and users. A body above the receiving one directs it and can
	// call for its files, so the guard treats each of them as the
	// receiving organisation itself.
	Above []Organ `json:"above,omitempty"`
}

// organs are the receiving organisation followed by those above it.
func (d Destination) organs() []Organ {
	return append([]Organ{{ID: d.Organ, Name: d.Name, Users: d.Users}}, d.Above...)
}

// names are the names and identifiers the free-text subject is compared
// with, with what each is: those of the receiving organisation and its
// users, then those of each organisation above it and its users.
func (d Destination) names() [][2]string {
	var out [][2]string
	for i, o := range d.organs() {
		what := "the receiving organisation"
		if i > 0 {
			what = "an organisation above the receiving one"
		}
		out = append(out, [2]string{o.ID, what + "'s identifier"}, [2]string{o.Name, what})
		for _, u := range o.Users {
			out = append(out, [2]string{u.Name, "a user of " + what})
		}
	}
	return out
}

// CheckRoute is the guard that never hands a report (检举控告) to the
// person or unit it is about (信访工作条例 2022 第三十条第三款; 信访条例 2005
// 第二十三条). It returns nil for matters other than reports. The rule,
// where the destination is the receiving organisation and the bodies
// above it in the hierarchy (Destination.Above):
//
//   - the receiving organisation must not be the subject organisation, nor
//     one whose users include the subject user: a report reaches the body
//     it is about neither directly nor through a body "above or beside"
//     the subject's that the subject belongs to;
//   - nor may the subject organisation, or an organisation whose users
//     include the subject user, stand above the receiving organisation: a
//     body that directs the receiving one can call for its files, so a
//     report handed down to a unit the subject directs is handed to the
//     subject;
//   - nor may the free-text subject match (MatchName) the name,
//     identifier or users' names of the receiving organisation or of any
//     organisation above it; an uncertain match (containment) is refused
//     as well.
//
// Routing upwards, to a body above the subject's organisation, is allowed
// unless that body's users include the subject or match the free text: a
// report about a unit is handled by an organ competent for it (2022
// 第三十条), which is found above or beside the unit, and refusing every
// body above would leave a report about a unit nowhere to go. The guard
// refuses with KindInvalid, code complaint.route_to_subject for an
// identifier or an equal name, complaint.route_to_possible_subject for an
// uncertain match, with a message that says which relation or names
// decided; a wrongly refused route can be routed elsewhere, an exposed
// reporter cannot be hidden again.
func (m Matter) CheckRoute(to Destination) error {
	const op = "stability.Matter.CheckRoute"
	if m.Type != MatterReport {
		return nil
	}
	refuse := func(code, format string, args ...any) error {
		return &ssra.Error{Kind: ssra.KindInvalid, Op: op, Message: "a report is never handed to the person or unit it is about",
			Problems: ssra.Problems{{Code: code, Field: "to", Message: fmt.Sprintf(format, args...)}}}
	}
	for i, o := range to.organs() {
		where := "the receiving organisation"
		if i > 0 {
			where = fmt.Sprintf("an organisation above the receiving one (%s), which directs it,", o.ID)
		}
		if m.SubjectOrg != "" && m.SubjectOrg == o.ID {
			return refuse("complaint.route_to_subject", "%s is the organisation the report is about", where)
		}
		if m.SubjectUser != "" && slices.ContainsFunc(o.Users, func(u Member) bool { return u.ID == m.SubjectUser }) {
			return refuse("complaint.route_to_subject", "the person the report is about is a user of %s", strings.TrimSuffix(where, ","))
		}
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
