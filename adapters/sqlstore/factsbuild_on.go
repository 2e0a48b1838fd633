//go:build !ssra_nofacts

package sqlstore

// factsOff is false in every ordinary build: the casework facts and their
// rollup are written with each case (see factsbuild_off.go).
const factsOff = false
