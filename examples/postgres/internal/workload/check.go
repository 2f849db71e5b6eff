package workload

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan"
)

// Expected is what every contract's document must be after an Ordered
// run, however it was interrupted: each contract's requests applied in
// their order with the library alone, a retry under the same key
// applied once.
func (w *Workload) Expected() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, ct := range w.contracts {
		c, err := healthplan.New(w.terms, ct.in)
		if err != nil {
			return nil, err
		}
		for _, g := range ct.groups {
			for _, i := range g {
				o := w.ops[i]
				if o.kind == retry {
					continue
				}
				if _, err := o.op.Apply(c); err != nil {
					return nil, fmt.Errorf("%s (%s): %w", o.name, o.key, err)
				}
			}
		}
		out[ct.id], _ = c.MarshalJSON()
	}
	return out, nil
}

// Report is what Check counted.
type Report struct {
	Contracts, Lines, Reversed, Payments, Revisions int
	// Replayed is the stored operations replayed on fresh contracts.
	Replayed int64
	// Problems is every way the store differs from the truth.
	Problems []string
}

func (r *Report) String() string {
	s := fmt.Sprintf("checked %d contracts: %d revisions, all %d replayed in commit order; %d lines (%d reversed), %d payments",
		r.Contracts, r.Revisions, r.Replayed, r.Lines, r.Reversed, r.Payments)
	if len(r.Problems) > 0 {
		s += fmt.Sprintf("\n%d PROBLEMS:\n  %s", len(r.Problems), strings.Join(r.Problems, "\n  "))
	}
	return s
}

// The parts of a stored document Check reads for itself, without the
// library's decoder.
type document struct {
	Revision int64 `json:"revision"`
	Usage    struct {
		Visits []struct {
			Invoice string              `json:"invoice"`
			Lines   [][]json.RawMessage `json:"lines"`
		} `json:"visits"`
		Adjustments [][]json.RawMessage `json:"adjustments"`
	} `json:"usage"`
	Payments []json.RawMessage `json:"payments"`
}

// Check compares what db holds, after a run that finished, with the
// workload. Contracts in skip (the bad ones a run reported) are left out.
// For every other contract:
//
//   - its stored operations, replayed in revision order on a fresh
//     contract with the library alone, give its stored document byte for
//     byte, one operation per revision (Store.Audit): no update was lost,
//     and its revision is its number of changes;
//   - every invoice line sent is recorded exactly once, reversed when a
//     credit note for it was sent, and no other line is recorded;
//   - each rule's used, as the library reports it, is the sum of the
//     units of the lines recorded and not reversed, and never exceeds
//     what the rule allows;
//   - it has one payment per payment sent, however often it was re-sent;
//   - each invoice is stored under exactly one of the keys it was sent
//     with, each credit note and payment under its own;
//   - for an Ordered run, its document is Expected's, byte for byte.
func (w *Workload) Check(ctx context.Context, s interface {
	Audit(context.Context, string) (int64, error)
	Get(context.Context, string) (*healthplan.Contract, error)
}, db *pgxpool.Pool, skip map[string]string) (*Report, error) {
	rep := &Report{}
	var expected map[string][]byte
	if w.cfg.Ordered {
		var err error
		if expected, err = w.Expected(); err != nil {
			return nil, err
		}
	}
	bad := func(format string, args ...any) { rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...)) }
	for ci, ct := range w.contracts {
		if _, ok := skip[ct.id]; ok {
			continue
		}
		rep.Contracts++
		n, err := s.Audit(ctx, ct.id)
		rep.Replayed += n
		if err != nil {
			bad("%v", err)
			continue
		}
		var raw []byte
		var rev int64
		if err := db.QueryRow(ctx, "SELECT revision, doc FROM contracts WHERE id = $1", ct.id).Scan(&rev, &raw); err != nil {
			return nil, err
		}
		rep.Revisions += int(rev)
		if expected != nil && !bytes.Equal(expected[ct.id], raw) {
			bad("%s: the document differs from the sequential truth from byte %d", ct.id, firstDiff(expected[ct.id], raw))
		}
		var doc document
		if err := json.Unmarshal(raw, &doc); err != nil {
			bad("%s: %v", ct.id, err)
			continue
		}
		w.checkLines(ct, &doc, rep, bad)
		if err := w.checkRules(ctx, s, ct, &doc, bad); err != nil {
			return nil, err
		}
		if len(doc.Payments) != ct.payments {
			bad("%s: %d payments recorded, %d sent", ct.id, len(doc.Payments), ct.payments)
		}
		rep.Payments += len(doc.Payments)
		if err := w.checkKeys(ctx, db, ci, rev, bad); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func (w *Workload) checkLines(ct *contract, doc *document, rep *Report, bad func(string, ...any)) {
	type rec struct{ n, reversed int }
	recs := map[[2]string]*rec{}
	for _, v := range doc.Usage.Visits {
		for _, ln := range v.Lines {
			var id string
			_ = json.Unmarshal(ln[0], &id)
			k := [2]string{v.Invoice, id}
			if recs[k] == nil {
				recs[k] = &rec{}
			}
			recs[k].n++
			var reversed bool
			if len(ln) > 6 {
				_ = json.Unmarshal(ln[6], &reversed)
			}
			if reversed {
				recs[k].reversed++
			}
		}
	}
	sent := 0
	for _, v := range ct.visits {
		for _, ln := range v.Lines {
			sent++
			k := [2]string{v.Invoice, ln.ID}
			r := recs[k]
			switch {
			case r == nil:
				bad("%s: line %s/%s was never recorded", ct.id, k[0], k[1])
			case r.n != 1:
				bad("%s: line %s/%s is recorded %d times", ct.id, k[0], k[1], r.n)
			case (r.reversed == 1) != ct.reversed[k]:
				bad("%s: line %s/%s reversed %v, credited %v", ct.id, k[0], k[1], r.reversed == 1, ct.reversed[k])
			}
			if r != nil && r.reversed == 1 {
				rep.Reversed++
			}
		}
	}
	rep.Lines += sent
	if len(recs) != sent {
		bad("%s: %d lines recorded, %d sent", ct.id, len(recs), sent)
	}
}

func (w *Workload) checkRules(ctx context.Context, s interface {
	Get(context.Context, string) (*healthplan.Contract, error)
}, ct *contract, doc *document, bad func(string, ...any)) error {
	sum := map[string]decimal.Decimal{}
	for _, v := range doc.Usage.Visits {
		for _, ln := range v.Lines {
			var reversed bool
			if len(ln) > 6 {
				_ = json.Unmarshal(ln[6], &reversed)
			}
			var splits [][]json.RawMessage
			_ = json.Unmarshal(ln[4], &splits)
			for _, sp := range splits {
				var rule, units string
				_ = json.Unmarshal(sp[0], &rule)
				_ = json.Unmarshal(sp[1], &units)
				if !reversed {
					sum[rule] = sum[rule].Add(decimal.RequireFromString(units))
				}
			}
		}
	}
	for _, a := range doc.Usage.Adjustments {
		var rule, units string
		_ = json.Unmarshal(a[0], &rule)
		_ = json.Unmarshal(a[1], &units)
		sum[rule] = sum[rule].Add(decimal.RequireFromString(units))
	}
	c, err := s.Get(ctx, ct.id)
	if err != nil {
		return err
	}
	ents, err := c.Entitlements(start)
	if err != nil {
		return err
	}
	for _, e := range ents.Rules {
		if !e.Used.Equal(sum[e.Rule]) {
			bad("%s: rule %s used %s, its lines hold %s", ct.id, e.Rule, e.Used, sum[e.Rule])
		}
		if !e.Allowed.IsUnlimited() && e.Used.GreaterThan(decimal.NewFromInt(e.Allowed.Units())) {
			bad("%s: rule %s used %s of %s", ct.id, e.Rule, e.Used, e.Allowed)
		}
		delete(sum, e.Rule)
	}
	for r := range sum {
		bad("%s: units recorded on %q, not a rule of the plan", ct.id, r)
	}
	return nil
}

func (w *Workload) checkKeys(ctx context.Context, db *pgxpool.Pool, ci int, rev int64, bad func(string, ...any)) error {
	ct := w.contracts[ci]
	rows, err := db.Query(ctx, "SELECT key FROM operations WHERE contract_id = $1", ct.id)
	if err != nil {
		return err
	}
	stored := map[string]int{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		stored[k]++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if int64(len(stored)) != rev {
		bad("%s: %d operations stored for revision %d", ct.id, len(stored), rev)
	}
	// Each invoice under one of the keys it was sent with; each credit
	// note and payment under its own.
	keys := map[string][]string{} // what was sent once -> its keys
	for _, g := range ct.groups {
		first := w.ops[g[0]]
		for _, i := range g {
			if o := w.ops[i]; !slices.Contains(keys[first.key], o.key) {
				keys[first.key] = append(keys[first.key], o.key)
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		n := 0
		for _, key := range keys[k] {
			n += stored[key]
			delete(stored, key)
		}
		if n != 1 {
			bad("%s: %q is stored under %d of its keys %q", ct.id, k, n, keys[k])
		}
	}
	for k := range stored {
		bad("%s: key %q stored, never sent", ct.id, k)
	}
	return nil
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
