package report

import "github.com/ssra-go/ssra"

// Adoption says how an opinion received in consultation was handled
// (采纳情况). The set is closed.
type Adoption uint8

// The adoption states.
const (
	AdoptionNone       Adoption = iota // unset (invalid input)
	AdoptionAdopted                    // 采纳
	AdoptionPartly                     // 部分采纳
	AdoptionNotAdopted                 // 未采纳
)

var adoptions = ssra.NewEnum[Adoption]("adoption",
	ssra.M("adopted", "采纳", "adopted"),
	ssra.M("partly_adopted", "部分采纳", "partly adopted"),
	ssra.M("not_adopted", "未采纳", "not adopted"),
)

// String returns "adopted", "partly_adopted" or "not_adopted".
func (a Adoption) String() string { return adoptions.String(a) }

// Valid reports whether a is one of the three states.
func (a Adoption) Valid() bool { return adoptions.Valid(a) }

// Label returns the state's name for people in lang.
func (a Adoption) Label(lang ssra.Lang) string { return adoptions.Label(a, lang) }

// MarshalText encodes the state; an unset or invalid state is an error.
func (a Adoption) MarshalText() ([]byte, error) { return adoptions.MarshalText(a) }

// UnmarshalText decodes "adopted", "partly_adopted" or "not_adopted" and
// rejects other text.
func (a *Adoption) UnmarshalText(b []byte) error { return adoptions.UnmarshalText(a, b) }
