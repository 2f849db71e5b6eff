package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/vetplan/healthplan"
)

// Audit checks contract id against its log: on the contract as it was
// created, it replays the stored operations in revision order with the
// library alone, and checks that each raised the revision by exactly one
// and gave the answer stored with it, that the log has one operation per
// revision, and that the last gives the stored document byte for byte.
// It reads the contract and its log in one snapshot, so it can run beside
// live traffic, and returns the number of operations replayed.
func (s *Store) Audit(ctx context.Context, id string) (int64, error) {
	var n int64
	err := pgx.BeginTxFunc(ctx, s.db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var rev int64
		var doc, created []byte
		err := tx.QueryRow(ctx, "SELECT revision, doc, created FROM contracts WHERE id = $1", id).Scan(&rev, &doc, &created)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("contract %q: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := s.decode(ctx, id, rev, doc); err != nil {
			return err
		}
		c, err := healthplan.Load(created, s.terms.source(ctx))
		if err != nil {
			return &ContractError{ID: id, Err: fmt.Errorf("as created: %w", err)}
		}
		rows, err := tx.Query(ctx, "SELECT revision, key, op, response FROM operations WHERE contract_id = $1 ORDER BY revision", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				r          int64
				key        string
				opDoc, ans []byte
				op         Op
			)
			if err := rows.Scan(&r, &key, &opDoc, &ans); err != nil {
				return err
			}
			if r != c.Revision()+1 {
				return fmt.Errorf("contract %q: the log goes from revision %d to %d", id, c.Revision(), r)
			}
			if err := op.UnmarshalJSON(opDoc); err != nil {
				return fmt.Errorf("contract %q: revision %d (key %q): %w", id, r, key, err)
			}
			got, err := op.Apply(c)
			if err != nil {
				return fmt.Errorf("contract %q: replaying revision %d (key %q): %w", id, r, key, err)
			}
			if c.Revision() != r {
				return fmt.Errorf("contract %q: replaying key %q gave revision %d, the log says %d", id, key, c.Revision(), r)
			}
			if !bytes.Equal(got, ans) {
				return fmt.Errorf("contract %q: replaying revision %d (key %q) answered\n%s\nthe log says\n%s", id, r, key, got, ans)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if c.Revision() != rev {
			return fmt.Errorf("contract %q: the log ends at revision %d, the contract is at %d", id, c.Revision(), rev)
		}
		if again, _ := c.MarshalJSON(); !bytes.Equal(again, doc) {
			return fmt.Errorf("contract %q: the replayed document differs from the stored one from byte %d", id, firstDiff(again, doc))
		}
		return nil
	})
	return n, err
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
