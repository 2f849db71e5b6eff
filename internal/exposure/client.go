package exposure

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/vetplan/healthplan/plan"
)

// The client documents are scenarios in the replay format, built from the
// terms' own JSON ({"currency", "groups", "plan"}).

type subDoc struct {
	ID       string `json:"id"`
	Plan     string `json:"plan"`
	Client   string `json:"client"`
	Start    string `json:"start"`
	Payment  string `json:"payment"`
	Interval string `json:"interval,omitempty"`
}

type paymentEvent struct {
	Type         string `json:"type"`
	Subscription string `json:"subscription"`
	Date         string `json:"date"`
	Amount       string `json:"amount"`
	Status       string `json:"status"`
}

type lineDoc struct {
	ID        string `json:"id"`
	Item      string `json:"item"`
	Qty       string `json:"qty"`
	UnitPrice string `json:"unitPrice"`
}

type visitEvent struct {
	Type         string    `json:"type"`
	Subscription string    `json:"subscription"`
	Date         string    `json:"date"`
	Invoice      string    `json:"invoice"`
	Lines        []lineDoc `json:"lines"`
}

type terminateEvent struct {
	Type         string `json:"type"`
	Subscription string `json:"subscription"`
	Date         string `json:"date"`
	Reason       string `json:"reason"`
	Preview      bool   `json:"preview"`
}

type scenarioDoc struct {
	Note          string            `json:"note"`
	Currency      json.RawMessage   `json:"currency"`
	Groups        json.RawMessage   `json:"groups"`
	Plans         []json.RawMessage `json:"plans"`
	Subscriptions []subDoc          `json:"subscriptions"`
	Events        []any             `json:"events"`
}

// client writes the scenario of the client behind point pt: its payments
// on their due dates (taken or failed) up to the point's day, its visits
// (payments first on a day with both), and a terminate preview on the day.
func (in *Input) client(a *analysis, pt point, who string) ([]byte, error) {
	m, tl := a.m, a.tl
	t := in.Terms
	raw, err := t.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var terms struct {
		Currency json.RawMessage `json:"currency"`
		Groups   json.RawMessage `json:"groups"`
		Plan     json.RawMessage `json:"plan"`
	}
	if err := json.Unmarshal(raw, &terms); err != nil {
		return nil, err
	}
	planID := t.Plan().ID
	cur := t.Currency()
	date := func(day int) string { return in.Start.AddDays(day).String() }

	doc := scenarioDoc{Currency: terms.Currency, Groups: terms.Groups, Plans: []json.RawMessage{terms.Plan}}
	interval := ""
	if in.Interval != plan.Month {
		interval = in.Interval.String()
	}
	if in.MultiPet {
		doc.Subscriptions = append(doc.Subscriptions, subDoc{ID: "OTHER", Plan: planID, Client: "C", Start: in.Start.String(), Payment: in.Payment.String()})
	}
	doc.Subscriptions = append(doc.Subscriptions, subDoc{ID: subscriptionID, Plan: planID, Client: "C", Start: in.Start.String(),
		Payment: in.Payment.String(), Interval: interval})

	type dayEvents struct {
		payments []any
		lines    []lineDoc
	}
	byDay := map[int]*dayEvents{}
	on := func(d int) *dayEvents {
		if byDay[d] == nil {
			byDay[d] = &dayEvents{}
		}
		return byDay[d]
	}
	for k := 0; k <= pt.k; k++ {
		status := "failed"
		if pt.c.taken[k/64]&(1<<(k%64)) != 0 {
			status = "taken"
		}
		e := on(tl.due[k])
		e.payments = append(e.payments, paymentEvent{Type: "payment", Subscription: subscriptionID, Date: date(tl.due[k]),
			Amount: cur.Format(in.amount(m, tl.amt[k])), Status: status})
	}
	var value int64
	for _, gr := range m.groups {
		segs, days := a.reached(gr, pt.c.cov, pt.day)
		lines, v, err := gr.reconstruct(m, segs, a.b)
		if err != nil {
			return nil, err
		}
		value += v
		var sum int64
		for _, dl := range lines {
			for _, pc := range dl.pieces {
				sum += pc.discount
			}
		}
		if sum != v {
			return nil, fmt.Errorf("exposure: internal error: group %q: the %s client's lines give %d minor units, not the %d found", gr.id, who, sum, v)
		}
		for _, dl := range lines {
			day := days[slices.Index(segs, dl.seg)]
			e := on(day)
			for _, pc := range dl.pieces {
				it := gr.items[pc.item]
				qty := (int64(pc.b-pc.a) + it.units - 1) / it.units
				e.lines = append(e.lines, lineDoc{Item: it.code, Qty: strconv.FormatInt(qty, 10), UnitPrice: it.price.String()})
			}
		}
	}
	if value-pt.c.paid != pt.value {
		return nil, fmt.Errorf("exposure: internal error: the reconstructed %s client reaches %d minor units, not the %d found", who, value-pt.c.paid, pt.value)
	}
	days := make([]int, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	slices.Sort(days)
	for _, d := range days {
		e := byDay[d]
		doc.Events = append(doc.Events, e.payments...)
		if len(e.lines) > 0 {
			for i := range e.lines {
				e.lines[i].ID = "L" + strconv.Itoa(i+1)
			}
			doc.Events = append(doc.Events, visitEvent{Type: "visit", Subscription: subscriptionID, Date: date(d),
				Invoice: "D" + strconv.Itoa(d), Lines: e.lines})
		}
	}
	doc.Events = append(doc.Events, terminateEvent{Type: "terminate", Subscription: subscriptionID, Date: date(pt.day), Reason: "cancelled", Preview: true})
	exposure := cur.Format(in.amount(m, pt.value))
	switch who {
	case "worst":
		doc.Note = fmt.Sprintf("The client who takes the most core value from plan %q without paying for it, starting on %s: by %s (day %d) it has used core discounts worth %s more than it paid; the terminate preview shows that coreValue minus paid.",
			planID, in.Start, date(pt.day), pt.day, exposure)
	default:
		doc.Note = fmt.Sprintf("A client of plan %q who pays every installment, starting on %s, using the plan as well as it can: by %s (day %d) its core value used less what it paid is %s, the most it reaches.",
			planID, in.Start, date(pt.day), pt.day, exposure)
	}
	return json.MarshalIndent(doc, "", "  ")
}
