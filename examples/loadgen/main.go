// Command loadgen puts a running ssrad under load for a bounded time and
// prints throughput and p50/p95/p99 latency per operation and overall.
//
//	go run ./examples/loadgen -url http://127.0.0.1:8080 -key KEY -duration 30s -clients 16 -factors 30
//	go run ./examples/loadgen -url http://127.0.0.1:8080 -key KEY -mode size -sizes 10,100,1000 -duration 30s
//	go run ./examples/loadgen -url http://127.0.0.1:8080 -key KEY -mode write -duration 30s
//
// The mixed mode (default) runs evaluations of an assessment of -factors
// factors, creations of assessments and complaints, workflow transitions
// on them, listings and, where the server has the route, reports. Each
// operation runs only when the key's roles allow it: give the key's user
// the assessor and caseworker roles (ssrad users roles -id USER_ID -roles
// admin,assessor,caseworker) for creations and transitions, and
// -reviewer-key, a key of another user of the same organisation with the
// reviewer role, for the review transitions. The size mode measures how
// the cost of an evaluation grows with the number of factors. The write
// mode creates complaints and moves them through accept, investigate and
// answer (every request a write), prints writes per second, and measures
// how long after a sampled write's acknowledgement its leaf is in a
// signed checkpoint of the audit log (polling its inclusion proof; the
// polls are requests too, more of them the longer a leaf waits, so
// -prove-every 0 leaves them out where the cost of writes alone is
// measured).
//
// loadgen writes to the server's database: point it at a throwaway server.
// It refuses an address that is not on loopback unless -allow-remote.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

type config struct {
	url, key, reviewerKey string
	duration              time.Duration
	clients, factors      int
	mode                  string
	sizes                 []int
	allowRemote           bool
	reportPath            string
	proveEvery            int
	// spread is how the clients share several servers: "client" (each
	// client keeps to one server) or "request" (each request goes to the
	// next server in turn, as a balancer in front of them would send it).
	spread string
}

func main() {
	var c config
	var sizes string
	flag.StringVar(&c.url, "url", "http://127.0.0.1:8080", "base URL of the running ssrad; several, separated by commas, share the clients")
	flag.StringVar(&c.key, "key", os.Getenv("SSRA_KEY"), "API key (default $SSRA_KEY)")
	flag.StringVar(&c.reviewerKey, "reviewer-key", os.Getenv("SSRA_REVIEWER_KEY"), "API key of a reviewer of the same organisation, for the review transitions (default $SSRA_REVIEWER_KEY)")
	flag.DurationVar(&c.duration, "duration", 30*time.Second, "how long to run (the size mode splits it between the sizes)")
	flag.IntVar(&c.clients, "clients", 16, "concurrent clients")
	flag.IntVar(&c.factors, "factors", 30, "factors of each evaluated or created assessment")
	flag.StringVar(&c.mode, "mode", "mixed", "mixed: the mixed workload; size: evaluate cost by assessment size; write: complaint creations and transitions only")
	flag.StringVar(&sizes, "sizes", "10,100,1000", "assessment sizes (factors) of the size mode")
	flag.BoolVar(&c.allowRemote, "allow-remote", false, "allow a server that is not on loopback")
	flag.IntVar(&c.proveEvery, "prove-every", 10, "write mode: time every Nth write of each client to a signed checkpoint, polling its inclusion proof every 20 ms (0: none, so that the load is writes alone)")
	flag.StringVar(&c.spread, "spread", "client", "several servers: client (each client keeps to one) or request (each request goes to the next in turn, as behind a balancer)")
	flag.StringVar(&c.reportPath, "report-path", "/v1/assessments/{id}/report", "route of an assessment's report, probed once")
	flag.Parse()
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 100000 {
			fail("-sizes: %q is not a size from 1 to 100000", s)
		}
		c.sizes = append(c.sizes, n)
	}
	if err := run(context.Background(), c, os.Stdout); err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
	os.Exit(1)
}

func run(ctx context.Context, c config, out io.Writer) error {
	switch {
	case c.key == "":
		return errors.New("-key is required")
	case c.clients < 1 || c.clients > 1024:
		return errors.New("-clients must be from 1 to 1024")
	case c.factors < 1 || c.factors > 100000:
		return errors.New("-factors must be from 1 to 100000")
	case c.duration <= 0:
		return errors.New("-duration must be positive")
	case c.mode != "mixed" && c.mode != "size" && c.mode != "write":
		return fmt.Errorf("-mode %q: want mixed, size or write", c.mode)
	case c.spread != "client" && c.spread != "request":
		return fmt.Errorf("-spread %q: want client or request", c.spread)
	}
	hc := &http.Client{
		Timeout:   time.Minute,
		Transport: &http.Transport{MaxIdleConns: c.clients * 2, MaxIdleConnsPerHost: c.clients * 2},
	}
	var cls []*client
	for _, raw := range strings.Split(c.url, ",") {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("-url %q: want http://host:port", raw)
		}
		if !c.allowRemote && !loopback(u.Hostname()) {
			return fmt.Errorf("-url %q is not on loopback; loadgen writes to the server's database (use -allow-remote for a throwaway server elsewhere)", raw)
		}
		cl := &client{base: strings.TrimSuffix(u.String(), "/"), hc: hc}
		if _, err := cl.me(ctx, c.key); err != nil {
			return fmt.Errorf("%s: %w", u, err)
		}
		cls = append(cls, cl)
	}
	servers := len(cls)
	if c.spread == "request" && servers > 1 {
		// One client for all: each request goes to the next server.
		sp := &client{base: cls[0].base, hc: hc, turn: new(atomic.Uint64)}
		for _, cl := range cls {
			sp.bases = append(sp.bases, cl.base)
		}
		cls = []*client{sp}
	}
	cl := cls[0]
	me, err := cl.me(ctx, c.key)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "loadgen: %s (%d servers, spread by %s) as %s of %s, roles %v; %d clients for %v; client machine: %d CPUs, %s\n",
		c.url, servers, c.spread, me.User.Name, me.Organisation.Name, me.Roles, c.clients, c.duration, runtime.NumCPU(), runtime.Version())
	switch c.mode {
	case "size":
		return sizeMode(ctx, c, cls, out)
	case "write":
		return writeMode(ctx, c, cls, me, out)
	}
	return mixedMode(ctx, c, cls, me, out)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// client sends requests to the server.
type client struct {
	base string
	hc   *http.Client
	// bases, when set, are every server's base URL: each request goes to
	// the next in turn (turn counts them), instead of to base.
	bases []string
	turn  *atomic.Uint64
}

type answer struct {
	code int
	etag string
	raw  []byte
	// body is the little the load generator reads of an answer: decoding
	// every answer into maps cost the client a third of what the server
	// spent on a write, CPU taken from the server it measures on the same
	// machine.
	body answerHead
}

// answerHead holds the members of an answer that loadgen uses.
type answerHead struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	Detail  string `json:"detail"`
}

// do sends one request; a status that is not 2xx is an error.
func (cl *client) do(ctx context.Context, method, path, key string, body []byte, ifMatch string) (answer, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	base := cl.base
	if len(cl.bases) > 0 {
		base = cl.bases[cl.turn.Add(1)%uint64(len(cl.bases))]
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return answer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := cl.hc.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	a := answer{code: resp.StatusCode, etag: resp.Header.Get("ETag"), raw: b}
	_ = json.Unmarshal(b, &a.body)
	if resp.StatusCode/100 != 2 {
		return a, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, a.body.Detail)
	}
	return a, nil
}

type me struct {
	User         struct{ ID, Name string }
	Organisation struct{ ID, Name string }
	Roles        []string
}

func (cl *client) me(ctx context.Context, key string) (me, error) {
	var m me
	a, err := cl.do(ctx, "GET", "/v1/me", key, nil, "")
	if err != nil {
		return m, fmt.Errorf("the key does not work: %w", err)
	}
	err = json.Unmarshal(a.raw, &m)
	return m, err
}

var areas = []string{"policy_approval", "land_expropriation", "technical_economic", "ecological_environment",
	"construction_management", "economic_social_impact", "safety_public_order", "media_opinion"}

// assessment is an assessment of n factors whose weights sum to exactly 1,
// with estimates drawn from rng.
func assessment(n int, rng *rand.Rand) map[string]any {
	const scale = 10000
	each := scale / n
	if each == 0 {
		each = 1
	}
	factors := make([]any, n)
	for i := range factors {
		w := each
		if i == 0 {
			w = scale - each*(n-1)
		}
		weight := fmt.Sprintf("%d.%04d", w/scale, w%scale)
		if n > scale {
			weight = "0" // more factors than weight steps: unweighted
		}
		id := "F" + strconv.Itoa(i+1)
		factors[i] = map[string]any{
			"id": id, "area": areas[i%len(areas)], "name": "factor " + id, "weight": weight,
			"initial":  map[string]any{"probability": 1 + rng.IntN(5), "impact": 1 + rng.IntN(5)},
			"residual": map[string]any{"probability": 1 + rng.IntN(3), "impact": 1 + rng.IntN(3)},
			"measures": []any{map[string]any{"id": "M" + id, "description": "measure for " + id, "owner": "county office", "due": "2027-06-30"}},
		}
	}
	return map[string]any{
		"subject":  map[string]any{"kind": "project", "name": "load test plant", "responsible_unit": "city utilities"},
		"regime":   "ndrc2012_project",
		"factors":  factors,
		"criteria": []any{map[string]any{"criterion": "legality", "question": "approved?", "answer": "yes"}},
	}
}

func evaluateBody(n int, rng *rand.Rand) []byte {
	a := assessment(n, rng)
	a["profile"] = "practice"
	b, _ := json.Marshal(a)
	return b
}

// complaintBody is a complaint about a distinct matter: the casework
// refuses a repeated matter of the same complainant.
func complaintBody(n uint64) []byte {
	b, _ := json.Marshal(map[string]any{
		"channel": "online",
		"matter": map[string]any{"type": "claim", "subject": "county water company", "facts": "load test letter " + strconv.FormatUint(n, 36),
			"request": "restore the supply"},
		"complainants": []any{map[string]any{"name": "load test", "phone": "10000000000"}},
	})
	return b
}

// stats holds the latencies of one operation.
type stats struct {
	lat  []time.Duration
	errs int
	last string
}

// recorder collects the latencies of one client.
type recorder map[string]*stats

func (r recorder) add(op string, d time.Duration, err error) {
	s := r[op]
	if s == nil {
		s = &stats{}
		r[op] = s
	}
	if err != nil {
		s.errs++
		s.last = err.Error()
		return
	}
	s.lat = append(s.lat, d)
}

func merge(rs []recorder) recorder {
	out := recorder{}
	for _, r := range rs {
		for op, s := range r {
			m := out[op]
			if m == nil {
				m = &stats{}
				out[op] = m
			}
			m.lat = append(m.lat, s.lat...)
			m.errs += s.errs
			if s.last != "" {
				m.last = s.last
			}
		}
	}
	return out
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// printTable writes the table of r over elapsed.
func printTable(out io.Writer, r recorder, elapsed time.Duration, order []string) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tok\terrors\tper second\tp50 ms\tp95 ms\tp99 ms\t")
	var all []time.Duration
	errs := 0
	row := func(name string, lat []time.Duration, e int) {
		slices.Sort(lat)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t\n", name, len(lat), e, float64(len(lat))/elapsed.Seconds(),
			ms(pct(lat, .50)), ms(pct(lat, .95)), ms(pct(lat, .99)))
	}
	for _, op := range order {
		s := r[op]
		if s == nil {
			continue
		}
		row(op, s.lat, s.errs)
		all = append(all, s.lat...)
		errs += s.errs
	}
	row("overall", all, errs)
	tw.Flush()
	for _, op := range order {
		if s := r[op]; s != nil && s.errs > 0 {
			fmt.Fprintf(out, "  %s: last error: %s\n", op, s.last)
		}
	}
}

// record is a record a client created and moves through its workflow.
type record struct {
	kind, id, etag string
	step           int
}

// mixedMode runs the mixed workload.
func mixedMode(ctx context.Context, c config, cls []*client, m me, out io.Writer) error {
	cl := cls[0]
	has := func(role string) bool { return slices.Contains(m.Roles, role) }
	probe := rand.New(rand.NewPCG(1, 2))
	weights := map[string]int{}
	if _, err := cl.do(ctx, "POST", "/v1/riskeval/evaluate", c.key, evaluateBody(c.factors, probe), ""); err == nil {
		weights["evaluate"] = 35
	} else {
		fmt.Fprintf(out, "evaluate: left out (%v)\n", err)
	}
	if has("assessor") || has("caseworker") {
		weights["create"], weights["transition"] = 20, 25
	} else {
		fmt.Fprintln(out, "create, transition: left out (the key's user is neither assessor nor caseworker)")
	}
	weights["list"] = 15
	report := ""
	if has("assessor") {
		a, err := cl.do(ctx, "POST", "/v1/assessments", c.key, mustJSON(map[string]any{"profile": "practice", "assessment": assessment(c.factors, probe)}), "")
		if err != nil {
			return err
		}
		id := a.body.ID
		path := strings.ReplaceAll(c.reportPath, "{id}", id)
		if _, err := cl.do(ctx, "GET", path, c.key, nil, ""); err == nil {
			report, weights["report"] = c.reportPath, 5
		} else {
			fmt.Fprintf(out, "report: left out (%v)\n", err)
		}
	}
	if c.reviewerKey == "" && has("assessor") {
		fmt.Fprintln(out, "review transitions: left out (no -reviewer-key)")
	}
	var ops []string
	total := 0
	for op, w := range weights {
		ops = append(ops, op)
		total += w
	}
	sort.Strings(ops)

	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	recs := make([]recorder, c.clients)
	var wg sync.WaitGroup
	began := time.Now()
	for i := range c.clients {
		recs[i] = recorder{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(began.UnixNano())))
			w := &worker{c: c, cl: cls[i%len(cls)], has: has, rng: rng, rec: recs[i], report: report, wrote: func(answer) {}}
			for n := 0; ctx.Err() == nil; n++ {
				pick := rng.IntN(total)
				for _, op := range ops {
					if pick -= weights[op]; pick < 0 {
						w.run(ctx, op, n)
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	printTable(out, merge(recs), elapsed, []string{"evaluate", "create", "transition", "list", "report"})
	return nil
}

// worker is one client of the mixed workload with the records it made.
type worker struct {
	c              config
	complaintsOnly bool
	// wrote, when set, is told of every acknowledged write.
	wrote  func(answer)
	cl     *client
	has    func(string) bool
	rng    *rand.Rand
	rec    recorder
	mine   []*record
	report string
	issued []string
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// run performs op once and records its latency; a request cut off by the
// end of the run is not counted.
func (w *worker) run(ctx context.Context, op string, n int) {
	start := time.Now()
	err := w.op(ctx, op, n)
	if ctx.Err() != nil {
		return
	}
	w.rec.add(op, time.Since(start), err)
}

func (w *worker) op(ctx context.Context, op string, n int) error {
	key := w.c.key
	switch op {
	case "evaluate":
		_, err := w.cl.do(ctx, "POST", "/v1/riskeval/evaluate", key, evaluateBody(w.c.factors, w.rng), "")
		return err
	case "create":
		if w.has("caseworker") && (!w.has("assessor") || n%2 == 0 || w.complaintsOnly) {
			a, err := w.cl.do(ctx, "POST", "/v1/complaints", key, complaintBody(w.rng.Uint64()), "")
			if err == nil {
				w.mine = append(w.mine, &record{kind: "complaints", id: a.body.ID, etag: a.etag})
				w.wrote(a)
			}
			return err
		}
		a, err := w.cl.do(ctx, "POST", "/v1/assessments", key, mustJSON(map[string]any{"profile": "practice", "assessment": assessment(w.c.factors, w.rng)}), "")
		if err == nil {
			w.mine = append(w.mine, &record{kind: "assessments", id: a.body.ID, etag: a.etag})
		}
		return err
	case "transition":
		if len(w.mine) == 0 {
			return w.op(ctx, "create", n)
		}
		r := w.mine[0]
		var action, k string
		var body []byte
		if r.kind == "complaints" {
			steps := []string{"accept", "investigate", "answer"}
			action, k = steps[r.step], key
			if action == "answer" {
				body = []byte(`{"outcome":"support","text":"done","legal_basis":"regulation art. 32"}`)
			}
			r.step++
			if r.step == len(steps) {
				w.mine = w.mine[1:]
			}
		} else {
			steps := []string{"submit"}
			if w.c.reviewerKey != "" {
				steps = append(steps, "start_review", "issue")
			}
			action, k = steps[r.step], key
			if r.step > 0 {
				k = w.c.reviewerKey
			}
			r.step++
			if r.step == len(steps) {
				w.mine = w.mine[1:]
				w.issued = append(w.issued, r.id)
			}
		}
		a, err := w.cl.do(ctx, "POST", "/v1/"+r.kind+"/"+r.id+"/"+action, k, body, r.etag)
		r.etag = a.etag
		if err == nil {
			w.wrote(a)
		}
		return err
	case "list":
		path := "/v1/assessments?limit=20"
		if w.has("caseworker") && n%2 == 0 {
			path = "/v1/complaints/overdue?limit=20"
		}
		_, err := w.cl.do(ctx, "GET", path, key, nil, "")
		return err
	case "report":
		if len(w.issued) == 0 {
			return w.op(ctx, "create", n)
		}
		_, err := w.cl.do(ctx, "GET", strings.ReplaceAll(w.report, "{id}", w.issued[w.rng.IntN(len(w.issued))]), key, nil, "")
		return err
	}
	return fmt.Errorf("unknown operation %q", op)
}

// sizeMode evaluates assessments of each size in turn and prints how the
// cost grows.
func sizeMode(ctx context.Context, c config, cls []*client, out io.Writer) error {
	cl := cls[0]
	per := c.duration / time.Duration(len(c.sizes))
	type row struct {
		n             int
		ok, errs      int
		rate          float64
		p50, p95, p99 time.Duration
		bytes         int
		last          string
	}
	var rows []row
	for _, n := range c.sizes {
		body := evaluateBody(n, rand.New(rand.NewPCG(uint64(n), 7)))
		if _, err := cl.do(ctx, "POST", "/v1/riskeval/evaluate", c.key, body, ""); err != nil {
			return fmt.Errorf("evaluate with %d factors: %w", n, err)
		}
		rctx, cancel := context.WithTimeout(ctx, per)
		recs := make([]recorder, c.clients)
		var wg sync.WaitGroup
		began := time.Now()
		for i := range c.clients {
			recs[i] = recorder{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for rctx.Err() == nil {
					start := time.Now()
					_, err := cls[i%len(cls)].do(rctx, "POST", "/v1/riskeval/evaluate", c.key, body, "")
					if rctx.Err() != nil {
						return
					}
					recs[i].add("evaluate", time.Since(start), err)
				}
			}()
		}
		wg.Wait()
		cancel()
		elapsed := time.Since(began)
		s := merge(recs)["evaluate"]
		if s == nil {
			s = &stats{}
		}
		slices.Sort(s.lat)
		rows = append(rows, row{n: n, ok: len(s.lat), errs: s.errs, rate: float64(len(s.lat)) / elapsed.Seconds(),
			p50: pct(s.lat, .5), p95: pct(s.lat, .95), p99: pct(s.lat, .99), bytes: len(body), last: s.last})
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "factors\tbody KiB\tok\terrors\tper second\tp50 ms\tp95 ms\tp99 ms\tp50 ÷ first\t")
	for _, r := range rows {
		ratio := 0.0
		if rows[0].p50 > 0 {
			ratio = float64(r.p50) / float64(rows[0].p50)
		}
		fmt.Fprintf(tw, "%d\t%.1f\t%d\t%d\t%.1f\t%s\t%s\t%s\t%.1f\t\n", r.n, float64(r.bytes)/1024, r.ok, r.errs, r.rate,
			ms(r.p50), ms(r.p95), ms(r.p99), ratio)
	}
	tw.Flush()
	for _, r := range rows {
		if r.errs > 0 {
			fmt.Fprintf(out, "  %d factors: last error: %s\n", r.n, r.last)
		}
	}
	return nil
}

// writeMode runs complaint creations and transitions only, and samples
// how long each sampled write's leaf takes to be in a signed checkpoint.
func writeMode(ctx context.Context, c config, cls []*client, m me, out io.Writer) error {
	if !slices.Contains(m.Roles, "caseworker") {
		return errors.New("-mode write needs a key of a caseworker")
	}
	run, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	recs := make([]recorder, c.clients)
	var wg, polls sync.WaitGroup
	var mu sync.Mutex
	var delays []time.Duration
	unproven := 0
	began := time.Now()
	for i := range c.clients {
		recs[i] = recorder{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(began.UnixNano())))
			cl := cls[i%len(cls)]
			w := &worker{c: c, cl: cl, has: func(r string) bool { return r == "caseworker" }, complaintsOnly: true, rng: rng, rec: recs[i]}
			sampled := 0
			w.wrote = func(a answer) {
				if sampled++; c.proveEvery <= 0 || sampled%c.proveEvery != 0 {
					return
				}
				acked := time.Now()
				id, v := a.body.ID, a.body.Version
				polls.Add(1)
				go func() {
					defer polls.Done()
					d, ok := untilProven(ctx, cl, c.key, id, v, acked)
					mu.Lock()
					defer mu.Unlock()
					if ok {
						delays = append(delays, d)
					} else {
						unproven++
					}
				}()
			}
			for n := 0; run.Err() == nil; n++ {
				op := "create"
				if n%4 != 0 {
					op = "transition"
				}
				w.run(run, op, n)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	polls.Wait()
	all := merge(recs)
	printTable(out, all, elapsed, []string{"create", "transition"})
	writes := 0
	for _, s := range all {
		writes += len(s.lat)
	}
	fmt.Fprintf(out, "write-only: %.1f writes/s\n", float64(writes)/elapsed.Seconds())
	slices.Sort(delays)
	fmt.Fprintf(out, "acknowledged write to leaf in a checkpoint (%d sampled, %d not proven within 10 s): p50 %s ms, p99 %s ms, max %s ms\n",
		len(delays), unproven, ms(pct(delays, .5)), ms(pct(delays, .99)), ms(pct(delays, 1)))
	return nil
}

// untilProven polls a record version's inclusion proof every 20 ms until
// the server has one (the version's leaf is in a signed checkpoint) and
// returns how long after acked that was; it gives up after 10 s.
func untilProven(ctx context.Context, cl *client, key, id string, version int64, acked time.Time) (time.Duration, bool) {
	path := "/v1/audit/proof?record=" + url.QueryEscape(id) + "&version=" + strconv.FormatInt(version, 10)
	for time.Since(acked) < 10*time.Second {
		if _, err := cl.do(context.WithoutCancel(ctx), "GET", path, key, nil, ""); err == nil {
			return time.Since(acked), true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return 0, false
}
