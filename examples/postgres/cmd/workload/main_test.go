package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetplan/healthplan/examples/postgres"
	"github.com/vetplan/healthplan/examples/postgres/internal/pgtest"
	"github.com/vetplan/healthplan/examples/postgres/internal/workload"
)

// build compiles the command once per test.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "workload")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type result struct {
	Figures workload.Figures `json:"figures"`
	Report  *workload.Report `json:"report"`
}

// lastJSON reads the figures the command prints last with -json.
func lastJSON(t *testing.T, out []byte) result {
	t.Helper()
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	var r result
	if err := json.Unmarshal(lines[len(lines)-1], &r); err != nil {
		t.Fatalf("the last line is not the figures: %v\n%s", err, out)
	}
	return r
}

type row struct {
	id       string
	revision int64
	doc      string
}

func contracts(t *testing.T, db *pgxpool.Pool) []row {
	t.Helper()
	rows, err := db.Query(context.Background(), "SELECT id, revision, doc::text FROM contracts ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.revision, &r.doc); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// journalProgress counts the requests a journal shows done, reading only
// what was appended since the last look.
type journalProgress struct {
	path string
	off  int64
	n    int
	part []byte // a line not yet ended
}

func (p *journalProgress) done(t *testing.T) int {
	f, err := os.Open(p.path)
	if errors.Is(err, os.ErrNotExist) {
		return p.n
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, p.off, 1<<40))
	if err != nil {
		t.Fatal(err)
	}
	p.off += int64(len(b))
	b = append(p.part, b...)
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break
		}
		if bytes.HasPrefix(b[:i], []byte("done ")) {
			p.n++
		}
		b = b[i+1:]
	}
	p.part = append([]byte(nil), b...)
	return p.n
}

// Crash: the command is killed with SIGKILL at random points, at least 20
// times, and started again each time with its journal; every time it
// sends again what it cannot prove was stored. The final state must be
// the state of a run without crashes, row for row and byte for byte, and
// the library's sequential truth (the command's own check, -ordered).
func TestCrash(t *testing.T) {
	kills := 20
	size := []string{"-workers", "8", "-contracts", "20", "-visits", "2000"}
	if testing.Short() {
		kills = 3
		size = []string{"-workers", "4", "-contracts", "5", "-visits", "300"}
	}
	bin := build(t)
	cleanDB, clean := pgtest.Schema(t, 2)
	crashDB, crash := pgtest.Schema(t, 2)
	args := append([]string{"-ordered", "-json"}, size...)

	// The run without crashes, which also says how long a run takes.
	out, err := exec.Command(bin, append(args, "-schema", clean)...).CombinedOutput()
	if err != nil {
		t.Fatalf("the run without crashes: %v\n%s", err, out)
	}
	cleanRun := lastJSON(t, out)
	t.Logf("without crashes:\n%s%s", cleanRun.Figures.String(), cleanRun.Report)

	// Where to kill: at random points all through the run, as progress
	// (requests done, read from the journal as it grows), so that every
	// life gets somewhere whatever the machine's speed; and one life in
	// five at a random moment of its start-up instead (connecting,
	// migrating, setting up, reading the journal).
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 0))
	targets := make([]int, kills)
	for k := range targets {
		targets[k] = r.IntN(cleanRun.Figures.Ops * 95 / 100)
	}
	slices.Sort(targets)
	journal := filepath.Join(t.TempDir(), "journal")
	progress := &journalProgress{path: journal}
	crashArgs := append(args, "-schema", crash, "-journal", journal, "-check=false")
	var killed, early, resent, replayed, unchanged, storedNow, finished int
	var at []int // requests done when each kill fell
	for killed < kills {
		if finished > kills {
			t.Fatalf("after %d kills the run keeps finishing before its kill", killed)
		}
		cmd := exec.Command(bin, crashArgs...)
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		target, startup := targets[killed], r.IntN(5) == 0
		var deadline <-chan time.Time
		if startup {
			deadline = time.After(time.Duration(r.Int64N(int64(80 * time.Millisecond))))
		}
		tick := time.NewTicker(time.Millisecond)
		var err error
		kill := false
	wait:
		for {
			select {
			case err = <-exited:
				break wait
			case <-deadline:
				kill = true
				break wait
			case <-tick.C:
				if !startup && progress.done(t) >= target {
					kill = true
					break wait
				}
			}
		}
		tick.Stop()
		if kill {
			_ = cmd.Process.Signal(os.Kill)
			err = <-exited
		}
		var ee *exec.ExitError
		switch {
		case err == nil:
			finished++ // it ended before its kill; the lives after it have nothing left to send
		case kill && errors.As(err, &ee) && ee.ExitCode() == -1:
			killed++
			if startup {
				early++
			}
			at = append(at, progress.done(t))
		default:
			t.Fatalf("life %d: %v\n%s", killed+finished+1, err, buf.String())
		}
		sc := bufio.NewScanner(&buf)
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, "re-sent ") {
				continue
			}
			resent++
			switch {
			case strings.Contains(line, ": replayed by key"):
				replayed++
			case strings.Contains(line, ": unchanged"):
				unchanged++
			case strings.Contains(line, ": stored now"):
				storedNow++
			}
		}
	}
	// The last life, to the end, with the check.
	out, err = exec.Command(bin, append(args, "-schema", crash, "-journal", journal)...).CombinedOutput()
	if err != nil {
		t.Fatalf("the last life: %v\n%s", err, out)
	}
	last := lastJSON(t, out)
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case !strings.HasPrefix(line, "re-sent "):
		case strings.Contains(line, ": replayed by key"):
			resent, replayed = resent+1, replayed+1
		case strings.Contains(line, ": unchanged"):
			resent, unchanged = resent+1, unchanged+1
		default:
			resent, storedNow = resent+1, storedNow+1
		}
	}
	t.Logf("last life:\n%s%s", last.Figures.String(), last.Report)
	t.Logf("%d kills (seed %d), %d of them in start-up, at %v requests done; %d lives ended before their kill; %d requests in flight at a kill sent again: %d answered from their key, %d unchanged (stored already, by invoice line), %d stored then",
		killed, seed, early, at, finished, resent, replayed, unchanged, storedNow)
	if resent == 0 {
		t.Error("no kill fell while a request was in flight")
	}
	if last.Report == nil || len(last.Report.Problems) > 0 || last.Figures.Previously == 0 {
		t.Fatalf("the crashed run's check: %+v", last.Report)
	}
	a, b := contracts(t, cleanDB), contracts(t, crashDB)
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d contracts without crashes, %d with", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("%s: revision %d without crashes, %d with; documents equal: %v", a[i].id, a[i].revision, b[i].revision, a[i].doc == b[i].doc)
		}
	}
}

// Bad data: rows edited by hand into documents the library refuses, or
// naming terms the table does not hold, are reported with their id and
// the library's error; the workers go on with the other contracts, which
// end checked and complete.
func TestBadData(t *testing.T) {
	ctx := context.Background()
	bin := build(t)
	db, schema := pgtest.Schema(t, 4)
	cfg := workload.Config{Workers: 4, Contracts: 6, Visits: 300, Seed: 1}
	w, err := workload.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := w.Setup(ctx, postgres.New(db, postgres.Retry{})); err != nil {
		t.Fatal(err)
	}
	edits := map[string]string{
		"C001": `UPDATE contracts SET doc = replace(doc::text, '"payments":[]', '"payments":[{"date":"2026-01-10","amount":"15.00","status":"refunded"}]')::json WHERE id = 'C001'`,
		"C002": `UPDATE contracts SET doc = regexp_replace(doc::text, 'sha256:[0-9a-f]+', 'sha256:` + strings.Repeat("0", 64) + `')::json WHERE id = 'C002'`,
		"C004": `UPDATE contracts SET doc = replace(doc::text, '"start":"2026-01-10"', '"start":"2026-01-10","end":"2027-01-09"')::json WHERE id = 'C004'`,
	}
	for id, sql := range edits {
		if tag, err := db.Exec(ctx, sql); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: %v %v", id, tag, err)
		}
	}
	cmd := exec.Command(bin, "-workers", "4", "-contracts", "6", "-visits", "300", "-schema", schema, "-json")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\n%s", err, out)
	}
	t.Logf("\n%s", out)
	want := map[string]string{
		"C001": `contract C001: payments[0].status: "refunded" is not a payment status; want taken or failed`,
		"C002": `contract C002: terms.terms: "sha256:` + strings.Repeat("0", 64) + `" names terms of plan "dog-m" that the terms source does not hold`,
		"C004": `contract C004: subscription.end`,
	}
	for id, line := range want {
		if n := strings.Count(string(out), line); n != 1 {
			t.Errorf("%s: reported %d times, want once as %q", id, n, line)
		}
	}
	res := lastJSON(t, out)
	if len(res.Figures.Bad) != 3 || len(res.Figures.Failed) != 0 || res.Figures.Skipped == 0 {
		t.Errorf("bad %v, refused %v, skipped %d", res.Figures.Bad, res.Figures.Failed, res.Figures.Skipped)
	}
	if res.Report == nil || res.Report.Contracts != 3 || len(res.Report.Problems) > 0 {
		t.Errorf("the others' check: %+v", res.Report)
	}
	// The bad rows are as they were left: nothing was stored for them.
	var n int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM operations WHERE contract_id IN ('C001', 'C002', 'C004')").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d operations stored on bad contracts (%v)", n, err)
	}
}
