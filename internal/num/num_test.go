package num_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/internal/num"
)

// dec parses a decimal literal for a test table.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// decEqual compares decimals by value, whatever their scale.
var decEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"money", "12.50", "12.5"},
		{"negative whole", "-1", "-1"},
		{"zero", "0", "0"},
		{"negative zero", "-0", "0"},
		{"exponent", "1e3", "1000"},
		{"capital exponent with negative power", "1.5E-2", "0.015"},
		{"explicit plus exponent", "1E+2", "100"},
		{"one millionth", "0.000001", "0.000001"},
		{"largest amount", "999999999999.999999", "999999999999.999999"},
		{"30 integer digits", "1e29", "100000000000000000000000000000"},
		{"30 decimal places", "1e-30", "0.000000000000000000000000000001"},
		{"exponent with leading zeros", "1e0000000000000000029", "1e29"},
		{"largest exponent on a small coefficient", "0.0000000001e39", "1e29"},
		{"leading zeros", "00012.5", "12.5"},
		{"longest string", strings.Repeat("0", num.MaxLen-4) + "12.5", "12.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := num.Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(dec(tt.want), got, decEqual); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", num.ErrSyntax},
		{"sign only", "-", num.ErrSyntax},
		{"point only", ".", num.ErrSyntax},
		{"sign and point", "-.", num.ErrSyntax},
		{"exponent without digits", "1e", num.ErrSyntax},
		{"exponent sign without digits", "1e+", num.ErrSyntax},
		{"exponent without mantissa", "e5", num.ErrSyntax},
		{"fractional exponent", "1e5.5", num.ErrSyntax},
		{"huge exponent", "1e999999", num.ErrExponent},
		{"huge negative exponent", "1e-999999", num.ErrExponent},
		{"exponent just over the bound", "1e41", num.ErrExponent},
		{"negative exponent just over the bound", "1E-41", num.ErrExponent},
		{"exponent longer than an int", "1e" + strings.Repeat("9", 40), num.ErrExponent},
		{"65 characters", strings.Repeat("1", num.MaxLen+1), num.ErrTooLong},
		{"31 integer digits", "1e30", num.ErrRange},
		{"31 decimal places", "1e-31", num.ErrRange},
		{"64 digits", strings.Repeat("1", num.MaxLen), num.ErrRange},
		{"65 characters of junk", strings.Repeat("x", num.MaxLen+1), num.ErrTooLong},
		{"hex", "0x10", num.ErrSyntax},
		{"decimal comma", "1,5", num.ErrSyntax},
		{"unicode minus", "\u22121", num.ErrSyntax},
		{"leading space", " 1", num.ErrSyntax},
		{"trailing space", "1 ", num.ErrSyntax},
		{"plus sign", "+1", num.ErrSyntax},
		{"double minus", "--1", num.ErrSyntax},
		{"two points", "1.2.3", num.ErrSyntax},
		{"NaN", "NaN", num.ErrSyntax},
		{"Infinity", "Infinity", num.ErrSyntax},
		{"negative Infinity", "-Infinity", num.ErrSyntax},
		{"arabic-indic digit", "\u0661", num.ErrSyntax},
		{"thousands underscore", "1_000", num.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := num.Parse(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if !got.Equal(decimal.Decimal{}) {
				t.Errorf("Parse(%q) = %s along with its error, want 0", tt.in, got)
			}
		})
	}
}

// TestParseHugeExponentIsCheap pins that the exponent is refused before
// shopspring builds anything: no allocation at all, so no work that could
// grow with the exponent.
func TestParseHugeExponentIsCheap(t *testing.T) {
	for _, in := range []string{"1e999999", "-9.99e-999999999", "1e" + strings.Repeat("9", 60)} {
		t.Run(in, func(t *testing.T) {
			allocs := testing.AllocsPerRun(100, func() {
				if _, err := num.Parse(in); err == nil {
					t.Fatalf("Parse(%q) accepted", in)
				}
			})
			if allocs != 0 {
				t.Errorf("Parse(%q) allocated %v times per call, want 0", in, allocs)
			}
		})
	}
}

func TestPlaces(t *testing.T) {
	tests := []struct {
		name string
		in   decimal.Decimal
		want int32
	}{
		{"trailing zero", dec("1.50"), 1},
		{"whole", dec("100"), 0},
		{"zero", dec("0"), 0},
		{"zero with places", dec("0.000"), 0},
		{"positive exponent", dec("1e3"), 0},
		{"negative exponent", dec("1.5e-2"), 3},
		{"negative millionth", dec("-0.000001"), 6},
		{"seven places", dec("0.1234567"), 7},
		{"scaled integer", decimal.New(12, 3), 0},
		{"whole written with places", decimal.New(1200, -2), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, num.Places(tt.in)); diff != "" {
				t.Errorf("Places(%s) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// formatCases are checked with shopspring's defaults and again with its
// package globals flipped.
var formatCases = []struct {
	name string
	in   decimal.Decimal
	want string
}{
	{"whole", dec("2"), "2"},
	{"trailing zero", dec("1.50"), "1.5"},
	{"zero", dec("0"), "0"},
	{"zero with places", dec("0.000"), "0"},
	{"exponent", dec("1e3"), "1000"},
	{"negative exponent", dec("1.5E-2"), "0.015"},
	{"negative", dec("-12.340"), "-12.34"},
	{"seven places", dec("0.0000001"), "0.0000001"},
	{"largest amount", dec("999999999999.999999"), "999999999999.999999"},
	{"large scaled", decimal.New(5, 20), "500000000000000000000"},
	{"tiny scaled", decimal.New(1, -30), "0.000000000000000000000000000001"},
}

func TestFormat(t *testing.T) {
	for _, tt := range formatCases {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, num.Format(tt.in)); diff != "" {
				t.Errorf("Format mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// flipShopspringGlobals sets every shopspring package global a host could
// change to a value unlike its default, and restores them after the test.
// Tests that call it must not be parallel.
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

func TestFormatIgnoresShopspringGlobals(t *testing.T) {
	flipShopspringGlobals(t)
	// The globals really are in effect: shopspring's own String changes.
	if got := decimal.New(5, 20).String(); got == "500000000000000000000" {
		t.Fatalf("UseScientificNotation had no effect on shopspring: %s", got)
	}
	for _, tt := range formatCases {
		t.Run("Format/"+tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, num.Format(tt.in)); diff != "" {
				t.Errorf("Format mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		places   int32
		halfEven bool
		want     string
	}{
		{"half up", "0.125", 2, false, "0.13"},
		{"half even down", "0.125", 2, true, "0.12"},
		{"negative half up is away from zero", "-0.125", 2, false, "-0.13"},
		{"negative half even", "-0.125", 2, true, "-0.12"},
		{"half even up to even", "0.135", 2, true, "0.14"},
		{"half up odd", "0.135", 2, false, "0.14"},
		{"above half with half even", "0.1251", 2, true, "0.13"},
		{"below half with half up", "0.1249", 2, false, "0.12"},
		{"whole half up", "2.5", 0, false, "3"},
		{"whole half even", "2.5", 0, true, "2"},
		{"negative whole half up", "-2.5", 0, false, "-3"},
		{"negative whole half even", "-2.5", 0, true, "-2"},
		{"three places", "1.0005", 3, false, "1.001"},
		{"three places half even", "1.0005", 3, true, "1.000"},
		{"already rounded", "0.12", 2, true, "0.12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := num.Round(dec(tt.in), tt.places, tt.halfEven)
			if diff := cmp.Diff(dec(tt.want), got, decEqual); diff != "" {
				t.Errorf("Round(%s, %d, halfEven=%v) mismatch (-want +got):\n%s", tt.in, tt.places, tt.halfEven, diff)
			}
		})
	}
}

func TestToMicro(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   int64
		wantOK bool
	}{
		{"one", "1", 1_000_000, true},
		{"one millionth", "0.000001", 1, true},
		{"negative millionth", "-0.000001", -1, true},
		{"zero", "0", 0, true},
		{"money", "12.5", 12_500_000, true},
		{"trailing zeros past six places", "1.0000000", 1_000_000, true},
		{"seven places", "0.0000001", 0, false},
		{"seven places above one", "1.0000001", 0, false},
		{"largest", "9223372036854.775807", math.MaxInt64, true},
		{"just too big", "9223372036854.775808", 0, false},
		{"negative largest", "-9223372036854.775807", -math.MaxInt64, true},
		{"far too big", "1e30", 0, false},
		{"far too small", "-1e30", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := num.ToMicro(dec(tt.in))
			if diff := cmp.Diff([2]any{tt.want, tt.wantOK}, [2]any{got, ok}); diff != "" {
				t.Errorf("ToMicro(%s) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestMicroRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		m    int64
		want string
	}{
		{"zero", 0, "0"},
		{"one", 1, "0.000001"},
		{"minus one", -1, "-0.000001"},
		{"money", 12_500_000, "12.5"},
		{"max", math.MaxInt64, "9223372036854.775807"},
		{"min", math.MinInt64, "-9223372036854.775808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := num.FromMicro(tt.m)
			if diff := cmp.Diff(dec(tt.want), d, decEqual); diff != "" {
				t.Errorf("FromMicro(%d) mismatch (-want +got):\n%s", tt.m, diff)
			}
			back, ok := num.ToMicro(d)
			if diff := cmp.Diff([2]any{tt.m, true}, [2]any{back, ok}); diff != "" {
				t.Errorf("ToMicro(FromMicro(%d)) mismatch (-want +got):\n%s", tt.m, diff)
			}
		})
	}
}

func TestToMinor(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		places int32
		want   int64
		wantOK bool
	}{
		{"pence", "15.00", 2, 1500, true},
		{"negative penny", "-0.01", 2, -1, true},
		{"yen", "120", 0, 120, true},
		{"fils", "1.234", 3, 1234, true},
		{"not rounded to pence", "15.005", 2, 0, false},
		{"not rounded to yen", "1.5", 0, 0, false},
		{"largest", "92233720368547758.07", 2, math.MaxInt64, true},
		{"just too big", "92233720368547758.08", 2, 0, false},
		{"smallest", "-92233720368547758.08", 2, math.MinInt64, true},
		{"just too small", "-92233720368547758.09", 2, 0, false},
		{"far too big", "1e30", 2, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := num.ToMinor(dec(tt.in), tt.places)
			if diff := cmp.Diff([2]any{tt.want, tt.wantOK}, [2]any{got, ok}); diff != "" {
				t.Errorf("ToMinor(%s, %d) mismatch (-want +got):\n%s", tt.in, tt.places, diff)
			}
		})
	}
}

func TestFromMinor(t *testing.T) {
	tests := []struct {
		name   string
		m      int64
		places int32
		want   string
	}{
		{"pence", 1500, 2, "15"},
		{"yen", 120, 0, "120"},
		{"negative fils", -1, 3, "-0.001"},
		{"max pence", math.MaxInt64, 2, "92233720368547758.07"},
		{"min pence", math.MinInt64, 2, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := num.FromMinor(tt.m, tt.places)
			if diff := cmp.Diff(dec(tt.want), d, decEqual); diff != "" {
				t.Errorf("FromMinor(%d, %d) mismatch (-want +got):\n%s", tt.m, tt.places, diff)
			}
			back, ok := num.ToMinor(d, tt.places)
			if diff := cmp.Diff([2]any{tt.m, true}, [2]any{back, ok}); diff != "" {
				t.Errorf("ToMinor(FromMinor(%d, %d)) mismatch (-want +got):\n%s", tt.m, tt.places, diff)
			}
		})
	}
}

// A host may lower shopspring's MaxDecodeExponent; what Parse accepts must
// not change.
func TestParseIgnoresMaxDecodeExponent(t *testing.T) {
	saved := decimal.MaxDecodeExponent
	t.Cleanup(func() { decimal.MaxDecodeExponent = saved })
	decimal.MaxDecodeExponent = 2
	for _, s := range []string{"1e10", "1.5e-7", "123456.789"} {
		if _, err := num.Parse(s); err != nil {
			t.Errorf("Parse(%q) with MaxDecodeExponent 2: %v", s, err)
		}
	}
}

// TestScaledIntegers: the fast readers and writers of the stored documents
// agree with Parse and Format on every value they take, and refuse what
// they cannot read exactly (for the careful path to explain).
func TestScaledIntegers(t *testing.T) {
	for _, c := range []struct {
		s    string
		m    int64
		ok   bool
		back string
	}{
		{"23.49", 23_490_000, true, "23.49"}, {"2", 2_000_000, true, "2"}, {"-1", -1_000_000, true, "-1"},
		{"0.000001", 1, true, "0.000001"}, {"0", 0, true, "0"}, {"007", 7_000_000, true, "7"}, {"-0.5", -500_000, true, "-0.5"},
		{"999999999999.999999", 999_999_999_999_999_999, true, "999999999999.999999"},
		{"0.0000001", 0, false, ""}, {"1e3", 0, false, ""}, {".5", 0, false, ""}, {"5.", 0, false, ""}, {"", 0, false, ""},
		{"-", 0, false, ""}, {"+1", 0, false, ""}, {"1 ", 0, false, ""}, {"9999999999999.999999", 0, false, ""}, {"1.2.3", 0, false, ""},
	} {
		m, ok := num.ParseMicro(c.s)
		if m != c.m || ok != c.ok {
			t.Errorf("ParseMicro(%q) = %d, %v; want %d, %v", c.s, m, ok, c.m, c.ok)
		}
		if ok {
			if got := string(num.AppendMicro(nil, m)); got != c.back {
				t.Errorf("AppendMicro(%d) = %q; want %q", m, got, c.back)
			}
		}
	}
	for _, c := range []struct {
		m      int64
		places int32
		want   string
	}{{0, 2, "0.00"}, {5, 2, "0.05"}, {120, 0, "120"}, {-5, 2, "-0.05"}, {123456, 3, "123.456"},
		{math.MinInt64, 2, "-92233720368547758.08"}, {math.MaxInt64, 0, "9223372036854775807"}} {
		if got := string(num.AppendMinor(nil, c.m, c.places)); got != c.want {
			t.Errorf("AppendMinor(%d, %d) = %q; want %q", c.m, c.places, got, c.want)
		}
		if back, ok := num.ParseMinor(c.want, c.places); c.m != math.MinInt64 && c.m != math.MaxInt64 && (back != c.m || !ok) {
			t.Errorf("ParseMinor(%q) = %d, %v", c.want, back, ok)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.Int64Range(-999_999_999_999_999_999, 999_999_999_999_999_999).Draw(t, "m")
		s := string(num.AppendMicro(nil, m))
		if want := num.Format(num.FromMicro(m)); s != want {
			t.Fatalf("AppendMicro(%d) = %q; Format gives %q", m, s, want)
		}
		if back, ok := num.ParseMicro(s); back != m || !ok {
			t.Fatalf("ParseMicro(%q) = %d, %v", s, back, ok)
		}
		places := int32(rapid.IntRange(0, 3).Draw(t, "places"))
		if got, want := string(num.AppendMinor(nil, m, places)), num.FromMinor(m, places).StringFixed(places); got != want {
			t.Fatalf("AppendMinor(%d, %d) = %q; want %q", m, places, got, want)
		}
	})
}

// TestFastPathsAgreeWithDecimal checks Places and ToMinor, which read the
// coefficient directly, against shopspring's own arithmetic.
func TestFastPathsAgreeWithDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.OneOf(rapid.Int64Range(-1_000_000, 1_000_000), rapid.Int64()).Draw(t, "coefficient")
		e := int32(rapid.IntRange(-25, 25).Draw(t, "exponent"))
		places := int32(rapid.IntRange(0, 6).Draw(t, "places"))
		d := decimal.New(c, e)
		wantPlaces := int32(0)
		if n := d.Normalize(); n.Exponent() < 0 {
			wantPlaces = -n.Exponent()
		}
		if got := num.Places(d); got != wantPlaces {
			t.Fatalf("Places(%s) = %d, want %d", d, got, wantPlaces)
		}
		s := d.Shift(places)
		wantOK := s.IsInteger() && s.BigInt().IsInt64()
		var want int64
		if wantOK {
			want = s.BigInt().Int64()
		}
		got, ok := num.ToMinor(d, places)
		if got != want || ok != wantOK {
			t.Fatalf("ToMinor(%s, %d) = %d, %v; want %d, %v", d, places, got, ok, want, wantOK)
		}
	})
}

// TestScanStopsWhereTheDecimalEnds: ScanMicro and ScanMinor read what
// ParseMicro and ParseMinor read, inside a larger text.
func TestScanStopsWhereTheDecimalEnds(t *testing.T) {
	tests := []struct {
		in      string
		from    int
		places  int32 // -1: ScanMicro
		want    int64
		wantEnd int
		wantOK  bool
	}{
		{`"23.49","x"`, 1, -1, 23_490_000, 6, true},
		{`["-0.5"]`, 2, -1, -500_000, 6, true},
		{`"15.00",`, 1, 2, 1500, 6, true},
		{`"7"]`, 1, 0, 7, 2, true},
		{`"1.234"`, 1, 2, 0, 6, false}, // too many places
		{`"."`, 1, 2, 0, 1, false},
		{`"1."`, 1, 2, 0, 3, false},
		{`"x1"`, 1, -1, 0, 1, false},
		{`1234567890123456789"`, 0, 0, 0, 19, false}, // 19 digits
	}
	for _, tt := range tests {
		var got int64
		var end int
		var ok bool
		if tt.places < 0 {
			got, end, ok = num.ScanMicro(tt.in, tt.from)
		} else {
			got, end, ok = num.ScanMinor(tt.in, tt.from, tt.places)
		}
		if ok != tt.wantOK || ok && (got != tt.want || end != tt.wantEnd) {
			t.Errorf("scan %q from %d (places %d) = %d, %d, %v; want %d, %d, %v", tt.in, tt.from, tt.places, got, end, ok, tt.want, tt.wantEnd, tt.wantOK)
		}
	}
}
