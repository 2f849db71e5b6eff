package allowance_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

// TestRules pins each rule of applying rules to a visit: every case
// commits its visits in order and checks every line of each. A case named
// "...breaks" is the input that would come out differently if the rule
// were implemented the obvious wrong way.
func TestRules(t *testing.T) {
	type step struct {
		v    allowance.Visit
		want []got
	}
	const (
		covered = allowance.Covered
		usedUp  = allowance.UsedUp
		noRule  = allowance.NoRule
	)
	flea100 := func(allowed int64, from, to, view int) plan.Rule {
		return rule("", "flea", pct("100"), allowed, from, to, view)
	}
	cases := []struct {
		name  string
		rules []plan.Rule
		edit  func(*plan.Plan)
		steps []step
	}{
		{
			name:  "window includes its first and last day",
			rules: []plan.Rule{flea100(-1, 10, 20, 1)},
			steps: []step{
				{visit("I9", 9, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "0.00", "10.00", nil, noRule}}},
				{visit("I10", 10, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "10.00", "0.00", []string{"1:1:10.00"}, covered}}},
				{visit("I20", 20, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "10.00", "0.00", []string{"1:1:10.00"}, covered}}},
				{visit("I21", 21, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "0.00", "10.00", nil, noRule}}},
			},
		},
		{
			name: "lowest view order first, whatever the plan order",
			rules: []plan.Rule{
				rule("late", "flea", pct("50"), 3, 0, 100, 2),
				rule("early", "flea", pct("100"), 3, 0, 100, 1),
			},
			steps: []step{{visit("I", 5, line("L", "FLEA-1", "4", "10")),
				[]got{{"40.00", "35.00", "5.00", []string{"early:3:30.00", "late:1:5.00"}, covered}}}},
		},
		{
			name: "equal view orders go in plan order",
			rules: []plan.Rule{
				rule("first", "flea", pct("50"), 1, 0, 100, 1),
				rule("second", "flea", pct("100"), 1, 0, 100, 1),
			},
			steps: []step{{visit("I", 5, line("L", "FLEA-1", "1", "10")),
				[]got{{"10.00", "5.00", "5.00", []string{"first:1:5.00"}, covered}}}},
		},
		{
			name:  "seeds' flea crossover: greedy split across rules, then the rest at full price",
			rules: []plan.Rule{rule("A", "flea", pct("100"), 3, 0, 90, 1), rule("B", "flea", pct("100"), 3, 80, 120, 2)},
			steps: []step{
				{visit("I85", 85, line("L", "FLEA-1", "4", "23.49")),
					[]got{{"93.96", "93.96", "0.00", []string{"A:3:70.47", "B:1:23.49"}, covered}}},
				{visit("I100", 100, line("L", "FLEA-1", "3", "23.49")),
					[]got{{"70.47", "46.98", "23.49", []string{"B:2:46.98"}, usedUp}}},
			},
		},
		{
			name:  "a rule outside its window is skipped, not used up",
			rules: []plan.Rule{rule("A", "flea", pct("100"), 3, 0, 90, 1), rule("B", "flea", pct("100"), 3, 80, 120, 2)},
			steps: []step{{visit("I95", 95, line("L", "FLEA-1", "1", "10")),
				[]got{{"10.00", "10.00", "0.00", []string{"B:1:10.00"}, covered}}}},
		},
		{
			name:  "lines of one visit consume in order",
			rules: []plan.Rule{flea100(2, 0, 100, 1)},
			steps: []step{{visit("I", 5, line("L1", "FLEA-1", "1", "10"), line("L2", "FLEA-1", "2", "20")),
				[]got{
					{"10.00", "10.00", "0.00", []string{"1:1:10.00"}, covered},
					{"40.00", "20.00", "20.00", []string{"1:1:20.00"}, usedUp},
				}}},
		},
		{
			name:  "a pack counts as its units",
			rules: []plan.Rule{flea100(3, 0, 100, 1)},
			steps: []step{
				{visit("I1", 5, line("L", "FLEA-3PK", "1", "60")), []got{{"60.00", "60.00", "0.00", []string{"1:3:60.00"}, covered}}},
				{visit("I2", 6, line("L", "FLEA-1", "1", "23")), []got{{"23.00", "0.00", "23.00", nil, usedUp}}},
			},
		},
		{
			name:  "a pack partly covered: the unit price is the pack's price over its units",
			rules: []plan.Rule{flea100(2, 0, 100, 1)},
			steps: []step{{visit("I", 5, line("L", "FLEA-3PK", "1", "60")),
				[]got{{"60.00", "40.00", "20.00", []string{"1:2:40.00"}, usedUp}}}},
		},
		{
			name:  "fractional quantities use fractional units",
			rules: []plan.Rule{rule("food", "food", pct("100"), 1, 0, 100, 1)},
			steps: []step{
				{visit("I1", 5, line("L", "FOOD", "0.5", "30")), []got{{"15.00", "15.00", "0.00", []string{"food:0.5:15.00"}, covered}}},
				{visit("I2", 6, line("L", "FOOD", "0.75", "30")), []got{{"22.50", "15.00", "7.50", []string{"food:0.5:15.00"}, usedUp}}},
			},
		},
		{
			name:  "percent discount is a share of the price",
			rules: []plan.Rule{rule("c", "consult", pct("50"), -1, 0, 365, 1)},
			steps: []step{{visit("I", 5, line("L", "CONSULT", "2", "45.99")),
				[]got{{"91.98", "45.99", "45.99", []string{"c:2:45.99"}, covered}}}},
		},
		{
			name:  "amount off per unit",
			rules: []plan.Rule{rule("c", "consult", off("3.50"), -1, 0, 365, 1)},
			steps: []step{{visit("I", 5, line("L", "CONSULT", "2", "20")),
				[]got{{"40.00", "7.00", "33.00", []string{"c:2:7.00"}, covered}}}},
		},
		{
			name:  "amount off never more than the unit's price",
			rules: []plan.Rule{rule("c", "consult", off("25"), -1, 0, 365, 1)},
			steps: []step{{visit("I", 5, line("L", "CONSULT", "3", "20")),
				[]got{{"60.00", "60.00", "0.00", []string{"c:3:60.00"}, covered}}}},
		},
		{
			name:  "amount off a pack is per unit, capped at the pack price over its units",
			rules: []plan.Rule{rule("f", "flea", off("15"), -1, 0, 365, 1)},
			steps: []step{{visit("I", 5, line("L", "FLEA-3PK", "1", "36")),
				[]got{{"36.00", "36.00", "0.00", []string{"f:3:36.00"}, covered}}}},
		},
		{
			name: "prefix rounding: splits add up to the line, not to the sum of rounded splits (breaks)",
			rules: []plan.Rule{
				rule("a", "flea", pct("100"), 1, 0, 100, 1),
				rule("b", "flea", pct("100"), 1, 0, 100, 2),
				rule("c", "flea", pct("100"), 1, 0, 100, 3),
			},
			steps: []step{{visit("I", 5, line("L", "FLEA-3PK", "1", "10")),
				[]got{{"10.00", "10.00", "0.00", []string{"a:1:3.33", "b:1:3.34", "c:1:3.33"}, covered}}}},
		},
		{
			name:  "the line's discount is the rounded exact sum (breaks per-split rounding)",
			rules: []plan.Rule{rule("a", "food", pct("12.5"), 1, 0, 100, 1), rule("b", "food", pct("12.5"), 1, 0, 100, 2)},
			steps: []step{{visit("I", 5, line("L", "FOOD", "2", "0.10")),
				// each split is worth 0.0125; 0.01 + 0.01 would be 0.02
				[]got{{"0.20", "0.03", "0.17", []string{"a:1:0.01", "b:1:0.02"}, covered}}}},
		},
		{
			name:  "the gross is rounded from qty × unit price",
			rules: []plan.Rule{rule("f", "food", pct("10"), -1, 0, 100, 1)},
			steps: []step{{visit("I", 5, line("L", "FOOD", "1.5", "0.335")),
				// 0.5025 → 0.50; 10% of it is 0.05025 → 0.05
				[]got{{"0.50", "0.05", "0.45", []string{"f:1.5:0.05"}, covered}}}},
		},
		{
			name:  "half-even rounding when the plan says so",
			rules: []plan.Rule{rule("f", "food", pct("50"), -1, 0, 100, 1)},
			edit:  func(p *plan.Plan) { p.Rounding = plan.HalfEven },
			steps: []step{{visit("I", 5, line("L", "FOOD", "1", "0.25")),
				// half of 0.25 is 0.125: 0.12 half-even, 0.13 half-up
				[]got{{"0.25", "0.12", "0.13", []string{"f:1:0.12"}, covered}}}},
		},
		{
			name:  "half-up is the default",
			rules: []plan.Rule{rule("f", "food", pct("50"), -1, 0, 100, 1)},
			steps: []step{{visit("I", 5, line("L", "FOOD", "1", "0.25")),
				[]got{{"0.25", "0.13", "0.12", []string{"f:1:0.13"}, covered}}}},
		},
		{
			name:  "a 0% rule covers its units: the line is covered, with no discount",
			rules: []plan.Rule{rule("z", "food", pct("0"), 1, 0, 100, 1)},
			steps: []step{{visit("I", 5, line("L", "FOOD", "1", "9")),
				[]got{{"9.00", "0.00", "9.00", []string{"z:1:0.00"}, covered}}}},
		},
		{
			name: "seeds' consultations: the first free, then 50% off",
			rules: []plan.Rule{
				rule("free", "consult", pct("100"), 1, 0, 365, 1),
				rule("half", "consult", pct("50"), 999, 0, 365, 2),
			},
			steps: []step{
				{visit("I1", 10, line("L", "CONSULT", "1", "45")), []got{{"45.00", "45.00", "0.00", []string{"free:1:45.00"}, covered}}},
				{visit("I2", 40, line("L", "CONSULT", "1", "45")), []got{{"45.00", "22.50", "22.50", []string{"half:1:22.50"}, covered}}},
			},
		},
		{
			name: "seeds' food: 50% off the first bag, then 10% off",
			rules: []plan.Rule{
				rule("first-bag", "food", pct("50"), 1, 0, 365, 1),
				rule("ongoing", "food", pct("10"), -1, 0, 365, 2),
			},
			steps: []step{
				{visit("I1", 3, line("L", "FOOD", "2", "40")),
					[]got{{"80.00", "24.00", "56.00", []string{"first-bag:1:20.00", "ongoing:1:4.00"}, covered}}},
				{visit("I2", 33, line("L", "FOOD", "1", "40")), []got{{"40.00", "4.00", "36.00", []string{"ongoing:1:4.00"}, covered}}},
			},
		},
		{
			name:  "grace days keep a window that runs past the term usable",
			rules: []plan.Rule{flea100(-1, 0, 400, 1)},
			edit:  func(p *plan.Plan) { p.GraceDays = 10 },
			steps: []step{
				// the term is 2026-01-10..2027-01-09 (day 364); grace runs to day 374
				{visit("Igrace", 374, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "10.00", "0.00", []string{"1:1:10.00"}, covered}}},
				{visit("Iafter", 375, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "0.00", "10.00", nil, allowance.AfterTerm}}},
			},
		},
		{
			name:  "without grace days the day after the term is not covered",
			rules: []plan.Rule{flea100(-1, 0, 400, 1)},
			steps: []step{
				{visit("Ilast", 364, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "10.00", "0.00", []string{"1:1:10.00"}, covered}}},
				{visit("Iafter", 365, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "0.00", "10.00", nil, allowance.AfterTerm}}},
			},
		},
		{
			name:  "grace days do not stretch a window",
			rules: []plan.Rule{flea100(-1, 0, 364, 1)},
			edit:  func(p *plan.Plan) { p.GraceDays = 10 },
			steps: []step{{visit("I", 366, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "0.00", "10.00", nil, noRule}}}},
		},
		{
			name:  "before the start",
			rules: []plan.Rule{flea100(-1, 0, 100, 1)},
			steps: []step{{visit("I", -1, line("L", "FLEA-1", "1", "10")), []got{{"10.00", "0.00", "10.00", nil, allowance.BeforeStart}}}},
		},
		{
			name:  "an item in no group",
			rules: []plan.Rule{flea100(-1, 0, 100, 1)},
			steps: []step{{visit("I", 5, line("L", "XRAY", "1", "120")), []got{{"120.00", "0.00", "120.00", nil, allowance.NoGroup}}}},
		},
		{
			name:  "a group with no rule in the plan",
			rules: []plan.Rule{flea100(-1, 0, 100, 1)},
			steps: []step{{visit("I", 5, line("L", "FOOD", "1", "12")), []got{{"12.00", "0.00", "12.00", nil, noRule}}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var edits []func(*plan.Plan)
			if c.edit != nil {
				edits = append(edits, c.edit)
			}
			sub := subscribe(t, c.rules, edits...)
			var l allowance.Ledger
			for _, s := range c.steps {
				quoted, err := l.Quote(sub, s.v)
				if err != nil {
					t.Fatal(err)
				}
				res := commit(t, &l, sub, s.v)
				if diff := resultDiff(quoted, res); diff != "" {
					t.Errorf("%s: quote and commit differ (-quote +commit):\n%s", s.v.Invoice, diff)
				}
				var gotLines []got
				for _, lr := range res.Lines {
					gotLines = append(gotLines, summary(lr))
					if !lr.Gross.Equal(lr.Discount.Add(lr.Net)) || lr.Discount.IsNegative() || lr.Discount.GreaterThan(lr.Gross) {
						t.Errorf("%s/%s: gross %s, discount %s, net %s break gross = discount + net, 0 <= discount <= gross", s.v.Invoice, lr.ID, lr.Gross, lr.Discount, lr.Net)
					}
				}
				if diff := cmp.Diff(s.want, gotLines); diff != "" {
					t.Errorf("%s (-want +got):\n%s", s.v.Invoice, diff)
				}
			}
		})
	}
}
