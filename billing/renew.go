package billing

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// Fit is whether a patient fits a plan, and why not.
type Fit struct {
	Plan     string
	Eligible bool
	// Reasons name the field and both values for each way the patient
	// does not fit; empty when Eligible.
	Reasons []string
}

// Fits is how a patient fits each of a catalog's plans.
type Fits []Fit

// MarshalJSON writes {"plans": [{"plan", "eligible", "reasons"}]}, reasons
// an empty array when the patient fits.
func (fs Fits) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 16+96*len(fs)), `{"plans":[`...)
	for i, f := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"plan":`...)
		b = wire.AppendString(b, f.Plan)
		b = append(b, `,"eligible":`...)
		b = strconv.AppendBool(b, f.Eligible)
		b = append(b, `,"reasons":[`...)
		for k, r := range f.Reasons {
			if k > 0 {
				b = append(b, ',')
			}
			b = wire.AppendString(b, r)
		}
		b = append(b, "]}"...)
	}
	return append(b, "]}"...), nil
}

// Eligibility judges a patient against every plan on date d, in the
// plans' order. It is advice, not a lock: a practice may still sell a plan
// that does not fit (only the sale window is enforced, by
// plan.Terms.Subscribe).
func Eligibility(plans []plan.Plan, pt plan.Patient, d plan.Date) Fits {
	out := make(Fits, len(plans))
	for i := range plans {
		reasons := Reasons(&plans[i], pt, d)
		out[i] = Fit{Plan: plans[i].ID, Eligible: len(reasons) == 0, Reasons: reasons}
	}
	return out
}

// Reasons lists why pt does not fit p on date d: the species; the weight
// band, judged on the expected adult weight when it is given (a puppy's
// plan runs for its whole term); the age band, on the age in whole months
// on d; and the sale window. A band the patient's record cannot be judged
// against (no weight, no birth date) is a reason too.
func Reasons(p *plan.Plan, pt plan.Patient, d plan.Date) []string {
	reasons := []string{}
	if !strings.EqualFold(pt.Species, p.Species) {
		if pt.Species == "" {
			reasons = append(reasons, fmt.Sprintf("species: not given; the plan is for %q", p.Species))
		} else {
			reasons = append(reasons, fmt.Sprintf("species: %q is not %q, the species the plan is for", pt.Species, p.Species))
		}
	}
	if !p.WeightKg.IsZero() {
		field, w := "weightKg", pt.WeightKg
		if pt.ExpectedAdultWeightKg.Valid {
			field, w = "expectedAdultWeightKg", pt.ExpectedAdultWeightKg
		}
		if !w.Valid {
			reasons = append(reasons, fmt.Sprintf("weightKg: not given; the plan is for %s", band(p.WeightKg, "weightKg")))
		} else if r := outside(p.WeightKg, w.Decimal); r != "" {
			reasons = append(reasons, fmt.Sprintf("%s: %s is %s", field, num.Format(w.Decimal), r))
		}
	}
	if !p.AgeMonths.IsZero() {
		if pt.BirthDate.IsZero() {
			reasons = append(reasons, fmt.Sprintf("birthDate: not given; the plan is for %s", band(p.AgeMonths, "ageMonths")))
		} else {
			age := plan.MonthsBetween(pt.BirthDate, d)
			if r := outside(p.AgeMonths, decimal.NewFromInt(int64(age))); r != "" {
				reasons = append(reasons, fmt.Sprintf("ageMonths: %d on %s is %s", age, d, r))
			}
		}
	}
	if !p.AvailableFrom.IsZero() && d.Before(p.AvailableFrom) {
		reasons = append(reasons, fmt.Sprintf("availableFrom: %s is before the plan goes on sale on %s", d, p.AvailableFrom))
	}
	if !p.AvailableTo.IsZero() && d.After(p.AvailableTo) {
		reasons = append(reasons, fmt.Sprintf("availableTo: %s is after the plan's last day of sale %s", d, p.AvailableTo))
	}
	return reasons
}

// band writes a band over a field: "10 <= weightKg < 25", "ageMonths < 12".
func band(b plan.Band, field string) string {
	s := field
	if b.Min.Valid {
		s = num.Format(b.Min.Decimal) + " <= " + s
	}
	if b.Max.Valid {
		s += " < " + num.Format(b.Max.Decimal)
	}
	return s
}

func outside(b plan.Band, x decimal.Decimal) string {
	if b.Min.Valid && x.LessThan(b.Min.Decimal) {
		return fmt.Sprintf("below the plan's minimum %s", num.Format(b.Min.Decimal))
	}
	if b.Max.Valid && !x.LessThan(b.Max.Decimal) {
		return fmt.Sprintf("not below the plan's maximum %s", num.Format(b.Max.Decimal))
	}
	return ""
}

// ErrNotRenewable is wrapped when a subscription cannot be renewed: it was
// terminated early, or it is being renewed under its own id.
var ErrNotRenewable = errors.New("subscription cannot be renewed")

// NextPlan is the id of the plan a subscription renews onto: the plan's
// renewal.nextPlan, or the same plan.
func NextPlan(sub *plan.Subscription) string {
	if next := sub.Terms.Renewal().NextPlan; next != "" {
		return next
	}
	return sub.Terms.PlanID()
}

// Renew starts the subscription that follows sub: it starts the day after
// sub's term ends, on next (the terms of NextPlan(sub) at that plan's
// current prices), with fresh allowances and no usage or payments carried
// over, for the same client, payment option, installment interval (or
// monthly, with a warning, when the next plan does not price it) and
// multi-pet discount. patient
// is the patient as they are now; the zero Patient keeps sub's. The
// warnings are the reasons the patient no longer fits the next plan (see
// Reasons); they do not stop the renewal. A renewal is a sale: it goes
// through next.Subscribe, so it is refused when its start is outside the
// next plan's sale window (plan.ErrOutsideSaleWindow), as is one of a
// subscription terminated early.
func Renew(sub *plan.Subscription, next *plan.Terms, id string, patient plan.Patient) (*plan.Subscription, []string, error) {
	if err := sub.Validate(); err != nil {
		return nil, nil, err
	}
	if next.IsZero() {
		return nil, nil, plan.ErrZeroTerms
	}
	if t := sub.Termination; t != nil && t.Reason != plan.ReasonExpired {
		return nil, nil, &plan.ValidationError{Path: "subscription", Value: sub.ID, Err: ErrNotRenewable,
			Reason: fmt.Sprintf("was terminated on %s (%s); only a subscription that runs its term renews", t.Date, t.Reason)}
	}
	if id == sub.ID {
		return nil, nil, &plan.ValidationError{Path: "as", Value: id, Err: ErrNotRenewable,
			Reason: "is the renewed subscription's own id; the renewal needs a new id"}
	}
	if patient == (plan.Patient{}) {
		patient = sub.Patient
	}
	in := plan.Enrollment{ID: id, Client: sub.Client, Patient: patient, Start: sub.End().AddDays(1),
		Payment: sub.Payment, Interval: sub.Interval, MultiPet: sub.MultiPet}
	var warnings []string
	if _, ok := next.Fee(in.Interval); !ok {
		warnings = append(warnings, fmt.Sprintf("interval: plan %q does not price %s installments; the renewal is paid monthly", next.PlanID(), in.Interval))
		in.Interval = plan.Month
	}
	n, err := next.Subscribe(in)
	if errors.Is(err, plan.ErrOutsideSaleWindow) {
		return nil, nil, &plan.ValidationError{Path: "subscription", Value: sub.ID, Err: plan.ErrOutsideSaleWindow,
			Reason: fmt.Sprintf("would renew on %s, outside plan %q's sale window %s; a renewal starts a new subscription", in.Start, next.PlanID(), next.SaleWindow())}
	}
	if err != nil {
		return nil, nil, err
	}
	p := next.Plan()
	return n, append(Reasons(&p, patient, n.Start), warnings...), nil
}
