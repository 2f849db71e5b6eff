package scenario_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vetplan/healthplan/internal/scenario"
)

// base is a scenario with one subscription and a committed visit; each
// case inserts one bad event after it.
const base = `{
  "currency": "GBP",
  "groups": [{"id": "flea", "name": "Flea", "core": true, "items": [{"code": "FLEA-1"}]}],
  "plans": [{"id": "dog", "species": "dog", "termMonths": 12, "monthlyFee": "15.00",
    "rules": [{"id": "flea", "group": "flea", "discountPercent": "100", "allowed": 3, "startDay": 0, "endDay": 365}]}],
  "subscriptions": [{"id": "S1", "plan": "dog", "client": "C1", "start": "2026-01-01"}],
  "events": [
    {"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I1", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1", "unitPrice": "10"}]},
    BAD,
    {"type": "entitlements", "subscription": "S1", "date": "2026-01-06"},
    {"type": "payment", "subscription": "S1", "date": "2026-01-06", "amount": "0.00", "status": "taken"},
    {"type": "visit", "preview": true, "subscription": "S1", "date": "2026-01-06", "invoice": "I9", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "3", "unitPrice": "10"}]},
    {"type": "terminate", "preview": true, "subscription": "S1", "date": "2026-02-01", "reason": "cancelled"}
  ]
}`

func replay(t *testing.T, doc string) []map[string]any {
	t.Helper()
	s, err := scenario.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var buf bytes.Buffer
	if err := scenario.Write(&buf, s.Replay()); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestBadEventsAreRefusedAlone: each bad event gets an error naming its
// field's path, and the events after it see exactly the state they see
// when the bad event is not there at all.
func TestBadEventsAreRefusedAlone(t *testing.T) {
	harmless := `{"type": "schedule", "subscription": "S1"}`
	want := replay(t, strings.Replace(base, "BAD", harmless, 1))
	cases := []struct{ name, event, path string }{
		{"huge exponent", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1e999999", "unitPrice": "10"}]}`, "events[1].lines[0].qty"},
		{"zero quantity", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "0", "unitPrice": "10"}]}`, "events[1].lines[0].qty"},
		{"quantity just over", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1000000.000001", "unitPrice": "10"}]}`, "events[1].lines[0].qty"},
		{"seven places", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1.0000001", "unitPrice": "10"}]}`, "events[1].lines[0].qty"},
		{"price too big", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1", "unitPrice": "1000000000000"}]}`, "events[1].lines[0].unitPrice"},
		{"negative price", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1", "unitPrice": "-0.01"}]}`, "events[1].lines[0].unitPrice"},
		{"price as a word", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1", "unitPrice": "ten"}]}`, "events[1].lines[0].unitPrice"},
		{"invalid date", `{"type": "visit", "subscription": "S1", "date": "2026-02-30", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1", "unitPrice": "10"}]}`, "events[1].date"},
		{"missing invoice", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1", "unitPrice": "10"}]}`, "events[1].invoice"},
		{"line id twice", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qty": "1", "unitPrice": "10"}, {"id": "L1", "item": "FLEA-1", "qty": "1", "unitPrice": "10"}]}`, "events[1].lines[1].id"},
		{"conflicting re-commit", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I1", "lines": [{"id": "L2", "item": "FLEA-1", "qty": "1", "unitPrice": "10"}, {"id": "L1", "item": "FLEA-1", "qty": "2", "unitPrice": "10"}]}`, "events[1].lines[1].qty"},
		{"typo in a line", `{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": [{"id": "L1", "item": "FLEA-1", "qtty": "1", "unitPrice": "10"}]}`, "events[1].lines[0].qtty"},
		{"unknown subscription", `{"type": "visit", "subscription": "S9", "date": "2026-01-05", "invoice": "I2", "lines": []}`, "events[1].subscription"},
		{"unknown event type", `{"type": "vist", "subscription": "S1"}`, "events[1].type"},
		{"event type missing", `{"subscription": "S1"}`, "events[1].type"},
		{"event not an object", `42`, "events[1]"},
		{"field of another event type", `{"type": "schedule", "subscription": "S1", "date": "2026-01-01"}`, "events[1].date"},
		{"reverse an unknown line", `{"type": "reverse", "subscription": "S1", "invoice": "I1", "line": "L9"}`, "events[1].line"},
		{"negative payment", `{"type": "payment", "subscription": "S1", "date": "2026-01-05", "amount": "-5", "status": "taken"}`, "events[1].amount"},
		{"payment as a word", `{"type": "payment", "subscription": "S1", "date": "2026-01-05", "amount": "five", "status": "taken"}`, "events[1].amount"},
		{"unknown payment status", `{"type": "payment", "subscription": "S1", "date": "2026-01-05", "amount": "5", "status": "maybe"}`, "events[1].status"},
		{"adjust an unknown rule", `{"type": "adjust", "subscription": "S1", "rule": "fleas", "units": "1"}`, "events[1].rule"},
		{"adjust by a word", `{"type": "adjust", "subscription": "S1", "rule": "flea", "units": "one"}`, "events[1].units"},
		{"adjust by zero", `{"type": "adjust", "subscription": "S1", "rule": "flea", "units": "0"}`, "events[1].units"},
		{"adjust above the allowance", `{"type": "adjust", "subscription": "S1", "rule": "flea", "units": "3"}`, "events[1].units"},
		{"terminate without a reason", `{"type": "terminate", "subscription": "S1", "date": "2026-02-01"}`, "events[1].reason"},
		{"expired before the end", `{"type": "terminate", "subscription": "S1", "date": "2026-02-01", "reason": "expired"}`, "events[1].date"},
		{"renew as an existing id", `{"type": "renew", "subscription": "S1", "as": "S1"}`, "events[1].as"},
		{"entitlements on a bad date", `{"type": "entitlements", "subscription": "S1", "date": "01/06/2026"}`, "events[1].date"},
		{"eligibility without a patient", `{"type": "eligibility", "date": "2026-01-01"}`, "events[1].patient"},
		{"eligibility with a bad weight", `{"type": "eligibility", "date": "2026-01-01", "patient": {"species": "dog", "weightKg": "heavy"}}`, "events[1].patient.weightKg"},
		{"preview that is not a boolean", `{"type": "visit", "preview": "yes", "subscription": "S1", "date": "2026-01-05", "invoice": "I2", "lines": []}`, "events[1].preview"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := replay(t, strings.Replace(base, "BAD", c.event, 1))
			msg, _ := got[1]["error"].(string)
			if !strings.HasPrefix(msg, c.path+":") && !strings.Contains(msg, "; "+c.path+":") {
				t.Errorf("error %q; want one at %s", msg, c.path)
			}
			if len(got[1]) != 3 {
				t.Errorf("a refused event's result has more than index, type and error: %v", got[1])
			}
			for i := 2; i < len(want); i++ {
				w, _ := json.Marshal(want[i])
				g, _ := json.Marshal(got[i])
				if string(w) != string(g) {
					t.Errorf("event %d after the refused one:\n got %s\nwant %s", i, g, w)
				}
			}
		})
	}
}
