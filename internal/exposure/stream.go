package exposure

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// A stream is what one day's lines can take from a group: the units left
// under the rules in their windows, rule after rule in the order a line
// uses them (view order, then plan position), skipping exhausted rules.
// Because the engine consumes each line greedily through that order, the
// lines of a day take a prefix of the stream, each line a consecutive
// piece of it:
//
//   - a line of qty items of an item with u units takes exactly qty·u
//     units, or, if fewer are left in the whole stream, all of them (the
//     rest of the line is at full price);
//   - its discount is round(Σ units × value) over the piece, all valued
//     as that line's item.
//
// So the most a day can give, ending at position q of the stream, is a
// longest path from the entry to q in the graph whose edges are pieces
// [a, b) with b − a ≡ 0 (mod u) for some item, or b = L (the stream's end)
// when the stream is open (a line may run past its last unit), each
// weighted by its rounded discount.
//
// Pieces may be arbitrarily long, and splitting a long piece can lose a
// rounding unit, so the edges cannot be cut short. They need not be
// listed either. With N(x) the exact value of the first x units as the
// item's numerator over its denominator D, X = 2N = 2D·Q + ρ (0 <= ρ <
// 2D), a piece's discount is
//
//	round((N(b) − N(a)) / D) = Q(b) − Q(a) + δ(ρ(a), ρ(b)),
//
// where δ is +1 when ρ(a) <= ρ(b) − D, −1 when ρ(a) > ρ(b) + D and else 0
// (half up); half to even differs only at the one tie residue ρ(a) =
// ρ(b) ∓ D, where the result is made even by the parity of Q(a). So
//
//	f(b) = Q(b) + max over items, over the three residue ranges, of
//	       max{ f(a) − Q(a) : a < b, a ≡ b (mod u), ρ(a) in range } + δ,
//
// which a max segment tree over each item's residues (one per position
// class mod u) answers in O(log L): a stream costs O(L · items · log L)
// and is exact for every piece length.
type block struct {
	rule int // index into group.rules
	n    int // units left
}

// entry is a state entering the stream at a position, with its value.
type entry struct {
	pos int
	val int64
}

// stream is the outcome of one stream: the best value ending at each
// position and, when kept, how it was reached.
type stream struct {
	L    int
	f    []int64
	from []int32 // start of the last piece, or -1: the value is an entry's
	via  []int32 // the last piece's item
	q    []int64 // Q per position and item, kept for the pieces' discounts
	r    []uint64
	// endVal is the best value at a position of ends with a last piece
	// that overflows there; endFrom and endVia are that piece's start and
	// item.
	endVal          map[int]int64
	endFrom, endVia map[int]int32
}

const (
	neg = math.MinInt64 / 4
	// maxStream bounds the units of one stream. It also keeps every line
	// within the engine's quantity bound of 10^6.
	maxStream = 1_000_000
)

// budget bounds the work of one analysis.
type budget struct{ left int64 }

func (b *budget) spend(n int64) error {
	b.left -= n
	if b.left < 0 {
		return fmt.Errorf("%w: the analysis needs more than %d steps", ErrTooLarge, maxWork)
	}
	return nil
}

// maxTree is a max segment tree with the position that holds the max.
type maxTree struct {
	size int
	v    []int64
	a    []int32
}

func newMaxTree(n int) maxTree {
	size := 1
	for size < n {
		size <<= 1
	}
	t := maxTree{size: size, v: make([]int64, 2*size), a: make([]int32, 2*size)}
	for i := range t.v {
		t.v[i] = neg
	}
	return t
}

func (t *maxTree) update(i int, v int64, at int32) {
	i += t.size
	if v <= t.v[i] {
		return
	}
	t.v[i], t.a[i] = v, at
	for i >>= 1; i > 0; i >>= 1 {
		l, r := 2*i, 2*i+1
		if t.v[l] >= t.v[r] {
			t.v[i], t.a[i] = t.v[l], t.a[l]
		} else {
			t.v[i], t.a[i] = t.v[r], t.a[r]
		}
	}
}

// query returns the max over [l, r).
func (t *maxTree) query(l, r int) (int64, int32) {
	best, at := int64(neg), int32(-1)
	for l, r = l+t.size, r+t.size; l < r; l, r = l>>1, r>>1 {
		if l&1 == 1 {
			if t.v[l] > best {
				best, at = t.v[l], t.a[l]
			}
			l++
		}
		if r&1 == 1 {
			r--
			if t.v[r] > best {
				best, at = t.v[r], t.a[r]
			}
		}
	}
	return best, at
}

// classTree holds, for one item and one class of positions mod its units,
// the best f(a) − Q(a) per residue ρ(a); par keeps it by the parity of
// Q(a) for half-even ties.
type classTree struct {
	keys []uint64
	t    maxTree
	par  [][2]int64
	parA [][2]int32
}

// pieceValue is the rounded discount of a piece from a to b of one item,
// from Q and ρ at both ends.
func pieceValue(qa int64, ra uint64, qb int64, rb uint64, den uint64, halfEven bool) int64 {
	k := qb - qa
	if rb >= den {
		switch tie := rb - den; {
		case ra < tie:
			k++
		case ra == tie:
			k++
			if halfEven && k&1 != 0 {
				k--
			}
		}
	} else {
		switch tie := rb + den; {
		case ra > tie:
			k--
		case ra == tie:
			if halfEven && k&1 != 0 {
				k--
			}
		}
	}
	return k
}

// run finds the best value at every position of the stream made of
// blocks, from the entries. Positions below L get only exact pieces (a
// line that stops there takes exactly its units); when open, L also gets
// the pieces that overflow the stream's end, and so does every position in
// ends, separately (endVal): a state whose stream ends there instead,
// sharing this one's prefix.
func (m *model) run(gr *group, blocks []block, open bool, entries []entry, ends []int, keep bool, b *budget) (*stream, error) {
	L := 0
	for _, bl := range blocks {
		L += bl.n
	}
	if L > maxStream {
		return nil, fmt.Errorf("%w: group %q: a day's lines could take %d units, beyond the %d the analysis follows", ErrTooLarge, gr.id, L, maxStream)
	}
	items := len(gr.items)
	if err := b.spend(int64(L+1) * int64(items) * int64(bits.Len(uint(L))+2)); err != nil {
		return nil, err
	}
	s := &stream{L: L, f: make([]int64, L+1)}
	s.prefixes(gr, blocks)
	if keep {
		s.from, s.via = make([]int32, L+1), make([]int32, L+1)
	}
	for p := range s.f {
		s.f[p] = neg
	}
	for _, e := range entries {
		s.f[e.pos] = max(s.f[e.pos], e.val)
	}
	isEnd := map[int]bool{}
	if open {
		isEnd[L] = true
		for _, e := range ends {
			isEnd[e] = true
		}
		s.endVal, s.endFrom, s.endVia = map[int]int64{}, map[int]int32{}, map[int]int32{}
	}
	// Exact pieces go through one tree per item and position class; with
	// ends besides L, overflowing pieces through one tree per item over
	// every position, else they are looked at once, one by one, at L.
	exact := make([]residues, items)
	useAll := open && len(ends) > 0
	var overflow []residues
	if useAll {
		overflow = make([]residues, items)
	}
	for i, it := range gr.items {
		exact[i] = s.residues(i, items, int(it.units), m.halfEven)
		if useAll {
			overflow[i] = s.residues(i, items, 1, m.halfEven)
		}
	}

	for p := 0; p <= L; p++ {
		best, bfrom, bvia := s.f[p], int32(-1), int32(-1)
		if p > 0 {
			for i, it := range gr.items {
				if v, a := exact[i].best(p, s.q[p*items+i], s.r[p*items+i], it.den, m.halfEven); v > best {
					best, bfrom, bvia = v, a, int32(i)
				}
			}
		}
		if p > 0 && isEnd[p] {
			ev, efrom, evia := int64(neg), int32(-1), int32(-1)
			for i, it := range gr.items {
				if useAll {
					if v, a := overflow[i].best(p, s.q[p*items+i], s.r[p*items+i], it.den, m.halfEven); v > ev {
						ev, efrom, evia = v, a, int32(i)
					}
					continue
				}
				for a := range p {
					if s.f[a] == neg {
						continue
					}
					if v := s.f[a] + s.value(a, p, i, items, it.den, m.halfEven); v > ev {
						ev, efrom, evia = v, int32(a), int32(i)
					}
				}
			}
			if p == L {
				if ev > best {
					best, bfrom, bvia = ev, efrom, evia
				}
			} else if ev > neg {
				s.endVal[p], s.endFrom[p], s.endVia[p] = ev, efrom, evia
			}
		}
		s.f[p] = best
		if keep {
			s.from[p], s.via[p] = bfrom, bvia
		}
		if best == neg || p == L {
			continue
		}
		for i := range gr.items {
			q := s.q[p*items+i]
			exact[i].insert(p, best-q, q&1, m.halfEven)
			if useAll {
				overflow[i].insert(p, best-q, q&1, m.halfEven)
			}
		}
	}
	if !keep {
		s.q, s.r = nil, nil
	}
	return s, nil
}

// prefixes works out, for every position and item, the exact value of the
// units before it as 2N = 2D·q + r.
func (s *stream) prefixes(gr *group, blocks []block) {
	items := len(gr.items)
	s.q, s.r = make([]int64, (s.L+1)*items), make([]uint64, (s.L+1)*items)
	for i := range gr.items {
		twoD := 2 * gr.items[i].den
		q, r := int64(0), uint64(0)
		p := 0
		for _, bl := range blocks {
			pu := gr.rules[bl.rule].per[i]
			for range bl.n {
				r += pu.twoRem
				q += pu.whole
				if r >= twoD {
					r -= twoD
					q++
				}
				p++
				s.q[p*items+i], s.r[p*items+i] = q, r
			}
		}
	}
}

// value is the discount of the piece [a, b) as item i.
func (s *stream) value(a, b, i, items int, den uint64, halfEven bool) int64 {
	return pieceValue(s.q[a*items+i], s.r[a*items+i], s.q[b*items+i], s.r[b*items+i], den, halfEven)
}

// residues indexes item i's positions by class (position mod step) and,
// within a class, by residue: the trees the sweep asks.
type residues struct {
	step    int
	classes []classTree
	rank    []int32 // per position, its residue's rank in its class
}

func (s *stream) residues(i, items, step int, halfEven bool) residues {
	n := min(step, s.L+1)
	rs := residues{step: step, classes: make([]classTree, n), rank: make([]int32, s.L+1)}
	for c := range n {
		ct := &rs.classes[c]
		for p := c; p <= s.L; p += step {
			ct.keys = append(ct.keys, s.r[p*items+i])
		}
		ct.init(halfEven)
		for p := c; p <= s.L; p += step {
			rs.rank[p] = int32(lowerBound(ct.keys, s.r[p*items+i]))
		}
	}
	return rs
}

func (rs *residues) insert(p int, g, par int64, halfEven bool) {
	rs.classes[p%rs.step].insert(int(rs.rank[p]), g, par, int32(p), halfEven)
}

func (rs *residues) best(p int, qp int64, rp, den uint64, halfEven bool) (int64, int32) {
	return rs.classes[p%rs.step].best(qp, rp, den, halfEven)
}

func (ct *classTree) init(halfEven bool) {
	slices.Sort(ct.keys)
	ct.keys = slices.Compact(ct.keys)
	ct.t = newMaxTree(len(ct.keys))
	if halfEven {
		ct.par = make([][2]int64, len(ct.keys))
		ct.parA = make([][2]int32, len(ct.keys))
		for k := range ct.par {
			ct.par[k] = [2]int64{neg, neg}
		}
	}
}

func (ct *classTree) insert(k int, g, par int64, p int32, halfEven bool) {
	ct.t.update(k, g, p)
	if halfEven && g > ct.par[k][par] {
		ct.par[k][par], ct.parA[k][par] = g, p
	}
}

// best is the most a piece ending at a position with Q qp and residue rp
// can add to a value inserted before, and where that piece starts.
func (ct *classTree) best(qp int64, rp, den uint64, halfEven bool) (int64, int32) {
	best, at := int64(neg), int32(-1)
	ranged := func(l, r int, delta int64) {
		if l < r {
			if g, a := ct.t.query(l, r); g > neg && qp+g+delta > best {
				best, at = qp+g+delta, a
			}
		}
	}
	tie := func(k int, t int64) {
		for par := range 2 {
			if g := ct.par[k][par]; g > neg {
				if v := qp + t + g - ((qp + t + int64(par)) & 1); v > best {
					best, at = v, ct.parA[k][par]
				}
			}
		}
	}
	n := len(ct.keys)
	if rp >= den {
		lt, le := bounds(ct.keys, rp-den)
		if halfEven {
			ranged(0, lt, 1)
			if lt < le {
				tie(lt, 1)
			}
		} else {
			ranged(0, le, 1)
		}
		ranged(le, n, 0)
	} else {
		lt, le := bounds(ct.keys, rp+den)
		if halfEven {
			ranged(0, lt, 0)
			if lt < le {
				tie(lt, 0)
			}
		} else {
			ranged(0, le, 0)
		}
		ranged(le, n, -1)
	}
	return best, at
}

// piece is one line of a reconstructed day: units [a, b) of the stream as
// item i, with the discount it gets.
type piece struct {
	a, b, item int
	discount   int64
}

// piece is the line [a, b) of item i.
func (s *stream) piece(gr *group, a, b, i int, halfEven bool) piece {
	return piece{a: a, b: b, item: i, discount: s.value(a, b, i, len(gr.items), gr.items[i].den, halfEven)}
}

// pieces walks back from position p to the entry it came from and returns
// the lines on the way, first line first.
func (s *stream) pieces(gr *group, p int, halfEven bool) (entry int, out []piece) {
	for s.from[p] >= 0 {
		a := int(s.from[p])
		out = append(out, s.piece(gr, a, p, int(s.via[p]), halfEven))
		p = a
	}
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return p, out
}

func lowerBound(keys []uint64, x uint64) int {
	i, _ := slices.BinarySearch(keys, x)
	return i
}

// bounds returns the first index with a key >= x and the first with a
// key > x.
func bounds(keys []uint64, x uint64) (int, int) {
	lt, found := slices.BinarySearch(keys, x)
	if found {
		return lt, lt + 1
	}
	return lt, lt
}
