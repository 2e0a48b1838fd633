package rest_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
)

// step is one casework transition with its body.
type step struct {
	action string
	body   any
}

// registerAndCarry registers a case of the kind ("complaints" or
// "disputes") in orgA and carries it through the steps; it returns the id,
// reference and query code.
func registerAndCarry(t *testing.T, f *fixture, kind string, body any, steps ...step) (id, ref, code string) {
	t.Helper()
	cw := keyOf(orgA, ssra.RoleCaseworker)
	reg := f.call(t, "POST", "/v1/"+kind, cw, body).must(t, http.StatusCreated)
	id, ref, code = reg.str("id"), reg.str("data", "ref"), reg.str("query_code")
	for i, a := range steps {
		f.call(t, "POST", "/v1/"+kind+"/"+id+"/"+a.action, cw, a.body, "If-Match", etagOf(i+1)).must(t, http.StatusOK)
	}
	return id, ref, code
}

// answeredComplaint is a complaint carried to an answer, so that it can be
// rated.
func answeredComplaint(t *testing.T, f *fixture) (id, ref, code string) {
	t.Helper()
	return registerAndCarry(t, f, "complaints", complaintJSON(), step{"accept", nil}, step{"investigate", nil},
		step{"answer", map[string]any{"outcome": "support", "text": "supply restored", "legal_basis": "regulation art. 32"}})
}

// agreedDispute is a dispute carried to an agreement.
func agreedDispute(t *testing.T, f *fixture) (id, ref, code string) {
	t.Helper()
	return registerAndCarry(t, f, "disputes", disputeJSON(),
		step{"assign", map[string]any{"user_id": "u-med", "name": "mediator", "mode": "standard"}}, step{"start", nil},
		step{"agree", map[string]any{"form": "written", "terms": "the wall moves 1 m", "perform_by": "2026-12-31", "signed": true, "sealed": true}})
}

// page sends a request to an HTML page and returns the answer.
func (f *fixture) page(t *testing.T, method, target string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec
}

var tags = regexp.MustCompile(`<[^>]*>`)

// pageText is the page's text without its markup.
func pageText(html string) string {
	return strings.Join(strings.Fields(tags.ReplaceAllString(html, " ")), " ")
}

func TestStatusPageShowsThePublicViewOnly(t *testing.T) {
	f := newFixture(t)
	_, ref, code := answeredComplaint(t, f)
	rec := f.page(t, "POST", "/status/complaint", url.Values{"reference": {ref}, "code": {code}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d\n%s", rec.Code, rec.Body)
	}
	h := rec.Header()
	if got := h.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") || strings.Contains(got, "script-src") || strings.Contains(got, "unsafe") {
		t.Errorf("policy %q: want default-src 'none' and no script source", got)
	}
	for k, want := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
		"Content-Type": "text/html; charset=UTF-8"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: got %q, want %q", k, got, want)
		}
	}
	body := rec.Body.String()
	text := pageText(body)
	for _, want := range []string{`<html lang="zh-CN">`, "信访事项办理进度查询", ref, "已出具处理意见", "复查", "请求复查", "本事项的复查请求期限至",
		"依据", "满意度评价", `name="rating"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, text)
		}
	}
	// Nothing of the case beyond the public view: no complainant, phone,
	// facts, answer text or material.
	for _, leak := range []string{"Li Hua", "13800000000", "water cut", "supply restored", "photo", "regulation art. 32", "query_hash"} {
		if strings.Contains(body, leak) {
			t.Errorf("page shows %q, which the public view does not", leak)
		}
	}
	if strings.Contains(body, "<script") {
		t.Error("the status page carries a script")
	}
}

func TestStatusPageLanguage(t *testing.T) {
	f := newFixture(t)
	_, ref, code := answeredComplaint(t, f)
	for _, c := range []struct {
		name, accept, lang, want string
	}{
		{"default", "", "", `lang="zh-CN"`},
		{"browser prefers English", "en-GB,en;q=0.9,zh;q=0.5", "", `lang="en"`},
		{"browser prefers Chinese", "zh-CN,en;q=0.5", "", `lang="zh-CN"`},
		{"switch beats the browser", "zh-CN", "en", `lang="en"`},
		{"switch back", "en", "zh-CN", `lang="zh-CN"`},
		{"unknown language", "fr-FR", "", `lang="zh-CN"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := url.Values{"reference": {ref}, "code": {code}}
			if c.lang != "" {
				form.Set("lang", c.lang)
			}
			rec := f.page(t, "POST", "/status/complaint", form, "Accept-Language", c.accept)
			if !strings.Contains(rec.Body.String(), "<html "+c.want+">") {
				t.Fatalf("want <html %s>: %.300s", c.want, rec.Body)
			}
		})
	}
	en := f.page(t, "POST", "/status/complaint", url.Values{"reference": {ref}, "code": {code}, "lang": {"en"}}).Body.String()
	for _, want := range []string{"Check the progress of a complaint", "answered", "review it (复查)", "For this case the review must be requested by"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
}

func TestStatusPageRefusesAlike(t *testing.T) {
	f := newFixture(t)
	_, ref, code := answeredComplaint(t, f)
	wrong := f.page(t, "POST", "/status/complaint", url.Values{"reference": {ref}, "code": {"WRONG-CODE"}})
	unknown := f.page(t, "POST", "/status/complaint", url.Values{"reference": {"XF-none"}, "code": {"WRONG-CODE"}})
	if wrong.Code != http.StatusNotFound || unknown.Code != http.StatusNotFound {
		t.Fatalf("wrong code %d, unknown reference %d: want 404 for both", wrong.Code, unknown.Code)
	}
	// The two pages differ only by the reference typed in.
	if a, b := strings.ReplaceAll(wrong.Body.String(), ref, "REF"), strings.ReplaceAll(unknown.Body.String(), "XF-none", "REF"); a != b {
		t.Errorf("a wrong code and an unknown reference answer different pages")
	}
	if strings.Contains(wrong.Body.String(), "WRONG-CODE") {
		t.Error("a refused code is echoed into the page")
	}
	// A code in the address is ignored: only the form body counts.
	addr := f.page(t, "POST", "/status/complaint?code="+url.QueryEscape(code)+"&reference="+url.QueryEscape(ref), url.Values{})
	if addr.Code != http.StatusBadRequest || !strings.Contains(addr.Body.String(), "请填写查询码") {
		t.Errorf("code in the address: status %d, want 400 naming the empty code field", addr.Code)
	}
	missing := f.page(t, "POST", "/status/complaint", url.Values{"reference": {ref}})
	if missing.Code != http.StatusBadRequest || !strings.Contains(missing.Body.String(), `aria-invalid="true"`) ||
		!strings.Contains(missing.Body.String(), `href="#code"`) {
		t.Errorf("missing code: status %d, want 400 with the field marked and linked", missing.Code)
	}
	if r := f.page(t, "GET", "/status/petition", nil); r.Code != http.StatusNotFound || !strings.Contains(r.Body.String(), "<html") {
		t.Errorf("unknown kind: status %d, want an HTML 404", r.Code)
	}
}

func TestStatusPageRatingAndDisputes(t *testing.T) {
	f := newFixture(t)
	_, ref, code := answeredComplaint(t, f)
	r := f.page(t, "POST", "/status/complaint/rating", url.Values{"reference": {ref}, "code": {code}})
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body.String(), "请选择一项评价") {
		t.Errorf("rating without a choice: %d", r.Code)
	}
	r = f.page(t, "POST", "/status/complaint/rating", url.Values{"reference": {ref}, "code": {code}, "rating": {"satisfied"}})
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "您的评价已记录") {
		t.Errorf("rating: %d\n%s", r.Code, pageText(r.Body.String()))
	}
	// Within the profile's window the rating may be replaced; after it,
	// the page says the rating stands.
	r = f.page(t, "POST", "/status/complaint/rating", url.Values{"reference": {ref}, "code": {code}, "rating": {"basically_satisfied"}})
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "您的评价已记录") {
		t.Errorf("a changed rating within the window: %d\n%s", r.Code, pageText(r.Body.String()))
	}
	f.clock.Advance(30 * 24 * time.Hour)
	r = f.page(t, "POST", "/status/complaint/rating", url.Values{"reference": {ref}, "code": {code}, "rating": {"dissatisfied"}})
	if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), "您的评价已确定") {
		t.Errorf("a rating after the window: %d\n%s", r.Code, pageText(r.Body.String()))
	}
	r = f.page(t, "POST", "/status/complaint/rating", url.Values{"reference": {ref}, "code": {"WRONG"}, "rating": {"satisfied"}})
	if r.Code != http.StatusNotFound {
		t.Errorf("rating with a wrong code: %d", r.Code)
	}
	// A complaint not yet answered cannot be rated: the page says why and
	// still shows the case.
	other := complaintJSON()
	other["matter"].(map[string]any)["facts"] = "street lights out for a month"
	reg := f.call(t, "POST", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker), other).must(t, http.StatusCreated)
	r = f.page(t, "POST", "/status/complaint/rating", url.Values{"reference": {reg.str("data", "ref")}, "code": {reg.str("query_code")}, "rating": {"satisfied"}})
	if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), "出具处理意见后才能评价") || !strings.Contains(r.Body.String(), "已登记") {
		t.Errorf("early rating: %d\n%s", r.Code, pageText(r.Body.String()))
	}
	// Disputes: the same page, the mediation's words and rights.
	_, dref, dcode := agreedDispute(t, f)
	d := f.page(t, "POST", "/status/dispute", url.Values{"reference": {dref}, "code": {dcode}}).Body.String()
	for _, want := range []string{"矛盾纠纷调解进度查询", "已达成调解协议", "司法确认", "本案的申请期限至"} {
		if !strings.Contains(d, want) {
			t.Errorf("dispute page lacks %q:\n%s", want, pageText(d))
		}
	}
	for _, leak := range []string{"Zhao Lei", "Qian Min", "the wall moves", "13700000000"} {
		if strings.Contains(d, leak) {
			t.Errorf("dispute page shows %q", leak)
		}
	}
	// A complaint's code does not open it as a dispute.
	if r := f.page(t, "POST", "/status/dispute", url.Values{"reference": {ref}, "code": {code}}); r.Code != http.StatusNotFound {
		t.Errorf("complaint as a dispute: %d", r.Code)
	}
}

func TestStatusPageLimit(t *testing.T) {
	f := newFixture(t)
	var last int
	for i := 0; i < 1001; i++ {
		last = f.page(t, "POST", "/status/complaint", url.Values{"reference": {"XF-1"}, "code": {"x"}}).Code
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("after the public limit: %d, want 429", last)
	}
	// The form itself is not counted.
	if r := f.page(t, "GET", "/status/complaint", nil); r.Code != http.StatusOK {
		t.Errorf("form after the limit: %d", r.Code)
	}
}
