package healthplan_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// tb is what the helpers need of *testing.T, *testing.F and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
}

func encode(t tb, c *healthplan.Contract) string {
	t.Helper()
	b, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func source(ts ...*plan.Terms) healthplan.TermsMap {
	m := healthplan.TermsMap{}
	for _, t := range ts {
		m.Add(t)
	}
	return m
}

// paths lists the JSON paths of an error's problems.
func paths(err error) []string {
	var out []string
	for _, p := range plan.Problems(err) {
		out = append(out, p.Path)
	}
	return out
}

func TestDocument(t *testing.T) {
	c := exampleContract()
	if _, err := c.Terminate(debt.Notice{Date: start.AddDays(100), Reason: "cancelled"}); err != nil {
		t.Fatal(err)
	}
	got := encode(t, c)
	ref := c.Ref()
	want := `{"version":1,"revision":3,"terms":{"plan":"dog-m","terms":"` + ref.Digest + `"},` +
		`"subscription":{"id":"REX-2026","client":"SMITH","patient":{"id":"REX","species":"dog"},"start":"2026-01-10","payment":"monthly"},` +
		`"usage":{"visits":[{"invoice":"INV-1","date":"2026-04-05","lines":[["1","FLEA-1","4","23.49",[["flea-a","3","70.47","70.47"],["flea-b","1","23.49","23.49"]]],["2","CONSULT","1","42",[["consult","1","42.00","42.00"]]]]}],"adjustments":[]},` +
		`"payments":[{"date":"2026-01-10","amount":"15.00","status":"taken"}],` +
		`"termination":{"date":"2026-04-20","reason":"cancelled","settlement":{"method":"coreValue","coreValue":"135.96","paid":"15.00","contractTotal":"180.00","remaining":"165.00","fee":"0.00","owed":"120.96","debt":"120.96","refund":"0.00","waived":false}},` +
		`"renewedAs":""}`
	if got != want {
		t.Errorf("document:\n got %s\nwant %s", got, want)
	}
	if !strings.HasPrefix(ref.Digest, "sha256:") || len(ref.Digest) != len("sha256:")+64 {
		t.Errorf("digest %q; want sha256:<64 hex digits>", ref.Digest)
	}
	back, err := healthplan.Load([]byte(got), source(c.Terms()))
	if err != nil {
		t.Fatal(err)
	}
	if again := encode(t, back); again != got {
		t.Errorf("not canonical after a round trip:\n%s\n%s", got, again)
	}
	s1, _ := c.Settlement()
	s2, ok := back.Settlement()
	if !ok || !cmp.Equal(debt.Summary{Settlement: s1}, debt.Summary{Settlement: s2}, cmp.Comparer(summaryEqual)) {
		t.Errorf("the settlement after a round trip: %+v, want %+v", s2, s1)
	}
	sub := back.Subscription()
	if sub.Termination == nil || sub.Termination.Reason != "cancelled" || sub.StatusOn(start) != plan.Cancelled {
		t.Errorf("the termination after a round trip: %+v", sub.Termination)
	}
}

func summaryEqual(a, b debt.Summary) bool {
	x, _ := a.MarshalJSON()
	y, _ := b.MarshalJSON()
	return string(x) == string(y)
}

// TestTermsDigest: the digest is of the terms' canonical document, so equal
// terms written differently hash alike and any change hashes otherwise.
func TestTermsDigest(t *testing.T) {
	a := exampleTerms()
	doc, err := a.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if plan.Digest(doc) != a.Digest() {
		t.Errorf("Digest(MarshalJSON) %s, Terms.Digest %s", plan.Digest(doc), a.Digest())
	}
	var spaced plan.Terms
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(doc), ",", " ,\n ")), &spaced); err != nil {
		t.Fatal(err)
	}
	if spaced.Digest() != a.Digest() {
		t.Errorf("the same terms written with white space hash to %s, not %s", spaced.Digest(), a.Digest())
	}
	var edited plan.Terms
	if !strings.Contains(string(doc), `"monthlyFee":"15"`) {
		t.Fatalf("no monthly fee to edit in %s", doc)
	}
	if err := json.Unmarshal([]byte(strings.Replace(string(doc), `"monthlyFee":"15"`, `"monthlyFee":"15.01"`, 1)), &edited); err != nil {
		t.Fatal(err)
	}
	if edited.Digest() == a.Digest() {
		t.Errorf("a fee changed by a penny hashes the same")
	}
}

func TestLoadRefuses(t *testing.T) {
	c := exampleContract()
	terms := c.Terms()
	doc := encode(t, c)
	ref := c.Ref()
	other := exampleTerms() // equal terms, another value: the same digest
	edited, err := plan.NewTerms(plan.MustCurrency("GBP"), terms.Groups(), func() plan.Plan { p := terms.Plan(); p.GraceDays = 5; return p }())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		doc    string
		src    healthplan.TermsSource
		paths  []string
		is     error
		syntax bool
	}{
		{"another version", strings.Replace(doc, `"version":1`, `"version":2`, 1), nil, []string{"version"}, healthplan.ErrVersion, false},
		{"a version that is not a number", strings.Replace(doc, `"version":1`, `"version":"1"`, 1), nil, []string{"version"}, healthplan.ErrVersion, false},
		{"terms the source does not hold", doc, source(edited), []string{"terms.terms"}, healthplan.ErrUnknownTerms, false},
		{"terms that do not match their digest", doc, mismatched{edited}, []string{"terms.terms"}, healthplan.ErrTermsMismatch, false},
		{"terms of another plan", strings.Replace(doc, `"plan":"dog-m"`, `"plan":"cat"`, 1), nil, []string{"terms.plan"}, healthplan.ErrTermsMismatch, false},
		{"usage beyond an allowance", strings.Replace(doc, `"adjustments":[]`, `"adjustments":[["flea-b","3"]]`, 1), nil, []string{"usage"}, nil, false},
		{"a split on a rule of another group", strings.Replace(doc, `["consult","1","42.00","42.00"]`, `["food","1","4.20","42.00"]`, 1), nil,
			[]string{"usage.visits[0].lines[1][4][0][0]"}, nil, false},
		{"an unknown field", strings.Replace(doc, `"renewedAs"`, `"renewedAs":"","renewdAs"`, 1), nil, []string{"renewdAs"}, nil, false},
		{"a field twice", strings.Replace(doc, `"revision":2`, `"revision":2,"revision":3`, 1), nil, []string{"revision"}, nil, false},
		{"a missing field", strings.Replace(doc, `"revision":2,`, ``, 1), nil, []string{"revision"}, nil, false},
		{"a negative revision", strings.Replace(doc, `"revision":2`, `"revision":-1`, 1), nil, []string{"revision"}, nil, false},
		{"a payment not in minor units", strings.Replace(doc, `"amount":"15.00"`, `"amount":"15.001"`, 1), nil, []string{"payments[0].amount"}, nil, false},
		{"a payment of no known status", strings.Replace(doc, `"status":"taken"`, `"status":"bounced"`, 1), nil, []string{"payments[0].status"}, nil, false},
		{"an enrollment without an id", strings.Replace(doc, `"id":"REX-2026",`, ``, 1), nil, []string{"subscription.id"}, nil, false},
		{"an enrollment with a typo", strings.Replace(doc, `"client":`, `"cleint":`, 1), nil, []string{"subscription.cleint"}, nil, false},
		{"renewed as itself", strings.Replace(doc, `"renewedAs":""`, `"renewedAs":"REX-2026"`, 1), nil, []string{"renewedAs"}, nil, false},
		{"a termination without a reason", strings.Replace(doc, `"termination":null`, `"termination":{"date":"2026-04-01","settlement":{}}`, 1), nil,
			[]string{"termination.reason"}, nil, false},
		{"expired before the term's end", strings.Replace(doc, `"termination":null`, `"termination":{"date":"2026-04-01","reason":"expired","settlement":{}}`, 1), nil,
			[]string{"termination.date"}, debt.ErrNotExpired, false},
		{"problems in several parts at once", strings.Replace(strings.Replace(doc, `"amount":"15.00"`, `"amount":"-1"`, 1), `"4","23.49"`, `"0","23.49"`, 1), nil,
			[]string{"usage.visits[0].lines[0][2]", "payments[0].amount"}, nil, false},
		{"malformed JSON", doc[:len(doc)-3], nil, nil, nil, true},
		{"not an object", `[1]`, nil, []string{""}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if src == nil {
				src = source(other)
			}
			got, err := healthplan.Load([]byte(tt.doc), src)
			if err == nil {
				t.Fatalf("accepted: %s", encode(t, got))
			}
			if got != nil {
				t.Errorf("a refused document gave a contract")
			}
			if tt.syntax {
				if !strings.Contains(err.Error(), "line 1, column") {
					t.Errorf("malformed JSON: %v; want its line and column", err)
				}
				return
			}
			if diff := cmp.Diff(tt.paths, paths(err)); diff != "" {
				t.Errorf("problem paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v; want one wrapping %v", err, tt.is)
			}
		})
	}
	if _, err := healthplan.Load([]byte(doc), source(other)); err != nil {
		t.Errorf("the document itself: %v", err)
	}
	_ = ref
}

// mismatched answers every reference with the same terms, whatever they
// are: a source with a bug, or a table edited by hand.
type mismatched struct{ t *plan.Terms }

func (m mismatched) Terms(healthplan.TermsRef) (*plan.Terms, error) { return m.t, nil }

// failing is a source whose store is down: its error is not the
// document's fault and comes back as it is.
type failing struct{}

var errDown = errors.New("terms store is down")

func (failing) Terms(healthplan.TermsRef) (*plan.Terms, error) { return nil, errDown }

func TestLoadPassesOnTheSourcesError(t *testing.T) {
	_, err := healthplan.Load([]byte(encode(t, exampleContract())), failing{})
	if !errors.Is(err, errDown) || len(plan.Problems(err)) != 0 {
		t.Errorf("Load with a failing source: %v; want its error, not a problem with the document", err)
	}
}

// TestRevision: every operation that changes the contract raises the
// revision by exactly one, and every one that does not leaves it.
func TestRevision(t *testing.T) {
	terms := exampleTerms()
	c, err := healthplan.New(terms, plan.Enrollment{ID: "S1", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	v := allowance.Visit{Invoice: "I1", Date: start.AddDays(5), Lines: []allowance.Line{line("1", "FLEA-1", "1", "10")}}
	cancel := debt.Notice{Date: start.AddDays(30), Reason: "cancelled"}
	steps := []struct {
		name    string
		op      func() error
		changes bool
	}{
		{"quote", func() error { _, err := c.Quote(v); return err }, false},
		{"commit", func() error { _, err := c.Commit(v); return err }, true},
		{"commit again, unchanged", func() error { _, err := c.Commit(v); return err }, false},
		{"commit an empty visit", func() error {
			_, err := c.Commit(allowance.Visit{Invoice: "I0", Date: start})
			return err
		}, false},
		{"commit a conflicting line (refused)", func() error {
			w := v
			w.Lines = []allowance.Line{line("1", "FLEA-1", "2", "10")}
			_, err := c.Commit(w)
			return wantErr(err)
		}, false},
		{"reverse", func() error { _, err := c.Reverse("I1", "1"); return err }, true},
		{"reverse again (refused)", func() error { _, err := c.Reverse("I1", "1"); return wantErr(err) }, false},
		{"adjust", func() error { _, err := c.Adjust("flea-a", d("1")); return err }, true},
		{"adjust beyond the allowance (refused)", func() error { _, err := c.Adjust("flea-a", d("5")); return wantErr(err) }, false},
		{"pay", func() error {
			_, err := c.Pay(billing.Payment{Date: start, Amount: d("15"), Status: billing.Taken})
			return err
		}, true},
		{"a payment of no status (refused)", func() error {
			_, err := c.Pay(billing.Payment{Date: start, Amount: d("15"), Status: 9})
			return wantErr(err)
		}, false},
		{"standing", func() error { _, err := c.Standing(start.AddDays(40)); return err }, false},
		{"entitlements", func() error { _, err := c.Entitlements(start); return err }, false},
		{"schedule", func() error { c.Schedule(); return nil }, false},
		{"statement", func() error { _, err := c.Statement(start.AddDays(40)); return err }, false},
		{"settle (a preview)", func() error { _, err := c.Settle(cancel); return err }, false},
		{"renew before the term ends", func() error {
			r, err := c.Renew(terms, "S1-2", plan.Patient{})
			if err == nil && r.Contract.Revision() != 0 {
				return fmt.Errorf("the renewal's revision is %d", r.Contract.Revision())
			}
			return err
		}, true},
		{"renew again (refused)", func() error {
			_, err := c.Renew(terms, "S1-3", plan.Patient{})
			if !errors.Is(err, healthplan.ErrRenewed) || !errors.Is(err, billing.ErrNotRenewable) {
				return fmt.Errorf("renewing twice: %v", err)
			}
			return nil
		}, false},
		{"terminate", func() error { _, err := c.Terminate(cancel); return err }, true},
		{"terminate again (refused)", func() error { _, err := c.Terminate(cancel); return wantErr(err) }, false},
		{"a payment after termination", func() error {
			_, err := c.Pay(billing.Payment{Date: start.AddDays(40), Amount: d("15"), Status: billing.Taken})
			return err
		}, true},
	}
	for _, s := range steps {
		before, doc := c.Revision(), encode(t, c)
		if err := s.op(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		want := before
		if s.changes {
			want++
		}
		if c.Revision() != want {
			t.Errorf("%s: revision %d -> %d; want %d", s.name, before, c.Revision(), want)
		}
		if after := encode(t, c); !s.changes && after != doc {
			t.Errorf("%s changed the document:\n%s\n%s", s.name, doc, after)
		}
	}
}

// wantErr turns an expected refusal into success, and an unexpected
// success into an error.
func wantErr(err error) error {
	if err == nil {
		return errors.New("accepted; want a refusal")
	}
	return nil
}

// TestOperationsChangeOnlyTheContract: what a caller hands a contract is
// never changed, and two contracts sold on the same terms share nothing
// but them.
func TestOperationsChangeOnlyTheContract(t *testing.T) {
	terms := exampleTerms()
	termsDoc, _ := terms.MarshalJSON()
	a, _ := healthplan.New(terms, plan.Enrollment{ID: "A", Start: start})
	b, _ := healthplan.New(terms, plan.Enrollment{ID: "B", Start: start})
	lines := []allowance.Line{line("1", "FLEA-1", "4", "23.49")}
	v := allowance.Visit{Invoice: "I", Date: start.AddDays(85), Lines: lines}
	if _, err := a.Commit(v); err != nil {
		t.Fatal(err)
	}
	if lines[0].ID != "1" || !lines[0].Qty.Equal(d("4")) || len(v.Lines) != 1 {
		t.Errorf("Commit changed the visit it was handed: %+v", v)
	}
	if _, err := a.Pay(billing.Payment{Date: start, Amount: d("15"), Status: billing.Failed}); err != nil {
		t.Fatal(err)
	}
	sub := a.Subscription()
	sub.Suspensions = append(sub.Suspensions, plan.Period{From: start})
	if got := a.Subscription(); len(got.Suspensions) != 0 {
		t.Errorf("editing the copy Subscription returns changed the contract: %v", got.Suspensions)
	}
	if doc, _ := terms.MarshalJSON(); string(doc) != string(termsDoc) {
		t.Errorf("operations changed the terms")
	}
	ents, _ := b.Entitlements(start.AddDays(85))
	if !ents.Rules[0].Used.IsZero() || b.Revision() != 0 || len(b.Payments()) != 0 {
		t.Errorf("another contract on the same terms changed: %+v", ents.Rules[0])
	}
}

// TestSuspensionComesFromThePayments: failed payments suspend the contract
// for the dates the plan says, and a visit in the suspension gets no
// discount; the periods are derived again when the contract is loaded.
func TestSuspensionComesFromThePayments(t *testing.T) {
	var cat plan.Catalog
	if err := json.Unmarshal([]byte(`{"currency":"GBP","groups":[{"id":"flea","core":true,"items":[{"code":"FLEA-1"}]}],
	  "plans":[{"id":"p","species":"dog","termMonths":12,"monthlyFee":"15.00","suspendAfterFailures":2,
	    "rules":[{"id":"flea","group":"flea","discountPercent":"100","allowed":10,"endDay":365}]}]}`), &cat); err != nil {
		t.Fatal(err)
	}
	terms, _ := cat.Terms("p")
	c, _ := healthplan.New(terms, plan.Enrollment{ID: "S", Start: start})
	for _, p := range []billing.Payment{
		{Date: start, Amount: d("15"), Status: billing.Failed},
		{Date: start.AddMonths(1), Amount: d("15"), Status: billing.Failed},
	} {
		if _, err := c.Pay(p); err != nil {
			t.Fatal(err)
		}
	}
	c, err := healthplan.Load([]byte(encode(t, c)), source(terms))
	if err != nil {
		t.Fatal(err)
	}
	sub := c.Subscription()
	if want := []plan.Period{{From: start.AddMonths(1)}}; !cmp.Equal(want, sub.Suspensions, cmp.Comparer(func(a, b plan.Date) bool { return a == b })) {
		t.Errorf("suspensions %v; want %v", sub.Suspensions, want)
	}
	for _, day := range []struct {
		date plan.Date
		off  string
	}{{start.AddDays(30), "10.00"}, {start.AddMonths(1), "0.00"}} {
		res, err := c.Quote(allowance.Visit{Invoice: day.date.String(), Date: day.date, Lines: []allowance.Line{line("1", "FLEA-1", "1", "10")}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Currency.Format(res.Discount); got != day.off {
			t.Errorf("a visit on %s: %s off; want %s", day.date, got, day.off)
		}
	}
	if _, err := c.Pay(billing.Payment{Date: start.AddMonths(1).AddDays(3), Amount: d("30"), Status: billing.Taken}); err != nil {
		t.Fatal(err)
	}
	if res, _ := c.Quote(allowance.Visit{Invoice: "X", Date: start.AddMonths(1).AddDays(3), Lines: []allowance.Line{line("1", "FLEA-1", "1", "10")}}); !res.Discount.Equal(d("10")) {
		t.Errorf("after the arrears are paid: %s off; want 10.00", res.Discount)
	}
}

// reorder writes a contract document's fields in the given order.
func reorder(t *testing.T, doc string, order []string) string {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &fields); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range order {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q: %s", k, fields[k])
	}
	b.WriteByte('}')
	return b.String()
}

// TestLoadAnyFieldOrder: a document whose fields come in another order
// (the usage and payments before the terms they are checked against) loads
// to the same contract, and its problems are the same ones.
func TestLoadAnyFieldOrder(t *testing.T) {
	c := exampleContract()
	doc := encode(t, c)
	bad := strings.Replace(strings.Replace(doc, `"amount":"15.00"`, `"amount":"-1"`, 1), `"4","23.49"`, `"0","23.49"`, 1)
	src := source(c.Terms())
	for _, order := range [][]string{
		{"version", "revision", "terms", "subscription", "usage", "payments", "termination", "renewedAs"},
		{"renewedAs", "termination", "payments", "usage", "subscription", "terms", "revision", "version"},
		{"usage", "version", "revision", "terms", "subscription", "payments", "termination", "renewedAs"},
		{"payments", "version", "revision", "terms", "usage", "subscription", "termination", "renewedAs"},
		{"version", "revision", "terms", "payments", "subscription", "usage", "termination", "renewedAs"},
	} {
		t.Run(strings.Join(order, ","), func(t *testing.T) {
			got, err := healthplan.Load([]byte(reorder(t, doc, order)), src)
			if err != nil {
				t.Fatal(err)
			}
			if again := encode(t, got); again != doc {
				t.Errorf("loaded and written again:\n%s\nwant\n%s", again, doc)
			}
			_, err = healthplan.Load([]byte(reorder(t, bad, order)), src)
			got2 := paths(err)
			slices.Sort(got2)
			if diff := cmp.Diff([]string{"payments[0].amount", "usage.visits[0].lines[0][2]"}, got2); diff != "" {
				t.Errorf("problem paths (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

// TestTermsRefJSON: a reference is written as a contract document names
// its terms, and read back; a reference missing a part, with a part twice
// or with a stray field is refused with every problem's path.
func TestTermsRefJSON(t *testing.T) {
	ref := healthplan.TermsRef{Plan: "dog-m", Digest: "sha256:00ff"}
	b, err := json.Marshal(ref)
	if err != nil || string(b) != `{"plan":"dog-m","terms":"sha256:00ff"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back healthplan.TermsRef
	if err := json.Unmarshal(b, &back); err != nil || back != ref {
		t.Fatalf("Unmarshal = %+v, %v; want %+v", back, err, ref)
	}
	for doc, want := range map[string][]string{
		`{}`: {"plan", "terms"},
		`{"plan":"dog-m","plan":"x","terms":"sha256:1"}`: {"plan"},
		`{"plan":"dog-m","terms":"sha256:1","term":""}`:  {"term"},
		`{"plan":1,"terms":"sha256:1"}`:                  {"plan", "plan"},
		`[]`:                                             {""},
	} {
		var r healthplan.TermsRef
		err := r.UnmarshalJSON([]byte(doc))
		if diff := cmp.Diff(want, paths(err)); diff != "" {
			t.Errorf("%s: problem paths (-want +got):\n%s\nerror: %v", doc, diff, err)
		}
	}
}

// The settlement handed out at termination is the contract's from then on:
// a payment recorded later, even one dated before the termination, changes
// the standing but not the settlement (computed afresh it would owe 15.00
// less), and the repayment plan agreed in it
// is not an installment the account chases.
func TestSettlementIsKeptFromTheTermination(t *testing.T) {
	c := exampleContract()
	end := start.AddDays(100)
	s, err := c.Terminate(debt.Notice{Date: end, Reason: "cancelled", RepayMonths: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Repayment) != 3 || !s.Owed.IsPositive() {
		t.Fatalf("settlement owes %s in %d parts; the test wants a debt repaid in 3", s.Owed, len(s.Repayment))
	}
	before, _ := c.Standing(end)
	if _, err := c.Pay(billing.Payment{Date: end.AddDays(-1), Amount: d("15.00"), Status: billing.Taken}); err != nil {
		t.Fatal(err)
	}
	kept, ok := c.Settlement()
	if !ok || !summaryEqual(debt.Summary{Settlement: s}, debt.Summary{Settlement: kept}) {
		t.Errorf("after a back-dated payment the settlement is %+v; want the one handed out at termination, %+v", kept, s)
	}
	again, err := healthplan.Load([]byte(encode(t, c)), source(c.Terms()))
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := again.Settlement(); !summaryEqual(debt.Summary{Settlement: s}, debt.Summary{Settlement: stored}) {
		t.Errorf("the loaded contract's settlement is %+v; want %+v", stored, s)
	}
	if st, _ := c.Statement(end.AddDays(40)); st.Ended == nil || !summaryEqual(debt.Summary{Settlement: s}, debt.Summary{Settlement: *st.Ended}) {
		t.Errorf("the statement after the termination shows settlement %+v; want %+v", st.Ended, s)
	}
	after, _ := c.Standing(end)
	if want := before.Paid.Add(d("15.00")); !after.Paid.Equal(want) || !after.Due.Equal(before.Due) {
		t.Errorf("standing on %s after the payment: paid %s, due %s; want paid %s, due %s", end, after.Paid, after.Due, want, before.Due)
	}
	// Nothing falls due after the termination: the repayment parts are
	// the practice's to collect, not installments of the plan.
	last := s.Repayment[len(s.Repayment)-1].Due
	if st, _ := c.Standing(last.AddDays(1)); !st.Due.Equal(before.Due) || !st.NextDue.IsZero() {
		t.Errorf("standing after the last repayment part: due %s, next due %s; want due %s and nothing next", st.Due, st.NextDue, before.Due)
	}
}

// Two choices of the interval and dunning rules, seen through a contract:
// an interval the plan does not price is refused even for a client paying
// in advance (the enrollment must stay valid if the practice later moves it
// to installments), and a client more days past due than the plan's
// suspendAfterDays gets no discount in the grace days either, since a
// suspension lasts until the arrears are made up.
func TestIntervalAndDunningChoices(t *testing.T) {
	var cat plan.Catalog
	if err := json.Unmarshal([]byte(`{"currency":"GBP","groups":[{"id":"flea","core":true,"items":[{"code":"FLEA-1"}]}],
	  "plans":[{"id":"p","species":"dog","termMonths":12,"monthlyFee":"15.00","graceDays":14,
	    "dunning":{"suspendAfterDays":30},
	    "rules":[{"id":"flea","group":"flea","discountPercent":"100","allowed":10,"endDay":400}]}]}`), &cat); err != nil {
		t.Fatal(err)
	}
	terms, err := cat.Terms("p")
	if err != nil {
		t.Fatal(err)
	}
	_, err = healthplan.New(terms, plan.Enrollment{ID: "A", Start: start, Payment: plan.Advance, Interval: plan.Quarter})
	if !errors.Is(err, plan.ErrUnpricedInterval) || !slices.Equal(paths(err), []string{"interval"}) {
		t.Errorf("an advance payer on an unpriced quarterly interval: %v (paths %v); want ErrUnpricedInterval at interval", err, paths(err))
	}

	paid, err := healthplan.New(terms, plan.Enrollment{ID: "S", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	unpaid, _ := healthplan.New(terms, plan.Enrollment{ID: "U", Start: start})
	for i := range 12 {
		if _, err := paid.Pay(billing.Payment{Date: start.AddMonths(i), Amount: d("15.00"), Status: billing.Taken}); err != nil {
			t.Fatal(err)
		}
	}
	sub := paid.Subscription()
	graceDay := sub.End().AddDays(7)
	for _, tt := range []struct {
		c    *healthplan.Contract
		want string
	}{{paid, "10.00"}, {unpaid, "0.00"}} {
		res, err := tt.c.Quote(allowance.Visit{Invoice: "G", Date: graceDay, Lines: []allowance.Line{line("1", "FLEA-1", "1", "10")}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Currency.Format(res.Discount); got != tt.want {
			t.Errorf("%s: a visit on %s, in the grace days: %s off; want %s", tt.c.ID(), graceDay, got, tt.want)
		}
	}
}
