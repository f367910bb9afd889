package sync

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// snapshot is one consistent view of the app's SQLite database, held by
// read transactions on one or more connections (WAL readers never block
// the app's writers). Several connections let a big table be read by
// several goroutines; they all see the same commits because they begin
// while the snapshot holds SQLite's write lock for a moment.
type snapshot struct {
	conns []*sql.Conn
}

// maxReaders bounds the goroutines reading one table.
func maxReaders() int { return min(runtime.GOMAXPROCS(0), 4) }

func openSnapshot(ctx context.Context, app core.App, readers int) (*snapshot, error) {
	rdb, ok := app.ConcurrentDB().(*dbx.DB)
	if !ok {
		return nil, errors.New("sync: the app's database is not a *dbx.DB")
	}
	s := &snapshot{}
	begin := func() error {
		c, err := rdb.DB().Conn(ctx)
		if err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, "BEGIN"); err != nil {
			discard(c)
			return err
		}
		s.conns = append(s.conns, c)
		// the first read fixes what the transaction sees
		var n int
		return c.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE 0`).Scan(&n)
	}
	if readers <= 1 {
		if err := begin(); err != nil {
			s.close()
			return nil, fmt.Errorf("read SQLite: %w", err)
		}
		return s, nil
	}

	// No commit can slip between the readers' starts while this holds the
	// write lock (a millisecond: the app's writes wait that long at most).
	wdb, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return nil, errors.New("sync: the app's database is not a *dbx.DB")
	}
	lock, err := wdb.DB().Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("read SQLite: %w", err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return nil, fmt.Errorf("read SQLite: %w", err)
	}
	defer lock.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	for range readers {
		if err := begin(); err != nil {
			s.close()
			return nil, fmt.Errorf("read SQLite: %w", err)
		}
	}
	return s, nil
}

func (s *snapshot) main() *sql.Conn { return s.conns[0] }

// close ends the read transactions. A connection that cannot roll back
// is discarded, never returned to the app's pool inside a transaction.
func (s *snapshot) close() {
	for _, c := range s.conns {
		if _, err := c.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			discard(c)
			continue
		}
		c.Close()
	}
	s.conns = nil
}

func discard(c *sql.Conn) {
	c.Raw(func(any) error { return driver.ErrBadConn })
	c.Close()
}

// each streams the rows of a query on one snapshot connection straight
// from the driver: database/sql's per-row locking and conversions cost a
// fifth of a whole-table copy.
func each(ctx context.Context, c *sql.Conn, query string, args []any, fn func(row []driver.Value) error) error {
	return c.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("sync: the SQLite driver cannot query")
		}
		named := make([]driver.NamedValue, len(args))
		for i, a := range args {
			named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
		}
		rows, err := q.QueryContext(ctx, query, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, len(rows.Columns()))
		for {
			if err := rows.Next(dest); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			if err := fn(dest); err != nil {
				return err
			}
		}
	})
}
