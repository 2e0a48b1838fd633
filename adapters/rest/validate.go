package rest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

// The request envelopes of the compute endpoints are checked with
// validator v10 before the domain sees them: required fields, closed sets of
// names (oneof) and bounds on decimals. The domain packages validate the
// content again and report their own problems; the envelope checks only
// catch what the domain would otherwise take as a silent default (an
// omitted event is the zero event "registered") or what reads better as a
// field error of the request (an unknown preset name).
//
// Decimal tags compare with decimal.Decimal.Cmp, never through float64:
//
//	decimal      the value is within ssra.CheckDecimal's limits
//	dgt=X dgte=X the value is > X, ≥ X
//	dlt=X dlte=X the value is < X, ≤ X
//
// Name tags check a string against a closed set the domain defines:
//
//	riskeval_preset  a shipped risk profile (riskeval.PresetNames)
//	appraisal_preset a shipped appraisal scheme (appraisal.PresetNames)
//	deadline_preset  a shipped deadline profile (stability.PresetNames)
//	deadline_event   a stability.EventKind name

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// requestValidator returns the validator of request envelopes, built once:
// it names fields by their JSON names and knows the decimal and name tags.
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
		must("decimal", func(fl validator.FieldLevel) bool {
			d, ok := decimalOf(fl.Field())
			return ok && ssra.CheckDecimal(d) == nil
		})
		for tag, want := range map[string]func(c int) bool{
			"dgt":  func(c int) bool { return c > 0 },
			"dgte": func(c int) bool { return c >= 0 },
			"dlt":  func(c int) bool { return c < 0 },
			"dlte": func(c int) bool { return c <= 0 },
		} {
			must(tag, func(fl validator.FieldLevel) bool {
				d, ok := decimalOf(fl.Field())
				if !ok || ssra.CheckDecimal(d) != nil {
					return false
				}
				bound, err := decimal.NewFromString(fl.Param())
				if err != nil {
					panic(fmt.Sprintf("rest: validator tag %s=%s: %v", fl.GetTag(), fl.Param(), err))
				}
				return want(d.Cmp(bound))
			})
		}
		must("riskeval_preset", func(fl validator.FieldLevel) bool {
			return slices.Contains(riskeval.PresetNames(), fl.Field().String())
		})
		must("appraisal_preset", func(fl validator.FieldLevel) bool {
			return slices.Contains(appraisal.PresetNames(), fl.Field().String())
		})
		must("deadline_preset", func(fl validator.FieldLevel) bool {
			return slices.Contains(stability.PresetNames(), fl.Field().String())
		})
		must("deadline_event", func(fl validator.FieldLevel) bool {
			var e stability.EventKind
			return e.UnmarshalText([]byte(fl.Field().String())) == nil
		})
		validate = v
	})
	return validate
}

var decimalType = reflect.TypeFor[decimal.Decimal]()

// decimalOf reads a decimal.Decimal or *decimal.Decimal field.
func decimalOf(v reflect.Value) (decimal.Decimal, bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return decimal.Decimal{}, false
		}
		v = v.Elem()
	}
	if v.Type() != decimalType {
		return decimal.Decimal{}, false
	}
	return v.Interface().(decimal.Decimal), true
}

// validateRequest checks a request envelope and returns an *ssra.Error of
// KindInvalid (422) whose problems name each bad field by its JSON path, such
// as "membership[1][0]", with a code "request.<tag>".
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
// "fuzzyRequest.membership[1][0]" becomes "membership[1][0]".
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
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(p, " ", ", ")
	case "min":
		return "must have at least " + p + " entries"
	case "max":
		return "must have at most " + p + " entries"
	case "decimal":
		return "must be a decimal within the accepted range and precision"
	case "dgt":
		return "must be greater than " + p
	case "dgte":
		return "must be at least " + p
	case "dlt":
		return "must be less than " + p
	case "dlte":
		return "must be at most " + p
	case "riskeval_preset":
		return "must name a shipped risk profile: " + strings.Join(riskeval.PresetNames(), ", ")
	case "appraisal_preset":
		return "must name a shipped appraisal scheme: " + strings.Join(appraisal.PresetNames(), ", ")
	case "deadline_preset":
		return "must name a shipped deadline profile: " + strings.Join(stability.PresetNames(), ", ")
	case "deadline_event":
		return "must name an event, such as registered, accepted or answered"
	}
	return "breaks the rule " + fe.Tag()
}
