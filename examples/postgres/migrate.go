package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock that serialises migrators: several
// service instances may start at once.
const migrationLock = 0x6865616c7468 // "health"

// Migrate brings the schema up to date: it runs, in name order, the files
// of migrations/ not yet recorded in schema_migrations, all in one
// transaction under an advisory lock, so that instances starting together
// migrate once and a failed file leaves nothing half done. The tables are
// created in the connection's search_path.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(files)
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
			return fmt.Errorf("migrate: taking the lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    text PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		for _, f := range files {
			var done bool
			if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", f).Scan(&done); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			if done {
				continue
			}
			sql, err := migrations.ReadFile(f)
			if err != nil {
				return err
			}
			// Without arguments Exec uses the simple protocol, which runs a
			// file of several statements.
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return fmt.Errorf("migrate: %s: %w", f, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version) VALUES ($1)", f); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
		}
		return nil
	})
}
