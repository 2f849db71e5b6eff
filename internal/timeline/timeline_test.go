package timeline_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan/internal/timeline"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ (review every change before committing it)")

// goldens are the charts whose pictures are pinned under testdata/.
var goldens = []struct {
	name  string
	chart func() timeline.Chart
	// what the picture must hold, counted by class
	bars, crossovers, gaps, dues, curves, peaks int
}{
	{"seeds", seedsChart, 6, 3, 0, 12, 2, 1},
	{"gaps", gapChart, 7, 1, 2, 4, 2, 1},
}

func render(t *testing.T, c timeline.Chart) []byte {
	t.Helper()
	out, err := timeline.Render(c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return out
}

// TestGolden compares each chart's picture with testdata/<name>.svg; run
// with -update to rewrite them, then look at every changed picture (see
// testdata/render.sh) before committing it.
func TestGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			got := render(t, g.chart())
			path := filepath.Join("testdata", g.name+".svg")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/timeline -update to create it, then review it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", path, diff)
			}
		})
	}
}

// element is one start tag of a parsed picture, and the character data
// directly inside it.
type element struct {
	name    string
	classes []string
	attrs   map[string]string
	text    string
}

// parse reads an SVG token by token, failing on anything that is not
// well-formed XML, and checks its root is an SVG 1.1 document.
func parse(t *testing.T, doc []byte) []element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var els []element
	var open []int // indexes into els of the elements still open
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
				if a.Name.Local == "class" {
					e.classes = strings.Fields(a.Value)
				}
			}
			if len(els) == 0 && (e.name != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" || e.attrs["version"] != "1.1") {
				t.Fatalf("root is %v, want an SVG 1.1 svg element", tok)
			}
			els = append(els, e)
			open = append(open, len(els)-1)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				els[open[len(open)-1]].text += string(tok)
			}
		}
	}
	if len(els) == 0 {
		t.Fatal("empty document")
	}
	return els
}

func count(els []element, class string) int {
	n := 0
	for _, e := range els {
		if slices.Contains(e.classes, class) {
			n++
		}
	}
	return n
}

func TestWellFormedAndCounts(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			els := parse(t, render(t, g.chart()))
			for _, c := range []struct {
				class string
				want  int
			}{
				{"bar", g.bars}, {"crossover", g.crossovers}, {"gap", g.gaps},
				{"due", g.dues}, {"curve", g.curves}, {"peak", g.peaks},
			} {
				if got := count(els, c.class); got != c.want {
					t.Errorf("%d elements of class %q, want %d", got, c.class, c.want)
				}
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, g := range goldens {
		first := render(t, g.chart())
		for range 5 {
			if again := render(t, g.chart()); !bytes.Equal(first, again) {
				t.Fatalf("%s: two renders of the same chart differ", g.name)
			}
		}
	}
}

func TestEscaping(t *testing.T) {
	const nasty = `a<b&"c"`
	c := seedsChart()
	c.Title = nasty + " title"
	c.Groups[0].Name = nasty + " group"
	c.Groups[0].Rows[0].ID = nasty
	c.Groups[0].Rows[0].Label = nasty + " label"
	c.Dues[0].Label = nasty
	c.Curves[0].Name = nasty + " curve"
	c.Currency = "<&>"
	out := render(t, c)
	if bytes.Contains(out, []byte(nasty)) {
		t.Errorf("the output holds %q unescaped", nasty)
	}
	if !bytes.Contains(out, []byte(`a&lt;b&amp;&#34;c&#34;`)) {
		t.Errorf("the output does not hold %q escaped", nasty)
	}
	var texts []string
	for _, e := range parse(t, out) {
		if strings.Contains(e.text, nasty) {
			texts = append(texts, e.text)
		}
	}
	for _, want := range []string{nasty + " title", nasty, nasty + " label", nasty + " curve"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no text reads %q after parsing; texts holding it: %q", want, texts)
		}
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*timeline.Chart)
		paths  []string
	}{
		{"negative days", func(c *timeline.Chart) { c.Days = -1 }, []string{"days"}},
		{"term end off the axis", func(c *timeline.Chart) { c.TermEnd = 400 }, []string{"termEnd"}},
		{"grace before the term's end", func(c *timeline.Chart) { c.GraceEnd = 300 }, []string{"graceEnd"}},
		{"grace off the axis", func(c *timeline.Chart) { c.GraceEnd = 379 }, []string{"graceEnd"}},
		{"window reversed", func(c *timeline.Chart) { c.Groups[0].Rows[1].End = 79 }, []string{"groups[0].rows[1].end"}},
		{"window off the axis", func(c *timeline.Chart) {
			c.Groups[2].Rows[0].Start = -1
			c.Groups[2].Rows[1].End = 379
		}, []string{"groups[2].rows[0].start", "groups[2].rows[1].end"}},
		{"due off the axis", func(c *timeline.Chart) { c.Dues[3].Day = 1000 }, []string{"dues[3].day"}},
		{"empty curve", func(c *timeline.Chart) { c.Curves[1].Points = nil }, []string{"curves[1].points"}},
		{"points out of order", func(c *timeline.Chart) { c.Curves[1].Points[2].Day = 31 }, []string{"curves[1].points[2].day"}},
		{"values not decimals", func(c *timeline.Chart) {
			c.Curves[0].Points[0].Value = "1e3"
			c.Curves[0].Points[1].Value = "1/2"
			c.Curves[1].Points[0].Value = "12."
			c.Curves[1].Points[1].Value = "-"
			c.Curves[1].Points[2].Value = strings.Repeat("9", 41)
			c.Peak.Value = " 1"
		}, []string{"curves[0].points[0].value", "curves[0].points[1].value", "curves[1].points[0].value",
			"curves[1].points[1].value", "curves[1].points[2].value", "peak.value"}},
		{"peak off the axis", func(c *timeline.Chart) { c.Peak.Day = -3 }, []string{"peak.day"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := seedsChart()
			tc.change(&c)
			out, err := timeline.Render(c)
			if err == nil {
				t.Fatalf("Render accepted it and wrote %d bytes", len(out))
			}
			var paths []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var ie *timeline.InputError
				if !errors.As(e, &ie) {
					t.Fatalf("%v is not an *InputError", e)
				}
				paths = append(paths, ie.Path)
			}
			if diff := cmp.Diff(tc.paths, paths); diff != "" {
				t.Errorf("paths (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

// TestLabelsApart renders charts with crowded axes and checks that no two
// labels on the same line overlap, by the renderer's own width estimate
// made generous (0.6 em a character, about DejaVu Sans's digits), and that each line still says
// something.
func TestLabelsApart(t *testing.T) {
	for _, days := range []int{0, 6, 30, 100, 364, 378, 731, 1100, 3650} {
		t.Run(strconv.Itoa(days), func(t *testing.T) {
			c := timeline.Chart{Days: days, TermEnd: days * 9 / 10, GraceEnd: days}
			for d := 0; d <= days; d += 7 {
				c.Dues = append(c.Dues, timeline.Due{Day: d, Label: "1234.56"})
			}
			c.Curves = []timeline.Curve{{Name: "x", Points: []timeline.Point{{Day: 0, Value: "1"}}}}
			els := parse(t, render(t, c))
			lines := map[string][][2]float64{}
			for _, e := range els {
				if e.name != "text" || !slices.Contains(e.classes, "mid") {
					continue
				}
				x, _ := strconv.ParseFloat(e.attrs["x"], 64)
				size := 11.0
				if slices.Contains(e.classes, "small") {
					size = 10
				}
				half := 0.6 * size * float64(len([]rune(e.text))) / 2
				lines[e.attrs["y"]] = append(lines[e.attrs["y"]], [2]float64{x - half, x + half})
			}
			if len(lines) < 3 {
				t.Fatalf("%d lines of centred labels, want dues and two day axes: %v", len(lines), lines)
			}
			for y, spans := range lines {
				for i := 1; i < len(spans); i++ {
					if spans[i][0] < spans[i-1][1] {
						t.Errorf("labels at y=%s overlap: %v and %v", y, spans[i-1], spans[i])
					}
				}
			}
		})
	}
}

func TestShortBarLabelsBeside(t *testing.T) {
	c := timeline.Chart{Days: 364, TermEnd: 364, Groups: []timeline.Group{{Name: "g", Rows: []timeline.Row{
		{ID: "wide", Start: 0, End: 200},
		{ID: "short-left", Start: 10, End: 12},
		{ID: "short-right", Start: 360, End: 364},
	}}}}
	var inside, beside []string
	for _, e := range parse(t, render(t, c)) {
		switch {
		case slices.Contains(e.classes, "in-bar"):
			inside = append(inside, e.text)
		case slices.Contains(e.classes, "by-bar"):
			beside = append(beside, e.text)
		}
	}
	if diff := cmp.Diff([]string{"0–200"}, inside); diff != "" {
		t.Errorf("windows written inside bars (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"10–12", "360–364"}, beside); diff != "" {
		t.Errorf("windows written beside bars (-want +got):\n%s", diff)
	}
}

func TestEmptyChart(t *testing.T) {
	els := parse(t, render(t, timeline.Chart{}))
	for _, class := range []string{"bar", "curve", "due", "peak"} {
		if n := count(els, class); n != 0 {
			t.Errorf("an empty chart has %d elements of class %q", n, class)
		}
	}
}

func TestLongLabelsTruncated(t *testing.T) {
	long := strings.Repeat("consultation-", 6)
	c := timeline.Chart{Days: 364, TermEnd: 364, Groups: []timeline.Group{{Name: long + "group", Core: true, Rows: []timeline.Row{
		{ID: "short", Label: long + "label", End: 10},
		{ID: long + "id", Label: "100% x1", End: 10},
	}}}}
	var texts []string
	for _, e := range parse(t, render(t, c)) {
		if strings.Contains(e.text, "consultation-") {
			texts = append(texts, e.text)
		}
	}
	if len(texts) != 3 {
		t.Fatalf("texts naming the group and rules: %q, want 3", texts)
	}
	for _, s := range texts {
		if !strings.HasSuffix(s, "…") || len([]rune(s)) > 40 {
			t.Errorf("%q is not truncated to fit the gutter", s)
		}
	}
}
