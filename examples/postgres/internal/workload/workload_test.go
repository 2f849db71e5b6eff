package workload_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vetplan/healthplan/examples/postgres"
	"github.com/vetplan/healthplan/examples/postgres/internal/pgtest"
	"github.com/vetplan/healthplan/examples/postgres/internal/workload"
)

// Concurrency: many workers commit visits, credit notes, payments and
// re-sent duplicates to the same contracts at once. Afterwards the store
// must equal the sequential replay of what it stored, in commit order, and
// hold every line once, every payment once, no rule over its allowance;
// and every race lost must have been retried.
func TestConcurrency(t *testing.T) {
	cfg := workload.Config{Workers: 8, Contracts: 20, Visits: 2000, Seed: 1}
	if testing.Short() {
		cfg = workload.Config{Workers: 4, Contracts: 4, Visits: 200, Seed: 1}
	}
	for _, ordered := range []bool{false, true} {
		cfg.Ordered = ordered
		name := "any order"
		if ordered {
			name = "in order"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, _ := pgtest.Schema(t, cfg.Workers+2)
			if err := postgres.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			s := postgres.New(db, postgres.Retry{})
			w, err := workload.Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Setup(ctx, s); err != nil {
				t.Fatal(err)
			}
			var log strings.Builder
			fig, err := w.Run(ctx, s, nil, &log)
			if err != nil {
				t.Fatalf("%v\n%s", err, log.String())
			}
			t.Logf("\n%s", fig)
			rep, err := w.Check(ctx, s, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(rep)
			if len(rep.Problems) > 0 {
				t.Fatalf("%d problems", len(rep.Problems))
			}
			if fig.Sent != w.Ops()+fig.Requeued || len(fig.Bad) > 0 || len(fig.Failed) > 0 {
				t.Errorf("%d of %d requests sent (%d queued again), %d bad contracts, %d refused", fig.Sent, w.Ops(), fig.Requeued, len(fig.Bad), len(fig.Failed))
			}
			// No race went unretried: every conflict was retried, or
			// ended its attempts and was sent again.
			if fig.Conflicts != fig.Retries+fig.Exhausted || fig.Exhausted != int64(fig.Requeued) {
				t.Errorf("conflicts %d, retries %d, exhausted %d, queued again %d", fig.Conflicts, fig.Retries, fig.Exhausted, fig.Requeued)
			}
			if fig.Conflicts == 0 {
				t.Error("no request lost a race: the test proved nothing")
			}
			if int64(rep.Revisions) != fig.Stored || rep.Replayed != fig.Stored {
				t.Errorf("%d stored, %d revisions, %d replayed", fig.Stored, rep.Revisions, rep.Replayed)
			}
			if fig.Replayed == 0 || fig.Unchanged == 0 {
				t.Errorf("no request was answered from its key (%d) or by line idempotency (%d)", fig.Replayed, fig.Unchanged)
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	cfg := workload.Config{Workers: 2, Contracts: 3, Visits: 30, Seed: 7}
	a, err := workload.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := workload.Generate(cfg)
	ea, err := a.Expected()
	if err != nil {
		t.Fatal(err)
	}
	eb, _ := b.Expected()
	for id, doc := range ea {
		if string(eb[id]) != string(doc) {
			t.Errorf("%s differs between two generations", id)
		}
	}
	if _, err := workload.Generate(workload.Config{Workers: 1, Contracts: 3, Visits: 2}); err == nil {
		t.Error("fewer visits than contracts was accepted")
	}
}
