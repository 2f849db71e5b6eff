package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/examples/postgres"
	"github.com/vetplan/healthplan/examples/postgres/internal/pgtest"
	"github.com/vetplan/healthplan/plan"
)

// testTerms: flea treatment 100% off, 3 packs on days 0-90 and 3 more on
// days 80-120; 15.00 a month for 12 months.
func testTerms(t testing.TB) *plan.Terms {
	t.Helper()
	var c plan.Catalog
	err := json.Unmarshal([]byte(`{"currency": "GBP",
	  "groups": [{"id": "flea", "name": "Flea treatment", "core": true, "items": [{"code": "FLEA-1"}]}],
	  "plans": [{"id": "dog-m", "name": "Medium dog", "species": "dog", "termMonths": 12, "monthlyFee": "15.00",
	    "rules": [
	      {"id": "flea-a", "group": "flea", "discountPercent": "100", "allowed": 3, "endDay": 90, "viewOrder": 1},
	      {"id": "flea-b", "group": "flea", "discountPercent": "100", "allowed": 3, "startDay": 80, "endDay": 120, "viewOrder": 2}]}]}`), &c)
	if err != nil {
		t.Fatal(err)
	}
	terms, err := c.Terms("dog-m")
	if err != nil {
		t.Fatal(err)
	}
	return terms
}

var start = plan.MustParseDate("2026-01-10")

func flea(invoice string, packs int64) postgres.Op {
	return postgres.Commit(allowance.Visit{Invoice: invoice, Date: start.AddDays(85), Lines: []allowance.Line{
		{ID: "1", Item: "FLEA-1", Qty: decimal.NewFromInt(packs), UnitPrice: decimal.RequireFromString("23.49")}}})
}

func payment(amount string) postgres.Op {
	return postgres.Pay(billing.Payment{Date: start, Amount: decimal.RequireFromString(amount), Status: billing.Taken})
}

// setup is a store on a fresh schema with the terms and contracts ids
// created, and the pool under it.
func setup(t *testing.T, ids ...string) (*postgres.Store, *pgxpool.Pool, *plan.Terms) {
	t.Helper()
	ctx := context.Background()
	db, _ := pgtest.Schema(t, 8)
	if err := postgres.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	s := postgres.New(db, postgres.Retry{})
	terms := testTerms(t)
	if _, err := s.AddTerms(ctx, terms); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		c, err := healthplan.New(terms, plan.Enrollment{ID: id, Client: "SMITH", Start: start})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return s, db, terms
}

func mustDo(t *testing.T, s *postgres.Store, id, key string, op postgres.Op) postgres.Outcome {
	t.Helper()
	out, err := s.Do(context.Background(), id, key, op)
	if err != nil {
		t.Fatalf("%s %s: %v", id, key, err)
	}
	return out
}

func TestMigrateIsIdempotentAndConcurrent(t *testing.T) {
	ctx := context.Background()
	db, _ := pgtest.Schema(t, 8)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = postgres.Migrate(ctx, db) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d migrations recorded, want 2", n)
	}
}

// The stored document is the library's, byte for byte, and a store from
// scratch (an empty terms cache) loads it.
func TestDoStoresTheLibrarysDocument(t *testing.T) {
	ctx := context.Background()
	s, db, terms := setup(t, "REX")
	mustDo(t, s, "REX", "INV-1", flea("INV-1", 4))
	mustDo(t, s, "REX", "pay-1", payment("15.00"))

	want, _ := healthplan.New(terms, plan.Enrollment{ID: "REX", Client: "SMITH", Start: start})
	if _, err := flea("INV-1", 4).Apply(want); err != nil {
		t.Fatal(err)
	}
	if _, err := payment("15.00").Apply(want); err != nil {
		t.Fatal(err)
	}
	wantDoc, _ := want.MarshalJSON()
	var rev int64
	var doc []byte
	if err := db.QueryRow(ctx, "SELECT revision, doc FROM contracts WHERE id = 'REX'").Scan(&rev, &doc); err != nil {
		t.Fatal(err)
	}
	if rev != 2 || !bytes.Equal(doc, wantDoc) {
		t.Errorf("stored revision %d, document\n%s\nwant revision 2, document\n%s", rev, doc, wantDoc)
	}
	c, err := postgres.New(db, postgres.Retry{}).Get(ctx, "REX")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := c.MarshalJSON(); !bytes.Equal(again, wantDoc) {
		t.Errorf("loaded through a fresh store:\n%s", again)
	}
	if n, err := s.Audit(ctx, "REX"); err != nil || n != 2 {
		t.Errorf("Audit = %d, %v; want 2 operations replayed", n, err)
	}
}

func TestIdempotencyKeys(t *testing.T) {
	ctx := context.Background()
	s, _, _ := setup(t, "REX")

	first := mustDo(t, s, "REX", "INV-1", flea("INV-1", 4))
	if !first.Changed || first.Revision != 1 {
		t.Fatalf("first commit: %+v", first)
	}
	// The same request again: answered from the key, byte for byte.
	again := mustDo(t, s, "REX", "INV-1", flea("INV-1", 4))
	if !again.Replayed || again.Changed || again.Revision != 1 || !bytes.Equal(again.Response, first.Response) {
		t.Errorf("re-sent commit: %+v, want the first answer replayed", again)
	}
	// The same invoice under another key: the library's idempotency by
	// invoice line; nothing is stored.
	other := mustDo(t, s, "REX", "INV-1 again", flea("INV-1", 4))
	if other.Replayed || other.Changed || other.Revision != 1 {
		t.Errorf("the invoice under a new key: %+v, want unchanged", other)
	}
	// The same key for another operation is refused.
	if _, err := s.Do(ctx, "REX", "INV-1", flea("INV-1", 5)); !errors.Is(err, postgres.ErrKeyReused) {
		t.Errorf("the key reused: %v, want ErrKeyReused", err)
	}
	// The invoice line with other content is the library's conflict.
	_, err := s.Do(ctx, "REX", "INV-1 changed", flea("INV-1", 5))
	var refused *postgres.RefusedError
	if !errors.As(err, &refused) || !errors.Is(err, allowance.ErrLineConflict) || refused.ID != "REX" {
		t.Errorf("a changed line: %v, want a RefusedError wrapping ErrLineConflict", err)
	}
	// A payment re-sent with its key is one payment; another key is
	// another payment.
	mustDo(t, s, "REX", "pay-1", payment("15.00"))
	if out := mustDo(t, s, "REX", "pay-1", payment("15.00")); !out.Replayed {
		t.Errorf("re-sent payment: %+v, want replayed", out)
	}
	mustDo(t, s, "REX", "pay-2", payment("15.00"))
	c, err := s.Get(ctx, "REX")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Payments()); n != 2 || c.Revision() != 3 {
		t.Errorf("%d payments at revision %d, want 2 at revision 3", n, c.Revision())
	}
	if _, err := s.Do(ctx, "REX", "", payment("15.00")); err == nil {
		t.Error("an operation without a key was run")
	}
	if _, err := s.Do(ctx, "FIDO", "INV-9", flea("INV-9", 1)); !errors.Is(err, postgres.ErrNotFound) {
		t.Errorf("an unknown contract: %v, want ErrNotFound", err)
	}
}

// raceAgainst runs op through s while another writer holds contract id's
// row, having stored a commit of invoice "INV-A" in the meantime: s has
// read the contract before that commit, so its compare-and-swap must
// find another revision.
func raceAgainst(t *testing.T, s *postgres.Store, db *pgxpool.Pool, terms *plan.Terms, id string, op postgres.Op) (postgres.Outcome, error) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	// The other writer: INV-A on the contract as stored, written but not
	// committed, so that s reads the revision before it and then waits
	// for the row.
	c, err := healthplan.New(terms, plan.Enrollment{ID: id, Client: "SMITH", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	inv := flea("INV-A", 3)
	answer, err := inv.Apply(c)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := c.MarshalJSON()
	opDoc, _ := inv.MarshalJSON()
	if _, err := tx.Exec(ctx, "UPDATE contracts SET doc = $2, revision = 1 WHERE id = $1 AND revision = 0", id, doc); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO operations (contract_id, key, revision, op, response) VALUES ($1, 'INV-A', 1, $2, $3)", id, opDoc, answer); err != nil {
		t.Fatal(err)
	}
	type result struct {
		out postgres.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := s.Do(ctx, id, "INV-B", op)
		done <- result{out, err}
	}()
	// Wait until s is blocked on the row, then let the other writer win.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var waiting int
		err := db.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%WITH cas AS%'`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the store never waited for the row")
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-done
	return r.out, r.err
}

// A lost race is retried on the new state: the second invoice takes the
// units the first left, and nothing is used twice.
func TestLostRaceIsRetried(t *testing.T) {
	ctx := context.Background()
	s, db, terms := setup(t, "REX")
	out, err := raceAgainst(t, s, db, terms, "REX", flea("INV-B", 3))
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); out.Attempts != 2 || st.Conflicts != 1 || st.Retries != 1 || st.Exhausted != 0 || out.Revision != 2 {
		t.Errorf("outcome %+v, stats %+v; want 2 attempts, one conflict retried, revision 2", out, st)
	}
	var res struct {
		Lines []struct {
			Splits []struct{ Rule, Units string }
		}
	}
	if err := json.Unmarshal(out.Response, &res); err != nil {
		t.Fatal(err)
	}
	if sp := res.Lines[0].Splits; len(sp) != 1 || sp[0].Rule != "flea-b" || sp[0].Units != "3" {
		t.Errorf("INV-B was covered by %+v, want flea-b 3 (INV-A took flea-a)", sp)
	}
	c, err := s.Get(ctx, "REX")
	if err != nil {
		t.Fatal(err)
	}
	ents, _ := c.Entitlements(start.AddDays(85))
	for _, e := range ents.Rules {
		if e.Used.String() != "3" {
			t.Errorf("rule %s used %s, want 3", e.Rule, e.Used)
		}
	}
	if n, err := s.Audit(ctx, "REX"); err != nil || n != 2 {
		t.Errorf("Audit = %d, %v", n, err)
	}
}

// A race lost on the last attempt is ErrConflict, and stores nothing.
func TestLostEveryRace(t *testing.T) {
	ctx := context.Background()
	_, db, terms := setup(t, "REX")
	s := postgres.New(db, postgres.Retry{Attempts: 1})
	_, err := raceAgainst(t, s, db, terms, "REX", flea("INV-B", 3))
	if !errors.Is(err, postgres.ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if st := s.Stats(); st.Conflicts != 1 || st.Retries != 0 || st.Exhausted != 1 {
		t.Errorf("stats %+v", st)
	}
	c, err := s.Get(ctx, "REX")
	if err != nil {
		t.Fatal(err)
	}
	if c.Revision() != 1 {
		t.Errorf("revision %d, want 1: only the other writer's commit", c.Revision())
	}
}

// Rows edited by hand are reported with their id and the library's error,
// and change nothing; the other contracts are untouched.
func TestBadRows(t *testing.T) {
	ctx := context.Background()
	s, db, _ := setup(t, "GOOD", "EDITED", "NOTERMS", "REVISION", "OTHERID")
	edits := []string{
		`UPDATE contracts SET doc = replace(doc::text, '"payments":[]', '"payments":[{"date":"2026-01-10","amount":"15.00","status":"refunded"}]')::json WHERE id = 'EDITED'`,
		`UPDATE contracts SET doc = regexp_replace(doc::text, 'sha256:[0-9a-f]+', 'sha256:` + strings.Repeat("0", 64) + `')::json WHERE id = 'NOTERMS'`,
		`UPDATE contracts SET revision = 4 WHERE id = 'REVISION'`,
		`UPDATE contracts SET doc = replace(doc::text, '"id":"OTHERID"', '"id":"GOOD"')::json WHERE id = 'OTHERID'`,
	}
	for _, e := range edits {
		if tag, err := db.Exec(ctx, e); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: %v, %v", e, tag, err)
		}
	}
	tests := []struct {
		id   string
		is   error
		want string
	}{
		{"EDITED", nil, `payments[0].status: "refunded" is not a payment status`},
		{"NOTERMS", healthplan.ErrUnknownTerms, "the terms source does not hold"},
		{"REVISION", nil, "the row is at revision 4 but its document at 0"},
		{"OTHERID", nil, `the document is contract "GOOD"'s`},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			for name, call := range map[string]func() error{
				"Get": func() error { _, err := s.Get(ctx, tt.id); return err },
				"Do":  func() error { _, err := s.Do(ctx, tt.id, "INV-1", flea("INV-1", 1)); return err },
			} {
				err := call()
				var ce *postgres.ContractError
				if !errors.As(err, &ce) || ce.ID != tt.id {
					t.Fatalf("%s: %v, want a ContractError for %s", name, err, tt.id)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("%s: %v, want it to wrap %v", name, err, tt.is)
				}
				if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.id) {
					t.Errorf("%s: %q, want it to name %s and say %q", name, err, tt.id, tt.want)
				}
			}
		})
	}
	if out := mustDo(t, s, "GOOD", "INV-1", flea("INV-1", 1)); out.Revision != 1 {
		t.Errorf("GOOD: %+v", out)
	}
	var stored int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM operations").Scan(&stored); err != nil || stored != 1 {
		t.Errorf("%d operations stored (%v), want GOOD's one", stored, err)
	}
}

// Audit finds a log that does not give the stored document.
func TestAuditFindsTampering(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, sql, want string
	}{
		{"a stored operation changed", `UPDATE operations SET op = replace(op::text, '"qty":"4"', '"qty":"2"')::json WHERE revision = 1`, "answered"},
		{"an operation missing", `DELETE FROM operations WHERE revision = 2`, "the log ends at revision 1, the contract is at 2"},
		{"a hole in the log", `UPDATE operations SET revision = 3 WHERE revision = 2`, "the log goes from revision 1 to 3"},
		{"the document changed", `UPDATE contracts SET doc = replace(doc::text, '"client":"SMITH"', '"client":"JONES"')::json`, "differs from the stored one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, db, _ := setup(t, "REX")
			mustDo(t, s, "REX", "INV-1", flea("INV-1", 4))
			mustDo(t, s, "REX", "pay-1", payment("15.00"))
			if _, err := db.Exec(ctx, tt.sql); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Audit(ctx, "REX"); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Audit: %v, want %q", err, tt.want)
			}
		})
	}
}
