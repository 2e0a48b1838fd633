package rest_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// memLog is the memory store's transparency log: every record version is
// a leaf, integrated at once, with tlog's stored hashes kept in memory, so
// that the audit routes serve real proofs in the adapter's tests.
type memLog struct {
	leaves   [][]byte
	hashes   []tlog.Hash
	index    map[string]int64 // record id@version → leaf index
	cosigned store.Cosigned   // the latest cosigned checkpoint
	// size is how many leaves the log has integrated: a leaf waits until
	// the log is next read, as sqlstore's wait for its sequencer.
	size int64
}

// testWitness is the one witness the memory log accepts cosignatures of.
var testWitness struct {
	once   sync.Once
	signer note.Signer
	verif  note.Verifier
}

func memWitness() (note.Signer, note.Verifier) {
	testWitness.once.Do(func() {
		skey, vkey, err := note.GenerateKey(rand.Reader, "witness.test/supervisor")
		if err != nil {
			panic(err)
		}
		if testWitness.signer, err = fnote.NewSignerForCosignatureV1(skey); err != nil {
			panic(err)
		}
		if testWitness.verif, err = fnote.NewVerifierForCosignatureV1(vkey); err != nil {
			panic(err)
		}
	})
	return testWitness.signer, testWitness.verif
}

// cosignedFirst is the memory log's checkpoint of its first leaf (every
// fixture's log starts with it) cosigned by the test witness.
func cosignedFirst() string {
	var l memLog
	l.add("first-organisation", 0, "organisation.create")
	w, _ := memWitness()
	out, err := note.Sign(&note.Note{Text: string(l.checkpoint(1))}, w)
	if err != nil {
		panic(err)
	}
	return string(out)
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

// addRead adds the leaf of an audited read, which proves no version: the
// record's proof stays the leaf of its write.
func (l *memLog) addRead(id string, version int64, action string) {
	data := []byte(fmt.Sprintf(`{"action":%q,"object_id":%q,"version":%d}`, action, id, version))
	hs, err := tlog.StoredHashes(int64(len(l.leaves)), data, l)
	if err != nil {
		panic(err)
	}
	l.leaves = append(l.leaves, data)
	l.hashes = append(l.hashes, hs...)
}

// sequence integrates every leaf added.
func (l *memLog) sequence() { l.size = int64(len(l.leaves)) }

// checkpoint is the unsigned checkpoint of the tree of size n.
func (l *memLog) checkpoint(n int64) []byte {
	root, err := tlog.TreeHash(n, l)
	if err != nil {
		panic(err)
	}
	return log.Checkpoint{Origin: memOrigin, Size: uint64(n), Hash: root[:]}.Marshal()
}

func (m *memStore) LatestCheckpoint(context.Context) (store.Checkpoint, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log.sequence()
	n := int64(len(m.log.leaves))
	root, err := tlog.TreeHash(n, &m.log)
	if err != nil {
		return store.Checkpoint{}, err
	}
	return store.Checkpoint{Size: n, Root: root, Note: m.log.checkpoint(n)}, nil
}

func (m *memStore) ProveRecord(_ context.Context, by ssra.Actor, id string, version int64) (store.InclusionProof, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log.sequence()
	r, ok := m.recs[id]
	idx, in := m.log.index[fmt.Sprintf("%s@%d", id, version)]
	if !ok || !m.visible(by, r) || !in {
		return store.InclusionProof{}, ssra.Errorf(ssra.KindNotFound, "mem.ProveRecord", "no record %q at version %d", id, version)
	}
	n := int64(len(m.log.leaves))
	p, err := tlog.ProveRecord(n, idx, &m.log)
	if err != nil {
		return store.InclusionProof{}, err
	}
	return store.InclusionProof{Index: idx, Leaf: m.log.leaves[idx], TreeSize: n, Proof: p, Checkpoint: m.log.checkpoint(n)}, nil
}

func (m *memStore) ProveConsistency(_ context.Context, from, to int64) (tlog.TreeProof, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log.sequence()
	if from < 1 || from > to || to > int64(len(m.log.leaves)) {
		return nil, ssra.Errorf(ssra.KindInvalid, "mem.ProveConsistency", "sizes out of range")
	}
	return tlog.ProveTree(to, from, &m.log)
}

func (m *memStore) Tile(_ context.Context, path string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log.sequence()
	t, err := tlog.ParseTilePath(path)
	if err != nil || t.L < 0 || !strings.HasPrefix(path, "tile/") ||
		(t.N<<uint(t.H)+int64(t.W))<<uint(t.L*t.H) > int64(len(m.log.leaves)) {
		return nil, ssra.Errorf(ssra.KindNotFound, "mem.Tile", "no tile %q", path)
	}
	return tlog.ReadTileData(t, &m.log)
}

func (m *memStore) AddCosignatures(_ context.Context, signed []byte) (store.Cosigned, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log.sequence()
	_, wv := memWitness()
	n, err := note.Open(signed, note.VerifierList(wv))
	var cp log.Checkpoint
	if err == nil {
		_, err = cp.Unmarshal([]byte(n.Text))
	}
	if err == nil && (cp.Size < 1 || int64(cp.Size) > int64(len(m.log.leaves)) || string(m.log.checkpoint(int64(cp.Size))) != n.Text) {
		err = errors.New("not a checkpoint of this log")
	}
	if err != nil {
		return store.Cosigned{}, ssra.Problems{{Code: "invalid", Field: "checkpoint", Message: err.Error()}}.Err("mem.AddCosignatures")
	}
	m.log.cosigned = store.Cosigned{Size: int64(cp.Size), Witnesses: []string{wv.Name()}, Note: signed}
	return m.log.cosigned, nil
}

func (m *memStore) CosignedCheckpoint(context.Context) (store.Cosigned, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.log.cosigned.Note == nil {
		return store.Cosigned{}, ssra.Errorf(ssra.KindNotFound, "mem.CosignedCheckpoint", "no cosigned checkpoint")
	}
	return m.log.cosigned, nil
}
