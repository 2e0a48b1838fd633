package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestWeightsSumToOne: the generated assessments are valid at every size,
// so that the size mode measures evaluations, not refusals.
func TestWeightsSumToOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 7, 10, 30, 100, 333, 1000, 9999, 10000} {
		sum := decimal.Zero
		for _, f := range assessment(n, rng)["factors"].([]any) {
			w, err := decimal.NewFromString(f.(map[string]any)["weight"].(string))
			if err != nil || !w.IsPositive() {
				t.Fatalf("%d factors: weight %v (%v)", n, w, err)
			}
			sum = sum.Add(w)
		}
		if !sum.Equal(decimal.NewFromInt(1)) {
			t.Fatalf("%d factors: weights sum to %s", n, sum)
		}
	}
}

func TestPercentile(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{.5, 50 * time.Millisecond}, {.95, 95 * time.Millisecond}, {.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		if got := pct(lat, tc.p); got != tc.want {
			t.Errorf("p%v: got %v, want %v", tc.p*100, got, tc.want)
		}
	}
	if pct(nil, .5) != 0 {
		t.Error("percentile of nothing")
	}
}

func TestLoopbackOnly(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true, "127.8.9.1": true,
		"10.0.0.1": false, "example.org": false, "": false} {
		if got := loopback(host); got != want {
			t.Errorf("loopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestSpreadByRequest: a client that spreads its requests sends them to
// each server in turn, so that two servers each get half.
func TestSpreadByRequest(t *testing.T) {
	var hits [3]atomic.Int64
	var bases []string
	for i := range hits {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits[i].Add(1)
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(srv.Close)
		bases = append(bases, srv.URL)
	}
	cl := &client{base: bases[0], hc: http.DefaultClient, bases: bases, turn: new(atomic.Uint64)}
	for range 30 {
		if _, err := cl.do(context.Background(), "GET", "/x", "k", nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	for i := range hits {
		if n := hits[i].Load(); n != 10 {
			t.Fatalf("server %d got %d of 30 requests, want 10", i, n)
		}
	}
}
