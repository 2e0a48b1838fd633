package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sheet"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/riskeval"
)

// The media types of the spreadsheets (电子表格) the server reads and writes.
const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv"
)

// The routes that take a spreadsheet as their body. requireJSON lets them
// through and bodyLimit gives them Config.SheetLimit: the handler checks
// the media type itself.
var sheetUploads = map[string]bool{
	"/v1/sheets/assessments":    true,
	"/v1/sheets/evaluate":       true,
	"/v1/sheets/score":          true,
	"/v1/sheets/rank":           true,
	"/v1/sheets/appraisal_runs": true,
}

// registerSheets adds the spreadsheet routes: the templates, the uploads
// of a factor table (into a draft or an evaluation) and of appraisal
// inputs (into a score, a ranking or a stored run), and the exports of a
// stored run's results and of an assessment's factor table.
func (s *Server) registerSheets() {
	g := s.v1
	g.GET("/sheets/factor_template", s.factorTemplate)
	g.GET("/sheets/appraisal_template", s.appraisalTemplate)
	g.POST("/sheets/assessments", s.importAssessment, requireRole(ssra.RoleAssessor))
	g.POST("/sheets/evaluate", s.sheetEvaluate)
	g.POST("/sheets/score", s.sheetScore)
	g.POST("/sheets/rank", s.sheetRank)
	g.POST("/sheets/appraisal_runs", s.importAppraisalRun, requireRole(ssra.RoleAppraiser))
	g.GET("/appraisal_runs/:id/export", s.exportAppraisalRun)
	g.GET("/assessments/:id/factors", s.exportFactors)
}

// sheetLimits are the limits of an upload's spreadsheet.
func (s *Server) sheetLimits() sheet.Limits {
	return sheet.Limits{MaxBytes: s.cfg.SheetLimit, MaxRows: s.cfg.SheetRows}
}

// upload is a spreadsheet sent to a route, and the JSON part that came
// with it in a multipart body.
type upload struct {
	data   []byte
	format sheet.Format
	meta   []byte
}

// formatOf is the spreadsheet format of a media type, or of a file name's
// extension when the type says nothing more than octet-stream.
func formatOf(mediaType, filename string) (sheet.Format, bool) {
	switch mediaType {
	case mimeXLSX:
		return sheet.XLSX, true
	case mimeCSV:
		return sheet.CSV, true
	case "", "application/octet-stream":
		switch strings.ToLower(path.Ext(filename)) {
		case ".xlsx":
			return sheet.XLSX, true
		case ".csv":
			return sheet.CSV, true
		}
	}
	return 0, false
}

func sheetMediaType(got string) *transportCondition {
	return &transportCondition{Status: http.StatusUnsupportedMediaType, Name: "unsupported_media_type", Title: "Unsupported media type",
		Detail: "send the spreadsheet as " + mimeXLSX + " or " + mimeCSV + ", or as the part \"file\" of multipart/form-data, not " + strconv.Quote(got)}
}

// readLimited reads r up to limit bytes; a longer body is 413.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, tooLarge(limit)
		}
		return nil, badRequest("the body cannot be read", nil)
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return b, nil
}

// readUpload reads the spreadsheet of a request: the body itself, of type
// XLSX or CSV, or multipart/form-data with the part "file" and, where the
// route takes one (metaPart), a JSON part. A body over the sheet limit is
// 413 before anything is parsed.
func (s *Server) readUpload(c echo.Context, metaPart string) (upload, error) {
	req := c.Request()
	limit := s.cfg.SheetLimit
	if req.ContentLength > limit+multipartSlack {
		return upload{}, tooLarge(limit)
	}
	ct := req.Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return upload{}, sheetMediaType(ct)
	}
	if f, ok := formatOf(mt, ""); ok && mt != "" && mt != "application/octet-stream" {
		if req.ContentLength > limit {
			return upload{}, tooLarge(limit)
		}
		b, err := readLimited(req.Body, limit)
		return upload{data: b, format: f}, err
	}
	if mt != "multipart/form-data" || params["boundary"] == "" {
		return upload{}, sheetMediaType(ct)
	}
	mr := multipart.NewReader(req.Body, params["boundary"])
	var up upload
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return upload{}, tooLarge(limit)
			}
			return upload{}, badRequest("the multipart body cannot be read", ssra.Problems{{Code: "multipart.malformed", Field: "file", Message: err.Error()}})
		}
		name := part.FormName()
		if seen[name] {
			return upload{}, badRequest("a part appears twice", ssra.Problems{{Code: "multipart.duplicate", Field: name, Message: "the part appears twice"}})
		}
		seen[name] = true
		switch {
		case name == "file":
			pmt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
			f, ok := formatOf(pmt, part.FileName())
			if !ok {
				return upload{}, sheetMediaType(part.Header.Get("Content-Type"))
			}
			if up.data, err = readLimited(part, limit); err != nil {
				return upload{}, err
			}
			up.format = f
		case name == metaPart && metaPart != "":
			if up.meta, err = readLimited(part, s.cfg.BodyLimit); err != nil {
				return upload{}, err
			}
		default:
			return upload{}, badRequest("unknown part", ssra.Problems{{Code: "multipart.unknown_part", Field: name, Message: "this route takes the parts " + partsOf(metaPart)}})
		}
	}
	if up.format == 0 {
		return upload{}, badRequest("no spreadsheet", ssra.Problems{{Code: "request.required", Field: "file", Message: "send the spreadsheet as the part \"file\""}})
	}
	return up, nil
}

// multipartSlack is what a multipart body may hold beyond the spreadsheet:
// the boundaries, the part headers and a JSON part.
const multipartSlack = 1 << 20

func partsOf(meta string) string {
	if meta == "" {
		return `"file"`
	}
	return `"file" and "` + meta + `"`
}

// sheetFormat reads the format query parameter, the first allowed value
// by default.
func sheetFormat(c echo.Context, allowed ...string) (string, error) {
	v := c.QueryParam("format")
	if v == "" {
		v = allowed[0]
	}
	if !slices.Contains(allowed, v) {
		return "", badRequest("unknown format", ssra.Problems{{Code: "query.format", Field: "format", Message: "format must be one of " + strings.Join(allowed, ", ")}})
	}
	return v, nil
}

// writeSheet answers with a spreadsheet file, named for a download.
func writeSheet(c echo.Context, format, name string, b []byte) error {
	mt := mimeXLSX
	if format == "csv" {
		mt = mimeCSV + "; charset=utf-8"
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + "." + format}))
	return c.Blob(http.StatusOK, mt, b)
}

func formatFile(format string) sheet.Format {
	if format == "csv" {
		return sheet.CSV
	}
	return sheet.XLSX
}

// factorTemplate answers GET /v1/sheets/factor_template?lang=zh-CN|en: the
// empty factor table with the area catalogue's drop-down list.
func (s *Server) factorTemplate(c echo.Context) error {
	if err := onlyQuery(c, "lang"); err != nil {
		return err
	}
	lang, err := reportLang(c)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := sheet.WriteFactorsIn(&b, nil, lang); err != nil {
		return err
	}
	return writeSheet(c, "xlsx", "factor-template", b.Bytes())
}

// appraisalTemplate answers GET /v1/sheets/appraisal_template?scheme=&format=:
// the inputs sheet with a column for each of the scheme's items.
func (s *Server) appraisalTemplate(c echo.Context) error {
	if err := onlyQuery(c, "scheme", "format"); err != nil {
		return err
	}
	format, err := sheetFormat(c, "xlsx", "csv")
	if err != nil {
		return err
	}
	p, err := caller(c)
	if err != nil {
		return err
	}
	scheme, _, err := s.sheetScheme(c, p, c.QueryParam("scheme"))
	if err != nil {
		return err
	}
	var items []sheet.Item
	for _, it := range scheme.Items() {
		items = append(items, sheet.Item{ID: it.ID, Label: it.Label})
	}
	var b bytes.Buffer
	if err := sheet.WriteInputs(&b, formatFile(format), items, nil); err != nil {
		return err
	}
	return writeSheet(c, format, "appraisal-inputs-"+scheme.Name(), b.Bytes())
}

// sheetScheme resolves the scheme query parameter: a preset or a stored
// scheme, as a run names it.
func (s *Server) sheetScheme(c echo.Context, p store.Identity, ref string) (*appraisal.Scheme, appraisal.SchemeRef, error) {
	if ref == "" {
		return nil, appraisal.SchemeRef{}, badRequest("no scheme", ssra.Problems{{Code: "query.required", Field: "scheme", Message: "name the scheme: a preset (" + strings.Join(appraisal.PresetNames(), ", ") + ") or a stored scheme as name@version"}})
	}
	sc, ref2, err := s.schemeFor(c.Request().Context(), p.Actor(), ref)
	if ssra.KindOf(err) == ssra.KindNotFound {
		return nil, appraisal.SchemeRef{}, ssra.Problems{{Code: "run.scheme_unknown", Field: "scheme", Message: "no scheme " + strconv.Quote(ref)}}.Err("rest.sheets")
	}
	return sc, ref2, err
}

// factorsUpload reads a factor table upload into an assessment input: the
// JSON part "assessment" (an assessment input without factors) or, for a
// bare spreadsheet, the query's profile, kind, name and regime.
func (s *Server) factorsUpload(c echo.Context) (assessmentInput, ssra.Problems, error) {
	if err := onlyQuery(c, "profile", "kind", "name", "regime"); err != nil {
		return assessmentInput{}, nil, err
	}
	up, err := s.readUpload(c, "assessment")
	if err != nil {
		return assessmentInput{}, nil, err
	}
	var in assessmentInput
	if up.meta != nil {
		if len(c.QueryParams()) > 0 {
			return in, nil, badRequest("the assessment is given twice", ssra.Problems{{Code: "request.meta_twice", Field: "assessment", Message: "give the assessment either as the part \"assessment\" or by the query, not both"}})
		}
		if err := decodeBytes(up.meta, &in); err != nil {
			return in, nil, prefixCondition(err, "assessment")
		}
		if len(in.Assessment.Factors) > 0 {
			return in, nil, ssra.Problems{{Code: "assessment.factors_twice", Field: "assessment.assessment.factors", Message: "the factors come from the spreadsheet; leave them out of the part"}}.Err("rest.sheets")
		}
	} else {
		in.Profile = c.QueryParam("profile")
		in.Assessment.Subject.Name = c.QueryParam("name")
		in.Assessment.Regime = c.QueryParam("regime")
		if k := c.QueryParam("kind"); k != "" {
			if err := in.Assessment.Subject.Kind.UnmarshalText([]byte(k)); err != nil {
				return in, nil, badRequest("unknown kind", ssra.Problems{{Code: "query.kind", Field: "kind", Message: ssra.Reason(err)}})
			}
		}
	}
	factors, warns, err := sheet.ReadFactors(bytes.NewReader(up.data), up.format, s.sheetLimits())
	if err != nil {
		return in, nil, err
	}
	in.Assessment.Factors = factors
	return in, warns, nil
}

// importAssessment answers POST /v1/sheets/assessments: a factor table
// into a new draft assessment.
func (s *Server) importAssessment(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	in, warns, err := s.factorsUpload(c)
	if err != nil {
		return err
	}
	setWarnings(c, warns)
	return s.storeDraft(c, p, in, "assessment.import")
}

// setWarnings states an upload's warnings (formulas read by their cached
// values) in Sheet-Warning headers, one each, as ASCII quoted strings
// ("\u56e0\u7d20!E7: …"): the answer's body is the resource or the result,
// as the JSON route gives it.
func setWarnings(c echo.Context, warns ssra.Problems) {
	for _, w := range warns {
		c.Response().Header().Add("Sheet-Warning", strconv.QuoteToASCII(w.Field+": "+w.Message+" ("+w.Code+")"))
	}
}

// sheetEvaluate answers POST /v1/sheets/evaluate: a factor table
// evaluated as /v1/riskeval/evaluate evaluates an assessment.
func (s *Server) sheetEvaluate(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	in, warns, err := s.factorsUpload(c)
	if err != nil {
		return err
	}
	if in.Profile == "" {
		in.Profile = "practice"
	}
	prof, err := s.profileFor(c.Request().Context(), p.Actor(), in.Profile)
	if ssra.KindOf(err) == ssra.KindNotFound {
		return ssra.Problems{{Code: "assessment.profile_unknown", Field: "profile", Message: "no profile " + strconv.Quote(in.Profile)}}.Err("rest.sheets")
	}
	if err != nil {
		return err
	}
	res, err := riskeval.Evaluate(in.Assessment, prof)
	if err != nil {
		return err
	}
	b, err := encodeResult(res)
	if err != nil {
		return ssra.Wrap(ssra.KindInternal, "rest.sheets", err, "the result cannot be encoded")
	}
	setWarnings(c, warns)
	return c.JSONBlob(http.StatusOK, b)
}

// inputsUpload reads appraisal inputs.
func (s *Server) inputsUpload(c echo.Context) ([]appraisal.Subject, ssra.Problems, error) {
	up, err := s.readUpload(c, "")
	if err != nil {
		return nil, nil, err
	}
	return sheet.ReadInputs(bytes.NewReader(up.data), up.format, s.sheetLimits())
}

// sheetScoreAnswer is the JSON answer of a score upload.
type sheetScoreAnswer struct {
	Results  []appraisal.Result `json:"results"`
	Warnings ssra.Problems      `json:"warnings"`
}

// sheetScore answers POST /v1/sheets/score?scheme=&format=json|xlsx|csv:
// every row of an inputs sheet scored, as JSON or as the results export.
func (s *Server) sheetScore(c echo.Context) error {
	if err := onlyQuery(c, "scheme", "format"); err != nil {
		return err
	}
	format, err := sheetFormat(c, "json", "xlsx", "csv")
	if err != nil {
		return err
	}
	p, err := caller(c)
	if err != nil {
		return err
	}
	scheme, ref, err := s.sheetScheme(c, p, c.QueryParam("scheme"))
	if err != nil {
		return err
	}
	subjects, warns, err := s.inputsUpload(c)
	if err != nil {
		return err
	}
	ans := sheetScoreAnswer{Results: make([]appraisal.Result, len(subjects)), Warnings: warns}
	rows := make([]sheet.Scored, len(subjects))
	var ps ssra.Problems
	for i, sub := range subjects {
		res, err := appraisal.Score(scheme, sub)
		if err != nil {
			ps = append(ps, ssra.ProblemsOf(prefixProblems(err, sheet.InputsSheet+"["+sub.ID+"]"))...)
			continue
		}
		ans.Results[i], rows[i] = res, sheet.ScoredOf(sub, res)
	}
	if err := ps.Err("rest.sheets"); err != nil {
		return err
	}
	if format == "json" {
		if ans.Warnings == nil {
			ans.Warnings = ssra.Problems{}
		}
		return c.JSON(http.StatusOK, ans)
	}
	var b bytes.Buffer
	if err := sheet.WriteResults(&b, formatFile(format), sheet.Export{Scheme: ref, Inputs: true}, rows); err != nil {
		return err
	}
	setWarnings(c, warns)
	return writeSheet(c, format, "appraisal-results", b.Bytes())
}

// sheetRank answers POST /v1/sheets/rank?scheme=&policy=&year=&format=:
// the people of an inputs sheet ranked under a staff policy preset. The
// people are personnel data: the route computes and keeps nothing.
func (s *Server) sheetRank(c echo.Context) error {
	if err := onlyQuery(c, "scheme", "policy", "year", "format"); err != nil {
		return err
	}
	format, err := sheetFormat(c, "json", "xlsx", "csv")
	if err != nil {
		return err
	}
	p, err := caller(c)
	if err != nil {
		return err
	}
	scheme, ref, err := s.sheetScheme(c, p, c.QueryParam("scheme"))
	if err != nil {
		return err
	}
	pol, year, err := policyAndYear(c)
	if err != nil {
		return err
	}
	subjects, warns, err := s.inputsUpload(c)
	if err != nil {
		return err
	}
	people := peopleOf(subjects)
	rk, err := appraisal.Rank(scheme, pol, appraisal.Run{Year: year}, people)
	if err != nil {
		return err
	}
	if format == "json" {
		setWarnings(c, warns)
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, rk)
	}
	var b bytes.Buffer
	if err := sheet.WriteResults(&b, formatFile(format), sheet.Export{Scheme: ref, Inputs: true}, sheet.ScoredOfRanking(rk, people, pol.GradeSet)); err != nil {
		return err
	}
	setWarnings(c, warns)
	return writeSheet(c, format, "appraisal-ranking", b.Bytes())
}

// policyAndYear reads the staff policy preset and the year of the query.
func policyAndYear(c echo.Context) (appraisal.StaffPolicy, int, error) {
	var ps ssra.Problems
	pol, err := appraisal.StaffPolicyPreset(c.QueryParam("policy"))
	if err != nil {
		ps.Add("query.policy", "policy", "name a staff policy preset: %s", strings.Join(appraisal.StaffPolicyNames(), ", "))
	}
	year, err := strconv.Atoi(c.QueryParam("year"))
	if err != nil || year < 1949 || year > 9999 {
		ps.Add("query.year", "year", "give the appraisal year, e.g. 2026")
	}
	if len(ps) > 0 {
		return pol, 0, badRequest("bad query", ps)
	}
	return pol, year, nil
}

func peopleOf(subjects []appraisal.Subject) []appraisal.Person {
	out := make([]appraisal.Person, len(subjects))
	for i, s := range subjects {
		out[i] = appraisal.Person{ID: s.ID, Inputs: s.Inputs}
	}
	return out
}

// importAppraisalRun answers POST /v1/sheets/appraisal_runs: an inputs
// sheet into a stored run of units (kind=units) or staff (kind=staff,
// with a policy). A staff run from a sheet links no person to a user:
// its results are for the run's author and the administrators only.
func (s *Server) importAppraisalRun(c echo.Context) error {
	if err := onlyQuery(c, "kind", "scheme", "policy", "from", "to"); err != nil {
		return err
	}
	p, err := caller(c)
	if err != nil {
		return err
	}
	in := appraisalRunInput{Kind: c.QueryParam("kind"), Scheme: c.QueryParam("scheme"), Policy: c.QueryParam("policy")}
	var ps ssra.Problems
	for _, q := range []struct {
		name string
		to   *ssra.Date
	}{{"from", &in.From}, {"to", &in.To}} {
		d, err := ssra.ParseDate(c.QueryParam(q.name))
		if err != nil {
			ps.Add("query.date", q.name, "give the period's %s day as YYYY-MM-DD", q.name)
		}
		*q.to = d
	}
	if len(ps) > 0 {
		return badRequest("bad query", ps)
	}
	in.Run.Year = in.To.Time(s.res.Now().Location()).Year()
	subjects, warns, err := s.inputsUpload(c)
	if err != nil {
		return err
	}
	if in.Kind == "staff" {
		for _, per := range peopleOf(subjects) {
			in.Staff = append(in.Staff, staffInput{Person: per})
		}
	} else {
		in.Units = subjects
	}
	setWarnings(c, warns)
	return s.storeRun(c, p, in, "appraisal_run.import")
}

// exportAppraisalRun answers GET /v1/appraisal_runs/{id}/export?format=:
// the stored run's results with their inputs. A staff run's export holds
// every person's result: only those who may read every entry (the run's
// author and administrators, or a caller who is the person or an
// appraiser of each) get it; others get 403.
func (s *Server) exportAppraisalRun(c echo.Context) error {
	if err := onlyQuery(c, "format"); err != nil {
		return err
	}
	format, err := sheetFormat(c, "xlsx", "csv")
	if err != nil {
		return err
	}
	p, err := caller(c)
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), store.RecordAppraisalRun, c.Param("id"))
	if err != nil {
		return err
	}
	var sr storedRun
	if err := unmarshalStored(rec, &sr); err != nil {
		return err
	}
	if view := runView(p, rec, sr); len(view.Redacted) > 0 {
		return ssra.Errorf(ssra.KindForbidden, "rest.sheets", "the export holds every person's result; only the run's author, the administrators, and a caller who is each person or their appraiser may have it")
	}
	rows, err := runRows(sr)
	if err != nil {
		return err
	}
	title := sr.Kind + " " + sr.From.String() + "–" + sr.To.String()
	var b bytes.Buffer
	if err := sheet.WriteResults(&b, formatFile(format), sheet.Export{Scheme: sr.Scheme, Title: title, Inputs: true}, rows); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", etag(rec.Version))
	return writeSheet(c, format, "appraisal-run-"+rec.ID, b.Bytes())
}

// runRows are the export rows of a stored run.
func runRows(sr storedRun) ([]sheet.Scored, error) {
	const op = "rest.sheets"
	var out []sheet.Scored
	for _, u := range sr.Units {
		var sc sheet.Scored
		if err := json.Unmarshal(u.Result, &sc); err != nil {
			return nil, ssra.Wrap(ssra.KindInternal, op, err, "a stored result does not decode")
		}
		sc.Subject = u.Subject
		out = append(out, sc)
	}
	if len(sr.Staff) == 0 {
		return out, nil
	}
	set := appraisal.CivilServants
	if pol, err := appraisal.StaffPolicyPreset(sr.Policy); err == nil {
		set = pol.GradeSet
	}
	for _, e := range sr.Staff {
		var rk struct {
			Proposed appraisal.StaffGrade `json:"proposed"`
			Grade    appraisal.StaffGrade `json:"grade"`
			Position int                  `json:"position"`
			Why      string               `json:"why"`
			Result   json.RawMessage      `json:"result"`
		}
		if err := json.Unmarshal(e.Ranked, &rk); err != nil {
			return nil, ssra.Wrap(ssra.KindInternal, op, err, "a stored ranking does not decode")
		}
		var sc sheet.Scored
		if err := json.Unmarshal(rk.Result, &sc); err != nil {
			return nil, ssra.Wrap(ssra.KindInternal, op, err, "a stored result does not decode")
		}
		sc.Subject = appraisal.Subject{ID: e.Person.ID, Inputs: e.Person.Inputs}
		sc.Staff = &sheet.StaffOutcome{Proposed: rk.Proposed.LabelIn(set), Grade: rk.Grade.LabelIn(set), Position: rk.Position, Why: rk.Why}
		out = append(out, sc)
	}
	return out, nil
}

// exportFactors answers GET /v1/assessments/{id}/factors?lang=: the
// assessment's factor table and measures as the template holds them, to
// edit and import again.
func (s *Server) exportFactors(c echo.Context) error {
	if err := onlyQuery(c, "lang"); err != nil {
		return err
	}
	lang, err := reportLang(c)
	if err != nil {
		return err
	}
	_, rec, err := s.readAssessment(c)
	if err != nil {
		return err
	}
	var sa storedAssessment
	if err := unmarshalStored(rec, &sa); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := sheet.WriteFactorsIn(&b, sa.Assessment.Factors, lang); err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(rec.Version))
	return writeSheet(c, "xlsx", "factors-"+rec.ID, b.Bytes())
}
