package exposure

import (
	"slices"
)

// analysis is one run of the programme over a model and a timeline.
type analysis struct {
	m  *model
	tl *timeline
	b  *budget
	// all is the cover of a client who pays everything: every relevant
	// interval.
	all []uint64
}

// maxWork bounds the steps of one call of Analyse, the delays' analyses
// included (a step is about one segment-tree operation of a stream), so
// that the cost of a call is bounded whatever the plan.
const maxWork = 400_000_000

// value is the most core value a client with cover cov can have used by
// the end of day d: the sum over groups of the trie node reached through
// the group's segments that cov reaches by d.
func (a *analysis) value(cov []uint64, d int) (int64, error) {
	var total int64
	for _, gr := range a.m.groups {
		n := gr.root()
		for si := range gr.segs {
			s := &gr.segs[si]
			if s.from > d {
				break
			}
			if !a.reaches(cov, s, d) {
				continue
			}
			var err error
			if n, err = gr.child(a.m, n, si, a.b); err != nil {
				return 0, err
			}
		}
		total += n.best
	}
	return total, nil
}

// reaches reports whether cov covers a day of segment s on or before d.
func (a *analysis) reaches(cov []uint64, s *segment, d int) bool {
	for j := s.lo; j < s.hi && a.tl.bounds[j] <= d; j++ {
		if cov[j/64]&(1<<(j%64)) != 0 {
			return true
		}
	}
	return false
}

// reached lists the segments of gr that cov reaches by d, and for each
// the first covered day.
func (a *analysis) reached(gr *group, cov []uint64, d int) (segs, days []int) {
	for si := range gr.segs {
		s := &gr.segs[si]
		for j := s.lo; j < s.hi && a.tl.bounds[j] <= d; j++ {
			if cov[j/64]&(1<<(j%64)) != 0 {
				segs, days = append(segs, si), append(days, a.tl.bounds[j])
				break
			}
		}
	}
	return segs, days
}

// point is the curve's value on a day and the client who reaches it.
type point struct {
	day   int
	value int64 // V − P, minor units
	c     *cand
	k     int // installments 0..k are due by day
}

// curves are the worst client's curve and the paying client's, one point
// per elementary interval (nothing changes within one).
type curves struct {
	worst, paying []point
}

func (a *analysis) curves(withPaying bool) (curves, error) {
	tl := a.tl
	var out curves
	lv := tl.start()
	payer := lv[pay{}][0]
	payState := pay{}
	j := 0 // next interval whose first day is to be valued
	for k := range tl.due {
		lv = tl.grow(lv, k)
		payState = tl.next(payState, k, true)
		payer = tl.extend(payer, payState, k, true)
		// Every interval starting from this due day up to the next.
		type keyed struct {
			s pay
			c *cand
		}
		var cands []keyed
		for _, s := range sortedPays(lv) {
			for _, c := range lv[s] {
				cands = append(cands, keyed{s, c})
			}
		}
		slices.SortStableFunc(cands, func(x, y keyed) int { return cmpInt64(x.c.paid, y.c.paid) })
		for ; j < tl.hi[k]; j++ {
			d := tl.bounds[j]
			bound, err := a.value(a.all, d)
			if err != nil {
				return curves{}, err
			}
			best := point{day: d, value: neg, k: k}
			for _, kc := range cands {
				if bound-kc.c.paid <= best.value {
					break // sorted by paid: no later client can do better
				}
				v, err := a.value(kc.c.cov, d)
				if err != nil {
					return curves{}, err
				}
				if v-kc.c.paid > best.value {
					best.value, best.c = v-kc.c.paid, kc.c
				}
			}
			out.worst = append(out.worst, best)
			if withPaying {
				v, err := a.value(payer.cov, d)
				if err != nil {
					return curves{}, err
				}
				out.paying = append(out.paying, point{day: d, value: v - payer.paid, c: payer, k: k})
			}
		}
	}
	return out, nil
}

// peak is the first point with the greatest value.
func peak(ps []point) point {
	best := ps[0]
	for _, p := range ps[1:] {
		if p.value > best.value {
			best = p
		}
	}
	return best
}
