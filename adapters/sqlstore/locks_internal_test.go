package sqlstore

import "testing"

// TestAdvisoryLocksDiffer: each PostgreSQL advisory lock of the package
// has a number of its own; two uses sharing one would wait for each other
// (a leading sequencer's lock, held for as long as its session lasts,
// would stop every administrative change).
func TestAdvisoryLocksDiffer(t *testing.T) {
	seen := map[int]string{}
	for name, n := range map[string]int{"migrationLock": migrationLock, "sequencerLock": sequencerLock,
		"adminLock": adminLock, "rollupFoldLock": rollupFoldLock, "leaderLock": leaderLock} {
		if other, ok := seen[n]; ok {
			t.Fatalf("%s and %s are both advisory lock %d", name, other, n)
		}
		seen[n] = name
	}
}
