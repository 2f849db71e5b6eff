package scenario_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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
