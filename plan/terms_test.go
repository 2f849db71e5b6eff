package plan_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan/plan"
)

// termsCatalog is validCatalog with the plan's optional fields set that
// the terms' accessors copy: fees, a dunning policy and two waivers.
func termsCatalog() plan.Catalog {
	c := validCatalog()
	p := &c.Plans[0]
	p.Fees = plan.Fees{Quarter: nullDec("44"), FourWeeks: nullDec("13.85")}
	p.Dunning = plan.Dunning{RetryDays: []int{3, 7}, SuspendAfter: plan.After(30)}
	p.Settlement.WaiveFor = []string{"deceased", "moved"}
	p.Rules[1].ID = "" // takes its position, "2"
	return c
}

func TestCatalogTerms(t *testing.T) {
	c := termsCatalog()
	terms, err := c.Terms("dog-m")
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		PlanID, Currency, Digest string
		Intervals, GroupIDs      []string
		RuleIDs                  []string
		Advance                  string
		Waives                   []bool
		Dunning                  plan.Dunning
		Settlement               plan.Settlement
		Group                    plan.Group
		Item                     plan.ItemRef
		Rule                     plan.Rule
	}
	g, _ := terms.Group("flea")
	it, _ := terms.Item("FLEA-3PK")
	r, _ := terms.Rule("2")
	got := view{
		terms.PlanID(), terms.Currency().Code(), regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).FindString(terms.Digest()),
		terms.Intervals(), terms.GroupIDs(), terms.RuleIDs(), terms.AdvancePrice().String(),
		[]bool{terms.Waives("deceased"), terms.Waives("moved"), terms.Waives("cancelled")},
		terms.Dunning(), terms.Settlement(), g, it, r,
	}
	want := view{
		"dog-m", "GBP", terms.Digest(),
		[]string{"month", "quarter", "4weeks"}, []string{"flea", "vacc", "food"}, []string{"flea-a", "2", "food"}, "180",
		[]bool{true, true, false},
		plan.Dunning{RetryDays: []int{3, 7}, SuspendAfter: plan.After(30)},
		plan.Settlement{WaiveFor: []string{"deceased", "moved"}},
		plan.Group{ID: "flea", Name: "Flea treatment", Core: true},
		plan.ItemRef{Code: "FLEA-3PK", Group: "flea", Units: 3},
		plan.Rule{ID: "2", Group: "vacc", Discount: plan.PercentOff(dec("100")), Allowed: plan.Allowed(1), EndDay: 365},
	}
	if diff := cmp.Diff(want, got, catalogOpts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if doc, err := terms.MarshalJSON(); err != nil || plan.Digest(doc) != terms.Digest() {
		t.Errorf("Digest %s is not the digest of the terms' document (%v)", terms.Digest(), err)
	}
	if it, ok := terms.Item("FLEA-1"); !ok || it.Units != 1 {
		t.Errorf("Item(FLEA-1) = %+v, %v; want 1 unit, the default", it, ok)
	}
	if _, ok := terms.Item("DENTAL"); ok {
		t.Error("Item(DENTAL) is found")
	}
	if g, ok := terms.Group("dental"); ok || g.ID != "" {
		t.Errorf("Group(dental) = %+v, %v", g, ok)
	}
	if r, ok := terms.Rule("flea-b"); ok || r.ID != "" {
		t.Errorf("Rule(flea-b) = %+v, %v", r, ok)
	}
	if got := terms.Rules(); len(got) != 3 || got[1].ID != "2" {
		t.Errorf("Rules = %+v; want three, the second with id 2", got)
	}

	c.Plans[0].AdvancePrice = nullDec("150")
	if terms, _ := c.Terms("dog-m"); !terms.AdvancePrice().Equal(dec("150")) {
		t.Errorf("AdvancePrice = %s, want the plan's 150", terms.AdvancePrice())
	}
}

func TestCatalogTermsRefuses(t *testing.T) {
	c := validCatalog()
	_, err := c.Terms("horse")
	var ve *plan.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Terms(horse) error = %v, want a ValidationError", err)
	}
	want := `plan: "horse" is not a plan in the catalog; want one of cat, dog-m`
	if ve.Error() != want {
		t.Errorf("Terms(horse) error:\n got %s\nwant %s", ve, want)
	}

	tests := []struct {
		name string
		edit func(c *plan.Catalog)
		want []pv
	}{
		{"a bad group", func(c *plan.Catalog) { c.Groups[1].Items[0].Code = "" }, []pv{{"groups[1].items[0].code", ""}}},
		{"a bad plan", func(c *plan.Catalog) { c.Plans[0].TermMonths = 0 }, []pv{{"plan.termMonths", "0"}}},
		{"no currency", func(c *plan.Catalog) { c.Currency = plan.Currency{} }, []pv{{"currency", ""}}},
		{"every problem at once", func(c *plan.Catalog) {
			c.Currency = plan.Currency{}
			c.Groups[1].Items[0].Code = ""
			c.Plans[0].Rules[0].EndDay = 36601
			c.Plans[0].Rules[2].Group = "worm"
		}, []pv{{"currency", ""}, {"groups[1].items[0].code", ""}, {"plan.rules[0].endDay", "36601"}, {"plan.rules[2].group", "worm"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCatalog()
			tt.edit(&c)
			terms, err := c.Terms("dog-m")
			if terms != nil {
				t.Errorf("Terms returned terms with its error")
			}
			if diff := cmp.Diff(tt.want, pathsAndValues(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTermsSnapshotIsDeep: the terms share nothing with the catalog they
// were built from, nor with what their accessors return. Editing either
// in place changes no running subscription.
func TestTermsSnapshotIsDeep(t *testing.T) {
	c := termsCatalog()
	terms, err := c.Terms("dog-m")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(terms)
	digest := terms.Digest()

	// The practice edits its catalog in place after the sale.
	p := &c.Plans[0]
	p.Settlement.WaiveFor[0] = "cancelled"
	p.Dunning.RetryDays[0] = 1
	p.Rules[0].Discount = plan.PercentOff(dec("10"))
	c.Groups[0].Items[0].Code = "FLEA-2"
	c.Groups[0].Items[1].Units = 6
	// A caller edits what the accessors returned.
	tp := terms.Plan()
	tp.Settlement.WaiveFor[0] = "cancelled"
	tp.Dunning.RetryDays[0] = 1
	tp.Rules[0].Group = "food"
	s := terms.Settlement()
	s.WaiveFor[1] = "cancelled"
	terms.Dunning().RetryDays[1] = 2
	terms.Rules()[0].EndDay = 1
	terms.Groups()[0].Items[0].Code = "FLEA-2"
	terms.GroupIDs()[0] = "food"
	terms.RuleIDs()[0] = "x"

	after, _ := json.Marshal(terms)
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		t.Errorf("the terms changed (-before +after):\n%s", diff)
	}
	if terms.Digest() != digest {
		t.Errorf("the digest changed")
	}
	if !terms.Waives("deceased") || terms.Waives("cancelled") {
		t.Errorf("the terms' waivers changed: %v", terms.Settlement().WaiveFor)
	}
	if it, ok := terms.Item("FLEA-1"); !ok || it.Group != "flea" {
		t.Errorf("FLEA-1 is no longer covered: %+v", it)
	}
	if it, _ := terms.Item("FLEA-3PK"); it.Units != 3 {
		t.Errorf("FLEA-3PK counts %d units, want 3", it.Units)
	}
	if _, ok := terms.Item("FLEA-2"); ok {
		t.Error("an item added after the sale is covered")
	}
	if diff := cmp.Diff([]int{3, 7}, terms.Dunning().RetryDays); diff != "" {
		t.Errorf("retry days (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"flea", "vacc", "food"}, terms.GroupIDs()); diff != "" {
		t.Errorf("group ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"flea-a", "2", "food"}, terms.RuleIDs()); diff != "" {
		t.Errorf("rule ids (-want +got):\n%s", diff)
	}
	if r := terms.Rules()[0]; r.EndDay != 90 || r.Group != "flea" {
		t.Errorf("rules[0] = %+v", r)
	}
	if g := terms.Groups()[0]; g.Items[0].Code != "FLEA-1" || g.Items[1].Units != 3 {
		t.Errorf("groups[0] = %+v", g)
	}
	// A new sale takes the edited catalog.
	edited, err := c.Terms("dog-m")
	if err != nil {
		t.Fatal(err)
	}
	if edited.Digest() == digest || !edited.Waives("cancelled") {
		t.Errorf("terms built after the edit did not take it")
	}
}

func TestTermsIsZero(t *testing.T) {
	var nilTerms *plan.Terms
	c := validCatalog()
	terms, err := c.Terms("dog-m")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		t    *plan.Terms
		want bool
	}{{"nil", nilTerms, true}, {"zero", &plan.Terms{}, true}, {"built", terms, false}} {
		if got := tt.t.IsZero(); got != tt.want {
			t.Errorf("%s: IsZero = %v, want %v", tt.name, got, tt.want)
		}
	}
}
