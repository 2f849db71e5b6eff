// Package workload is a practice's year of invoices, credit notes and
// payments for many pets at once, generated from a seed, run against a
// postgres.Store by many workers, and checked afterwards against the
// library's own sequential replay. The workload command and the tests run
// it.
package workload

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/examples/postgres"
	"github.com/vetplan/healthplan/plan"
)

// Config is a workload's size and shape.
type Config struct {
	Workers   int // goroutines sending operations at once
	Contracts int // pets, one contract each
	Visits    int // invoices in all, shared out over the contracts
	Seed      uint64
	// Ordered sends each contract's operations one after the other (a
	// re-sent duplicate still goes at the same time as its original), so
	// that the final state does not depend on timing and a run can be
	// compared byte for byte with another. Otherwise any operations may
	// run at once, and only a credit note waits for the invoice it
	// credits.
	Ordered bool
}

const catalogJSON = `{"currency": "GBP",
  "groups": [
    {"id": "flea", "name": "Flea and worm", "core": true, "items": [{"code": "FLEA-1"}, {"code": "FLEA-3", "units": 3}]},
    {"id": "vacc", "name": "Vaccinations", "core": true, "items": [{"code": "VACC"}]},
    {"id": "consult", "name": "Consultations", "core": true, "items": [{"code": "CONSULT"}]},
    {"id": "dental", "name": "Dental", "items": [{"code": "SCALE"}]},
    {"id": "food", "name": "Pet food", "items": [{"code": "FOOD"}]}],
  "plans": [{"id": "dog-m", "name": "Medium dog", "species": "dog", "termMonths": 12, "monthlyFee": "15.00",
    "suspendAfterFailures": 2,
    "rules": [
      {"id": "flea-a", "group": "flea", "discountPercent": "100", "allowed": 6, "endDay": 180, "viewOrder": 1},
      {"id": "flea-b", "group": "flea", "discountPercent": "100", "allowed": 6, "startDay": 150, "endDay": 365, "viewOrder": 2},
      {"id": "vacc", "group": "vacc", "discountPercent": "100", "allowed": 2, "endDay": 365},
      {"id": "consult-free", "group": "consult", "discountPercent": "100", "allowed": 2, "endDay": 365, "viewOrder": 1},
      {"id": "consult-half", "group": "consult", "discountPercent": "50", "allowed": 10, "endDay": 365, "viewOrder": 2},
      {"id": "dental", "group": "dental", "discountAmount": "20.00", "allowed": 1, "endDay": 365},
      {"id": "food", "group": "food", "discountPercent": "10", "allowed": "unlimited", "endDay": 365}]}]}`

// Terms are the plan every contract of the workload is sold on: limited
// allowances in overlapping windows, so that the order of commits
// matters, and an unlimited one.
func Terms() (*plan.Terms, error) {
	var c plan.Catalog
	if err := json.Unmarshal([]byte(catalogJSON), &c); err != nil {
		return nil, err
	}
	return c.Terms("dog-m")
}

// Start is every contract's first day.
var start = plan.MustParseDate("2026-01-10")

type item struct {
	code  string
	price string
	qty   int // at most
}

var items = []item{
	{"FLEA-1", "23.49", 3}, {"FLEA-3", "64.99", 1}, {"VACC", "55.00", 1}, {"CONSULT", "42.00", 1},
	{"SCALE", "180.00", 1}, {"FOOD", "35.99", 3}, {"XRAY", "120.00", 1},
}

type kind uint8

const (
	commit kind = iota
	retry       // the same request again, with the same key (a client's retry)
	resend      // the same invoice again, under a new key (sent twice by the PMS)
	reverse
	pay
)

// op is one request of the workload.
type op struct {
	name     string // the journal's name for it: "C003/17"
	contract int
	key      string
	kind     kind
	op       postgres.Op
	visit    int    // commit, retry, resend: the visit; reverse: the visit of the line
	line     string // reverse: the line
	deps     []int  // the ops that must be done before it is sent
	after    []int  // the ops that wait for it
}

type contract struct {
	id       string
	in       plan.Enrollment
	visits   []allowance.Visit
	reversed map[[2]string]bool // invoice, line
	payments int                // payment ops, retries left out
	groups   [][]int            // its ops in order; a group goes at once
}

// Workload is the generated requests, and what checking a run needs to
// know about them.
type Workload struct {
	cfg       Config
	terms     *plan.Terms
	contracts []*contract
	ops       []*op
	order     []int // the order ops are queued in when not Ordered
}

// Generate makes the workload cfg describes; the same cfg always gives the
// same requests.
func Generate(cfg Config) (*Workload, error) {
	if cfg.Workers < 1 || cfg.Contracts < 1 || cfg.Visits < cfg.Contracts {
		return nil, fmt.Errorf("want at least one worker, one contract and a visit per contract; have %d, %d, %d", cfg.Workers, cfg.Contracts, cfg.Visits)
	}
	t, err := Terms()
	if err != nil {
		return nil, err
	}
	w := &Workload{cfg: cfg, terms: t}
	for ci := range cfg.Contracts {
		w.generate(ci, rand.New(rand.NewPCG(cfg.Seed, uint64(ci))))
	}
	for _, ct := range w.contracts {
		for g, group := range ct.groups {
			for _, i := range group {
				o := w.ops[i]
				switch {
				case cfg.Ordered && g > 0:
					o.deps = append(o.deps, ct.groups[g-1]...)
				case o.kind == reverse:
					o.deps = append(o.deps, w.commitGroup(ct, o.visit)...)
				}
				for _, d := range o.deps {
					w.ops[d].after = append(w.ops[d].after, i)
				}
			}
		}
	}
	w.interleave(rand.New(rand.NewPCG(cfg.Seed, 1<<40)))
	return w, nil
}

// commitGroup is the commit of visit v and its duplicates.
func (w *Workload) commitGroup(ct *contract, v int) []int {
	for _, g := range ct.groups {
		if o := w.ops[g[0]]; o.kind == commit && o.visit == v {
			return g
		}
	}
	panic("workload: a credit note for a visit never sent")
}

func (w *Workload) add(ci int, group []*op) {
	ct := w.contracts[ci]
	ids := make([]int, len(group))
	for k, o := range group {
		o.contract = ci
		o.name = fmt.Sprintf("%s/%d", ct.id, len(w.ops))
		ids[k] = len(w.ops)
		w.ops = append(w.ops, o)
	}
	ct.groups = append(ct.groups, ids)
}

// generate makes contract ci's year: its visits in date order, each
// installment paid when it falls due (one in six fails and is paid again
// three days later), some invoices sent twice, and some lines credited.
func (w *Workload) generate(ci int, r *rand.Rand) {
	ct := &contract{
		id:       fmt.Sprintf("C%03d", ci),
		reversed: map[[2]string]bool{},
	}
	ct.in = plan.Enrollment{ID: ct.id, Client: fmt.Sprintf("CL%03d", ci), Start: start,
		Patient: plan.Patient{ID: fmt.Sprintf("P%03d", ci), Species: "dog"}}
	w.contracts = append(w.contracts, ct)

	n := w.cfg.Visits / w.cfg.Contracts
	if ci < w.cfg.Visits%w.cfg.Contracts {
		n++
	}
	fee := w.terms.MonthlyFee()
	month := 0
	payment := func(p billing.Payment, key string) {
		o := &op{kind: pay, key: key, op: postgres.Pay(p)}
		group := []*op{o}
		if r.IntN(5) == 0 { // a retry of the same payment: one payment, however often sent
			group = append(group, &op{kind: retry, key: key, op: o.op})
		}
		ct.payments++
		w.add(ci, group)
	}
	for v := range n {
		date := start.AddDays(v*360/n + r.IntN(3))
		for ; month < 12 && !start.AddMonths(month).After(date); month++ {
			due := start.AddMonths(month)
			key := fmt.Sprintf("pay-%s-%02d", ct.id, month)
			if r.IntN(6) == 0 {
				payment(billing.Payment{Date: due, Amount: fee, Status: billing.Failed}, key+"-failed")
				due = due.AddDays(3)
			}
			payment(billing.Payment{Date: due, Amount: fee, Status: billing.Taken}, key)
		}
		visit := allowance.Visit{Invoice: fmt.Sprintf("INV-%s-%04d", ct.id, v), Date: date}
		for l := range 1 + r.IntN(4) {
			it := items[r.IntN(len(items))]
			visit.Lines = append(visit.Lines, allowance.Line{ID: fmt.Sprint(l + 1), Item: it.code,
				Qty: decimal.NewFromInt(int64(1 + r.IntN(it.qty))), UnitPrice: decimal.RequireFromString(it.price)})
		}
		ct.visits = append(ct.visits, visit)
		o := &op{kind: commit, key: visit.Invoice, op: postgres.Commit(visit), visit: v}
		group := []*op{o}
		switch r.IntN(10) {
		case 0:
			group = append(group, &op{kind: retry, key: o.key, op: o.op, visit: v})
		case 1:
			group = append(group, &op{kind: resend, key: o.key + "/again", op: o.op, visit: v})
		}
		w.add(ci, group)

		if r.IntN(8) == 0 {
			pv := r.IntN(v + 1)
			past := ct.visits[pv]
			ln := past.Lines[r.IntN(len(past.Lines))]
			k := [2]string{past.Invoice, ln.ID}
			if !ct.reversed[k] {
				ct.reversed[k] = true
				w.add(ci, []*op{{kind: reverse, key: "credit-" + past.Invoice + "-" + ln.ID,
					op: postgres.Reverse(past.Invoice, ln.ID), visit: pv, line: ln.ID}})
			}
		}
	}
}

// interleave sets the order the ops are queued in when they are not
// Ordered: every contract's ops in their order, the contracts shuffled
// together.
func (w *Workload) interleave(r *rand.Rand) {
	next := make([]int, len(w.contracts))
	left := len(w.ops)
	for left > 0 {
		k := r.IntN(left)
		for ci, ct := range w.contracts {
			rest := 0
			for _, g := range ct.groups[next[ci]:] {
				rest += len(g)
			}
			if k >= rest {
				k -= rest
				continue
			}
			g := ct.groups[next[ci]]
			w.order = append(w.order, g...)
			next[ci]++
			left -= len(g)
			break
		}
	}
}

// Ops is the number of requests, duplicates included.
func (w *Workload) Ops() int { return len(w.ops) }
