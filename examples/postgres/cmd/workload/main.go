// Command workload runs a practice's year of invoices, credit notes and
// payments for many pets at once against contracts stored in PostgreSQL,
// then checks the store against the library's sequential replay, and
// prints what it did and how fast. A developer runs it to see the store
// under load; the module's tests run it to kill it and restart it.
//
//	export PGHOST=/tmp/pg PGUSER=postgres PGDATABASE=postgres   # the libpq variables
//	go run ./cmd/workload -workers 8 -contracts 20 -visits 2000
//
// It works in its own schema (-schema, created if missing) and starts it
// afresh with -reset. With -journal FILE it records every request sent
// and answered; started again after a crash with the same flags, it sends
// again every request it cannot prove was stored and goes on from there.
// -ordered sends each contract's requests one after the other, so that
// the final state is the same however often the run was interrupted.
//
// It exits 1 when a check failed, a request was refused or a stored
// contract could not be loaded (each is printed with its id and the
// library's error; the other contracts go on).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/vetplan/healthplan/examples/postgres"
	"github.com/vetplan/healthplan/examples/postgres/internal/pgenv"
	"github.com/vetplan/healthplan/examples/postgres/internal/workload"
)

func main() {
	var cfg workload.Config
	flag.IntVar(&cfg.Workers, "workers", 8, "goroutines sending requests at once")
	flag.IntVar(&cfg.Contracts, "contracts", 20, "contracts (pets)")
	flag.IntVar(&cfg.Visits, "visits", 2000, "invoices in all, shared out over the contracts")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "the workload's seed: the same seed gives the same requests")
	flag.BoolVar(&cfg.Ordered, "ordered", false, "send each contract's requests one after the other")
	schema := flag.String("schema", "workload", "the PostgreSQL schema to work in, created if missing")
	reset := flag.Bool("reset", false, "drop the schema (and the journal) first")
	journal := flag.String("journal", "", "record requests sent and done in `file`, and resume from it")
	check := flag.Bool("check", true, "check the store against the sequential replay afterwards")
	attempts := flag.Int("attempts", 8, "tries per request before it counts as lost to a conflict")
	asJSON := flag.Bool("json", false, "print the figures and the check's report as JSON on the last line")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, cfg, *schema, *reset, *journal, *check, *attempts, *asJSON)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workload:", err)
	}
	os.Exit(code)
}

func run(ctx context.Context, cfg workload.Config, schema string, reset bool, journal string, check bool, attempts int, asJSON bool) (int, error) {
	w, err := workload.Generate(cfg)
	if err != nil {
		return 2, err
	}
	db, err := pgenv.Connect(ctx, schema, cfg.Workers+2)
	if err != nil {
		return 1, err
	}
	if reset {
		err := pgenv.DropSchema(ctx, db, schema)
		db.Close()
		if err != nil {
			return 1, err
		}
		if db, err = pgenv.Connect(ctx, schema, cfg.Workers+2); err != nil {
			return 1, err
		}
		if journal != "" {
			if err := os.Remove(journal); err != nil && !os.IsNotExist(err) {
				return 1, err
			}
		}
	}
	defer db.Close()
	if err := postgres.Migrate(ctx, db); err != nil {
		return 1, err
	}
	s := postgres.New(db, postgres.Retry{Attempts: attempts})
	if err := w.Setup(ctx, s); err != nil {
		return 1, err
	}
	var j *workload.Journal
	if journal != "" {
		if j, err = workload.OpenJournal(journal); err != nil {
			return 1, err
		}
		defer j.Close()
	}
	fig, runErr := w.Run(ctx, s, j, os.Stdout)
	fmt.Print(fig)
	code := 0
	if runErr != nil {
		fmt.Fprintln(os.Stderr, "workload:", runErr)
		code = 1
	}
	if len(fig.Bad) > 0 {
		fmt.Printf("%d contracts could not be loaded; the others were done\n", len(fig.Bad))
		code = 1
	}
	var rep *workload.Report
	if check && runErr == nil {
		if rep, err = w.Check(ctx, s, db, fig.Bad); err != nil {
			return 1, err
		}
		fmt.Println(rep)
		if len(rep.Problems) > 0 {
			code = 1
		}
	}
	if asJSON {
		b, _ := json.Marshal(struct {
			Figures *workload.Figures `json:"figures"`
			Report  *workload.Report  `json:"report,omitempty"`
		}{fig, rep})
		fmt.Printf("%s\n", b)
	}
	return code, nil
}
