package debt

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/plan"
)

// displayName is a group's name for a client, or its id when it has none.
func displayName(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

// units writes a number of allowance units: "1 unit", "2.5 units".
func units(d decimal.Decimal) string {
	if d.Equal(decimal.New(1, 0)) {
		return "1 unit"
	}
	return num.Format(d) + " units"
}

// textWriter lays out a printable document: labels on the left, amounts
// right-aligned in one column.
type textWriter struct {
	b   strings.Builder
	cur plan.Currency
}

const textWidth = 64

func (w *textWriter) line(format string, args ...any) {
	fmt.Fprintf(&w.b, format+"\n", args...)
}

func (w *textWriter) amount(label string, d decimal.Decimal) {
	w.row(label, w.cur.Format(d))
}

func (w *textWriter) row(label, value string) {
	pad := textWidth - len([]rune(label)) - len(value)
	if pad < 1 {
		pad = 1
	}
	w.line("%s%s%s", label, strings.Repeat(" ", pad), value)
}

func (w *textWriter) rule() { w.line("%s", strings.Repeat("-", textWidth)) }

var methodText = map[plan.Method]string{
	plan.CoreValue:         "value of core treatments used, less payments (V - P)",
	plan.RemainingPayments: "what is unpaid of the contract total (R)",
	plan.LesserOf:          "the lesser of V - P and R",
	plan.NoDebt:            "nothing owed",
}

// Text renders the settlement for a client: the core treatments counted,
// group by group, the payments, the contract, the method and the result.
func (s Settlement) Text() string {
	w := &textWriter{cur: s.Currency}
	w.line("SETTLEMENT  subscription %s", s.Subscription)
	w.line("Ended %s (%s), day %d of the term", s.Date, s.Reason, s.Day)
	w.rule()
	basis := "discount given"
	if s.Basis == plan.ListBasis {
		basis = "list price"
	}
	w.line("Core treatments used (valued at the %s)", basis)
	if len(s.Core) == 0 {
		w.line("  none")
	}
	for _, g := range s.Core {
		w.line("  %s", displayName(g.Name, g.Group))
		for _, r := range g.Redemptions {
			v := r.Discount
			if s.Basis == plan.ListBasis {
				v = r.ListValue
			}
			w.row(fmt.Sprintf("    %s  %s/%s  %s × %s", r.Date, r.Invoice, r.Line, num.Format(r.Units), r.Item), s.Currency.Format(v))
		}
		w.amount("    subtotal", g.Value)
	}
	w.amount("Core value (V)", s.CoreValue)
	w.amount(fmt.Sprintf("Paid by %s (P)", s.Date), s.Paid)
	w.amount("Contract total (F)", s.ContractTotal)
	w.amount("Unpaid of the contract (R)", s.Remaining)
	w.rule()
	method := s.Method.String()
	switch {
	case s.CoolingOff:
		method += ", within the cooling-off period"
	case s.Reason == plan.ReasonExpired:
		method += ", the term ran its course"
	}
	w.line("Method: %s", method)
	w.line("  %s", methodText[s.Method])
	w.amount("Owed", s.Owed)
	w.amount("Cancellation fee", s.Fee)
	if s.Waived {
		w.line("Waived: nothing is owed when a plan ends for reason %q", s.Reason)
	}
	w.rule()
	w.amount("DEBT", s.Debt)
	w.amount("REFUND", s.Refund)
	return w.b.String()
}

// WriteText writes Text to w.
func (s Settlement) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, s.Text())
	return err
}

type redemptionJSON struct {
	Invoice   string `json:"invoice"`
	Line      string `json:"line"`
	Item      string `json:"item"`
	Date      string `json:"date"`
	Rule      string `json:"rule"`
	Units     string `json:"units"`
	Discount  string `json:"discount"`
	ListValue string `json:"listValue"`
}

type groupValueJSON struct {
	Group       string           `json:"group"`
	Name        string           `json:"name,omitempty"`
	Value       string           `json:"value"`
	Redemptions []redemptionJSON `json:"redemptions"`
}

type settlementJSON struct {
	Subscription  string           `json:"subscription"`
	Currency      string           `json:"currency"`
	Date          string           `json:"date"`
	Reason        string           `json:"reason"`
	Day           int              `json:"day"`
	Method        string           `json:"method"`
	Basis         string           `json:"basis"`
	CoreValue     string           `json:"coreValue"`
	Core          []groupValueJSON `json:"core"`
	Paid          string           `json:"paid"`
	ContractTotal string           `json:"contractTotal"`
	Remaining     string           `json:"remaining"`
	Fee           string           `json:"fee"`
	Owed          string           `json:"owed"`
	Debt          string           `json:"debt"`
	Refund        string           `json:"refund"`
	Waived        bool             `json:"waived"`
	CoolingOff    bool             `json:"coolingOff"`
}

func redemptionOut(c plan.Currency, r allowance.Redemption) redemptionJSON {
	return redemptionJSON{Invoice: r.Invoice, Line: r.Line, Item: r.Item, Date: r.Date.String(), Rule: r.Rule,
		Units: num.Format(r.Units), Discount: c.Format(r.Discount), ListValue: c.Format(r.ListValue)}
}

func (s Settlement) out() settlementJSON {
	c := s.Currency
	j := settlementJSON{Subscription: s.Subscription, Currency: c.Code(), Date: s.Date.String(), Reason: s.Reason, Day: s.Day,
		Method: s.Method.String(), Basis: s.Basis.String(), CoreValue: c.Format(s.CoreValue), Core: []groupValueJSON{},
		Paid: c.Format(s.Paid), ContractTotal: c.Format(s.ContractTotal), Remaining: c.Format(s.Remaining),
		Fee: c.Format(s.Fee), Owed: c.Format(s.Owed), Debt: c.Format(s.Debt), Refund: c.Format(s.Refund),
		Waived: s.Waived, CoolingOff: s.CoolingOff}
	for _, g := range s.Core {
		gj := groupValueJSON{Group: g.Group, Name: g.Name, Value: c.Format(g.Value), Redemptions: []redemptionJSON{}}
		for _, r := range g.Redemptions {
			gj.Redemptions = append(gj.Redemptions, redemptionOut(c, r))
		}
		j.Core = append(j.Core, gj)
	}
	return j
}

// MarshalJSON writes the itemised settlement, amounts as strings with the
// currency's minor units.
func (s Settlement) MarshalJSON() ([]byte, error) { return json.Marshal(s.out()) }

// Text renders the statement for the client.
func (st Statement) Text() string {
	w := &textWriter{cur: st.Currency}
	w.line("STATEMENT  %s, subscription %s (plan %s)", st.Date, st.Subscription, st.Plan)
	w.line("Patient %s, client %s", st.Patient, st.Client)
	w.line("Term %s to %s, %s", st.Start, st.End, st.Status)
	w.rule()
	w.line("Saved so far")
	if len(st.Groups) == 0 {
		w.line("  nothing yet")
	}
	for _, g := range st.Groups {
		w.amount(fmt.Sprintf("  %s (%s)", displayName(g.Name, g.Group), units(g.Units)), g.Discount)
	}
	w.amount("Total saved", st.Savings)
	w.rule()
	w.line("Still to use")
	tw := tabwriter.NewWriter(&w.b, 0, 0, 2, ' ', 0)
	for _, e := range st.Entitlements {
		left := "unlimited"
		if !e.Allowed.IsUnlimited() {
			left = fmt.Sprintf("%s of %s left", num.Format(e.Remaining), e.Allowed)
		}
		fmt.Fprintf(tw, "  %s\t%s off\t%s to %s\t%s\t%s\n", e.Rule, e.Discount, e.From, e.To, left, e.Status)
	}
	tw.Flush()
	w.rule()
	w.amount("Contract total", st.ContractTotal)
	w.amount(fmt.Sprintf("Paid by %s", st.Date), st.Paid)
	w.amount("Due by then", st.Due)
	w.amount("Arrears", st.Arrears)
	if !st.NextDue.IsZero() {
		w.row("Next installment due", st.NextDue.String())
	}
	w.rule()
	switch {
	case st.CostToCancel != nil:
		c := st.CostToCancel
		if c.Refund.IsPositive() {
			w.amount("Cancelling today: refund", c.Refund)
		} else {
			w.amount("Cancelling today would cost", c.Debt)
		}
		w.line("  (%s: %s)", c.Method, methodText[c.Method])
	case st.Termination != nil:
		w.line("Ended %s (%s)", st.Termination.Date, st.Termination.Reason)
	}
	return w.b.String()
}

// WriteText writes Text to w.
func (st Statement) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, st.Text())
	return err
}

// MarshalJSON writes the statement, amounts as strings with the currency's
// minor units.
func (st Statement) MarshalJSON() ([]byte, error) {
	c := st.Currency
	type groupJSON struct {
		Group    string `json:"group"`
		Name     string `json:"name,omitempty"`
		Core     bool   `json:"core"`
		Discount string `json:"discount"`
		Units    string `json:"units"`
	}
	type entJSON struct {
		Rule      string `json:"rule"`
		Group     string `json:"group"`
		Discount  string `json:"discount"`
		Allowed   string `json:"allowed"`
		Used      string `json:"used"`
		Remaining string `json:"remaining"`
		From      string `json:"from"`
		To        string `json:"to"`
		Status    string `json:"status"`
	}
	type termJSON struct {
		Date   string `json:"date"`
		Reason string `json:"reason"`
	}
	out := struct {
		Subscription  string          `json:"subscription"`
		Client        string          `json:"client"`
		Patient       string          `json:"patient"`
		Plan          string          `json:"plan"`
		Currency      string          `json:"currency"`
		Date          string          `json:"date"`
		Status        string          `json:"status"`
		Start         string          `json:"start"`
		End           string          `json:"end"`
		Savings       string          `json:"savings"`
		Groups        []groupJSON     `json:"groups"`
		Entitlements  []entJSON       `json:"entitlements"`
		ContractTotal string          `json:"contractTotal"`
		Paid          string          `json:"paid"`
		Due           string          `json:"due"`
		Arrears       string          `json:"arrears"`
		NextDue       string          `json:"nextDue,omitempty"`
		CostToCancel  *settlementJSON `json:"costToCancel,omitempty"`
		Termination   *termJSON       `json:"termination,omitempty"`
	}{Subscription: st.Subscription, Client: st.Client, Patient: st.Patient, Plan: st.Plan, Currency: c.Code(),
		Date: st.Date.String(), Status: st.Status.String(), Start: st.Start.String(), End: st.End.String(),
		Savings: c.Format(st.Savings), Groups: []groupJSON{}, Entitlements: []entJSON{},
		ContractTotal: c.Format(st.ContractTotal), Paid: c.Format(st.Paid), Due: c.Format(st.Due), Arrears: c.Format(st.Arrears)}
	for _, g := range st.Groups {
		out.Groups = append(out.Groups, groupJSON{g.Group, g.Name, g.Core, c.Format(g.Discount), num.Format(g.Units)})
	}
	for _, e := range st.Entitlements {
		rem := "unlimited"
		if !e.Allowed.IsUnlimited() {
			rem = num.Format(e.Remaining)
		}
		out.Entitlements = append(out.Entitlements, entJSON{e.Rule, e.Group, e.Discount.String(), e.Allowed.String(),
			num.Format(e.Used), rem, e.From.String(), e.To.String(), e.Status.String()})
	}
	if !st.NextDue.IsZero() {
		out.NextDue = st.NextDue.String()
	}
	if st.CostToCancel != nil {
		j := st.CostToCancel.out()
		out.CostToCancel = &j
	}
	if t := st.Termination; t != nil {
		out.Termination = &termJSON{t.Date.String(), t.Reason}
	}
	return json.Marshal(out)
}
