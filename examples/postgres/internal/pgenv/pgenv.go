// Package pgenv opens the database the standard libpq environment names
// (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, ... as pgx reads them),
// in a schema of its own, for the workload command and the tests.
package pgenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Where says which database the environment names, for messages.
func Where() string {
	get := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	return fmt.Sprintf("PGHOST=%q PGPORT=%q PGUSER=%q PGDATABASE=%q",
		get("PGHOST", "(unset)"), get("PGPORT", "(unset)"), get("PGUSER", "(unset)"), get("PGDATABASE", "(unset)"))
}

// Connect opens a pool of at most maxConns connections (0: pgx's default)
// on the environment's database, with search_path set to schema, which it
// creates if it is missing ("" keeps the database's search_path). It pings
// the server, so that an unreachable one is an error here that says
// where it looked.
func Connect(ctx context.Context, schema string, maxConns int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, fmt.Errorf("reading the PG* environment: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = int32(maxConns)
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = schema
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	db, err := pgxpool.NewWithConfig(pctx, cfg)
	if err == nil {
		err = db.Ping(pctx)
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		return nil, fmt.Errorf("no PostgreSQL reachable through %s: %w", Where(), err)
	}
	if schema != "" {
		_, err := db.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize())
		var pgErr *pgconn.PgError
		if err != nil && !(errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P06")) {
			db.Close() // two processes creating it at once: one wins, both go on
			return nil, fmt.Errorf("creating schema %q: %w", schema, err)
		}
	}
	return db, nil
}

// DropSchema removes schema and everything in it.
func DropSchema(ctx context.Context, db *pgxpool.Pool, schema string) error {
	_, err := db.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
	return err
}
