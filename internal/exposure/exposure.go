package exposure

import (
	"errors"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// Input is what an exposure analysis is asked about. The zero values of
// Payment (monthly), Interval (month), MultiPet (no), UnitsCap (none) and
// Cap (none) are the defaults.
type Input struct {
	// Terms are the plan as sold, with the catalog's groups.
	Terms *plan.Terms
	// Start is the clients' start date.
	Start plan.Date
	// Prices are the list prices of the items clients can buy; items not
	// in a core group are ignored, and core items without a price are
	// never bought.
	Prices map[string]decimal.Decimal
	// Payment, Interval and MultiPet make the installment schedule, as
	// billing.ScheduleFor makes it for such a subscription; the plan must
	// price the interval.
	Payment  plan.PaymentOption
	Interval plan.Interval
	MultiPet bool
	// UnitsCap, when above 0, is the allowance assumed for unlimited core
	// rules; without it such a rule makes the exposure unbounded.
	UnitsCap int64
	// Cap, when set, asks for the smallest delays of core rules' start
	// days that keep the exposure at or below it.
	Cap decimal.NullDecimal
}

// Point is the exposure (or a paying client's V − P) on a day: an exact
// amount with the currency's minor units.
type Point struct {
	Day      int
	Date     plan.Date
	Exposure decimal.Decimal
}

// Report is the outcome of an analysis. When Unbounded is set, it is the
// only field besides Currency and Start.
type Report struct {
	Currency plan.Currency
	Start    plan.Date
	// LastDay is the last day offset with cover (the term plus grace).
	LastDay int
	// Unbounded names the unlimited core rules that make the exposure
	// unbounded, in plan order (no UnitsCap was given).
	Unbounded []string
	// Curve lists every day on which the exposure changes, from day 0;
	// the exposure never decreases.
	Curve []Point
	// Peak is the greatest exposure and the first day it is reached.
	Peak Point
	// Worst is a client who reaches the peak; its document's last event
	// is a terminate preview on the peak day, whose coreValue minus paid
	// is the peak.
	Worst Client
	// Paying is the same analysis for a client who pays every
	// installment.
	Paying Paying
	// Delays answers Input.Cap; nil without a cap.
	Delays *Delays
}

// Paying is the curve of a client who pays every installment on its due
// date and uses the plan as well as such a client can.
type Paying struct {
	// Curve lists every day on which that client's V − P changes.
	Curve []Point
	// Peak is its greatest V − P and the first day it is reached.
	Peak Point
	// BreakEvenDay is the first day from which V − P stays at or below 0
	// for good, when BreaksEven; when V − P is still above 0 after the
	// last day with cover, the plan never breaks even on such a client
	// and BreaksEven is false.
	BreakEvenDay int
	BreaksEven   bool
	// Client is a paying client who reaches Peak.
	Client Client
}

// Delay is a core rule's start day pushed back.
type Delay struct {
	Rule string
	// Days is the delay; StartDay the rule's start day with it.
	Days     int
	StartDay int
	// Never: the delay pushes the start past the rule's end day (or past
	// the last day with cover), so that the rule never applies.
	Never bool
}

// Delays are the smallest delays of core rules' start days that keep the
// exposure at or below a cap.
type Delays struct {
	Cap decimal.Decimal
	// Within: the exposure is at or below the cap without delays.
	Within bool
	// Alone lists, in plan order, every core rule whose delay alone keeps
	// the peak at or below the cap, with the smallest such delay.
	Alone []Delay
	// Together, when no rule can do it alone, is a set of delays that
	// does, from which no delay can be shortened by a day without the
	// peak exceeding the cap.
	Together []Delay
	// Peak is the peak with Together's delays.
	Peak decimal.Decimal
}

// ErrTooLarge is wrapped when a plan is too large to analyse exactly
// within the analysis's bounds (see the package documentation); the
// analysis never approximates instead.
var ErrTooLarge = errors.New("too large to analyse exactly")

// subscriptionID is the id of the analysed subscription in the worst
// client's scenario.
const subscriptionID = "WORST"

// Analyse computes the exposure of a plan design: see the package
// documentation for the definition.
func Analyse(in Input) (Report, error) {
	if err := in.validate(); err != nil {
		return Report{}, err
	}
	t := in.Terms
	p := t.Plan()
	rep := Report{Currency: t.Currency(), Start: in.Start}
	m, tl, err := in.prepare(p.Rules)
	if err != nil {
		return Report{}, err
	}
	if len(m.unbounded) > 0 {
		for _, pos := range m.unbounded {
			rep.Unbounded = append(rep.Unbounded, m.ruleIDs[pos])
		}
		return rep, nil
	}
	rep.LastDay = m.lastDay
	// One budget bounds the whole call, the delays' analyses included.
	b := &budget{left: maxWork}
	a := &analysis{m: m, tl: tl, b: b, all: tl.rel}
	cv, err := a.curves(true)
	if err != nil {
		return Report{}, err
	}
	rep.Curve = in.points(m, cv.worst)
	pk := peak(cv.worst)
	rep.Peak = in.point(m, pk)
	if rep.Worst, err = in.client(a, pk, "worst"); err != nil {
		return Report{}, err
	}
	rep.Paying.Curve = in.points(m, cv.paying)
	ppk := peak(cv.paying)
	rep.Paying.Peak = in.point(m, ppk)
	rep.Paying.BreakEvenDay, rep.Paying.BreaksEven = breakEven(cv.paying)
	if rep.Paying.Client, err = in.client(a, ppk, "paying"); err != nil {
		return Report{}, err
	}
	if in.Cap.Valid {
		d, err := in.delays(p.Rules, pk.value, b)
		if err != nil {
			return Report{}, err
		}
		rep.Delays = d
	}
	return rep, nil
}

func (in *Input) validate() error {
	var list []error
	bad := func(path, value, reason string) {
		list = append(list, &plan.ValidationError{Path: path, Value: value, Reason: reason})
	}
	if in.Terms.IsZero() {
		return &plan.ValidationError{Path: "terms", Reason: "are missing; build them with Catalog.Terms or NewTerms", Err: plan.ErrZeroTerms}
	}
	if in.Start.IsZero() {
		bad("start", "", "is missing; want the clients' start date YYYY-MM-DD")
	}
	codes := make([]string, 0, len(in.Prices))
	for c := range in.Prices {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if err := plan.CheckAmount(fmt.Sprintf("prices[%q]", c), in.Prices[c]); err != nil {
			list = append(list, err)
		}
	}
	if in.Payment > plan.Advance {
		bad("payment", in.Payment.String(), "is not a payment option; want monthly, auto, external, manual or advance")
	}
	if in.UnitsCap < 0 || in.UnitsCap > plan.MaxAllowed {
		bad("unitsCap", fmt.Sprint(in.UnitsCap), fmt.Sprintf("is outside 0..%d; want the units assumed for an unlimited rule, or 0 for none", plan.MaxAllowed))
	}
	if in.Cap.Valid {
		if reason := CheckCap(in.Cap.Decimal); reason != "" {
			bad("cap", in.Cap.Decimal.String(), reason)
		}
	}
	return errors.Join(list...)
}

// CheckCap returns why c cannot be a cap on the exposure, or "".
func CheckCap(c decimal.Decimal) string {
	if c.IsNegative() {
		return "is negative; the exposure is never below 0 (a client can always fail every installment and buy nothing)"
	}
	return ""
}

// prepare builds the model of the rules (the plan's, or delayed ones) and
// the timeline of the schedule.
func (in *Input) prepare(rules []plan.Rule) (*model, *timeline, error) {
	t := in.Terms
	p := t.Plan()
	sub, err := t.Subscribe(plan.Enrollment{ID: subscriptionID, Start: in.Start, Payment: in.Payment, Interval: in.Interval, MultiPet: in.MultiPet})
	if err != nil {
		return nil, nil, err
	}
	sched, err := billing.ScheduleFor(sub)
	if err != nil {
		return nil, nil, err
	}
	m, err := buildModel(t, &p, rules, in.Start, in.Prices, in.UnitsCap)
	if err != nil {
		return nil, nil, err
	}
	places := t.Currency().MinorUnits()
	var due []int
	var amt []int64
	for _, inst := range sched.Installments {
		a, ok := scaled(inst.Amount, places)
		if !ok || !a.IsInt64() {
			return nil, nil, fmt.Errorf("%w: installment %d of %s is not a whole number of minor units", ErrTooLarge, inst.Number, inst.Amount)
		}
		due = append(due, inst.Due.Sub(in.Start))
		amt = append(amt, a.Int64())
	}
	byDays := t.Dunning().SuspendAfter
	return m, m.timeline(due, amt, p.SuspendAfterFailures, byDays.Set, byDays.Days), nil
}

func (in *Input) amount(m *model, minor int64) decimal.Decimal {
	return decimal.New(minor, -m.places)
}

func (in *Input) point(m *model, p point) Point {
	return Point{Day: p.day, Date: in.Start.AddDays(p.day), Exposure: in.amount(m, p.value)}
}

// points keeps the points where the value changes.
func (in *Input) points(m *model, ps []point) []Point {
	var out []Point
	for i, p := range ps {
		if i == 0 || p.value != ps[i-1].value {
			out = append(out, in.point(m, p))
		}
	}
	return out
}

// breakEven is the first day from which the values stay at or below 0.
func breakEven(ps []point) (int, bool) {
	if ps[len(ps)-1].value > 0 {
		return 0, false
	}
	day := ps[len(ps)-1].day
	for i := len(ps) - 1; i >= 0 && ps[i].value <= 0; i-- {
		day = ps[i].day
	}
	return day, true
}
