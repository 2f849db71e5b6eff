package debt_test

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/internal/designgen"
)

// For random plans, price lists and start dates, the worst client replays
// through the engine to exactly the peak (its terminate preview's
// coreValue minus paid), the paying client to its own peak, and the
// worst client's terminate preview is the claim.
func TestPropertyWorstClientReplays(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := drawInput(t, designgen.Small())
		checkReport(t, in, exposureOf(t, in))
	})
}

// No random client (whole quantities of priced items at list price, any
// days, any mix of taken and failed installments) ends a day with V − P
// above the curve; no client who pays everything above the paying curve.
func TestPropertyNoClientBeatsTheCurve(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := drawInput(t, designgen.Small())
		rep := exposureOf(t, in)
		if rapid.IntRange(0, 3).Draw(t, "paying") == 0 {
			neverAbove(t, in, rep.Paying.Curve, true)
		} else {
			neverAbove(t, in, rep.Curve, false)
		}
	})
}

// The same on plans that all suspend by days past due.
func TestPropertyDaysRuleAgainstEngine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := designgen.Draw(t, designgen.Small())
		if !strings.Contains(d.Terms, `"dunning"`) {
			d.Terms = strings.Replace(d.Terms, `"plan":{`, fmt.Sprintf(`"plan":{"dunning":{"suspendAfterDays":%d},`, rapid.IntRange(0, 60).Draw(t, "afterDays")), 1)
		}
		in := inputOf(t, d)
		if !in.Terms.Dunning().SuspendAfter.Set {
			t.Fatalf("no days rule in %s", d.Terms)
		}
		rep := exposureOf(t, in)
		checkReport(t, in, rep)
		neverAbove(t, in, rep.Curve, false)
	})
}
