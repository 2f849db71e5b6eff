package debt_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ (review every change before committing it)")

// seedsPlan is the design guide's medium-dog plan: flea treatment in two
// windows crossing over on days 80-90 (core), a free first consultation
// then 50% off, and food at 50% once then 10% ongoing (not core); twelve
// monthly installments of 15.00 and fourteen days' grace.
const seedsPlan = `{"currency":"GBP",
 "groups":[{"id":"flea","name":"Flea treatment","core":true,"items":[{"code":"FLEA-1"},{"code":"FLEA-3PK","units":3}]},
           {"id":"consult","name":"Consultations","core":false,"items":[{"code":"CONSULT"}]},
           {"id":"food","name":"Food","core":false,"items":[{"code":"FOOD-12KG"}]}],
 "plan":{"id":"dog-m","name":"Medium dog","species":"dog","termMonths":12,"monthlyFee":"15.00","graceDays":14,"rules":[
  {"id":"flea-a","group":"flea","discountPercent":"100","allowed":3,"startDay":0,"endDay":90,"viewOrder":1},
  {"id":"flea-b","group":"flea","discountPercent":"100","allowed":3,"startDay":80,"endDay":120,"viewOrder":2},
  {"id":"consult-free","group":"consult","discountPercent":"100","allowed":1,"startDay":0,"endDay":365,"viewOrder":1},
  {"id":"consult-half","group":"consult","discountPercent":"50","allowed":"unlimited","startDay":0,"endDay":365,"viewOrder":2},
  {"id":"food-first","group":"food","discountPercent":"50","allowed":1,"startDay":0,"endDay":365,"viewOrder":1},
  {"id":"food-ongoing","group":"food","discountPercent":"10","allowed":"unlimited","startDay":0,"endDay":365,"viewOrder":2}]}}`

var seedsPrices = map[string]decimal.Decimal{"FLEA-1": dec("23.49"), "FLEA-3PK": dec("62.97"), "CONSULT": dec("42.00"), "FOOD-12KG": dec("54.99")}

// gapPlan is a cat plan with a gap between its vaccination windows (days
// 61-299) and between two worming windows (days 91-99), an unlimited core
// rule (nail clips at 50%), a group with no rules, quarterly installments
// and a suspension on the second failure in a row.
const gapPlan = `{"currency":"EUR",
 "groups":[{"id":"vacc","name":"Vaccination","core":true,"items":[{"code":"VACC"}]},
           {"id":"worm","name":"Worming","core":true,"items":[{"code":"WORM"}]},
           {"id":"nails","name":"Nail clips","core":true,"items":[{"code":"NAILS"}]},
           {"id":"neuter","name":"Neutering","core":false,"items":[{"code":"NEUTER"}]}],
 "plan":{"id":"cat-adult","name":"Adult cat","species":"cat","termMonths":12,"monthlyFee":"16.00","fees":{"quarter":"45.00"},
  "suspendAfterFailures":2,"rules":[
  {"id":"vacc-primary","group":"vacc","discountPercent":"100","allowed":1,"startDay":0,"endDay":60},
  {"id":"vacc-booster","group":"vacc","discountPercent":"100","allowed":1,"startDay":300,"endDay":364},
  {"id":"worm-1","group":"worm","discountPercent":"100","allowed":1,"startDay":0,"endDay":90},
  {"id":"worm-2","group":"worm","discountPercent":"100","allowed":1,"startDay":100,"endDay":180},
  {"id":"worm-3","group":"worm","discountPercent":"100","allowed":1,"startDay":181,"endDay":364},
  {"id":"nails","group":"nails","discountPercent":"50","allowed":"unlimited","startDay":0,"endDay":364}]}}`

var gapPrices = map[string]decimal.Decimal{"VACC": dec("48.50"), "WORM": dec("9.80"), "NAILS": dec("12.00"), "NEUTER": dec("120.00")}

// timelines are the plans whose pictures are pinned under testdata/, with
// the number of bars each must have.
var timelines = []struct {
	name string
	in   func(t *testing.T) debt.ExposureInput
	bars int
}{
	{"seeds", func(t *testing.T) debt.ExposureInput {
		return debt.ExposureInput{Terms: mustTerms(t, seedsPlan), Start: jan5, Prices: seedsPrices, Cap: decimal.NewNullDecimal(dec("80.00"))}
	}, 6},
	{"gap-unlimited", func(t *testing.T) debt.ExposureInput {
		return debt.ExposureInput{Terms: mustTerms(t, gapPlan), Start: plan.MustParseDate("2026-03-01"), Prices: gapPrices,
			Interval: plan.Quarter, UnitsCap: 4}
	}, 6},
}

func TestTimelineGolden(t *testing.T) {
	for _, tc := range timelines {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in(t)
			svg, err := debt.Timeline(in, exposureOf(t, in))
			if err != nil {
				t.Fatal(err)
			}
			if got := countBars(t, svg); got != tc.bars {
				t.Errorf("%d bars, want %d", got, tc.bars)
			}
			path := filepath.Join("testdata", "timeline-"+tc.name+".svg")
			if *update {
				if err := os.WriteFile(path, svg, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./debt -run TestTimelineGolden -update to create it, then review it)", err)
			}
			if diff := cmp.Diff(string(want), string(svg)); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", path, diff)
			}
		})
	}
}

// countBars parses the picture as XML, failing on anything that is not
// well-formed, and counts the rule bars.
func countBars(t *testing.T, svg []byte) int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	bars, root := 0, ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Local
		}
		for _, a := range se.Attr {
			if a.Name.Local == "class" && strings.HasPrefix(a.Value, "bar") && strings.Fields(a.Value)[0] == "bar" {
				bars++
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return bars
}

// An unbounded report draws the rules and the dues without curves, and
// says which rules make it unbounded.
func TestTimelineUnbounded(t *testing.T) {
	in := debt.ExposureInput{Terms: mustTerms(t, gapPlan), Start: plan.MustParseDate("2026-03-01"), Prices: gapPrices}
	rep := exposureOf(t, in)
	if len(rep.Unbounded) != 1 {
		t.Fatalf("unbounded %v, want [nails]", rep.Unbounded)
	}
	svg, err := debt.Timeline(in, rep)
	if err != nil {
		t.Fatal(err)
	}
	if countBars(t, svg) != 6 || bytes.Contains(svg, []byte(`class="curve"`)) || !bytes.Contains(svg, []byte("exposure unbounded: nails")) {
		t.Errorf("the unbounded picture:\n%s", svg)
	}
	if _, err := debt.Timeline(debt.ExposureInput{}, rep); !errors.Is(err, plan.ErrZeroTerms) {
		t.Errorf("no terms: %v", err)
	}
}

// A plan without a name is titled by its id alone; an amount-off rule is
// labelled with its amount in minor units, and an allowance with its
// number in decimal; a rule is drawn when it starts on the last day with
// cover (here the day of one day's grace), not after it; a report without
// a curve draws none.
func TestTimelineLabels(t *testing.T) {
	in := debt.ExposureInput{Terms: mustTerms(t, `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"X"}]}],
	 "plan":{"id":"p","species":"dog","termMonths":12,"monthlyFee":"10.00","graceDays":1,"rules":[
	  {"id":"a","group":"g","discountAmount":"15","allowed":10,"endDay":364},
	  {"id":"b","group":"g","discountPercent":"12.5","allowed":"unlimited","endDay":364,"viewOrder":1},
	  {"id":"last","group":"g","discountPercent":"10","allowed":1,"startDay":365,"endDay":365,"viewOrder":2},
	  {"id":"after","group":"g","discountPercent":"10","allowed":1,"startDay":366,"endDay":400,"viewOrder":3}]}}`),
		Start: jan5, Prices: map[string]decimal.Decimal{"X": dec("40.00")}, UnitsCap: 3}
	svg, err := debt.Timeline(in, exposureOf(t, in))
	if err != nil {
		t.Fatal(err)
	}
	if got := countBars(t, svg); got != 3 {
		t.Errorf("%d bars; want 3 (a, b and last)", got)
	}
	for _, want := range []string{">15.00 off x10<", ">12.5% unlimited<", "12 months from 2026-01-05, GBP", `<rect class="grace"`, "grace: 365–365", `class="curve"`} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("the picture lacks %q:\n%s", want, svg)
		}
	}
	if bytes.Contains(svg, []byte(", 12 months")) || bytes.Contains(svg, []byte(">after")) {
		t.Errorf("a nameless plan's title has a name, or a rule after the cover is drawn:\n%s", svg)
	}
	svg, err = debt.Timeline(in, debt.ExposureReport{})
	if err != nil || countBars(t, svg) != 3 || bytes.Contains(svg, []byte(`class="curve"`)) || bytes.Contains(svg, []byte(`class="peak"`)) {
		t.Errorf("a report without a curve: %v\n%s", err, svg)
	}
	in.Start = plan.Date{}
	if _, err := debt.Timeline(in, debt.ExposureReport{}); len(plan.Problems(err)) == 0 {
		t.Errorf("no start date: %v; want a validation error", err)
	}
	_, err = debt.Timeline(debt.ExposureInput{}, debt.ExposureReport{})
	if ps := plan.Problems(err); len(ps) != 1 || ps[0].Path != "terms" || !errors.Is(err, plan.ErrZeroTerms) {
		t.Errorf("no terms: %v; want a problem at terms", err)
	}
}
