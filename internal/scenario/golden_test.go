package scenario_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ (review every change before committing it)")

// TestGolden replays every scenario under testdata/ and compares its
// results, line by line, with the .golden file beside it.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../../testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios found: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s, err := scenario.Parse(data)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if s.Note == "" {
				t.Errorf("the scenario has no note saying what it pins")
			}
			var buf bytes.Buffer
			if err := scenario.Write(&buf, s.Replay()); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, strings.TrimSuffix(f, ".json")+".golden", buf.Bytes())
		})
	}
}

// TestInvalidGolden parses every scenario under testdata/invalid/, which
// must be refused, and compares the problems reported with the .golden
// file beside it.
func TestInvalidGolden(t *testing.T) {
	files, err := filepath.Glob("../../testdata/invalid/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid scenarios found: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, err = scenario.Parse(data)
			if err == nil {
				t.Fatal("the scenario was accepted")
			}
			got := strings.Join(scenario.Messages(err), "\n") + "\n"
			compareGolden(t, strings.TrimSuffix(f, ".json")+".golden", []byte(got))
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/scenario -update to create it, then review it)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TestGoldenWorstClients replays the worst client of every exposure result
// in the golden files: its terminate preview shows the peak as coreValue
// minus paid (on the discount basis), and settles exactly as the claim
// says.
func TestGoldenWorstClients(t *testing.T) {
	files, err := filepath.Glob("../../testdata/*.golden")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			var res struct {
				Type string `json:"type"`
				Peak struct {
					Exposure string `json:"exposure"`
				} `json:"peak"`
				Claim       json.RawMessage `json:"claim"`
				WorstClient json.RawMessage `json:"worstClient"`
			}
			if err := json.Unmarshal(line, &res); err != nil {
				t.Fatalf("%s:%d: %v", f, i+1, err)
			}
			if res.Type != "exposure" || res.WorstClient == nil {
				continue
			}
			seen++
			s, err := scenario.Parse(res.WorstClient)
			if err != nil {
				t.Fatalf("%s:%d: the worst client does not parse: %v", f, i+1, err)
			}
			results := s.Replay()
			last, err := json.Marshal(results[len(results)-1])
			if err != nil {
				t.Fatal(err)
			}
			var term struct {
				Settlement json.RawMessage `json:"settlement"`
			}
			if err := json.Unmarshal(last, &term); err != nil || term.Settlement == nil {
				t.Fatalf("%s:%d: the worst client does not end with a terminate preview: %s", f, i+1, last)
			}
			if string(term.Settlement) != string(res.Claim) {
				t.Errorf("%s:%d: the worst client settles as\n%s\nthe claim is\n%s", f, i+1, term.Settlement, res.Claim)
			}
			var fig struct{ CoreValue, Paid string }
			if err := json.Unmarshal(term.Settlement, &fig); err != nil {
				t.Fatal(err)
			}
			basis := bytes.Contains(res.WorstClient, []byte(`"basis":"discount"`))
			if got := sub(t, fig.CoreValue, fig.Paid); basis && got != res.Peak.Exposure {
				t.Errorf("%s:%d: the worst client reaches %s (coreValue %s − paid %s), the peak is %s", f, i+1, got, fig.CoreValue, fig.Paid, res.Peak.Exposure)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no exposure result in the golden files")
	}
}

// sub is a − b, written with the places of a.
func sub(t *testing.T, a, b string) string {
	t.Helper()
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	if err1 != nil || err2 != nil {
		t.Fatalf("not decimals: %q %q", a, b)
	}
	places := int32(0)
	if i := strings.IndexByte(a, '.'); i >= 0 {
		places = int32(len(a) - i - 1)
	}
	return x.Sub(y).StringFixed(places)
}
