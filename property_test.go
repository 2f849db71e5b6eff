package healthplan_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// propertyTerms draws a plan over a small catalog: two core groups (one
// with a 3-pack) and a food group, rules with random windows, allowances,
// discounts and view orders, and random billing and settlement terms.
func propertyTerms(t *rapid.T) *plan.Terms {
	groups := []plan.Group{
		{ID: "flea", Core: true, Items: []plan.Item{{Code: "FLEA-1"}, {Code: "FLEA-3PK", Units: 3}}},
		{ID: "consult", Core: true, Items: []plan.Item{{Code: "CONSULT"}}},
		{ID: "food", Items: []plan.Item{{Code: "FOOD"}}},
	}
	p := plan.Plan{ID: "p", Species: "dog", TermMonths: rapid.IntRange(1, 24).Draw(t, "termMonths"),
		MonthlyFee:           d(rapid.SampledFrom([]string{"0", "9.99", "15.00", "20.005"}).Draw(t, "fee")),
		JoiningFee:           d(rapid.SampledFrom([]string{"0", "5.00"}).Draw(t, "joining")),
		GraceDays:            rapid.IntRange(0, 10).Draw(t, "grace"),
		SuspendAfterFailures: rapid.IntRange(0, 2).Draw(t, "suspendAfter"),
		Settlement: plan.Settlement{
			Method:          plan.Method(rapid.IntRange(0, 3).Draw(t, "method")),
			Basis:           plan.Basis(rapid.IntRange(0, 1).Draw(t, "basis")),
			CancellationFee: d(rapid.SampledFrom([]string{"0", "25.00"}).Draw(t, "cancellationFee")),
			WaiveFor:        rapid.SampledFrom([][]string{nil, {"deceased"}}).Draw(t, "waive"),
			RefundExcess:    rapid.Bool().Draw(t, "refund"),
			CoolingOffDays:  rapid.SampledFrom([]int{0, 14}).Draw(t, "coolingOff"),
		}}
	if rapid.Bool().Draw(t, "halfEven") {
		p.Rounding = plan.HalfEven
	}
	p.Fees.FourWeeks = decimal.NewNullDecimal(d("13.85"))
	if p.TermMonths%3 == 0 {
		p.Fees.Quarter = decimal.NewNullDecimal(d("44.00"))
	}
	if rapid.Bool().Draw(t, "dunning") {
		p.Dunning = plan.Dunning{RetryDays: []int{3, 7}, PastDueAfter: plan.After(7), SuspendAfter: plan.After(rapid.IntRange(0, 40).Draw(t, "suspendAfterDays")),
			CancelAfter: plan.After(60)}
	}
	p.MultiPetDiscount = plan.PercentOff(d("15"))
	for i := range rapid.IntRange(1, 5).Draw(t, "rules") {
		r := plan.Rule{ID: fmt.Sprint("r", i), Group: rapid.SampledFrom([]string{"flea", "consult", "food"}).Draw(t, "group"),
			StartDay: rapid.IntRange(0, 200).Draw(t, "startDay"), ViewOrder: rapid.IntRange(0, 2).Draw(t, "viewOrder")}
		r.EndDay = r.StartDay + rapid.IntRange(0, 300).Draw(t, "length")
		if rapid.Bool().Draw(t, "percent") {
			r.Discount = plan.PercentOff(d(rapid.SampledFrom([]string{"100", "50", "12.5", "0"}).Draw(t, "pct")))
		} else {
			r.Discount = plan.AmountOff(d(rapid.SampledFrom([]string{"5.00", "0.01", "100"}).Draw(t, "amount")))
		}
		if n := rapid.IntRange(0, 4).Draw(t, "allowed"); n == 0 {
			r.Allowed = plan.Unlimited()
		} else {
			r.Allowed = plan.Allowed(int64(n))
		}
		p.Rules = append(p.Rules, r)
	}
	terms, err := plan.NewTerms(plan.MustCurrency(rapid.SampledFrom([]string{"GBP", "JPY", "KWD"}).Draw(t, "currency")), groups, p)
	if err != nil {
		t.Fatal(err)
	}
	return terms
}

// shadow is the same contract kept with the lower packages, by hand: the
// Contract's results must be theirs.
type shadow struct {
	sub     plan.Subscription
	ledger  *allowance.Ledger
	account billing.Account
	ended   *debt.Settlement
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "marshal: " + err.Error()
	}
	return string(b)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestPropertyContract drives a contract and its shadow with the same
// random operations. After each: the results and errors are the lower
// packages'; the revision rose by exactly one when, and only when, the
// contract changed; and the document is canonical and loads back into a
// contract that goes on giving the same results.
func TestPropertyContract(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		terms := propertyTerms(t)
		src := source(terms)
		in := plan.Enrollment{ID: "S1", Client: "C1", Start: start, Payment: plan.PaymentOption(rapid.IntRange(0, 4).Draw(t, "payment")),
			MultiPet: rapid.Bool().Draw(t, "multiPet")}
		if intervals := terms.Intervals(); rapid.Bool().Draw(t, "otherInterval") {
			in.Interval, _ = plan.ParseInterval(rapid.SampledFrom(intervals).Draw(t, "interval"))
		}
		c, err := healthplan.New(terms, in)
		if err != nil {
			t.Fatal(err)
		}
		sub, _ := terms.Subscribe(in)
		sh := shadow{sub: *sub}
		if sh.ledger, err = allowance.NewLedger(sub); err != nil {
			t.Fatal(err)
		}
		sh.sub = *sub
		sh.sub.Suspensions, _ = billing.Suspensions(sub, nil) // unpaid long enough suspends, payments or not
		items := []string{"FLEA-1", "FLEA-3PK", "CONSULT", "FOOD", "XRAY"}
		day := rapid.IntRange(-5, 800)
		date := func(t *rapid.T) plan.Date { return start.AddDays(day.Draw(t, "day")) }
		visit := func(t *rapid.T) allowance.Visit {
			v := allowance.Visit{Invoice: rapid.SampledFrom([]string{"I1", "I2", "I3", "I4"}).Draw(t, "invoice"), Date: date(t)}
			for i := range rapid.IntRange(0, 3).Draw(t, "lines") {
				v.Lines = append(v.Lines, line(fmt.Sprint("L", i), rapid.SampledFrom(items).Draw(t, "item"),
					rapid.SampledFrom([]string{"1", "2", "0.5", "4"}).Draw(t, "qty"),
					rapid.SampledFrom([]string{"23.49", "0.335", "42", "1000.1"}).Draw(t, "price")))
			}
			return v
		}
		notice := func(t *rapid.T) debt.Notice {
			n := debt.Notice{Date: date(t), Reason: rapid.SampledFrom([]string{"cancelled", "deceased", "expired"}).Draw(t, "reason"),
				RepayMonths: rapid.SampledFrom([]int{0, 0, 3, 121}).Draw(t, "repayMonths")}
			if rapid.IntRange(0, 3).Draw(t, "override") == 0 {
				n.Override = &debt.Override{Amount: d(rapid.SampledFrom([]string{"50.00", "0", "-1"}).Draw(t, "agreed")), Note: "by hand"}
			}
			return n
		}
		// same compares what the contract gave with what the shadow gave.
		same := func(t *rapid.T, what string, got, want any, gotErr, wantErr error) {
			if errText(gotErr) != errText(wantErr) {
				t.Fatalf("%s: contract error %q, lower packages %q", what, errText(gotErr), errText(wantErr))
			}
			if wantErr == nil && js(got) != js(want) {
				t.Fatalf("%s:\ncontract %s\nlower    %s", what, js(got), js(want))
			}
		}
		// step runs an operation, checking the revision afterwards.
		step := func(t *rapid.T, what string, changes func() bool, op func()) {
			before, doc := c.Revision(), encode(t, c)
			op()
			want := before
			if changes() {
				want++
			}
			if c.Revision() != want {
				t.Fatalf("%s: revision %d -> %d; want %d", what, before, c.Revision(), want)
			}
			if c.Revision() == before && encode(t, c) != doc {
				t.Fatalf("%s changed the contract without a new revision", what)
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"commit": func(t *rapid.T) {
				v := visit(t)
				n := sh.ledger.Len()
				var err error
				step(t, "commit", func() bool { return err == nil && sh.ledger.Len() != n }, func() {
					got, gotErr := c.Commit(v)
					want, wantErr := sh.ledger.Commit(&sh.sub, v)
					same(t, "commit", got, want, gotErr, wantErr)
					err = gotErr
				})
			},
			"quote": func(t *rapid.T) {
				v := visit(t)
				step(t, "quote", func() bool { return false }, func() {
					got, gotErr := c.Quote(v)
					want, wantErr := sh.ledger.Quote(&sh.sub, v)
					same(t, "quote", got, want, gotErr, wantErr)
				})
			},
			"reverse": func(t *rapid.T) {
				inv := rapid.SampledFrom([]string{"I1", "I2", "I3", "I4"}).Draw(t, "invoice")
				id := rapid.SampledFrom([]string{"L0", "L1", "L2"}).Draw(t, "line")
				var err error
				step(t, "reverse", func() bool { return err == nil }, func() {
					got, gotErr := c.Reverse(inv, id)
					want, wantErr := sh.ledger.Reverse(&sh.sub, inv, id)
					same(t, "reverse", got, want, gotErr, wantErr)
					err = gotErr
				})
			},
			"adjust": func(t *rapid.T) {
				rule := rapid.SampledFrom(terms.RuleIDs()).Draw(t, "rule")
				units := d(rapid.SampledFrom([]string{"1", "-1", "2.5", "0"}).Draw(t, "units"))
				var err error
				step(t, "adjust", func() bool { return err == nil }, func() {
					got, gotErr := c.Adjust(rule, units)
					want, wantErr := sh.ledger.Adjust(&sh.sub, rule, units)
					same(t, "adjust", got, want, gotErr, wantErr)
					err = gotErr
				})
			},
			"pay": func(t *rapid.T) {
				p := billing.Payment{Date: date(t), Amount: d(rapid.SampledFrom([]string{"15.00", "9.99", "0", "100.005"}).Draw(t, "amount")),
					Status: billing.PaymentStatus(rapid.IntRange(0, 1).Draw(t, "status"))}
				var err error
				step(t, "pay", func() bool { return err == nil }, func() {
					got, gotErr := c.Pay(p)
					want, wantErr := sh.account.Record(&sh.sub, p)
					same(t, "pay", got, want, gotErr, wantErr)
					err = gotErr
					if wantErr == nil {
						periods, perr := billing.Suspensions(&sh.sub, sh.account.Payments)
						if perr != nil {
							t.Fatal(perr)
						}
						sh.sub.Suspensions = periods
					}
				})
			},
			"standing and statement": func(t *rapid.T) {
				d := date(t)
				step(t, "standing", func() bool { return false }, func() {
					got, gotErr := c.Standing(d)
					want, wantErr := sh.account.Standing(&sh.sub, d)
					same(t, "standing", got, want, gotErr, wantErr)
					gotS, gotErr := c.Statement(d)
					wantS, wantErr := debt.StatementOn(&sh.sub, sh.ledger, &sh.account, d)
					wantS.Ended = sh.ended
					same(t, "statement", gotS, wantS, gotErr, wantErr)
					gotE, gotErr := c.Entitlements(d)
					wantE, wantErr := sh.ledger.Entitlements(&sh.sub, d)
					same(t, "entitlements", gotE, wantE, gotErr, wantErr)
					wantSched, _ := billing.ScheduleFor(&sh.sub)
					same(t, "schedule", c.Schedule(), wantSched, nil, nil)
				})
			},
			"settle": func(t *rapid.T) {
				n := notice(t)
				step(t, "settle", func() bool { return false }, func() {
					got, gotErr := c.Settle(n)
					want, wantErr := debt.Settle(&sh.sub, sh.ledger, &sh.account, n)
					same(t, "settle", got, want, gotErr, wantErr)
				})
			},
			"terminate": func(t *rapid.T) {
				n := notice(t)
				var err error
				step(t, "terminate", func() bool { return err == nil }, func() {
					got, gotErr := c.Terminate(n)
					want, term, wantErr := debt.Terminate(&sh.sub, sh.ledger, &sh.account, n)
					same(t, "terminate", got, want, gotErr, wantErr)
					err = gotErr
					if wantErr == nil {
						sh.sub.Termination = &term
						sh.ended = &want
						periods, _ := billing.Suspensions(&sh.sub, sh.account.Payments)
						sh.sub.Suspensions = periods
					}
				})
			},
			"store and load": func(t *rapid.T) {
				doc := encode(t, c)
				back, err := healthplan.Load([]byte(doc), src)
				if err != nil {
					t.Fatalf("%v\n%s", err, doc)
				}
				if again := encode(t, back); again != doc {
					t.Fatalf("not canonical:\n%s\n%s", doc, again)
				}
				if back.Revision() != c.Revision() || js(back.Subscription().Suspensions) != js(c.Subscription().Suspensions) {
					t.Fatalf("revision %d / %d, suspensions %v / %v after loading", back.Revision(), c.Revision(),
						back.Subscription().Suspensions, c.Subscription().Suspensions)
				}
				c = back
			},
		})
	})
}

// FuzzLoad: any bytes load to a contract or an error, never a panic; a
// contract loaded re-encodes to a document that loads to the same bytes.
func FuzzLoad(f *testing.F) {
	terms := exampleTerms()
	src := source(terms)
	doc := encode(f, exampleContract())
	f.Add([]byte(doc))
	c := exampleContract()
	if _, err := c.Terminate(debt.Notice{Date: start.AddDays(90), Reason: "moved"}); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(encode(f, c)))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"revision":0,"terms":{"plan":"dog-m","terms":"sha256:0"},"subscription":{}}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := healthplan.Load(data, src)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error with no message")
			}
			return
		}
		once := encode(t, c)
		back, err := healthplan.Load([]byte(once), src)
		if err != nil {
			t.Fatalf("the encoding of a loaded contract does not load: %v\n%s", err, once)
		}
		if twice := encode(t, back); twice != once {
			t.Fatalf("encodings differ:\n%s\n%s", once, twice)
		}
		// Whatever was loaded can be worked with.
		_, _ = c.Commit(allowance.Visit{Invoice: "F", Date: start.AddDays(85), Lines: []allowance.Line{line("1", "FLEA-1", "1", "23.49")}})
		_, _ = c.Statement(start.AddDays(100))
		_, _ = c.Settle(debt.Notice{Date: start.AddDays(100), Reason: "cancelled"})
	})
}
