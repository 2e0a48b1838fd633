package riskeval

// Status is the workflow state of an assessment. Issuing is the assessing
// body's act; approving the project is the decision body's, through Gate.
type Status uint8

// The statuses.
const (
	StatusDraft       Status = iota // 起草中
	StatusSubmitted                 // 已提交
	StatusUnderReview               // 审查中
	StatusIssued                    // 已出具评估报告
	StatusReturned                  // 退回修改
)

var statusNames = []string{"draft", "submitted", "under_review", "issued", "returned"}

// String returns the status name.
func (s Status) String() string { return enumString(uint8(s), statusNames) }

// MarshalText encodes the status name.
func (s Status) MarshalText() ([]byte, error) { return enumText(uint8(s), statusNames, "status") }

// UnmarshalText decodes a status name and rejects unknown text.
func (s *Status) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, statusNames, "status")
	*s = Status(v)
	return err
}
