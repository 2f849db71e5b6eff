package allowance

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// canonUsage is a usage document for indexTerms exactly as AppendJSON
// writes it: a reversed line, a line in no group, a split over two rules.
const canonUsage = `{"visits":[` +
	`{"invoice":"I1","date":"2026-01-15","lines":[["L1","FLEA-1","1","10",[["r1","1","10.00","10.00"]]],["L2","X","1.5","0.335",[],"noGroup"]]},` +
	`{"invoice":"I2","date":"2026-01-16","lines":[["L1","FLEA-1","2","20",[["r1","1","20.00","20.00"],["r2","1","2.00","20.00"]]],["L3","FLEA-1","1","10",[["r2","1","1.00","10.00"]],"",true]]}` +
	`],"adjustments":[["r2","1"]]}`

func rawSub(t *testing.T) *plan.Subscription {
	t.Helper()
	sub, err := indexTerms(t).Subscribe(plan.Enrollment{ID: "S1", Client: "C1", Start: plan.MustParseDate("2026-01-10")})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// TestDecodedCanonicalUsageIsCopied checks that a ledger decoded from a
// document written as AppendJSON writes it copies that document's visits
// when it encodes, and keeps them when it commits more.
func TestDecodedCanonicalUsageIsCopied(t *testing.T) {
	sub := rawSub(t)
	l, err := DecodeLedgerString(sub, canonUsage)
	if err != nil {
		t.Fatal(err)
	}
	if l.rawLines != 4 {
		t.Fatalf("rawLines = %d, want all 4 lines kept as written", l.rawLines)
	}
	if got := string(l.AppendJSON(nil)); got != canonUsage {
		t.Fatalf("AppendJSON =\n%s\nwant\n%s", got, canonUsage)
	}
	v := Visit{Invoice: "I3", Date: plan.MustParseDate("2026-01-20"),
		Lines: []Line{{ID: "L1", Item: "FLEA-1", Qty: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(10)}}}
	if _, err := l.Commit(sub, v); err != nil {
		t.Fatal(err)
	}
	if l.rawLines != 4 {
		t.Errorf("rawLines = %d after a commit, want 4", l.rawLines)
	}
	want := strings.Replace(canonUsage, `],"adjustments"`,
		`,{"invoice":"I3","date":"2026-01-20","lines":[["L1","FLEA-1","1","10",[["r2","1","1.00","10.00"]]]]}],"adjustments"`, 1)
	if got := string(l.AppendJSON(nil)); got != want {
		t.Errorf("after a commit AppendJSON =\n%s\nwant\n%s", got, want)
	}
	if _, err := l.Reverse(sub, "I1", "L1"); err != nil {
		t.Fatal(err)
	}
	if l.rawLines != 0 {
		t.Errorf("rawLines = %d after reversing a line it holds, want 0", l.rawLines)
	}
	want = strings.Replace(want, `["L1","FLEA-1","1","10",[["r1","1","10.00","10.00"]]]`, `["L1","FLEA-1","1","10",[["r1","1","10.00","10.00"]],"",true]`, 1)
	if got := string(l.AppendJSON(nil)); got != want {
		t.Errorf("after a reversal AppendJSON =\n%s\nwant\n%s", got, want)
	}
}

// TestDecodedOtherUsageIsWrittenAgain checks that a document written any
// other way, with the same content, is not copied but written canonically.
func TestDecodedOtherUsageIsWrittenAgain(t *testing.T) {
	sub := rawSub(t)
	variants := []struct{ name, old, new string }{
		{"space between visits", `]]},{"invoice":"I2"`, `]]}, {"invoice":"I2"`},
		{"space in a visit's head", `"date":"2026-01-15"`, `"date": "2026-01-15"`},
		{"space before the lines", `"lines":[["L1","FLEA-1","1","10"`, `"lines": [["L1","FLEA-1","1","10"`},
		{"space inside the lines", `[["L1","FLEA-1","1","10",[["r1","1","10.00","10.00"]]],["L2"`, `[ ["L1","FLEA-1","1","10",[["r1","1","10.00","10.00"]]],["L2"`},
		{"space between lines", `]],["L2"`, `]], ["L2"`},
		{"space after the last line", `"noGroup"]]}`, `"noGroup"] ]}`},
		{"space after the lines", `"noGroup"]]}`, `"noGroup"]] }`},
		{"space within a line", `["L2","X",`, `["L2", "X",`},
		{"the date first", `{"invoice":"I1","date":"2026-01-15",`, `{"date":"2026-01-15","invoice":"I1",`},
		{"an escaped invoice", `"invoice":"I1"`, `"invoice":"\u00491"`},
		{"a trailing zero in a qty", `"X","1.5"`, `"X","1.50"`},
		{"a leading zero in a price", `"1","10",[["r1"`, `"1","010",[["r1"`},
		{"a split with one place", `"r1","1","10.00","10.00"`, `"r1","1","10.0","10.00"`},
		{"a split without its places", `"r1","1","10.00","10.00"`, `"r1","1","10.00","10"`},
		{"units with a point", `[["r2","1","1.00","10.00"]],"",true`, `[["r2","1.0","1.00","10.00"]],"",true`},
		{"an empty reason on a live line", `"noGroup"]]}`, `"noGroup"],["L4","X","1","1",[],""]]}`},
		{"a reversal written false", `"noGroup"]]}`, `"noGroup"],["L4","X","1","1",[],"noGroup",false]]}`},
		{"a number for a qty", `"X","1.5"`, `"X",1.5`},
	}
	for _, tt := range variants {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(canonUsage, tt.old, tt.new, 1)
			if doc == canonUsage {
				t.Fatalf("the variant changes nothing")
			}
			l, err := DecodeLedgerString(sub, doc)
			if err != nil {
				t.Fatal(err)
			}
			if l.rawLines != 0 {
				t.Errorf("rawLines = %d, want 0: the document is not written as AppendJSON writes it", l.rawLines)
			}
			// Written again, canonically: for the variants that add a
			// line, a document that is then copied as it is.
			got := string(l.AppendJSON(nil))
			if !strings.Contains(tt.new, "L4") {
				if got != canonUsage {
					t.Errorf("AppendJSON =\n%s\nwant\n%s", got, canonUsage)
				}
				return
			}
			again, err := DecodeLedgerString(sub, got)
			if err != nil {
				t.Fatal(err)
			}
			if again.rawLines != 5 || string(again.AppendJSON(nil)) != got {
				t.Errorf("AppendJSON = %s, which is not canonical", got)
			}
		})
	}
}

// TestCanonicalDecimals: the decimals a usage document may hold, written
// as AppendMicro and AppendMinor write them or otherwise.
func TestCanonicalDecimals(t *testing.T) {
	for _, tt := range []struct {
		s     string
		micro bool
	}{
		{"0", true}, {"1", true}, {"10", true}, {"100", true}, {"1.5", true}, {"0.000001", true}, {"23.49", true},
		{"1.50", false}, {"1.0", false}, {"0.0", false}, {"01", false}, {"00.5", false}, {"-1", false}, {"-0", false}, {"10.10", false},
	} {
		if got := canonMicro(tt.s); got != tt.micro {
			t.Errorf("canonMicro(%q) = %v, want %v", tt.s, got, tt.micro)
		}
	}
	for _, tt := range []struct {
		s      string
		places int32
		want   bool
	}{
		{"0.00", 2, true}, {"15.00", 2, true}, {"1.250", 3, true}, {"120", 0, true}, {"0", 0, true},
		{"15.0", 2, false}, {"15", 2, false}, {"015.00", 2, false}, {"-1.00", 2, false}, {"00", 0, false}, {"1.2", 3, false},
	} {
		if got := canonMinor(tt.s, tt.places); got != tt.want {
			t.Errorf("canonMinor(%q, %d) = %v, want %v", tt.s, tt.places, got, tt.want)
		}
	}
}

// TestDecodedStringsCopiedOnlyWhenCanonical: a document is copied only
// when AppendJSON writes it as it is (not one whose strings hold <, > or
// &, which it escapes, nor an escape it does not write), and only when
// its strings are plain printable ASCII (others are read carefully).
func TestDecodedStringsCopiedOnlyWhenCanonical(t *testing.T) {
	sub := rawSub(t)
	for _, tt := range []struct {
		id           string // as written in JSON
		asIs, copied bool
	}{
		{"L4", true, true}, {"L 4", true, true}, {"L~4", true, true}, {"L!4", true, true},
		{"L<4", false, false}, {"L>4", false, false}, {"L&4", false, false}, {`L\u00414`, false, false},
		{`L\"4`, true, false}, {`L\\4`, true, false}, {`L\u001f4`, true, false}, {"L\u007f4", true, false}, {"Lé4", true, false},
	} {
		doc := strings.Replace(canonUsage, `"noGroup"]]}`, `"noGroup"],["`+tt.id+`","X","1","1",[],"noGroup"]]}`, 1)
		l, err := DecodeLedgerString(sub, doc)
		if err != nil {
			t.Fatalf("%s: %v", tt.id, err)
		}
		copied := l.rawLines == 5
		got := string(l.AppendJSON(nil))
		l.raw, l.rawLines = "", 0
		canonical := string(l.AppendJSON(nil))
		if got != canonical {
			t.Errorf("%s: AppendJSON =\n%s\nwant\n%s", tt.id, got, canonical)
		}
		if (canonical == doc) != tt.asIs || copied != tt.copied {
			t.Errorf("%s: written as it is %v, copied %v; want %v, %v", tt.id, canonical == doc, copied, tt.asIs, tt.copied)
		}
	}
}

// TestReadLedgerInALargerDocument: ReadLedger reports its problems to the
// scanner, under the scanner's path, and refuses no subscription at once.
func TestReadLedgerInALargerDocument(t *testing.T) {
	sub := rawSub(t)
	if _, err := ReadLedger(wire.NewScanner(canonUsage, "usage"), nil); err == nil {
		t.Errorf("ReadLedger for no subscription: accepted")
	}
	s := wire.NewScanner(strings.Replace(canonUsage, `"invoice":"I2"`, `"invoice":""`, 1), "usage")
	if _, err := ReadLedger(s, sub); err != nil {
		t.Fatal(err)
	}
	if err := s.Result(); err == nil || err.Error() != "usage.visits[1].invoice: is empty; want the invoice id" {
		t.Errorf("problems %v; want the empty invoice under usage", err)
	}
	s = wire.NewScanner(canonUsage, "usage")
	l, err := ReadLedger(s, sub)
	if err != nil || s.Result() != nil || l.Len() != 4 || string(l.AppendJSON(nil)) != canonUsage {
		t.Errorf("ReadLedger of a good document: %v, %v, %d lines", err, s.Result(), l.Len())
	}
}

// TestTruncatedUsage: every prefix of a usage document is malformed, and
// reading it (the fast reader included) neither panics nor accepts it.
func TestTruncatedUsage(t *testing.T) {
	sub := rawSub(t)
	for i := range len(canonUsage) {
		if _, err := DecodeLedgerString(sub, canonUsage[:i]); err == nil {
			t.Errorf("the first %d bytes decode: %s", i, canonUsage[:i])
		}
	}
}

// TestDecodedLinesAtTheBoundsCopied: lines at the bounds of every field,
// written as AppendJSON writes them, are read by the fast reader and the
// document copied.
func TestDecodedLinesAtTheBoundsCopied(t *testing.T) {
	sub := rawSub(t)
	for _, ln := range []string{
		`["L4","X","1000000","0",[],"noGroup"]`,
		`["L4","X","0.000001","999999999999.999999",[],"noGroup"]`,
		`["L4","FLEA-1","1","0",[["r2","1","0.00","0.00"]]]`,
		`["L4","FLEA-1","2","10.005",[["r2","2","20.01","20.01"]]]`,
		`["L4","FLEA-1","1","10",[["r2","0.000001","0.00","0.00"]],"usedUp"]`,
	} {
		doc := strings.Replace(canonUsage, `"noGroup"]]}`, `"noGroup"],`+ln+`]}`, 1)
		l, err := DecodeLedgerString(sub, doc)
		if err != nil {
			t.Fatalf("%s: %v", ln, err)
		}
		if l.rawLines != 5 || string(l.AppendJSON(nil)) != doc {
			t.Errorf("%s: rawLines = %d, want the document copied", ln, l.rawLines)
		}
	}
}
