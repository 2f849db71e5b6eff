package exposure

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/internal/designgen"
	"github.com/vetplan/healthplan/plan"
)

// fataler is what the helpers need of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var jan5 = plan.MustParseDate("2026-01-05")

func genDecimal(t *rapid.T, label string, maxWhole int64, places int) decimal.Decimal {
	scale := int64(1)
	for range places {
		scale *= 10
	}
	return decimal.New(rapid.Int64Range(0, maxWhole*scale).Draw(t, label), -int32(places))
}

func mustTerms(tb fataler, doc string) *plan.Terms {
	tb.Helper()
	var t plan.Terms
	if err := t.UnmarshalJSON([]byte(doc)); err != nil {
		tb.Fatalf("terms: %v\n%s", err, doc)
	}
	return &t
}

// at is the value of a step curve on a day.
func at(curve []Point, day int) decimal.Decimal {
	v := decimal.Decimal{}
	for _, p := range curve {
		if p.Day > day {
			break
		}
		v = p.Exposure
	}
	return v
}

// spec is a random design and its analysis's input.
type spec struct {
	terms string
	in    Input
}

func genSpec(t *rapid.T, sz designgen.Sizes) spec {
	d := designgen.Draw(t, sz)
	in := Input{Terms: mustTerms(t, d.Terms), Start: d.Start, Prices: d.Prices, Payment: d.Payment, Interval: d.Interval,
		MultiPet: d.MultiPet, UnitsCap: d.UnitsCap}
	return spec{terms: d.Terms, in: in}
}

// The exposure never falls (a client can always fail the next installment
// and buy nothing more), starts at day 0 and peaks at its last point.
func TestCurveMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rep, err := Analyse(genSpec(t, designgen.Small()).in)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Unbounded) > 0 {
			t.Fatalf("unbounded with a cap: %v", rep.Unbounded)
		}
		for i := 1; i < len(rep.Curve); i++ {
			if !rep.Curve[i].Exposure.GreaterThan(rep.Curve[i-1].Exposure) || rep.Curve[i].Day <= rep.Curve[i-1].Day {
				t.Fatalf("the curve does not rise at %d: %v", i, rep.Curve)
			}
		}
		if !rep.Peak.Exposure.Equal(rep.Curve[len(rep.Curve)-1].Exposure) || rep.Peak.Day != rep.Curve[len(rep.Curve)-1].Day {
			t.Fatalf("peak %v is not the curve's last point %v", rep.Peak, rep.Curve)
		}
		if rep.Curve[0].Day != 0 || rep.Curve[0].Exposure.IsNegative() {
			t.Fatalf("the curve does not start at day 0 at or above 0: %v", rep.Curve)
		}
	})
}

// The clients reported end on their peaks' days, and the paying one pays
// everything; package debt replays them through the engine.
func TestClientsReachTheirPoints(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rep, err := Analyse(genSpec(t, designgen.Small()).in)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Worst.Day != rep.Peak.Day || len(rep.Worst.Doc) == 0 || rep.Paying.Client.Day != rep.Paying.Peak.Day {
			t.Fatalf("clients end on days %d and %d, peaks on %d and %d", rep.Worst.Day, rep.Paying.Client.Day, rep.Peak.Day, rep.Paying.Peak.Day)
		}
		for _, p := range rep.Paying.Client.Payments {
			if !p.Taken {
				t.Fatalf("the paying client fails a payment: %+v", rep.Paying.Client.Payments)
			}
		}
	})
}
