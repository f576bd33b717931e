package main

import (
	"sort"
	"sync"

	pb "clarifaipeer/clarifai/api"
)

// store holds the annotations in memory, in insertion order (a patched annotation keeps its
// place, as in clarifai_v2_server.py's dict).
//
// A stored annotation is never changed in place: an update stores a new message. So the
// messages that `all` and `get` return may be read (and sent) without the lock, but must not be
// modified.
type store struct {
	mu      sync.Mutex
	entries map[string]storeEntry
	nextSeq uint64
}

type storeEntry struct {
	annotation *pb.Annotation
	seq        uint64 // insertion order
}

func newStore() *store { return &store{entries: map[string]storeEntry{}} }

// txn is the store seen from inside `do`, under the lock.
type txn struct{ s *store }

// do runs f under the store's lock, so that a request's checks and writes are one step.
func (s *store) do(f func(tx txn)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(txn{s})
}

func (s *store) all() []*pb.Annotation {
	var out []*pb.Annotation
	s.do(func(tx txn) { out = tx.all() })
	return out
}

func (s *store) get(id string) *pb.Annotation {
	var out *pb.Annotation
	s.do(func(tx txn) { out = tx.get(id) })
	return out
}

// get is the stored annotation with this id, or nil.
func (tx txn) get(id string) *pb.Annotation { return tx.s.entries[id].annotation }

// put stores the annotation: a new id goes last, a known id keeps its place.
func (tx txn) put(a *pb.Annotation) {
	entry, known := tx.s.entries[a.Id]
	if !known {
		tx.s.nextSeq++
		entry.seq = tx.s.nextSeq
	}
	entry.annotation = a
	tx.s.entries[a.Id] = entry
}

func (tx txn) delete(id string) { delete(tx.s.entries, id) }

// all is every stored annotation in insertion order.
func (tx txn) all() []*pb.Annotation {
	entries := make([]storeEntry, 0, len(tx.s.entries))
	for _, e := range tx.s.entries {
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].seq < entries[j].seq })
	out := make([]*pb.Annotation, len(entries))
	for i, e := range entries {
		out[i] = e.annotation
	}
	return out
}
