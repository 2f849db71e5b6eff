package timeline

import (
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValueScale(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []string
		ticks  []string
	}{
		{"seeds", []string{"55.47", "125.94", "-39.06"}, []string{"-50", "0", "50", "100", "150"}},
		{"all below zero", []string{"-116.30", "-0.01"}, []string{"-150", "-100", "-50", "0"}},
		{"all zero", []string{"0"}, []string{"0.0", "0.5", "1.0"}},
		{"cents", []string{"0.01"}, []string{"0.000", "0.005", "0.010"}},
		{"exact step", []string{"400"}, []string{"0", "100", "200", "300", "400"}},
		{"large", []string{"999999999999.99"}, []string{"0", "500000000000", "1000000000000"}},
		{"no values", nil, []string{"0.0", "0.5", "1.0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var vs []*big.Rat
			for _, s := range tc.values {
				v, ok := parseValue(s)
				if !ok {
					t.Fatalf("parseValue(%q) refused", s)
				}
				vs = append(vs, v)
			}
			s := newValueScale(vs, pixels(10), pixels(100))
			var got []string
			for _, v := range s.ticks() {
				got = append(got, s.label(v))
			}
			if diff := cmp.Diff(tc.ticks, got); diff != "" {
				t.Errorf("ticks (-want +got):\n%s", diff)
			}
			if y := s.y(s.hi); y != pixels(10) {
				t.Errorf("the top tick is at y=%s, want 10", y)
			}
			if y := s.y(s.lo); y != pixels(110) {
				t.Errorf("the bottom tick is at y=%s, want 110", y)
			}
			for _, v := range vs {
				if y := s.y(v); y < pixels(10) || y > pixels(110) {
					t.Errorf("value %s is drawn at y=%s, off the axis", v.FloatString(2), y)
				}
			}
		})
	}
}

func TestPxString(t *testing.T) {
	for v, want := range map[px]string{0: "0", 15: "1.5", 100: "10", -5: "-0.5", -15: "-1.5", -20: "-2", 9: "0.9"} {
		if got := v.String(); got != want {
			t.Errorf("px(%d) = %q, want %q", int64(v), got, want)
		}
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		s    string
		max  px
		want string
	}{
		{"flea-a", pixels(100), "flea-a"},
		{"consultation-free-first", pixels(60), "consulta…"},
		{"ééééé", pixels(20), "é…"},
		{"abc", pixels(5), ""},
	} {
		if got := fit(tc.s, 12, false, tc.max); got != tc.want {
			t.Errorf("fit(%q, %s) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
		if got := fit(tc.s, 12, false, tc.max); got != "" && textWidth(got, 12, false) > tc.max {
			t.Errorf("fit(%q, %s) = %q, %s wide", tc.s, tc.max, got, textWidth(got, 12, false))
		}
	}
}
