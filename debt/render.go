package debt

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// displayName is a group's name for a client, or its id when it has none.
func displayName(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

// count writes n things: "1 monthly part", "3 monthly parts".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

// units writes a number of allowance units: "1 unit", "2.5 units".
func units(d decimal.Decimal) string {
	if d.Equal(decimal.New(1, 0)) {
		return "1 unit"
	}
	return num.Format(d) + " units"
}

// discountText says what a rule takes off: "50% off", or for an amount
// off, the amount with the currency's minor units ("5.50 off").
func discountText(d plan.Discount, cur plan.Currency) string {
	if a, ok := d.Amount(); ok {
		return cur.Format(a) + " off"
	}
	return d.String() + " off"
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
	basis := map[plan.Basis]string{plan.DiscountBasis: "the discount given", plan.ListBasis: "the list price",
		plan.ValueBasis: "the item's value (else the list price)"}[s.Basis]
	w.line("Core treatments used (valued at %s)", basis)
	if len(s.Core) == 0 {
		w.line("  none")
	}
	for _, g := range s.Core {
		w.line("  %s", displayName(g.Name, g.Group))
		for i, r := range g.Redemptions {
			w.row(fmt.Sprintf("    %s  %s/%s  %s × %s", r.Date, r.Invoice, r.Line, num.Format(r.Units), r.Item), s.Currency.Format(g.Counts[i]))
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
	if c := s.Computed; c != nil {
		w.line("Method: %s", c.Method)
		w.line("  %s", methodText[c.Method])
		w.amount("Owed", s.Owed)
		w.amount("Cancellation fee", c.Fee)
		w.amount("The plan's terms give a debt of", c.Debt)
		if c.Refund.IsPositive() {
			w.amount("  and a refund of", c.Refund)
		}
		w.line("Agreed by hand instead: %s", s.Override.Note)
	} else {
		w.line("Method: %s", method)
		w.line("  %s", methodText[s.Method])
		w.amount("Owed", s.Owed)
		w.amount("Cancellation fee", s.Fee)
		if s.Waived {
			w.line("Waived: nothing is owed when a plan ends for reason %q", s.Reason)
		}
	}
	w.rule()
	w.amount("DEBT", s.Debt)
	w.amount("REFUND", s.Refund)
	if len(s.Repayment) > 0 {
		w.line("Repaid in %s:", count(len(s.Repayment), "monthly part"))
		for _, p := range s.Repayment {
			w.amount("  "+p.Due.String(), p.Amount)
		}
	}
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
	Counts    string `json:"counts"`
}

type groupValueJSON struct {
	Group       string           `json:"group"`
	Name        string           `json:"name,omitempty"`
	Value       string           `json:"value"`
	Redemptions []redemptionJSON `json:"redemptions"`
}

func redemptionOut(c plan.Currency, r allowance.Redemption, counts decimal.Decimal) redemptionJSON {
	return redemptionJSON{Invoice: r.Invoice, Line: r.Line, Item: r.Item, Date: r.Date.String(), Rule: r.Rule,
		Units: num.Format(r.Units), Discount: c.Format(r.Discount), ListValue: c.Format(r.ListValue), Counts: c.Format(counts)}
}

// Summary is a settlement's figures without the itemised redemptions:
// what a practice's screen shows, and what a scenario's terminate event
// prints.
type Summary struct {
	Settlement
}

// MarshalJSON writes {"method", "coreValue", "paid", "contractTotal",
// "remaining", "fee", "owed", "debt", "refund", "waived"}, amounts with
// exactly the currency's minor units; then, when the termination agreed
// them, "override": {"amount", "note"} with "computed": {"method", "fee",
// "debt", "refund", "waived"} (what the plan's terms give), and
// "repayment": [{"due", "amount"}].
func (s Summary) MarshalJSON() ([]byte, error) {
	return append(s.appendFields(append(make([]byte, 0, 256), '{')), '}'), nil
}

func (s *Summary) appendFields(b []byte) []byte {
	c := s.Currency
	field := func(name, value string) {
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":"`...)
		b = append(b, value...)
		b = append(b, '"')
	}
	field("method", s.Method.String())
	field("coreValue", c.Format(s.CoreValue))
	field("paid", c.Format(s.Paid))
	field("contractTotal", c.Format(s.ContractTotal))
	field("remaining", c.Format(s.Remaining))
	field("fee", c.Format(s.Fee))
	field("owed", c.Format(s.Owed))
	field("debt", c.Format(s.Debt))
	field("refund", c.Format(s.Refund))
	b = append(b, `,"waived":`...)
	b = strconv.AppendBool(b, s.Waived)
	if o := s.Override; o != nil && s.Computed != nil {
		b = append(b, `,"override":{"amount":"`...)
		b = append(b, c.Format(o.Amount)...)
		b = append(b, `","note":`...)
		b = wire.AppendString(b, o.Note)
		b = append(b, `},"computed":{"method":"`...)
		b = append(b, s.Computed.Method.String()...)
		b = append(b, `","fee":"`...)
		b = append(b, c.Format(s.Computed.Fee)...)
		b = append(b, `","debt":"`...)
		b = append(b, c.Format(s.Computed.Debt)...)
		b = append(b, `","refund":"`...)
		b = append(b, c.Format(s.Computed.Refund)...)
		b = append(b, `","waived":`...)
		b = strconv.AppendBool(b, s.Computed.Waived)
		b = append(b, '}')
	}
	if s.Repayment != nil {
		b = append(b, `,"repayment":[`...)
		for i, p := range s.Repayment {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"due":"`...)
			b, _ = p.Due.AppendText(b)
			b = append(b, `","amount":"`...)
			b = append(b, c.Format(p.Amount)...)
			b = append(b, `"}`...)
		}
		b = append(b, ']')
	}
	return b
}

// MarshalJSON writes the itemised settlement: {"subscription", "currency",
// "date", "reason", "day"}, the fields of its [Summary], then "basis",
// "coolingOff" and "core" (the core redemptions counted, per group).
// Amounts are strings with the currency's minor units.
func (s Settlement) MarshalJSON() ([]byte, error) {
	// Strings, an int and a bool: these cannot fail to marshal.
	head, _ := json.Marshal(struct {
		Subscription string `json:"subscription"`
		Currency     string `json:"currency"`
		Date         string `json:"date"`
		Reason       string `json:"reason"`
		Day          int    `json:"day"`
	}{s.Subscription, s.Currency.Code(), s.Date.String(), s.Reason, s.Day})
	c := s.Currency
	core := []groupValueJSON{}
	for _, g := range s.Core {
		gj := groupValueJSON{Group: g.Group, Name: g.Name, Value: c.Format(g.Value), Redemptions: []redemptionJSON{}}
		for i, r := range g.Redemptions {
			gj.Redemptions = append(gj.Redemptions, redemptionOut(c, r, g.Counts[i]))
		}
		core = append(core, gj)
	}
	tail, _ := json.Marshal(struct {
		Basis      string           `json:"basis"`
		CoolingOff bool             `json:"coolingOff"`
		Core       []groupValueJSON `json:"core"`
	}{s.Basis.String(), s.CoolingOff, core})
	sum := Summary{s}
	b := sum.appendFields(head[:len(head)-1])
	b = append(b, ',')
	return append(b, tail[1:]...), nil
}

// Text renders the statement for the client.
func (st Statement) Text() string {
	w := &textWriter{cur: st.Currency}
	w.line("STATEMENT  %s, subscription %s (plan %s)", st.Date, st.Subscription, st.Plan)
	w.line("Patient %s, client %s", st.Patient, st.Client)
	w.line("Term %s to %s, %s", st.Start, st.End, st.Status)
	if st.Payment == plan.Advance {
		w.line("Paid in advance")
	} else {
		w.line("Installments %s, %s", intervalText[st.Interval], paymentText[st.Payment])
	}
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
	for _, e := range st.Entitlements.Rules {
		left := "unlimited"
		if !e.Allowed.IsUnlimited() {
			left = fmt.Sprintf("%s of %s left", num.Format(e.Remaining), e.Allowed)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s to %s\t%s\t%s\n", e.Rule, discountText(e.Discount, st.Currency), e.From, e.To, left, e.Status)
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
	if st.DaysPastDue > 0 {
		w.row(fmt.Sprintf("Overdue since %s", st.OverdueSince), count(st.DaysPastDue, "day")+" past due")
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
		if e := st.Ended; e != nil {
			w.amount("  Owed at the end", e.Debt)
			if e.Refund.IsPositive() {
				w.amount("  Refunded", e.Refund)
			}
			if len(e.Repayment) > 0 {
				w.line("  Repaid in %s:", count(len(e.Repayment), "monthly part"))
				for _, p := range e.Repayment {
					w.amount("    "+p.Due.String(), p.Amount)
				}
			}
		}
	}
	return w.b.String()
}

var paymentText = map[plan.PaymentOption]string{plan.Monthly: "invoiced by the practice", plan.Auto: "collected by card or direct debit",
	plan.External: "collected by a billing company", plan.Manual: "invoiced by hand"}

var intervalText = map[plan.Interval]string{plan.Month: "monthly", plan.Quarter: "quarterly", plan.Year: "yearly", plan.FourWeeks: "every 4 weeks"}

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
	type termJSON struct {
		Date       string   `json:"date"`
		Reason     string   `json:"reason"`
		Settlement *Summary `json:"settlement,omitempty"`
	}
	out := struct {
		Subscription  string                  `json:"subscription"`
		Client        string                  `json:"client"`
		Patient       string                  `json:"patient"`
		Plan          string                  `json:"plan"`
		Currency      string                  `json:"currency"`
		Date          string                  `json:"date"`
		Status        string                  `json:"status"`
		Start         string                  `json:"start"`
		End           string                  `json:"end"`
		Payment       string                  `json:"payment"`
		Interval      string                  `json:"interval"`
		Savings       string                  `json:"savings"`
		Groups        []groupJSON             `json:"groups"`
		Entitlements  []allowance.Entitlement `json:"entitlements"`
		ContractTotal string                  `json:"contractTotal"`
		Paid          string                  `json:"paid"`
		Due           string                  `json:"due"`
		Arrears       string                  `json:"arrears"`
		NextDue       string                  `json:"nextDue,omitempty"`
		DaysPastDue   int                     `json:"daysPastDue"`
		OverdueSince  string                  `json:"overdueSince,omitempty"`
		CostToCancel  *Settlement             `json:"costToCancel,omitempty"`
		Termination   *termJSON               `json:"termination,omitempty"`
	}{Subscription: st.Subscription, Client: st.Client, Patient: st.Patient, Plan: st.Plan, Currency: c.Code(),
		Date: st.Date.String(), Status: st.Status.String(), Start: st.Start.String(), End: st.End.String(),
		Payment: st.Payment.String(), Interval: st.Interval.String(), DaysPastDue: st.DaysPastDue,
		Savings: c.Format(st.Savings), Groups: []groupJSON{}, Entitlements: append([]allowance.Entitlement{}, st.Entitlements.Rules...),
		ContractTotal: c.Format(st.ContractTotal), Paid: c.Format(st.Paid), Due: c.Format(st.Due), Arrears: c.Format(st.Arrears)}
	for _, g := range st.Groups {
		out.Groups = append(out.Groups, groupJSON{g.Group, g.Name, g.Core, c.Format(g.Discount), num.Format(g.Units)})
	}
	if !st.NextDue.IsZero() {
		out.NextDue = st.NextDue.String()
	}
	if !st.OverdueSince.IsZero() {
		out.OverdueSince = st.OverdueSince.String()
	}
	out.CostToCancel = st.CostToCancel
	if t := st.Termination; t != nil {
		out.Termination = &termJSON{Date: t.Date.String(), Reason: t.Reason}
		if st.Ended != nil {
			out.Termination.Settlement = &Summary{*st.Ended}
		}
	}
	return json.Marshal(out)
}

// DecodeSummary reads a settlement's figures as [Summary.MarshalJSON]
// writes them, for sub terminated as t says: a host stores them with the
// termination, since the settlement is what was handed to the client
// then, whatever is recorded later. The itemised redemptions are not part
// of it. Every problem is reported at once, each a *plan.ValidationError
// with its JSON path.
func DecodeSummary(sub *plan.Subscription, t plan.Termination, data []byte) (Settlement, error) {
	if err := sub.Validate(); err != nil {
		return Settlement{}, err
	}
	cur := sub.Terms.Currency()
	rules := sub.Terms.Settlement()
	s := Settlement{Subscription: sub.ID, Currency: cur, Date: t.Date, Reason: t.Reason, Day: sub.Day(t.Date), Basis: rules.Basis}
	s.CoolingOff = t.Reason != plan.ReasonExpired && rules.CoolingOffDays > 0 && s.Day <= rules.CoolingOffDays
	sc := wire.NewScanner(string(data), "")
	r := summaryReader{sc: sc, cur: cur}
	r.object("a settlement", map[string]func(){
		"method":        func() { s.Method = r.method() },
		"coreValue":     func() { s.CoreValue = r.amount(false) },
		"paid":          func() { s.Paid = r.amount(false) },
		"contractTotal": func() { s.ContractTotal = r.amount(false) },
		"remaining":     func() { s.Remaining = r.amount(false) },
		"fee":           func() { s.Fee = r.amount(false) },
		"owed":          func() { s.Owed = r.amount(true) },
		"debt":          func() { s.Debt = r.amount(false) },
		"refund":        func() { s.Refund = r.amount(false) },
		"waived":        func() { s.Waived, _ = sc.Bool() },
		"override": func() {
			s.Override = &Override{}
			r.object("an override", map[string]func(){
				"amount": func() { s.Override.Amount = r.amount(false) },
				"note":   func() { s.Override.Note, _ = sc.String() },
			}, "amount")
		},
		"computed": func() {
			s.Computed = &Computed{}
			r.object("a computed settlement", map[string]func(){
				"method": func() { s.Computed.Method = r.method() },
				"fee":    func() { s.Computed.Fee = r.amount(false) },
				"debt":   func() { s.Computed.Debt = r.amount(false) },
				"refund": func() { s.Computed.Refund = r.amount(false) },
				"waived": func() { s.Computed.Waived, _ = sc.Bool() },
			}, "method", "fee", "debt", "refund", "waived")
		},
		"repayment": func() {
			s.Repayment = []billing.Installment{}
			if sc.Array("an array of repayment parts") {
				for sc.Next() {
					var p billing.Installment
					r.object("a repayment part", map[string]func(){
						"due": func() {
							if v, ok := sc.String(); ok {
								d, err := plan.ParseDate(v)
								if err != nil {
									sc.Report(v, "is not a valid date; want YYYY-MM-DD")
								}
								p.Due = d
							}
						},
						"amount": func() { p.Amount = r.amount(false) },
					}, "due", "amount")
					p.Number = len(s.Repayment)
					s.Repayment = append(s.Repayment, p)
				}
			}
		},
	}, "method", "coreValue", "paid", "contractTotal", "remaining", "fee", "owed", "debt", "refund", "waived")
	// After a syntax error, Result gives it alone: what these report then
	// is never seen.
	if (s.Override == nil) != (s.Computed == nil) {
		sc.Report("", "has an override without what was computed beside it, or the other way round; want both or neither")
	}
	if (s.Override != nil) != (s.Method == plan.Override) {
		sc.ReportAt("method", s.Method.String(), "does not match the override; method override goes with an override, and only with one")
	}
	sc.End()
	if err := sc.Result(); err != nil {
		return Settlement{}, err
	}
	return s, nil
}

// summaryReader reads a stored settlement's fields.
type summaryReader struct {
	sc  *wire.Scanner
	cur plan.Currency
}

// object reads an object whose fields are read by fields, refusing
// unknown and repeated ones and reporting the required ones missing.
func (r summaryReader) object(what string, fields map[string]func(), required ...string) {
	sc := r.sc
	if !sc.Object(what) {
		return
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	seen := map[string]bool{}
	for {
		k, ok := sc.Key()
		if !ok {
			break
		}
		read, known := fields[k]
		switch {
		case !known:
			sc.Unknown(k, what, names...)
		case seen[k]:
			sc.Duplicate(k)
		default:
			seen[k] = true
			read()
		}
	}
	for _, f := range required {
		if !seen[f] {
			sc.Report("", fmt.Sprintf("has no %q", f))
		}
	}
}

func (r summaryReader) method() plan.Method {
	v, ok := r.sc.String()
	if !ok {
		return 0
	}
	m, err := plan.ParseMethod(v)
	if err != nil {
		r.sc.Report(v, "is not a settlement method; want coreValue, remainingPayments, lesserOf, none or override")
	}
	return m
}

// amount reads an amount in the currency's minor units, negative only
// when signed.
func (r summaryReader) amount(signed bool) decimal.Decimal {
	v, ok := r.sc.Decimal()
	if !ok {
		return decimal.Decimal{}
	}
	x, err := num.Parse(v)
	if err != nil || num.Places(x) > r.cur.MinorUnits() || x.Abs().GreaterThanOrEqual(decimal.New(1, 13)) || (!signed && x.IsNegative()) {
		r.sc.Report(v, fmt.Sprintf("is not an amount in %s's minor units", r.cur))
		return decimal.Decimal{}
	}
	return x
}
