// Package pgtest gives a test a PostgreSQL schema of its own, on the
// database the libpq environment names.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetplan/healthplan/examples/postgres/internal/pgenv"
)

// Schema opens a pool on a new, empty schema named after the test, and
// drops the schema when the test ends. With no database reachable it
// skips the test, and fails it when CI is set: CI must not pass by
// testing nothing.
func Schema(t testing.TB, maxConns int) (*pgxpool.Pool, string) {
	t.Helper()
	name := strings.ToLower(t.Name())
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
	schema := fmt.Sprintf("t_%s_%d_%d", name, os.Getpid(), time.Now().UnixNano()%1e6)
	if len(schema) > 63 {
		schema = schema[len(schema)-63:]
	}
	ctx := context.Background()
	db, err := pgenv.Connect(ctx, schema, maxConns)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v\nCI is set, so this test fails instead of skipping: start a server (examples/postgres/ci.sh does) and export PGHOST, PGPORT, PGUSER and PGDATABASE", err)
		}
		t.Skipf("%v (set PGHOST etc. to run it, or run ci.sh)", err)
	}
	t.Cleanup(func() {
		if err := pgenv.DropSchema(context.Background(), db, schema); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
		db.Close()
	})
	return db, schema
}
