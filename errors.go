package ssra

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kind classifies an error so that adapters can map it to a transport status
// in one table. The set is closed.
type Kind uint8

// The error kinds. KindInternal is the zero value's meaning for errors that
// carry no kind, on purpose: an error whose kind nobody set fails closed, as
// an internal error whose detail never reaches a client, rather than being
// read as the client's fault or refused itself.
const (
	// KindInternal is an unexpected failure; its detail never reaches a client.
	KindInternal Kind = iota
	// KindInvalid is input that breaks a rule; the Problems say which.
	KindInvalid
	// KindNotFound is a record that does not exist or is not visible to the caller.
	KindNotFound
	// KindConflict is a state that does not allow the operation (a workflow
	// transition that is not allowed, a duplicate).
	KindConflict
	// KindForbidden is an authenticated caller without the right to act.
	KindForbidden
	// KindUnauthenticated is a caller without valid credentials.
	KindUnauthenticated
	// KindPreconditionFailed is a stale write or an unmet precondition
	// (for example the approval gate refusing an unfinished assessment).
	KindPreconditionFailed
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "forbidden", "unauthenticated", "precondition_failed"}

// String returns the kind's snake_case name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText encodes the kind as its name.
func (k Kind) MarshalText() ([]byte, error) {
	if int(k) >= len(kindNames) {
		return nil, fmt.Errorf("ssra: unknown error kind %d", k)
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText decodes a kind name and rejects unknown text.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("ssra: unknown error kind %q", b)
}

// Severity says whether a Problem makes the input invalid or only advises.
// Its zero value is SeverityError on purpose: a Problem built without a
// severity fails closed, making the input invalid, and never passes as
// advice.
type Severity uint8

// The severities.
const (
	// SeverityError makes the input invalid.
	SeverityError Severity = iota
	// SeverityWarning is an advisory quality finding; the input stays valid.
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// MarshalText encodes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// AppendText appends the severity's name to b.
func (s Severity) AppendText(b []byte) ([]byte, error) { return append(b, s.String()...), nil }

// UnmarshalText decodes "error" or "warning" and rejects other text.
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("ssra: unknown severity %q", b)
	}
	return nil
}

// Problem is one broken rule or advisory finding, located by a field path
// such as "factors[3].residual.probability". Code is stable across versions
// and meant for machines; Message is for people (English).
type Problem struct {
	Code     string   `json:"code"`
	Field    string   `json:"field"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
}

// String formats the problem as "field: message (code)".
func (p Problem) String() string {
	if p.Field == "" {
		return p.Message + " (" + p.Code + ")"
	}
	return p.Field + ": " + p.Message + " (" + p.Code + ")"
}

// Problems is a list of problems, collected so that validation can report
// everything that is wrong at once.
type Problems []Problem

// Add appends an error-severity problem.
func (ps *Problems) Add(code, field, format string, args ...any) {
	*ps = append(*ps, Problem{Code: code, Field: field, Message: fmt.Sprintf(format, args...), Severity: SeverityError})
}

// Warn appends a warning-severity problem.
func (ps *Problems) Warn(code, field, format string, args ...any) {
	*ps = append(*ps, Problem{Code: code, Field: field, Message: fmt.Sprintf(format, args...), Severity: SeverityWarning})
}

// Errors returns the problems of error severity.
func (ps Problems) Errors() Problems { return ps.filter(SeverityError) }

// Warnings returns the problems of warning severity.
func (ps Problems) Warnings() Problems { return ps.filter(SeverityWarning) }

// HasErrors reports whether any problem has error severity.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

func (ps Problems) filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// Prefix returns a copy of the problems with prefix prepended to every field
// path, for nesting the problems of a part inside a whole.
func (ps Problems) Prefix(prefix string) Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		p.Field = JoinPath(prefix, p.Field)
		out[i] = p
	}
	return out
}

// Err returns an *Error of KindInvalid holding the problems when any of them
// has error severity, and nil otherwise. op names the operation.
func (ps Problems) Err(op string) error {
	if !ps.HasErrors() {
		return nil
	}
	return &Error{Kind: KindInvalid, Op: op, Message: "invalid input", Problems: ps.Errors()}
}

// JoinPath joins a parent field path and a child: JoinPath("factors[2]",
// "weight") is "factors[2].weight"; an index child "[3]" attaches directly.
func JoinPath(parent, child string) string {
	switch {
	case parent == "":
		return child
	case child == "":
		return parent
	case strings.HasPrefix(child, "["):
		return parent + child
	}
	return parent + "." + child
}

// Index returns the path of element i of the list at path: Index("factors", 2)
// is "factors[2]".
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Error is the error type of the library: a kind for adapters, the operation
// that failed, a message, optional problems and an optional cause.
type Error struct {
	Kind     Kind
	Op       string
	Message  string
	Problems Problems
	Err      error
}

// Error formats the error with its operation, message, problems and cause.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	writeProblems(&b, e.Problems)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind for operation op.
func Errorf(kind Kind, op, format string, args ...any) error {
	return &Error{Kind: kind, Op: op, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error of the given kind for operation op with err as the
// cause; it returns nil when err is nil.
func Wrap(kind Kind, op string, err error, message string) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: kind, Op: op, Message: message, Err: err}
}

// KindOf returns the kind of the first *Error in err's chain, KindInternal
// when there is none, and KindInternal for nil too (callers check nil first).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ProblemsOf returns the problems of the first *Error in err's chain.
func ProblemsOf(err error) Problems {
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}

// Reason returns err's text for the people who read a problem: the messages
// and problems of the *Error values in its chain without their operations
// (the Go function names that Error() adds for logs), and the text of any
// other cause as it is. A problem message quotes Reason(err), never
// err.Error(), so that users read the rule and not the function.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(e.Message)
	writeProblems(&b, e.Problems)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(Reason(e.Err))
	}
	return b.String()
}

// writeProblems appends ": p1; p2; …" for the problems, nothing for none.
func writeProblems(b *strings.Builder, ps Problems) {
	for i, p := range ps {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
}
