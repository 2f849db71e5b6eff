package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/plan"
)

// dec parses a decimal literal for a test table.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// decEqual compares decimals by value, whatever their scale.
var decEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

func TestParseCurrency(t *testing.T) {
	// SPEC.md section 1.
	tests := []struct {
		code  string
		minor int32
	}{
		{"GBP", 2}, {"EUR", 2}, {"USD", 2}, {"CAD", 2}, {"AUD", 2}, {"NZD", 2},
		{"CHF", 2}, {"SEK", 2}, {"NOK", 2}, {"DKK", 2},
		{"JPY", 0}, {"ISK", 0},
		{"KWD", 3}, {"BHD", 3}, {"OMR", 3},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c, err := plan.ParseCurrency(tt.code)
			if err != nil {
				t.Fatalf("ParseCurrency(%q) error: %v", tt.code, err)
			}
			type view struct {
				Code, String string
				Minor        int32
				Zero         bool
			}
			want := view{tt.code, tt.code, tt.minor, false}
			got := view{c.Code(), c.String(), c.MinorUnits(), c.IsZero()}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			b, err := c.MarshalText()
			if err != nil || string(b) != tt.code {
				t.Errorf("MarshalText = %q, %v; want %q", b, err, tt.code)
			}
		})
	}
}

func TestParseCurrencyRefuses(t *testing.T) {
	tests := []struct {
		name, code string
	}{
		{"lowercase", "gbp"},
		{"mixed case", "Gbp"},
		{"unknown", "XYZ"},
		{"not in the list", "BTC"},
		{"ISO but not supported", "CNY"},
		{"empty", ""},
		{"padded", "GBP "},
		{"symbol", "£"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := plan.ParseCurrency(tt.code)
			if err == nil {
				t.Fatalf("ParseCurrency(%q) = %v, want an error", tt.code, c)
			}
			if !c.IsZero() {
				t.Errorf("ParseCurrency(%q) returned %v with its error, want the zero Currency", tt.code, c)
			}
			if want := "unknown currency"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "GBP") {
				t.Errorf("error %q should say %q and list the known codes", err, want)
			}
		})
	}
}

func TestMustCurrencyPanicsOnUnknown(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustCurrency(\"XYZ\") did not panic")
		}
	}()
	plan.MustCurrency("XYZ")
}

func TestCurrencyText(t *testing.T) {
	var zero plan.Currency
	if b, err := zero.MarshalText(); err == nil {
		t.Errorf("MarshalText of the zero Currency = %q, want an error", b)
	}
	c := plan.MustCurrency("JPY")
	if err := c.UnmarshalText([]byte("gbp")); err == nil {
		t.Error("UnmarshalText(\"gbp\") accepted")
	}
	if c.Code() != "JPY" {
		t.Errorf("a refused UnmarshalText changed the currency to %v", c)
	}
	if err := c.UnmarshalText([]byte("KWD")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([2]any{"KWD", int32(3)}, [2]any{c.Code(), c.MinorUnits()}); diff != "" {
		t.Errorf("UnmarshalText mismatch (-want +got):\n%s", diff)
	}
}

func TestCurrencyRound(t *testing.T) {
	tests := []struct {
		name     string
		code     string
		in       string
		rounding plan.Rounding
		want     string
	}{
		{"half up", "GBP", "0.125", plan.HalfUp, "0.13"},
		{"half even", "GBP", "0.125", plan.HalfEven, "0.12"},
		{"negative half up", "GBP", "-0.125", plan.HalfUp, "-0.13"},
		{"negative half even", "GBP", "-0.125", plan.HalfEven, "-0.12"},
		{"half even to the even above", "GBP", "0.135", plan.HalfEven, "0.14"},
		{"default is half up", "GBP", "0.005", plan.Rounding(0), "0.01"},
		{"yen half up", "JPY", "2.5", plan.HalfUp, "3"},
		{"yen half even", "JPY", "2.5", plan.HalfEven, "2"},
		{"yen half even odd", "JPY", "3.5", plan.HalfEven, "4"},
		{"dinar half up", "KWD", "1.0005", plan.HalfUp, "1.001"},
		{"dinar half even", "KWD", "1.0005", plan.HalfEven, "1"},
		{"dinar half even odd", "KWD", "1.0015", plan.HalfEven, "1.002"},
		{"already rounded", "GBP", "15.00", plan.HalfEven, "15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plan.MustCurrency(tt.code).Round(dec(tt.in), tt.rounding)
			if diff := cmp.Diff(dec(tt.want), got, decEqual); diff != "" {
				t.Errorf("%s Round(%s, %v) mismatch (-want +got):\n%s", tt.code, tt.in, tt.rounding, diff)
			}
		})
	}
}

var currencyFormatCases = []struct {
	name, code, in, want string
}{
	{"zero", "GBP", "0", "0.00"},
	{"whole", "GBP", "15", "15.00"},
	{"one place", "EUR", "1.5", "1.50"},
	{"rounds half away from zero", "GBP", "15.005", "15.01"},
	{"negative rounds away from zero", "GBP", "-0.125", "-0.13"},
	{"yen", "JPY", "120", "120"},
	{"yen rounds", "JPY", "120.5", "121"},
	{"dinar", "KWD", "1.5", "1.500"},
	{"large", "USD", "999999999999.99", "999999999999.99"},
	{"exponent", "GBP", "1e3", "1000.00"},
}

func TestCurrencyFormat(t *testing.T) {
	for _, tt := range currencyFormatCases {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, plan.MustCurrency(tt.code).Format(dec(tt.in))); diff != "" {
				t.Errorf("%s Format(%s) mismatch (-want +got):\n%s", tt.code, tt.in, diff)
			}
		})
	}
}

// flipShopspringGlobals sets shopspring's package globals a host could
// change away from their defaults and restores them after the test. Tests
// that call it must not be parallel.
func flipShopspringGlobals(t *testing.T) {
	t.Helper()
	trim, sci, prec, quotes := decimal.TrimTrailingZeros, decimal.UseScientificNotation, decimal.DivisionPrecision, decimal.MarshalJSONWithoutQuotes
	t.Cleanup(func() {
		decimal.TrimTrailingZeros, decimal.UseScientificNotation, decimal.DivisionPrecision, decimal.MarshalJSONWithoutQuotes = trim, sci, prec, quotes
	})
	decimal.TrimTrailingZeros = false
	decimal.UseScientificNotation = true
	decimal.DivisionPrecision = 1
	decimal.MarshalJSONWithoutQuotes = true
}

func TestCurrencyFormatIgnoresShopspringGlobals(t *testing.T) {
	flipShopspringGlobals(t)
	for _, tt := range currencyFormatCases {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, plan.MustCurrency(tt.code).Format(dec(tt.in))); diff != "" {
				t.Errorf("%s Format(%s) mismatch (-want +got):\n%s", tt.code, tt.in, diff)
			}
		})
	}
}

func TestParseRounding(t *testing.T) {
	tests := []struct {
		in      string
		want    plan.Rounding
		wantErr bool
	}{
		{"halfUp", plan.HalfUp, false},
		{"halfEven", plan.HalfEven, false},
		{"HalfUp", 0, true},
		{"halfup", 0, true},
		{"half_even", 0, true},
		{"bankers", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := plan.ParseRounding(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseRounding(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRounding(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.in, got.String()); diff != "" {
				t.Errorf("String does not round trip (-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff("Rounding(7)", plan.Rounding(7).String()); diff != "" {
		t.Errorf("String of an unknown rounding mismatch (-want +got):\n%s", diff)
	}
}
