package debt

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/internal/exposure"
	"github.com/vetplan/healthplan/internal/timeline"
	"github.com/vetplan/healthplan/plan"
)

// ExposureInput is what an exposure analysis is asked about: a plan's
// terms, the clients' start date and the list prices. The zero values of
// Payment (monthly), Interval (month), MultiPet (no), UnitsCap (none) and
// Cap (none) are the defaults.
type ExposureInput struct {
	// Terms are the plan as sold, with the catalog's groups.
	Terms *plan.Terms
	// Start is the clients' start date.
	Start plan.Date
	// Prices are the list prices of the items clients can buy, by item
	// code; items in no core group are ignored, and core items without a
	// price are never bought.
	Prices map[string]decimal.Decimal
	// Payment, Interval and MultiPet make the installment schedule of the
	// clients analysed, as billing.ScheduleFor makes it for such a
	// subscription; the plan must price the interval.
	Payment  plan.PaymentOption
	Interval plan.Interval
	MultiPet bool
	// UnitsCap, when above 0, is the allowance assumed for unlimited core
	// rules (1..10^9); without it such a rule makes the exposure
	// unbounded.
	UnitsCap int64
	// Cap, when set, asks for the smallest delays of core rules' start
	// days that keep the exposure at or below it.
	Cap decimal.NullDecimal
}

// ExposurePoint is the exposure (or a paying client's V − P) from a day
// on, with the currency's minor units.
type ExposurePoint struct {
	Day      int
	Date     plan.Date
	Exposure decimal.Decimal
}

// ExposureReport is the outcome of [Exposure]. When Unbounded is set, it
// is the only field besides Currency, Start and LastDay.
type ExposureReport struct {
	Currency plan.Currency
	Start    plan.Date
	// LastDay is the last day offset with cover: the term's last day plus
	// the grace days.
	LastDay int
	// Unbounded names, in plan order, the unlimited core rules that make
	// the exposure unbounded (no UnitsCap was given).
	Unbounded []string
	// Curve lists every day on which the exposure changes, from day 0;
	// it never decreases.
	Curve []ExposurePoint
	// Peak is the greatest exposure and the first day it is reached.
	Peak ExposurePoint
	// WorstClient is a scenario document (the replay format) of a client
	// who reaches the peak: its last event is a terminate preview on the
	// peak day, whose coreValue minus paid is the peak.
	WorstClient json.RawMessage
	// Claim is what the plan's own settlement claims from that client
	// terminating for "cancelled" on the peak day: what the worst
	// client's terminate preview shows.
	Claim Settlement
	// Paying is the same for a client who pays every installment.
	Paying PayingClient
	// Delays answers ExposureInput.Cap; nil without a cap.
	Delays *StartDelays
}

// PayingClient is the curve of a client who pays every installment on its
// due date and uses the plan as well as such a client can.
type PayingClient struct {
	// Curve lists every day on which that client's V − P changes.
	Curve []ExposurePoint
	// Peak is its greatest V − P and the first day it is reached.
	Peak ExposurePoint
	// BreakEvenDay is the first day from which V − P stays at or below 0
	// for good, when BreaksEven; when V − P is still above 0 on the last
	// day with cover, the plan never breaks even on such a client and
	// BreaksEven is false.
	BreakEvenDay int
	BreaksEven   bool
	// Client is a scenario document of a paying client who reaches Peak.
	Client json.RawMessage
}

// StartDelay is a core rule's start day pushed back.
type StartDelay struct {
	Rule string
	// Days is the delay; StartDay the rule's start day with it.
	Days     int
	StartDay int
	// Never: the delay pushes the start past the rule's end day (or past
	// the last day with cover), so that the rule never applies.
	Never bool
}

// StartDelays are the smallest delays of core rules' start days that keep
// the exposure at or below a cap.
type StartDelays struct {
	Cap decimal.Decimal
	// Within: the exposure is at or below the cap without delays.
	Within bool
	// Alone lists, in plan order, every core rule whose delay alone keeps
	// the peak at or below the cap, with the smallest such delay.
	Alone []StartDelay
	// Together, when no rule can do it alone, is a set of delays that
	// does, from which no delay can be shortened by a day without the
	// peak exceeding the cap.
	Together []StartDelay
	// Peak is the peak with Together's delays.
	Peak decimal.Decimal
}

// ErrTooLarge is wrapped when a plan is too large to analyse exactly
// within the bounds the package documentation states; the analysis never
// approximates instead.
var ErrTooLarge = exposure.ErrTooLarge

// claimReason is the reason the claim is settled for: the client walks
// away.
const claimReason = "cancelled"

// Exposure computes the worst case of a settlement: how much a client who
// starts on in.Start can take in core discounts and walk away from, day
// by day, the client who does it, and what the plan's settlement would
// claim back from them. The package documentation defines it and states
// its assumptions. Problems with the input are *plan.ValidationError
// values naming the field ("prices[\"FLEA-1\"]", "cap"), all reported at
// once; a plan beyond the analysis's bounds wraps [ErrTooLarge].
func Exposure(in ExposureInput) (ExposureReport, error) {
	ein := exposure.Input{Terms: in.Terms, Start: in.Start, Prices: in.Prices, Payment: in.Payment,
		Interval: in.Interval, MultiPet: in.MultiPet, UnitsCap: in.UnitsCap, Cap: in.Cap}
	r, err := exposure.Analyse(ein)
	if err != nil {
		return ExposureReport{}, err
	}
	out := ExposureReport{Currency: r.Currency, Start: r.Start, LastDay: r.LastDay, Unbounded: r.Unbounded}
	if len(r.Unbounded) > 0 {
		return out, nil
	}
	out.Curve = points(r.Curve)
	out.Peak = ExposurePoint(r.Peak)
	out.WorstClient = r.Worst.Doc
	out.Paying = PayingClient{Curve: points(r.Paying.Curve), Peak: ExposurePoint(r.Paying.Peak),
		BreakEvenDay: r.Paying.BreakEvenDay, BreaksEven: r.Paying.BreaksEven, Client: r.Paying.Client.Doc}
	if d := r.Delays; d != nil {
		out.Delays = &StartDelays{Cap: d.Cap, Within: d.Within, Alone: delays(d.Alone), Together: delays(d.Together), Peak: d.Peak}
	}
	if out.Claim, err = claim(in, r.Worst); err != nil {
		return ExposureReport{}, err
	}
	if s := out.Claim; s.Basis == plan.DiscountBasis && !s.CoreValue.Sub(s.Paid).Equal(out.Peak.Exposure) {
		return ExposureReport{}, fmt.Errorf("debt: internal error: the worst client replays to coreValue %s − paid %s, not the peak %s",
			s.CoreValue, s.Paid, out.Peak.Exposure)
	}
	return out, nil
}

func points(ps []exposure.Point) []ExposurePoint {
	out := make([]ExposurePoint, len(ps))
	for i, p := range ps {
		out[i] = ExposurePoint(p)
	}
	return out
}

func delays(ds []exposure.Delay) []StartDelay {
	if ds == nil {
		return nil
	}
	out := make([]StartDelay, len(ds))
	for i, d := range ds {
		out[i] = StartDelay(d)
	}
	return out
}

// claim replays the worst client through the engine, as its scenario
// document does (payments first on a day with both, suspensions derived
// after each payment), and settles it for cancelled on its last day.
func claim(in ExposureInput, c exposure.Client) (Settlement, error) {
	// The analysis subscribed such a client already, and Suspensions only
	// validates the subscription: neither can fail here.
	sub, _ := in.Terms.Subscribe(plan.Enrollment{ID: "WORST", Client: "C", Start: in.Start, Payment: in.Payment,
		Interval: in.Interval, MultiPet: in.MultiPet})
	var l allowance.Ledger
	var acct billing.Account
	// Suspensions are derived after each payment; the client pays (or
	// fails) its first installment on day 0, before any visit.
	suspend := func() { sub.Suspensions, _ = billing.Suspensions(sub, acct.Payments) }
	// The engine refusing a visit or a payment of the analysis's own
	// client is an internal error, reported with the settlement's.
	var refused []error
	v := 0
	visit := func(until int) {
		for ; v < len(c.Visits) && c.Visits[v].Day < until; v++ {
			vis := allowance.Visit{Invoice: "D" + strconv.Itoa(c.Visits[v].Day), Date: in.Start.AddDays(c.Visits[v].Day)}
			for i, ln := range c.Visits[v].Lines {
				vis.Lines = append(vis.Lines, allowance.Line{ID: "L" + strconv.Itoa(i+1), Item: ln.Item,
					Qty: decimal.NewFromInt(ln.Qty), UnitPrice: ln.Price})
			}
			if _, err := l.Commit(sub, vis); err != nil {
				refused = append(refused, err)
			}
		}
	}
	for _, p := range c.Payments {
		visit(p.Day)
		status := billing.Failed
		if p.Taken {
			status = billing.Taken
		}
		if _, err := acct.Record(sub, billing.Payment{Date: in.Start.AddDays(p.Day), Amount: p.Amount, Status: status}); err != nil {
			refused = append(refused, err)
		}
		suspend()
	}
	visit(c.Day + 1)
	s, err := Settle(sub, &l, &acct, Notice{Date: in.Start.AddDays(c.Day), Reason: claimReason})
	if err := errors.Join(append(refused, err)...); err != nil {
		return Settlement{}, errors.Join(errors.New("debt: internal error: the worst client cannot be replayed"), err)
	}
	return s, nil
}

type exposurePointJSON struct {
	Day      int    `json:"day"`
	Date     string `json:"date,omitempty"`
	Exposure string `json:"exposure"`
}

type startDelayJSON struct {
	Rule     string `json:"rule"`
	Days     int    `json:"days"`
	StartDay int    `json:"startDay"`
	Never    bool   `json:"never"`
}

type startDelaysJSON struct {
	Cap      string           `json:"cap"`
	Within   bool             `json:"within"`
	Alone    []startDelayJSON `json:"alone"`
	Together []startDelayJSON `json:"together"`
	Peak     string           `json:"peak,omitempty"`
}

type payingJSON struct {
	Peak         exposurePointJSON   `json:"peak"`
	BreakEvenDay *int                `json:"breakEvenDay"`
	Curve        []exposurePointJSON `json:"curve"`
}

// MarshalJSON writes the report as the scenario format's exposure result:
// {"peak": {"day", "date", "exposure"}, "curve": [{"day", "exposure"}],
// "paying": {"peak", "breakEvenDay", "curve"}, "claim" (the settlement's
// figures, as a terminate event prints them), "delays": {"cap", "within",
// "alone", "together", "peak"} when a cap was given, "worstClient"}, or
// {"unbounded": [rule ids]}. Amounts have the currency's minor units;
// breakEvenDay is null when the paying client never breaks even; a delay
// is {"rule", "days", "startDay", "never"}.
func (r ExposureReport) MarshalJSON() ([]byte, error) {
	if len(r.Unbounded) > 0 {
		return json.Marshal(struct {
			Unbounded []string `json:"unbounded"`
		}{r.Unbounded})
	}
	amount := func(d decimal.Decimal) string { return r.Currency.Format(d) }
	point := func(p ExposurePoint, withDate bool) exposurePointJSON {
		out := exposurePointJSON{Day: p.Day, Exposure: amount(p.Exposure)}
		if withDate {
			out.Date = p.Date.String()
		}
		return out
	}
	curve := func(ps []ExposurePoint) []exposurePointJSON {
		out := make([]exposurePointJSON, len(ps))
		for i, p := range ps {
			out[i] = point(p, false)
		}
		return out
	}
	delays := func(ds []StartDelay) []startDelayJSON {
		out := make([]startDelayJSON, len(ds))
		for i, d := range ds {
			out[i] = startDelayJSON(d)
		}
		return out
	}
	out := struct {
		Peak        exposurePointJSON   `json:"peak"`
		Curve       []exposurePointJSON `json:"curve"`
		Paying      payingJSON          `json:"paying"`
		Claim       Summary             `json:"claim"`
		Delays      *startDelaysJSON    `json:"delays,omitempty"`
		WorstClient json.RawMessage     `json:"worstClient"`
	}{Peak: point(r.Peak, true), Curve: curve(r.Curve), Claim: Summary{r.Claim}, WorstClient: r.WorstClient,
		Paying: payingJSON{Peak: point(r.Paying.Peak, true), Curve: curve(r.Paying.Curve)}}
	if r.Paying.BreaksEven {
		day := r.Paying.BreakEvenDay
		out.Paying.BreakEvenDay = &day
	}
	if d := r.Delays; d != nil {
		out.Delays = &startDelaysJSON{Cap: amount(d.Cap), Within: d.Within, Alone: delays(d.Alone), Together: delays(d.Together)}
		if len(d.Together) > 0 {
			out.Delays.Peak = amount(d.Peak)
		}
	}
	return json.Marshal(out)
}

// Timeline draws the plan of in for its designer as an SVG document: one
// row per rule, grouped by treatment group in catalog order, a bar from
// the rule's first to its last day (clipped to the term plus grace)
// labelled with its id, discount and allowance ("flea-a 100% x3");
// crossovers hatched and gaps shaded; the installment due days of in's
// schedule marked with their amounts; and beneath, on the same day axis,
// rep's curves of the worst and of the paying client, with the peak
// marked. rep is the report of [Exposure] for in; an unbounded one has no
// curves, and its title names the rules. The same input always gives the
// same bytes.
func Timeline(in ExposureInput, rep ExposureReport) ([]byte, error) {
	if in.Terms.IsZero() {
		return nil, &plan.ValidationError{Path: "terms", Reason: "are missing; build them with Catalog.Terms or NewTerms", Err: plan.ErrZeroTerms}
	}
	t := in.Terms
	sub, err := t.Subscribe(plan.Enrollment{ID: "TIMELINE", Start: in.Start, Payment: in.Payment, Interval: in.Interval, MultiPet: in.MultiPet})
	if err != nil {
		return nil, err
	}
	sched, _ := billing.ScheduleFor(sub) // it only validates sub, as Subscribe did
	p := t.Plan()
	cur := t.Currency()
	termEnd := sub.End().Sub(in.Start)
	last := termEnd + p.GraceDays
	c := timeline.Chart{Days: last, TermEnd: termEnd, Currency: cur.Code()}
	if p.GraceDays > 0 {
		c.GraceEnd = last
	}
	name := p.Name
	if name != "" {
		name = " " + name + ","
	}
	c.Title = fmt.Sprintf("%s %s %d months from %s, %s", p.ID, name, p.TermMonths, in.Start, cur.Code())
	if len(rep.Unbounded) > 0 {
		c.Title += "; exposure unbounded: " + strings.Join(rep.Unbounded, ", ")
	}
	for _, g := range t.Groups() {
		grp := timeline.Group{ID: g.ID, Name: g.Name, Core: g.Core}
		for _, r := range p.Rules {
			if r.Group != g.ID || r.StartDay > last {
				continue // drawn nowhere: it never applies
			}
			grp.Rows = append(grp.Rows, timeline.Row{ID: r.ID, Start: r.StartDay, End: min(r.EndDay, last),
				Label: ruleLabel(r, cur), ViewOrder: r.ViewOrder})
		}
		c.Groups = append(c.Groups, grp)
	}
	for _, inst := range sched.Installments {
		c.Dues = append(c.Dues, timeline.Due{Day: inst.Due.Sub(in.Start), Label: cur.Format(inst.Amount)})
	}
	if len(rep.Unbounded) == 0 && len(rep.Curve) > 0 {
		curve := func(name string, ps []ExposurePoint) timeline.Curve {
			out := timeline.Curve{Name: name}
			for _, pt := range ps {
				out.Points = append(out.Points, timeline.Point{Day: pt.Day, Value: cur.Format(pt.Exposure)})
			}
			return out
		}
		c.Curves = []timeline.Curve{curve("worst client", rep.Curve), curve("client who pays everything", rep.Paying.Curve)}
		pk := rep.Peak
		c.Peak = &timeline.Peak{Day: pk.Day, Value: cur.Format(pk.Exposure),
			Label: fmt.Sprintf("peak %s %s on %s (day %d)", cur.Format(pk.Exposure), cur.Code(), pk.Date, pk.Day)}
	}
	return timeline.Render(c)
}

// ruleLabel says what a rule gives: "100% x3", "15.00 off x1", "50%
// unlimited".
func ruleLabel(r plan.Rule, cur plan.Currency) string {
	var disc string
	if pc, ok := r.Discount.Percent(); ok {
		disc = pc.String() + "%"
	} else if a, ok := r.Discount.Amount(); ok {
		disc = cur.Format(a) + " off"
	}
	if r.Allowed.IsUnlimited() {
		return disc + " unlimited"
	}
	return disc + " x" + strconv.FormatInt(r.Allowed.Units(), 10)
}
