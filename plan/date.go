package plan

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no time zone. The host
// converts its timestamps to the practice's local date before calling the
// library.
//
// The zero Date is not a valid date; IsZero reports it. Dates compare with
// ==, Compare, Before and After.
type Date struct {
	// n counts days from 0001-01-01, which is 1, so that the zero value is
	// distinguishable from every real date.
	n int32
}

// epochShift converts between days since 1970-01-01 (what civil and
// daysFromCivil work in) and Date.n.
const epochShift = 719163

// ErrInvalidDate is wrapped by every error ParseDate and NewDate return.
var ErrInvalidDate = errors.New("invalid date")

// NewDate returns the date year-month-day, or an error if that day does not
// exist (2026-02-30) or the year is outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	if year < 1 || year > 9999 {
		return Date{}, fmt.Errorf("%w: year %d is outside 1..9999", ErrInvalidDate, year)
	}
	if month < time.January || month > time.December {
		return Date{}, fmt.Errorf("%w: month %d is outside 1..12", ErrInvalidDate, int(month))
	}
	if day < 1 || day > daysIn(year, month) {
		return Date{}, fmt.Errorf("%w: %04d-%02d has no day %d", ErrInvalidDate, year, int(month), day)
	}
	return Date{n: int32(daysFromCivil(year, month, day) + epochShift)}, nil
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%w: %q is not written YYYY-MM-DD", ErrInvalidDate, s)
	}
	y, ok1 := atoi(s[0:4])
	m, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%w: %q is not written YYYY-MM-DD", ErrInvalidDate, s)
	}
	return NewDate(y, time.Month(m), d)
}

// MustParseDate is ParseDate for literals in tests and examples: it panics
// if s is not a valid date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// IsZero reports whether d is the zero Date, which is not a valid date.
func (d Date) IsZero() bool { return d.n == 0 }

// Date returns d's year, month and day.
func (d Date) Date() (year int, month time.Month, day int) {
	return civil(int64(d.n) - epochShift)
}

// AddDays returns the date n days after d (before it, if n is negative).
func (d Date) AddDays(n int) Date {
	return Date{n: d.n + int32(n)}
}

// AddMonths returns the date n months after d, keeping d's day of the month
// and clamping it to the length of the target month: 2026-01-31 plus one
// month is 2026-02-28, plus two months is 2026-03-31. Billing counts every
// month from the same original date, so there is no drift after February.
// It differs from time.Time.AddDate, which would give 2026-03-03.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.Date()
	total := y*12 + int(m) - 1 + n
	ny, nm := floorDiv(total, 12), time.Month(floorMod(total, 12)+1)
	return Date{n: int32(daysFromCivil(ny, nm, min(day, daysIn(ny, nm))) + epochShift)}
}

// Sub returns the number of days from e to d: d.Sub(start) is d's day
// offset in a subscription that starts on start.
func (d Date) Sub(e Date) int { return int(d.n) - int(e.n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.n > e.n }

// String writes d as YYYY-MM-DD; the zero Date writes as "0000-00-00".
func (d Date) String() string {
	var buf [10]byte
	return string(d.appendTo(buf[:0]))
}

// AppendText appends d as YYYY-MM-DD to b. The zero Date is an error, as in
// MarshalText.
func (d Date) AppendText(b []byte) ([]byte, error) {
	if d.IsZero() {
		return b, fmt.Errorf("%w: the zero Date has no text form", ErrInvalidDate)
	}
	return d.appendTo(b), nil
}

func (d Date) appendTo(b []byte) []byte {
	if d.IsZero() {
		return append(b, "0000-00-00"...)
	}
	y, m, day := d.Date()
	if y < 0 || y > 9999 { // beyond what ParseDate reads; written in full
		return fmt.Appendf(b, "%04d-%02d-%02d", y, int(m), day)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// MarshalText writes d as YYYY-MM-DD. The zero Date is an error: leave it
// out with the omitzero JSON option.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return nil, fmt.Errorf("%w: the zero Date has no text form", ErrInvalidDate)
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads a date written YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MonthsBetween returns the number of whole months from d to e: the largest
// n with d.AddMonths(n) <= e, or 0 if e is before d. It is an age in months
// when d is a birth date.
func MonthsBetween(d, e Date) int {
	if e.Before(d) {
		return 0
	}
	y1, m1, _ := d.Date()
	y2, m2, _ := e.Date()
	n := (y2-y1)*12 + int(m2) - int(m1)
	if d.AddMonths(n).After(e) {
		n--
	}
	return n
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

// daysFromCivil and civil convert between proleptic Gregorian dates and days
// since 1970-01-01 (Howard Hinnant's algorithms).
func daysFromCivil(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= time.February {
		yy--
	}
	era := floorDiv64(yy, 400)
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civil(z int64) (int, time.Month, int) {
	z += 719468
	era := floorDiv64(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := (mp+2)%12 + 1
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(d)
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
