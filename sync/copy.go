package sync

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Rows go from SQLite to PostgreSQL through COPY ... FROM STDIN BINARY on
// the run's connection. A reader goroutine scans SQLite and encodes each
// value straight into the binary COPY format while pgx sends the previous
// chunk, so SQLite and PostgreSQL work at the same time and no row is
// boxed into a []any on the way (pgx's generic CopyFrom spends more time
// choosing encoders than encoding; the mirror knows every column's type).

const copyChunk = 256 << 10

// query is one SELECT on one snapshot connection.
type query struct {
	conn *sql.Conn
	sql  string
	args []any
}

// copyRows streams the rows of the queries into table and returns how
// many it sent and the highest watermark text among them. Each query is
// read and encoded by its own goroutine (io.Pipe hands over whole chunks,
// one writer at a time).
func (r *run) copyRows(p *plan, table pgx.Identifier, queries []query) (int64, string, error) {
	pr, pw := io.Pipe()
	encs := make([]*encoder, len(queries))
	done := make(chan error, 1)
	go func() {
		if _, err := pw.Write(copyHeader); err != nil {
			done <- err
			return
		}
		errs := make(chan error, len(queries))
		for i, q := range queries {
			encs[i] = &encoder{p: p, numeric: pgtype.NewMap()}
			if i == 0 {
				encs[i].sent = func() error { return r.step("copying:" + p.Collection) }
			}
			go func() {
				err := encs[i].stream(r.ctx, q, pw)
				if err != nil {
					pw.CloseWithError(err) // the other readers stop at their next chunk
				}
				errs <- err
			}()
		}
		var err error
		for range queries {
			if e := <-errs; e != nil && err == nil {
				err = e
			}
		}
		if err == nil {
			_, err = pw.Write([]byte{0xff, 0xff}) // end of data
		}
		pw.CloseWithError(err)
		done <- err
	}()
	cols := make([]string, len(p.Columns))
	for i, c := range p.Columns {
		cols[i] = ident(c.Name)
	}
	sql := fmt.Sprintf("COPY %s (%s) FROM STDIN BINARY", table.Sanitize(), strings.Join(cols, ", "))
	_, err := r.tx.Conn().PgConn().CopyFrom(r.ctx, pr, sql)
	pr.Close() // stops the readers if PostgreSQL gave up first
	readErr := <-done
	if readErr != nil && readErr != io.ErrClosedPipe {
		return 0, "", fmt.Errorf("read %s: %w", p.Collection, readErr)
	}
	if err != nil {
		return 0, "", fmt.Errorf("copy %s: %w", p.Collection, err)
	}
	var n int64
	var wm string
	for _, e := range encs {
		if e == nil {
			continue
		}
		n += e.n
		wm = max(wm, e.maxWM)
	}
	return n, wm, nil
}

// encoder writes rows of one plan in PostgreSQL's binary COPY format.
type encoder struct {
	p       *plan
	numeric *pgtype.Map // numeric's binary form is intricate: pgx encodes it
	n       int64
	maxWM   string
	raw     []driver.Value
	sent    func() error // called once, after the first chunk went out
}

var copyHeader = []byte("PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000")

// stream encodes the query's rows into w, in chunks of whole rows.
func (e *encoder) stream(ctx context.Context, q query, w io.Writer) error {
	buf := make([]byte, 0, copyChunk+4096)
	err := each(ctx, q.conn, q.sql, q.args, func(row []driver.Value) error {
		e.raw = row
		var err error
		if buf, err = e.row(buf); err != nil {
			return err
		}
		e.n++
		if len(buf) >= copyChunk {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
			if e.sent != nil {
				sent := e.sent
				e.sent = nil
				return sent()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(buf) > 0 {
		_, err = w.Write(buf)
	}
	return err
}

func (e *encoder) row(buf []byte) ([]byte, error) {
	p := e.p
	if i := p.WatermarkSrc; i >= 0 {
		if w, ok := e.raw[i].(string); ok && w > e.maxWM {
			e.maxWM = w
		}
	}
	id, _ := e.raw[0].(string)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(p.Columns)))
	for _, c := range p.Columns {
		v := e.raw[c.Src]
		switch c.Kind {
		case kFileURL:
			buf = appendAny(buf, c.Kind, toFileURL(p.FileBase, id, toRef(v)))
		case kFileURLs:
			buf = appendAny(buf, c.Kind, toFileURLs(p.FileBase, id, toList(v)))
		case kNumeric:
			n := toNumeric(v)
			if n == nil {
				buf = appendNull(buf)
				continue
			}
			at := len(buf)
			buf = append(buf, 0, 0, 0, 0)
			out, err := e.numeric.Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, n, buf)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", p.Collection, c.Name, err)
			}
			binary.BigEndian.PutUint32(out[at:], uint32(len(out)-at-4))
			buf = out
		default:
			buf = appendValue(buf, c.Kind, v)
		}
	}
	return buf, nil
}

func appendNull(buf []byte) []byte { return binary.BigEndian.AppendUint32(buf, math.MaxUint32) }

func appendText(buf []byte, s string) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
	return append(buf, s...)
}

// appendValue encodes a raw SQLite value, with fast paths for the shapes
// PocketBase stores and the converters for anything else.
func appendValue(buf []byte, k kind, v any) []byte {
	switch k {
	case kText:
		if s, ok := v.(string); ok && plain(s) {
			return appendText(buf, s)
		}
	case kRef:
		if s, ok := v.(string); ok && s != "" && plain(s) {
			return appendText(buf, s)
		}
	case kInt:
		if i, ok := v.(int64); ok {
			buf = binary.BigEndian.AppendUint32(buf, 8)
			return binary.BigEndian.AppendUint64(buf, uint64(i))
		}
	case kTime:
		if s, ok := v.(string); ok {
			if t, ok := parseStamp(s); ok {
				return appendTime(buf, t)
			}
		}
	case kList:
		if s, ok := v.(string); ok {
			if out, ok := appendJSONList(buf, s); ok {
				return out
			}
		}
	case kJSON:
		if s, ok := v.(string); ok && s != "" && s != "null" && jsonbReady(s) {
			return appendJSONB(buf, s)
		}
	}
	return appendAny(buf, k, convert(k, v))
}

func convert(k kind, v any) any {
	switch k {
	case kText:
		return toText(v)
	case kRef:
		return toRef(v)
	case kInt:
		return toInt(v)
	case kBool:
		return toBool(v)
	case kTime:
		return toTime(v)
	case kJSON:
		return toJSON(v)
	case kList:
		return toList(v)
	}
	return v
}

// appendAny encodes a converted value (string, int64, bool, time.Time,
// []string or nil) as the column kind's PostgreSQL type.
func appendAny(buf []byte, k kind, v any) []byte {
	if v == nil {
		return appendNull(buf)
	}
	switch k {
	case kText, kRef, kFileURL:
		s, _ := v.(string)
		return appendText(buf, s)
	case kInt:
		i, _ := v.(int64)
		buf = binary.BigEndian.AppendUint32(buf, 8)
		return binary.BigEndian.AppendUint64(buf, uint64(i))
	case kBool:
		buf = binary.BigEndian.AppendUint32(buf, 1)
		if b, _ := v.(bool); b {
			return append(buf, 1)
		}
		return append(buf, 0)
	case kTime:
		t, _ := v.(time.Time)
		return appendTime(buf, t)
	case kJSON:
		s, _ := v.(string)
		return appendJSONB(buf, s)
	case kList, kFileURLs:
		l, _ := v.([]string)
		return appendTextArray(buf, l)
	}
	return appendNull(buf)
}

// PostgreSQL counts time in microseconds from 2000-01-01 UTC.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

func appendTime(buf []byte, t time.Time) []byte {
	buf = binary.BigEndian.AppendUint32(buf, 8)
	return binary.BigEndian.AppendUint64(buf, uint64(t.UnixMicro()-pgEpoch))
}

func appendJSONB(buf []byte, s string) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)+1))
	buf = append(buf, 1) // jsonb binary format version
	return append(buf, s...)
}

const textOID = 25

func appendTextArray(buf []byte, l []string) []byte {
	at := len(buf)
	buf = append(buf, 0, 0, 0, 0) // length, filled in below
	if len(l) == 0 {
		buf = binary.BigEndian.AppendUint32(buf, 0) // no dimensions
		buf = binary.BigEndian.AppendUint32(buf, 0) // no NULLs
		buf = binary.BigEndian.AppendUint32(buf, textOID)
	} else {
		buf = binary.BigEndian.AppendUint32(buf, 1)
		buf = binary.BigEndian.AppendUint32(buf, 0)
		buf = binary.BigEndian.AppendUint32(buf, textOID)
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(l)))
		buf = binary.BigEndian.AppendUint32(buf, 1) // lower bound
		for _, s := range l {
			buf = appendText(buf, clean(s))
		}
	}
	binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	return buf
}

// appendJSONList encodes a JSON array of plain strings (ids, select
// values, file names: no escapes) as text[] without decoding it into a
// slice; false for anything else, which takes the general path.
func appendJSONList(buf []byte, s string) ([]byte, bool) {
	if s == "[]" || s == "" {
		return appendTextArray(buf, nil), true
	}
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 || !plain(s) {
		return buf, false
	}
	at := len(buf)
	buf = append(buf, 0, 0, 0, 0)
	buf = binary.BigEndian.AppendUint32(buf, 1)
	buf = binary.BigEndian.AppendUint32(buf, 0)
	buf = binary.BigEndian.AppendUint32(buf, textOID)
	dim := len(buf)
	buf = append(buf, 0, 0, 0, 0)
	buf = binary.BigEndian.AppendUint32(buf, 1)
	n := 0
	rest := s[1 : len(s)-1]
	for {
		rest = strings.TrimLeft(rest, " \t\r\n")
		if rest == "" || rest[0] != '"' {
			return buf[:at], false
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return buf[:at], false
		}
		elem := rest[1 : 1+end]
		for i := 0; i < len(elem); i++ {
			if elem[i] < 0x20 { // JSON does not allow raw control characters
				return buf[:at], false
			}
		}
		buf = appendText(buf, elem)
		n++
		rest = strings.TrimLeft(rest[2+end:], " \t\r\n")
		if rest == "" {
			break
		}
		if rest[0] != ',' {
			return buf[:at], false
		}
		rest = rest[1:]
	}
	binary.BigEndian.PutUint32(buf[dim:], uint32(n))
	binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	return buf, true
}
