package ssra

import "fmt"

// Lang is a language for user-facing labels. The set is closed. Its zero
// value is LangZH on purpose: labels default to the language of the source
// documents, and every caller that renders a label (Label.In, the
// reports, the pages) may leave the language out; there is nothing an unset
// language could be refused for.
type Lang uint8

// The languages.
const (
	// LangZH is Simplified Chinese (zh-CN), the language of the source documents.
	LangZH Lang = iota
	// LangEN is English.
	LangEN
)

// String returns "zh-CN" or "en".
func (l Lang) String() string {
	if l == LangEN {
		return "en"
	}
	return "zh-CN"
}

// MarshalText encodes the language tag.
func (l Lang) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText decodes "zh-CN" (also "zh") or "en" and rejects other text.
func (l *Lang) UnmarshalText(b []byte) error {
	v, err := ParseLang(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// ParseLang parses a language tag: "zh-CN", "zh" or "en".
func ParseLang(s string) (Lang, error) {
	switch s {
	case "zh-CN", "zh", "zh-Hans":
		return LangZH, nil
	case "en", "en-US", "en-GB":
		return LangEN, nil
	}
	return 0, fmt.Errorf("ssra: unknown language %q (want zh-CN or en)", s)
}

// Label is a user-facing name in Chinese and English.
type Label struct {
	ZH string `json:"zh-CN"`
	EN string `json:"en"`
}

// L returns a Label from its Chinese and English texts.
func L(zh, en string) Label { return Label{ZH: zh, EN: en} }

// In returns the label in the given language, falling back to the other
// language when that text is empty.
func (l Label) In(lang Lang) string {
	if lang == LangEN {
		if l.EN != "" {
			return l.EN
		}
		return l.ZH
	}
	if l.ZH != "" {
		return l.ZH
	}
	return l.EN
}

// IsZero reports whether both texts are empty.
func (l Label) IsZero() bool { return l.ZH == "" && l.EN == "" }

// String returns "中文 (English)".
func (l Label) String() string {
	switch {
	case l.ZH == "":
		return l.EN
	case l.EN == "":
		return l.ZH
	}
	return l.ZH + " (" + l.EN + ")"
}
