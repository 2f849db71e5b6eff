package exposure

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

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

// Client is a client the analysis found: its payments on their due dates
// and its visits, in date order (payments first on a day with both), up to
// Day, on which its document ends with a terminate preview.
type Client struct {
	// Doc is the client as a scenario document (the replay format).
	Doc      json.RawMessage
	Day      int
	Payments []Payment
	Visits   []Visit
}

// Payment is an installment's outcome: taken in full on its due day, or
// failed.
type Payment struct {
	Day    int
	Amount decimal.Decimal
	Taken  bool
}

// Visit is a day's lines: whole quantities of priced items at their list
// prices.
type Visit struct {
	Day   int
	Lines []Line
}

// Line is an invoice line of a visit.
type Line struct {
	Item  string
	Qty   int64
	Price decimal.Decimal
}

// client finds the client behind point pt: its payments on their due
// dates (taken or failed) up to the point's day and its visits; its
// document ends with a terminate preview on the day.
func (in *Input) client(a *analysis, pt point, who string) (Client, error) {
	m, tl := a.m, a.tl
	out := Client{Day: pt.day}
	for k := 0; k <= pt.k; k++ {
		out.Payments = append(out.Payments, Payment{Day: tl.due[k], Amount: in.amount(m, tl.amt[k]),
			Taken: pt.c.taken[k/64]&(1<<(k%64)) != 0})
	}
	byDay := map[int]*Visit{}
	var value int64
	for _, gr := range m.groups {
		segs, days := a.reached(gr, pt.c.cov, pt.day)
		lines, v, err := gr.reconstruct(m, segs, a.b)
		if err != nil {
			return Client{}, err
		}
		value += v
		var sum int64
		for _, dl := range lines {
			for _, pc := range dl.pieces {
				sum += pc.discount
			}
		}
		if sum != v {
			return Client{}, fmt.Errorf("exposure: internal error: group %q: the %s client's lines give %d minor units, not the %d found", gr.id, who, sum, v)
		}
		for _, dl := range lines {
			day := days[slices.Index(segs, dl.seg)]
			if byDay[day] == nil {
				byDay[day] = &Visit{Day: day}
			}
			for _, pc := range dl.pieces {
				it := gr.items[pc.item]
				qty := (int64(pc.b-pc.a) + it.units - 1) / it.units
				byDay[day].Lines = append(byDay[day].Lines, Line{Item: it.code, Qty: qty, Price: it.price})
			}
		}
	}
	if value-pt.c.paid != pt.value {
		return Client{}, fmt.Errorf("exposure: internal error: the reconstructed %s client reaches %d minor units, not the %d found", who, value-pt.c.paid, pt.value)
	}
	days := make([]int, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	slices.Sort(days)
	for _, d := range days {
		out.Visits = append(out.Visits, *byDay[d])
	}
	doc, err := in.document(out, in.amount(m, pt.value), who)
	if err != nil {
		return Client{}, err
	}
	out.Doc = doc
	return out, nil
}

// document writes a client as a scenario built from the terms' own JSON
// ({"currency", "groups", "plan"}).
func (in *Input) document(c Client, exposure decimal.Decimal, who string) ([]byte, error) {
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
	planID := t.PlanID()
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

	v := 0
	for _, p := range c.Payments {
		for ; v < len(c.Visits) && c.Visits[v].Day < p.Day; v++ {
			doc.Events = append(doc.Events, in.visitEvent(c.Visits[v]))
		}
		status := "failed"
		if p.Taken {
			status = "taken"
		}
		doc.Events = append(doc.Events, paymentEvent{Type: "payment", Subscription: subscriptionID, Date: date(p.Day),
			Amount: cur.Format(p.Amount), Status: status})
	}
	for ; v < len(c.Visits); v++ {
		doc.Events = append(doc.Events, in.visitEvent(c.Visits[v]))
	}
	doc.Events = append(doc.Events, terminateEvent{Type: "terminate", Subscription: subscriptionID, Date: date(c.Day), Reason: "cancelled", Preview: true})
	amount := cur.Format(exposure)
	switch who {
	case "worst":
		doc.Note = fmt.Sprintf("The client who takes the most core value from plan %q without paying for it, starting on %s: by %s (day %d) it has used core discounts worth %s more than it paid; the terminate preview shows that coreValue minus paid.",
			planID, in.Start, date(c.Day), c.Day, amount)
	default:
		doc.Note = fmt.Sprintf("A client of plan %q who pays every installment, starting on %s, using the plan as well as it can: by %s (day %d) its core value used less what it paid is %s, the most it reaches.",
			planID, in.Start, date(c.Day), c.Day, amount)
	}
	return json.MarshalIndent(doc, "", "  ")
}

func (in *Input) visitEvent(v Visit) visitEvent {
	e := visitEvent{Type: "visit", Subscription: subscriptionID, Date: in.Start.AddDays(v.Day).String(), Invoice: "D" + strconv.Itoa(v.Day)}
	for i, l := range v.Lines {
		e.Lines = append(e.Lines, lineDoc{ID: "L" + strconv.Itoa(i+1), Item: l.Item, Qty: strconv.FormatInt(l.Qty, 10), UnitPrice: l.Price.String()})
	}
	return e
}
