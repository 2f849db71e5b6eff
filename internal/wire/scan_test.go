package wire

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

var documents = []string{
	`{}`, `[]`, `""`, `0`, `-1.5e+3`, `true`, `false`, `null`,
	`{"a":1,"b":[1,2,{"c":"d"}],"e":null,"f":true}`,
	` { "a" : [ 1 , 2 ] , "b" : "x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00" } `,
	`{"a":1,"a":2}`, `{"a":{"b":1,"b":2}}`, `[{"x":1,"x":[1]}]`,
	`"\ud800"`, `"é"`, `[1e5,0.5,-0,12345678901234567890123]`,
	// malformed
	`{`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{1:2}`, `[1 2]`, `01`, `1.`, `.5`, `-`, `1e`, `tru`, `nul`, `"abc`, "\"a\x01b\"",
	`"\x"`, `"\u12g4"`, `{"a":1}x`, `[`, `]`, ``, "\"\xff\"",
	strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2),
}

// TestParseMatchesTheCarefulParser: the fast reader builds exactly the tree
// the encoding/json-based one does, with the same duplicate-key problems,
// and refuses what it refuses with the same error.
func TestParseMatchesTheCarefulParser(t *testing.T) {
	for _, doc := range documents {
		var fast, slow Decoder
		a, errA := Parse([]byte(doc), &fast)
		b, errB := parseSlowly([]byte(doc), &slow)
		if (errA == nil) != (errB == nil) || errA != nil && errA.Error() != errB.Error() {
			t.Errorf("%q: errors %v / %v", doc, errA, errB)
			continue
		}
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(fast.Problems, slow.Problems) {
			t.Errorf("%q: trees %#v / %#v, problems %v / %v", doc, a, b, fast.Problems, slow.Problems)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, doc := range documents {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast, slow Decoder
		a, errA := Parse(data, &fast)
		b, errB := parseSlowly(data, &slow)
		if (errA == nil) != (errB == nil) {
			t.Fatalf("%q: errors %v / %v", data, errA, errB)
		}
		if errA == nil && (!reflect.DeepEqual(a, b) || !reflect.DeepEqual(fast.Problems, slow.Problems)) {
			t.Fatalf("%q: trees %#v / %#v", data, a, b)
		}
		// Raw finds the end of every value Parse reads.
		if errA == nil {
			s := NewScanner(string(data), "")
			raw := s.Raw()
			s.End()
			if s.Failed() || strings.TrimSpace(raw) != strings.TrimSpace(string(data)) {
				t.Fatalf("Raw of %q: %q, %v", data, raw, s.Err())
			}
		}
	})
}

// TestAppendStringMatchesEncodingJSON: strings are escaped exactly as
// encoding/json escapes them.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "<a&b>", "tab\tnl\nret\rbs\bff\f", "\x00\x1f\x7f", "é €😀", "\u2028\u2029", "bad\xffutf8\xc3"} {
		want, _ := json.Marshal(s)
		if got := string(AppendString(nil, s)); got != string(want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("a<b>&\"c\\\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := string(AppendString(nil, s)); got != string(want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestScannerPaths: problems name the path of the value they are about,
// and reading goes on after them.
func TestScannerPaths(t *testing.T) {
	s := NewScanner(`{"a":[{"b":1},{"b":"x","c":true}],"d":{"e":[5,"y"]}}`, "doc")
	if !s.Object("a document") {
		t.Fatal("not an object")
	}
	for {
		k, ok := s.Key()
		if !ok {
			break
		}
		switch k {
		case "a":
			if s.Array("an array") {
				for s.Next() {
					if s.Object("an element") {
						for {
							k, ok := s.Key()
							if !ok {
								break
							}
							if k == "b" {
								s.String()
								continue
							}
							s.Unknown(k, "an element", "b")
						}
					}
				}
			}
		case "d":
			if s.Object("d") {
				s.Key()
				if s.Array("e") {
					for s.Next() {
						s.String()
					}
				}
				s.Key()
			}
		}
	}
	s.End()
	var got []string
	for _, p := range s.Problems {
		got = append(got, p.Path+" "+p.Value)
	}
	want := []string{"doc.a[0].b 1", "doc.a[1].c c", "doc.d.e[0] 5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	if s.Failed() {
		t.Errorf("a well-formed document failed: %v", s.Err())
	}
}

func TestScannerSyntaxErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`{"a":1,}`:       "line 1, column 8",
		"{\n\"a\":\n}":   "line 3, column 1",
		`["é", x]`:       "line 1, column 7",
		"\"a\x01\"":      "line 1, column 3",
		`{"a":"b"`:       "unexpected end of JSON input",
		`[1] 2`:          "after top-level value",
		`{"a":[1,,2]}`:   "line 1, column 9",
		`{"a":"\uZZZZ"}`: "escape",
	} {
		s := NewScanner(doc, "")
		s.Skip()
		s.End()
		if err := s.Err(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want an error with %q", doc, err, want)
		}
	}
}

func TestRaw(t *testing.T) {
	s := NewScanner(`{"a":"x\"}y","b":[1,{"c":[]}],"c":12.5,"d":null,"e":true}`, "")
	s.Object("")
	var got []string
	for {
		if _, ok := s.Key(); !ok {
			break
		}
		got = append(got, s.Raw())
	}
	want := []string{`"x\"}y"`, `[1,{"c":[]}]`, `12.5`, `null`, `true`}
	if !reflect.DeepEqual(got, want) || s.Failed() {
		t.Errorf("Raw: %q (%v), want %q", got, s.Err(), want)
	}
	for _, doc := range []string{`"abc`, `[1,2`, `{"a":`, `]`} {
		s := NewScanner(doc, "")
		s.Raw()
		if !s.Failed() {
			t.Errorf("Raw of %q did not fail", doc)
		}
	}
}

// TestOffsetsAndRest: Offset does not skip white space, Rest does, and
// Text and Advance agree with them.
func TestOffsetsAndRest(t *testing.T) {
	const doc = `[ "ab",  {"k":1}]`
	s := NewScanner(doc, "")
	if !s.Array("") || s.Offset() != 1 {
		t.Fatalf("after Array, Offset = %d, want 1", s.Offset())
	}
	if !s.Next() {
		t.Fatal("Next: want the first element")
	}
	if r := s.Rest(); r != `"ab",  {"k":1}]` || s.Offset() != 2 {
		t.Fatalf("Rest = %q, Offset = %d; want the string next, at 2", r, s.Offset())
	}
	s.Advance(len(`"ab"`)) // read by a fast path of the caller's own
	before := s.Offset()
	if !s.Next() {
		t.Fatal("Next: want the second element")
	}
	if got := s.Text(before, s.Offset()); got != ",  " {
		t.Errorf("Next moved past %q; want the comma and the two spaces", got)
	}
	s.Skip()
	if s.Next() || s.Failed() || s.Offset() != len(doc) {
		t.Errorf("end: Offset = %d, error %v; want %d", s.Offset(), s.Err(), len(doc))
	}
}

// TestRewrite: every problem in a joined tree is rewritten, on a copy;
// other errors and the original stay as they were.
func TestRewrite(t *testing.T) {
	a := &ValidationError{Path: "a", Reason: "is bad"}
	b := &ValidationError{Path: "b", Reason: "is worse"}
	other := errors.New("not a problem")
	err := errors.Join(a, errors.Join(other, b))
	got := Rewrite(err, func(v *ValidationError) { v.Path = "x." + v.Path })
	if want := "x.a: is bad\nnot a problem\nx.b: is worse"; got.Error() != want {
		t.Errorf("Rewrite gave %q, want %q", got.Error(), want)
	}
	if a.Path != "a" || b.Path != "b" {
		t.Errorf("Rewrite changed the original problems: %v, %v", a, b)
	}
	if !errors.Is(got, other) {
		t.Errorf("Rewrite lost the other error")
	}
	if Rewrite(nil, func(*ValidationError) {}) != nil {
		t.Errorf("Rewrite(nil) is not nil")
	}
}
