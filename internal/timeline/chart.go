package timeline

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
)

// Chart is everything the timeline shows. Days are offsets from the
// subscription's start (day 0); every day range is inclusive at both ends,
// as plan windows are.
type Chart struct {
	// Title heads the picture, e.g. "dog-m  Medium dog, 12 months from
	// 2026-01-05, GBP". It is truncated to the picture's width.
	Title string
	// Days is the axis's last day: the axis runs from day 0 to day Days.
	Days int
	// TermEnd is the term's last day.
	TermEnd int
	// GraceEnd is the last day of grace; zero, or TermEnd, when the plan
	// has none.
	GraceEnd int
	// Groups are the treatment groups in catalog order, each with its
	// rules. A group with no rules is drawn as a header alone.
	Groups []Group
	// Dues are the installment due days, in any order.
	Dues []Due
	// Curves are the exposure curves. They are coloured in order from a
	// fixed palette (red, green, violet, amber, cyan, then again), so put
	// the worst client first and the client who pays everything second.
	Curves []Curve
	// Peak, when set, marks the worst curve's peak.
	Peak *Peak
	// Currency names the money on the value axis, e.g. "GBP".
	Currency string
}

// Group is a treatment group and the rules that discount it.
type Group struct {
	ID   string
	Name string // shown in the header band; ID when empty
	Core bool
	// Rows are the group's rules in plan order; where two of them have the
	// same view order, the earlier row is used first.
	Rows []Row
}

// Row is one allowance rule.
type Row struct {
	ID string
	// Start and End are the rule's window clipped to the axis, both
	// inclusive.
	Start, End int
	// Label says what the rule gives, e.g. "100% x3" or "50% unlimited".
	Label     string
	ViewOrder int
}

// Due is an installment due day and what is due on it.
type Due struct {
	Day   int
	Label string // the amount, e.g. "15.00"; may be empty
}

// Curve is a step function of the day: each point's value holds from its
// day until the next point's day, and the last point's until the axis
// ends. Nothing is drawn before the first point.
type Curve struct {
	Name   string
	Points []Point
}

// Point is where a curve takes a new value.
type Point struct {
	Day int
	// Value is an exact decimal: an optional minus sign, digits, and an
	// optional fraction ("151.50", "-15", "0.5").
	Value string
}

// Peak marks a point of a curve, usually the worst curve's highest.
type Peak struct {
	Day   int
	Value string // an exact decimal, as in Point
	// Label is written beside the marker; when empty it reads
	// "peak <Value> <Currency>, day <Day>".
	Label string
}

// InputError is a field of a Chart that cannot be drawn. Render reports
// every one it finds, joined with errors.Join.
type InputError struct {
	Path   string // e.g. "groups[0].rows[1].end"
	Value  string
	Reason string // what would be valid
}

func (e *InputError) Error() string {
	return fmt.Sprintf("%s: %q %s", e.Path, e.Value, e.Reason)
}

// maxValueLen bounds a decimal string, so that a huge one cannot make the
// exact arithmetic costly; 40 characters is far beyond any money amount.
const maxValueLen = 40

// parseValue reads the decimals Point and Peak accept. big.Rat's own
// SetString takes fractions and exponents too; those are refused here so
// that a value means what it looks like.
func parseValue(s string) (*big.Rat, bool) {
	if len(s) == 0 || len(s) > maxValueLen {
		return nil, false
	}
	i := 0
	if s[0] == '-' {
		i = 1
	}
	digits, point := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point && digits > 0:
			point = true
			digits = 0
		default:
			return nil, false
		}
	}
	if digits == 0 {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// validate checks that everything in c lies on the axis and every value
// is a decimal, reporting every problem at once.
func (c Chart) validate() error {
	var errs []error
	bad := func(path, value, reason string) {
		errs = append(errs, &InputError{Path: path, Value: value, Reason: reason})
	}
	axis := fmt.Sprintf("is outside the axis, days 0..%d", c.Days)
	day := func(path string, d int) bool {
		if d < 0 || d > c.Days {
			bad(path, strconv.Itoa(d), axis)
			return false
		}
		return true
	}
	if c.Days < 0 {
		bad("days", strconv.Itoa(c.Days), "is negative; the axis runs from day 0 to days")
		return errors.Join(errs...)
	}
	termOK := day("termEnd", c.TermEnd)
	if c.GraceEnd != 0 && day("graceEnd", c.GraceEnd) && termOK && c.GraceEnd < c.TermEnd {
		bad("graceEnd", strconv.Itoa(c.GraceEnd), fmt.Sprintf("is before termEnd %d; use 0 or %d for no grace", c.TermEnd, c.TermEnd))
	}
	for g, grp := range c.Groups {
		for r, row := range grp.Rows {
			p := fmt.Sprintf("groups[%d].rows[%d]", g, r)
			okStart := day(p+".start", row.Start)
			if day(p+".end", row.End) && okStart && row.End < row.Start {
				bad(p+".end", strconv.Itoa(row.End), fmt.Sprintf("is before start %d", row.Start))
			}
		}
	}
	for i, d := range c.Dues {
		day(fmt.Sprintf("dues[%d].day", i), d.Day)
	}
	const decimal = "is not a decimal (an optional minus sign, digits and an optional fraction, at most 40 characters)"
	for i, cv := range c.Curves {
		p := fmt.Sprintf("curves[%d]", i)
		if len(cv.Points) == 0 {
			bad(p+".points", "[]", "is empty; a curve needs at least one point")
		}
		for j, pt := range cv.Points {
			pp := fmt.Sprintf("%s.points[%d]", p, j)
			if day(pp+".day", pt.Day) && j > 0 && pt.Day <= cv.Points[j-1].Day {
				bad(pp+".day", strconv.Itoa(pt.Day), fmt.Sprintf("is not after the previous point's day %d", cv.Points[j-1].Day))
			}
			if _, ok := parseValue(pt.Value); !ok {
				bad(pp+".value", pt.Value, decimal)
			}
		}
	}
	if c.Peak != nil {
		day("peak.day", c.Peak.Day)
		if _, ok := parseValue(c.Peak.Value); !ok {
			bad("peak.value", c.Peak.Value, decimal)
		}
	}
	return errors.Join(errs...)
}
