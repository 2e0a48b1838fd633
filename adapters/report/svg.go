package report

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// fontStack is the font stack of the page and the charts: CJK fonts first
// so that Chinese renders with a matching face, then generic sans-serif.
const fontStack = `'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans', 'Helvetica Neue', Arial, sans-serif`

// level colours: the fill of a cell or bar at each level.
var levelFill = [...]string{"#eeeeee", "#c8e6c9", "#ffe082", "#ef9a9a"}

// svgBuf accumulates SVG markup. Text goes through text and attr, which
// escape it as XML character data.
type svgBuf struct{ strings.Builder }

// xmlText writes s escaped for XML character data and attribute values:
// the five special characters become references, and characters XML 1.0
// does not allow (controls, invalid UTF-8, U+FFFE, U+FFFF) become U+FFFD.
func xmlText(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b.WriteString("&amp;")
			case c == '<':
				b.WriteString("&lt;")
			case c == '>':
				b.WriteString("&gt;")
			case c == '"':
				b.WriteString("&quot;")
			case c == '\'':
				b.WriteString("&apos;")
			case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
				b.WriteString("\uFFFD")
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
}

// text writes escaped character data.
func (s *svgBuf) text(t string) { xmlText(&s.Builder, t) }

// f writes a coordinate with at most one decimal.
func (s *svgBuf) f(v float64) {
	s.WriteString(num(v))
}

func num(v float64) string {
	out := strconv.FormatFloat(v, 'f', 1, 64)
	out = strings.TrimSuffix(out, ".0")
	if out == "-0" {
		return "0"
	}
	return out
}

// el writes an element start: name followed by attribute pairs; numeric
// attributes are float64, others strings (escaped).
func (s *svgBuf) open(name string, attrs ...any) {
	s.WriteByte('<')
	s.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		s.WriteByte(' ')
		s.WriteString(attrs[i].(string))
		s.WriteString(`="`)
		switch v := attrs[i+1].(type) {
		case float64:
			s.f(v)
		case int:
			s.WriteString(strconv.Itoa(v))
		case string:
			s.text(v)
		}
		s.WriteByte('"')
	}
}

// empty writes an empty element.
func (s *svgBuf) empty(name string, attrs ...any) {
	s.open(name, attrs...)
	s.WriteString("/>\n")
}

// textEl writes a text element with escaped content.
func (s *svgBuf) textEl(content string, attrs ...any) {
	s.open("text", attrs...)
	s.WriteByte('>')
	s.text(content)
	s.WriteString("</text>\n")
}

// title writes an SVG <title> child holding the full text of a shortened
// label, shown as a tooltip by viewers.
func (s *svgBuf) title(t string) {
	s.WriteString("<title>")
	s.text(t)
	s.WriteString("</title>")
}

// start writes the root element with its size, view box, accessible title
// and font stack.
func (s *svgBuf) start(w, h float64, label, class string) {
	s.open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", w, "height", h, "viewBox", "0 0 "+num(w)+" "+num(h),
		"role", "img", "aria-label", label, "class", class, "font-family", fontStack, "font-size", 12)
	s.WriteString(">\n")
	s.title(label)
	s.WriteByte('\n')
}

func (s *svgBuf) end() { s.WriteString("</svg>\n") }

// textWidth estimates the rendered width of t at font size px: CJK and
// other wide characters take one em, narrow ones about 0.6 em.
func textWidth(t string, px float64) float64 {
	w := 0.0
	for _, r := range t {
		if isWide(r) {
			w += px
		} else {
			w += 0.6 * px
		}
	}
	return w
}

func isWide(r rune) bool {
	return r >= 0x1100 && (r <= 0x115F || (r >= 0x2E80 && r <= 0xA4CF) || (r >= 0xAC00 && r <= 0xD7A3) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6))
}

// fit shortens t with an ellipsis so that it fits max pixels at font size
// px, and reports whether it did.
func fit(t string, px, max float64) (string, bool) {
	if textWidth(t, px) <= max {
		return t, false
	}
	w := textWidth("…", px)
	for i, r := range t {
		rw := 0.6 * px
		if isWide(r) {
			rw = px
		}
		if w+rw > max {
			return t[:i] + "…", true
		}
		w += rw
	}
	return t, false
}
