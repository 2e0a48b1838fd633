package riskeval

import "fmt"

// Step is one line of an explanation: a stable key naming the rule or
// computation (for example "index.residual" or "ahp.cr"), and a sentence a
// person can check by hand.
type Step struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Explanation is the ordered list of steps that produced a result.
type Explanation []Step

// Addf appends a step.
func (e *Explanation) Addf(key, format string, args ...any) {
	*e = append(*e, Step{Key: key, Text: fmt.Sprintf(format, args...)})
}
