package sync

import "database/sql"

// rowSource feeds SQLite rows, converted, to pgx's CopyFrom.
type rowSource struct {
	rows   *sql.Rows
	p      *plan
	raw    []any // scanned driver values
	ptrs   []any
	vals   []any // converted values, one per column
	n      int64
	maxWM  string // highest watermark text read (PocketBase's layout sorts by time)
	err    error
	peeked bool
}

func newRowSource(rows *sql.Rows, p *plan) *rowSource {
	s := &rowSource{rows: rows, p: p, raw: make([]any, len(p.Source)), vals: make([]any, len(p.Columns))}
	s.ptrs = make([]any, len(s.raw))
	for i := range s.raw {
		s.ptrs[i] = &s.raw[i]
	}
	return s
}

// peek reads the first row ahead, so that an empty result costs no
// staging table.
func (s *rowSource) peek() bool {
	s.peeked = s.Next()
	return s.peeked
}

func (s *rowSource) Next() bool {
	if s.peeked {
		s.peeked = false
		return true
	}
	if s.err != nil || !s.rows.Next() {
		if s.err == nil {
			s.err = s.rows.Err()
		}
		return false
	}
	if err := s.rows.Scan(s.ptrs...); err != nil {
		s.err = err
		return false
	}
	s.p.convert(s.raw, s.vals)
	if i := s.p.WatermarkSrc; i >= 0 {
		if w, ok := s.raw[i].(string); ok && w > s.maxWM {
			s.maxWM = w
		}
	}
	s.n++
	return true
}

func (s *rowSource) Values() ([]any, error) { return s.vals, nil }

func (s *rowSource) Err() error { return s.err }

func (s *rowSource) close() { s.rows.Close() }
