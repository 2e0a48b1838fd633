package rest

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// The status page (信访事项办理进度查询) is the status check in HTML for a
// person with a phone and no API client: GET /status/{kind} shows the form,
// POST /status/{kind} answers with the public view of the case (status,
// statutory deadlines with their legal basis, what comes next and the
// person's rights), POST /status/{kind}/rating gives the rating. The
// reference number and the query code travel only in form bodies, never in
// an address; the page needs no script and carries a policy that allows
// none. It shows exactly what the JSON status check shows, no more.

var statusPage = template.Must(template.New("").Funcs(template.FuncMap{
	"date": pageDate,
}).ParseFS(webFS, "web/status.html.tmpl"))

// statusForm is what the person typed, echoed back into the form. The code
// is echoed only into the rating form's hidden field of a page that answers
// the right code (a page that is never cached).
type statusForm struct {
	Reference string
	Code      string
}

// statusData is the status page's template input.
type statusData struct {
	Lang      ssra.Lang
	LangCode  string
	Other     ssra.Lang
	OtherCode string
	Kind      string
	T         map[string]string
	Form      statusForm
	// Problems are the form's own errors (a field left empty), by field.
	Problems map[string]string
	// Error is the one message of a failed check or rating.
	Error string
	// Notice confirms a recorded rating.
	Notice string
	View   *statusView
}

// statusView is the public view as the page shows it.
type statusView struct {
	Ref       string
	Status    string
	Updated   ssra.Date
	Deadlines []pageDeadline
	Next      string
	Rights    []string
	CanRate   bool
	Ratings   []pageOption
}

// pageDeadline is one statutory deadline in the person's language.
type pageDeadline struct {
	Label, Basis, State string
	Due                 ssra.Date
	Open                bool
}

// pageOption is a radio button.
type pageOption struct{ Value, Label string }

func (s *Server) registerStatusPage() {
	s.router.GET("/status/:kind", s.statusForm)
	s.router.POST("/status/:kind", s.statusCheck)
	s.router.POST("/status/:kind/rating", s.statusRate)
}

// statusKind reads the :kind segment: "complaint" or "dispute".
func statusKind(c echo.Context) (store.RecordKind, bool) {
	var k store.RecordKind
	if k.UnmarshalText([]byte(c.Param("kind"))) != nil || (k != store.RecordComplaint && k != store.RecordDispute) {
		return 0, false
	}
	return k, true
}

func newStatusData(c echo.Context, kind store.RecordKind, explicitLang string) *statusData {
	l := pageLang(c, explicitLang)
	d := &statusData{Lang: l, LangCode: langCode(l), Kind: kind.String(), T: pageTexts(kind, l), Problems: map[string]string{}}
	d.Other = ssra.LangEN
	if l == ssra.LangEN {
		d.Other = ssra.LangZH
	}
	d.OtherCode = langCode(d.Other)
	return d
}

func (s *Server) statusForm(c echo.Context) error {
	kind, ok := statusKind(c)
	setPageHeaders(c, pageCSP)
	if !ok {
		return s.pageNotFound(c)
	}
	return renderPage(c, statusPage, "status", http.StatusOK, newStatusData(c, kind, c.QueryParam("lang")))
}

// pageNotFound answers an unknown page kind with the form's page in its
// 404 form.
func (s *Server) pageNotFound(c echo.Context) error {
	d := newStatusData(c, store.RecordComplaint, c.QueryParam("lang"))
	d.Error = d.T["no_page"]
	return renderPage(c, statusPage, "status", http.StatusNotFound, d)
}

// readStatusForm reads the form body only (a reference or code in the
// address is ignored) and checks that both fields are there.
func readStatusForm(c echo.Context, d *statusData) (ok bool, err error) {
	r := c.Request()
	if err := r.ParseForm(); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return false, tooLarge(maxErr.Limit)
		}
		d.Error = d.T["bad_form"]
		return false, nil
	}
	d.Form.Reference = strings.TrimSpace(r.PostForm.Get("reference"))
	d.Form.Code = strings.TrimSpace(r.PostForm.Get("code"))
	if d.Form.Reference == "" {
		d.Problems["reference"] = d.T["reference_missing"]
	}
	if d.Form.Code == "" {
		d.Problems["code"] = d.T["code_missing"]
	}
	if len(d.Form.Reference) > 64 {
		d.Problems["reference"] = d.T["reference_long"]
	}
	if len(d.Form.Code) > 64 {
		d.Problems["code"] = d.T["code_long"]
	}
	return len(d.Problems) == 0, nil
}

// postedLang is the language chosen on the page, sent with the form.
func postedLang(c echo.Context) string {
	if err := c.Request().ParseForm(); err != nil {
		return ""
	}
	return c.Request().PostForm.Get("lang")
}

func (s *Server) statusCheck(c echo.Context) error {
	return s.statusAnswer(c, false)
}

func (s *Server) statusRate(c echo.Context) error {
	return s.statusAnswer(c, true)
}

// statusAnswer serves a check or a rating: the form is read, the request
// counted against the public limit, the case looked up with the code, and
// the page rendered with the view or with the one failure message.
func (s *Server) statusAnswer(c echo.Context, rate bool) error {
	kind, ok := statusKind(c)
	setPageHeaders(c, pageCSP)
	if !ok {
		return s.pageNotFound(c)
	}
	d := newStatusData(c, kind, postedLang(c))
	ok, err := readStatusForm(c, d)
	if err != nil {
		return err
	}
	if !ok {
		d.Form.Code = ""
		return renderPage(c, statusPage, "status", http.StatusBadRequest, d)
	}
	if err := s.countPublic(c); err != nil {
		d.Form.Code = ""
		d.Error = d.T["rate_limited"]
		return renderPage(c, statusPage, "status", http.StatusTooManyRequests, d)
	}
	ctx := c.Request().Context()
	status := http.StatusOK
	var v publicView
	if rate {
		var r stability.Rating
		if err := r.UnmarshalText([]byte(c.Request().PostForm.Get("rating"))); err != nil {
			d.Problems["rating"] = d.T["rating_missing"]
			status = http.StatusBadRequest
		} else if v, err = s.rateCase(ctx, kind, d.Form.Reference, d.Form.Code, r); err == nil {
			d.Notice = d.T["rated"]
		} else if status = s.pageFailure(c, d, err); status == http.StatusNotFound {
			return renderPage(c, statusPage, "status", status, d)
		}
	}
	if !rate || status != http.StatusOK {
		// Show the case as it stands (after a refused rating too).
		var cerr error
		v, cerr = s.checkStatus(ctx, kind, d.Form.Reference, d.Form.Code)
		if cerr != nil {
			status = s.pageFailure(c, d, cerr)
			return renderPage(c, statusPage, "status", status, d)
		}
	}
	d.View = pageView(v, kind, d.Lang)
	return renderPage(c, statusPage, "status", status, d)
}

// pageFailure puts the message of a failed check or rating on the page and
// returns the status to answer with. An unknown reference and a wrong code
// get the same message; the code is not echoed back.
func (s *Server) pageFailure(c echo.Context, d *statusData, err error) int {
	p, _ := s.problemOf(err, c)
	switch {
	case p.Status == http.StatusNotFound:
		d.Form.Code = ""
		d.Error = d.T["no_case"]
	case p.Status == http.StatusConflict:
		d.Error = d.T["rating_refused"]
		if len(p.Errors) > 0 {
			if t, ok := ratingRefusals[p.Errors[0].Code]; ok {
				d.Error = t.In(d.Lang)
			}
		}
	case p.Status >= 500:
		d.Form.Code = ""
		d.Error = d.T["internal"] + " " + p.RequestID
	default:
		d.Error = p.Detail
	}
	return p.Status
}

// pageView turns the public view into the page's words.
func pageView(v publicView, kind store.RecordKind, l ssra.Lang) *statusView {
	out := &statusView{Ref: v.Ref, Status: v.StatusLabel.In(l), Updated: v.Updated, CanRate: v.CanRate}
	for _, dl := range v.Deadlines {
		out.Deadlines = append(out.Deadlines, pageDeadline{
			Label: dl.Label.In(l), Basis: dl.Basis.In(l), Due: dl.Due,
			State: deadlineStates[dl.Status].In(l), Open: dl.Status == stability.DeadlineOpen,
		})
	}
	g := guidanceFor(kind, v.Status)
	out.Next = g.next.In(l)
	for _, r := range g.rights {
		text := r.text.In(l)
		if dl, ok := openDeadline(v.PublicView, r.rule); ok {
			text += " " + strings.ReplaceAll(r.by.In(l), "{date}", pageDate(dl.Due, l))
		}
		out.Rights = append(out.Rights, text)
	}
	for _, r := range []stability.Rating{stability.RatingSatisfied, stability.RatingBasicallySatisfied, stability.RatingDissatisfied} {
		out.Ratings = append(out.Ratings, pageOption{Value: r.String(), Label: ratingLabels[r].In(l)})
	}
	return out
}

// openDeadline finds the open deadline of a rule in the view.
func openDeadline(v stability.PublicView, rule string) (stability.PublicDeadline, bool) {
	if rule == "" {
		return stability.PublicDeadline{}, false
	}
	for _, d := range v.Deadlines {
		if d.Rule == rule && d.Status == stability.DeadlineOpen {
			return d, true
		}
	}
	return stability.PublicDeadline{}, false
}

// pageDate writes a date as people read it: 2026年12月2日, 2 December 2026.
func pageDate(d ssra.Date, l ssra.Lang) string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Civil()
	if l == ssra.LangEN {
		return strconv.Itoa(day) + " " + m.String() + " " + strconv.Itoa(y)
	}
	return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(day) + "日"
}
