package num_test

import (
	"testing"

	"github.com/vetplan/healthplan/internal/num"
)

// FuzzParse feeds the decimal parser any string: it refuses or parses,
// never panics, and what it parses formats back to a string it parses to
// the same value.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"12.50", "-1", "1e3", "1.5E-2", "0.000001", ".5", "1e999999", "1e-999999",
		"99999999999999999999999999999999999999999999999999999999999999999", "NaN", "\u22121", "0x10", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := num.Parse(s)
		if err != nil {
			return
		}
		text := num.Format(d)
		back, err := num.Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) = %s, whose text %q does not parse: %v", s, d, text, err)
		}
		if !back.Equal(d) {
			t.Fatalf("Parse(%q) = %s; its text %q parses to %s", s, d, text, back)
		}
	})
}
