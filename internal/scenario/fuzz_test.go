package scenario_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/vetplan/healthplan/internal/scenario"
)

// FuzzReplay feeds the replayer any bytes: it must give a result or an
// error, never panic, and replaying the same document twice must print the
// same results (nothing may depend on map order or hidden state).
func FuzzReplay(f *testing.F) {
	for _, pattern := range []string{"../../testdata/*.json", "../../testdata/invalid/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse(data)
		if err != nil {
			if len(scenario.Messages(err)) == 0 {
				t.Fatalf("an error with no message: %#v", err)
			}
			return
		}
		var first, second bytes.Buffer
		if err := scenario.Write(&first, s.Replay()); err != nil {
			t.Fatal(err)
		}
		again, err := scenario.Parse(data)
		if err != nil {
			t.Fatalf("parsed once, refused the second time: %v", err)
		}
		if err := scenario.Write(&second, again.Replay()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("two replays differ:\n%s\n%s", first.Bytes(), second.Bytes())
		}
	})
}
