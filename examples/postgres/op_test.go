package postgres_test

import (
	"strings"
	"testing"

	"github.com/vetplan/healthplan/examples/postgres"
)

func TestOpJSON(t *testing.T) {
	tests := []struct {
		name string
		op   postgres.Op
		want string
	}{
		{"commit", flea("INV-1", 4), `{"commit":{"invoice":"INV-1","date":"2026-04-05","lines":[{"id":"1","item":"FLEA-1","qty":"4","unitPrice":"23.49"}]}}`},
		{"reverse", postgres.Reverse("INV-1", "1"), `{"reverse":{"invoice":"INV-1","line":"1"}}`},
		{"pay", payment("15.00"), `{"pay":{"date":"2026-01-10","amount":"15","status":"taken"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.op.MarshalJSON()
			if err != nil || string(b) != tt.want {
				t.Fatalf("MarshalJSON = %s, %v; want %s", b, err, tt.want)
			}
			var back postgres.Op
			if err := back.UnmarshalJSON(b); err != nil {
				t.Fatal(err)
			}
			if again, _ := back.MarshalJSON(); string(again) != tt.want || back.Kind() != tt.name {
				t.Errorf("decoded and encoded again: %s (%s)", again, back.Kind())
			}
		})
	}
}

func TestOpJSONRefused(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`{}`, "exactly one of"},
		{`{"reverse":{"invoice":"I","line":"1"},"pay":{"date":"2026-01-10","amount":"1","status":"taken"}}`, "exactly one of"},
		{`{"refund":{}}`, "unknown field"},
		{`{"pay":{"date":"2026-01-10","amount":"lots","status":"taken"}}`, `pay.amount: "lots" is not a number`},
		{`{"pay":{"date":"2026-01-10","amount":"1","status":"refunded"}}`, "pay.status"},
		{`{"commit":{"invoice":"I","date":"2026-02-30","lines":[]}}`, "an operation"},
		{`{"commit":{"invoice":"I","date":"2026-02-01","lines":[{"id":"1","item":"X","qty":"","unitPrice":"1"}]}}`, "commit.lines[0].qty"},
	}
	for _, tt := range tests {
		var op postgres.Op
		if err := op.UnmarshalJSON([]byte(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.doc, err, tt.want)
		}
	}
	if _, err := (postgres.Op{}).MarshalJSON(); err == nil {
		t.Error("the zero Op was encoded")
	}
}
