package plan_test

import (
	"encoding/json"
	"fmt"

	"github.com/vetplan/healthplan/plan"
)

func ExampleCatalog_Lint() {
	// The seeds' flea allowances, but the second window starts two days
	// after the first ends instead of overlapping it; and "50% off further
	// consultations" written as unlimited on a core group.
	doc := `{"currency": "GBP",
	  "groups": [
	    {"id": "flea", "name": "Flea treatment", "core": true, "items": [{"code": "FLEA-1"}]},
	    {"id": "consult", "name": "Consultations", "core": true, "items": [{"code": "CONSULT"}]}],
	  "plans": [{"id": "dog-m", "species": "dog", "termMonths": 12, "monthlyFee": "15.00",
	    "rules": [
	      {"id": "flea-a", "group": "flea", "discountPercent": "100", "allowed": 3, "startDay": 0, "endDay": 90, "viewOrder": 1},
	      {"id": "flea-b", "group": "flea", "discountPercent": "100", "allowed": 3, "startDay": 92, "endDay": 120, "viewOrder": 2},
	      {"id": "consult-free", "group": "consult", "discountPercent": "100", "allowed": 1, "startDay": 0, "endDay": 365, "viewOrder": 1},
	      {"id": "consult-half", "group": "consult", "discountPercent": "50", "allowed": "unlimited", "startDay": 0, "endDay": 365, "viewOrder": 2}]}]}`
	var c plan.Catalog
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		fmt.Println(err)
		return
	}
	warnings, err := c.Lint("dog-m")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range warnings {
		fmt.Println(w.Path, w.Code)
		fmt.Println(" ", w.Message)
	}
	// Output:
	// plans[0].rules[1].startDay windowGap
	//   Rule flea-b starts on day 92, 2 days after rule flea-a ends on day 90: a pet seen on day 91 gets no discount on Flea treatment.
	// plans[0].rules[3].allowed unlimitedCoreRule
	//   Rule consult-half gives unlimited Consultations, a core group: what a client can take before they stop paying has no limit.
}
