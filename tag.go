package ssra

// Tag says whether a number is fixed by a legal text or is common practice:
// a statutory time limit, the numbers of an appraisal scheme or staff
// policy. A practice number is a named preset, to be overridden freely.
type Tag uint8

// The tags.
const (
	// TagLaw marks a number fixed by a national or provincial legal text (法定).
	TagLaw Tag = iota + 1
	// TagPractice marks a number that is common or local practice, not law (惯例).
	TagPractice
)

var tags = NewEnum[Tag]("tag",
	M("law", "法定", "law"),
	M("practice", "惯例", "practice"),
)

// Tags lists every tag.
func Tags() []Tag { return tags.Members() }

// String returns "law" or "practice".
func (t Tag) String() string { return tags.String(t) }

// Valid reports whether t is law or practice.
func (t Tag) Valid() bool { return tags.Valid(t) }

// Label returns the tag's name for people in lang.
func (t Tag) Label(lang Lang) string { return tags.Label(t, lang) }

// MarshalText encodes the tag and refuses the zero value.
func (t Tag) MarshalText() ([]byte, error) { return tags.MarshalText(t) }

// UnmarshalText decodes "law" or "practice" and rejects other text.
func (t *Tag) UnmarshalText(b []byte) error {
	v, err := tags.Parse(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
