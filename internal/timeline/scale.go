package timeline

import "math/big"

// valueScale maps exact values to y, top (the axis's high end) to
// top+height (its low end). The axis runs between multiples of step that
// enclose every value drawn and zero.
type valueScale struct {
	lo, hi, step *big.Rat
	decimals     int // of step, for its labels
	top, height  px
}

func ten() *big.Rat { return big.NewRat(10, 1) }

// newValueScale picks the smallest step of 1, 2 or 5 times a power of ten
// that cuts the values' range into at most four parts (rounding the ends
// out to whole steps adds at most two more), so the axis has a few round
// labels.
func newValueScale(values []*big.Rat, top, height px) valueScale {
	lo, hi := new(big.Rat), new(big.Rat)
	for _, v := range values {
		if v.Cmp(lo) < 0 {
			lo.Set(v)
		}
		if v.Cmp(hi) > 0 {
			hi.Set(v)
		}
	}
	rng := new(big.Rat).Sub(hi, lo)
	if rng.Sign() == 0 {
		rng.SetInt64(1) // all zero: draw 0..1 rather than divide by nothing
		hi.Add(lo, rng)
	}
	target := new(big.Rat).Quo(rng, big.NewRat(4, 1))
	unit := big.NewRat(1, 1)
	// Values have at most 40 characters, so both loops stop within 40
	// steps.
	for new(big.Rat).Mul(unit, ten()).Cmp(target) <= 0 {
		unit.Mul(unit, ten())
	}
	for unit.Cmp(target) > 0 {
		unit.Quo(unit, ten())
	}
	step := new(big.Rat)
	for _, m := range []int64{1, 2, 5, 10} {
		step.Mul(unit, big.NewRat(m, 1))
		if step.Cmp(target) >= 0 {
			break
		}
	}
	decimals := 0
	for p := new(big.Rat).Set(step); !p.IsInt(); p.Mul(p, ten()) {
		decimals++
	}
	return valueScale{
		lo:       new(big.Rat).Mul(floorRat(new(big.Rat).Quo(lo, step)), step),
		hi:       new(big.Rat).Mul(ceilRat(new(big.Rat).Quo(hi, step)), step),
		step:     step,
		decimals: decimals,
		top:      top,
		height:   height,
	}
}

// y is where v lies, rounded to the nearest tenth of a pixel.
func (s valueScale) y(v *big.Rat) px {
	off := new(big.Rat).Sub(s.hi, v)
	off.Mul(off, new(big.Rat).SetInt64(int64(s.height)))
	off.Quo(off, new(big.Rat).Sub(s.hi, s.lo))
	return s.top + px(roundRat(off))
}

// ticks are the multiples of step from lo to hi.
func (s valueScale) ticks() []*big.Rat {
	var out []*big.Rat
	for v := new(big.Rat).Set(s.lo); v.Cmp(s.hi) <= 0; v = new(big.Rat).Add(v, s.step) {
		out = append(out, v)
	}
	return out
}

func (s valueScale) label(v *big.Rat) string { return v.FloatString(s.decimals) }

// floorRat is the largest integer at most r. big.Int's Div is Euclidean,
// which is the floor for the positive denominators big.Rat keeps.
func floorRat(r *big.Rat) *big.Rat {
	return new(big.Rat).SetInt(new(big.Int).Div(r.Num(), r.Denom()))
}

func ceilRat(r *big.Rat) *big.Rat {
	return new(big.Rat).Neg(floorRat(new(big.Rat).Neg(r)))
}

// roundRat rounds r to the nearest integer, halves up.
func roundRat(r *big.Rat) int64 {
	half := new(big.Rat).Add(r, big.NewRat(1, 2))
	return floorRat(half).Num().Int64()
}
