package timeline_test

import (
	"fmt"

	"github.com/vetplan/healthplan/internal/timeline"
)

// seedsChart is the design guide's medium-dog plan: flea treatment in two
// windows crossing over on days 80-90, a free first consultation then 50%
// off, and food at 50% once then 10% ongoing; twelve monthly installments
// of 15.00 from 2026-01-05, fourteen days' grace. The curves are made up:
// a client who takes three flea packs (23.49 each) on day 0 and three more
// on day 80, one who stops paying after the first installment and one who
// pays every one.
func seedsChart() timeline.Chart {
	dues := []timeline.Due{}
	for _, day := range []int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334} {
		dues = append(dues, timeline.Due{Day: day, Label: "15.00"})
	}
	return timeline.Chart{
		Title:    "dog-m  Medium dog, 12 months from 2026-01-05, GBP",
		Days:     378,
		TermEnd:  364,
		GraceEnd: 378,
		Groups: []timeline.Group{
			{ID: "flea", Name: "Flea treatment", Core: true, Rows: []timeline.Row{
				{ID: "flea-a", Start: 0, End: 90, Label: "100% x3", ViewOrder: 1},
				{ID: "flea-b", Start: 80, End: 120, Label: "100% x3", ViewOrder: 2},
			}},
			{ID: "consult", Name: "Consultations", Rows: []timeline.Row{
				{ID: "consult-free", Start: 0, End: 365, Label: "100% x1", ViewOrder: 1},
				{ID: "consult-half", Start: 0, End: 365, Label: "50% unlimited", ViewOrder: 2},
			}},
			{ID: "food", Name: "Food", Rows: []timeline.Row{
				{ID: "food-first", Start: 0, End: 365, Label: "50% x1", ViewOrder: 1},
				{ID: "food-ongoing", Start: 0, End: 365, Label: "10% unlimited", ViewOrder: 2},
			}},
		},
		Dues: dues,
		Curves: []timeline.Curve{
			{Name: "worst client", Points: []timeline.Point{{Day: 0, Value: "55.47"}, {Day: 80, Value: "125.94"}}},
			{Name: "client who pays everything", Points: points(
				0, "55.47", 31, "40.47", 59, "25.47", 80, "95.94", 90, "80.94", 120, "65.94",
				151, "50.94", 181, "35.94", 212, "20.94", 243, "5.94", 273, "-9.06", 304, "-24.06", 334, "-39.06")},
		},
		Peak:     &timeline.Peak{Day: 80, Value: "125.94"},
		Currency: "GBP",
	}
}

// gapChart is a cat plan with gaps between windows (vaccination days
// 61-299, worming days 91-99), a crossover of equal view order (worming
// days 170-180), a group with no rules, no grace, quarterly installments,
// and a paying client's curve that runs well below zero. Its title and
// group name need escaping.
func gapChart() timeline.Chart {
	return timeline.Chart{
		Title:   "cat-adult  Adult cat <indoor> & outdoor, 12 months from 2026-03-01, EUR",
		Days:    364,
		TermEnd: 364,
		Groups: []timeline.Group{
			{ID: "vacc", Name: "Vaccination", Core: true, Rows: []timeline.Row{
				{ID: "vacc-primary", Start: 0, End: 60, Label: "100% x1", ViewOrder: 1},
				{ID: "vacc-booster", Start: 300, End: 364, Label: "100% x1", ViewOrder: 1},
			}},
			{ID: "worm", Name: "Worming", Core: true, Rows: []timeline.Row{
				{ID: "worm-q1", Start: 0, End: 90, Label: "100% x1", ViewOrder: 1},
				{ID: "worm-q2", Start: 100, End: 180, Label: "100% x1", ViewOrder: 1},
				{ID: "worm-q3", Start: 170, End: 270, Label: "100% x1", ViewOrder: 1},
				{ID: "worm-q4", Start: 271, End: 364, Label: "100% x1", ViewOrder: 1},
			}},
			{ID: "dental", Name: "Dental & hygiene", Rows: []timeline.Row{
				{ID: "dental", Start: 30, End: 364, Label: "15.00 off x1", ViewOrder: 1},
			}},
			{ID: "neuter", Name: "Neutering"},
		},
		Dues: []timeline.Due{{Day: 0, Label: "45.00"}, {Day: 92, Label: "45.00"}, {Day: 184, Label: "45.00"}, {Day: 275, Label: "45.00"}},
		Curves: []timeline.Curve{
			{Name: "worst client", Points: points(0, "1.70", 100, "10.20")},
			{Name: "client who pays everything", Points: points(
				0, "1.70", 92, "-43.30", 100, "-34.80", 184, "-79.80", 200, "-71.30", 275, "-116.30", 300, "-78.10", 320, "-69.60")},
		},
		Peak:     &timeline.Peak{Day: 100, Value: "10.20", Label: "peak 10.20 EUR on 2026-06-09 (day 100)"},
		Currency: "EUR",
	}
}

// points reads alternating days and values.
func points(dayValue ...any) []timeline.Point {
	var ps []timeline.Point
	for i := 0; i < len(dayValue); i += 2 {
		day, ok1 := dayValue[i].(int)
		value, ok2 := dayValue[i+1].(string)
		if !ok1 || !ok2 {
			panic(fmt.Sprintf("points: argument %d is not a day and a value", i))
		}
		ps = append(ps, timeline.Point{Day: day, Value: value})
	}
	return ps
}
