package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan/internal/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ and seeds.svg (review every change before committing it)")

// today stands for the clock: the default start date.
var today = time.Date(2026, 1, 5, 15, 4, 0, 0, time.UTC)

func TestRun(t *testing.T) {
	out := t.TempDir()
	cases := []struct {
		name string
		args []string
		code int
		// golden is the file under testdata/ holding the expected standard
		// output; stderr the text standard error must hold.
		golden, stderr string
	}{
		{"seeds", []string{"seeds.json", "-prices", "seeds-prices.json", "-cap", "80.00",
			"-svg", filepath.Join(out, "seeds.svg"), "-worst", filepath.Join(out, "worst.json")}, 0, "seeds.txt", ""},
		{"seeds with direct debit", []string{"-plan", "dog-m-dd", "-start", "2026-01-05", "-prices", "seeds-prices.json", "-cap", "70.00", "seeds.json"}, 0, "seeds-dd.txt", ""},
		{"unbounded", []string{"../../testdata/design-gap-unlimited.json", "-start", "2026-03-01", "-interval", "quarter",
			"-prices", "testdata/cat-prices.json"}, 0, "gap-unbounded.txt", ""},
		{"units cap", []string{"../../testdata/design-gap-unlimited.json", "-start", "2026-03-01", "-interval", "quarter",
			"-prices", "testdata/cat-prices.json", "-units-cap", "4", "-cap", "40"}, 0, "gap-units-cap.txt", ""},
		{"bad options", []string{"seeds.json", "-plan", "cat", "-start", "2026-02-30", "-cap", "1e999", "-payment", "cash",
			"-prices", "testdata/bad-prices.json"}, 1, "", `-plan: "cat" is not a plan in seeds.json; want one of dog-m, dog-m-dd`},
		{"a negative price", []string{"seeds.json", "-prices", "testdata/negative-prices.json", "-cap", "-1"}, 1, "",
			`prices["FLEA-1"]: "-23.49" is outside 0 <= amount < 1000000000000`},
		{"a missing file", []string{"no-such-file.json"}, 1, "", "no-such-file.json"},
		{"no file", nil, 2, "", "usage: design FILE"},
		{"two files", []string{"seeds.json", "seeds.json"}, 2, "", "usage: design FILE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, today, &stdout, &stderr)
			if code != c.code {
				t.Fatalf("exit status %d; want %d (stderr %q)", code, c.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), c.stderr) {
				t.Errorf("stderr %q; want it to hold %q", stderr.String(), c.stderr)
			}
			if c.golden == "" {
				return
			}
			got := strings.ReplaceAll(stdout.String(), out+string(filepath.Separator), "OUT/")
			path := filepath.Join("testdata", c.golden)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./examples/design -update to create it, then review it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}

	// The picture the seeds' run wrote is the one the README shows.
	svg, err := os.ReadFile(filepath.Join(out, "seeds.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("seeds.svg", svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile("seeds.svg"); err != nil || !bytes.Equal(want, svg) {
		t.Errorf("the picture differs from seeds.svg (%v); run go test ./examples/design -update and review it", err)
	}

	// The worst client it wrote replays to the peak, 140.94.
	doc, err := os.ReadFile(filepath.Join(out, "worst.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	res := s.Replay()
	last, _ := json.Marshal(res[len(res)-1])
	if !strings.Contains(string(last), `"coreValue":"140.94","paid":"0.00"`) {
		t.Errorf("the worst client ends with %s", last)
	}
}

// The README shows the seeds' run as the command prints it.
func TestReadmeSectionShowsTheRun(t *testing.T) {
	section, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("testdata/seeds.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(golden), "\n") {
		if line != "" && !strings.Contains(line, "OUT/") && !strings.Contains(string(section), line+"\n") {
			t.Errorf("README.md lacks the line %q", line)
		}
	}
}
