package report

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// chinaStandardTime is UTC+8 (北京时间), the zone of the report's times
// unless Input.Location names another. A fixed zone: China has kept UTC+8
// without daylight saving since 1991, and a fixed zone needs no time-zone
// database on the machine.
var chinaStandardTime = time.FixedZone("CST", 8*3600)

// timeText formats t in loc (China Standard Time when nil) with the zone
// said in words: 北京时间 / China Standard Time for UTC+8, else the offset.
func timeText(lang ssra.Lang, t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = chinaStandardTime
	}
	t = t.In(loc)
	_, off := t.Zone()
	zone := "UTC" + t.Format("-07:00")
	if off == 8*3600 {
		zone = tr(lang, "beijing_time")
	}
	if lang == ssra.LangZH {
		return t.Format("2006-01-02 15:04:05") + "（" + zone + "）"
	}
	return t.Format("2006-01-02 15:04:05") + " (" + zone + ")"
}

// moneyText formats an amount in yuan for a reader: in Chinese in 亿元 or
// 万元 when it reaches them (1850000000 → 18.5 亿元), in English in
// millions or billions, each followed by the exact figure with its digits
// grouped in threes. No digit is rounded away: the large unit is the exact
// amount with the decimal point moved.
func moneyText(lang ssra.Lang, yuan decimal.Decimal) string {
	exact := groupDigits(yuan.String())
	abs := yuan.Abs()
	type unit struct {
		shift int32
		name  string
	}
	var units []unit
	if lang == ssra.LangZH {
		units = []unit{{8, " 亿元"}, {4, " 万元"}}
	} else {
		units = []unit{{9, " billion"}, {6, " million"}}
	}
	for _, u := range units {
		if abs.Cmp(decimal.New(1, u.shift)) >= 0 {
			big := yuan.Shift(-u.shift).String()
			if lang == ssra.LangZH {
				return groupDigits(big) + u.name + "（" + exact + " 元）"
			}
			return "CNY " + groupDigits(big) + u.name + " (" + exact + ")"
		}
	}
	if lang == ssra.LangZH {
		return exact + " 元"
	}
	return "CNY " + exact
}

// groupDigits puts a comma between each three digits of the integer part
// of a decimal numeral: "1850000000.5" → "1,850,000,000.5".
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}
