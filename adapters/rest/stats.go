package rest

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// statsRequest is a parsed GET /v1/stats/casework: the query, the indicators
// asked for (all when empty), the format, and the canonical query string
// that reproduces it (recorded as evidence).
type statsRequest struct {
	Query      store.StatsQuery
	At         ssra.Date
	Indicators []string
	Format     string
	Canonical  string
}

// statsReply is the JSON answer: the query as understood, the measuring
// date, and the figures by group, each with its formula, basis, counts and
// interval.
type statsReply struct {
	Query    string               `json:"query"`
	At       ssra.Date            `json:"at"`
	Filter   stability.CaseFilter `json:"filter"`
	Shared   bool                 `json:"shared"`
	Grouping stability.Grouping   `json:"grouping"`
	Groups   []stability.Group    `json:"groups"`
}

func (s *Server) registerStats() {
	s.v1.GET("/stats/casework", s.caseworkStats)
	s.v1.GET("/stats/register", s.registerIndicatorStats)
	s.v1.GET("/stats/measures", s.measureIndicatorStats)
}

// splitParam returns the values of a repeatable, comma-separated parameter.
func splitParam(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

// statsParams are the query parameters of the stats route.
var statsParams = []string{"org", "shared", "from", "to", "channel", "matter_type", "kind", "group", "indicator", "at", "format"}

// parseStats reads the stats parameters, refusing unknown ones and naming
// each bad value. today is the default measuring date.
func parseStats(q url.Values, today ssra.Date, loc *time.Location) (statsRequest, error) {
	var r statsRequest
	var ps ssra.Problems
	for k := range q {
		if !slices.Contains(statsParams, k) {
			ps.Add("query.unknown", k, "unknown query parameter; this route takes %v", statsParams)
		}
	}
	f := &r.Query.Filter
	f.Organs = splitParam(q, "org")
	if len(f.Organs) > 200 {
		ps.Add("query.org", "org", "at most 200 organisations")
	}
	switch v := q.Get("shared"); v {
	case "", "false":
	case "true":
		r.Query.Shared = true
		if len(f.Organs) == 0 {
			ps.Add("query.shared", "shared", "shared counts the cases shared with the organisations named by org: name them")
		}
	default:
		ps.Add("query.shared", "shared", "must be true or false, not %q", v)
	}
	date := func(name string) ssra.Date {
		v := q.Get(name)
		if v == "" {
			return ssra.Date{}
		}
		d, err := ssra.ParseDate(v)
		if err != nil {
			ps.Add("query.date", name, "must be a date YYYY-MM-DD, not %q", v)
		}
		return d
	}
	f.From, f.To = date("from"), date("to")
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		ps.Add("query.period", "to", "the period [from, to) is empty: to %s is not after from %s", f.To, f.From)
	}
	r.At = date("at")
	if r.At.IsZero() {
		r.At = today
	}
	for _, ch := range splitParam(q, "channel") {
		var c stability.Channel
		var m stability.MediationChannel
		if c.UnmarshalText([]byte(ch)) != nil && m.UnmarshalText([]byte(ch)) != nil {
			ps.Add("query.channel", "channel", "%q is neither a complaint channel nor a mediation channel", ch)
		}
		f.Channels = append(f.Channels, ch)
	}
	for _, mt := range splitParam(q, "matter_type") {
		var m stability.MatterType
		if err := m.UnmarshalText([]byte(mt)); err != nil {
			ps.Add("query.matter_type", "matter_type", "%v", err)
		}
		f.MatterTypes = append(f.MatterTypes, mt)
	}
	if v := q.Get("kind"); v != "" {
		if err := f.Kind.UnmarshalText([]byte(v)); err != nil {
			ps.Add("query.kind", "kind", "must be complaint or dispute, not %q", v)
		}
	}
	for _, g := range splitParam(q, "group") {
		switch g {
		case "org":
			r.Query.Grouping.ByOrgan = true
		case "month":
			r.Query.Grouping.ByMonth = true
		case "duty":
			// Every on-time figure carries its duties by rule.
		default:
			ps.Add("query.group", "group", "must be org, month or duty, not %q", g)
		}
	}
	for _, id := range splitParam(q, "indicator") {
		switch x, ok := stability.LookupIndicator(id); {
		case !ok:
			ps.Add("query.indicator", "indicator", "no indicator %q", id)
		case !stability.IndicatorOverCases(x.ID):
			ps.Add("query.indicator", "indicator", "indicator %q is not measured over cases: %s serves it", id, ledgerRoute(x.ID))
		}
		r.Indicators = append(r.Indicators, id)
	}
	switch r.Format = q.Get("format"); r.Format {
	case "":
		r.Format = "json"
	case "json", "csv":
	default:
		ps.Add("query.format", "format", "must be json or csv, not %q", r.Format)
	}
	if len(ps) > 0 {
		return r, badRequest("invalid query parameters", ps)
	}
	// The measuring time is the start of the day at: a duty due on at is
	// not yet overdue, one due the day before is.
	r.Query.Now = r.At.Time(loc)
	r.Canonical = canonicalStats(r)
	return r, nil
}

// canonicalStats is the query string that reproduces the request, members
// in a fixed order, the measuring date explicit.
func canonicalStats(r statsRequest) string {
	v := url.Values{}
	f := r.Query.Filter
	if len(f.Organs) > 0 {
		v.Set("org", strings.Join(f.Organs, ","))
	}
	if r.Query.Shared {
		v.Set("shared", "true")
	}
	if !f.From.IsZero() {
		v.Set("from", f.From.String())
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.String())
	}
	if len(f.Channels) > 0 {
		v.Set("channel", strings.Join(f.Channels, ","))
	}
	if len(f.MatterTypes) > 0 {
		v.Set("matter_type", strings.Join(f.MatterTypes, ","))
	}
	if f.Kind != 0 {
		v.Set("kind", f.Kind.String())
	}
	var g []string
	if r.Query.Grouping.ByOrgan {
		g = append(g, "org")
	}
	if r.Query.Grouping.ByMonth {
		g = append(g, "month")
	}
	if len(g) > 0 {
		v.Set("group", strings.Join(g, ","))
	}
	if len(r.Indicators) > 0 {
		v.Set("indicator", strings.Join(r.Indicators, ","))
	}
	v.Set("at", r.At.String())
	return "/v1/stats/casework?" + v.Encode()
}

// measure runs a stats request against the store, as the caller.
func (s *Server) measure(c echo.Context, p store.Identity, r statsRequest) ([]stability.Group, error) {
	ts, err := s.res.Store.CaseStats(c.Request().Context(), p.Actor(), r.Query)
	if err != nil {
		return nil, err
	}
	groups := stability.GroupFigures(ts)
	if len(r.Indicators) > 0 {
		for i := range groups {
			groups[i].Figures = slices.DeleteFunc(groups[i].Figures, func(f stability.Figure) bool {
				return !slices.Contains(r.Indicators, f.Indicator)
			})
		}
	}
	if groups == nil {
		groups = []stability.Group{}
	}
	return groups, nil
}

// caseworkStats answers GET /v1/stats/casework: the casework indicators over
// the cases the caller's organisation holds or was shared, filtered and
// grouped, as JSON or CSV. The figures are counts and rates; no case and no
// person is named.
func (s *Server) caseworkStats(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	now := s.res.Now()
	r, err := parseStats(c.QueryParams(), ssra.DateOf(now), now.Location())
	if err != nil {
		return err
	}
	groups, err := s.measure(c, p, r)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if r.Format == "csv" {
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", statsCSV(groups))
	}
	return c.JSON(http.StatusOK, statsReply{Query: r.Canonical, At: r.At, Filter: r.Query.Filter, Shared: r.Query.Shared,
		Grouping: r.Query.Grouping, Groups: groups})
}

// statsCSV renders one row per group and figure.
func statsCSV(groups []stability.Group) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"org", "month", "indicator", "label_zh", "label_en", "kind", "numerator", "denominator",
		"value", "lower", "upper", "mean", "p90", "counts", "formula", "basis"})
	for _, g := range groups {
		for _, f := range g.Figures {
			var value, lower, upper, mean, p90 string
			if f.Rate != nil {
				value, lower, upper = f.Rate.Value.String(), f.Rate.Lower.String(), f.Rate.Upper.String()
			}
			if f.Mean != nil {
				mean = f.Mean.String()
			}
			if f.P90 != nil {
				p90 = strconv.FormatInt(*f.P90, 10)
			}
			counts := make([]string, len(f.Counts))
			for i, n := range f.Counts {
				counts[i] = n.Name + "=" + strconv.FormatInt(n.Count, 10)
			}
			_ = w.Write([]string{g.Key.Organ, g.Key.Month, f.Indicator, f.Label.ZH, f.Label.EN, f.Kind.String(),
				strconv.FormatInt(f.Numerator, 10), strconv.FormatInt(f.Denominator, 10), value, lower, upper, mean, p90,
				strings.Join(counts, ";"), f.Formula.EN, f.Basis.EN})
		}
	}
	w.Flush()
	return b.Bytes()
}
