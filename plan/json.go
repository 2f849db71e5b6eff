package plan

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
)

// The JSON forms below are a public contract: field names match the
// scenario format. Numbers that are money, quantities or percentages are
// written as strings and read from strings or JSON numbers, exactly (never
// through float64). Unknown fields are errors, so that a typo cannot
// silently drop a rule.

// decodeWith parses b, runs read on the root object and, when decoding
// found no syntax error, checks the result with validate. Validation
// problems at or under a path where decoding already failed are dropped:
// the decoding problem explains them (a rule that is not an object has no
// group to complain about).
func decodeWith(b []byte, what string, read func(o wire.Object), validate func() error) error {
	var d wire.Decoder
	tree, err := wire.Parse(b, &d)
	if err != nil {
		return err
	}
	o, ok := d.Object("", tree, what)
	if ok {
		read(o)
	}
	list := wire.ErrorList(d.Problems)
	if !ok {
		return errors.Join(list...)
	}
	failed := make(map[string]bool, len(d.Problems))
	for _, p := range d.Problems {
		failed[p.Path] = true
	}
	for _, v := range Problems(validate()) {
		if !explained(failed, v.Path) {
			list = append(list, v)
		}
	}
	return errors.Join(list...)
}

// explained reports whether path or one of the paths it lies under is in
// failed.
func explained(failed map[string]bool, path string) bool {
	for {
		if failed[path] {
			return true
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			return false
		}
		path = path[:i]
	}
}

func readDate(o wire.Object, key string, required bool) Date {
	s, ok := o.String(key, required)
	if !ok {
		return Date{}
	}
	d, err := ParseDate(s) // the zero Date when it is not valid
	if err != nil {
		o.Report(key, s, "is not a valid date; want YYYY-MM-DD, such as 2026-01-31")
	}
	return d
}

// readNullDecimal reads an optional decimal: absent, null or not valid
// (which is reported), it is not set.
func readNullDecimal(o wire.Object, key string) decimal.NullDecimal {
	d, ok := o.Decimal(key, false)
	return decimal.NullDecimal{Decimal: d, Valid: ok}
}

func readDecimal(o wire.Object, key string, required bool) decimal.Decimal {
	d, _ := o.Decimal(key, required)
	return d
}

func readInt(o wire.Object, key string, lo, hi int64, required bool) int {
	n, _ := o.Int(key, lo, hi, required)
	return int(n)
}

// readEnum reads a string field through parse, reporting its error. The
// parse functions' errors all read "unknown ... %q; want ...", with the
// zero value.
func readEnum[T any](o wire.Object, key string, parse func(string) (T, error)) T {
	s, ok := o.String(key, false)
	if !ok {
		var zero T
		return zero
	}
	v, err := parse(s)
	if err != nil {
		_, want, _ := strings.Cut(err.Error(), "; ")
		o.Report(key, s, "is not valid; "+want)
	}
	return v
}

// UnmarshalJSON reads {"currency", "groups", "plans"} and validates the
// result, reporting every problem at once.
func (c *Catalog) UnmarshalJSON(b []byte) error {
	var v Catalog
	err := decodeWith(b, "a catalog", func(o wire.Object) { v = readCatalog(o) }, v.Validate)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

func readCatalog(o wire.Object) Catalog {
	o.Only("a catalog", "currency", "groups", "plans")
	var c Catalog
	if s, ok := o.String("currency", true); ok {
		cur, err := ParseCurrency(s)
		if err != nil {
			o.Report("currency", s, "is not a known currency; want one of "+currencyCodes)
		}
		c.Currency = cur
	}
	c.Groups = readGroups(o)
	if a, ok := o.Array("plans", false); ok {
		for i, v := range a {
			p, _ := readPlanAt(o, wire.Index(o.Path("plans"), i), v)
			c.Plans = append(c.Plans, p)
		}
	}
	return c
}

func readGroups(o wire.Object) []Group {
	a, _ := o.Array("groups", false)
	var gs []Group
	for i, v := range a {
		g, ok := o.Decoder().Object(wire.Index(o.Path("groups"), i), v, "a treatment group")
		if !ok {
			gs = append(gs, Group{})
			continue
		}
		gs = append(gs, readGroup(g))
	}
	return gs
}

func readGroup(o wire.Object) Group {
	o.Only("a treatment group", "id", "name", "core", "items")
	var g Group
	g.ID, _ = o.String("id", true)
	g.Name, _ = o.String("name", false)
	g.Core, _ = o.Bool("core")
	if a, ok := o.Array("items", false); ok {
		for i, v := range a {
			it, ok := o.Decoder().Object(wire.Index(o.Path("items"), i), v, "an item")
			if !ok {
				g.Items = append(g.Items, Item{Code: "?"})
				continue
			}
			it.Only("an item", "code", "units", "value")
			var item Item
			item.Code, _ = it.String("code", true)
			item.Units = readInt(it, "units", 1, MaxItemUnits, false)
			item.Value = readNullDecimal(it, "value")
			g.Items = append(g.Items, item)
		}
	}
	return g
}

func readPlanAt(parent wire.Object, path string, v any) (Plan, bool) {
	o, ok := parent.Decoder().Object(path, v, "a plan")
	if !ok {
		return Plan{}, false
	}
	return readPlan(o), true
}

func readBand(o wire.Object, key string) Band {
	b, ok := o.Object(key, "a band {\"min\", \"max\"}", false)
	if !ok {
		return Band{}
	}
	b.Only("a band", "min", "max")
	return Band{Min: readNullDecimal(b, "min"), Max: readNullDecimal(b, "max")}
}

func readPlan(o wire.Object) Plan {
	o.Only("a plan", "id", "name", "species", "weightKg", "ageMonths", "availableFrom", "availableTo",
		"termMonths", "monthlyFee", "fees", "advancePrice", "joiningFee", "multiPetDiscount", "renewal",
		"graceDays", "rounding", "suspendAfterFailures", "dunning", "settlement", "rules")
	var p Plan
	p.ID, _ = o.String("id", true)
	p.Name, _ = o.String("name", false)
	p.Species, _ = o.String("species", true)
	p.WeightKg = readBand(o, "weightKg")
	p.AgeMonths = readBand(o, "ageMonths")
	p.AvailableFrom = readDate(o, "availableFrom", false)
	p.AvailableTo = readDate(o, "availableTo", false)
	p.TermMonths = readInt(o, "termMonths", 1, MaxTermMonths, true)
	p.MonthlyFee = readDecimal(o, "monthlyFee", true)
	if f, ok := o.Object("fees", "{\"4weeks\", \"quarter\", \"year\"}", false); ok {
		f.Only("the fees", "4weeks", "quarter", "year")
		p.Fees = Fees{FourWeeks: readNullDecimal(f, "4weeks"), Quarter: readNullDecimal(f, "quarter"), Year: readNullDecimal(f, "year")}
	}
	p.AdvancePrice = readNullDecimal(o, "advancePrice")
	p.JoiningFee = readDecimal(o, "joiningFee", false)
	if m, ok := o.Object("multiPetDiscount", "{\"amount\"} or {\"percent\"}", false); ok {
		m.Only("a multi-pet discount", "amount", "percent")
		p.MultiPetDiscount = readDiscount(m, "percent", "amount")
	}
	if r, ok := o.Object("renewal", "{\"auto\", \"nextPlan\"}", false); ok {
		r.Only("a renewal", "auto", "nextPlan")
		p.Renewal.Auto, _ = r.Bool("auto")
		p.Renewal.NextPlan, _ = r.String("nextPlan", false)
	}
	p.GraceDays = readInt(o, "graceDays", 0, MaxDayOffset, false)
	p.Rounding = readEnum(o, "rounding", ParseRounding)
	p.SuspendAfterFailures = readInt(o, "suspendAfterFailures", 0, MaxFailures, false)
	if d, ok := o.Object("dunning", "a dunning policy", false); ok {
		d.Only("a dunning policy", "retryDays", "pastDueAfterDays", "suspendAfterDays", "cancelAfterDays")
		if a, ok := d.Array("retryDays", false); ok {
			for i, v := range a {
				n, ok := wire.IntValue(d.Decoder(), wire.Index(d.Path("retryDays"), i), v, 0, MaxDayOffset)
				if !ok {
					n = -1 // keeps the positions; the problem is reported already
				}
				p.Dunning.RetryDays = append(p.Dunning.RetryDays, int(n))
			}
		}
		p.Dunning.PastDueAfter = readThreshold(d, "pastDueAfterDays")
		p.Dunning.SuspendAfter = readThreshold(d, "suspendAfterDays")
		p.Dunning.CancelAfter = readThreshold(d, "cancelAfterDays")
	}
	if s, ok := o.Object("settlement", "a settlement", false); ok {
		s.Only("a settlement", "method", "basis", "cancellationFee", "waiveFor", "refundExcess", "coolingOffDays")
		p.Settlement.Method = readEnum(s, "method", ParseMethod)
		p.Settlement.Basis = readEnum(s, "basis", ParseBasis)
		p.Settlement.CancellationFee = readDecimal(s, "cancellationFee", false)
		if a, ok := s.Array("waiveFor", false); ok {
			for i, v := range a {
				// A reason that is not a string keeps its position as "",
				// whose problem is explained by this one.
				r, isStr := v.(string)
				if !isStr {
					s.Decoder().Report(wire.Index(s.Path("waiveFor"), i), wire.Text(v), "is "+wire.Kind(v)+"; want a reason string such as deceased")
				}
				p.Settlement.WaiveFor = append(p.Settlement.WaiveFor, r)
			}
		}
		p.Settlement.RefundExcess, _ = s.Bool("refundExcess")
		p.Settlement.CoolingOffDays = readInt(s, "coolingOffDays", 0, MaxDayOffset, false)
	}
	if a, ok := o.Array("rules", false); ok {
		for i, v := range a {
			r, ok := o.Decoder().Object(wire.Index(o.Path("rules"), i), v, "a rule")
			if !ok {
				p.Rules = append(p.Rules, Rule{Discount: PercentOff(decimal.Decimal{}), Allowed: Unlimited(), Group: "?"})
				continue
			}
			p.Rules = append(p.Rules, readRule(r))
		}
	}
	return p
}

func readThreshold(o wire.Object, key string) Threshold {
	n, ok := o.Int(key, 0, MaxDayOffset, false)
	return Threshold{Days: int(n), Set: ok}
}

// readDiscount reads a discount given as exactly one of two fields.
func readDiscount(o wire.Object, percentKey, amountKey string) Discount {
	hasP, hasA := o.Has(percentKey), o.Has(amountKey)
	switch {
	case hasP && hasA:
		o.Report(percentKey, "", "is given with "+amountKey+"; give exactly one of "+percentKey+" and "+amountKey)
		return PercentOff(decimal.Decimal{})
	case hasP:
		return PercentOff(readDecimal(o, percentKey, false))
	case hasA:
		return AmountOff(readDecimal(o, amountKey, false))
	}
	return Discount{}
}

func readRule(o wire.Object) Rule {
	o.Only("a rule", "id", "group", "discountPercent", "discountAmount", "allowed", "startDay", "endDay", "viewOrder")
	var r Rule
	r.ID, _ = o.String("id", false)
	r.Group, _ = o.String("group", true)
	r.Discount = readDiscount(o, "discountPercent", "discountAmount")
	if v, ok := o.Get("allowed"); ok {
		switch t := v.(type) {
		case string:
			if t == "unlimited" {
				r.Allowed = Unlimited()
			} else {
				o.Report("allowed", t, "is not a whole number or \"unlimited\"; want 1..1000000000 or \"unlimited\"")
			}
		default:
			if n, ok := wire.IntValue(o.Decoder(), o.Path("allowed"), v, 1, MaxAllowed); ok {
				r.Allowed = Allowed(n)
			}
		}
	}
	r.StartDay = readInt(o, "startDay", 0, MaxDayOffset, false)
	r.EndDay = readInt(o, "endDay", 0, MaxDayOffset, true)
	r.ViewOrder = readInt(o, "viewOrder", 0, MaxViewOrder, false)
	return r
}

// UnmarshalJSON reads a plan and checks the fields it can check without
// the catalog (a group id is checked against the catalog by
// Catalog.Validate and NewTerms).
func (p *Plan) UnmarshalJSON(b []byte) error {
	var v Plan
	err := decodeWith(b, "a plan", func(o wire.Object) { v = readPlan(o) }, func() error {
		var e errs
		v.validate(&e, "", nil)
		// Without the catalog every group looks unknown; leave that to
		// NewTerms and Catalog.Validate.
		var keep []error
		for _, x := range e.list {
			if ve := x.(*ValidationError); !strings.HasSuffix(ve.Path, ".group") || ve.Value == "" {
				keep = append(keep, x)
			}
		}
		return errors.Join(keep...)
	})
	if err != nil {
		return err
	}
	*p = v
	return nil
}

func readPatient(o wire.Object) Patient {
	o.Only("a patient", "id", "species", "weightKg", "expectedAdultWeightKg", "birthDate")
	var pt Patient
	pt.ID, _ = o.String("id", false)
	pt.Species, _ = o.String("species", false)
	pt.WeightKg = readNullDecimal(o, "weightKg")
	pt.ExpectedAdultWeightKg = readNullDecimal(o, "expectedAdultWeightKg")
	pt.BirthDate = readDate(o, "birthDate", false)
	return pt
}

// UnmarshalJSON reads {"id", "species", "weightKg", "expectedAdultWeightKg",
// "birthDate"}.
func (pt *Patient) UnmarshalJSON(b []byte) error {
	var v Patient
	err := decodeWith(b, "a patient", func(o wire.Object) { v = readPatient(o) }, func() error {
		var e errs
		v.validate(&e, "")
		return e.err()
	})
	if err != nil {
		return err
	}
	*pt = v
	return nil
}

// UnmarshalJSON reads {"currency", "groups", "plan"} and builds the terms.
func (t *Terms) UnmarshalJSON(b []byte) error {
	var (
		cur    Currency
		groups []Group
		p      Plan
		built  *Terms
	)
	err := decodeWith(b, "subscription terms", func(o wire.Object) {
		o.Only("subscription terms", "currency", "groups", "plan")
		if s, ok := o.String("currency", true); ok {
			c, err := ParseCurrency(s)
			if err != nil {
				o.Report("currency", s, "is not a known currency; want one of "+currencyCodes)
			}
			cur = c
		}
		groups = readGroups(o)
		if v, ok := o.Get("plan"); ok {
			p, _ = readPlanAt(o, o.Path("plan"), v)
		} else {
			o.Report("plan", "", "is missing; want the plan as sold")
		}
	}, func() error {
		var err error
		built, err = NewTerms(cur, groups, p)
		return err
	})
	if err != nil {
		return err
	}
	*t = *built
	return nil
}

// UnmarshalJSON reads {"id", "client", "patient", "start", "payment",
// "interval", "multiPet"} and checks the enrollment's own fields (see
// [Enrollment.Validate]), reporting every problem at once.
func (in *Enrollment) UnmarshalJSON(b []byte) error {
	// Most enrollments read are ones this library wrote: read those in one
	// pass, and anything else (or anything wrong) the careful way, which
	// says what is wrong.
	if v, ok := scanEnrollment(string(b)); ok && v.Validate() == nil {
		*in = v
		return nil
	}
	var v Enrollment
	err := decodeWith(b, "an enrollment", func(o wire.Object) { v = readEnrollment(o) }, func() error { return v.Validate() })
	if err != nil {
		return err
	}
	*in = v
	return nil
}

func readEnrollment(o wire.Object) Enrollment {
	o.Only("an enrollment", "id", "client", "patient", "start", "payment", "interval", "multiPet")
	var v Enrollment
	v.ID, _ = o.String("id", true)
	v.Client, _ = o.String("client", false)
	if po, ok := o.Object("patient", "a patient", false); ok {
		v.Patient = readPatient(po)
	}
	v.Start = readDate(o, "start", true)
	v.Payment = readEnum(o, "payment", ParsePaymentOption)
	v.Interval = readEnum(o, "interval", ParseInterval)
	v.MultiPet, _ = o.Bool("multiPet")
	return v
}

var enrollmentFields = [...]string{"id", "client", "patient", "start", "payment", "interval", "multiPet"}

// scanEnrollment reads an enrollment written plainly, each field once and
// of the kind it takes: what readEnrollment reads from it without a
// problem. It reports false for anything else.
func scanEnrollment(src string) (Enrollment, bool) {
	s := wire.NewScanner(src, "")
	var v Enrollment
	var seen [len(enrollmentFields)]bool
	if !s.Object("") {
		return v, false
	}
	for {
		k, ok := s.Key()
		if !ok {
			break
		}
		f := -1
		for i, name := range enrollmentFields {
			if k == name {
				f = i
			}
		}
		if f < 0 || seen[f] {
			return v, false
		}
		seen[f] = true
		switch f {
		case 0:
			v.ID, ok = s.String() // an empty id is Validate's to refuse
		case 1:
			v.Client, ok = s.String()
		case 2:
			v.Patient, ok = scanPatient(s)
		case 3:
			v.Start, ok = scanDate(s)
		case 4:
			v.Payment, ok = scanEnum(s, ParsePaymentOption)
		case 5:
			v.Interval, ok = scanEnum(s, ParseInterval)
		case 6:
			v.MultiPet, ok = s.Bool()
		}
		if !ok {
			return v, false
		}
	}
	s.End()
	return v, seen[0] && seen[3] && !s.Failed() && len(s.Problems) == 0
}

var patientFields = [...]string{"id", "species", "weightKg", "expectedAdultWeightKg", "birthDate"}

// scanPatient is scanEnrollment's reader of a patient, as readPatient
// reads one.
func scanPatient(s *wire.Scanner) (Patient, bool) {
	var pt Patient
	var seen [len(patientFields)]bool
	if !s.Object("") {
		return pt, false
	}
	for {
		k, ok := s.Key()
		if !ok {
			break
		}
		f := -1
		for i, name := range patientFields {
			if k == name {
				f = i
			}
		}
		if f < 0 || seen[f] {
			return pt, false
		}
		seen[f] = true
		switch f {
		case 0:
			pt.ID, ok = s.String()
		case 1:
			pt.Species, ok = s.String()
		case 2:
			pt.WeightKg, ok = scanDecimal(s)
		case 3:
			pt.ExpectedAdultWeightKg, ok = scanDecimal(s)
		case 4:
			pt.BirthDate, ok = scanDate(s)
		}
		if !ok {
			return pt, false
		}
	}
	return pt, !s.Failed()
}

// scanDate and scanDecimal report false when the scanner has no string
// or number there (v is then "", which does not parse either) or when it
// does not parse.
func scanDate(s *wire.Scanner) (Date, bool) {
	v, ok := s.String()
	d, err := ParseDate(v)
	return d, ok && err == nil
}

func scanDecimal(s *wire.Scanner) (decimal.NullDecimal, bool) {
	v, ok := s.Decimal()
	x, err := num.Parse(v)
	return decimal.NullDecimal{Decimal: x, Valid: true}, ok && err == nil
}

func scanEnum[T any](s *wire.Scanner, parse func(string) (T, error)) (T, bool) {
	v, ok := s.String()
	if !ok {
		var zero T
		return zero, false
	}
	x, err := parse(v)
	return x, err == nil
}

// The encoders write the same forms the decoders read.

type itemJSON struct {
	Code  string `json:"code"`
	Units int    `json:"units,omitempty"`
	Value string `json:"value,omitempty"`
}

type feesJSON struct {
	FourWeeks string `json:"4weeks,omitempty"`
	Quarter   string `json:"quarter,omitempty"`
	Year      string `json:"year,omitempty"`
}

type dunningJSON struct {
	RetryDays        []int `json:"retryDays,omitempty"`
	PastDueAfterDays *int  `json:"pastDueAfterDays,omitempty"`
	SuspendAfterDays *int  `json:"suspendAfterDays,omitempty"`
	CancelAfterDays  *int  `json:"cancelAfterDays,omitempty"`
}

func thresholdOut(t Threshold) *int {
	if !t.Set {
		return nil
	}
	return &t.Days
}

type groupJSON struct {
	ID    string     `json:"id"`
	Name  string     `json:"name,omitempty"`
	Core  bool       `json:"core"`
	Items []itemJSON `json:"items"`
}

type bandJSON struct {
	Min string `json:"min,omitempty"`
	Max string `json:"max,omitempty"`
}

type discountJSON struct {
	Percent string `json:"percent,omitempty"`
	Amount  string `json:"amount,omitempty"`
}

type renewalJSON struct {
	Auto     bool   `json:"auto"`
	NextPlan string `json:"nextPlan,omitempty"`
}

type settlementJSON struct {
	Method          string   `json:"method"`
	Basis           string   `json:"basis"`
	CancellationFee string   `json:"cancellationFee"`
	WaiveFor        []string `json:"waiveFor"`
	RefundExcess    bool     `json:"refundExcess"`
	CoolingOffDays  int      `json:"coolingOffDays"`
}

type ruleJSON struct {
	ID              string `json:"id,omitempty"`
	Group           string `json:"group"`
	DiscountPercent string `json:"discountPercent,omitempty"`
	DiscountAmount  string `json:"discountAmount,omitempty"`
	Allowed         any    `json:"allowed"`
	StartDay        int    `json:"startDay"`
	EndDay          int    `json:"endDay"`
	ViewOrder       int    `json:"viewOrder"`
}

type planJSON struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	Species              string         `json:"species"`
	WeightKg             *bandJSON      `json:"weightKg,omitempty"`
	AgeMonths            *bandJSON      `json:"ageMonths,omitempty"`
	AvailableFrom        string         `json:"availableFrom,omitempty"`
	AvailableTo          string         `json:"availableTo,omitempty"`
	TermMonths           int            `json:"termMonths"`
	MonthlyFee           string         `json:"monthlyFee"`
	Fees                 *feesJSON      `json:"fees,omitempty"`
	AdvancePrice         string         `json:"advancePrice,omitempty"`
	JoiningFee           string         `json:"joiningFee,omitempty"`
	MultiPetDiscount     *discountJSON  `json:"multiPetDiscount,omitempty"`
	Renewal              renewalJSON    `json:"renewal"`
	GraceDays            int            `json:"graceDays,omitempty"`
	Rounding             string         `json:"rounding"`
	SuspendAfterFailures int            `json:"suspendAfterFailures,omitempty"`
	Dunning              *dunningJSON   `json:"dunning,omitempty"`
	Settlement           settlementJSON `json:"settlement"`
	Rules                []ruleJSON     `json:"rules"`
}

func dateText(d Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func nullText(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return num.Format(d.Decimal)
}

func bandOut(b Band) *bandJSON {
	if b.IsZero() {
		return nil
	}
	return &bandJSON{Min: nullText(b.Min), Max: nullText(b.Max)}
}

func groupsOut(gs []Group) []groupJSON {
	out := make([]groupJSON, len(gs))
	for i, g := range gs {
		items := make([]itemJSON, len(g.Items))
		for k, it := range g.Items {
			items[k] = itemJSON{Code: it.Code, Units: it.Units, Value: nullText(it.Value)}
		}
		out[i] = groupJSON{ID: g.ID, Name: g.Name, Core: g.Core, Items: items}
	}
	return out
}

func planOut(p *Plan) planJSON {
	j := planJSON{
		ID: p.ID, Name: p.Name, Species: p.Species,
		WeightKg: bandOut(p.WeightKg), AgeMonths: bandOut(p.AgeMonths),
		AvailableFrom: dateText(p.AvailableFrom), AvailableTo: dateText(p.AvailableTo),
		TermMonths: p.TermMonths, MonthlyFee: num.Format(p.MonthlyFee),
		AdvancePrice: nullText(p.AdvancePrice),
		Renewal:      renewalJSON{Auto: p.Renewal.Auto, NextPlan: p.Renewal.NextPlan},
		GraceDays:    p.GraceDays, Rounding: p.Rounding.String(),
		SuspendAfterFailures: p.SuspendAfterFailures,
		Settlement: settlementJSON{
			Method: p.Settlement.Method.String(), Basis: p.Settlement.Basis.String(),
			CancellationFee: num.Format(p.Settlement.CancellationFee),
			WaiveFor:        append([]string{}, p.Settlement.WaiveFor...),
			RefundExcess:    p.Settlement.RefundExcess, CoolingOffDays: p.Settlement.CoolingOffDays,
		},
		Rules: make([]ruleJSON, len(p.Rules)),
	}
	if !p.JoiningFee.IsZero() {
		j.JoiningFee = num.Format(p.JoiningFee)
	}
	if f := p.Fees; f != (Fees{}) {
		j.Fees = &feesJSON{FourWeeks: nullText(f.FourWeeks), Quarter: nullText(f.Quarter), Year: nullText(f.Year)}
	}
	if d := p.Dunning; len(d.RetryDays) > 0 || d.PastDueAfter.Set || d.SuspendAfter.Set || d.CancelAfter.Set {
		j.Dunning = &dunningJSON{RetryDays: d.RetryDays, PastDueAfterDays: thresholdOut(d.PastDueAfter),
			SuspendAfterDays: thresholdOut(d.SuspendAfter), CancelAfterDays: thresholdOut(d.CancelAfter)}
	}
	if pc, ok := p.MultiPetDiscount.Percent(); ok {
		j.MultiPetDiscount = &discountJSON{Percent: num.Format(pc)}
	} else if a, ok := p.MultiPetDiscount.Amount(); ok {
		j.MultiPetDiscount = &discountJSON{Amount: num.Format(a)}
	}
	for i, r := range p.Rules {
		rj := ruleJSON{ID: r.ID, Group: r.Group, StartDay: r.StartDay, EndDay: r.EndDay, ViewOrder: r.ViewOrder}
		if pc, ok := r.Discount.Percent(); ok {
			rj.DiscountPercent = num.Format(pc)
		} else if a, ok := r.Discount.Amount(); ok {
			rj.DiscountAmount = num.Format(a)
		}
		if r.Allowed.IsUnlimited() {
			rj.Allowed = "unlimited"
		} else {
			rj.Allowed = r.Allowed.n
		}
		j.Rules[i] = rj
	}
	return j
}

// MarshalJSON writes the plan in the scenario format.
func (p Plan) MarshalJSON() ([]byte, error) { return json.Marshal(planOut(&p)) }

// MarshalJSON writes {"currency", "groups", "plans"}.
func (c Catalog) MarshalJSON() ([]byte, error) {
	plans := make([]planJSON, len(c.Plans))
	for i := range c.Plans {
		plans[i] = planOut(&c.Plans[i])
	}
	return json.Marshal(struct {
		Currency string      `json:"currency"`
		Groups   []groupJSON `json:"groups"`
		Plans    []planJSON  `json:"plans"`
	}{c.Currency.code, groupsOut(c.Groups), plans})
}

type patientJSON struct {
	ID                    string `json:"id,omitempty"`
	Species               string `json:"species,omitempty"`
	WeightKg              string `json:"weightKg,omitempty"`
	ExpectedAdultWeightKg string `json:"expectedAdultWeightKg,omitempty"`
	BirthDate             string `json:"birthDate,omitempty"`
}

func patientOut(pt Patient) patientJSON {
	return patientJSON{ID: pt.ID, Species: pt.Species, WeightKg: nullText(pt.WeightKg),
		ExpectedAdultWeightKg: nullText(pt.ExpectedAdultWeightKg), BirthDate: dateText(pt.BirthDate)}
}

// MarshalJSON writes the patient's fields that are set.
func (pt Patient) MarshalJSON() ([]byte, error) { return json.Marshal(patientOut(pt)) }

type termsJSON struct {
	Currency string      `json:"currency"`
	Groups   []groupJSON `json:"groups"`
	Plan     planJSON    `json:"plan"`
}

// MarshalJSON writes {"currency", "groups", "plan"}.
func (t *Terms) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return nil, ErrZeroTerms
	}
	return json.Marshal(termsJSON{t.currency.code, groupsOut(t.groups), planOut(&t.plan)})
}

// MarshalJSON writes the enrollment as UnmarshalJSON reads it, the same
// enrollment always to the same bytes.
func (in Enrollment) MarshalJSON() ([]byte, error) { return in.AppendJSON(make([]byte, 0, 160)), nil }

// AppendJSON appends the enrollment's JSON to b, as MarshalJSON writes it.
func (in Enrollment) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = wire.AppendString(b, in.ID)
	if in.Client != "" {
		b = append(b, `,"client":`...)
		b = wire.AppendString(b, in.Client)
	}
	b = append(b, `,"patient":{`...)
	pt := in.Patient
	field := func(name, value string) {
		if value == "" {
			return
		}
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
		b = wire.AppendString(b, value)
	}
	field("id", pt.ID)
	field("species", pt.Species)
	field("weightKg", nullText(pt.WeightKg))
	field("expectedAdultWeightKg", nullText(pt.ExpectedAdultWeightKg))
	field("birthDate", dateText(pt.BirthDate))
	b = append(b, `},"start":`...)
	b = wire.AppendString(b, dateText(in.Start))
	b = append(b, `,"payment":`...)
	b = wire.AppendString(b, in.Payment.String())
	if in.Interval != Month {
		b = append(b, `,"interval":`...)
		b = wire.AppendString(b, in.Interval.String())
	}
	if in.MultiPet {
		b = append(b, `,"multiPet":true`...)
	}
	return append(b, '}')
}
