package report

import "fmt"

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

var adoptionNames = []string{"", "adopted", "partly_adopted", "not_adopted"}
var adoptionKeys = []string{"answer_none", "adoption_adopted", "adoption_partly", "adoption_not"}

// String returns "adopted", "partly_adopted" or "not_adopted".
func (a Adoption) String() string {
	if int(a) < len(adoptionNames) {
		return adoptionNames[a]
	}
	return fmt.Sprintf("adoption(%d)", uint8(a))
}

// Valid reports whether a is one of the three states.
func (a Adoption) Valid() bool { return a >= AdoptionAdopted && a <= AdoptionNotAdopted }

// MarshalText encodes the state; an invalid state is an error.
func (a Adoption) MarshalText() ([]byte, error) {
	if !a.Valid() {
		return nil, fmt.Errorf("report: invalid adoption %d", uint8(a))
	}
	return []byte(adoptionNames[a]), nil
}

// UnmarshalText decodes "adopted", "partly_adopted" or "not_adopted" and
// rejects other text.
func (a *Adoption) UnmarshalText(b []byte) error {
	for i := 1; i < len(adoptionNames); i++ {
		if string(b) == adoptionNames[i] {
			*a = Adoption(i)
			return nil
		}
	}
	return fmt.Errorf("report: unknown adoption %q (want adopted, partly_adopted or not_adopted)", b)
}
