package plan_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/plan"
)

// validCatalog is a catalog with no problems: three groups (flea with a
// pack of three, vaccinations, food) and two plans, the first with three
// rules so that rules[2] exists. Each call returns a fresh copy.
func validCatalog() plan.Catalog {
	return plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Groups: []plan.Group{
			{ID: "flea", Name: "Flea treatment", Core: true, Items: []plan.Item{{Code: "FLEA-1"}, {Code: "FLEA-3PK", Units: 3}}},
			{ID: "vacc", Name: "Vaccinations", Core: true, Items: []plan.Item{{Code: "VAC-1"}}},
			{ID: "food", Name: "Food", Items: []plan.Item{{Code: "FOOD-1"}}},
		},
		Plans: []plan.Plan{
			{
				ID: "dog-m", Name: "Medium dog", Species: "dog",
				WeightKg:   plan.Band{Min: nullDec("10"), Max: nullDec("25")},
				TermMonths: 12, MonthlyFee: dec("15.00"), JoiningFee: dec("5.00"),
				Settlement: plan.Settlement{WaiveFor: []string{"deceased"}},
				Rules: []plan.Rule{
					{ID: "flea-a", Group: "flea", Discount: plan.PercentOff(dec("100")), Allowed: plan.Allowed(3), StartDay: 0, EndDay: 90, ViewOrder: 1},
					{ID: "vacc", Group: "vacc", Discount: plan.PercentOff(dec("100")), Allowed: plan.Allowed(1), EndDay: 365},
					{ID: "food", Group: "food", Discount: plan.PercentOff(dec("10")), Allowed: plan.Unlimited(), EndDay: 365, ViewOrder: 1},
				},
			},
			{
				ID: "cat", Name: "Cat", Species: "cat", TermMonths: 12, MonthlyFee: dec("12"),
				Rules: []plan.Rule{
					{Group: "flea", Discount: plan.AmountOff(dec("5")), Allowed: plan.Allowed(6), EndDay: 364},
				},
			},
		},
	}
}

func nullDec(s string) decimal.NullDecimal {
	return decimal.NullDecimal{Decimal: dec(s), Valid: true}
}

// pv is a problem's path and value, what the validation tests compare.
type pv struct{ Path, Value string }

func pathsAndValues(err error) []pv {
	var out []pv
	for _, p := range plan.Problems(err) {
		out = append(out, pv{p.Path, p.Value})
	}
	return out
}

type validateCase struct {
	name string
	edit func(c *plan.Catalog)
	want []pv // nil: the catalog stays valid
}

// amountCases checks one amount field at and beyond its bounds.
func amountCases(path string, set func(c *plan.Catalog, d decimal.Decimal)) []validateCase {
	valid := []string{"0", "0.000001", "12.123456", "999999999999.999999"}
	invalid := []string{"1000000000000", "-0.01", "-0.000001", "0.0000001", "999999999999.9999999", "1e12"}
	var out []validateCase
	for _, v := range valid {
		out = append(out, validateCase{path + " " + v, func(c *plan.Catalog) { set(c, dec(v)) }, nil})
	}
	for _, v := range invalid {
		want := []pv{{path, decimalText(v)}}
		out = append(out, validateCase{path + " " + v, func(c *plan.Catalog) { set(c, dec(v)) }, want})
	}
	return out
}

// percentCases checks one percentage field at and beyond its bounds.
func percentCases(path string, set func(c *plan.Catalog, d decimal.Decimal)) []validateCase {
	valid := []string{"0", "100", "99.999999", "0.000001"}
	invalid := []string{"100.000001", "-0.000001", "150", "12.1234567"}
	var out []validateCase
	for _, v := range valid {
		out = append(out, validateCase{path + " " + v, func(c *plan.Catalog) { set(c, dec(v)) }, nil})
	}
	for _, v := range invalid {
		out = append(out, validateCase{path + " " + v, func(c *plan.Catalog) { set(c, dec(v)) }, []pv{{path, decimalText(v)}}})
	}
	return out
}

// intCases checks one whole-number field at and beyond lo..hi.
func intCases(path string, lo, hi int, set func(c *plan.Catalog, v int)) []validateCase {
	var out []validateCase
	for _, v := range []int{lo, hi} {
		out = append(out, validateCase{fmt.Sprintf("%s %d", path, v), func(c *plan.Catalog) { set(c, v) }, nil})
	}
	for _, v := range []int{lo - 1, hi + 1} {
		out = append(out, validateCase{fmt.Sprintf("%s %d", path, v), func(c *plan.Catalog) { set(c, v) }, []pv{{path, fmt.Sprint(v)}}})
	}
	return out
}

// decimalText is how a problem quotes a decimal: exactly and never with
// an exponent ("1e12" is quoted "1000000000000"). The table inputs have no
// trailing zeros.
func decimalText(s string) string {
	d := dec(s)
	return d.StringFixed(max(0, -d.Exponent()))
}

func validateCases() []validateCase {
	p0 := func(c *plan.Catalog) *plan.Plan { return &c.Plans[0] }
	r2 := func(c *plan.Catalog) *plan.Rule { return &c.Plans[0].Rules[2] }
	var cases []validateCase
	add := func(cs ...validateCase) { cases = append(cases, cs...) }

	add(validateCase{"valid catalog", func(*plan.Catalog) {}, nil})

	// Amounts: 0 <= x < 10^12, at most six places.
	add(amountCases("plans[0].monthlyFee", func(c *plan.Catalog, d decimal.Decimal) { p0(c).MonthlyFee = d })...)
	add(amountCases("plans[0].advancePrice", func(c *plan.Catalog, d decimal.Decimal) {
		p0(c).AdvancePrice = decimal.NullDecimal{Decimal: d, Valid: true}
	})...)
	add(amountCases("plans[0].joiningFee", func(c *plan.Catalog, d decimal.Decimal) { p0(c).JoiningFee = d })...)
	add(amountCases("plans[0].multiPetDiscount.amount", func(c *plan.Catalog, d decimal.Decimal) { p0(c).MultiPetDiscount = plan.AmountOff(d) })...)
	add(amountCases("plans[0].settlement.cancellationFee", func(c *plan.Catalog, d decimal.Decimal) { p0(c).Settlement.CancellationFee = d })...)
	add(amountCases("plans[0].rules[2].discountAmount", func(c *plan.Catalog, d decimal.Decimal) { r2(c).Discount = plan.AmountOff(d) })...)
	add(amountCases("plans[0].weightKg.min", func(c *plan.Catalog, d decimal.Decimal) {
		p0(c).WeightKg = plan.Band{Min: decimal.NullDecimal{Decimal: d, Valid: true}}
	})...)
	add(amountCases("plans[0].weightKg.max", func(c *plan.Catalog, d decimal.Decimal) {
		p0(c).WeightKg = plan.Band{Max: decimal.NullDecimal{Decimal: d, Valid: true}}
	})...)
	add(amountCases("plans[0].ageMonths.min", func(c *plan.Catalog, d decimal.Decimal) {
		p0(c).AgeMonths = plan.Band{Min: decimal.NullDecimal{Decimal: d, Valid: true}}
	})...)
	add(amountCases("plans[0].ageMonths.max", func(c *plan.Catalog, d decimal.Decimal) {
		p0(c).AgeMonths = plan.Band{Max: decimal.NullDecimal{Decimal: d, Valid: true}}
	})...)

	// Percentages: 0..100.
	add(percentCases("plans[0].rules[2].discountPercent", func(c *plan.Catalog, d decimal.Decimal) { r2(c).Discount = plan.PercentOff(d) })...)
	add(percentCases("plans[0].multiPetDiscount.percent", func(c *plan.Catalog, d decimal.Decimal) { p0(c).MultiPetDiscount = plan.PercentOff(d) })...)

	// Whole numbers.
	add(intCases("plans[0].termMonths", 1, 120, func(c *plan.Catalog, v int) { p0(c).TermMonths = v })...)
	add(intCases("plans[0].graceDays", 0, 36600, func(c *plan.Catalog, v int) { p0(c).GraceDays = v })...)
	add(intCases("plans[0].suspendAfterFailures", 0, 1000, func(c *plan.Catalog, v int) { p0(c).SuspendAfterFailures = v })...)
	add(intCases("plans[0].settlement.coolingOffDays", 0, 36600, func(c *plan.Catalog, v int) { p0(c).Settlement.CoolingOffDays = v })...)
	add(intCases("plans[0].rules[2].viewOrder", 0, 1000000, func(c *plan.Catalog, v int) { r2(c).ViewOrder = v })...)
	// Item units: 0 means the default of 1, else 1..10^6.
	setUnits := func(v int) func(c *plan.Catalog) { return func(c *plan.Catalog) { c.Groups[0].Items[1].Units = v } }
	add(
		validateCase{"groups[0].items[1].units 0 means 1", setUnits(0), nil},
		validateCase{"groups[0].items[1].units 1", setUnits(1), nil},
		validateCase{"groups[0].items[1].units 1000000", setUnits(1000000), nil},
		validateCase{"groups[0].items[1].units -1", setUnits(-1), []pv{{"groups[0].items[1].units", "-1"}}},
		validateCase{"groups[0].items[1].units 1000001", setUnits(1000001), []pv{{"groups[0].items[1].units", "1000001"}}},
	)

	// Day offsets 0..36600 and startDay <= endDay.
	add(
		validateCase{"startDay 0", func(c *plan.Catalog) { r2(c).StartDay = 0 }, nil},
		validateCase{"startDay and endDay 36600", func(c *plan.Catalog) { r2(c).StartDay, r2(c).EndDay = 36600, 36600 }, nil},
		validateCase{"startDay equals endDay", func(c *plan.Catalog) { r2(c).StartDay, r2(c).EndDay = 100, 100 }, nil},
		validateCase{"startDay -1", func(c *plan.Catalog) { r2(c).StartDay = -1 }, []pv{{"plans[0].rules[2].startDay", "-1"}}},
		validateCase{"startDay and endDay 36601", func(c *plan.Catalog) { r2(c).StartDay, r2(c).EndDay = 36601, 36601 },
			[]pv{{"plans[0].rules[2].startDay", "36601"}, {"plans[0].rules[2].endDay", "36601"}}},
		validateCase{"endDay 36601", func(c *plan.Catalog) { r2(c).EndDay = 36601 }, []pv{{"plans[0].rules[2].endDay", "36601"}}},
		validateCase{"startDay after endDay", func(c *plan.Catalog) { r2(c).StartDay, r2(c).EndDay = 91, 90 }, []pv{{"plans[0].rules[2].endDay", "90"}}},
		validateCase{"endDay 0 with startDay 0", func(c *plan.Catalog) { r2(c).StartDay, r2(c).EndDay = 0, 0 }, nil},
	)

	// allowed: 1..10^9 or unlimited.
	add(
		validateCase{"allowed 1", func(c *plan.Catalog) { r2(c).Allowed = plan.Allowed(1) }, nil},
		validateCase{"allowed 1000000000", func(c *plan.Catalog) { r2(c).Allowed = plan.Allowed(plan.MaxAllowed) }, nil},
		validateCase{"allowed unlimited", func(c *plan.Catalog) { r2(c).Allowed = plan.Unlimited() }, nil},
		validateCase{"allowed 0", func(c *plan.Catalog) { r2(c).Allowed = plan.Allowed(0) }, []pv{{"plans[0].rules[2].allowed", ""}}},
		validateCase{"allowed missing", func(c *plan.Catalog) { r2(c).Allowed = plan.Limit{} }, []pv{{"plans[0].rules[2].allowed", ""}}},
		validateCase{"allowed 1000000001", func(c *plan.Catalog) { r2(c).Allowed = plan.Allowed(plan.MaxAllowed + 1) }, []pv{{"plans[0].rules[2].allowed", "1000000001"}}},
		validateCase{"allowed -1", func(c *plan.Catalog) { r2(c).Allowed = plan.Allowed(-1) }, []pv{{"plans[0].rules[2].allowed", "-1"}}},
	)

	// Identity, references and uniqueness.
	add(
		validateCase{"missing currency", func(c *plan.Catalog) { c.Currency = plan.Currency{} }, []pv{{"currency", ""}}},
		validateCase{"group without id", func(c *plan.Catalog) {
			c.Groups = append(c.Groups, plan.Group{Name: "Dental"})
		}, []pv{{"groups[3].id", ""}}},
		validateCase{"duplicate group id", func(c *plan.Catalog) {
			c.Groups = append(c.Groups, plan.Group{ID: "flea", Items: []plan.Item{{Code: "FLEA-6PK", Units: 6}}})
		}, []pv{{"groups[3].id", "flea"}}},
		validateCase{"item without code", func(c *plan.Catalog) { c.Groups[1].Items[0].Code = "" }, []pv{{"groups[1].items[0].code", ""}}},
		validateCase{"item code in two groups", func(c *plan.Catalog) {
			c.Groups[2].Items = append(c.Groups[2].Items, plan.Item{Code: "FLEA-3PK"})
		}, []pv{{"groups[2].items[1].code", "FLEA-3PK"}}},
		validateCase{"item code twice in one group", func(c *plan.Catalog) {
			c.Groups[1].Items = append(c.Groups[1].Items, plan.Item{Code: "VAC-1"})
		}, []pv{{"groups[1].items[1].code", "VAC-1"}}},
		validateCase{"plan without id", func(c *plan.Catalog) { c.Plans[1].ID = "" }, []pv{{"plans[1].id", ""}}},
		validateCase{"duplicate plan id", func(c *plan.Catalog) { c.Plans[1].ID = "dog-m" }, []pv{{"plans[1].id", "dog-m"}}},
		validateCase{"plan without species", func(c *plan.Catalog) { p0(c).Species = "" }, []pv{{"plans[0].species", ""}}},
		validateCase{"duplicate rule id", func(c *plan.Catalog) { r2(c).ID = "flea-a" }, []pv{{"plans[0].rules[2].id", "flea-a"}}},
		validateCase{"explicit id 2 collides with the default id of rules[1]", func(c *plan.Catalog) {
			p0(c).Rules[1].ID = ""
			r2(c).ID = "2"
		}, []pv{{"plans[0].rules[2].id", "2"}}},
		validateCase{"default id of rules[1] collides with an earlier explicit 2", func(c *plan.Catalog) {
			p0(c).Rules[0].ID = "2"
			p0(c).Rules[1].ID = ""
		}, []pv{{"plans[0].rules[1].id", "2"}}},
		validateCase{"rules without ids take their positions", func(c *plan.Catalog) {
			for i := range p0(c).Rules {
				p0(c).Rules[i].ID = ""
			}
		}, nil},
		validateCase{"the same id in two plans", func(c *plan.Catalog) { c.Plans[1].Rules[0].ID = "flea-a" }, nil},
		validateCase{"rule of an unknown group", func(c *plan.Catalog) { r2(c).Group = "worm" }, []pv{{"plans[0].rules[2].group", "worm"}}},
		validateCase{"rule without a group", func(c *plan.Catalog) { r2(c).Group = "" }, []pv{{"plans[0].rules[2].group", ""}}},
		validateCase{"rule without a discount", func(c *plan.Catalog) { r2(c).Discount = plan.Discount{} }, []pv{{"plans[0].rules[2]", ""}}},
		validateCase{"renewal to an unknown plan", func(c *plan.Catalog) { p0(c).Renewal = plan.Renewal{Auto: true, NextPlan: "dog-l"} }, []pv{{"plans[0].renewal.nextPlan", "dog-l"}}},
		validateCase{"renewal to another plan", func(c *plan.Catalog) { p0(c).Renewal = plan.Renewal{Auto: true, NextPlan: "cat"} }, nil},
		validateCase{"renewal to the same plan", func(c *plan.Catalog) { p0(c).Renewal = plan.Renewal{Auto: true, NextPlan: "dog-m"} }, nil},
		validateCase{"renewal to a later plan's unknown id", func(c *plan.Catalog) { c.Plans[1].Renewal.NextPlan = "Dog-M" }, []pv{{"plans[1].renewal.nextPlan", "Dog-M"}}},
	)

	// Bands, sale window, enums and settlement.
	add(
		validateCase{"weight band min equals max", func(c *plan.Catalog) { p0(c).WeightKg = plan.Band{Min: nullDec("10"), Max: nullDec("10")} }, []pv{{"plans[0].weightKg.max", "10"}}},
		validateCase{"weight band min above max", func(c *plan.Catalog) { p0(c).WeightKg = plan.Band{Min: nullDec("25"), Max: nullDec("10")} }, []pv{{"plans[0].weightKg.max", "10"}}},
		validateCase{"weight band just wide enough", func(c *plan.Catalog) { p0(c).WeightKg = plan.Band{Min: nullDec("10"), Max: nullDec("10.000001")} }, nil},
		validateCase{"age band min equals max", func(c *plan.Catalog) { p0(c).AgeMonths = plan.Band{Min: nullDec("6"), Max: nullDec("6")} }, []pv{{"plans[0].ageMonths.max", "6"}}},
		validateCase{"age band open above", func(c *plan.Catalog) { p0(c).AgeMonths = plan.Band{Min: nullDec("6")} }, nil},
		validateCase{"availableTo before availableFrom", func(c *plan.Catalog) {
			p0(c).AvailableFrom, p0(c).AvailableTo = date("2026-02-01"), date("2026-01-31")
		}, []pv{{"plans[0].availableTo", "2026-01-31"}}},
		validateCase{"one-day sale window", func(c *plan.Catalog) {
			p0(c).AvailableFrom, p0(c).AvailableTo = date("2026-02-01"), date("2026-02-01")
		}, nil},
		validateCase{"sale window open at the start", func(c *plan.Catalog) { p0(c).AvailableTo = date("2026-01-31") }, nil},
		validateCase{"unknown rounding", func(c *plan.Catalog) { p0(c).Rounding = plan.Rounding(2) }, []pv{{"plans[0].rounding", "Rounding(2)"}}},
		validateCase{"half even rounding", func(c *plan.Catalog) { p0(c).Rounding = plan.HalfEven }, nil},
		validateCase{"override is not a plan's method", func(c *plan.Catalog) { p0(c).Settlement.Method = plan.Override }, []pv{{"plans[0].settlement.method", "override"}}},
		validateCase{"unknown settlement method", func(c *plan.Catalog) { p0(c).Settlement.Method = plan.Override + 1 }, []pv{{"plans[0].settlement.method", "Method(5)"}}},
		validateCase{"last settlement method", func(c *plan.Catalog) { p0(c).Settlement.Method = plan.NoDebt }, nil},
		validateCase{"value basis", func(c *plan.Catalog) { p0(c).Settlement.Basis = plan.ValueBasis }, nil},
		validateCase{"unknown settlement basis", func(c *plan.Catalog) { p0(c).Settlement.Basis = plan.ValueBasis + 1 }, []pv{{"plans[0].settlement.basis", "Basis(3)"}}},
		validateCase{"a fee for every interval", func(c *plan.Catalog) {
			p0(c).Fees = plan.Fees{FourWeeks: nullDec("13.85"), Quarter: nullDec("44.00"), Year: nullDec("165.00")}
		}, nil},
		validateCase{"a quarterly fee on a 10-month term", func(c *plan.Catalog) {
			p0(c).TermMonths = 10
			p0(c).Fees.Quarter = nullDec("44.00")
		}, []pv{{"plans[0].fees.quarter", "44"}}},
		validateCase{"a yearly fee on an 18-month term", func(c *plan.Catalog) {
			p0(c).TermMonths = 18
			p0(c).Fees = plan.Fees{Quarter: nullDec("44.00"), Year: nullDec("165.00")}
		}, []pv{{"plans[0].fees.year", "165"}}},
		validateCase{"a quarterly fee on a 1-month term", func(c *plan.Catalog) {
			p0(c).TermMonths = 1
			p0(c).Fees.Quarter = nullDec("44.00")
		}, []pv{{"plans[0].fees.quarter", "44"}}},
		validateCase{"fees on a term out of bounds say only that", func(c *plan.Catalog) {
			p0(c).TermMonths = -1
			p0(c).Fees = plan.Fees{Quarter: nullDec("44.00"), Year: nullDec("165.00")}
		}, []pv{{"plans[0].termMonths", "-1"}}},
		validateCase{"an unset threshold's days are not read", func(c *plan.Catalog) {
			p0(c).Dunning.PastDueAfter = plan.Threshold{Days: -1}
		}, nil},
		validateCase{"two plans without ids", func(c *plan.Catalog) { p0(c).ID, c.Plans[1].ID = "", "" },
			[]pv{{"plans[0].id", ""}, {"plans[1].id", ""}}},
		validateCase{"a negative 4-weekly fee", func(c *plan.Catalog) { p0(c).Fees.FourWeeks = nullDec("-1") }, []pv{{"plans[0].fees.4weeks", "-1"}}},
		validateCase{"a dunning policy", func(c *plan.Catalog) {
			p0(c).Dunning = plan.Dunning{RetryDays: []int{3, 7}, PastDueAfter: plan.After(7), SuspendAfter: plan.After(0), CancelAfter: plan.After(60)}
		}, nil},
		validateCase{"negative and unsorted retry days", func(c *plan.Catalog) { p0(c).Dunning.RetryDays = []int{-1, 7, 3, 3} },
			[]pv{{"plans[0].dunning.retryDays[0]", "-1"}, {"plans[0].dunning.retryDays[2]", "3"}, {"plans[0].dunning.retryDays[3]", "3"}}},
		validateCase{"a threshold out of bounds", func(c *plan.Catalog) { p0(c).Dunning.CancelAfter = plan.After(-1) },
			[]pv{{"plans[0].dunning.cancelAfterDays", "-1"}}},
		validateCase{"an item's value", func(c *plan.Catalog) { c.Groups[0].Items[0].Value = nullDec("30.00") }, nil},
		validateCase{"an item's value out of bounds", func(c *plan.Catalog) { c.Groups[0].Items[0].Value = nullDec("1000000000000") },
			[]pv{{"groups[0].items[0].value", "1000000000000"}}},
		validateCase{"list basis", func(c *plan.Catalog) { p0(c).Settlement.Basis = plan.ListBasis }, nil},
		validateCase{"empty waiver reason", func(c *plan.Catalog) { p0(c).Settlement.WaiveFor = []string{"deceased", ""} }, []pv{{"plans[0].settlement.waiveFor[1]", ""}}},
		validateCase{"two bad rules at once", func(c *plan.Catalog) {
			p0(c).Rules[0].EndDay = 36601
			r2(c).Group = "worm"
		}, []pv{{"plans[0].rules[0].endDay", "36601"}, {"plans[0].rules[2].group", "worm"}}},
		validateCase{"two bad items at once", func(c *plan.Catalog) {
			c.Groups[0].Items[0].Units = -1
			c.Groups[0].Items[1].Value = nullDec("-1")
		}, []pv{{"groups[0].items[0].units", "-1"}, {"groups[0].items[1].value", "-1"}}},
		validateCase{"two bad plans at once", func(c *plan.Catalog) {
			p0(c).Species = ""
			c.Plans[1].TermMonths = 121
		}, []pv{{"plans[0].species", ""}, {"plans[1].termMonths", "121"}}},
		validateCase{"1000 rules", func(c *plan.Catalog) { c.Plans[1].Rules = manyRules(1000) }, nil},
		validateCase{"1001 rules", func(c *plan.Catalog) { c.Plans[1].Rules = manyRules(1001) }, []pv{{"plans[1].rules", "1001"}}},
	)
	return cases
}

// manyRules is n valid rules without ids.
func manyRules(n int) []plan.Rule {
	rs := make([]plan.Rule, n)
	for i := range rs {
		rs[i] = plan.Rule{Group: "flea", Discount: plan.PercentOff(dec("10")), Allowed: plan.Allowed(1), EndDay: 364}
	}
	return rs
}

func TestCatalogValidate(t *testing.T) {
	for _, tt := range validateCases() {
		t.Run(tt.name, func(t *testing.T) {
			c := validCatalog()
			tt.edit(&c)
			err := c.Validate()
			if diff := cmp.Diff(tt.want, pathsAndValues(err)); diff != "" {
				t.Errorf("Validate problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if tt.want == nil && err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
			if tt.want != nil {
				var ve *plan.ValidationError
				if !errors.As(err, &ve) {
					t.Errorf("errors.As(%v, *ValidationError) = false", err)
				} else if ve.Reason == "" {
					t.Errorf("problem %s has no reason", ve.Path)
				}
			}
		})
	}
}

func TestCatalogValidateReasons(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *plan.Catalog)
		want string // the whole error text
	}{
		{"percentage", func(c *plan.Catalog) { c.Plans[0].Rules[2].Discount = plan.PercentOff(dec("150")) },
			`plans[0].rules[2].discountPercent: "150" is outside 0..100`},
		{"missing currency", func(c *plan.Catalog) { c.Currency = plan.Currency{} },
			`currency: is missing; want an ISO 4217 code such as GBP`},
		{"seven places", func(c *plan.Catalog) { c.Plans[0].MonthlyFee = dec("15.0000001") },
			`plans[0].monthlyFee: "15.0000001" has more than 6 decimal places`},
		{"item in two groups names the first", func(c *plan.Catalog) {
			c.Groups[2].Items = append(c.Groups[2].Items, plan.Item{Code: "FLEA-3PK"})
		}, `groups[2].items[1].code: "FLEA-3PK" is already in group "flea" (groups[0].items[1]); an item code belongs to one group at most`},
		{"unknown group lists the groups", func(c *plan.Catalog) { c.Plans[0].Rules[2].Group = "worm" },
			`plans[0].rules[2].group: "worm" is not a treatment group in the catalog; want one of flea, food, vacc`},
		{"one group", func(c *plan.Catalog) {
			c.Groups = c.Groups[:1]
			c.Plans = []plan.Plan{c.Plans[1]}
			c.Plans[0].Rules[0].Group = "worm"
		}, `plans[0].rules[0].group: "worm" is not a treatment group in the catalog; want one of flea`},
		{"no groups", func(c *plan.Catalog) {
			c.Groups = nil
			c.Plans = []plan.Plan{c.Plans[1]}
		}, `plans[0].rules[0].group: "flea" is not a treatment group in the catalog; want one of (none defined)`},
		{"twelve groups are all listed", func(c *plan.Catalog) {
			c.Groups = nil
			for _, id := range strings.Fields("a b c d e f g h i j k l") {
				c.Groups = append(c.Groups, plan.Group{ID: id})
			}
			c.Plans = []plan.Plan{c.Plans[1]}
		}, `plans[0].rules[0].group: "flea" is not a treatment group in the catalog; want one of a, b, c, d, e, f, g, h, i, j, k, l`},
		{"past twelve groups, the rest are left out", func(c *plan.Catalog) {
			c.Groups = nil
			for _, id := range strings.Fields("m l k j i h g f e d c b a") {
				c.Groups = append(c.Groups, plan.Group{ID: id})
			}
			c.Plans = []plan.Plan{c.Plans[1]}
		}, `plans[0].rules[0].group: "flea" is not a treatment group in the catalog; want one of a, b, c, d, e, f, g, h, i, j, k, l, ...`},
		{"the next plan lists the plans", func(c *plan.Catalog) { c.Plans[1].Renewal.NextPlan = "dog" },
			`plans[1].renewal.nextPlan: "dog" is not a plan in the catalog; want one of cat, dog-m`},
		{"duplicate plan id names the first", func(c *plan.Catalog) { c.Plans[1].ID = "dog-m" },
			`plans[1].id: "dog-m" is already the id of plans[0]; plan ids are unique`},
		{"duplicate group id names the first", func(c *plan.Catalog) { c.Groups = append(c.Groups, plan.Group{ID: "vacc"}) },
			`groups[3].id: "vacc" is already the id of groups[1]; group ids are unique`},
		{"duplicate rule id names the first", func(c *plan.Catalog) { c.Plans[0].Rules[2].ID = "flea-a" },
			`plans[0].rules[2].id: "flea-a" is already the id of rules[0]; rule ids are unique within a plan (a rule without an id takes its 1-based position)`},
		{"retry days out of order name the one before", func(c *plan.Catalog) { c.Plans[0].Dunning.RetryDays = []int{1, 7, 3} },
			`plans[0].dunning.retryDays[2]: "3" is not after retryDays[1] 7; give the retry days in increasing order`},
		{"a negative retry day", func(c *plan.Catalog) { c.Plans[0].Dunning.RetryDays = []int{-1} },
			`plans[0].dunning.retryDays[0]: "-1" is outside 0..36600`},
		{"a whole number's bounds", func(c *plan.Catalog) { c.Plans[0].GraceDays = -1 },
			`plans[0].graceDays: "-1" is outside 0..36600`},
		{"a band backwards", func(c *plan.Catalog) { c.Plans[0].WeightKg.Min = nullDec("30") },
			`plans[0].weightKg.max: "25" is not above min 30; the band is min <= x < max`},
		{"a sale window backwards", func(c *plan.Catalog) {
			c.Plans[0].AvailableFrom, c.Plans[0].AvailableTo = date("2026-02-01"), date("2026-01-31")
		}, `plans[0].availableTo: "2026-01-31" is before availableFrom 2026-02-01`},
		{"a fee the term does not divide", func(c *plan.Catalog) {
			c.Plans[0].TermMonths = 18
			c.Plans[0].Fees.Year = nullDec("165")
		}, `plans[0].fees.year: "165" prices a year installment, but termMonths 18 is not a multiple of 12`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCatalog()
			tt.edit(&c)
			err := c.Validate()
			if err == nil {
				t.Fatal("Validate = nil, want an error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error text mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalogValidateReportsEveryProblem(t *testing.T) {
	c := validCatalog()
	c.Currency = plan.Currency{}
	c.Groups[0].Items[1].Units = -1
	c.Plans[0].Rules[2].Discount = plan.PercentOff(dec("150"))
	err := c.Validate()
	want := []pv{
		{"currency", ""},
		{"groups[0].items[1].units", "-1"},
		{"plans[0].rules[2].discountPercent", "150"},
	}
	if diff := cmp.Diff(want, pathsAndValues(err)); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 3 {
		t.Errorf("error has %d lines, want one per problem:\n%v", n, err)
	}
	// A second pass gives the same answer: validation does not mutate.
	if diff := cmp.Diff(want, pathsAndValues(c.Validate())); diff != "" {
		t.Errorf("second Validate mismatch (-want +got):\n%s", diff)
	}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *plan.Plan)
		want []pv
	}{
		{"valid", func(*plan.Plan) {}, nil},
		{"paths are relative to the plan", func(p *plan.Plan) { p.Rules[2].Discount = plan.PercentOff(dec("150")) },
			[]pv{{"rules[2].discountPercent", "150"}}},
		{"groups come from the catalog", func(p *plan.Plan) { p.Rules[0].Group = "worm" }, []pv{{"rules[0].group", "worm"}}},
		{"several problems", func(p *plan.Plan) {
			p.TermMonths = 0
			p.Rules[1].EndDay = 36601
		}, []pv{{"termMonths", "0"}, {"rules[1].endDay", "36601"}}},
		{"the next plan is the catalog's concern", func(p *plan.Plan) { p.Renewal.NextPlan = "elsewhere" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCatalog()
			p := c.Plans[0]
			tt.edit(&p)
			if diff := cmp.Diff(tt.want, pathsAndValues(p.Validate(&c))); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckBounds(t *testing.T) {
	tests := []struct {
		name  string
		check func(string, decimal.Decimal) error
		in    string
		ok    bool
	}{
		{"amount 0", plan.CheckAmount, "0", true},
		{"amount largest", plan.CheckAmount, "999999999999.999999", true},
		{"amount 10^12", plan.CheckAmount, "1000000000000", false},
		{"amount negative", plan.CheckAmount, "-0.01", false},
		{"amount seven places", plan.CheckAmount, "0.0000001", false},
		{"quantity 0", plan.CheckQuantity, "0", false},
		{"quantity smallest", plan.CheckQuantity, "0.000001", true},
		{"quantity 10^6", plan.CheckQuantity, "1000000", true},
		{"quantity above 10^6", plan.CheckQuantity, "1000000.000001", false},
		{"quantity negative", plan.CheckQuantity, "-1", false},
		{"quantity seven places", plan.CheckQuantity, "1.0000001", false},
		{"percent 0", plan.CheckPercent, "0", true},
		{"percent 100", plan.CheckPercent, "100", true},
		{"percent above 100", plan.CheckPercent, "100.000001", false},
		{"percent negative", plan.CheckPercent, "-0.000001", false},
		{"percent seven places", plan.CheckPercent, "50.0000001", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check("lines[1].qty", dec(tt.in))
			var want []pv
			if !tt.ok {
				want = []pv{{"lines[1].qty", decimalText(tt.in)}}
			}
			if diff := cmp.Diff(want, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWithPathPrefix(t *testing.T) {
	c := validCatalog()
	p := c.Plans[0]
	p.TermMonths = 0
	p.Rules[1].Group = ""
	err := plan.WithPathPrefix("plans[4]", p.Validate(&c))
	want := []pv{{"plans[4].termMonths", "0"}, {"plans[4].rules[1].group", ""}}
	if diff := cmp.Diff(want, pathsAndValues(err)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if plan.WithPathPrefix("x", nil) != nil {
		t.Error("WithPathPrefix of nil is not nil")
	}

	// A problem with no path is the prefix's own; an index joins without
	// a dot; an empty prefix and other errors are kept as they are.
	other := errors.New("disk full")
	parts := errors.Join(
		&plan.ValidationError{Path: "", Reason: "is missing"},
		&plan.ValidationError{Path: "[1].qty", Value: "0", Reason: "is zero"},
		&plan.ValidationError{Path: "qty", Value: "0", Reason: "is zero"},
		other,
	)
	got := plan.WithPathPrefix("lines", parts)
	if diff := cmp.Diff([]pv{{"lines", ""}, {"lines[1].qty", "0"}, {"lines.qty", "0"}}, pathsAndValues(got)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if !errors.Is(got, other) {
		t.Errorf("WithPathPrefix lost the other error: %v", got)
	}
	if diff := cmp.Diff([]pv{{"", ""}, {"[1].qty", "0"}, {"qty", "0"}}, pathsAndValues(parts)); diff != "" {
		t.Errorf("WithPathPrefix changed its argument (-want +got):\n%s", diff)
	}
	if got := plan.WithPathPrefix("", parts); got != parts {
		t.Errorf("an empty prefix gave %v", got)
	}
}

func TestProblems(t *testing.T) {
	a := &plan.ValidationError{Path: "a", Reason: "is bad"}
	b := &plan.ValidationError{Path: "b", Reason: "is bad"}
	c := &plan.ValidationError{Path: "c", Reason: "is bad"}
	tests := []struct {
		name string
		err  error
		want []*plan.ValidationError
	}{
		{"nil", nil, nil},
		{"another error", errors.New("x"), nil},
		{"one", a, []*plan.ValidationError{a}},
		{"wrapped", fmt.Errorf("reading: %w", a), []*plan.ValidationError{a}},
		{"joined, in order", errors.Join(a, errors.New("x"), b), []*plan.ValidationError{a, b}},
		{"nested", fmt.Errorf("doc: %w", errors.Join(a, fmt.Errorf("inner: %w", errors.Join(b, nil, c)))), []*plan.ValidationError{a, b, c}},
		{"wrapped twice", fmt.Errorf("%w and %w", b, a), []*plan.ValidationError{b, a}},
	}
	for _, tt := range tests {
		if got := plan.Problems(tt.err); !cmp.Equal(tt.want, got) {
			t.Errorf("%s: Problems = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Subscriptions.

func subscriptionTerms(t *testing.T, edit func(p *plan.Plan)) *plan.Terms {
	t.Helper()
	c := validCatalog()
	if edit != nil {
		edit(&c.Plans[0])
	}
	terms, err := c.Terms("dog-m")
	if err != nil {
		t.Fatalf("Terms: %v", err)
	}
	return terms
}

func enrollment(start string) plan.Enrollment {
	return plan.Enrollment{
		ID: "S1", Client: "C1", Start: date(start), Payment: plan.Monthly,
		Patient: plan.Patient{ID: "P1", Species: "dog", WeightKg: nullDec("18"), BirthDate: date("2024-03-01")},
	}
}

func TestSubscribeSaleWindow(t *testing.T) {
	window := func(from, to string) func(p *plan.Plan) {
		return func(p *plan.Plan) {
			if from != "" {
				p.AvailableFrom = date(from)
			}
			if to != "" {
				p.AvailableTo = date(to)
			}
		}
	}
	tests := []struct {
		name     string
		from, to string
		start    string
		refused  bool
	}{
		{"day before the window", "2026-01-01", "2026-06-30", "2025-12-31", true},
		{"first day of the window", "2026-01-01", "2026-06-30", "2026-01-01", false},
		{"inside the window", "2026-01-01", "2026-06-30", "2026-03-15", false},
		{"last day of the window", "2026-01-01", "2026-06-30", "2026-06-30", false},
		{"day after the window", "2026-01-01", "2026-06-30", "2026-07-01", true},
		{"open start", "", "2026-06-30", "1990-01-01", false},
		{"open start, day after", "", "2026-06-30", "2026-07-01", true},
		{"open end", "2026-01-01", "", "2099-12-31", false},
		{"open end, day before", "2026-01-01", "", "2025-12-31", true},
		{"no window", "", "", "2026-01-10", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := subscriptionTerms(t, window(tt.from, tt.to))
			s, err := terms.Subscribe(enrollment(tt.start))
			if !tt.refused {
				if err != nil {
					t.Fatalf("Subscribe on %s error: %v", tt.start, err)
				}
				if s.Start != date(tt.start) || s.Terms != terms || s.ID != "S1" {
					t.Errorf("Subscribe = %+v, want a subscription S1 starting %s on the terms", s, tt.start)
				}
				return
			}
			if s != nil {
				t.Errorf("Subscribe returned a subscription with its error")
			}
			if !errors.Is(err, plan.ErrOutsideSaleWindow) {
				t.Fatalf("Subscribe on %s error = %v, want ErrOutsideSaleWindow", tt.start, err)
			}
			if diff := cmp.Diff([]pv{{"start", tt.start}}, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSubscribeRefusesBadEnrollment(t *testing.T) {
	tests := []struct {
		name string
		edit func(e *plan.Enrollment)
		want []pv
	}{
		{"no id", func(e *plan.Enrollment) { e.ID = "" }, []pv{{"id", ""}}},
		{"no start", func(e *plan.Enrollment) { e.Start = plan.Date{} }, []pv{{"start", ""}}},
		{"unknown payment option", func(e *plan.Enrollment) { e.Payment = plan.Advance + 1 }, []pv{{"payment", "PaymentOption(5)"}}},
		{"negative weight", func(e *plan.Enrollment) { e.Patient.WeightKg = nullDec("-1") }, []pv{{"patient.weightKg", "-1"}}},
		{"ineligible species is only advice", func(e *plan.Enrollment) { e.Patient.Species = "rabbit" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := subscriptionTerms(t, nil)
			in := enrollment("2026-01-10")
			tt.edit(&in)
			_, err := terms.Subscribe(in)
			if diff := cmp.Diff(tt.want, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if tt.want != nil && errors.Is(err, plan.ErrOutsideSaleWindow) {
				t.Errorf("error %v claims the sale window", err)
			}
		})
	}
	var zero plan.Terms
	if _, err := zero.Subscribe(enrollment("2026-01-10")); !errors.Is(err, plan.ErrZeroTerms) {
		t.Errorf("Subscribe on zero Terms error = %v, want ErrZeroTerms", err)
	}
}

func TestSubscriptionEnd(t *testing.T) {
	tests := []struct {
		name        string
		start       string
		termMonths  int
		graceDays   int
		end, last   string
		startOffset int // End's day offset
	}{
		{"12 months from Jan 31", "2026-01-31", 12, 0, "2027-01-30", "2027-01-30", 364},
		{"12 months from Jan 10", "2026-01-10", 12, 0, "2027-01-09", "2027-01-09", 364},
		{"12 months over a leap day", "2024-01-10", 12, 0, "2025-01-09", "2025-01-09", 365},
		{"12 months from a leap day", "2024-02-29", 12, 0, "2025-02-27", "2025-02-27", 364},
		{"one month from Jan 31", "2026-01-31", 1, 0, "2026-02-27", "2026-02-27", 27},
		{"one month from Jan 31 in a leap year", "2024-01-31", 1, 0, "2024-02-28", "2024-02-28", 28},
		{"with 30 grace days", "2026-01-10", 12, 30, "2027-01-09", "2027-02-08", 364},
		{"with the longest grace", "2026-01-10", 1, 36600, "2026-02-09", "2126-04-26", 30},
		{"longest term", "2026-01-31", 120, 0, "2036-01-30", "2036-01-30", 3651},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := subscriptionTerms(t, func(p *plan.Plan) { p.TermMonths, p.GraceDays = tt.termMonths, tt.graceDays })
			s, err := terms.Subscribe(enrollment(tt.start))
			if err != nil {
				t.Fatal(err)
			}
			got := []string{s.End().String(), s.LastCoveredDay().String(), fmt.Sprint(s.Day(s.End()))}
			want := []string{tt.end, tt.last, fmt.Sprint(tt.startOffset)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("[End, LastCoveredDay, Day(End)] mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatusOn(t *testing.T) {
	// Start 2026-01-10, End 2027-01-09.
	type setup struct {
		suspensions []plan.Period
		termination *plan.Termination
	}
	suspended := setup{suspensions: []plan.Period{
		{From: date("2026-03-01"), To: date("2026-04-01")},
		{From: date("2026-10-01")},
	}}
	cancelled := setup{termination: &plan.Termination{Date: date("2026-05-01"), Reason: "cancelled"}}
	deceased := setup{termination: &plan.Termination{Date: date("2026-05-01"), Reason: "deceased"}}
	expired := setup{termination: &plan.Termination{Date: date("2027-01-09"), Reason: plan.ReasonExpired}}
	tests := []struct {
		name string
		s    setup
		on   string
		want plan.Status
	}{
		{"day before the start", setup{}, "2026-01-09", plan.Pending},
		{"start day", setup{}, "2026-01-10", plan.Active},
		{"mid term", setup{}, "2026-06-15", plan.Active},
		{"last day of the term", setup{}, "2027-01-09", plan.Active},
		{"day after the term", setup{}, "2027-01-10", plan.Ended},
		{"before a suspension", suspended, "2026-02-28", plan.Active},
		{"first day of a suspension", suspended, "2026-03-01", plan.Suspended},
		{"last day of a suspension", suspended, "2026-03-31", plan.Suspended},
		{"suspension's To is exclusive", suspended, "2026-04-01", plan.Active},
		{"open suspension", suspended, "2026-12-25", plan.Suspended},
		{"open suspension after the term", suspended, "2027-01-10", plan.Ended},
		{"pending before a suspension", suspended, "2026-01-01", plan.Pending},
		{"cancelled, on the termination date", cancelled, "2026-05-01", plan.Cancelled},
		{"cancelled, after the term", cancelled, "2027-06-01", plan.Cancelled},
		{"deceased is cancelled", deceased, "2026-05-02", plan.Cancelled},
		{"expired is ended", expired, "2027-01-09", plan.Ended},
		{"expired, later", expired, "2028-01-01", plan.Ended},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := subscriptionTerms(t, nil).Subscribe(enrollment("2026-01-10"))
			if err != nil {
				t.Fatal(err)
			}
			s.Suspensions, s.Termination = tt.s.suspensions, tt.s.termination
			if err := s.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if diff := cmp.Diff(tt.want.String(), s.StatusOn(date(tt.on)).String()); diff != "" {
				t.Errorf("StatusOn(%s) mismatch (-want +got):\n%s", tt.on, diff)
			}
		})
	}
}

// TestStatusOnBeforeTermination asks for the status on a date before the
// subscription was terminated: once terminated, the status is cancelled
// whatever the date asked about (the termination settled the contract, as
// it stops every discount).
func TestStatusOnBeforeTermination(t *testing.T) {
	s, err := subscriptionTerms(t, nil).Subscribe(enrollment("2026-01-10"))
	if err != nil {
		t.Fatal(err)
	}
	s.Termination = &plan.Termination{Date: date("2026-05-01"), Reason: "cancelled"}
	tests := []struct {
		on   string
		want plan.Status
	}{
		{"2026-01-09", plan.Cancelled},
		{"2026-03-01", plan.Cancelled},
		{"2026-04-30", plan.Cancelled},
		{"2026-05-01", plan.Cancelled},
		{"2027-06-01", plan.Cancelled},
	}
	for _, tt := range tests {
		t.Run(tt.on, func(t *testing.T) {
			if diff := cmp.Diff(tt.want.String(), s.StatusOn(date(tt.on)).String()); diff != "" {
				t.Errorf("StatusOn(%s) mismatch (-want +got):\n%s", tt.on, diff)
			}
		})
	}
}

func TestSubscriptionValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *plan.Subscription)
		want []pv
	}{
		{"valid", func(*plan.Subscription) {}, nil},
		{"suspension without a start", func(s *plan.Subscription) {
			s.Suspensions = []plan.Period{{From: date("2026-02-01"), To: date("2026-03-01")}, {To: date("2026-05-01")}}
		}, []pv{{"suspensions[1].from", ""}}},
		{"termination without date or reason", func(s *plan.Subscription) { s.Termination = &plan.Termination{} },
			[]pv{{"termination.date", ""}, {"termination.reason", ""}}},
		{"no terms", func(s *plan.Subscription) { s.Terms = nil }, []pv{{"terms", ""}}},
		{"zero terms", func(s *plan.Subscription) { s.Terms = &plan.Terms{} }, []pv{{"terms", ""}}},
		{"termination with a date and a reason", func(s *plan.Subscription) {
			s.Termination = &plan.Termination{Date: date("2026-05-01"), Reason: "cancelled"}
		}, nil},
		{"termination without a reason", func(s *plan.Subscription) { s.Termination = &plan.Termination{Date: date("2026-05-01")} },
			[]pv{{"termination.reason", ""}}},
		{"the enrollment is checked whole", func(s *plan.Subscription) {
			s.ID, s.Start, s.Payment, s.Interval = "", plan.Date{}, plan.Advance+1, plan.FourWeeks+1
			s.Patient.WeightKg, s.Patient.ExpectedAdultWeightKg = nullDec("-1"), nullDec("1000000000000")
			s.Suspensions = []plan.Period{{}}
		}, []pv{{"id", ""}, {"start", ""}, {"payment", "PaymentOption(5)"}, {"interval", "Interval(4)"},
			{"patient.weightKg", "-1"}, {"patient.expectedAdultWeightKg", "1000000000000"}, {"suspensions[0].from", ""}}},
		{"the last payment option and interval", func(s *plan.Subscription) { s.Payment, s.Interval = plan.Advance, plan.FourWeeks }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := subscriptionTerms(t, nil).Subscribe(enrollment("2026-01-10"))
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(s)
			if diff := cmp.Diff(tt.want, pathsAndValues(s.Validate())); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
	var none *plan.Subscription
	if diff := cmp.Diff([]pv{{"subscription", ""}}, pathsAndValues(none.Validate())); diff != "" {
		t.Errorf("a nil subscription (-want +got):\n%s", diff)
	}
}

func TestSaleWindow(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"2026-01-01", "2026-06-30", "2026-01-01..2026-06-30"},
		{"", "2026-06-30", "(open)..2026-06-30"},
		{"2026-01-01", "", "2026-01-01..(open)"},
		{"", "", "(open)..(open)"},
	}
	for _, tt := range tests {
		terms := subscriptionTerms(t, func(p *plan.Plan) {
			if tt.from != "" {
				p.AvailableFrom = date(tt.from)
			}
			if tt.to != "" {
				p.AvailableTo = date(tt.to)
			}
		})
		if got := terms.SaleWindow(); got != tt.want {
			t.Errorf("SaleWindow = %q, want %q", got, tt.want)
		}
	}
	terms := subscriptionTerms(t, func(p *plan.Plan) { p.AvailableFrom = date("2026-02-01") })
	_, err := terms.Subscribe(enrollment("2026-01-10"))
	want := `start: "2026-01-10" is outside plan "dog-m"'s sale window 2026-02-01..(open); a new subscription must start within it`
	if err == nil || err.Error() != want {
		t.Errorf("Subscribe error:\n got %v\nwant %s", err, want)
	}
}

func TestSubscribeInterval(t *testing.T) {
	in := enrollment("2026-01-10")
	in.Interval = plan.Quarter
	in.MultiPet = true
	_, err := subscriptionTerms(t, nil).Subscribe(in)
	want := `interval: "quarter" is not an interval plan "dog-m" prices; want one of month`
	if !errors.Is(err, plan.ErrUnpricedInterval) || err.Error() != want {
		t.Errorf("Subscribe error:\n got %v\nwant %s", err, want)
	}
	terms := subscriptionTerms(t, func(p *plan.Plan) { p.Fees.Quarter = nullDec("44") })
	s, err := terms.Subscribe(in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, s.Enrollment(), catalogOpts); diff != "" {
		t.Errorf("the subscription's enrollment (-want +got):\n%s", diff)
	}
	if s.Terms != terms || s.Suspensions != nil || s.Termination != nil {
		t.Errorf("Subscribe = %+v", s)
	}
}

func TestSuspendedOn(t *testing.T) {
	s, err := subscriptionTerms(t, nil).Subscribe(enrollment("2026-01-10"))
	if err != nil {
		t.Fatal(err)
	}
	first := plan.Period{From: date("2026-03-01"), To: date("2026-04-01")}
	open := plan.Period{From: date("2026-10-01")}
	s.Suspensions = []plan.Period{first, open}
	tests := []struct {
		on   string
		want plan.Period
		ok   bool
	}{
		{"2026-02-28", plan.Period{}, false},
		{"2026-03-01", first, true},
		{"2026-03-31", first, true},
		{"2026-04-01", plan.Period{}, false},
		{"2026-09-30", plan.Period{}, false},
		{"2026-10-01", open, true},
		{"2030-01-01", open, true},
	}
	for _, tt := range tests {
		p, ok := s.SuspendedOn(date(tt.on))
		if p != tt.want || ok != tt.ok {
			t.Errorf("SuspendedOn(%s) = %v, %v; want %v, %v", tt.on, p, ok, tt.want, tt.ok)
		}
	}
}
