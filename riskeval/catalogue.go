package riskeval

import (
	_ "embed"
	"fmt"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// CatalogueFactor is a risk factor of the shipped catalogue (风险因素清单):
// the area it belongs to, the stage where it usually arises, and its name in
// zh-CN and en.
type CatalogueFactor struct {
	ID    string     `json:"id"`
	Area  Area       `json:"area"`
	Stage Stage      `json:"stage"`
	Name  ssra.Label `json:"name"`
}

// Catalogue is the factor catalogue: the eight identification areas of the
// 2013 NDRC outline with a seed list of factors drawn from practice.
type Catalogue struct {
	Name    string            `json:"name"`
	Version string            `json:"version"`
	Basis   Basis             `json:"basis"`
	Note    ssra.Label        `json:"note"`
	Factors []CatalogueFactor `json:"factors"`
}

//go:embed catalogue.json
var catalogueJSON []byte

// LoadCatalogue returns the shipped factor catalogue (a fresh copy each call).
func LoadCatalogue() (Catalogue, error) {
	var c Catalogue
	if err := strictjson.Decode(catalogueJSON, &c, "riskeval.LoadCatalogue"); err != nil {
		return Catalogue{}, fmt.Errorf("riskeval: catalogue: %w", err)
	}
	return c, nil
}

// Lookup returns the catalogue factor with the given id.
func (c Catalogue) Lookup(id string) (CatalogueFactor, bool) {
	for _, f := range c.Factors {
		if f.ID == id {
			return f, true
		}
	}
	return CatalogueFactor{}, false
}

// Factor returns a new assessment factor from the catalogue entry, with the
// given id, name language, weight and estimates still to be filled in.
func (f CatalogueFactor) Factor(id string, lang ssra.Lang) Factor {
	return Factor{ID: id, Area: f.Area, Name: f.Name.In(lang), CatalogueID: f.ID, Stage: f.Stage}
}
