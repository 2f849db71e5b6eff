package workload

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/examples/postgres"
)

// Setup stores the workload's terms and creates its contracts, leaving
// those that exist as they are: a restarted run sets up again safely.
func (w *Workload) Setup(ctx context.Context, s *postgres.Store) error {
	if _, err := s.AddTerms(ctx, w.terms); err != nil {
		return err
	}
	for _, ct := range w.contracts {
		c, err := healthplan.New(w.terms, ct.in)
		if err != nil {
			return err
		}
		if err := s.Create(ctx, c); err != nil && !errors.Is(err, postgres.ErrExists) {
			return err
		}
	}
	return nil
}

// Journal is what the PMS knows it sent and had answered: a line "sent
// NAME" before each request and "done NAME" after its answer, appended
// to a file. After a crash, a request sent and not done is one the PMS
// cannot prove was stored; it sends it again. Each line is one write(2),
// which a killed process either made or did not; surviving a power cut
// as well would take an fsync per line.
type Journal struct {
	mu   sync.Mutex
	f    *os.File
	done map[string]bool
	sent map[string]bool // sent and not done
}

// OpenJournal reads the journal at path, if there is one, and opens it
// for appending.
func OpenJournal(path string) (*Journal, error) {
	j := &Journal{done: map[string]bool{}, sent: map[string]bool{}}
	if b, err := os.ReadFile(path); err == nil {
		text := string(b)
		if i := strings.LastIndexByte(text, '\n'); i+1 < len(text) {
			text = text[:i+1] // a line cut short by a kill
		}
		sc := bufio.NewScanner(strings.NewReader(text))
		for sc.Scan() {
			what, name, _ := strings.Cut(sc.Text(), " ")
			switch what {
			case "sent":
				j.sent[name] = true
			case "done":
				j.done[name] = true
				delete(j.sent, name)
			default:
				return nil, fmt.Errorf("%s: %q is not a journal line", path, sc.Text())
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	j.f = f
	return j, nil
}

func (j *Journal) write(what, name string) error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	_, err := io.WriteString(j.f, what+" "+name+"\n")
	return err
}

// Close closes the journal's file.
func (j *Journal) Close() error {
	if j == nil {
		return nil
	}
	return j.f.Close()
}

// Figures is what a run did and how fast.
type Figures struct {
	Workers, Contracts, Ops int
	// Previously is the ops a journal recorded as done before this run;
	// Sent the requests this run sent (a request that lost every race is
	// sent again, and counted again).
	Previously, Sent int
	Seconds          float64
	OpsPerSecond     float64
	P50, P99, Max    time.Duration
	postgres.Stats
	// Requeued is the requests that lost every race (ErrConflict) and
	// were queued again.
	Requeued int
	// Resent is the requests a journal showed sent and not done, sent
	// again; of them, Replayed were answered from their key, Unchanged
	// recorded nothing (an invoice stored already), and Stored were
	// stored now.
	Resent, ResentReplayed, ResentUnchanged, ResentStored int
	// Bad is the contracts the store could not load, with the error;
	// Skipped their requests, not sent.
	Bad     map[string]string
	Skipped int
	// Failed is the requests the library refused: none, for a correct
	// workload.
	Failed []string
}

func (f *Figures) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "workers %d, contracts %d: %d requests (%d done before), %d sent in %.2fs\n",
		f.Workers, f.Contracts, f.Ops, f.Previously, f.Sent, f.Seconds)
	fmt.Fprintf(&b, "%.0f ops/s; latency p50 %s, p99 %s, max %s\n", f.OpsPerSecond,
		f.P50.Round(10*time.Microsecond), f.P99.Round(10*time.Microsecond), f.Max.Round(10*time.Microsecond))
	fmt.Fprintf(&b, "stored %d, unchanged %d, replayed by key %d\n", f.Stored, f.Unchanged, f.Replayed)
	fmt.Fprintf(&b, "conflicts %d, retries %d, exhausted %d (queued again: %d)\n", f.Conflicts, f.Retries, f.Exhausted, f.Requeued)
	if f.Resent > 0 {
		fmt.Fprintf(&b, "re-sent after a crash %d: replayed by key %d, unchanged %d, stored now %d\n",
			f.Resent, f.ResentReplayed, f.ResentUnchanged, f.ResentStored)
	}
	if len(f.Bad) > 0 {
		fmt.Fprintf(&b, "bad contracts %d, their %d requests not sent\n", len(f.Bad), f.Skipped)
	}
	if len(f.Failed) > 0 {
		fmt.Fprintf(&b, "refused %d\n", len(f.Failed))
	}
	return b.String()
}

// Run sends the workload's requests to s from cfg.Workers goroutines,
// each as soon as the requests it waits for are done, and returns the
// figures. With a journal it skips the requests the journal shows done
// and sends the rest, those it shows sent first. A contract the store
// cannot load is reported on log with its id and error once, and its
// requests are not sent; the others go on. The error is for a run that
// could not go on (the database went away), or for requests the library
// refused.
func (w *Workload) Run(ctx context.Context, s *postgres.Store, j *Journal, log io.Writer) (*Figures, error) {
	f := &Figures{Workers: w.cfg.Workers, Contracts: len(w.contracts), Ops: len(w.ops), Bad: map[string]string{}}
	done := make([]bool, len(w.ops))
	resent := make([]bool, len(w.ops))
	left := 0
	for i, o := range w.ops {
		switch {
		case j != nil && j.done[o.name]:
			done[i] = true
			f.Previously++
		case j != nil && j.sent[o.name]:
			resent[i] = true
			left++
		default:
			left++
		}
	}
	pending := make([]atomic.Int32, len(w.ops))
	for i, o := range w.ops {
		for _, d := range o.deps {
			if !done[d] {
				pending[i].Add(1)
			}
		}
	}
	if left == 0 {
		return f, nil
	}
	ready := make(chan int, len(w.ops))
	queue := func(i int) {
		if !done[i] && pending[i].Load() == 0 {
			ready <- i
		}
	}
	if w.cfg.Ordered {
		// The first op of every contract not yet done, and whatever goes
		// with it.
		for i := range w.ops {
			queue(i)
		}
	} else {
		for _, i := range w.order {
			queue(i)
		}
	}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		bad       = make([]atomic.Bool, len(w.contracts))
		fatal     error
		wg        sync.WaitGroup
	)
	wg.Add(left)
	finish := func(i int) {
		done[i] = true // written once, by the one worker holding i, before its dependents are queued
		for _, a := range w.ops[i].after {
			if pending[a].Add(-1) == 0 {
				ready <- a
			}
		}
		wg.Done()
	}
	go func() { wg.Wait(); close(ready) }()

	before := s.Stats()
	t0 := time.Now()
	var workers sync.WaitGroup
	for range w.cfg.Workers {
		workers.Go(func() {
			for i := range ready {
				o := w.ops[i]
				ct := w.contracts[o.contract]
				if bad[o.contract].Load() || ctx.Err() != nil {
					mu.Lock()
					f.Skipped++
					mu.Unlock()
					finish(i)
					continue
				}
				if err := j.write("sent", o.name); err != nil {
					mu.Lock()
					fatal = cmpOr(fatal, err)
					mu.Unlock()
					finish(i)
					continue
				}
				start := time.Now()
				out, err := s.Do(ctx, ct.id, o.key, o.op)
				took := time.Since(start)
				var (
					ce      *postgres.ContractError
					refused *postgres.RefusedError
				)
				mu.Lock()
				f.Sent++
				switch {
				case err == nil:
					latencies = append(latencies, took)
					if resent[i] {
						f.Resent++
						what := "stored now"
						switch {
						case out.Replayed:
							f.ResentReplayed++
							what = "replayed by key"
						case out.Changed:
							f.ResentStored++
						default:
							f.ResentUnchanged++
							what = "unchanged"
						}
						fmt.Fprintf(log, "re-sent %s (%s %s): %s at revision %d\n", o.name, o.op.Kind(), o.key, what, out.Revision)
					}
				case errors.Is(err, postgres.ErrConflict):
					f.Requeued++
				case errors.As(err, &ce):
					if !bad[o.contract].Swap(true) {
						f.Bad[ct.id] = ce.Err.Error()
						fmt.Fprintf(log, "contract %s: %v\n", ct.id, ce.Err)
					}
				case ctx.Err() != nil:
					fatal = cmpOr(fatal, ctx.Err())
				case errors.As(err, &refused) || errors.Is(err, postgres.ErrNotFound) || errors.Is(err, postgres.ErrKeyReused):
					f.Failed = append(f.Failed, err.Error())
					fmt.Fprintf(log, "refused: %v\n", err)
				default:
					fatal = cmpOr(fatal, err)
				}
				mu.Unlock()
				switch {
				case errors.Is(err, postgres.ErrConflict) && ctx.Err() == nil:
					ready <- i // not done: the workload sends it again later
				case err == nil:
					if err := j.write("done", o.name); err != nil {
						mu.Lock()
						fatal = cmpOr(fatal, err)
						mu.Unlock()
					}
					finish(i)
				default:
					finish(i)
				}
			}
		})
	}
	workers.Wait()
	f.Seconds = time.Since(t0).Seconds()
	after := s.Stats()
	f.Stats = postgres.Stats{
		Ops: after.Ops - before.Ops, Stored: after.Stored - before.Stored, Unchanged: after.Unchanged - before.Unchanged,
		Replayed: after.Replayed - before.Replayed, Conflicts: after.Conflicts - before.Conflicts,
		Retries: after.Retries - before.Retries, Exhausted: after.Exhausted - before.Exhausted,
	}
	if f.Seconds > 0 {
		f.OpsPerSecond = float64(len(latencies)) / f.Seconds
	}
	slices.Sort(latencies)
	if n := len(latencies); n > 0 {
		f.P50, f.P99, f.Max = latencies[n/2], latencies[min(n-1, n*99/100)], latencies[n-1]
	}
	if fatal != nil {
		return f, fatal
	}
	if len(f.Failed) > 0 {
		return f, fmt.Errorf("%d requests refused, the first: %s", len(f.Failed), f.Failed[0])
	}
	return f, nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
