package plan_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/plan"
)

// The small value types of a plan: what they hold, say and write.

func TestBand(t *testing.T) {
	tests := []struct {
		name    string
		b       plan.Band
		str     string
		in, out []string // values inside and outside the band
	}{
		{"both sides", plan.Band{Min: nullDec("10"), Max: nullDec("25")}, "10..25",
			[]string{"10", "17", "24.999999"}, []string{"-10", "9.999999", "25", "30"}},
		{"min only", plan.Band{Min: nullDec("10")}, "10 or more",
			[]string{"10", "1000000"}, []string{"-10", "0", "9.999999"}},
		{"max only", plan.Band{Max: nullDec("25.5")}, "under 25.5",
			[]string{"-1", "0", "25.499999"}, []string{"25.5", "26"}},
		{"open", plan.Band{}, "any", []string{"-1", "0", "1000000"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.String(); got != tt.str {
				t.Errorf("String = %q, want %q", got, tt.str)
			}
			if got, want := tt.b.IsZero(), tt.name == "open"; got != want {
				t.Errorf("IsZero = %v, want %v", got, want)
			}
			for _, x := range tt.in {
				if !tt.b.Contains(dec(x)) {
					t.Errorf("%s does not contain %s", tt.str, x)
				}
			}
			for _, x := range tt.out {
				if tt.b.Contains(dec(x)) {
					t.Errorf("%s contains %s", tt.str, x)
				}
			}
		})
	}
}

func TestDiscount(t *testing.T) {
	type view struct {
		String         string
		IsZero         bool
		Percent        string
		IsPercent      bool
		Amount         string
		IsAmount       bool
		EqualsItself   bool
		EqualsRescaled bool
	}
	look := func(d plan.Discount, rescaled plan.Discount) view {
		p, isP := d.Percent()
		a, isA := d.Amount()
		return view{d.String(), d.IsZero(), p.String(), isP, a.String(), isA, d.Equal(d), d.Equal(rescaled)}
	}
	tests := []struct {
		name        string
		d, rescaled plan.Discount
		want        view
	}{
		{"percent", plan.PercentOff(dec("50")), plan.PercentOff(dec("50.00")), view{"50%", false, "50", true, "50", false, true, true}},
		{"amount", plan.AmountOff(dec("5.5")), plan.AmountOff(dec("5.50")), view{"5.5 off", false, "5.5", false, "5.5", true, true, true}},
		{"none", plan.Discount{}, plan.Discount{}, view{"none", true, "0", false, "0", false, true, true}},
		{"0% is a discount", plan.PercentOff(decimal.Zero), plan.PercentOff(dec("0.0")), view{"0%", false, "0", true, "0", false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, look(tt.d, tt.rescaled)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// Equal tells the kinds and the values apart.
	for _, pair := range [][2]plan.Discount{
		{plan.PercentOff(dec("5")), plan.AmountOff(dec("5"))},
		{plan.PercentOff(dec("5")), plan.PercentOff(dec("6"))},
		{plan.AmountOff(dec("5")), plan.AmountOff(dec("5.01"))},
		{plan.Discount{}, plan.PercentOff(decimal.Zero)},
	} {
		if pair[0].Equal(pair[1]) || pair[1].Equal(pair[0]) {
			t.Errorf("%v and %v are Equal", pair[0], pair[1])
		}
	}
}

func TestLimit(t *testing.T) {
	type view struct {
		String    string
		Unlimited bool
		Zero      bool
		Units     int64
	}
	tests := []struct {
		l    plan.Limit
		want view
	}{
		{plan.Allowed(3), view{"3", false, false, 3}},
		{plan.Allowed(1), view{"1", false, false, 1}},
		{plan.Allowed(0), view{"0", false, true, 0}},
		{plan.Limit{}, view{"0", false, true, 0}},
		{plan.Unlimited(), view{"unlimited", true, false, 0}},
	}
	for _, tt := range tests {
		got := view{tt.l.String(), tt.l.IsUnlimited(), tt.l.IsZero(), tt.l.Units()}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.want.String, diff)
		}
	}
}

func TestThreshold(t *testing.T) {
	tests := []struct {
		t    plan.Threshold
		days int
		want bool
	}{
		{plan.After(5), 4, false},
		{plan.After(5), 5, false},
		{plan.After(5), 6, true},
		{plan.After(0), 0, false},
		{plan.After(0), 1, true},
		{plan.Threshold{}, 1, false},
		{plan.Threshold{}, 1000, false},
	}
	for _, tt := range tests {
		if got := tt.t.Exceeded(tt.days); got != tt.want {
			t.Errorf("%+v.Exceeded(%d) = %v, want %v", tt.t, tt.days, got, tt.want)
		}
	}
}

func TestUnitsOrDefault(t *testing.T) {
	for _, tt := range []struct{ units, want int }{{0, 1}, {1, 1}, {3, 3}} {
		if got := (plan.Item{Code: "X", Units: tt.units}).UnitsOrDefault(); got != tt.want {
			t.Errorf("Units %d: UnitsOrDefault = %d, want %d", tt.units, got, tt.want)
		}
	}
}

func TestPlanFee(t *testing.T) {
	p := plan.Plan{MonthlyFee: dec("15"), Fees: plan.Fees{FourWeeks: nullDec("13.85"), Quarter: nullDec("44"), Year: nullDec("165")}}
	bare := plan.Plan{MonthlyFee: dec("15")}
	tests := []struct {
		i        plan.Interval
		fee      string
		ok       bool
		bareOK   bool
		bareName string
	}{
		{plan.Month, "15", true, true, "month"},
		{plan.FourWeeks, "13.85", true, false, "4weeks"},
		{plan.Quarter, "44", true, false, "quarter"},
		{plan.Year, "165", true, false, "year"},
	}
	for _, tt := range tests {
		fee, ok := p.Fee(tt.i)
		if !fee.Equal(dec(tt.fee)) || ok != tt.ok {
			t.Errorf("Fee(%s) = %s, %v; want %s, %v", tt.i, fee, ok, tt.fee, tt.ok)
		}
		if _, ok := bare.Fee(tt.i); ok != tt.bareOK {
			t.Errorf("a plan pricing only the month: Fee(%s) ok = %v", tt.i, ok)
		}
	}
	if fee, ok := p.Fee(plan.Interval(9)); ok || !fee.IsZero() {
		t.Errorf("Fee(Interval(9)) = %s, %v; want 0, false", fee, ok)
	}
}

// TestEnumNames: every enum writes its JSON name, reads it back, and
// writes a value it does not know as Type(n); reading an unknown name is
// an error that returns the zero value.
func TestEnumNames(t *testing.T) {
	type enum struct {
		names   []string
		unknown string
		str     func(n uint8) string
		parse   func(s string) (uint8, error)
	}
	wrap := func(f func(string) (uint8, error)) func(string) (uint8, error) { return f }
	enums := map[string]enum{
		"Interval": {[]string{"month", "quarter", "year", "4weeks"}, "Interval(4)",
			func(n uint8) string { return plan.Interval(n).String() },
			wrap(func(s string) (uint8, error) { v, err := plan.ParseInterval(s); return uint8(v), err })},
		"Method": {[]string{"coreValue", "remainingPayments", "lesserOf", "none", "override"}, "Method(5)",
			func(n uint8) string { return plan.Method(n).String() },
			wrap(func(s string) (uint8, error) { v, err := plan.ParseMethod(s); return uint8(v), err })},
		"Basis": {[]string{"discount", "list", "value"}, "Basis(3)",
			func(n uint8) string { return plan.Basis(n).String() },
			wrap(func(s string) (uint8, error) { v, err := plan.ParseBasis(s); return uint8(v), err })},
		"Rounding": {[]string{"halfUp", "halfEven"}, "Rounding(2)",
			func(n uint8) string { return plan.Rounding(n).String() },
			wrap(func(s string) (uint8, error) { v, err := plan.ParseRounding(s); return uint8(v), err })},
		"PaymentOption": {[]string{"monthly", "auto", "external", "manual", "advance"}, "PaymentOption(5)",
			func(n uint8) string { return plan.PaymentOption(n).String() },
			wrap(func(s string) (uint8, error) { v, err := plan.ParsePaymentOption(s); return uint8(v), err })},
		"Status": {[]string{"pending", "active", "suspended", "ended", "cancelled"}, "Status(5)",
			func(n uint8) string { return plan.Status(n).String() }, nil},
	}
	for name, e := range enums {
		t.Run(name, func(t *testing.T) {
			for i, n := range e.names {
				if got := e.str(uint8(i)); got != n {
					t.Errorf("%s(%d).String() = %q, want %q", name, i, got, n)
				}
				if e.parse == nil {
					continue
				}
				if v, err := e.parse(n); err != nil || v != uint8(i) {
					t.Errorf("parsing %q = %d, %v; want %d", n, v, err, i)
				}
			}
			if got := e.str(uint8(len(e.names))); got != e.unknown {
				t.Errorf("%s(%d).String() = %q, want %q", name, len(e.names), got, e.unknown)
			}
			if got := e.str(200); got != fmt.Sprintf("%s(200)", name) {
				t.Errorf("%s(200).String() = %q", name, got)
			}
			if e.parse == nil {
				return
			}
			for _, bad := range []string{"", "weekly", e.names[len(e.names)-1] + " ", e.unknown} {
				if v, err := e.parse(bad); err == nil || v != 0 {
					t.Errorf("parsing %q = %d, %v; want 0 and an error", bad, v, err)
				}
			}
		})
	}
}

func TestSettlementWaives(t *testing.T) {
	s := plan.Settlement{WaiveFor: []string{"deceased", "moved"}}
	for reason, want := range map[string]bool{"deceased": true, "moved": true, "cancelled": false, "": false, "Deceased": false} {
		if got := s.Waives(reason); got != want {
			t.Errorf("Waives(%q) = %v, want %v", reason, got, want)
		}
	}
	if (plan.Settlement{}).Waives("deceased") {
		t.Error("a settlement without waivers waives deceased")
	}
}

func TestCatalogPlan(t *testing.T) {
	c := validCatalog()
	for i, id := range []string{"dog-m", "cat"} {
		p, ok := c.Plan(id)
		if !ok || p != &c.Plans[i] {
			t.Errorf("Plan(%q) = %p, %v; want plans[%d] at %p", id, p, ok, i, &c.Plans[i])
		}
	}
	if p, ok := c.Plan("horse"); ok || p != nil {
		t.Errorf("Plan(horse) = %v, %v; want nil, false", p, ok)
	}
}
