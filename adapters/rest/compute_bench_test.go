package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/riskeval"
)

// benchEvaluateBody is an assessment of 30 factors whose weights sum to
// exactly 1 (ten of 0.04, twenty of 0.03), with measures, a survey and
// criteria, evaluated under the default profile.
func benchEvaluateBody() []byte {
	var b strings.Builder
	b.WriteString(`{"subject":{"kind":"project","name":"district heating plant","responsible_unit":"city utilities"},"regime":"ndrc2012_project",`)
	b.WriteString(`"criteria":[{"criterion":"legality","question":"approved plan","answer":"yes"},{"criterion":"reasonableness","question":"fair compensation","answer":"yes"},{"criterion":"feasibility","question":"funding","answer":"yes"},{"criterion":"controllability","question":"emergency plan","answer":"yes"}],`)
	b.WriteString(`"survey":{"frame":"households within 3 km","distributed":400,"support":250,"neutral":80,"oppose":50},"factors":[`)
	areas := []string{"policy_approval", "land_expropriation", "technical_economic", "ecological_environment", "construction_management", "economic_social_impact", "safety_public_order", "media_opinion"}
	for i := range 30 {
		if i > 0 {
			b.WriteByte(',')
		}
		w := "0.03"
		if i < 10 {
			w = "0.04"
		}
		fmt.Fprintf(&b, `{"id":"F%02d","area":"%s","name":"factor %d","weight":"%s","initial":{"probability":%d,"impact":%d},"residual":{"probability":%d,"impact":%d},"measures":[{"id":"M%02d","description":"mitigation measure","owner":"bureau","due":"2027-03-31"}]}`,
			i+1, areas[i%len(areas)], i+1, w, 1+i%5, 1+(i+2)%5, 1+i%3, 1+(i+1)%3, i+1)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// bareEvaluateRequest is the same Go type the server decodes into.
type bareEvaluateRequest struct {
	riskeval.Assessment
	Profile json.RawMessage `json:"profile,omitempty"`
}

// BenchmarkEvaluate compares POST /v1/riskeval/evaluate through the whole
// server (request id, security headers, metrics, logging, body limit,
// Bearer-key authentication, media type check, strict decoding, evaluation
// and encoding of the result) with a bare echo handler that only decodes
// the same body into the same Go types and writes a pre-encoded response of
// the same size. Read the ratio bare ns/op ÷ server ns/op: the server's
// requests per second as a share of the bare handler's. A third handler,
// bare_domain, does what bare does plus the evaluation and its encoding.
func BenchmarkEvaluate(b *testing.B) {
	body := benchEvaluateBody()
	const key = "ssra_bench0000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	auth := rest.AuthenticatorFunc(func(_ context.Context, k string) (store.Identity, error) {
		if k != key {
			return store.Identity{}, ssra.Errorf(ssra.KindUnauthenticated, "bench", "invalid API key")
		}
		return store.Identity{UserID: "u1", OrgID: "o1", Roles: []ssra.Role{ssra.RoleAssessor}}, nil
	})
	srv := rest.New(rest.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, rest.Deps{Auth: auth})

	send := func(h http.Handler) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/v1/riskeval/evaluate", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := send(srv)
	if first.Code != http.StatusOK {
		b.Fatalf("server: %d %s", first.Code, first.Body)
	}
	pre := bytes.Clone(first.Body.Bytes())

	bare := echo.New()
	bare.POST("/v1/riskeval/evaluate", func(c echo.Context) error {
		var req bareEvaluateRequest
		dec := json.NewDecoder(c.Request().Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, pre)
	})
	if rec := send(bare); rec.Code != http.StatusOK || rec.Body.Len() != len(pre) {
		b.Fatalf("bare: %d, %d bytes, want %d", rec.Code, rec.Body.Len(), len(pre))
	}
	b.Logf("body %d bytes, response %d bytes", len(body), len(pre))

	// bare_domain also evaluates and encodes the result as the server does,
	// so that server ÷ bare_domain isolates the cost of the adapter itself
	// (middleware, authentication, strict decoding) from the domain's work.
	profile, err := riskeval.Preset("practice")
	if err != nil {
		b.Fatal(err)
	}
	bareDomain := echo.New()
	bareDomain.POST("/v1/riskeval/evaluate", func(c echo.Context) error {
		var req bareEvaluateRequest
		dec := json.NewDecoder(c.Request().Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return err
		}
		res, err := riskeval.Evaluate(req.Assessment, profile)
		if err != nil {
			return err
		}
		out, err := res.MarshalJSON()
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, out)
	})
	if rec := send(bareDomain); rec.Code != http.StatusOK || rec.Body.Len() != len(pre) {
		b.Fatalf("bare_domain: %d, %d bytes, want %d", rec.Code, rec.Body.Len(), len(pre))
	}

	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"server", srv}, {"bare", bare}, {"bare_domain", bareDomain}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if rec := send(bc.h); rec.Code != http.StatusOK {
					b.Fatalf("%d", rec.Code)
				}
			}
		})
	}
}
