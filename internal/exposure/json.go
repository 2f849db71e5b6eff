package exposure

import (
	"encoding/json"

	"github.com/shopspring/decimal"
)

type pointJSON struct {
	Day      int    `json:"day"`
	Date     string `json:"date,omitempty"`
	Exposure string `json:"exposure"`
}

type delayJSON struct {
	Rule     string `json:"rule"`
	Days     int    `json:"days"`
	StartDay int    `json:"startDay"`
	Never    bool   `json:"never"`
}

type delaysJSON struct {
	Cap      string      `json:"cap"`
	Within   bool        `json:"within"`
	Alone    []delayJSON `json:"alone"`
	Together []delayJSON `json:"together"`
	Peak     string      `json:"peak,omitempty"`
}

type payingJSON struct {
	Peak         pointJSON   `json:"peak"`
	BreakEvenDay *int        `json:"breakEvenDay"`
	Curve        []pointJSON `json:"curve"`
}

// MarshalJSON writes the report as the scenario format's exposure result:
// {"peak": {"day", "date", "exposure"}, "curve": [{"day", "exposure"}],
// "paying": {"peak", "breakEvenDay", "curve"}, "delays", "worstClient"},
// or {"unbounded": [rule ids]}. Amounts have the currency's minor units;
// breakEvenDay is null when the paying client never breaks even.
func (r Report) MarshalJSON() ([]byte, error) {
	if len(r.Unbounded) > 0 {
		return json.Marshal(struct {
			Unbounded []string `json:"unbounded"`
		}{r.Unbounded})
	}
	amount := func(d decimal.Decimal) string { return r.Currency.Format(d) }
	point := func(p Point, withDate bool) pointJSON {
		out := pointJSON{Day: p.Day, Exposure: amount(p.Exposure)}
		if withDate {
			out.Date = p.Date.String()
		}
		return out
	}
	curve := func(ps []Point) []pointJSON {
		out := make([]pointJSON, len(ps))
		for i, p := range ps {
			out[i] = point(p, false)
		}
		return out
	}
	delays := func(ds []Delay) []delayJSON {
		out := make([]delayJSON, len(ds))
		for i, d := range ds {
			out[i] = delayJSON(d)
		}
		return out
	}
	out := struct {
		Peak        pointJSON       `json:"peak"`
		Curve       []pointJSON     `json:"curve"`
		Paying      payingJSON      `json:"paying"`
		Delays      *delaysJSON     `json:"delays,omitempty"`
		WorstClient json.RawMessage `json:"worstClient"`
	}{Peak: point(r.Peak, true), Curve: curve(r.Curve), WorstClient: r.Worst,
		Paying: payingJSON{Peak: point(r.Paying.Peak, true), Curve: curve(r.Paying.Curve)}}
	if r.Paying.BreaksEven {
		day := r.Paying.BreakEvenDay
		out.Paying.BreakEvenDay = &day
	}
	if d := r.Delays; d != nil {
		out.Delays = &delaysJSON{Cap: amount(d.Cap), Within: d.Within, Alone: delays(d.Alone), Together: delays(d.Together)}
		if len(d.Together) > 0 {
			out.Delays.Peak = amount(d.Peak)
		}
	}
	return json.Marshal(out)
}
