//go:build ssra_nofacts

package sqlstore

// factsOff is true in a build made with the tag ssra_nofacts: the
// baseline of the write-only load generator's facts overhead (the same
// server writing cases without their facts and rollup). Such a build
// keeps no casework figures: Migrate refuses a database that already
// holds a case, and nothing else should run it.
const factsOff = true
