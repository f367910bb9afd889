package sync

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// The mirror's own bookkeeping lives next to the tables it fills, so that
// the watermark commits in the same transaction as the rows it covers:
//
//	_sync_collections  one row per mirrored collection: table shape, watermark
//	_sync_meta         applied deletions, view definitions
//	_sync_runs         one row per successful run (the last runsKept)
const (
	stateTable = "_sync_collections"
	metaTable  = "_sync_meta"
	runsTable  = "_sync_runs"
	runsKept   = 10000

	metaDeletions = "deletions_applied" // highest tombstone seq applied
	metaViews     = "views"             // signature of the views in place
)

// collState is what the mirror remembers of one collection.
type collState struct {
	CollectionID string
	Signature    string
	Watermark    *time.Time
	SyncedAt     time.Time
}

// state is the mirror's memory, read at the start of a run.
type state struct {
	Collections map[string]collState
	Meta        map[string]string
	// Tables and Views are what the schema holds now: relation → column → type.
	Tables map[string]map[string]string
	Views  map[string]bool
	// Owned are the tables the mirror created (by their comment).
	Owned map[string]bool
}

func (s *state) deletionsApplied() (int64, bool) {
	v, ok := s.Meta[metaDeletions]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// ownedComment starts the comment of every table the mirror creates.
const ownedComment = "questbase collection "

func ident(parts ...string) string { return pgx.Identifier(parts).Sanitize() }

// ensureState creates the schema and the bookkeeping tables on first use.
func ensureState(ctx context.Context, tx pgx.Tx, schema string) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, ident(schema, runsTable)).Scan(&exists); err != nil {
		return fmt.Errorf("look up state tables: %w", err)
	}
	if exists {
		return nil
	}
	_, err := tx.Exec(ctx, fmt.Sprintf(`
		CREATE SCHEMA IF NOT EXISTS %[1]s;
		CREATE TABLE IF NOT EXISTS %[2]s (
			collection    text PRIMARY KEY,
			collection_id text NOT NULL,
			signature     text NOT NULL,
			watermark     timestamptz,
			synced_at     timestamptz NOT NULL
		);
		COMMENT ON TABLE %[2]s IS 'questbase mirror: per collection table shape and watermark (managed by questbase sync)';
		CREATE TABLE IF NOT EXISTS %[3]s (key text PRIMARY KEY, value text NOT NULL);
		COMMENT ON TABLE %[3]s IS 'questbase mirror: bookkeeping (managed by questbase sync)';
		CREATE TABLE IF NOT EXISTS %[4]s (
			id          bigserial PRIMARY KEY,
			mode        text NOT NULL,
			started_at  timestamptz NOT NULL,
			finished_at timestamptz NOT NULL,
			snapshot_at timestamptz NOT NULL,
			upserted    bigint NOT NULL,
			deleted     bigint NOT NULL,
			views_error text
		);
		COMMENT ON TABLE %[4]s IS 'questbase mirror: successful runs (managed by questbase sync)';`,
		ident(schema), ident(schema, stateTable), ident(schema, metaTable), ident(schema, runsTable)))
	if err != nil {
		return fmt.Errorf("create state tables: %w", err)
	}
	return nil
}

func loadState(ctx context.Context, tx pgx.Tx, schema string) (*state, error) {
	s := &state{
		Collections: map[string]collState{},
		Meta:        map[string]string{},
		Tables:      map[string]map[string]string{},
		Views:       map[string]bool{},
		Owned:       map[string]bool{},
	}
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT collection, collection_id, signature, watermark, synced_at FROM %s`, ident(schema, stateTable)))
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	for rows.Next() {
		var name string
		var c collState
		if err := rows.Scan(&name, &c.CollectionID, &c.Signature, &c.Watermark, &c.SyncedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read state: %w", err)
		}
		s.Collections[name] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}

	rows, err = tx.Query(ctx, fmt.Sprintf(`SELECT key, value FROM %s`, ident(schema, metaTable)))
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read state: %w", err)
		}
		s.Meta[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}

	rows, err = tx.Query(ctx, `
		SELECT c.relname, c.relkind::text, coalesce(a.attname::text, ''), coalesce(format_type(a.atttypid, a.atttypmod), ''),
			coalesce(obj_description(c.oid, 'pg_class'), '') LIKE $2
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'v')`, schema, ownedComment+"%")
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	for rows.Next() {
		var rel, relkind, col, typ string
		var owned bool
		if err := rows.Scan(&rel, &relkind, &col, &typ, &owned); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read catalog: %w", err)
		}
		if relkind == "v" {
			s.Views[rel] = true
			continue
		}
		if s.Tables[rel] == nil {
			s.Tables[rel] = map[string]string{}
		}
		if owned {
			s.Owned[rel] = true
		}
		if col != "" {
			s.Tables[rel][col] = typ
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	return s, nil
}

func saveCollState(ctx context.Context, tx pgx.Tx, schema, name string, c collState) error {
	_, err := tx.Exec(ctx, fmt.Sprintf(`
		INSERT INTO %s (collection, collection_id, signature, watermark, synced_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (collection) DO UPDATE SET collection_id = EXCLUDED.collection_id, signature = EXCLUDED.signature,
			watermark = EXCLUDED.watermark, synced_at = EXCLUDED.synced_at`, ident(schema, stateTable)),
		name, c.CollectionID, c.Signature, c.Watermark, c.SyncedAt)
	if err != nil {
		return fmt.Errorf("save watermark of %s: %w", name, err)
	}
	return nil
}

func dropCollState(ctx context.Context, tx pgx.Tx, schema, name string) error {
	_, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE collection = $1`, ident(schema, stateTable)), name)
	return err
}

func saveMeta(ctx context.Context, tx pgx.Tx, schema, key, value string) error {
	_, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, ident(schema, metaTable)), key, value)
	if err != nil {
		return fmt.Errorf("save %s: %w", key, err)
	}
	return nil
}

func saveRun(ctx context.Context, tx pgx.Tx, schema string, r *Report) error {
	var viewsErr *string
	if r.ViewsError != "" {
		viewsErr = &r.ViewsError
	}
	_, err := tx.Exec(ctx, fmt.Sprintf(`
		WITH ins AS (
			INSERT INTO %[1]s (mode, started_at, finished_at, snapshot_at, upserted, deleted, views_error)
			VALUES ($1, $2, clock_timestamp(), $3, $4, $5, $6) RETURNING id
		)
		DELETE FROM %[1]s WHERE id <= (SELECT id FROM ins) - %[2]d`, ident(schema, runsTable), runsKept),
		r.Mode, r.Started, r.Snapshot, r.Upserted, r.Deleted, viewsErr)
	if err != nil {
		return fmt.Errorf("record the run: %w", err)
	}
	return nil
}
