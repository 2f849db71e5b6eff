package timeline_test

import (
	"fmt"
	"strings"

	"github.com/vetplan/healthplan/internal/timeline"
)

func ExampleRender() {
	svg, err := timeline.Render(timeline.Chart{
		Title:   "flea  Flea-only plan, 12 months, GBP",
		Days:    364,
		TermEnd: 364,
		Groups: []timeline.Group{{ID: "flea", Name: "Flea treatment", Core: true, Rows: []timeline.Row{
			{ID: "flea-a", Start: 0, End: 90, Label: "100% x3", ViewOrder: 1},
			{ID: "flea-b", Start: 80, End: 120, Label: "100% x3", ViewOrder: 2},
		}}},
		Dues: []timeline.Due{{Day: 0, Label: "15.00"}, {Day: 31, Label: "15.00"}},
		Curves: []timeline.Curve{{Name: "worst client", Points: []timeline.Point{
			{Day: 0, Value: "55.47"}, {Day: 80, Value: "125.94"},
		}}},
		Peak:     &timeline.Peak{Day: 80, Value: "125.94"},
		Currency: "GBP",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// svg is a standalone document: write it to a .svg file, or inline it
	// in HTML.
	fmt.Println(strings.Split(string(svg), "\n")[1])
	for _, class := range []string{"bar core", "crossover", "due", "curve", "peak"} {
		fmt.Printf("%s: %d\n", class, strings.Count(string(svg), `class="`+class+`"`))
	}
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="960" height="456" viewBox="0 0 960 456">
	// bar core: 2
	// crossover: 1
	// due: 2
	// curve: 1
	// peak: 1
}

func ExampleRender_invalid() {
	_, err := timeline.Render(timeline.Chart{
		Days: 364,
		Curves: []timeline.Curve{{Name: "worst client", Points: []timeline.Point{
			{Day: 0, Value: "55.47"}, {Day: 400, Value: "1e3"},
		}}},
	})
	fmt.Println(err)
	// Output:
	// curves[0].points[1].day: "400" is outside the axis, days 0..364
	// curves[0].points[1].value: "1e3" is not a decimal (an optional minus sign, digits and an optional fraction, at most 40 characters)
}
