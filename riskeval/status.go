package riskeval

import (
	"fmt"
	"strconv"

	"github.com/ssra-go/ssra"
)

// Status is the workflow state of an assessment. Issuing is the assessing
// body's act; approving the project is the decision body's, through Gate.
//
// Unlike the other closed sets, its zero value is a member, StatusDraft, and
// it keeps its own tables rather than an ssra.Enum (whose zero is unset): a
// new assessment is a draft, and a draft's JSON carries no status
// (Assessment.Status is omitempty), so a body without one reads as a draft.
// An unset zero would write "status":"draft" into every draft and change the
// digests of the bodies already stored and logged.
type Status uint8

// The statuses.
const (
	StatusDraft       Status = iota // 起草中
	StatusSubmitted                 // 已提交
	StatusUnderReview               // 审查中
	StatusIssued                    // 已出具评估报告
	StatusReturned                  // 退回修改
)

var statusNames = [...]string{"draft", "submitted", "under_review", "issued", "returned"}

var statusLabels = [...]ssra.Label{
	ssra.L("起草中", "draft"),
	ssra.L("已提交", "submitted"),
	ssra.L("审查中", "under review"),
	ssra.L("已出具", "issued"),
	ssra.L("退回修改", "returned"),
}

// String returns the status name.
func (s Status) String() string {
	if s.Valid() {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool { return int(s) < len(statusNames) }

// Label returns the status's name for people in lang.
func (s Status) Label(lang ssra.Lang) string {
	if s.Valid() {
		return statusLabels[s].In(lang)
	}
	return s.String()
}

// MarshalText encodes the status name.
func (s Status) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("riskeval: invalid status %d", s)
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText decodes a status name and rejects unknown text.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown status %q (want one of %v)", b, statusNames)
}
