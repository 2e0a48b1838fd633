package restclient

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/riskeval"
)

// The spreadsheet routes take and give files as bytes: the client reads
// and writes no spreadsheet itself, so that its build stays free of a
// spreadsheet library.

// The media types of spreadsheets.
const (
	MediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MediaCSV  = "text/csv"
)

// Sheet is a spreadsheet file sent to the server.
type Sheet struct {
	// Data is the file's content.
	Data []byte
	// Format is "xlsx" or "csv" (CSV in UTF-8 or GB18030).
	Format string
}

func (s Sheet) mediaType() string {
	if s.Format == "csv" {
		return MediaCSV
	}
	return MediaXLSX
}

// SheetScores are the results of an inputs sheet scored on a scheme, and
// the upload's warnings (formulas read by their cached values).
type SheetScores struct {
	Results  []appraisal.Result `json:"results"`
	Warnings ssra.Problems      `json:"warnings"`
}

// SheetRunOptions say what run an inputs sheet becomes.
type SheetRunOptions struct {
	// Kind is "units" or "staff".
	Kind string
	// Scheme is a preset name or a stored scheme (name@version).
	Scheme string
	// Policy is the staff policy preset of a staff run.
	Policy string
	// From and To are the run's period; To's year is the appraisal year.
	From, To ssra.Date
}

func sheetQuery(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	return q
}

// FactorTemplate fetches the factor table template as XLSX, its area
// drop-down list in lang ("zh-CN", "en" or "" for the default) (GET
// /v1/sheets/factor_template).
func (c *Client) FactorTemplate(ctx context.Context, lang string) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/sheets/factor_template", query: sheetQuery("lang", lang)})
	return a.body, err
}

// AppraisalTemplate fetches the inputs template of a scheme, format
// "xlsx" or "csv" ("" for xlsx) (GET /v1/sheets/appraisal_template).
func (c *Client) AppraisalTemplate(ctx context.Context, scheme, format string) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/sheets/appraisal_template", query: sheetQuery("scheme", scheme, "format", format)})
	return a.body, err
}

// factorCall is a factor table upload: the sheet and the rest of the
// assessment as the multipart part "assessment".
func factorCall(path, profile string, a riskeval.Assessment, s Sheet) (call, error) {
	a.Factors = nil
	meta, err := json.Marshal(assessmentBody{Profile: profile, Assessment: a})
	if err != nil {
		return call{}, ssra.Wrap(ssra.KindInvalid, "restclient "+path, err, "the assessment cannot be encoded")
	}
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="factors.`+s.Format+`"`)
	h.Set("Content-Type", s.mediaType())
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(s.Data)
	}
	if err == nil {
		var mp interface{ Write([]byte) (int, error) }
		if mp, err = w.CreateFormField("assessment"); err == nil {
			_, err = mp.Write(meta)
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return call{}, ssra.Wrap(ssra.KindInvalid, "restclient "+path, err, "the upload cannot be written")
	}
	return call{method: http.MethodPost, path: path, raw: b.Bytes(), rawType: w.FormDataContentType()}, nil
}

// ImportAssessment stores a factor table as a new draft assessment (POST
// /v1/sheets/assessments). a is the rest of the assessment (subject,
// regime, criteria …); its factors, if any, are left out: they come from
// the sheet. Every bad cell comes back as a problem
// naming its sheet and cell (因素!E7).
func (c *Client) ImportAssessment(ctx context.Context, profile string, a riskeval.Assessment, s Sheet) (Resource, error) {
	r, err := factorCall("/v1/sheets/assessments", profile, a, s)
	if err != nil {
		return Resource{}, err
	}
	var out Resource
	_, err = c.do(ctx, r, &out)
	return out, err
}

// EvaluateSheet evaluates a factor table as Evaluate evaluates an
// assessment, storing nothing (POST /v1/sheets/evaluate); a and profile
// are as for ImportAssessment.
func (c *Client) EvaluateSheet(ctx context.Context, profile string, a riskeval.Assessment, s Sheet) (riskeval.Result, error) {
	r, err := factorCall("/v1/sheets/evaluate", profile, a, s)
	if err != nil {
		return riskeval.Result{}, err
	}
	var out riskeval.Result
	_, err = c.do(ctx, r, &out)
	return out, err
}

// ScoreSheet scores every row of an inputs sheet on a scheme (POST
// /v1/sheets/score).
func (c *Client) ScoreSheet(ctx context.Context, scheme string, s Sheet) (SheetScores, error) {
	var out SheetScores
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sheets/score", query: sheetQuery("scheme", scheme), raw: s.Data, rawType: s.mediaType()}, &out)
	return out, err
}

// ScoreSheetExport scores an inputs sheet and returns the results export,
// format "xlsx" or "csv": each subject's totals and grade, one sheet per
// scheme section, and the inputs (POST /v1/sheets/score?format=).
func (c *Client) ScoreSheetExport(ctx context.Context, scheme, format string, s Sheet) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodPost, path: "/v1/sheets/score", query: sheetQuery("scheme", scheme, "format", format), raw: s.Data, rawType: s.mediaType()})
	return a.body, err
}

// RankSheet ranks the people of an inputs sheet under a staff policy
// preset for a year (POST /v1/sheets/rank); the server keeps nothing.
func (c *Client) RankSheet(ctx context.Context, scheme, policy string, year int, s Sheet) (appraisal.Ranking, error) {
	var out appraisal.Ranking
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sheets/rank", query: sheetQuery("scheme", scheme, "policy", policy, "year", strconv.Itoa(year)),
		raw: s.Data, rawType: s.mediaType()}, &out)
	return out, err
}

// RankSheetExport is RankSheet answered as the results export, format
// "xlsx" or "csv".
func (c *Client) RankSheetExport(ctx context.Context, scheme, policy string, year int, format string, s Sheet) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodPost, path: "/v1/sheets/rank", query: sheetQuery("scheme", scheme, "policy", policy, "year", strconv.Itoa(year), "format", format),
		raw: s.Data, rawType: s.mediaType()})
	return a.body, err
}

// ImportAppraisalRun stores an inputs sheet as an appraisal run (POST
// /v1/sheets/appraisal_runs).
func (c *Client) ImportAppraisalRun(ctx context.Context, o SheetRunOptions, s Sheet) (Resource, error) {
	q := sheetQuery("kind", o.Kind, "scheme", o.Scheme, "policy", o.Policy)
	if !o.From.IsZero() {
		q.Set("from", o.From.String())
	}
	if !o.To.IsZero() {
		q.Set("to", o.To.String())
	}
	var out Resource
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sheets/appraisal_runs", query: q, raw: s.Data, rawType: s.mediaType()}, &out)
	return out, err
}

// ExportAppraisalRun fetches a stored run's results and inputs, format
// "xlsx" or "csv" (GET /v1/appraisal_runs/{id}/export). A staff run's
// export is for those who may read every person's result.
func (c *Client) ExportAppraisalRun(ctx context.Context, id, format string) ([]byte, error) {
	if err := need("ExportAppraisalRun", map[string]string{"id": id}); err != nil {
		return nil, err
	}
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/appraisal_runs/" + seg(id) + "/export", query: sheetQuery("format", format)})
	return a.body, err
}

// ExportFactors fetches an assessment's factor table as XLSX, in the
// template's layout (GET /v1/assessments/{id}/factors).
func (c *Client) ExportFactors(ctx context.Context, id, lang string) ([]byte, error) {
	if err := need("ExportFactors", map[string]string{"id": id}); err != nil {
		return nil, err
	}
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/assessments/" + seg(id) + "/factors", query: sheetQuery("lang", lang)})
	return a.body, err
}
