package allowance_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// Rules are consumed in the order visits are committed, and each visit's
// window test uses that visit's own date: a visit dated later but
// committed first takes what it can reach, and the earlier-dated visit
// committed after it gets what is left.
func TestRulesConsumedInCommitOrder(t *testing.T) {
	rules := []plan.Rule{
		rule("A", "flea", pct("100"), 1, 0, 10, 1),
		rule("B", "flea", pct("100"), 1, 0, 100, 2),
	}
	early := visit("EARLY", 5, line("L", "FLEA-1", "2", "10"))
	late := visit("LATE", 50, line("L", "FLEA-1", "1", "10"))
	cases := []struct {
		name          string
		first, second allowance.Visit
		want          map[string]got
	}{
		{"the later-dated visit committed first", late, early, map[string]got{
			"LATE":  {"10.00", "10.00", "0.00", []string{"B:1:10.00"}, allowance.Covered},
			"EARLY": {"20.00", "10.00", "10.00", []string{"A:1:10.00"}, allowance.UsedUp},
		}},
		{"the earlier-dated visit committed first", early, late, map[string]got{
			"EARLY": {"20.00", "20.00", "0.00", []string{"A:1:10.00", "B:1:10.00"}, allowance.Covered},
			"LATE":  {"10.00", "0.00", "10.00", nil, allowance.UsedUp},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub := subscribe(t, rules)
			var l allowance.Ledger
			gotLines := map[string]got{}
			for _, v := range []allowance.Visit{c.first, c.second} {
				gotLines[v.Invoice] = summary(commit(t, &l, sub, v).Lines[0])
			}
			if diff := cmp.Diff(c.want, gotLines); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A subscription keeps a snapshot of what it was sold: editing the plan
// or the catalog afterwards changes new subscriptions, never running ones.
func TestSubscriptionKeepsItsSnapshot(t *testing.T) {
	cat := plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Groups:   []plan.Group{{ID: "flea", Core: true, Items: []plan.Item{{Code: "FLEA-1"}}}},
		Plans: []plan.Plan{{ID: "p", Species: "dog", TermMonths: 12, MonthlyFee: dec("15.00"),
			Rules: []plan.Rule{rule("A", "flea", pct("100"), 3, 0, 365, 1)}}},
	}
	terms, err := cat.Terms("p")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	v := visit("I", 5, line("L1", "FLEA-1", "2", "10"), line("L2", "FLEA-3PK", "1", "30"))
	before := quoteSummaries(t, sub, v)
	sched, _ := billing.ScheduleFor(sub)

	// The practice edits the plan and the catalog in place.
	cat.Plans[0].Rules[0].Discount = pct("10")
	cat.Plans[0].Rules[0].Allowed = plan.Allowed(1)
	cat.Plans[0].MonthlyFee = dec("99.00")
	cat.Groups[0].Items[0].Units = 5
	cat.Groups[0].Items = append(cat.Groups[0].Items, plan.Item{Code: "FLEA-3PK", Units: 3})

	if diff := cmp.Diff(before, quoteSummaries(t, sub, v)); diff != "" {
		t.Errorf("the running subscription's quote changed (-before +after):\n%s", diff)
	}
	if after, _ := billing.ScheduleFor(sub); !after.Total.Equal(sched.Total) {
		t.Errorf("the running subscription's contract total went from %s to %s", sched.Total, after.Total)
	}

	// A new subscription is sold the edited plan.
	edited, err := cat.Terms("p")
	if err != nil {
		t.Fatal(err)
	}
	next, err := edited.Subscribe(plan.Enrollment{ID: "S2", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, quoteSummaries(t, next, v)); diff == "" {
		t.Errorf("a new subscription was not sold the edited plan")
	}
	if s, _ := billing.ScheduleFor(next); !s.Total.Equal(decimal.RequireFromString("1188")) {
		t.Errorf("a new subscription's contract total is %s; want 12 × 99.00", s.Total)
	}
}

func quoteSummaries(t *testing.T, sub *plan.Subscription, v allowance.Visit) []got {
	t.Helper()
	var l allowance.Ledger
	res, err := l.Quote(sub, v)
	if err != nil {
		t.Fatal(err)
	}
	var out []got
	for _, lr := range res.Lines {
		out = append(out, summary(lr))
	}
	return out
}
