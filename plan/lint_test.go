package plan_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/plan"
)

// lintRule is a rule of a lint case, written as JSON; the zero values of
// its fields are the usual ones (flea, 100%, 3 allowed).
type lintRule struct {
	id, group, discount, allowed string
	start, end, viewOrder        int
}

func (r lintRule) json() string {
	group, discount, allowed := r.group, r.discount, r.allowed
	if group == "" {
		group = "flea"
	}
	if discount == "" {
		discount = `"discountPercent": "100"`
	}
	if allowed == "" {
		allowed = "3"
	}
	return fmt.Sprintf(`{"id": %q, "group": %q, %s, "allowed": %s, "startDay": %d, "endDay": %d, "viewOrder": %d}`,
		r.id, group, discount, allowed, r.start, r.end, r.viewOrder)
}

const (
	fleaGroup    = `{"id": "flea", "name": "Flea treatment", "core": true, "items": [{"code": "FLEA-1"}]}`
	consultGroup = `{"id": "consult", "name": "Consultations", "core": true, "items": [{"code": "CONSULT"}]}`
	foodGroup    = `{"id": "food", "name": "Pet food", "items": [{"code": "FOOD-1"}]}`
)

// lintTerms decodes terms of a 12-month plan (unless extra says otherwise)
// over the given groups (flea alone when none are given).
func lintTerms(t *testing.T, groups []string, extra string, rules []lintRule) *plan.Terms {
	t.Helper()
	if len(groups) == 0 {
		groups = []string{fleaGroup}
	}
	rs := make([]string, len(rules))
	for i, r := range rules {
		rs[i] = r.json()
	}
	if extra == "" {
		extra = `"termMonths": 12`
	}
	doc := fmt.Sprintf(`{"currency": "GBP", "groups": [%s], "plan": {"id": "p", "species": "dog", "monthlyFee": "10", %s, "rules": [%s]}}`,
		strings.Join(groups, ", "), extra, strings.Join(rs, ", "))
	var terms plan.Terms
	if err := json.Unmarshal([]byte(doc), &terms); err != nil {
		t.Fatalf("decoding %s: %v", doc, err)
	}
	return &terms
}

func TestLint(t *testing.T) {
	unlimited := `"unlimited"`
	tests := []struct {
		name   string
		groups []string
		extra  string
		rules  []lintRule
		want   []plan.Warning
	}{
		// windowGap
		{
			name:  "a gap of one day between two windows",
			rules: []lintRule{{id: "A", end: 90, viewOrder: 1}, {id: "B", start: 92, end: 120, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1].startDay", Code: plan.LintWindowGap,
				Message: "Rule B starts on day 92, 2 days after rule A ends on day 90: a pet seen on day 91 gets no discount on Flea treatment."}},
		},
		{
			name:  "windows that touch leave no gap",
			rules: []lintRule{{id: "A", end: 90, viewOrder: 1}, {id: "B", start: 91, end: 120, viewOrder: 2}},
		},
		{
			name:  "a longer gap, the later window first in the plan",
			rules: []lintRule{{id: "B", start: 100, end: 120, viewOrder: 2}, {id: "A", end: 90, viewOrder: 1}},
			want: []plan.Warning{{Path: "plan.rules[0].startDay", Code: plan.LintWindowGap,
				Message: "Rule B starts on day 100, 10 days after rule A ends on day 90: a pet seen on days 91 to 99 gets no discount on Flea treatment."}},
		},
		{
			name: "a gap is measured from the window that ends last",
			rules: []lintRule{{id: "A", end: 200, viewOrder: 1}, {id: "B", start: 10, end: 50, viewOrder: 2},
				{id: "C", start: 202, end: 300, viewOrder: 3}},
			want: []plan.Warning{{Path: "plan.rules[2].startDay", Code: plan.LintWindowGap,
				Message: "Rule C starts on day 202, 2 days after rule A ends on day 200: a pet seen on day 201 gets no discount on Flea treatment."}},
		},
		{
			name:   "windows of different groups make no gap",
			rules:  []lintRule{{id: "A", end: 90}, {id: "F", group: "food", start: 200, end: 300}},
			groups: []string{fleaGroup, foodGroup},
		},
		{
			name:  "a window no subscription reaches is not part of a gap",
			rules: []lintRule{{id: "A", end: 90, viewOrder: 1}, {id: "B", start: 400, end: 500, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1].startDay", Code: plan.LintWindowStartsAfterTerm,
				Message: "Rule B starts on day 400, but a subscription covers day 365 at most, so it never applies."}},
		},

		// viewOrderTie
		{
			name:  "overlapping windows at the same view order",
			rules: []lintRule{{id: "A", end: 90, viewOrder: 1}, {id: "B", start: 80, end: 120, viewOrder: 1}},
			want: []plan.Warning{{Path: "plan.rules[1].viewOrder", Code: plan.LintViewOrderTie,
				Message: "Rules A and B both discount Flea treatment at view order 1 on days 80 to 90: there the plan's order decides, and rule A is used first."}},
		},
		{
			name:  "touching windows at the same view order do not tie",
			rules: []lintRule{{id: "A", end: 90, viewOrder: 1}, {id: "B", start: 91, end: 120, viewOrder: 1}},
		},
		{
			name:  "the seeds' flea crossover: overlapping at different view orders",
			rules: []lintRule{{id: "A", end: 90, viewOrder: 1}, {id: "B", start: 80, end: 120, viewOrder: 2}},
		},
		{
			name: "each rule ties once, with the first earlier rule",
			rules: []lintRule{{id: "A", end: 90}, {id: "B", start: 90, end: 90},
				{id: "C", start: 50, end: 100}},
			want: []plan.Warning{
				{Path: "plan.rules[1].viewOrder", Code: plan.LintViewOrderTie,
					Message: "Rules A and B both discount Flea treatment at view order 0 on day 90: there the plan's order decides, and rule A is used first."},
				{Path: "plan.rules[2].viewOrder", Code: plan.LintViewOrderTie,
					Message: "Rules A and C both discount Flea treatment at view order 0 on days 50 to 90: there the plan's order decides, and rule A is used first."},
			},
		},
		{
			name:  "a tie only on days no subscription reaches",
			rules: []lintRule{{id: "A", end: 365}, {id: "B", start: 370, end: 380}},
			want: []plan.Warning{{Path: "plan.rules[1].startDay", Code: plan.LintWindowStartsAfterTerm,
				Message: "Rule B starts on day 370, but a subscription covers day 365 at most, so it never applies."}},
		},

		// windowStartsAfterTerm and windowEndsAfterTerm
		{
			name:  "a window that starts after the longest term",
			rules: []lintRule{{id: "A", end: 365, viewOrder: 1}, {id: "B", start: 366, end: 400, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1].startDay", Code: plan.LintWindowStartsAfterTerm,
				Message: "Rule B starts on day 366, but a subscription covers day 365 at most, so it never applies."}},
		},
		{
			name:  "a window that starts on the longest term's last day",
			rules: []lintRule{{id: "A", end: 365, viewOrder: 1}, {id: "B", start: 365, end: 400, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1].endDay", Code: plan.LintWindowEndsAfterTerm,
				Message: "Rule B ends on day 400, but a subscription covers day 365 at most, so no client reaches days 366 to 400 of its window."}},
		},
		{
			name:  "a window that starts after the grace days",
			extra: `"termMonths": 12, "graceDays": 10`,
			rules: []lintRule{{id: "A", end: 365, viewOrder: 1}, {id: "B", start: 376, end: 400, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1].startDay", Code: plan.LintWindowStartsAfterTerm,
				Message: "Rule B starts on day 376, but a subscription covers day 375 at most, grace included, so it never applies."}},
		},
		{
			name:  "a window that starts on the last grace day",
			extra: `"termMonths": 12, "graceDays": 10`,
			rules: []lintRule{{id: "A", end: 365, viewOrder: 1}, {id: "B", start: 375, end: 375, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1].startDay", Code: plan.LintWindowGap,
				Message: "Rule B starts on day 375, 10 days after rule A ends on day 365: a pet seen on days 366 to 374 gets no discount on Flea treatment."}},
		},
		{
			name:  "a window that ends a day after the longest term",
			rules: []lintRule{{id: "A", end: 366}},
			want: []plan.Warning{{Path: "plan.rules[0].endDay", Code: plan.LintWindowEndsAfterTerm,
				Message: "Rule A ends on day 366, but a subscription covers day 365 at most, so no client reaches day 366 of its window."}},
		},
		{
			name:  "a window that ends on the longest term's last day",
			rules: []lintRule{{id: "A", end: 365}},
		},
		{
			name:  "a window that ends in the grace days",
			extra: `"termMonths": 12, "graceDays": 1`,
			rules: []lintRule{{id: "A", end: 366}},
		},
		{
			name:  "a one-month term is 31 days at most",
			extra: `"termMonths": 1`,
			rules: []lintRule{{id: "A", end: 30, viewOrder: 1}, {id: "B", start: 30, end: 31, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1].endDay", Code: plan.LintWindowEndsAfterTerm,
				Message: "Rule B ends on day 31, but a subscription covers day 30 at most, so no client reaches day 31 of its window."}},
		},

		// shadowedRule
		{
			name:   "an unlimited rule first hides a later one",
			groups: []string{foodGroup},
			rules: []lintRule{
				{id: "food-ongoing", group: "food", discount: `"discountPercent": "10"`, allowed: unlimited, end: 365, viewOrder: 1},
				{id: "food-first", group: "food", discount: `"discountPercent": "50"`, allowed: "1", end: 365, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1]", Code: plan.LintShadowedRule,
				Message: "Rule food-first never applies: rule food-ongoing comes first (view order 1 before 2) and is unlimited on every day of its window, days 0 to 365."}},
		},
		{
			name:   "the seeds' food: the limited rule first, then the unlimited",
			groups: []string{foodGroup},
			rules: []lintRule{
				{id: "food-first", group: "food", discount: `"discountPercent": "50"`, allowed: "1", end: 365, viewOrder: 1},
				{id: "food-ongoing", group: "food", discount: `"discountPercent": "10"`, allowed: unlimited, end: 365, viewOrder: 2}},
		},
		{
			name:   "an unlimited rule that does not cover the whole window",
			groups: []string{foodGroup},
			rules: []lintRule{
				{id: "A", group: "food", allowed: unlimited, start: 1, end: 365, viewOrder: 1},
				{id: "B", group: "food", end: 365, viewOrder: 2}},
		},
		{
			name:   "a limited rule first hides nothing",
			groups: []string{foodGroup},
			rules: []lintRule{
				{id: "A", group: "food", allowed: "999", end: 365, viewOrder: 1},
				{id: "B", group: "food", end: 100, viewOrder: 2}},
		},
		{
			name:   "the same view order, the unlimited rule earlier in the plan",
			groups: []string{foodGroup},
			rules: []lintRule{
				{id: "A", group: "food", allowed: unlimited, end: 365, viewOrder: 1},
				{id: "B", group: "food", start: 10, end: 20, viewOrder: 1}},
			want: []plan.Warning{
				{Path: "plan.rules[1]", Code: plan.LintShadowedRule,
					Message: "Rule B never applies: rule A comes first (the same view order, earlier in the plan) and is unlimited on every day of its window, days 10 to 20."},
				{Path: "plan.rules[1].viewOrder", Code: plan.LintViewOrderTie,
					Message: "Rules A and B both discount Pet food at view order 1 on days 10 to 20: there the plan's order decides, and rule A is used first."},
			},
		},
		{
			name:   "the rule that shadows is the first of those that could",
			groups: []string{foodGroup},
			rules: []lintRule{
				{id: "C", group: "food", start: 10, end: 20, viewOrder: 3},
				{id: "B", group: "food", allowed: unlimited, end: 365, viewOrder: 2},
				{id: "A", group: "food", allowed: unlimited, end: 365, viewOrder: 1}},
			want: []plan.Warning{
				{Path: "plan.rules[0]", Code: plan.LintShadowedRule,
					Message: "Rule C never applies: rule A comes first (view order 1 before 3) and is unlimited on every day of its window, days 10 to 20."},
				{Path: "plan.rules[1]", Code: plan.LintShadowedRule,
					Message: "Rule B never applies: rule A comes first (view order 1 before 2) and is unlimited on every day of its window, days 0 to 365."},
			},
		},
		{
			name:   "the same view order, the unlimited rule later in the plan",
			groups: []string{foodGroup},
			rules: []lintRule{
				{id: "A", group: "food", start: 10, end: 20, viewOrder: 1},
				{id: "B", group: "food", allowed: unlimited, end: 365, viewOrder: 1}},
			want: []plan.Warning{{Path: "plan.rules[1].viewOrder", Code: plan.LintViewOrderTie,
				Message: "Rules A and B both discount Pet food at view order 1 on days 10 to 20: there the plan's order decides, and rule A is used first."}},
		},
		{
			name:   "shadowing is judged on the days a subscription covers",
			groups: []string{foodGroup},
			rules: []lintRule{
				{id: "A", group: "food", allowed: unlimited, end: 365, viewOrder: 1},
				{id: "B", group: "food", end: 400, viewOrder: 2}},
			want: []plan.Warning{
				{Path: "plan.rules[1]", Code: plan.LintShadowedRule,
					Message: "Rule B never applies: rule A comes first (view order 1 before 2) and is unlimited on every day of its window, days 0 to 365."},
				{Path: "plan.rules[1].endDay", Code: plan.LintWindowEndsAfterTerm,
					Message: "Rule B ends on day 400, but a subscription covers day 365 at most, so no client reaches days 366 to 400 of its window."},
			},
		},

		// unlimitedCoreRule
		{
			name:   "an unlimited rule on a core group",
			groups: []string{consultGroup},
			rules: []lintRule{
				{id: "consult-free", group: "consult", allowed: "1", end: 365, viewOrder: 1},
				{id: "consult-half", group: "consult", discount: `"discountPercent": "50"`, allowed: unlimited, end: 365, viewOrder: 2}},
			want: []plan.Warning{{Path: "plan.rules[1].allowed", Code: plan.LintUnlimitedCoreRule,
				Message: "Rule consult-half gives unlimited Consultations, a core group: what a client can take before they stop paying has no limit."}},
		},
		{
			name:   "the seeds' consultations: 999 allowed is a bound",
			groups: []string{consultGroup},
			rules: []lintRule{
				{id: "consult-free", group: "consult", allowed: "1", end: 365, viewOrder: 1},
				{id: "consult-half", group: "consult", discount: `"discountPercent": "50"`, allowed: "999", end: 365, viewOrder: 2}},
		},
		{
			name:   "an unlimited rule on a group that is not core",
			groups: []string{foodGroup},
			rules:  []lintRule{{id: "A", group: "food", allowed: unlimited, end: 365}},
		},
		{
			name:   "an unlimited core rule that is shadowed is not reported as unlimited",
			groups: []string{consultGroup},
			rules: []lintRule{
				{id: "A", group: "consult", allowed: unlimited, end: 365, viewOrder: 1},
				{id: "B", group: "consult", allowed: unlimited, end: 365, viewOrder: 2}},
			want: []plan.Warning{
				{Path: "plan.rules[0].allowed", Code: plan.LintUnlimitedCoreRule,
					Message: "Rule A gives unlimited Consultations, a core group: what a client can take before they stop paying has no limit."},
				{Path: "plan.rules[1]", Code: plan.LintShadowedRule,
					Message: "Rule B never applies: rule A comes first (view order 1 before 2) and is unlimited on every day of its window, days 0 to 365."},
			},
		},
		{
			name:  "an unlimited core rule no subscription reaches is not reported as unlimited",
			rules: []lintRule{{id: "A", end: 365}, {id: "B", allowed: unlimited, start: 366, end: 400}},
			want: []plan.Warning{{Path: "plan.rules[1].startDay", Code: plan.LintWindowStartsAfterTerm,
				Message: "Rule B starts on day 366, but a subscription covers day 365 at most, so it never applies."}},
		},

		// zeroDiscount
		{
			name:  "a 0% rule",
			rules: []lintRule{{id: "A", discount: `"discountPercent": "0"`, end: 365}},
			want: []plan.Warning{{Path: "plan.rules[0].discountPercent", Code: plan.LintZeroDiscount,
				Message: "Rule A takes 0% off Flea treatment: the units it covers are used up undiscounted, and no later rule discounts them."}},
		},
		{
			name:  "a rule with an amount of 0",
			rules: []lintRule{{id: "A", discount: `"discountAmount": "0.00"`, end: 365}},
			want: []plan.Warning{{Path: "plan.rules[0].discountAmount", Code: plan.LintZeroDiscount,
				Message: "Rule A takes an amount of 0 off Flea treatment: the units it covers are used up undiscounted, and no later rule discounts them."}},
		},
		{
			name:  "the smallest percentage",
			rules: []lintRule{{id: "A", discount: `"discountPercent": "0.000001"`, end: 365}},
		},
		{
			name:  "the smallest amount",
			rules: []lintRule{{id: "A", discount: `"discountAmount": "0.01"`, end: 365}},
		},

		// groupWithoutRule and groupWithoutItems
		{
			name:   "a group with items and no rule",
			groups: []string{fleaGroup, foodGroup, `{"id": "dental", "items": [{"code": "DENT-1"}]}`},
			rules:  []lintRule{{id: "A", end: 365}},
			want: []plan.Warning{
				{Path: "groups[1]", Code: plan.LintGroupWithoutRule,
					Message: "Pet food has items but no rule in this plan, so they are never discounted."},
				{Path: "groups[2]", Code: plan.LintGroupWithoutRule,
					Message: "dental has items but no rule in this plan, so they are never discounted."},
			},
		},
		{
			name:   "a group with neither items nor rules",
			groups: []string{fleaGroup, `{"id": "dental", "items": []}`},
			rules:  []lintRule{{id: "A", end: 365}},
		},
		{
			name:   "a rule on a group with no items",
			groups: []string{fleaGroup, `{"id": "dental", "name": "Dental", "items": []}`},
			rules:  []lintRule{{id: "A", end: 365}, {id: "D", group: "dental", end: 365}},
			want: []plan.Warning{{Path: "plan.rules[1].group", Code: plan.LintGroupWithoutItems,
				Message: "Rule D discounts Dental, which has no items, so it never applies."}},
		},
		{
			name:   "a rule on a group with one item",
			groups: []string{fleaGroup, `{"id": "dental", "name": "Dental", "items": [{"code": "DENT-1"}]}`},
			rules:  []lintRule{{id: "A", end: 365}, {id: "D", group: "dental", end: 365}},
		},
		{
			name:   "one rule, several warnings, in the order of its fields",
			groups: []string{`{"id": "vacc", "name": "Vaccinations", "core": true, "items": []}`},
			rules:  []lintRule{{id: "V", group: "vacc", discount: `"discountPercent": "0"`, allowed: unlimited, end: 400}},
			want: []plan.Warning{
				{Path: "plan.rules[0].group", Code: plan.LintGroupWithoutItems,
					Message: "Rule V discounts Vaccinations, which has no items, so it never applies."},
				{Path: "plan.rules[0].discountPercent", Code: plan.LintZeroDiscount,
					Message: "Rule V takes 0% off Vaccinations: the units it covers are used up undiscounted, and no later rule discounts them."},
				{Path: "plan.rules[0].endDay", Code: plan.LintWindowEndsAfterTerm,
					Message: "Rule V ends on day 400, but a subscription covers day 365 at most, so no client reaches days 366 to 400 of its window."},
			},
		},

		// graceGrantsNothing
		{
			name:  "grace days while every window ends within the shortest term",
			extra: `"termMonths": 12, "graceDays": 10`,
			rules: []lintRule{{id: "A", end: 364}},
			want: []plan.Warning{{Path: "plan.graceDays", Code: plan.LintGraceGrantsNothing,
				Message: "The 10 grace days grant nothing: no rule's window reaches past day 364, where the shortest 12-month term ends, and grace extends coverage, not windows."}},
		},
		{
			name:  "one grace day",
			extra: `"termMonths": 12, "graceDays": 1`,
			rules: []lintRule{{id: "A", end: 90}},
			want: []plan.Warning{{Path: "plan.graceDays", Code: plan.LintGraceGrantsNothing,
				Message: "The 1 grace day grants nothing: no rule's window reaches past day 364, where the shortest 12-month term ends, and grace extends coverage, not windows."}},
		},
		{
			name:  "grace days a window reaches when the term is shortest",
			extra: `"termMonths": 12, "graceDays": 10`,
			rules: []lintRule{{id: "A", end: 365}},
		},
		{
			name:  "a window past the grace days grants nothing in them",
			extra: `"termMonths": 12, "graceDays": 10`,
			rules: []lintRule{{id: "A", end: 364, viewOrder: 1}, {id: "B", start: 400, end: 500, viewOrder: 2}},
			want: []plan.Warning{
				{Path: "plan.graceDays", Code: plan.LintGraceGrantsNothing,
					Message: "The 10 grace days grant nothing: no rule's window reaches past day 364, where the shortest 12-month term ends, and grace extends coverage, not windows."},
				{Path: "plan.rules[1].startDay", Code: plan.LintWindowStartsAfterTerm,
					Message: "Rule B starts on day 400, but a subscription covers day 375 at most, grace included, so it never applies."},
			},
		},
		{
			name:  "no rules",
			extra: `"termMonths": 12, "graceDays": 10`,
			want: []plan.Warning{
				{Path: "groups[0]", Code: plan.LintGroupWithoutRule,
					Message: "Flea treatment has items but no rule in this plan, so they are never discounted."},
				{Path: "plan.graceDays", Code: plan.LintGraceGrantsNothing,
					Message: "The 10 grace days grant nothing: no rule's window reaches past day 364, where the shortest 12-month term ends, and grace extends coverage, not windows."},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lintTerms(t, tt.groups, tt.extra, tt.rules).Lint()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lint (-want +got):\n%s", diff)
			}
		})
	}
}

// termBounds is the fewest and the most days a term of each number of
// months spans, found by trying every start date from 2096 to 2104: every
// place in the leap cycle, across 2100 (not a leap year) and clear of it.
var termBounds = sync.OnceValue(func() [plan.MaxTermMonths + 1][2]int {
	var b [plan.MaxTermMonths + 1][2]int
	for m := 1; m <= plan.MaxTermMonths; m++ {
		b[m] = [2]int{1 << 30, 0}
	}
	first, last := plan.MustParseDate("2096-01-01"), plan.MustParseDate("2104-12-31")
	for d := first; !d.After(last); d = d.AddDays(1) {
		for m := 1; m <= plan.MaxTermMonths; m++ {
			n := d.AddMonths(m).Sub(d)
			b[m] = [2]int{min(b[m][0], n), max(b[m][1], n)}
		}
	}
	return b
})

func TestTermBounds(t *testing.T) {
	got := termBounds()
	want := map[int][2]int{1: {28, 31}, 12: {365, 366}, 48: {1460, 1461}}
	for m, w := range want {
		if diff := cmp.Diff(w, got[m]); diff != "" {
			t.Errorf("%d months (-want +got):\n%s", m, diff)
		}
	}
}

// TestLintTermLength: for every term length, a window ends after the term
// exactly when it passes the longest term's last day, and grace grants
// nothing exactly when no window passes the shortest term's last day.
func TestLintTermLength(t *testing.T) {
	bounds := termBounds()
	codes := func(w []plan.Warning) []string {
		var out []string
		for _, x := range w {
			out = append(out, x.Code)
		}
		return out
	}
	for m := 1; m <= plan.MaxTermMonths; m++ {
		fewest, most := bounds[m][0], bounds[m][1]
		months := fmt.Sprintf(`"termMonths": %d`, m)
		grace := months + `, "graceDays": 1`
		tests := []struct {
			extra string
			end   int
			want  []string
		}{
			{months, most - 1, nil},
			{months, most, []string{plan.LintWindowEndsAfterTerm}},
			{grace, most, nil},
			{grace, fewest - 1, []string{plan.LintGraceGrantsNothing}},
			{grace, fewest, nil},
		}
		for _, tt := range tests {
			got := codes(lintTerms(t, nil, tt.extra, []lintRule{{id: "A", end: tt.end}}).Lint())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s, window 0..%d (-want +got):\n%s", tt.extra, tt.end, diff)
			}
		}
	}
}

// seedsCatalog reads the catalog of a scenario in the repository's
// testdata, leaving out its subscriptions and events, after applying
// the replacement old -> new to its text.
func seedsCatalog(t *testing.T, file, old, new string) plan.Catalog {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if old != "" {
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %s", file, old)
		}
		b = bytes.Replace(b, []byte(old), []byte(new), 1)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	cb, err := json.Marshal(map[string]json.RawMessage{"currency": doc["currency"], "groups": doc["groups"], "plans": doc["plans"]})
	if err != nil {
		t.Fatal(err)
	}
	var c plan.Catalog
	if err := json.Unmarshal(cb, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLintSeeds(t *testing.T) {
	tests := []struct {
		name, file, old, new string
		want                 []plan.Warning
	}{
		{name: "flea crossover", file: "seeds-flea-crossover.json"},
		{name: "consultations and food", file: "seeds-consultations-and-food.json"},
		{
			name: "consultations and food, the ongoing consultation rule unlimited",
			file: "seeds-consultations-and-food.json",
			old:  `"allowed": 999`, new: `"allowed": "unlimited"`,
			want: []plan.Warning{{Path: "plans[0].rules[1].allowed", Code: plan.LintUnlimitedCoreRule,
				Message: "Rule consult-half gives unlimited Consultations, a core group: what a client can take before they stop paying has no limit."}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := seedsCatalog(t, tt.file, tt.old, tt.new)
			if len(c.Plans) == 0 {
				t.Fatal("no plans")
			}
			var got []plan.Warning
			for _, p := range c.Plans {
				w, err := c.Lint(p.ID)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, w...)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lint (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalogLint(t *testing.T) {
	doc := `{"currency": "GBP",
	  "groups": [` + fleaGroup + `, ` + foodGroup + `],
	  "plans": [
	    {"id": "cat", "species": "cat", "termMonths": 12, "monthlyFee": "9",
	     "rules": [{"group": "flea", "discountPercent": "100", "allowed": 3, "endDay": 365},
	               {"group": "food", "discountPercent": "10", "allowed": "unlimited", "endDay": 365}]},
	    {"id": "dog", "species": "dog", "termMonths": 12, "monthlyFee": "15",
	     "rules": [{"group": "flea", "discountPercent": "100", "allowed": 3, "endDay": 90},
	               {"group": "flea", "discountPercent": "100", "allowed": 3, "startDay": 92, "endDay": 180, "viewOrder": 1}]}]}`
	var c plan.Catalog
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	got, err := c.Lint("dog")
	if err != nil {
		t.Fatal(err)
	}
	want := []plan.Warning{
		{Path: "groups[1]", Code: plan.LintGroupWithoutRule,
			Message: "Pet food has items but no rule in this plan, so they are never discounted."},
		{Path: "plans[1].rules[1].startDay", Code: plan.LintWindowGap,
			Message: "Rule 2 starts on day 92, 2 days after rule 1 ends on day 90: a pet seen on day 91 gets no discount on Flea treatment."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lint (-want +got):\n%s", diff)
	}
	if got, err := c.Lint("cat"); err != nil || got != nil {
		t.Errorf("Lint(cat) = %v, %v; want no warnings", got, err)
	}

	_, err = c.Lint("horse")
	var ve *plan.ValidationError
	if !errors.As(err, &ve) || ve.Path != "plan" {
		t.Errorf("Lint(horse) error = %v; want a ValidationError at plan", err)
	}
	c.Plans[1].Rules[0].Group = "dental"
	if _, err := c.Lint("dog"); err == nil {
		t.Error("Lint of a plan with an unknown group gave no error")
	}
	var zero plan.Terms
	if got := zero.Lint(); got != nil {
		t.Errorf("the zero Terms' Lint = %v; want nil", got)
	}
}

func TestWarningJSONAndString(t *testing.T) {
	w := plan.Warning{Path: "plan.graceDays", Code: plan.LintGraceGrantsNothing, Message: `The "1" grace day grants nothing.`}
	b, err := json.Marshal([]plan.Warning{w})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`[{"path":"plan.graceDays","code":"graceGrantsNothing","message":"The \"1\" grace day grants nothing."}]`, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(`plan.graceDays: The "1" grace day grants nothing. (graceGrantsNothing)`, w.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
}

// jsonPaths lists every path in a JSON document ("plan", "plan.rules",
// "plan.rules[0]", "plan.rules[0].id", ...) with its place in document
// order.
func jsonPaths(t interface {
	Fatal(...any)
	Fatalf(string, ...any)
}, b []byte) map[string]int {
	dec := json.NewDecoder(bytes.NewReader(b))
	out := map[string]int{}
	var walk func(path string)
	walk = func(path string) {
		if path != "" {
			out[path] = len(out)
		}
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					t.Fatal(err)
				}
				k := key.(string)
				if path != "" {
					k = path + "." + k
				}
				walk(k)
			}
			dec.Token()
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				walk(fmt.Sprintf("%s[%d]", path, i))
			}
			dec.Token()
		}
	}
	walk("")
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("data after the document: %v", err)
	}
	return out
}

// genCatalog draws a valid catalog, written as JSON: up to four groups
// (some core, some without items), one or two plans of up to eight rules
// whose windows fall around, inside and after the term.
func genCatalog(t *rapid.T) []byte {
	var groups []string
	ng := rapid.IntRange(1, 4).Draw(t, "groups")
	item := 0
	for g := range ng {
		var items []string
		for range rapid.IntRange(0, 2).Draw(t, "items") {
			item++
			items = append(items, fmt.Sprintf(`{"code": "I%d", "units": %d}`, item, rapid.IntRange(1, 3).Draw(t, "units")))
		}
		name := ""
		if rapid.Bool().Draw(t, "named") {
			name = fmt.Sprintf(`"name": "Group %d", `, g)
		}
		groups = append(groups, fmt.Sprintf(`{"id": "g%d", %s"core": %t, "items": [%s]}`,
			g, name, rapid.Bool().Draw(t, "core"), strings.Join(items, ", ")))
	}
	var plans []string
	for p := range rapid.IntRange(1, 2).Draw(t, "plans") {
		months := rapid.SampledFrom([]int{1, 2, 6, 12, 13, 24, 120}).Draw(t, "termMonths")
		span := months * 31
		grace := rapid.SampledFrom([]int{0, 0, 1, 10, 30}).Draw(t, "graceDays")
		var rules []string
		for range rapid.IntRange(0, 8).Draw(t, "rules") {
			discount := fmt.Sprintf(`"discountPercent": "%d"`, rapid.SampledFrom([]int{0, 10, 50, 100}).Draw(t, "percent"))
			if rapid.Bool().Draw(t, "amount") {
				discount = fmt.Sprintf(`"discountAmount": "%s"`, rapid.SampledFrom([]string{"0", "0.00", "2.50"}).Draw(t, "amountOff"))
			}
			allowed := rapid.SampledFrom([]string{"1", "3", "999", `"unlimited"`}).Draw(t, "allowed")
			start := rapid.IntRange(0, span+grace+5).Draw(t, "startDay")
			end := start + rapid.IntRange(0, span).Draw(t, "length")
			id := ""
			if rapid.Bool().Draw(t, "hasID") {
				id = fmt.Sprintf(`"id": "r%d", `, len(rules))
			}
			rules = append(rules, fmt.Sprintf(`{%s"group": "g%d", %s, "allowed": %s, "startDay": %d, "endDay": %d, "viewOrder": %d}`,
				id, rapid.IntRange(0, ng-1).Draw(t, "group"), discount, allowed, start, end, rapid.IntRange(0, 3).Draw(t, "viewOrder")))
		}
		plans = append(plans, fmt.Sprintf(`{"id": "p%d", "species": "dog", "termMonths": %d, "graceDays": %d, "monthlyFee": "10", "rules": [%s]}`,
			p, months, grace, strings.Join(rules, ", ")))
	}
	return []byte(fmt.Sprintf(`{"currency": "GBP", "groups": [%s], "plans": [%s]}`, strings.Join(groups, ", "), strings.Join(plans, ", ")))
}

// TestLintProperties: lint never refuses a valid plan, gives the same
// warnings every time and after a JSON round trip, points only at paths
// that exist, in document order, and agrees between Terms and Catalog; its
// gaps are the runs of days no window covers.
func TestLintProperties(t *testing.T) {
	bounds := termBounds()
	rapid.Check(t, func(rt *rapid.T) {
		doc := genCatalog(rt)
		var c plan.Catalog
		if err := json.Unmarshal(doc, &c); err != nil {
			rt.Fatalf("the generator made an invalid catalog: %v\n%s", err, doc)
		}
		catalogPaths := jsonPaths(rt, doc)
		for pi, p := range c.Plans {
			terms, err := c.Terms(p.ID)
			if err != nil {
				rt.Fatalf("Terms(%s): %v", p.ID, err)
			}
			got := terms.Lint()
			if diff := cmp.Diff(got, terms.Lint()); diff != "" {
				rt.Fatalf("a second Lint differs (-first +second):\n%s", diff)
			}
			tb, err := terms.MarshalJSON()
			if err != nil {
				rt.Fatal(err)
			}
			var again plan.Terms
			if err := json.Unmarshal(tb, &again); err != nil {
				rt.Fatal(err)
			}
			if diff := cmp.Diff(got, again.Lint()); diff != "" {
				rt.Fatalf("Lint after a JSON round trip differs (-before +after):\n%s", diff)
			}

			paths := jsonPaths(rt, tb)
			for k, w := range got {
				if _, ok := paths[w.Path]; !ok {
					rt.Fatalf("warning %v: no such path in the terms\n%s", w, tb)
				}
				if w.Message == "" || w.Code == "" {
					rt.Fatalf("warning %v has no code or message", w)
				}
				if k > 0 {
					prev := got[k-1]
					if paths[prev.Path] > paths[w.Path] || prev.Path == w.Path && prev.Code > w.Code {
						rt.Fatalf("warnings out of order: %v before %v", prev, w)
					}
				}
			}

			fromCatalog, err := c.Lint(p.ID)
			if err != nil {
				rt.Fatal(err)
			}
			prefix := fmt.Sprintf("plans[%d]", pi)
			var want []plan.Warning
			for _, w := range got {
				if rest, ok := strings.CutPrefix(w.Path, "plan."); ok {
					w.Path = prefix + "." + rest
				} else if w.Path == "plan" {
					w.Path = prefix
				}
				if _, ok := catalogPaths[w.Path]; !ok {
					rt.Fatalf("warning %v: no such path in the catalog", w)
				}
				want = append(want, w)
			}
			if diff := cmp.Diff(want, fromCatalog); diff != "" {
				rt.Fatalf("Catalog.Lint and Terms.Lint differ (-terms +catalog):\n%s", diff)
			}

			checkGaps(rt, terms.Plan(), c.Groups, got, bounds[p.TermMonths][1]-1+p.GraceDays)
		}
	})
}

// checkGaps compares the windowGap warnings with the runs of uncovered
// days between each group's first and last covered day, up to coverEnd.
func checkGaps(t *rapid.T, p plan.Plan, groups []plan.Group, got []plan.Warning, coverEnd int) {
	want := map[string]int{}
	for _, g := range groups {
		covered := make([]bool, coverEnd+1)
		for _, r := range p.Rules {
			if r.Group != g.ID {
				continue
			}
			for d := r.StartDay; d <= min(r.EndDay, coverEnd); d++ {
				covered[d] = true
			}
		}
		first, last := -1, -1
		for d, c := range covered {
			if c {
				if first < 0 {
					first = d
				}
				last = d
			}
		}
		for d := first + 1; first >= 0 && d <= last; d++ {
			if !covered[d] && covered[d-1] {
				want[g.ID]++
			}
		}
	}
	gaps := map[string]int{}
	for _, w := range got {
		if w.Code != plan.LintWindowGap {
			continue
		}
		var i int
		if _, err := fmt.Sscanf(w.Path, "plan.rules[%d].startDay", &i); err != nil {
			t.Fatalf("gap at %s: %v", w.Path, err)
		}
		gaps[p.Rules[i].Group]++
	}
	if diff := cmp.Diff(want, gaps); diff != "" {
		t.Fatalf("gaps per group (-days +warnings):\n%s", diff)
	}
}
