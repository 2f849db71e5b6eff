package allowance

import (
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
)

// arith does a visit's money exactly, on integers scaled by powers of ten
// (what a decimal is inside), in a few scratch integers reused from line to
// line: a quote allocates for the decimals it returns, not for every step
// of the arithmetic. Quantities, prices and covered units come in
// millionths; amounts come out in the currency's minor units.
//
// With q the quantity, p the unit price, u the item's units, c a split's
// covered units, m a percentage and a an amount off (all in millionths),
// and k the currency's decimal places:
//
//	gross      = round(q·p / 10^(12−k))
//	split value: c·p·m       over the common denominator D = u·10^(20−k)
//	             c·min(a·u, p)·10^8
//	list value:  c·p·10^8
//
// The line's discount is round(Σ values / D); split j's discount is the
// rounded prefix sum up to j less the one before it, so the splits add up
// to the line exactly; list values are shared out the same way.
type arith struct {
	places   int32
	halfEven bool
	// scratch
	x, y, n, r big.Int
	// per line: gross, discount, and the running sums of the splits
	g, d, den, acc, lacc, cum, lcum, prev, lprev big.Int
	// per visit: totals
	totG, totD big.Int
}

// pow10 holds 10^0 .. 10^40; shared and never written.
var pow10 = func() (p [41]big.Int) {
	p[0].SetInt64(1)
	for i := 1; i < len(p); i++ {
		p[i].Mul(&p[i-1], big.NewInt(10))
	}
	return p
}()

var one = big.NewInt(1)

// divRound sets dst to x/d rounded to a whole number (half up, or half to
// even), for x >= 0 and d > 0.
func (a *arith) divRound(dst, x, d *big.Int) {
	dst.QuoRem(x, d, &a.r)
	a.r.Lsh(&a.r, 1)
	if c := a.r.Cmp(d); c > 0 || c == 0 && (!a.halfEven || dst.Bit(0) == 1) {
		dst.Add(dst, one)
	}
}

// dec is the amount of x minor units. Zero is the zero Decimal, which costs
// no allocation.
func (a *arith) dec(x *big.Int) decimal.Decimal {
	if x.Sign() == 0 {
		return decimal.Decimal{}
	}
	if x.IsInt64() {
		return decimal.New(x.Int64(), -a.places)
	}
	return decimal.NewFromBigInt(x, -a.places)
}

// minor stores x minor units in an int64, or reports that it does not fit.
// x is a split's discount or list value, never negative, so it is never
// wideMark.
func minor(x *big.Int) (int64, bool) {
	if !x.IsInt64() {
		return 0, false
	}
	return x.Int64(), true
}

// gross sets a.g to round(q × p) in minor units.
func (a *arith) gross(q, p int64) {
	a.x.SetInt64(q)
	a.y.SetInt64(p)
	a.x.Mul(&a.x, &a.y)
	a.divRound(&a.g, &a.x, &pow10[2*num.Scale-a.places])
}

// splits prices a line's splits (p the unit price, u the item's units, and
// qty the line's quantity, reused as a split's units when one split covers
// the whole line) into out and into each split's stored minor units, and
// leaves the line's discount in a.d.
func (a *arith) splits(ix *index, p, u int64, qty decimal.Decimal, q int64, splits []splitRec, out []Split) {
	a.den.SetInt64(u)
	a.den.Mul(&a.den, &pow10[20-a.places])
	a.acc.SetInt64(0)
	a.lacc.SetInt64(0)
	a.prev.SetInt64(0)
	a.lprev.SetInt64(0)
	for k := range splits {
		sp := &splits[k]
		value, percent := ix.rules[sp.rule].value, ix.rules[sp.rule].percent
		a.n.SetInt64(sp.units)
		a.y.SetInt64(p)
		a.n.Mul(&a.n, &a.y) // c·p
		a.x.Mul(&a.n, &pow10[8])
		a.lacc.Add(&a.lacc, &a.x)
		if percent {
			a.y.SetInt64(value)
			a.x.Mul(&a.n, &a.y)
		} else {
			a.x.SetInt64(value)
			a.y.SetInt64(u)
			a.x.Mul(&a.x, &a.y) // the amount off one item
			if a.y.SetInt64(p); a.x.Cmp(&a.y) > 0 {
				a.x.Set(&a.y) // never more than the price
			}
			a.y.SetInt64(sp.units)
			a.x.Mul(&a.x, &a.y)
			a.x.Mul(&a.x, &pow10[8])
		}
		a.acc.Add(&a.acc, &a.x)
		a.divRound(&a.cum, &a.acc, &a.den)
		a.divRound(&a.lcum, &a.lacc, &a.den)
		a.x.Sub(&a.cum, &a.prev)
		a.y.Sub(&a.lcum, &a.lprev)
		units := qty // the same value as sp.units when the split covers q
		if sp.units != q {
			units = num.FromMicro(sp.units)
		}
		out[k] = Split{Rule: ix.ids[sp.rule], Units: units, Discount: a.dec(&a.x), ListValue: a.dec(&a.y)}
		d, okD := minor(&a.x)
		l, okL := minor(&a.y)
		if okD && okL {
			sp.disc, sp.list = d, l
		} else {
			sp.disc = wideMark // the decimals in out[k] are stored instead
		}
		a.prev.Set(&a.cum)
		a.lprev.Set(&a.lcum)
	}
	a.d.Set(&a.prev)
}

// total adds a line's gross (a.g) and discount (a.d) to the visit's totals
// and returns the line's net.
func (a *arith) total() decimal.Decimal {
	a.totG.Add(&a.totG, &a.g)
	a.totD.Add(&a.totD, &a.d)
	a.x.Sub(&a.g, &a.d)
	return a.dec(&a.x)
}
