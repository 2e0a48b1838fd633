package riskeval

import (
	"encoding/json"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Profile is a validated, immutable risk profile, built from a ProfileDef
// by NewProfile, DecodeProfile or Preset, with every (probability, impact)
// cell rated once. It is safe for concurrent use and cheap to copy. The
// zero Profile is unset: Evaluate refuses it.
type Profile struct {
	c *compiled
	// id and digest identify the stored version the profile was loaded
	// from (WithSource).
	id, digest string
}

// WithSource returns the profile marked as the stored version with the
// given id and digest (the SHA-256 of its canonical JSON, "sha256:<hex>").
// They are not part of the profile's content: whoever loaded it sets them,
// and a result copies them, because a name and version alone do not say
// which profile decided (two organisations may each store "name@version").
func (p Profile) WithSource(id, digest string) Profile {
	p.id, p.digest = id, digest
	return p
}

// ID returns the stored version's id set by WithSource, or "".
func (p Profile) ID() string { return p.id }

// Digest returns the digest set by WithSource, or "".
func (p Profile) Digest() string { return p.digest }

// compiled is a profile's definition, copied, and its table of cells.
type compiled struct {
	def ProfileDef
	// cells[p-1][i-1] is the cell of probability p and impact i.
	cells [][]cell
}

// cell is one (probability, impact) cell of a profile: its score
// r = grade(p) × grade(i), its matrix degree (when the profile has a
// matrix) and the factor level either gives.
type cell struct {
	score  decimal.Decimal
	degree Degree
	level  Level
}

// NewProfile validates def, reporting every problem at once with field
// paths such as "matrix.rows[2].cells[1]" (codes profile.* and matrix.*),
// and builds the Profile. The definition is copied: changing def afterwards
// does not change the Profile.
func NewProfile(def ProfileDef) (Profile, error) {
	if err := def.Validate().Err("riskeval.NewProfile"); err != nil {
		return Profile{}, err
	}
	cp, err := cloneProfileDef(def)
	if err != nil {
		return Profile{}, ssra.Wrap(ssra.KindInvalid, "riskeval.NewProfile", err, "profile cannot be encoded")
	}
	return Profile{c: compile(cp)}, nil
}

// compile rates every cell of a validated definition: the score is the
// product of the grades; the level is the matrix degree's level when the
// profile has a matrix, and the score against the factor thresholds
// otherwise.
func compile(def ProfileDef) *compiled {
	c := &compiled{def: def, cells: make([][]cell, len(def.Probability.Points))}
	for a, pp := range def.Probability.Points {
		c.cells[a] = make([]cell, len(def.Impact.Points))
		for b, ip := range def.Impact.Points {
			cl := cell{score: pp.Grade.Mul(ip.Grade)}
			if def.Matrix != nil {
				cl.degree = def.Matrix.degree(a+1, b+1)
				cl.level = def.Matrix.Levels.Of(cl.degree)
			} else {
				cl.level = def.FactorThresholds.Of(cl.score)
			}
			c.cells[a][b] = cl
		}
	}
	return c
}

// cloneProfileDef returns a deep copy of def, through its JSON form.
func cloneProfileDef(def ProfileDef) (ProfileDef, error) {
	b, err := json.Marshal(def)
	if err != nil {
		return ProfileDef{}, err
	}
	var out ProfileDef
	if err := json.Unmarshal(b, &out); err != nil {
		return ProfileDef{}, err
	}
	return out, nil
}

// IsZero reports whether the profile is unset.
func (p Profile) IsZero() bool { return p.c == nil }

// Name returns the profile's name, "" when it is unset.
func (p Profile) Name() string { return p.def().Name }

// Version returns the profile's version, recorded in every result.
func (p Profile) Version() string { return p.def().Version }

// Basis returns whether the profile's numbers are law or practice.
func (p Profile) Basis() Basis { return p.def().Basis }

// Title returns the profile's title in Chinese and English.
func (p Profile) Title() ssra.Label { return p.def().Title }

// Regime returns the regime with the given id.
func (p Profile) Regime(id string) (Regime, bool) { return p.def().Regime(id) }

// Def returns a deep copy of the profile's definition.
func (p Profile) Def() ProfileDef {
	d, err := cloneProfileDef(*p.def())
	if err != nil {
		// The definition was encoded once already when it was built.
		return *p.def()
	}
	return d
}

// def is the profile's own definition, read-only; the zero definition
// when the profile is unset.
func (p Profile) def() *ProfileDef {
	if p.c == nil {
		return &ProfileDef{}
	}
	return &p.c.def
}

// MarshalJSON encodes the profile's definition.
func (p Profile) MarshalJSON() ([]byte, error) { return json.Marshal(p.def()) }

// UnmarshalJSON decodes a definition strictly and builds it as
// DecodeProfile does, so that a Profile can be a field of a larger JSON
// document.
func (p *Profile) UnmarshalJSON(data []byte) error {
	var def ProfileDef
	if err := strictjson.Decode(data, &def, "riskeval.Profile"); err != nil {
		return err
	}
	v, err := NewProfile(def)
	if err != nil {
		return err
	}
	*p = v
	return nil
}
