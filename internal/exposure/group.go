package exposure

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// A group's usage is a dynamic programme over the segments a client can
// reach, in date order (visits are recorded in date order). Its state is
// what each rule has left: the remaining counts of the rules whose windows
// are open, the others being full (not started) or irrelevant (ended, set
// to 0 so that such states merge). Within a segment nothing but the
// stream matters (every day of a segment offers the same rules in the same
// order, and the group shares no rule with another group), so one day's
// lines stand for all of the segment's.
//
// The programme is memoised as a trie: a node is the set of states (with
// the most value each) after the reachable segments on the path from the
// root. Clients differ only in which segments their payments leave them
// (suspension), so they share prefixes.
type node struct {
	states map[string]*gstate
	best   int64
	kids   map[int]*node
}

type gstate struct {
	rem []int64
	val int64
}

// maxStates bounds the states one node may hold.
const maxStates = 200_000

func key(rem []int64) string {
	buf := make([]byte, 0, 2*len(rem))
	for _, r := range rem {
		buf = binary.AppendVarint(buf, r)
	}
	return string(buf)
}

func (gr *group) root() *node {
	if gr.trie == nil {
		rem := make([]int64, len(gr.rules))
		for i, r := range gr.rules {
			rem[i] = r.allowed
		}
		gr.trie = &node{states: map[string]*gstate{key(rem): {rem: rem}}}
	}
	return gr.trie
}

// child is the node after segment si is reached from n.
func (gr *group) child(m *model, n *node, si int, b *budget) (*node, error) {
	if c, ok := n.kids[si]; ok {
		return c, nil
	}
	states, err := gr.step(m, n.states, si, b, nil)
	if err != nil {
		return nil, err
	}
	c := &node{states: states, best: neg}
	for _, st := range states {
		c.best = max(c.best, st.val)
	}
	if n.kids == nil {
		n.kids = map[int]*node{}
	}
	n.kids[si] = c
	return c, nil
}

// streamOf is the stream a state offers on segment s.
func (gr *group) streamOf(s *segment, rem []int64) (blocks []block, open bool) {
	for _, ri := range s.rules {
		r := &gr.rules[ri]
		switch {
		case r.openEnd:
			return blocks, true
		case r.capped:
			if rem[ri] > 0 {
				blocks = append(blocks, block{rule: ri, n: int(rem[ri])})
			}
			return blocks, false
		case rem[ri] > 0:
			blocks = append(blocks, block{rule: ri, n: int(rem[ri])})
		}
	}
	return blocks, true
}

// trace records one step for reconstruction: where each state after the
// step came from.
type trace struct {
	prov map[string]prov   // state after the step -> how it was reached
	norm map[string]string // normalised state -> the state before the step
}

// prov is how a state after a step was reached: unchanged (run nil), or
// at position p of a run; src is the entering state, unless the run's
// entry position tells (runs by first block); endA >= 0 marks a last piece
// [endA, p) of item endItem that overflows the state's stream.
type prov struct {
	run           *runRec
	p             int
	src           string
	endA, endItem int
}

type runRec struct {
	blocks []block
	s      *stream
	srcs   map[int]string // entry position -> normalised state
}

// member is a state entering a segment with the stream it offers there.
type member struct {
	key    string
	st     *gstate
	blocks []block
	open   bool
}

// step moves every state through segment si. States whose streams differ
// only in the first block's length share one run, entering at different
// positions; states whose streams differ only in the last block's length
// share one run too, entering at its start, each ending at its own length.
// The step groups by whichever needs fewer runs.
func (gr *group) step(m *model, in map[string]*gstate, si int, b *budget, tr *trace) (map[string]*gstate, error) {
	s := &gr.segs[si]
	// Normalise: rules whose windows ended before the segment are
	// irrelevant from now on.
	norm := map[string]*gstate{}
	normFrom := map[string]string{}
	for _, k := range sortedKeys(in) {
		st := in[k]
		rem := slices.Clone(st.rem)
		for i, r := range gr.rules {
			if r.end < s.from {
				rem[i] = 0
			}
		}
		nk := key(rem)
		if old, ok := norm[nk]; !ok || st.val > old.val {
			norm[nk] = &gstate{rem: rem, val: st.val}
			normFrom[nk] = k
		}
	}
	dead := func(ri int) bool { return gr.rules[ri].end < s.to }
	out := map[string]*gstate{}
	put := func(rem []int64, val int64, pv prov) {
		// Rules whose windows end with the segment no longer matter.
		for i := range gr.rules {
			if dead(i) {
				rem[i] = 0
			}
		}
		k := key(rem)
		if old, ok := out[k]; ok && old.val >= val {
			return
		}
		out[k] = &gstate{rem: rem, val: val}
		if tr != nil {
			tr.prov[k] = pv
		}
	}
	if tr != nil {
		tr.prov, tr.norm = map[string]prov{}, normFrom
	}

	var members []member
	byFirst, byLast := map[string][]int{}, map[string][]int{}
	var firstOrder, lastOrder []string
	shape := func(st *gstate, ri int, open bool) string {
		sh := slices.Clone(st.rem)
		sh[ri] = -1
		k := key(sh)
		if open {
			k += "o"
		}
		return k
	}
	for _, k := range sortedKeys(norm) {
		st := norm[k]
		blocks, open := gr.streamOf(s, st.rem)
		if len(blocks) == 0 {
			put(slices.Clone(st.rem), st.val, prov{src: k, endA: -1})
			continue
		}
		i := len(members)
		members = append(members, member{key: k, st: st, blocks: blocks, open: open})
		fk, lk := shape(st, blocks[0].rule, open), shape(st, blocks[len(blocks)-1].rule, open)
		if _, ok := byFirst[fk]; !ok {
			firstOrder = append(firstOrder, fk)
		}
		if _, ok := byLast[lk]; !ok {
			lastOrder = append(lastOrder, lk)
		}
		byFirst[fk] = append(byFirst[fk], i)
		byLast[lk] = append(byLast[lk], i)
	}
	if len(lastOrder) < len(firstOrder) {
		for _, k := range lastOrder {
			if err := gr.runByLast(m, members, byLast[k], dead, put, b, tr != nil); err != nil {
				return nil, err
			}
		}
	} else {
		for _, k := range firstOrder {
			if err := gr.runByFirst(m, members, byFirst[k], dead, put, b, tr != nil); err != nil {
				return nil, err
			}
		}
	}
	if len(out) > maxStates {
		return nil, fmt.Errorf("%w: group %q: more than %d ways its allowances can stand", ErrTooLarge, gr.id, maxStates)
	}
	return out, nil
}

// runByFirst runs states whose streams differ only in the first block's
// length: the first block is as long as the longest, each state entering
// where its own units start.
func (gr *group) runByFirst(m *model, members []member, idx []int, dead func(int) bool, put func([]int64, int64, prov), b *budget, keep bool) error {
	first := members[idx[0]]
	ri := first.blocks[0].rule
	maxLen := 0
	for _, i := range idx {
		maxLen = max(maxLen, members[i].blocks[0].n)
	}
	blocks := slices.Clone(first.blocks)
	blocks[0].n = maxLen
	var entries []entry
	srcs := map[int]string{}
	for _, i := range idx {
		pos := maxLen - int(members[i].st.rem[ri])
		entries = append(entries, entry{pos: pos, val: members[i].st.val})
		srcs[pos] = members[i].key
	}
	sr, err := m.run(gr, blocks, first.open, entries, nil, keep, b)
	if err != nil {
		return err
	}
	base := slices.Clone(first.st.rem)
	base[ri] = int64(maxLen)
	rec := &runRec{blocks: blocks, s: sr, srcs: srcs}
	exits(base, blocks, 0, sr.L, dead, func(p int) (int64, prov) {
		return sr.f[p], prov{run: rec, p: p, endA: -1}
	}, put)
	return nil
}

// runByLast runs states whose streams differ only in the last block's
// length: one run from the start over the longest, each state ending at
// its own length (where a line may overflow, when open).
func (gr *group) runByLast(m *model, members []member, idx []int, dead func(int) bool, put func([]int64, int64, prov), b *budget, keep bool) error {
	first := members[idx[0]]
	nb := len(first.blocks)
	ri := first.blocks[nb-1].rule
	prefix := 0
	for _, bl := range first.blocks[:nb-1] {
		prefix += bl.n
	}
	maxLen := 0
	var ends []int
	for _, i := range idx {
		n := members[i].blocks[nb-1].n
		maxLen = max(maxLen, n)
		ends = append(ends, prefix+n)
	}
	blocks := slices.Clone(first.blocks)
	blocks[nb-1].n = maxLen
	sr, err := m.run(gr, blocks, first.open, []entry{{pos: 0}}, ends, keep, b)
	if err != nil {
		return err
	}
	rec := &runRec{blocks: blocks, s: sr}
	// at is a member's best at position p of its own stream, which ends
	// at end.
	at := func(mb *member, p, end int) (int64, prov) {
		pv := prov{run: rec, p: p, src: mb.key, endA: -1}
		v := sr.f[p]
		if p == end && p < sr.L {
			if ev, ok := sr.endVal[p]; ok && ev > v {
				v, pv.endA, pv.endItem = ev, int(sr.endFrom[p]), int(sr.endVia[p])
			}
		}
		if v == neg {
			return neg, pv
		}
		return v + mb.st.val, pv
	}
	// Positions before the last block: each member's own states.
	for _, i := range idx {
		mb := &members[i]
		end := prefix + mb.blocks[nb-1].n
		exits(slices.Clone(mb.st.rem), mb.blocks[:nb-1], 0, prefix, dead, func(p int) (int64, prov) { return at(mb, p, end) }, put)
	}
	// Positions in the last block: the state is the remainder of that
	// block alone, whichever member reached it.
	base := slices.Clone(first.st.rem)
	for _, bl := range first.blocks[:nb-1] {
		base[bl.rule] = 0
	}
	bestAt := make([]int64, maxLen+1)
	provAt := make([]prov, maxLen+1)
	for r := range bestAt {
		bestAt[r] = neg
	}
	for _, i := range idx {
		mb := &members[i]
		n := mb.blocks[nb-1].n
		for t := 0; t <= n; t++ {
			if v, pv := at(mb, prefix+t, prefix+n); v > bestAt[n-t] {
				bestAt[n-t], provAt[n-t] = v, pv
			}
		}
	}
	if dead(ri) {
		best, bp := int64(neg), prov{}
		for r, v := range bestAt {
			if v > best {
				best, bp = v, provAt[r]
			}
		}
		if best > neg {
			base[ri] = 0
			put(base, best, bp)
		}
		return nil
	}
	for r, v := range bestAt {
		if v > neg {
			rem := slices.Clone(base)
			rem[ri] = int64(r)
			put(rem, v, provAt[r])
		}
	}
	return nil
}

// exits puts the state at every position from..to of a stream made of
// blocks, starting from base (before any of them is used), with the value
// val gives; positions within a block whose rule dies with the segment
// all leave the same state, so only their best is put.
func exits(base []int64, blocks []block, from, to int, dead func(int) bool, val func(int) (int64, prov), put func([]int64, int64, prov)) {
	start := 0
	for j, bl := range blocks {
		end := start + bl.n
		lo, hi := max(start, from), min(end, to)
		if lo <= hi {
			if dead(bl.rule) {
				best, bp := int64(neg), prov{}
				for p := lo; p <= hi; p++ {
					if v, pv := val(p); v > best {
						best, bp = v, pv
					}
				}
				if best > neg {
					rem := slices.Clone(base)
					for _, x := range blocks[:j+1] {
						rem[x.rule] = 0
					}
					put(rem, best, bp)
				}
			} else {
				for p := lo; p <= hi; p++ {
					if v, pv := val(p); v > neg {
						rem := slices.Clone(base)
						for _, x := range blocks[:j] {
							rem[x.rule] = 0
						}
						rem[bl.rule] -= int64(p - start)
						put(rem, v, pv)
					}
				}
			}
		}
		start = end
	}
	if len(blocks) == 0 && from <= to {
		if v, pv := val(from); v > neg {
			put(slices.Clone(base), v, pv)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// dayLines is what a reconstructed client does in one segment: its lines
// in order.
type dayLines struct {
	seg    int
	pieces []piece
	blocks []block
}

// reconstruct replays the group's programme along the reachable segments
// segs and returns, for each segment where the best client buys
// something, its lines; and the value reached.
func (gr *group) reconstruct(m *model, segs []int, b *budget) ([]dayLines, int64, error) {
	states := gr.root().states
	traces := make([]trace, len(segs))
	for j, si := range segs {
		var err error
		states, err = gr.step(m, states, si, b, &traces[j])
		if err != nil {
			return nil, 0, err
		}
	}
	bestKey, best := "", int64(neg)
	for _, k := range sortedKeys(states) {
		if v := states[k].val; v > best {
			bestKey, best = k, v
		}
	}
	var out []dayLines
	k := bestKey
	for j := len(segs) - 1; j >= 0; j-- {
		pv := traces[j].prov[k]
		nk := pv.src
		if pv.run != nil {
			var last []piece
			p := pv.p
			if pv.endA >= 0 {
				last = []piece{pv.run.s.piece(gr, pv.endA, p, pv.endItem, m.halfEven)}
				p = pv.endA
			}
			at, ps := pv.run.s.pieces(gr, p, m.halfEven)
			ps = append(ps, last...)
			if nk == "" {
				nk = pv.run.srcs[at]
			}
			if len(ps) > 0 {
				out = append(out, dayLines{seg: segs[j], pieces: ps, blocks: pv.run.blocks})
			}
		}
		k = traces[j].norm[nk]
	}
	slices.Reverse(out)
	return out, best, nil
}
