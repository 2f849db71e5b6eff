// Package num holds the exact decimal arithmetic shared by the healthplan
// packages: a bounded parser, formatting and rounding that never depend on
// shopspring/decimal's package-level settings, and conversion to the fixed
// six-place integers the usage ledger stores.
package num

import (
	"errors"
	"math"
	"math/big"
	"strconv"

	"github.com/shopspring/decimal"
)

// MaxLen is the longest decimal string Parse reads. The longest value the
// library accepts (999999999999.999999 with a sign) is 20 characters; the
// extra room admits leading zeros and exponents without letting a long
// string cost real work.
const MaxLen = 64

// MaxExponent bounds the exponent written in a decimal string (1e30,
// 5E-3). Anything beyond it is outside every bound the library has, and
// refusing it here keeps shopspring from scaling by a huge power of ten.
const MaxExponent = 40

// Errors Parse returns. Callers wrap them with the field's path.
var (
	ErrSyntax   = errors.New("is not a decimal number")
	ErrTooLong  = errors.New("is too long for a decimal number")
	ErrExponent = errors.New("has an exponent beyond ±40")
	ErrRange    = errors.New("has more than 30 digits before or after the decimal point")
)

// MaxDigits bounds the digits a parsed value may have on either side of the
// decimal point, so that every value Parse accepts writes out (Format) in
// at most 62 characters, which Parse reads back.
const MaxDigits = 30

// Parse reads a decimal: an optional minus sign, digits with an optional
// fraction, and an optional exponent, as JSON writes numbers (it also takes
// the unambiguous ".5", "1." and leading zeros a hand-typed value may
// have). It
// checks the length and the exponent before shopspring sees the string, so
// that no input can make it allocate without bound.
func Parse(s string) (decimal.Decimal, error) {
	if len(s) > MaxLen {
		return decimal.Decimal{}, ErrTooLong
	}
	// Scan the number, collecting its digits without the point, and build
	// the decimal from them: shopspring's own parser obeys package
	// settings (MaxDecodeExponent) that a host may have changed.
	var digits [MaxLen]byte
	nd, frac, i := 0, 0, 0
	neg := i < len(s) && s[i] == '-'
	if neg {
		i++
	}
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits[nd] = s[i]
		nd++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits[nd] = s[i]
			nd++
			frac++
		}
	}
	if nd == 0 {
		return decimal.Decimal{}, ErrSyntax
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		start := i
		for ; i < len(s) && isDigit(s[i]); i++ {
			if exp <= MaxExponent {
				exp = exp*10 + int(s[i]-'0')
			}
		}
		if i == start {
			return decimal.Decimal{}, ErrSyntax
		}
		if exp > MaxExponent {
			return decimal.Decimal{}, ErrExponent
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return decimal.Decimal{}, ErrSyntax
	}
	var coef big.Int
	coef.SetString(string(digits[:nd]), 10) // only digits: cannot fail
	if neg {
		coef.Neg(&coef)
	}
	d := decimal.NewFromBigInt(&coef, int32(exp-frac))
	if n := d.Normalize(); !n.IsZero() {
		e := int64(n.Exponent())
		if e < -MaxDigits || int64(n.NumDigits())+e > MaxDigits {
			return decimal.Decimal{}, ErrRange
		}
	}
	return d, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Places reports how many decimal places d needs: 1.50 needs 1, 100 needs 0.
func Places(d decimal.Decimal) int32 {
	e := d.Exponent()
	if e >= 0 {
		return 0
	}
	if d.NumDigits() <= 18 {
		// The coefficient fits an int64: count its trailing zeros.
		c := d.CoefficientInt64()
		if c == 0 {
			return 0
		}
		for e < 0 && c%10 == 0 {
			c /= 10
			e++
		}
		return -e
	}
	if e := d.Normalize().Exponent(); e < 0 {
		return -e
	}
	return 0
}

// Format writes d exactly, without trailing zeros and never in scientific
// notation, whatever shopspring's TrimTrailingZeros and
// UseScientificNotation say: "2", "1.5", "0".
func Format(d decimal.Decimal) string {
	return d.StringFixed(Places(d))
}

// Round rounds d to places decimal places, half away from zero or, with
// halfEven, half to even.
func Round(d decimal.Decimal, places int32, halfEven bool) decimal.Decimal {
	if halfEven {
		return d.RoundBank(places)
	}
	return d.Round(places)
}

// Scale is the number of decimal places in the fixed-point integers the
// ledger keeps for quantities, prices and allowance units.
const Scale = 6

var (
	scaleMax = decimal.New(math.MaxInt64, -Scale)
	scaleMin = decimal.New(math.MinInt64, -Scale)
)

// maxScalable[k] is the largest n with n * 10^k within int64: a table, so
// that reading a decimal divides nothing.
var maxScalable = func() (m [19]uint64) {
	for k := range m {
		m[k] = math.MaxInt64 / uint64(pow10[k])
	}
	return m
}()

// pow10 holds 10^0 .. 10^18.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// Pow10 is 10^n for 0 <= n <= 18.
func Pow10(n int) int64 { return pow10[n] }

// ToMicro converts d to an integer count of millionths. It reports false
// when d has more than six decimal places or does not fit an int64. It
// does not allocate for the values a quote sees (at most 18 significant
// digits and 6 decimal places written).
func ToMicro(d decimal.Decimal) (int64, bool) {
	if exp := d.Exponent(); exp >= -Scale && exp <= 18-Scale && d.NumDigits() <= 18 {
		c, f := d.CoefficientInt64(), pow10[exp+Scale]
		if c <= math.MaxInt64/f && c >= math.MinInt64/f {
			return c * f, true
		}
	}
	if d.GreaterThan(scaleMax) || d.LessThan(scaleMin) {
		return 0, false
	}
	s := d.Shift(Scale)
	if !s.IsInteger() {
		return 0, false
	}
	return s.IntPart(), true
}

// FromMicro is the decimal value of m millionths.
func FromMicro(m int64) decimal.Decimal {
	return decimal.New(m, -Scale)
}

// ToMinor converts an amount already rounded to places decimal places to
// an integer count of minor units, without allocating when d's coefficient
// has at most 18 digits (every amount within the library's bounds). It
// reports false when d is not a whole number of minor units or the count
// does not fit an int64.
func ToMinor(d decimal.Decimal, places int32) (int64, bool) {
	if d.NumDigits() > 18 {
		s := d.Shift(places)
		if !s.IsInteger() || !s.BigInt().IsInt64() {
			return 0, false
		}
		return s.BigInt().Int64(), true
	}
	c, shift := d.CoefficientInt64(), int(places)+int(d.Exponent())
	switch {
	case c == 0:
		return 0, true
	case shift >= 0:
		if shift >= len(pow10) {
			return 0, false
		}
		f := pow10[shift]
		if c > math.MaxInt64/f || c < math.MinInt64/f {
			return 0, false
		}
		return c * f, true
	case -shift >= len(pow10):
		return 0, false // c has at most 18 digits, so it is not a multiple
	default:
		f := pow10[-shift]
		if c%f != 0 {
			return 0, false
		}
		return c / f, true
	}
}

// FromMinor is the amount of m minor units of a currency with places
// decimal places.
func FromMinor(m int64, places int32) decimal.Decimal {
	return decimal.New(m, -places)
}

// ParseMicro reads a plain decimal ("23.49", "-1", "0.000001") with at most
// six decimal places as an integer count of millionths, without
// allocating. It reports false for anything else (an exponent, more
// places, too many digits for an int64), which callers then read with
// Parse to say what is wrong.
func ParseMicro(s string) (int64, bool) {
	return parseScaled(s, Scale)
}

// ParseMinor reads a plain decimal with at most places decimal places as
// an integer count of minor units, as ParseMicro does for millionths.
func ParseMinor(s string, places int32) (int64, bool) {
	return parseScaled(s, int(places))
}

// ScanMicro reads a plain decimal as ParseMicro does, from s[i:] up to
// the first byte that cannot continue it, and returns its end: for a
// reader that meets the decimal inside a larger text.
func ScanMicro(s string, i int) (m int64, end int, ok bool) {
	return scanScaled(s, i, Scale)
}

// ScanMinor is ScanMicro for minor units, as ParseMinor reads them.
func ScanMinor(s string, i int, places int32) (m int64, end int, ok bool) {
	return scanScaled(s, i, int(places))
}

func parseScaled(s string, places int) (int64, bool) {
	n, end, ok := scanScaled(s, 0, places)
	if !ok || end != len(s) {
		return 0, false
	}
	return n, true
}

func scanScaled(s string, i, places int) (int64, int, bool) {
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	// At most 18 digits in all, so that n fits before scaling.
	start := i
	var n uint64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + uint64(s[i]-'0')
	}
	whole := i - start
	if whole == 0 || whole > 18 {
		return 0, i, false
	}
	frac := 0
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			n = n*10 + uint64(s[i]-'0')
		}
		frac = i - fs
		if frac == 0 || frac > places || whole+frac > 18 {
			return 0, i, false
		}
	}
	// n < 10^18 here; scaling by 10^(places-frac) must stay within int64.
	if n > maxScalable[places-frac] {
		return 0, i, false
	}
	n *= uint64(pow10[places-frac])
	if neg {
		return -int64(n), i, true
	}
	return int64(n), i, true
}

// AppendMicro appends m millionths as Format writes the decimal: exactly,
// without trailing zeros ("2", "1.5", "-0.000001").
func AppendMicro(dst []byte, m int64) []byte {
	return appendScaled(dst, m, Scale, true)
}

// AppendMinor appends m minor units of a currency with places decimal
// places, with exactly that many places ("0.00", "120", "1.250").
func AppendMinor(dst []byte, m int64, places int32) []byte {
	return appendScaled(dst, m, int(places), false)
}

// appendScaled appends m / 10^places, with its trailing zeros when trim
// is not set.
func appendScaled(dst []byte, m int64, places int, trim bool) []byte {
	u := uint64(m)
	if m < 0 {
		dst = append(dst, '-')
		u = -u // two's complement: also right for math.MinInt64
	}
	scale := uint64(pow10[places])
	whole, frac := u/scale, u%scale
	dst = strconv.AppendUint(dst, whole, 10)
	if places == 0 || trim && frac == 0 {
		return dst
	}
	var buf [18]byte
	for i := places - 1; i >= 0; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := places
	for trim && buf[n-1] == '0' {
		n--
	}
	dst = append(dst, '.')
	return append(dst, buf[:n]...)
}
