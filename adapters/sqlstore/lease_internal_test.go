package sqlstore

import (
	"testing"
	"time"
)

// TestLeaseExpired: a standby ends the session holding the lead only
// when that session is the one the lease names and the lease is older
// than its length by the database's clock.
func TestLeaseExpired(t *testing.T) {
	const ttl = 600 * time.Millisecond
	for _, c := range []struct {
		name string
		st   leaseStatus
		want bool
	}{
		{"lock free", leaseStatus{holder: 0, pid: 0, age: time.Hour}, false},
		{"lock free, last leader's lease old", leaseStatus{holder: 0, pid: 41, epoch: 3, age: time.Hour}, false},
		{"leader renewed recently", leaseStatus{holder: 41, pid: 41, epoch: 3, age: 100 * time.Millisecond}, false},
		{"leader at the lease's length", leaseStatus{holder: 41, pid: 41, epoch: 3, age: ttl}, false},
		{"leader past the lease", leaseStatus{holder: 41, pid: 41, epoch: 3, age: ttl + time.Millisecond}, true},
		{"leader long silent", leaseStatus{holder: 41, pid: 41, epoch: 3, age: time.Hour}, true},
		{"holder the lease does not name (claiming, or an earlier version)", leaseStatus{holder: 52, pid: 41, epoch: 3, age: time.Hour}, false},
		{"database clock behind the renewal", leaseStatus{holder: 41, pid: 41, epoch: 3, age: -time.Second}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.st.expired(ttl); got != c.want {
				t.Fatalf("expired(%v) of %+v: got %v, want %v", ttl, c.st, got, c.want)
			}
		})
	}
}

// TestDefaultLease: the lease defaults to three sequencer intervals, and
// an explicit one is kept.
func TestDefaultLease(t *testing.T) {
	if got, want := newTransparency(logConfig{}).cfg.lease, 600*time.Millisecond; got != want {
		t.Fatalf("default lease: got %v, want %v", got, want)
	}
	if got, want := newTransparency(logConfig{interval: 50 * time.Millisecond}).cfg.lease, 150*time.Millisecond; got != want {
		t.Fatalf("lease with a 50ms interval: got %v, want %v", got, want)
	}
	if got, want := newTransparency(logConfig{lease: time.Second}).cfg.lease, time.Second; got != want {
		t.Fatalf("explicit lease: got %v, want %v", got, want)
	}
}
