package plan_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan/plan"
)

// date parses a date literal for a test table.
func date(s string) plan.Date { return plan.MustParseDate(s) }

// ymd is a date's parts, for comparing with cmp.
type ymd struct {
	Y int
	M time.Month
	D int
}

func partsOf(d plan.Date) ymd {
	y, m, day := d.Date()
	return ymd{y, m, day}
}

// daysInMonth is computed with package time, independently of the
// library's calendar: day 0 of the next month is the last of this one.
func daysInMonth(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want ymd
	}{
		{"ordinary", "2026-01-05", ymd{2026, time.January, 5}},
		{"leap day", "2024-02-29", ymd{2024, time.February, 29}},
		{"leap day in a 400th year", "2000-02-29", ymd{2000, time.February, 29}},
		{"end of year", "2026-12-31", ymd{2026, time.December, 31}},
		{"first supported day", "0001-01-01", ymd{1, time.January, 1}},
		{"last supported day", "9999-12-31", ymd{9999, time.December, 31}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := plan.ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, partsOf(d)); diff != "" {
				t.Errorf("ParseDate(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(tt.in, d.String()); diff != "" {
				t.Errorf("String mismatch (-want +got):\n%s", diff)
			}
			if d.IsZero() {
				t.Errorf("ParseDate(%q).IsZero() = true", tt.in)
			}
		})
	}
}

func TestParseDateRefuses(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"February 30th", "2026-02-30"},
		{"leap day in a common year", "2025-02-29"},
		{"leap day in a century year", "2100-02-29"},
		{"April 31st", "2026-04-31"},
		{"month 13", "2026-13-01"},
		{"month 0", "2026-00-10"},
		{"day 0", "2026-01-00"},
		{"unpadded", "2026-1-5"},
		{"empty", ""},
		{"letters", "abcd-ef-gh"},
		{"year 0", "0000-01-01"},
		{"year 10000", "10000-01-01"},
		{"slashes", "2026/01/05"},
		{"timestamp", "2026-01-05T00:00:00Z"},
		{"signed year", "+026-01-05"},
		{"space padded", "2026-01- 5"},
		{"negative month", "2026--1-05"},
		{"a colon, just above 9", "2026-01-0:"},
		{"a slash, just below 0", "20/6-01-01"},
		{"a colon in the month", "2026-1:-01"},
		{"a slash in the year's last digit", "202/-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := plan.ParseDate(tt.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %s, want an error", tt.in, d)
			}
			if !errors.Is(err, plan.ErrInvalidDate) {
				t.Errorf("ParseDate(%q) error %v does not wrap ErrInvalidDate", tt.in, err)
			}
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) returned %s along with its error, want the zero Date", tt.in, d)
			}
		})
	}
}

func TestNewDate(t *testing.T) {
	tests := []struct {
		name    string
		y       int
		m       time.Month
		d       int
		want    string
		wantErr bool
	}{
		{"ordinary", 2026, time.March, 31, "2026-03-31", false},
		{"leap day", 2028, time.February, 29, "2028-02-29", false},
		{"not a leap year", 2100, time.February, 29, "", true},
		{"month 13", 2026, 13, 1, "", true},
		{"month 0", 2026, 0, 1, "", true},
		{"negative day", 2026, time.January, -1, "", true},
		{"year 0", 0, time.January, 1, "", true},
		{"year 10000", 10000, time.January, 1, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := plan.NewDate(tt.y, tt.m, tt.d)
			if tt.wantErr {
				if !errors.Is(err, plan.ErrInvalidDate) {
					t.Fatalf("NewDate(%d, %d, %d) = %s, %v; want an ErrInvalidDate", tt.y, tt.m, tt.d, d, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewDate(%d, %d, %d) error: %v", tt.y, tt.m, tt.d, err)
			}
			if diff := cmp.Diff(tt.want, d.String()); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"zero months", "2026-05-17", 0, "2026-05-17"},
		{"Jan 31 plus one clamps to Feb 28", "2026-01-31", 1, "2026-02-28"},
		{"Jan 31 plus one in a leap year clamps to Feb 29", "2024-01-31", 1, "2024-02-29"},
		{"Jan 31 plus two is Mar 31, never Mar 28", "2026-01-31", 2, "2026-03-31"},
		{"Jan 31 plus three clamps to Apr 30", "2026-01-31", 3, "2026-04-30"},
		{"Mar 31 minus one", "2026-03-31", -1, "2026-02-28"},
		{"Mar 31 minus one in a leap year", "2024-03-31", -1, "2024-02-29"},
		{"Jan minus one rolls back a year", "2026-01-15", -1, "2025-12-15"},
		{"minus thirteen", "2026-01-31", -13, "2024-12-31"},
		{"Dec plus one rolls over a year", "2025-12-31", 1, "2026-01-31"},
		{"Dec 15 plus one", "2025-12-15", 1, "2026-01-15"},
		{"Nov plus fourteen", "2025-11-30", 14, "2027-01-30"},
		{"2100 is not a leap year", "2100-01-31", 1, "2100-02-28"},
		{"2000 is a leap year", "2000-01-31", 1, "2000-02-29"},
		{"1900 is not a leap year", "1900-01-29", 1, "1900-02-28"},
		{"leap day plus a year", "2024-02-29", 12, "2025-02-28"},
		{"leap day plus four years", "2024-02-29", 48, "2028-02-29"},
		{"leap day minus a year", "2024-02-29", -12, "2023-02-28"},
		{"longest term", "2026-01-31", 120, "2036-01-31"},
		{"Aug 31 plus one", "2026-08-31", 1, "2026-09-30"},
		{"Feb 28 plus one keeps the 28th", "2026-02-28", 1, "2026-03-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := date(tt.from).AddMonths(tt.n)
			if diff := cmp.Diff(tt.want, got.String()); diff != "" {
				t.Errorf("%s.AddMonths(%d) mismatch (-want +got):\n%s", tt.from, tt.n, diff)
			}
		})
	}
}

// TestAddMonthsCountsFromTheOriginalDate shows why billing must add n months
// to the start date rather than one month n times.
func TestAddMonthsCountsFromTheOriginalDate(t *testing.T) {
	d := date("2026-01-31")
	stepwise := d.AddMonths(1).AddMonths(1)
	direct := d.AddMonths(2)
	if diff := cmp.Diff([]string{"2026-03-28", "2026-03-31"}, []string{stepwise.String(), direct.String()}); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestAddMonthsEveryDay checks AddMonths for every day of 2024..2030 and
// every n in -120..120 against an independent computation: the target
// month is d's month index plus n, and the day is d's day clamped to that
// month's length (from package time, never AddDate). It also checks the
// library's calendar day by day against package time's.
func TestAddMonthsEveryDay(t *testing.T) {
	ref := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2030, time.December, 31, 0, 0, 0, 0, time.UTC)
	d := date("2024-01-01")
	days := 0
	for ; !ref.After(end); ref, d = ref.Add(24*time.Hour), d.AddDays(1) {
		days++
		want := ymd{ref.Year(), ref.Month(), ref.Day()}
		if got := partsOf(d); got != want {
			t.Fatalf("day %d after 2024-01-01 is %v, package time says %v", days-1, got, want)
		}
		for n := -120; n <= 120; n++ {
			idx := want.Y*12 + int(want.M) - 1 + n
			ty, tm := idx/12, time.Month(idx%12+1)
			wantTo := ymd{ty, tm, min(want.D, daysInMonth(ty, tm))}
			if got := partsOf(d.AddMonths(n)); got != wantTo {
				t.Fatalf("%s.AddMonths(%d) = %v, want %v", d, n, got, wantTo)
			}
		}
	}
	if days != 2557 {
		t.Fatalf("walked %d days, want 2557", days)
	}
}

func TestSubAndAddDays(t *testing.T) {
	tests := []struct {
		name string
		d, e string
		want int
	}{
		{"same day", "2026-01-10", "2026-01-10", 0},
		{"next day", "2026-01-11", "2026-01-10", 1},
		{"day before", "2026-01-09", "2026-01-10", -1},
		{"February in a common year", "2026-03-01", "2026-02-01", 28},
		{"February in a leap year", "2024-03-01", "2024-02-01", 29},
		{"common year", "2027-01-01", "2026-01-01", 365},
		{"leap year", "2025-01-01", "2024-01-01", 366},
		{"a year's term", "2027-01-09", "2026-01-10", 364},
		{"whole range", "9999-12-31", "0001-01-01", 3652058},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, e := date(tt.d), date(tt.e)
			if diff := cmp.Diff(tt.want, d.Sub(e)); diff != "" {
				t.Errorf("%s.Sub(%s) mismatch (-want +got):\n%s", tt.d, tt.e, diff)
			}
			if diff := cmp.Diff(tt.d, e.AddDays(tt.want).String()); diff != "" {
				t.Errorf("%s.AddDays(%d) mismatch (-want +got):\n%s", tt.e, tt.want, diff)
			}
			if diff := cmp.Diff(tt.e, d.AddDays(-tt.want).String()); diff != "" {
				t.Errorf("%s.AddDays(%d) mismatch (-want +got):\n%s", tt.d, -tt.want, diff)
			}
		})
	}
}

func TestSubMatchesPackageTime(t *testing.T) {
	base := date("2024-01-01")
	baseUnix := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	for _, k := range []int{-738885, -36600, -366, -1, 0, 1, 59, 365, 36600, 2913173} {
		d := base.AddDays(k)
		y, m, day := d.Date()
		tu := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Unix()
		if got, want := int((tu-baseUnix)/86400), k; got != want {
			t.Errorf("2024-01-01 + %d days is %s, which package time puts %d days away", k, d, got)
		}
		if got := d.Sub(base); got != k {
			t.Errorf("%s.Sub(2024-01-01) = %d, want %d", d, got, k)
		}
	}
}

func TestMonthsBetween(t *testing.T) {
	tests := []struct {
		name string
		d, e string
		want int
	}{
		{"same day", "2026-01-10", "2026-01-10", 0},
		{"a day short of a month", "2026-01-10", "2026-02-09", 0},
		{"a month", "2026-01-10", "2026-02-10", 1},
		{"born on the 31st, Feb 28 of a leap year", "2024-01-31", "2024-02-28", 0},
		{"born on the 31st, Feb 29 of a leap year", "2024-01-31", "2024-02-29", 1},
		{"born on the 31st, Feb 28 of a common year", "2023-01-31", "2023-02-28", 1},
		{"born on the 31st, Mar 30", "2024-01-31", "2024-03-30", 1},
		{"born on the 31st, Mar 31", "2024-01-31", "2024-03-31", 2},
		{"born on the 31st, Apr 30", "2024-01-31", "2024-04-30", 3},
		{"across years", "2024-03-01", "2026-01-10", 22},
		{"leap day birthday in a common year", "2024-02-29", "2025-02-28", 12},
		{"e a day before d", "2026-05-01", "2026-04-30", 0},
		{"e years before d", "2026-05-01", "2020-01-01", 0},
		{"ten years", "2016-06-15", "2026-06-15", 120},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, plan.MonthsBetween(date(tt.d), date(tt.e))); diff != "" {
				t.Errorf("MonthsBetween(%s, %s) mismatch (-want +got):\n%s", tt.d, tt.e, diff)
			}
		})
	}
}

// TestMonthsBetweenIsLargestN checks the documented definition, the largest
// n with d.AddMonths(n) <= e, by search.
func TestMonthsBetweenIsLargestN(t *testing.T) {
	for d := date("2023-12-01"); !d.After(date("2024-03-31")); d = d.AddDays(1) {
		for off := -5; off <= 420; off++ {
			e := d.AddDays(off)
			want := 0
			for n := 1; !d.AddMonths(n).After(e); n++ {
				want = n
			}
			if got := plan.MonthsBetween(d, e); got != want {
				t.Fatalf("MonthsBetween(%s, %s) = %d, want %d", d, e, got, want)
			}
		}
	}
}

func TestCompare(t *testing.T) {
	type result struct {
		Compare       int
		Before, After bool
		Equal         bool
	}
	tests := []struct {
		name string
		d, e string
		want result
	}{
		{"earlier", "2026-01-09", "2026-01-10", result{-1, true, false, false}},
		{"same", "2026-01-10", "2026-01-10", result{0, false, false, true}},
		{"later", "2026-01-11", "2026-01-10", result{1, false, true, false}},
		{"a year apart", "2027-01-01", "2026-12-31", result{1, false, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, e := date(tt.d), date(tt.e)
			got := result{d.Compare(e), d.Before(e), d.After(e), d == e}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s vs %s mismatch (-want +got):\n%s", tt.d, tt.e, diff)
			}
		})
	}
}

func TestZeroDate(t *testing.T) {
	var z plan.Date
	if !z.IsZero() {
		t.Error("the zero Date is not IsZero")
	}
	if diff := cmp.Diff("0000-00-00", z.String()); diff != "" {
		t.Errorf("String mismatch (-want +got):\n%s", diff)
	}
	if b, err := z.MarshalText(); !errors.Is(err, plan.ErrInvalidDate) {
		t.Errorf("MarshalText of the zero Date = %q, %v; want an ErrInvalidDate", b, err)
	}
	if !z.Before(date("0001-01-01")) {
		t.Error("the zero Date is not before 0001-01-01")
	}
}

func TestDateText(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"ordinary", "2026-01-31", false},
		{"leap day", "2024-02-29", false},
		{"impossible day", "2026-02-30", true},
		{"unpadded", "2026-1-31", true},
		{"empty", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := date("1999-12-31")
			err := d.UnmarshalText([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, plan.ErrInvalidDate) {
					t.Fatalf("UnmarshalText(%q) error = %v, want an ErrInvalidDate", tt.in, err)
				}
				if diff := cmp.Diff("1999-12-31", d.String()); diff != "" {
					t.Errorf("a refused UnmarshalText changed the date (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("UnmarshalText(%q) error: %v", tt.in, err)
			}
			b, err := d.MarshalText()
			if err != nil {
				t.Fatalf("MarshalText error: %v", err)
			}
			if diff := cmp.Diff(tt.in, string(b)); diff != "" {
				t.Errorf("MarshalText mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDateInJSON(t *testing.T) {
	type doc struct {
		Start plan.Date `json:"start"`
	}
	b, err := json.Marshal(doc{Start: date("2026-01-10")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"start":"2026-01-10"}`, string(b)); diff != "" {
		t.Errorf("Marshal mismatch (-want +got):\n%s", diff)
	}
	var got doc
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Start != date("2026-01-10") {
		t.Errorf("Unmarshal = %s, want 2026-01-10", got.Start)
	}
	if err := json.Unmarshal([]byte(`{"start":"2026-02-30"}`), &got); !errors.Is(err, plan.ErrInvalidDate) {
		t.Errorf("Unmarshal of 2026-02-30 error = %v, want an ErrInvalidDate", err)
	}
}

func TestDateRangeEnds(t *testing.T) {
	base := date("2024-01-01")
	if diff := cmp.Diff([]string{"0001-01-01", "9999-12-31"}, []string{base.AddDays(-738885).String(), base.AddDays(2913173).String()}); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestCalendarAgreesWithPackageTime walks every day from 1600 to 2400,
// nine century years of which only 1600, 2000 and 2400 are leap years:
// each date has package time's year, month and day, writes and parses
// back as itself, is what NewDate gives for its parts, and is one day
// after the date before it.
func TestCalendarAgreesWithPackageTime(t *testing.T) {
	ref := time.Date(1600, time.January, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2400, time.December, 31, 0, 0, 0, 0, time.UTC)
	d := date("1600-01-01")
	prev := d.AddDays(-1)
	for ; !ref.After(end); ref, d = ref.Add(24*time.Hour), d.AddDays(1) {
		y, m, day := ref.Date()
		want := ymd{y, m, day}
		if got := partsOf(d); got != want {
			t.Fatalf("%v: the library says %v", want, got)
		}
		if n, err := plan.NewDate(y, m, day); err != nil || n != d {
			t.Fatalf("NewDate(%v) = %v, %v", want, n, err)
		}
		if p, err := plan.ParseDate(d.String()); err != nil || p != d {
			t.Fatalf("%v writes as %s, which reads back as %v, %v", want, d, p, err)
		}
		if d.Sub(prev) != 1 || !prev.Before(d) || d.Compare(prev) != 1 {
			t.Fatalf("%s is not the day after %s", d, prev)
		}
		prev = d
	}
	if got := d.Sub(date("1600-01-01")); got != 292560 {
		t.Fatalf("walked %d days, want 292560", got)
	}
	if s := date("2400-02-29").String(); s != "2400-02-29" {
		t.Errorf("2400-02-29 writes as %s", s)
	}
}

// TestCalendarBeforeYearOne: ParseDate reads years 1..9999 only, but
// AddDays and AddMonths reach beyond them, where the calendar's floor
// divisions meet negative numbers. From 0401 BC (year -400) to 0001 the
// dates still agree with package time's proleptic calendar, AddMonths
// still clamps, and String writes the year in full.
func TestCalendarBeforeYearOne(t *testing.T) {
	floorDiv := func(a, b int) int {
		q := a / b
		if a%b != 0 && a < 0 {
			q--
		}
		return q
	}
	ref := time.Date(-400, time.January, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(1, time.March, 1, 0, 0, 0, 0, time.UTC)
	d := date("0001-03-01").AddDays(-int((end.Unix() - ref.Unix()) / 86400))
	for ; !ref.After(end); ref, d = ref.Add(24*time.Hour), d.AddDays(1) {
		y, m, day := ref.Date()
		want := ymd{y, m, day}
		if got := partsOf(d); got != want {
			t.Fatalf("%v: the library says %v", want, got)
		}
		for _, n := range []int{-13, -1, 1, 14} {
			idx := want.Y*12 + int(want.M) - 1 + n
			ty, tm := floorDiv(idx, 12), time.Month(idx-floorDiv(idx, 12)*12+1)
			wantTo := ymd{ty, tm, min(want.D, daysInMonth(ty, tm))}
			if got := partsOf(d.AddMonths(n)); got != wantTo {
				t.Fatalf("%v.AddMonths(%d) = %v, want %v", want, n, got, wantTo)
			}
		}
	}
	tests := []struct {
		d    plan.Date
		want string
	}{
		{date("0001-01-01").AddDays(-2), "0000-12-30"},
		{date("0001-01-01").AddDays(-366), "0000-01-01"},
		{date("0001-01-01").AddDays(-367), "-001-12-31"},
		{date("9999-12-31").AddDays(1), "10000-01-01"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String = %q, want %q", got, tt.want)
		}
	}
}

func TestMustParseDatePanics(t *testing.T) {
	defer func() {
		err, _ := recover().(error)
		if !errors.Is(err, plan.ErrInvalidDate) {
			t.Errorf("MustParseDate(\"2026-02-30\") panicked with %v, want an ErrInvalidDate", err)
		}
	}()
	plan.MustParseDate("2026-02-30")
}
