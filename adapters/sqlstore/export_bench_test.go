package sqlstore

// WithoutFacts turns the casework facts of s off or on again: the write
// benchmark's baseline, the same write path with nothing else changed.
func WithoutFacts(s *Store, off bool) { s.noFacts = off }
