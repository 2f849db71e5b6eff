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

type prov struct {
	run *runRec // nil: the state passed the segment unchanged
	p   int
}

type runRec struct {
	blocks []block
	s      *stream
	srcs   map[int]string // entry position -> normalised state
}

// step moves every state through segment si.
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
	out := map[string]*gstate{}
	put := func(rem []int64, val int64, pv prov) {
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

	// States whose streams differ only in the first block's length share
	// one run, entering at different positions.
	type pending struct {
		first  int
		blocks []block
		open   bool
		keys   []string
		maxLen int
	}
	groups := map[string]*pending{}
	var order []string
	for _, k := range sortedKeys(norm) {
		st := norm[k]
		blocks, open := gr.streamOf(s, st.rem)
		if len(blocks) == 0 {
			put(st.rem, st.val, prov{})
			continue
		}
		first := blocks[0].rule
		shape := slices.Clone(st.rem)
		shape[first] = -1
		gk := key(shape)
		if open {
			gk += "o"
		}
		pd, ok := groups[gk]
		if !ok {
			pd = &pending{first: first, blocks: blocks, open: open}
			groups[gk] = pd
			order = append(order, gk)
		}
		pd.keys = append(pd.keys, k)
		pd.maxLen = max(pd.maxLen, blocks[0].n)
	}
	for _, gk := range order {
		pd := groups[gk]
		blocks := slices.Clone(pd.blocks)
		blocks[0].n = pd.maxLen
		var entries []entry
		srcs := map[int]string{}
		var base []int64
		for _, k := range pd.keys {
			st := norm[k]
			pos := pd.maxLen - int(st.rem[pd.first])
			entries = append(entries, entry{pos: pos, val: st.val})
			srcs[pos] = k
			if base == nil {
				base = slices.Clone(st.rem)
				base[pd.first] = int64(pd.maxLen)
			}
		}
		sr, err := m.run(gr, blocks, pd.open, entries, tr != nil, b)
		if err != nil {
			return nil, err
		}
		var rec *runRec
		if tr != nil {
			rec = &runRec{blocks: blocks, s: sr, srcs: srcs}
		}
		for p, v := range sr.f {
			if v == neg {
				continue
			}
			rem := slices.Clone(base)
			left := p
			for _, bl := range blocks {
				take := min(bl.n, left)
				rem[bl.rule] -= int64(take)
				left -= take
			}
			put(rem, v, prov{run: rec, p: p})
		}
		if len(out) > maxStates {
			return nil, fmt.Errorf("%w: group %q: more than %d ways its allowances can stand", ErrTooLarge, gr.id, maxStates)
		}
	}
	return out, nil
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
		nk := k
		if pv.run != nil {
			at, ps := pv.run.s.pieces(gr, pv.p, m.halfEven)
			nk = pv.run.srcs[at]
			if len(ps) > 0 {
				out = append(out, dayLines{seg: segs[j], pieces: ps, blocks: pv.run.blocks})
			}
		}
		k = traces[j].norm[nk]
	}
	slices.Reverse(out)
	return out, best, nil
}
