package exposure

import (
	"slices"
	"sort"
)

// timeline cuts the covered days into elementary intervals on which
// nothing changes: no rule window opens or closes, no installment falls
// due, no days-past-due threshold is crossed. Cover (suspension) is
// constant on each interval, and so is the set of a group's rules in
// their windows.
type timeline struct {
	bounds []int // interval j is [bounds[j], bounds[j+1]); the last bound is lastDay+1
	words  int
	rel    []uint64 // intervals where some group has a segment
	// installments: due day, amount and cumulative amount in minor units,
	// and the intervals [lo, hi) from each due day to the next one.
	due, lo, hi []int
	amt, cum    []int64
	failures    int  // suspendAfterFailures; 0: off
	days        bool // the days-past-due rule is on
	after       int  // its suspendAfterDays
}

func (m *model) timeline(due []int, amt []int64, failures int, days bool, after int) *timeline {
	tl := &timeline{due: due, amt: amt, failures: failures, days: days, after: after}
	end := m.lastDay + 1
	pts := []int{0, end}
	add := func(x int) {
		if x > 0 && x < end {
			pts = append(pts, x)
		}
	}
	for _, d := range due {
		add(d)
		if days {
			add(d + after + 1)
		}
	}
	for _, gr := range m.groups {
		for _, s := range gr.segs {
			add(s.from)
			add(s.to)
		}
	}
	slices.Sort(pts)
	tl.bounds = slices.Compact(pts)
	n := len(tl.bounds) - 1
	tl.words = (n + 63) / 64
	tl.rel = make([]uint64, tl.words)
	at := func(x int) int { i, _ := slices.BinarySearch(tl.bounds, min(x, end)); return i }
	for _, gr := range m.groups {
		for i := range gr.segs {
			s := &gr.segs[i]
			s.lo, s.hi = at(s.from), at(s.to)
			for j := s.lo; j < s.hi; j++ {
				tl.rel[j/64] |= 1 << (j % 64)
			}
		}
	}
	var sum int64
	for k, d := range due {
		sum += amt[k]
		tl.cum = append(tl.cum, sum)
		next := end
		if k+1 < len(due) {
			next = due[k+1]
		}
		tl.lo, tl.hi = append(tl.lo, at(d)), append(tl.hi, at(next))
	}
	return tl
}

// pay is the payment state after an installment's outcome: what the
// future cover depends on. P alone decides the days-past-due rule; the
// run of failures and the suspension flag the failure count.
type pay struct {
	paid int64
	run  int
	susp bool
	// dead: suspended by failures with arrears that exact installments can
	// never clear; nothing is covered again, so only failing follows.
	dead bool
}

// cand is a client's payments so far: their outcomes and the intervals
// they leave covered.
type cand struct {
	cov   []uint64
	taken []uint64 // bit k: installment k taken
	paid  int64
}

// next applies installment k's outcome to a state, as the engine records
// payments in date order: a failure counts towards suspendAfterFailures
// and suspends on the n-th in a row; a taken payment resets the count and
// ends a suspension when it leaves no arrears as of its date.
func (tl *timeline) next(s pay, k int, taken bool) pay {
	if s.dead {
		return s
	}
	if taken {
		s.paid += tl.amt[k]
		s.run = 0
		if s.susp && tl.cum[k] <= s.paid {
			s.susp = false
		}
	} else if tl.failures > 0 {
		s.run = min(s.run+1, tl.failures)
		if s.run >= tl.failures {
			s.susp = true
		}
	}
	s.dead = s.susp && tl.cum[k] > s.paid
	return s
}

// coverEnd is the first day of interval k's span that the days-past-due
// rule suspends (or the span's end): taken payments cover installments
// oldest first; the oldest due and uncovered one, due on day t, suspends
// every day after t + suspendAfterDays.
func (tl *timeline) coverEnd(k int, paid int64) int {
	end := tl.bounds[tl.hi[k]]
	if !tl.days {
		return end
	}
	if i := sort.Search(k+1, func(i int) bool { return tl.cum[i] > paid }); i <= k {
		end = min(end, tl.due[i]+tl.after+1)
	}
	return end
}

// extend is c after installment k's outcome leaves the client in state s.
func (tl *timeline) extend(c *cand, s pay, k int, taken bool) *cand {
	n := &cand{cov: slices.Clone(c.cov), taken: slices.Clone(c.taken), paid: s.paid}
	if taken {
		n.taken[k/64] |= 1 << (k % 64)
	}
	if !s.susp {
		end := tl.coverEnd(k, s.paid)
		for j := tl.lo[k]; j < tl.hi[k] && tl.bounds[j] < end; j++ {
			n.cov[j/64] |= 1 << (j % 64)
		}
	}
	for w := range n.cov {
		n.cov[w] &= tl.rel[w]
	}
	return n
}

func contains(a, b []uint64) bool {
	for w := range a {
		if b[w]&^a[w] != 0 {
			return false
		}
	}
	return true
}

// level is every payment state after an installment with, for each, the
// clients whose cover no other client in the same state beats: same state
// means same payments so far and same future, and more cover never gives
// less value (a client may leave a day unused).
type level map[pay][]*cand

func (l level) add(s pay, c *cand) {
	list := l[s]
	for _, o := range list {
		if contains(o.cov, c.cov) {
			return
		}
	}
	kept := list[:0]
	for _, o := range list {
		if !contains(c.cov, o.cov) {
			kept = append(kept, o)
		}
	}
	l[s] = append(kept, c)
}

// grow is the level after installment k from the one before.
func (tl *timeline) grow(prev level, k int) level {
	out := level{}
	for _, s := range sortedPays(prev) {
		for _, c := range prev[s] {
			for _, taken := range []bool{false, true} {
				if taken && s.dead {
					continue // pays more for nothing
				}
				ns := tl.next(s, k, taken)
				if ns.dead {
					ns.run = 0
				}
				out.add(ns, tl.extend(c, ns, k, taken))
			}
		}
	}
	return out
}

func (tl *timeline) start() level {
	words := (len(tl.due) + 63) / 64
	return level{pay{}: {{cov: make([]uint64, tl.words), taken: make([]uint64, words)}}}
}

func sortedPays(l level) []pay {
	ks := make([]pay, 0, len(l))
	for k := range l {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b pay) int {
		switch {
		case a.paid != b.paid:
			return cmpInt64(a.paid, b.paid)
		case a.run != b.run:
			return a.run - b.run
		case a.susp != b.susp:
			return boolInt(a.susp) - boolInt(b.susp)
		}
		return boolInt(a.dead) - boolInt(b.dead)
	})
	return ks
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
