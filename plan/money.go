package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
)

// Currency is an ISO 4217 currency the library knows the minor units of.
// The zero Currency is not valid; IsZero reports it.
type Currency struct {
	code  string
	minor int32
}

// minorUnits lists the currencies a practice can price plans in and their
// number of decimal places (ISO 4217).
var minorUnits = map[string]int32{
	"GBP": 2, "EUR": 2, "USD": 2, "CAD": 2, "AUD": 2, "NZD": 2,
	"CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2,
	"JPY": 0, "ISK": 0,
	"KWD": 3, "BHD": 3, "OMR": 3,
}

// currencyCodes is the sorted list of known codes, for error messages.
var currencyCodes = func() string {
	codes := make([]string, 0, len(minorUnits))
	for c := range minorUnits {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return strings.Join(codes, ", ")
}()

// ParseCurrency returns the currency with the given ISO 4217 code, written
// in capitals ("GBP").
func ParseCurrency(code string) (Currency, error) {
	m, ok := minorUnits[code]
	if !ok {
		return Currency{}, fmt.Errorf("unknown currency %q; want one of %s", code, currencyCodes)
	}
	return Currency{code: code, minor: m}, nil
}

// MustCurrency is ParseCurrency for literals in tests and examples: it
// panics if code is not a known currency.
func MustCurrency(code string) Currency {
	c, err := ParseCurrency(code)
	if err != nil {
		panic(err)
	}
	return c
}

// IsZero reports whether c is the zero Currency, which is not valid.
func (c Currency) IsZero() bool { return c.code == "" }

// Code is c's ISO 4217 code.
func (c Currency) Code() string { return c.code }

// String is c's ISO 4217 code.
func (c Currency) String() string { return c.code }

// MinorUnits is the number of decimal places c's amounts have: 2 for GBP,
// 0 for JPY, 3 for KWD.
func (c Currency) MinorUnits() int32 { return c.minor }

// Round rounds an amount to c's minor units with the rounding rule r.
func (c Currency) Round(d decimal.Decimal, r Rounding) decimal.Decimal {
	return num.Round(d, c.minor, r == HalfEven)
}

// Format writes an amount with exactly c's minor units ("0.00", "120"); it
// rounds half away from zero if d has more places.
func (c Currency) Format(d decimal.Decimal) string {
	return d.StringFixed(c.minor)
}

// MarshalText writes c's code.
func (c Currency) MarshalText() ([]byte, error) {
	if c.IsZero() {
		return nil, fmt.Errorf("the zero Currency has no code")
	}
	return []byte(c.code), nil
}

// UnmarshalText reads an ISO 4217 code.
func (c *Currency) UnmarshalText(b []byte) error {
	v, err := ParseCurrency(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Rounding is how amounts are rounded to minor units.
type Rounding uint8

const (
	// HalfUp rounds half away from zero: 0.125 is 0.13, -0.125 is -0.13.
	// It is the default.
	HalfUp Rounding = iota
	// HalfEven rounds half to the even neighbour: 0.125 is 0.12.
	HalfEven
)

// String is the rounding's JSON name: "halfUp" or "halfEven".
func (r Rounding) String() string {
	switch r {
	case HalfUp:
		return "halfUp"
	case HalfEven:
		return "halfEven"
	}
	return fmt.Sprintf("Rounding(%d)", uint8(r))
}

// ParseRounding reads "halfUp" or "halfEven".
func ParseRounding(s string) (Rounding, error) {
	switch s {
	case "halfUp":
		return HalfUp, nil
	case "halfEven":
		return HalfEven, nil
	}
	return 0, fmt.Errorf("unknown rounding %q; want halfUp or halfEven", s)
}
