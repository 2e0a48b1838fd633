package rest_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
)

// memLog is the memory store's transparency log: every record version is
// a leaf, integrated at once, with tlog's stored hashes kept in memory, so
// that the audit routes serve real proofs in the adapter's tests.
type memLog struct {
	leaves [][]byte
	hashes []tlog.Hash
	index  map[string]int64 // record id@version → leaf index
}

const memOrigin = "ssra.test/mem-log"

func (l *memLog) ReadHashes(ix []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(ix))
	for i, x := range ix {
		if x < 0 || x >= int64(len(l.hashes)) {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = l.hashes[x]
	}
	return out, nil
}

func (l *memLog) add(id string, version int64, action string) {
	data := []byte(fmt.Sprintf(`{"action":%q,"object_id":%q,"version":%d}`, action, id, version))
	hs, err := tlog.StoredHashes(int64(len(l.leaves)), data, l)
	if err != nil {
		panic(err)
	}
	if l.index == nil {
		l.index = map[string]int64{}
	}
	l.index[fmt.Sprintf("%s@%d", id, version)] = int64(len(l.leaves))
	l.leaves = append(l.leaves, data)
	l.hashes = append(l.hashes, hs...)
}

// checkpoint is the unsigned checkpoint of the tree of size n.
func (l *memLog) checkpoint(n int64) []byte {
	root, err := tlog.TreeHash(n, l)
	if err != nil {
		panic(err)
	}
	return log.Checkpoint{Origin: memOrigin, Size: uint64(n), Hash: root[:]}.Marshal()
}

func (m *memStore) Checkpoint(context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.log.checkpoint(int64(len(m.log.leaves))), nil
}

func (m *memStore) ProveRecord(_ context.Context, by rest.Actor, id string, version int64) (rest.InclusionProof, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[id]
	idx, in := m.log.index[fmt.Sprintf("%s@%d", id, version)]
	if !ok || !m.visible(by, r) || !in {
		return rest.InclusionProof{}, ssra.Errorf(ssra.KindNotFound, "mem.ProveRecord", "no record %q at version %d", id, version)
	}
	n := int64(len(m.log.leaves))
	p, err := tlog.ProveRecord(n, idx, &m.log)
	if err != nil {
		return rest.InclusionProof{}, err
	}
	return rest.InclusionProof{LeafIndex: idx, Leaf: m.log.leaves[idx], TreeSize: n, Proof: hashBytes(p), Checkpoint: m.log.checkpoint(n)}, nil
}

func (m *memStore) ProveConsistency(_ context.Context, from, to int64) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if from < 1 || from > to || to > int64(len(m.log.leaves)) {
		return nil, ssra.Errorf(ssra.KindInvalid, "mem.ProveConsistency", "sizes out of range")
	}
	p, err := tlog.ProveTree(to, from, &m.log)
	return hashBytes(p), err
}

func (m *memStore) Tile(_ context.Context, path string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := tlog.ParseTilePath(path)
	if err != nil || t.L < 0 || !strings.HasPrefix(path, "tile/") {
		return nil, ssra.Errorf(ssra.KindNotFound, "mem.Tile", "no tile %q", path)
	}
	return tlog.ReadTileData(t, &m.log)
}

func hashBytes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}
