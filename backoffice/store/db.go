package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// DB is the SQL implementation of Store, on SQLite or PostgreSQL.
type DB struct {
	db      *sql.DB
	dialect dialect
	seal    *sealer // nil: payloads are stored as given
}

var _ Store = (*DB)(nil)

// dialect is everything that differs between the two engines.
type dialect struct {
	name   string
	serial string // an auto-incrementing integer primary key column type
	blob   string
	// lock serialises migrations across processes (PostgreSQL); SQLite
	// needs none because a write transaction already locks the file.
	lock, unlock string
	// appendOnly makes the table {{t}} refuse UPDATE and DELETE (and, on
	// PostgreSQL, TRUNCATE) with triggers.
	appendOnly string
}

var (
	sqliteDialect = dialect{name: "sqlite", serial: "INTEGER PRIMARY KEY AUTOINCREMENT", blob: "BLOB",
		appendOnly: `CREATE TRIGGER {{t}}_no_update BEFORE UPDATE ON {{t}} BEGIN SELECT RAISE(ABORT, '{{t}} is append-only'); END;
		CREATE TRIGGER {{t}}_no_delete BEFORE DELETE ON {{t}} BEGIN SELECT RAISE(ABORT, '{{t}} is append-only'); END`}
	postgresDialect = dialect{name: "postgres", serial: "BIGSERIAL PRIMARY KEY", blob: "BYTEA",
		lock: "SELECT pg_advisory_lock(7120361)", unlock: "SELECT pg_advisory_unlock(7120361)",
		appendOnly: `CREATE FUNCTION {{t}}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{{t}} is append-only'; END $$;
		CREATE TRIGGER {{t}}_no_change BEFORE UPDATE OR DELETE ON {{t}} FOR EACH ROW EXECUTE FUNCTION {{t}}_append_only();
		CREATE TRIGGER {{t}}_no_truncate BEFORE TRUNCATE ON {{t}} FOR EACH STATEMENT EXECUTE FUNCTION {{t}}_append_only()`}
)

// OpenSQLite opens (creating if needed) the SQLite database at path and
// brings its schema up to date. Writes are durable when they return: WAL
// with synchronous=FULL. The file and its -wal and -shm companions are
// made 0600 whatever their mode was, and a directory it creates 0700:
// nobody but the back office's user reads them.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: sqlite directory: %w", err)
	}
	// Created (or narrowed) before SQLite opens it: SQLite gives the
	// -wal and -shm files the database file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	f.Close()
	if err := privateFiles(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	// One connection: SQLite has one writer anyway, and this way no
	// transaction ever waits on a lock held by another connection.
	db.SetMaxOpenConns(1)
	s, err := open(ctx, db, sqliteDialect)
	if err != nil {
		return nil, err
	}
	if err := privateFiles(path); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// privateFiles makes the database file and whichever of its -wal, -shm
// and -journal companions exist 0600.
func privateFiles(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("store: cannot make %s private: %w", p, err)
		}
	}
	return nil
}

// OpenPostgres connects to PostgreSQL with a DSN (URL or key=value form)
// and brings the schema up to date.
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: postgres DSN: %w", err)
	}
	return openPostgresConfig(ctx, cfg)
}

func openPostgresConfig(ctx context.Context, cfg *pgx.ConnConfig) (*DB, error) {
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	return open(ctx, db, postgresDialect)
}

func open(ctx context.Context, db *sql.DB, d dialect) (*DB, error) {
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: cannot reach the %s database: %w", d.name, err)
	}
	s := &DB{db: db, dialect: d}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Pool bounds the connections a DB keeps to its database server.
type Pool struct {
	MaxOpen     int           // connections open at once (in use or idle)
	MaxIdle     int           // idle connections kept for the next query
	MaxLifetime time.Duration // 0: connections are reused for ever
	MaxIdleTime time.Duration // 0: idle connections are kept for ever
}

// SetPool replaces the connection pool's bounds (OpenPostgres starts with
// 16 open connections), so a server sized for a city's load says its own.
func (s *DB) SetPool(p Pool) {
	s.db.SetMaxOpenConns(p.MaxOpen)
	s.db.SetMaxIdleConns(p.MaxIdle)
	s.db.SetConnMaxLifetime(p.MaxLifetime)
	s.db.SetConnMaxIdleTime(p.MaxIdleTime)
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

// Engine names the database engine: "sqlite" or "postgres".
func (s *DB) Engine() string { return s.dialect.name }

// inTx runs fn in a transaction, committing if it returns nil.
func (s *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
