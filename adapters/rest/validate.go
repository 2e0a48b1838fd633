package rest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/stability"
)

// The request envelopes of the compute endpoints are checked with
// validator v10 before the domain sees them, for what is the request's and
// not a domain rule: the presence of members (required), the adapter's own
// bounds (the sensitivity route's sample count, a ranking's people), and
// names of what the server ships, as field errors of the request. A rule the
// domain checks (a range, an empty list, a blank name) is left to the
// domain, so that it has one code; the domain's closed sets are fields of
// their own types, refused by the decoder when a name is unknown. Failures
// are problems coded "request.<tag>".
//
// The name tags check a string against the names of what the server ships:
//
//	appraisal_preset a shipped appraisal scheme (appraisal.PresetNames)
//	deadline_preset  a shipped deadline profile (stability.PresetNames)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// requestValidator returns the validator of request envelopes, built once:
// it names fields by their JSON names and knows the name tags.
func requestValidator() *validator.Validate {
	validateOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch name {
			case "-":
				return ""
			case "":
				return f.Name
			}
			return name
		})
		must := func(tag string, fn validator.Func) {
			if err := v.RegisterValidation(tag, fn); err != nil {
				// The tags are fixed here; a failure is a build defect.
				panic(fmt.Sprintf("rest: validator tag %s: %v", tag, err))
			}
		}
		must("appraisal_preset", func(fl validator.FieldLevel) bool {
			return slices.Contains(appraisal.PresetNames(), fl.Field().String())
		})
		must("deadline_preset", func(fl validator.FieldLevel) bool {
			return slices.Contains(stability.PresetNames(), fl.Field().String())
		})
		validate = v
	})
	return validate
}

// validateRequest checks a request envelope and returns an *ssra.Error of
// KindInvalid (422) whose problems name each bad field by its JSON path, such
// as "people", with a code "request.<tag>".
func validateRequest(op string, v any) error {
	err := requestValidator().Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return ssra.Wrap(ssra.KindInternal, op, err, "request validation failed")
	}
	var ps ssra.Problems
	for _, fe := range ves {
		ps.Add("request."+fe.Tag(), fieldPath(fe.Namespace()), "%s", validationMessage(fe))
	}
	return ps.Err(op)
}

// fieldPath drops the envelope type's name from a validator namespace:
// "rankRequest.people" becomes "people".
func fieldPath(ns string) string {
	_, rest, ok := strings.Cut(ns, ".")
	if !ok {
		return ns
	}
	return rest
}

func validationMessage(fe validator.FieldError) string {
	p := fe.Param()
	switch fe.Tag() {
	case "required":
		return "is required"
	case "min":
		return "must have at least " + p + " entries"
	case "max":
		return "must have at most " + p + " entries"
	case "appraisal_preset":
		return "must name a shipped appraisal scheme: " + strings.Join(appraisal.PresetNames(), ", ")
	case "deadline_preset":
		return "must name a shipped deadline profile: " + strings.Join(stability.PresetNames(), ", ")
	}
	return "breaks the rule " + fe.Tag()
}
