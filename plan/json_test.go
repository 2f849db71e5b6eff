package plan_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// scenarioCatalog is the catalog half of the example in SPEC.md section 8,
// with the "food" group its food rule needs.
const scenarioCatalog = `{
  "currency": "GBP",
  "groups": [
    {"id": "flea", "name": "Flea treatment", "core": true,
     "items": [{"code": "FLEA-1"}, {"code": "FLEA-3PK", "units": 3}]},
    {"id": "food", "name": "Food", "core": false,
     "items": [{"code": "FOOD-1"}]}
  ],
  "plans": [
    {"id": "dog-m", "name": "Medium dog", "species": "dog",
     "weightKg": {"min": "10", "max": "25"}, "termMonths": 12,
     "monthlyFee": "15.00", "joiningFee": "5.00",
     "settlement": {"method": "coreValue", "basis": "discount",
                    "cancellationFee": "0", "waiveFor": ["deceased"],
                    "refundExcess": false, "coolingOffDays": 0},
     "rules": [
       {"id": "flea-a", "group": "flea", "discountPercent": "100",
        "allowed": 3, "startDay": 0, "endDay": 90, "viewOrder": 1},
       {"id": "food", "group": "food", "discountPercent": "10",
        "allowed": "unlimited", "startDay": 0, "endDay": 365, "viewOrder": 1}
     ]}
  ]
}`

// scenarioWant is scenarioCatalog as Go values.
func scenarioWant() plan.Catalog {
	return plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Groups: []plan.Group{
			{ID: "flea", Name: "Flea treatment", Core: true, Items: []plan.Item{{Code: "FLEA-1"}, {Code: "FLEA-3PK", Units: 3}}},
			{ID: "food", Name: "Food", Items: []plan.Item{{Code: "FOOD-1"}}},
		},
		Plans: []plan.Plan{{
			ID: "dog-m", Name: "Medium dog", Species: "dog",
			WeightKg:   plan.Band{Min: nullDec("10"), Max: nullDec("25")},
			TermMonths: 12, MonthlyFee: dec("15.00"), JoiningFee: dec("5.00"),
			Settlement: plan.Settlement{Method: plan.CoreValue, Basis: plan.DiscountBasis, CancellationFee: dec("0"), WaiveFor: []string{"deceased"}},
			Rules: []plan.Rule{
				{ID: "flea-a", Group: "flea", Discount: plan.PercentOff(dec("100")), Allowed: plan.Allowed(3), StartDay: 0, EndDay: 90, ViewOrder: 1},
				{ID: "food", Group: "food", Discount: plan.PercentOff(dec("10")), Allowed: plan.Unlimited(), StartDay: 0, EndDay: 365, ViewOrder: 1},
			},
		}},
	}
}

// catalogOpts compare catalogs: decimals by value, the unexported fields
// of the small value types directly, and nil and empty slices alike.
var catalogOpts = cmp.Options{
	decEqual,
	cmp.AllowUnexported(plan.Date{}, plan.Currency{}, plan.Limit{}),
	cmp.Comparer(func(a, b plan.Discount) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

func TestCatalogUnmarshalScenario(t *testing.T) {
	var c plan.Catalog
	if err := json.Unmarshal([]byte(scenarioCatalog), &c); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if diff := cmp.Diff(scenarioWant(), c, catalogOpts); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// richCatalog sets every optional field a plan has.
func richCatalog() plan.Catalog {
	c := scenarioWant()
	c.Currency = plan.MustCurrency("KWD")
	c.Groups = append(c.Groups, plan.Group{ID: "consult", Name: "Consultations", Core: true, Items: []plan.Item{{Code: "CONSULT", Units: 2}}})
	p := &c.Plans[0]
	p.AgeMonths = plan.Band{Min: nullDec("6")}
	p.WeightKg = plan.Band{Max: nullDec("25.5")}
	p.AvailableFrom, p.AvailableTo = date("2026-01-01"), date("2026-12-31")
	p.AdvancePrice = nullDec("170.125")
	p.JoiningFee = dec("0")
	p.MultiPetDiscount = plan.PercentOff(dec("12.5"))
	p.Renewal = plan.Renewal{Auto: true, NextPlan: "cat"}
	p.GraceDays = 30
	p.Rounding = plan.HalfEven
	p.SuspendAfterFailures = 2
	p.Settlement = plan.Settlement{Method: plan.LesserOf, Basis: plan.ListBasis, CancellationFee: dec("25.5"),
		WaiveFor: []string{"deceased", "moved"}, RefundExcess: true, CoolingOffDays: 14}
	p.Rules = append(p.Rules,
		plan.Rule{Group: "consult", Discount: plan.AmountOff(dec("7.125")), Allowed: plan.Allowed(plan.MaxAllowed), StartDay: 10, EndDay: 36600, ViewOrder: 1000000},
		plan.Rule{ID: "consult-0", Group: "consult", Discount: plan.PercentOff(dec("0")), Allowed: plan.Allowed(1), EndDay: 0},
	)
	c.Plans = append(c.Plans, plan.Plan{
		ID: "cat", Species: "cat", TermMonths: 120, MonthlyFee: dec("999999999999.999999"),
		MultiPetDiscount: plan.AmountOff(dec("0.000001")),
		Settlement:       plan.Settlement{Method: plan.NoDebt},
	})
	return c
}

func TestCatalogJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		c    plan.Catalog
	}{
		{"scenario", scenarioWant()},
		{"every optional field", richCatalog()},
		{"dunning with no retry days", func() plan.Catalog {
			c := scenarioWant()
			c.Plans[0].Dunning.RetryDays = []int{}
			return c
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Validate(); err != nil {
				t.Fatalf("the test's catalog is invalid: %v", err)
			}
			b, err := json.Marshal(tt.c)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			var got plan.Catalog
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if diff := cmp.Diff(tt.c, got, catalogOpts); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s\nJSON: %s", diff, b)
			}
			again, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(b), string(again)); diff != "" {
				t.Errorf("second encoding differs (-first +second):\n%s", diff)
			}
		})
	}
}

// TestCatalogMarshalWritesDecimalStrings pins that money is written as JSON
// strings, exactly, whatever shopspring's globals say.
func TestCatalogMarshalWritesDecimalStrings(t *testing.T) {
	flipShopspringGlobals(t)
	b, err := json.Marshal(richCatalog())
	if err != nil {
		t.Fatal(err)
	}
	var tree struct {
		Plans []map[string]any `json:"plans"`
	}
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	p0, p1 := tree.Plans[0], tree.Plans[1]
	got := []any{p0["monthlyFee"], p0["advancePrice"], p0["multiPetDiscount"], p0["settlement"].(map[string]any)["cancellationFee"],
		p0["rules"].([]any)[2].(map[string]any)["discountAmount"], p0["rules"].([]any)[2].(map[string]any)["allowed"], p1["monthlyFee"]}
	want := []any{"15", "170.125", map[string]any{"percent": "12.5"}, "25.5", "7.125", float64(plan.MaxAllowed), "999999999999.999999"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s\nJSON: %s", diff, b)
	}
}

// edit returns scenarioCatalog with old replaced by new, exactly once.
func edit(t *testing.T, old, new string) []byte {
	t.Helper()
	if n := strings.Count(scenarioCatalog, old); n != 1 {
		t.Fatalf("%q occurs %d times in the scenario, want once", old, n)
	}
	return []byte(strings.Replace(scenarioCatalog, old, new, 1))
}

// sentinel is what a refused UnmarshalJSON must leave in place.
func sentinel() plan.Catalog {
	return plan.Catalog{Currency: plan.MustCurrency("JPY"), Plans: []plan.Plan{{ID: "sentinel", MonthlyFee: dec("1")}}}
}

// fleaDiscount is the flea rule's discount and allowance as the scenario
// writes them.
const fleaDiscount = `"discountPercent": "100",
        "allowed": 3,`

func TestCatalogUnmarshalRefuses(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []pv
		reason   string // a part of the first problem's reason
	}{
		{"unknown field", `"discountPercent": "100",
        "allowed": 3`, `"discountPercnt": "100",
        "allowed": 3`,
			[]pv{{"plans[0].rules[0].discountPercnt", "discountPercnt"}, {"plans[0].rules[0]", ""}}, `did you mean "discountPercent"?`},
		{"unknown top-level field", `"currency": "GBP"`, `"currency": "GBP", "events": []`,
			[]pv{{"events", "events"}}, "is not a field of a catalog"},
		{"misspelt currency", `"currency": "GBP"`, `"currancy": "GBP"`,
			[]pv{{"currancy", "currancy"}, {"currency", ""}}, `did you mean "currency"?`},
		{"both discounts", fleaDiscount, `"discountPercent": "100", "discountAmount": "5",
        "allowed": 3,`, []pv{{"plans[0].rules[0].discountPercent", ""}}, "give exactly one"},
		{"neither discount", fleaDiscount, `"allowed": 3,`, []pv{{"plans[0].rules[0]", ""}}, "neither"},
		{"allowed 0", `"allowed": 3,`, `"allowed": 0,`, []pv{{"plans[0].rules[0].allowed", "0"}}, "1..1000000000"},
		{"allowed above 10^9", `"allowed": 3,`, `"allowed": 1000000001,`, []pv{{"plans[0].rules[0].allowed", "1000000001"}}, "1..1000000000"},
		{"allowed 1.5", `"allowed": 3,`, `"allowed": 1.5,`, []pv{{"plans[0].rules[0].allowed", "1.5"}}, "whole number"},
		{"allowed three", `"allowed": 3,`, `"allowed": "three",`, []pv{{"plans[0].rules[0].allowed", "three"}}, "unlimited"},
		{"allowed as a string", `"allowed": 3,`, `"allowed": "3",`, []pv{{"plans[0].rules[0].allowed", "3"}}, "whole number"},
		{"allowed Unlimited", `"allowed": 3,`, `"allowed": "Unlimited",`, []pv{{"plans[0].rules[0].allowed", "Unlimited"}}, "unlimited"},
		{"allowed null", `"allowed": 3,`, `"allowed": null,`, []pv{{"plans[0].rules[0].allowed", ""}}, "missing"},
		{"allowed true", `"allowed": 3,`, `"allowed": true,`, []pv{{"plans[0].rules[0].allowed", "true"}}, "is a boolean"},
		{"huge exponent", `"monthlyFee": "15.00"`, `"monthlyFee": "1e999999"`, []pv{{"plans[0].monthlyFee", "1e999999"}}, "exponent"},
		{"huge exponent as a number", `"monthlyFee": "15.00"`, `"monthlyFee": 1e999999`, []pv{{"plans[0].monthlyFee", "1e999999"}}, "exponent"},
		{"not a number", `"monthlyFee": "15.00"`, `"monthlyFee": "15,00"`, []pv{{"plans[0].monthlyFee", "15,00"}}, "not a decimal number"},
		{"amount too big", `"monthlyFee": "15.00"`, `"monthlyFee": "1000000000000"`, []pv{{"plans[0].monthlyFee", "1000000000000"}}, "outside"},
		{"amount negative", `"monthlyFee": "15.00"`, `"monthlyFee": -0.01`, []pv{{"plans[0].monthlyFee", "-0.01"}}, "outside"},
		{"amount with seven places", `"joiningFee": "5.00"`, `"joiningFee": 0.30000000000000004`, []pv{{"plans[0].joiningFee", "0.30000000000000004"}}, "decimal places"},
		{"amount as a boolean", `"monthlyFee": "15.00"`, `"monthlyFee": true`, []pv{{"plans[0].monthlyFee", "true"}}, "is a boolean"},
		{"missing monthly fee", `"monthlyFee": "15.00", `, ``, []pv{{"plans[0].monthlyFee", ""}}, "missing"},
		{"termMonths as a string", `"termMonths": 12`, `"termMonths": "12"`, []pv{{"plans[0].termMonths", "12"}}, "is a string"},
		{"termMonths 0", `"termMonths": 12`, `"termMonths": 0`, []pv{{"plans[0].termMonths", "0"}}, "outside 1..120"},
		{"termMonths 121", `"termMonths": 12`, `"termMonths": 121`, []pv{{"plans[0].termMonths", "121"}}, "outside 1..120"},
		{"termMonths fractional", `"termMonths": 12`, `"termMonths": 12.5`, []pv{{"plans[0].termMonths", "12.5"}}, "whole number"},
		{"endDay 36601", `"endDay": 90`, `"endDay": 36601`, []pv{{"plans[0].rules[0].endDay", "36601"}}, "outside 0..36600"},
		{"startDay after endDay", `"startDay": 0, "endDay": 90`, `"startDay": 91, "endDay": 90`, []pv{{"plans[0].rules[0].endDay", "90"}}, "before startDay"},
		{"percentage above 100", `"discountPercent": "10"`, `"discountPercent": "100.000001"`, []pv{{"plans[0].rules[1].discountPercent", "100.000001"}}, "outside 0..100"},
		{"invalid date", `"termMonths": 12`, `"termMonths": 12, "availableFrom": "2026-02-30"`, []pv{{"plans[0].availableFrom", "2026-02-30"}}, "not a valid date"},
		{"sale window backwards", `"termMonths": 12`, `"termMonths": 12, "availableFrom": "2026-02-01", "availableTo": "2026-01-31"`,
			[]pv{{"plans[0].availableTo", "2026-01-31"}}, "before availableFrom"},
		{"duplicate key", `"monthlyFee": "15.00"`, `"monthlyFee": "15.00", "monthlyFee": "16.00"`, []pv{{"plans[0].monthlyFee", "monthlyFee"}}, "appears twice"},
		{"unknown currency", `"currency": "GBP"`, `"currency": "XYZ"`, []pv{{"currency", "XYZ"}}, "not a known currency"},
		{"lowercase currency", `"currency": "GBP"`, `"currency": "gbp"`, []pv{{"currency", "gbp"}}, "not a known currency"},
		{"missing currency", `"currency": "GBP",`, ``, []pv{{"currency", ""}}, "missing"},
		{"unknown group", `"group": "flea"`, `"group": "worm"`, []pv{{"plans[0].rules[0].group", "worm"}}, "not a treatment group"},
		{"item in two groups", `[{"code": "FOOD-1"}]`, `[{"code": "FOOD-1"}, {"code": "FLEA-1"}]`,
			[]pv{{"groups[1].items[1].code", "FLEA-1"}}, "already in group"},
		{"weight band backwards", `{"min": "10", "max": "25"}`, `{"min": "25", "max": "10"}`, []pv{{"plans[0].weightKg.max", "10"}}, "not above min"},
		{"a typo in a weight band", `{"min": "10", "max": "25"}`, `{"min": "10", "mx": "25"}`,
			[]pv{{"plans[0].weightKg.mx", "mx"}}, `did you mean "max"?`},
		{"a typo in an age band", `"termMonths": 12`, `"termMonths": 12, "ageMonths": {"mn": 6}`,
			[]pv{{"plans[0].ageMonths.mn", "mn"}}, `did you mean "min"?`},
		{"a band that is not an object", `{"min": "10", "max": "25"}`, `"10..25"`,
			[]pv{{"plans[0].weightKg", "10..25"}}, "want a band"},
		{"a band's bounds", `{"min": "10", "max": "25"}`, `{"min": "-1", "max": "x"}`,
			[]pv{{"plans[0].weightKg.max", "x"}, {"plans[0].weightKg.min", "-1"}}, "not a decimal number"},
		{"two bad rules", `"allowed": 3, "startDay": 0, "endDay": 90, "viewOrder": 1},
       {"id": "food", "group": "food", "discountPercent": "10",`, `"allowed": 0, "startDay": 0, "endDay": 90, "viewOrder": 1},
       {"id": "food", "group": "food", "discountPercent": "150",`,
			[]pv{{"plans[0].rules[0].allowed", "0"}, {"plans[0].rules[1].discountPercent", "150"}}, "1..1000000000"},
		{"a typo in a group", `"core": true,`, `"cor": true,`, []pv{{"groups[0].cor", "cor"}}, `did you mean "core"?`},
		{"a typo in an item", `{"code": "FLEA-1"}`, `{"code": "FLEA-1", "unit": 1}`, []pv{{"groups[0].items[0].unit", "unit"}}, `did you mean "units"?`},
		{"a typo in a multi-pet discount", `"termMonths": 12`, `"termMonths": 12, "multiPetDiscount": {"percnt": "5"}`,
			[]pv{{"plans[0].multiPetDiscount.percnt", "percnt"}}, `did you mean "percent"?`},
		{"a typo in a renewal", `"termMonths": 12`, `"termMonths": 12, "renewal": {"aut": true}`,
			[]pv{{"plans[0].renewal.aut", "aut"}}, `did you mean "auto"?`},
		{"a typo in a settlement", `"refundExcess": false`, `"refundExces": false`,
			[]pv{{"plans[0].settlement.refundExces", "refundExces"}}, `did you mean "refundExcess"?`},
		{"unknown rounding", `"termMonths": 12`, `"termMonths": 12, "rounding": "bankers"`, []pv{{"plans[0].rounding", "bankers"}}, "halfUp or halfEven"},
		{"unknown settlement method", `"method": "coreValue"`, `"method": "core"`, []pv{{"plans[0].settlement.method", "core"}}, "coreValue"},
		{"renewal to an unknown plan", `"termMonths": 12`, `"termMonths": 12, "renewal": {"auto": true, "nextPlan": "dog-l"}`,
			[]pv{{"plans[0].renewal.nextPlan", "dog-l"}}, "not a plan"},
		{"a non-string waiver keeps the later positions", `"waiveFor": ["deceased"]`, `"waiveFor": [7, "", "moved"]`,
			[]pv{{"plans[0].settlement.waiveFor[0]", "7"}, {"plans[0].settlement.waiveFor[1]", ""}}, "want a reason string"},
		{"typo and unknown currency", `"currency": "GBP"`, `"currency": "GBQ", "plan": []`,
			[]pv{{"plan", "plan"}, {"currency", "GBQ"}}, `did you mean "plans"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := edit(t, tt.old, tt.new)
			c := sentinel()
			start := time.Now()
			err := c.UnmarshalJSON(doc)
			if d := time.Since(start); d > time.Second {
				t.Errorf("UnmarshalJSON took %v", d)
			}
			if err == nil {
				t.Fatalf("UnmarshalJSON accepted:\n%s", doc)
			}
			if diff := cmp.Diff(tt.want, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if ps := plan.Problems(err); len(ps) > 0 && !strings.Contains(ps[0].Reason, tt.reason) {
				t.Errorf("reason %q does not say %q", ps[0].Reason, tt.reason)
			}
			if diff := cmp.Diff(sentinel(), c, catalogOpts); diff != "" {
				t.Errorf("a refused UnmarshalJSON changed its target (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalogUnmarshalAccepts(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		check    func(c plan.Catalog) any
		want     any
	}{
		{"allowed unlimited", `"allowed": 3,`, `"allowed": "unlimited",`,
			func(c plan.Catalog) any { return c.Plans[0].Rules[0].Allowed.IsUnlimited() }, true},
		{"allowed 10^9", `"allowed": 3,`, `"allowed": 1000000000,`,
			func(c plan.Catalog) any { return c.Plans[0].Rules[0].Allowed.Units() }, int64(1000000000)},
		{"amount as a JSON number", `"monthlyFee": "15.00"`, `"monthlyFee": 23.49`,
			func(c plan.Catalog) any { return c.Plans[0].MonthlyFee }, dec("23.49")},
		{"0.1 stays 0.1", `"discountPercent": "10"`, `"discountPercent": 0.1`,
			func(c plan.Catalog) any { d, _ := c.Plans[0].Rules[1].Discount.Percent(); return d }, dec("0.1")},
		{"more digits than a float64 holds", `"monthlyFee": "15.00"`, `"monthlyFee": 123456789012.345678`,
			func(c plan.Catalog) any { return c.Plans[0].MonthlyFee }, dec("123456789012.345678")},
		{"largest amount as a string", `"monthlyFee": "15.00"`, `"monthlyFee": "999999999999.999999"`,
			func(c plan.Catalog) any { return c.Plans[0].MonthlyFee }, dec("999999999999.999999")},
		{"amount with an exponent", `"monthlyFee": "15.00"`, `"monthlyFee": 1.5e1`,
			func(c plan.Catalog) any { return c.Plans[0].MonthlyFee }, dec("15")},
		{"discount amount", `"discountPercent": "10"`, `"discountAmount": "2.50"`,
			func(c plan.Catalog) any { d, ok := c.Plans[0].Rules[1].Discount.Amount(); return []any{d, ok} }, []any{dec("2.5"), true}},
		{"rule without id", `{"id": "food", "group"`, `{"group"`,
			func(c plan.Catalog) any { return c.Plans[0].Rules[1].ID }, ""},
		{"half even", `"termMonths": 12`, `"termMonths": 12, "rounding": "halfEven"`,
			func(c plan.Catalog) any { return c.Plans[0].Rounding }, plan.HalfEven},
		{"sale window", `"termMonths": 12`, `"termMonths": 12, "availableFrom": "2024-02-29", "availableTo": "2024-02-29"`,
			func(c plan.Catalog) any {
				return []string{c.Plans[0].AvailableFrom.String(), c.Plans[0].AvailableTo.String()}
			},
			[]string{"2024-02-29", "2024-02-29"}},
		{"explicit zeros", `"termMonths": 12`, `"termMonths": 12, "graceDays": 0, "suspendAfterFailures": 0`,
			func(c plan.Catalog) any { return []int{c.Plans[0].GraceDays, c.Plans[0].SuspendAfterFailures} }, []int{0, 0}},
		{"the largest grace and failures", `"termMonths": 12`, `"termMonths": 12, "graceDays": 36600, "suspendAfterFailures": 1000`,
			func(c plan.Catalog) any { return []int{c.Plans[0].GraceDays, c.Plans[0].SuspendAfterFailures} }, []int{36600, 1000}},
		{"a band open above", `{"min": "10", "max": "25"}`, `{"min": "10"}`,
			func(c plan.Catalog) any { return c.Plans[0].WeightKg.String() }, "10 or more"},
		{"a band open below", `{"min": "10", "max": "25"}`, `{"max": 25}`,
			func(c plan.Catalog) any { return c.Plans[0].WeightKg.String() }, "under 25"},
		{"an empty band", `{"min": "10", "max": "25"}`, `{}`,
			func(c plan.Catalog) any { return c.Plans[0].WeightKg.IsZero() }, true},
		{"null is absent", `"joiningFee": "5.00"`, `"joiningFee": null`,
			func(c plan.Catalog) any { return c.Plans[0].JoiningFee }, dec("0")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c plan.Catalog
			if err := c.UnmarshalJSON(edit(t, tt.old, tt.new)); err != nil {
				t.Fatalf("UnmarshalJSON: %v", err)
			}
			if diff := cmp.Diff(tt.want, tt.check(c), decEqual); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalogUnmarshalReportsEveryProblem(t *testing.T) {
	doc := strings.NewReplacer(
		`"currency": "GBP"`, `"currency": "XYZ"`,
		`"termMonths": 12`, `"termMonths": 0`,
		`"allowed": 3,`, `"allowed": 1.5,`,
	).Replace(scenarioCatalog)
	c := sentinel()
	err := c.UnmarshalJSON([]byte(doc))
	want := []pv{
		{"currency", "XYZ"},
		{"plans[0].termMonths", "0"},
		{"plans[0].rules[0].allowed", "1.5"},
	}
	if diff := cmp.Diff(want, pathsAndValues(err)); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
	}
	var ve *plan.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("errors.As(%v, *ValidationError) = false", err)
	}
	if diff := cmp.Diff(sentinel(), c, catalogOpts); diff != "" {
		t.Errorf("target changed (-want +got):\n%s", diff)
	}
}

func TestCatalogUnmarshalSyntaxError(t *testing.T) {
	tests := []struct {
		name       string
		doc        string
		line, col  int
		msgPartial string
		bug        string
	}{
		{"stray comma", "{\"currency\": \"GBP\",\n  \"groups\": [,]}", 2, 14, "invalid character ','", ""},
		{"truncated", `{"currency": "GBP"`, 1, 19, "unexpected end", ""},
		{"trailing data", "{}\n{}", 2, 1, "after top-level value", ""},
		{"bare word", "{\"currency\": GBP}", 1, 14, "invalid character 'G'", ""},
		{"empty", "", 1, 1, "unexpected end", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.bug != "" {
				t.Skip(tt.bug)
			}
			c := sentinel()
			err := c.UnmarshalJSON([]byte(tt.doc))
			var se *wire.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("UnmarshalJSON error = %v (%T), want a *wire.SyntaxError", err, err)
			}
			if diff := cmp.Diff([2]int{tt.line, tt.col}, [2]int{se.Line, se.Column}); diff != "" {
				t.Errorf("[line, column] mismatch (-want +got):\n%s\nerror: %v", diff, se)
			}
			if !strings.Contains(se.Msg, tt.msgPartial) {
				t.Errorf("message %q does not say %q", se.Msg, tt.msgPartial)
			}
			if diff := cmp.Diff(sentinel(), c, catalogOpts); diff != "" {
				t.Errorf("a refused UnmarshalJSON changed its target (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalogUnmarshalDeepNesting(t *testing.T) {
	doc := `{"currency": "GBP", "groups": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`
	c := sentinel()
	err := c.UnmarshalJSON([]byte(doc))
	var se *wire.SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "nesting") {
		t.Fatalf("UnmarshalJSON error = %v, want a *wire.SyntaxError about nesting", err)
	}
}

func TestCatalogUnmarshalNotAnObject(t *testing.T) {
	for _, doc := range []string{`[]`, `"GBP"`, `null`, `12`} {
		t.Run(doc, func(t *testing.T) {
			c := sentinel()
			err := c.UnmarshalJSON([]byte(doc))
			if diff := cmp.Diff([]pv{{"", ""}}, pathsAndValues(err)); diff != "" {
				t.Fatalf("UnmarshalJSON(%s) problems mismatch (-want +got):\n%s\nerror: %v", doc, diff, err)
			}
			if !strings.HasPrefix(err.Error(), "the document is ") || !strings.Contains(err.Error(), "want a catalog") {
				t.Errorf("error %q should say what the document is and that a catalog is wanted", err)
			}
			if diff := cmp.Diff(sentinel(), c, catalogOpts); diff != "" {
				t.Errorf("target changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEnrollmentJSONRoundTrip(t *testing.T) {
	in := plan.Enrollment{
		ID: "S1", Client: "C1", Start: date("2026-01-31"), Payment: plan.Advance, MultiPet: true,
		Patient: plan.Patient{ID: "P1", Species: "dog", WeightKg: nullDec("18.5"), ExpectedAdultWeightKg: nullDec("22"), BirthDate: date("2024-03-01")},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	const want = `{"id":"S1","client":"C1","patient":{"id":"P1","species":"dog","weightKg":"18.5","expectedAdultWeightKg":"22","birthDate":"2024-03-01"},"start":"2026-01-31","payment":"advance","multiPet":true}`
	if string(b) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", b, want)
	}
	var got plan.Enrollment
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if diff := cmp.Diff(in, got, catalogOpts); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s\nJSON: %s", diff, b)
	}
	// The smallest enrollment: its defaults are left out and read back.
	min := plan.Enrollment{ID: "S2", Start: date("2026-01-31")}
	b, _ = json.Marshal(min)
	if string(b) != `{"id":"S2","patient":{},"start":"2026-01-31","payment":"monthly"}` {
		t.Errorf("Marshal of the smallest enrollment: %s", b)
	}
	got = plan.Enrollment{}
	if err := json.Unmarshal(b, &got); err != nil || !cmp.Equal(min, got, catalogOpts) {
		t.Errorf("the smallest enrollment reads back as %+v (%v)", got, err)
	}
}

func TestTermsJSONRoundTrip(t *testing.T) {
	c := richCatalog()
	terms, err := c.Terms("dog-m")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(terms)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var got plan.Terms
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	type view struct {
		Currency string
		Minor    int32
		RuleIDs  []string
		Plan     plan.Plan
		Groups   []plan.Group
	}
	want := view{"KWD", 3, []string{"flea-a", "food", "3", "consult-0"}, terms.Plan(), c.Groups}
	gotView := view{got.Currency().Code(), got.Currency().MinorUnits(), got.RuleIDs(), got.Plan(), got.Groups()}
	if diff := cmp.Diff(want, gotView, catalogOpts); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s\nJSON: %s", diff, b)
	}
	if _, err := json.Marshal(&plan.Terms{}); !errors.Is(err, plan.ErrZeroTerms) {
		t.Errorf("Marshal of zero Terms error = %v, want ErrZeroTerms", err)
	}
}

func TestEnrollmentUnmarshalRefuses(t *testing.T) {
	b, err := json.Marshal(enrollment("2026-01-10"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	tests := []struct {
		name     string
		old, new string
		want     []pv
	}{
		{"impossible start", `"start":"2026-01-10"`, `"start":"2026-02-30"`, []pv{{"start", "2026-02-30"}}},
		{"missing start", `"start":"2026-01-10",`, ``, []pv{{"start", ""}}},
		{"missing id", `"id":"S1",`, ``, []pv{{"id", ""}}},
		{"unknown payment", `"payment":"monthly"`, `"payment":"cash"`, []pv{{"payment", "cash"}}},
		{"misspelt field", `"client":`, `"cleint":`, []pv{{"cleint", "cleint"}}},
		{"the patient's bounds", `"weightKg":"18"`, `"weightKg":"-1"`, []pv{{"patient.weightKg", "-1"}}},
		{"a typo in the patient", `"species":"dog"`, `"species":"dog","wieghtKg":"10"`, []pv{{"patient.wieghtKg", "wieghtKg"}}},
		{"every problem at once", `"start":"2026-01-10"`, `"start":"2026-02-30","multiPet":"yes"`, []pv{{"start", "2026-02-30"}, {"multiPet", "yes"}}},
		{"a bad field after the required ones", `"payment":"monthly"`, `"payment":"monthly","multiPet":"yes"`, []pv{{"multiPet", "yes"}}},
		{"an unknown interval", `"payment":"monthly"`, `"payment":"monthly","interval":"weekly"`, []pv{{"interval", "weekly"}}},
		{"a patient that is not an object", `"patient":{`, `"patient":7,"x":{`, []pv{{"x", "x"}, {"patient", "7"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := strings.Count(doc, tt.old); n != 1 {
				t.Fatalf("%q occurs %d times in %s", tt.old, n, doc)
			}
			got := plan.Enrollment{ID: "untouched"}
			err := got.UnmarshalJSON([]byte(strings.Replace(doc, tt.old, tt.new, 1)))
			if diff := cmp.Diff(tt.want, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if got.ID != "untouched" {
				t.Errorf("a refused UnmarshalJSON changed its target: %+v", got)
			}
		})
	}
}

// TestCatalogUnmarshalNonObjectElements gives an array element that is not
// an object where one is wanted. The one problem is that element; the
// decoder's placeholders for it must not be reported as problems of their
// own, with values ("?") the document never had.
func TestCatalogUnmarshalNonObjectElements(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []pv
	}{
		{"rule", `{"id": "flea-a", "group": "flea", "discountPercent": "100",`,
			`"flea-a", {"id": "flea-b", "group": "flea", "discountPercent": "100",`,
			[]pv{{"plans[0].rules[0]", "flea-a"}}},
		{"two items", `[{"code": "FOOD-1"}]`, `[{"code": "FOOD-1"}, 7, 8]`,
			[]pv{{"groups[1].items[1]", "7"}, {"groups[1].items[2]", "8"}}},
		{"group", `"groups": [`, `"groups": ["dental", `,
			[]pv{{"groups[0]", "dental"}}},
		{"plan", `"plans": [`, `"plans": [null, `,
			[]pv{{"plans[0]", "null"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sentinel()
			err := c.UnmarshalJSON(edit(t, tt.old, tt.new))
			got := pathsAndValues(err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if diff := cmp.Diff(sentinel(), c, catalogOpts); diff != "" {
				t.Errorf("target changed (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIntervalsDunningAndValuesJSON: the fields of installment intervals,
// dunning and item values read and write back, explicit zeros included,
// and their typos are refused with their paths.
func TestIntervalsDunningAndValuesJSON(t *testing.T) {
	const doc = `{"currency":"GBP","groups":[{"id":"exam","core":true,"items":[{"code":"EXAM","value":"30"},{"code":"X"}]}],` +
		`"plans":[{"id":"p","species":"dog","termMonths":12,"monthlyFee":"15","fees":{"4weeks":"13.85","quarter":"44","year":"165"},` +
		`"renewal":{"auto":false},"rounding":"halfUp","dunning":{"retryDays":[0,3,7],"pastDueAfterDays":0,"suspendAfterDays":30,"cancelAfterDays":60},` +
		`"settlement":{"method":"coreValue","basis":"value","cancellationFee":"0","waiveFor":[],"refundExcess":false,"coolingOffDays":0},` +
		`"rules":[{"id":"exam","group":"exam","discountPercent":"100","allowed":1,"startDay":0,"endDay":365,"viewOrder":0}]}]}`
	var c plan.Catalog
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	p := c.Plans[0]
	want := plan.Dunning{RetryDays: []int{0, 3, 7}, PastDueAfter: plan.After(0), SuspendAfter: plan.After(30), CancelAfter: plan.After(60)}
	if !cmp.Equal(want, p.Dunning) || !p.Fees.Quarter.Decimal.Equal(dec("44")) || p.Settlement.Basis != plan.ValueBasis ||
		!c.Groups[0].Items[0].Value.Valid || c.Groups[0].Items[1].Value.Valid {
		t.Errorf("decoded %+v, %+v, %+v", p.Dunning, p.Fees, c.Groups[0].Items)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != doc {
		t.Errorf("written back:\n got %s\nwant %s", b, doc)
	}
	for _, tt := range []struct{ old, new, path string }{
		{`"quarter":"44"`, `"qarter":"44"`, "plans[0].fees.qarter"},
		{`"suspendAfterDays":30`, `"suspendAfterDay":30`, "plans[0].dunning.suspendAfterDay"},
		{`"retryDays":[0,3,7]`, `"retryDays":[0,"3",7]`, "plans[0].dunning.retryDays[1]"},
		{`"value":"30"`, `"valeu":"30"`, "groups[0].items[0].valeu"},
		{`"basis":"value"`, `"basis":"worth"`, "plans[0].settlement.basis"},
	} {
		var c plan.Catalog
		err := json.Unmarshal([]byte(strings.Replace(doc, tt.old, tt.new, 1)), &c)
		if ps := plan.Problems(err); len(ps) != 1 || ps[0].Path != tt.path {
			t.Errorf("%s: %v; want one problem at %s", tt.new, err, tt.path)
		}
	}
	var in plan.Enrollment
	if err := json.Unmarshal([]byte(`{"id":"S","start":"2026-01-10","interval":"4weeks"}`), &in); err != nil || in.Interval != plan.FourWeeks {
		t.Errorf("an enrollment's interval: %v, %v", in.Interval, err)
	}
	if b, _ := json.Marshal(in); !strings.Contains(string(b), `"interval":"4weeks"`) {
		t.Errorf("an enrollment's interval is not written: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"id":"S","start":"2026-01-10","interval":"weekly"}`), &in); len(plan.Problems(err)) != 1 {
		t.Errorf("an unknown interval: %v", err)
	}
}

// TestDecodeReasons pins the whole text of the problems the decoder words
// itself (the rest come from package wire and from validation).
func TestDecodeReasons(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{`"termMonths": 12`, `"termMonths": 12, "rounding": "bankers"`,
			`plans[0].rounding: "bankers" is not valid; want halfUp or halfEven`},
		{`"method": "coreValue"`, `"method": "core"`,
			`plans[0].settlement.method: "core" is not valid; want coreValue, remainingPayments, lesserOf or none`},
		{`"termMonths": 12`, `"termMonths": 12, "availableTo": "2026-13-01"`,
			`plans[0].availableTo: "2026-13-01" is not a valid date; want YYYY-MM-DD, such as 2026-01-31`},
		{`"currency": "GBP"`, `"currency": "XYZ"`,
			`currency: "XYZ" is not a known currency; want one of AUD, BHD, CAD, CHF, DKK, EUR, GBP, ISK, JPY, KWD, NOK, NZD, OMR, SEK, USD`},
		{`"waiveFor": ["deceased"]`, `"waiveFor": [true]`,
			`plans[0].settlement.waiveFor[0]: "true" is a boolean; want a reason string such as deceased`},
		{fleaDiscount, `"discountPercent": "100", "discountAmount": "5", "allowed": 3,`,
			`plans[0].rules[0].discountPercent: is given with discountAmount; give exactly one of discountPercent and discountAmount`},
		{`"termMonths": 12`, `"termMonths": 12, "multiPetDiscount": {"percent": "5", "amount": "1"}`,
			`plans[0].multiPetDiscount.percent: is given with amount; give exactly one of percent and amount`},
		{`"allowed": 3,`, `"allowed": "many",`,
			`plans[0].rules[0].allowed: "many" is not a whole number or "unlimited"; want 1..1000000000 or "unlimited"`},
	}
	for _, tt := range tests {
		var c plan.Catalog
		err := c.UnmarshalJSON(edit(t, tt.old, tt.new))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.new, err, tt.want)
		}
	}
}

// TestCatalogUnmarshalPlaceholders: where an element cannot be read, the
// decoder keeps its place with a value that makes no problem of its own,
// neither at that element nor at the next.
func TestCatalogUnmarshalPlaceholders(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []pv
	}{
		{"a retry day", `"termMonths": 12`, `"termMonths": 12, "dunning": {"retryDays": [0, "x", 0]}`,
			[]pv{{"plans[0].dunning.retryDays[1]", "x"}}},
		{"a retry day out of bounds", `"termMonths": 12`, `"termMonths": 12, "dunning": {"retryDays": [3, 36601, 7, 5]}`,
			[]pv{{"plans[0].dunning.retryDays[1]", "36601"}, {"plans[0].dunning.retryDays[3]", "5"}}},
		{"an item", `[{"code": "FOOD-1"}]`, `[{"code": "FOOD-1"}, [], {"code": "FOOD-2", "units": 0}]`,
			[]pv{{"groups[1].items[1]", "[...]"}, {"groups[1].items[2].units", "0"}}},
		{"a group", `"groups": [`, `"groups": [7, `, []pv{{"groups[0]", "7"}}},
		{"a group before a bad one", `{"id": "food", "name": "Food", "core": false,`, `[7], {"id": "flea", "name": "Food", "core": false,`,
			[]pv{{"groups[1]", "[...]"}, {"groups[2].id", "flea"}, {"plans[0].rules[1].group", "food"}}},
		{"a rule before a bad one", `{"id": "food", "group": "food", "discountPercent": "10",`,
			`"food", {"id": "food", "group": "food", "discountPercent": "150",`,
			[]pv{{"plans[0].rules[1]", "food"}, {"plans[0].rules[2].discountPercent", "150"}}},
		{"an item before a bad one", `[{"code": "FOOD-1"}]`, `[7, {"code": "FOOD-1", "units": 0}, {"code": "FOOD-2", "value": "-1"}]`,
			[]pv{{"groups[1].items[0]", "7"}, {"groups[1].items[1].units", "0"}, {"groups[1].items[2].value", "-1"}}},
		{"a plan before a bad one", `"plans": [`, `"plans": [[], {"id": "cat", "species": "cat", "termMonths": 12, "monthlyFee": "-1"}, `,
			[]pv{{"plans[0]", "[...]"}, {"plans[1].monthlyFee", "-1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c plan.Catalog
			err := c.UnmarshalJSON(edit(t, tt.old, tt.new))
			if diff := cmp.Diff(tt.want, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

// The scenario's plan, alone.
const scenarioPlan = `{"id": "dog-m", "species": "dog", "termMonths": 12, "monthlyFee": "15.00",
  "rules": [{"id": "flea-a", "group": "flea", "discountPercent": "100", "allowed": 3, "endDay": 90}]}`

func TestPlanUnmarshal(t *testing.T) {
	var p plan.Plan
	if err := json.Unmarshal([]byte(scenarioPlan), &p); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	want := plan.Plan{ID: "dog-m", Species: "dog", TermMonths: 12, MonthlyFee: dec("15"),
		Rules: []plan.Rule{{ID: "flea-a", Group: "flea", Discount: plan.PercentOff(dec("100")), Allowed: plan.Allowed(3), EndDay: 90}}}
	if diff := cmp.Diff(want, p, catalogOpts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back plan.Plan
	if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(p, back, catalogOpts) {
		t.Errorf("the plan does not read back from %s: %v", b, err)
	}

	// Without the catalog a group is not checked, but it must be given;
	// every other problem is reported.
	tests := []struct {
		name     string
		old, new string
		want     []pv
	}{
		{"no group", `"group": "flea", `, ``, []pv{{"rules[0].group", ""}}},
		{"an empty group", `"group": "flea"`, `"group": ""`, []pv{{"rules[0].group", ""}}},
		{"a bound and a typo", `"termMonths": 12`, `"termMonths": 0, "graceDay": 3`, []pv{{"graceDay", "graceDay"}, {"termMonths", "0"}}},
		{"a rule of its own", `"endDay": 90`, `"endDay": 90, "startDay": 91`, []pv{{"rules[0].endDay", "90"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := strings.Count(scenarioPlan, tt.old); n != 1 {
				t.Fatalf("%q occurs %d times", tt.old, n)
			}
			got := plan.Plan{ID: "untouched"}
			err := got.UnmarshalJSON([]byte(strings.Replace(scenarioPlan, tt.old, tt.new, 1)))
			if diff := cmp.Diff(tt.want, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if got.ID != "untouched" {
				t.Errorf("a refused UnmarshalJSON changed its target: %+v", got)
			}
		})
	}
	if err := p.UnmarshalJSON([]byte(`[]`)); len(plan.Problems(err)) != 1 || p.ID != "dog-m" {
		t.Errorf("UnmarshalJSON([]) = %v, and the plan is %+v", err, p)
	}
}

func TestPatientJSON(t *testing.T) {
	in := plan.Patient{ID: "P1", Species: "dog", WeightKg: nullDec("18.5"), ExpectedAdultWeightKg: nullDec("22"), BirthDate: date("2024-03-01")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"P1","species":"dog","weightKg":"18.5","expectedAdultWeightKg":"22","birthDate":"2024-03-01"}`
	if string(b) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", b, want)
	}
	var got plan.Patient
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, got, catalogOpts); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if b, _ := json.Marshal(plan.Patient{}); string(b) != `{}` {
		t.Errorf("the empty patient writes as %s", b)
	}
	for doc, want := range map[string][]pv{
		`{"weightKg": "-1", "expectedAdultWeightKg": "1e12"}`: {{"weightKg", "-1"}, {"expectedAdultWeightKg", "1000000000000"}},
		`{"birthDate": "2024-02-30", "spieces": "dog"}`:       {{"spieces", "spieces"}, {"birthDate", "2024-02-30"}},
		`"P1"`: {{"", ""}},
	} {
		got := plan.Patient{ID: "untouched"}
		err := got.UnmarshalJSON([]byte(doc))
		if diff := cmp.Diff(want, pathsAndValues(err)); diff != "" {
			t.Errorf("%s: problems mismatch (-want +got):\n%s\nerror: %v", doc, diff, err)
		}
		if got.ID != "untouched" {
			t.Errorf("%s: a refused UnmarshalJSON changed its target: %+v", doc, got)
		}
	}
}

func TestTermsUnmarshalRefuses(t *testing.T) {
	const doc = `{"currency": "GBP", "groups": [{"id": "flea", "core": true, "items": [{"code": "FLEA-1"}]}], "plan": ` + scenarioPlan + `}`
	var ok plan.Terms
	if err := json.Unmarshal([]byte(doc), &ok); err != nil || ok.PlanID() != "dog-m" || ok.Currency().Code() != "GBP" {
		t.Fatalf("Unmarshal = %v; plan %q", err, ok.PlanID())
	}
	tests := []struct {
		name     string
		old, new string
		want     []pv
	}{
		{"no plan", `, "plan": ` + scenarioPlan, ``, []pv{{"plan", ""}}},
		{"a plan that is not an object", scenarioPlan, `"dog-m"`, []pv{{"plan", "dog-m"}}},
		{"unknown currency", `"currency": "GBP"`, `"currency": "GBQ"`, []pv{{"currency", "GBQ"}}},
		{"no currency", `"currency": "GBP", `, ``, []pv{{"currency", ""}}},
		{"a rule of an unknown group", `"group": "flea"`, `"group": "worm"`, []pv{{"plan.rules[0].group", "worm"}}},
		{"a typo", `"groups"`, `"grups"`, []pv{{"grups", "grups"}, {"plan.rules[0].group", "flea"}}},
		{"every problem at once", `"termMonths": 12`, `"termMonths": 0, "rounding": "up"`, []pv{{"plan.termMonths", "0"}, {"plan.rounding", "up"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := strings.Count(doc, tt.old); n != 1 {
				t.Fatalf("%q occurs %d times", tt.old, n)
			}
			got := ok
			err := got.UnmarshalJSON([]byte(strings.Replace(doc, tt.old, tt.new, 1)))
			if diff := cmp.Diff(tt.want, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if got.Digest() != ok.Digest() {
				t.Errorf("a refused UnmarshalJSON changed its target")
			}
		})
	}
}

// TestPlanMarshalLeavesOutWhatIsNotSet: the smallest plan writes only the
// fields every plan has.
func TestPlanMarshalLeavesOutWhatIsNotSet(t *testing.T) {
	p := plan.Plan{ID: "p", Species: "dog", TermMonths: 12, MonthlyFee: dec("15.00")}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"p","species":"dog","termMonths":12,"monthlyFee":"15","renewal":{"auto":false},"rounding":"halfUp",` +
		`"settlement":{"method":"coreValue","basis":"discount","cancellationFee":"0","waiveFor":[],"refundExcess":false,"coolingOffDays":0},"rules":[]}`
	if string(b) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", b, want)
	}
	p.MultiPetDiscount = plan.AmountOff(dec("2.50"))
	p.Rules = []plan.Rule{{Group: "flea", Discount: plan.AmountOff(dec("1.5")), Allowed: plan.Unlimited(), EndDay: 9}}
	p.Dunning.CancelAfter = plan.After(0)
	b, _ = json.Marshal(p)
	for _, part := range []string{`"multiPetDiscount":{"amount":"2.5"}`, `"rules":[{"group":"flea","discountAmount":"1.5","allowed":"unlimited","startDay":0,"endDay":9,"viewOrder":0}]`,
		`"dunning":{"cancelAfterDays":0}`} {
		if !strings.Contains(string(b), part) {
			t.Errorf("%s does not hold %s", b, part)
		}
	}
	// A dunning policy is written when any one of its parts is set.
	for _, tt := range []struct {
		d    plan.Dunning
		want string
	}{
		{plan.Dunning{RetryDays: []int{3}}, `"dunning":{"retryDays":[3]}`},
		{plan.Dunning{PastDueAfter: plan.After(5)}, `"dunning":{"pastDueAfterDays":5}`},
		{plan.Dunning{SuspendAfter: plan.After(6)}, `"dunning":{"suspendAfterDays":6}`},
	} {
		p.Dunning = tt.d
		if b, _ := json.Marshal(p); !strings.Contains(string(b), tt.want) {
			t.Errorf("%s does not hold %s", b, tt.want)
		}
	}
}
