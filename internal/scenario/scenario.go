// Package scenario reads and replays scenario documents: a catalog, plans,
// subscriptions and a sequence of events, with one JSON result per event.
// It is the library's interchange format and the format of the golden
// tests; examples/replay is its command-line front end, and
// examples/replay/README.md documents it for users.
package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// Scenario is a parsed scenario document whose definitions are valid.
type Scenario struct {
	Note    string
	Catalog plan.Catalog
	subs    []subDef
	events  []any
	// planIDs are the plans' ids as written, known even when the catalog
	// is invalid, so that references to plans are checked in the same run.
	planIDs []string
}

type subDef struct {
	in   plan.Enrollment
	plan string
}

// Parse reads a scenario. Malformed JSON is a *wire.SyntaxError with the
// position; invalid definitions (catalog, plans, subscriptions) give every
// problem at once, each a *plan.ValidationError with its JSON path. Events
// are checked one by one when they are replayed: a bad event is refused
// alone.
func Parse(data []byte) (*Scenario, error) {
	var d wire.Decoder
	tree, err := wire.Parse(data, &d)
	if err != nil {
		return nil, err
	}
	root, ok := d.Object("", tree, "a scenario")
	if !ok {
		return nil, errors.Join(wire.ErrorList(d.Problems)...)
	}
	root.Only("a scenario", "note", "currency", "groups", "plans", "subscriptions", "events")
	s := &Scenario{}
	s.Note, _ = root.String("note", false)

	var list []error
	catalogOK := true
	part := map[string]any{}
	for _, k := range []string{"currency", "groups", "plans"} {
		if v, ok := root.Get(k); ok {
			part[k] = v
		}
	}
	enc, _ := json.Marshal(part)
	if err := s.Catalog.UnmarshalJSON(enc); err != nil {
		list = append(list, err)
		catalogOK = false
	}

	if plans, ok := root.Get("plans"); ok {
		if a, ok := plans.([]any); ok {
			for _, p := range a {
				if m, ok := p.(map[string]any); ok {
					if id, ok := m["id"].(string); ok && id != "" && !slices.Contains(s.planIDs, id) {
						s.planIDs = append(s.planIDs, id)
					}
				}
			}
		}
	}
	subs, _ := root.Array("subscriptions", false)
	s.readSubscriptions(root, subs)
	if evs, ok := root.Array("events", false); ok {
		s.events = evs
	}
	list = append(wire.ErrorList(d.Problems), list...)
	list = append(list, s.checkReferences()...)
	if catalogOK && len(d.Problems) == 0 && len(list) == 0 {
		if _, err := s.start(); err != nil {
			list = append(list, err)
		}
	}
	if err := errors.Join(inDocumentOrder(list)...); err != nil {
		return nil, err
	}
	return s, nil
}

// checkReferences checks what the subscriptions refer to and their ids,
// whether or not the catalog is valid, so that one run reports it all.
func (s *Scenario) checkReferences() []error {
	var list []error
	seen := map[string]int{}
	for i, def := range s.subs {
		path := fmt.Sprintf("subscriptions[%d]", i)
		if def.in.ID != "" {
			if j, dup := seen[def.in.ID]; dup {
				list = append(list, &plan.ValidationError{Path: path + ".id", Value: def.in.ID,
					Reason: fmt.Sprintf("is already the id of subscriptions[%d]; subscription ids are unique", j)})
			} else {
				seen[def.in.ID] = i
			}
		}
		if def.plan != "" && !slices.Contains(s.planIDs, def.plan) {
			want := "want one of " + strings.Join(s.planIDs, ", ")
			if len(s.planIDs) == 0 {
				want = "the catalog has no plans"
			}
			list = append(list, &plan.ValidationError{Path: path + ".plan", Value: def.plan,
				Reason: "is not a plan in the catalog; " + want})
		}
	}
	return list
}

// sections is the order of a scenario's top-level fields.
var sections = map[string]int{"note": 0, "currency": 1, "groups": 2, "plans": 3, "subscriptions": 4, "events": 5}

// inDocumentOrder sorts problems by where they are in the document: by
// top-level field, then by the array indexes along the path (a plan's own
// fields before its rules'), keeping the order found otherwise.
func inDocumentOrder(list []error) []error {
	type keyed struct {
		section int
		index   []int
		err     error
	}
	var ks []keyed
	for _, e := range list {
		for _, p := range plan.Problems(e) {
			k := keyed{section: len(sections), err: p}
			head := p.Path
			if i := strings.IndexAny(head, ".["); i >= 0 {
				head = head[:i]
			}
			if r, ok := sections[head]; ok {
				k.section = r
			}
			for rest := p.Path; ; {
				i := strings.IndexByte(rest, '[')
				if i < 0 {
					break
				}
				j := strings.IndexByte(rest[i:], ']')
				if j < 0 {
					break
				}
				n := 0
				fmt.Sscan(rest[i+1:i+j], &n)
				k.index = append(k.index, n)
				rest = rest[i+j+1:]
			}
			ks = append(ks, k)
		}
		if len(plan.Problems(e)) == 0 {
			ks = append(ks, keyed{section: len(sections), err: e})
		}
	}
	sort.SliceStable(ks, func(a, b int) bool {
		if ks[a].section != ks[b].section {
			return ks[a].section < ks[b].section
		}
		return slices.Compare(ks[a].index, ks[b].index) < 0
	})
	out := make([]error, len(ks))
	for i, k := range ks {
		out[i] = k.err
	}
	return out
}

func (s *Scenario) readSubscriptions(root wire.Object, subs []any) {
	for i, v := range subs {
		path := wire.Index(root.Path("subscriptions"), i)
		o, ok := root.Decoder().Object(path, v, "a subscription")
		if !ok {
			continue
		}
		o.Only("a subscription", "id", "plan", "client", "patient", "start", "payment", "interval")
		var def subDef
		def.in.ID, _ = o.String("id", true)
		def.plan, _ = o.String("plan", true)
		def.in.Client, _ = o.String("client", false)
		def.in.Patient = ReadPatient(o, "patient")
		def.in.Start = ReadDate(o, "start", true)
		def.in.Payment, def.in.Interval = ReadPaymentOption(o), ReadInterval(o)
		s.subs = append(s.subs, def)
	}
}

// state is a replay in progress: one contract per subscription.
type state struct {
	cat   *plan.Catalog
	terms map[string]*plan.Terms
	subs  map[string]*healthplan.Contract
	ids   []string
}

// start builds the subscriptions, refusing any that cannot start.
func (s *Scenario) start() (*state, error) {
	st := &state{cat: &s.Catalog, terms: map[string]*plan.Terms{}, subs: map[string]*healthplan.Contract{}}
	if errs := s.checkReferences(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var list []error
	for i, def := range s.subs {
		path := fmt.Sprintf("subscriptions[%d]", i)
		t, err := st.termsFor(def.plan)
		if err != nil {
			list = append(list, plan.WithPathPrefix(path, err))
			continue
		}
		in := def.in
		in.MultiPet = st.multiPet(in)
		c, err := healthplan.New(t, in)
		if err != nil {
			list = append(list, plan.WithPathPrefix(path, err))
			continue
		}
		st.add(c)
	}
	return st, errors.Join(list...)
}

// multiPet: a subscription gets the multi-pet discount when a subscription
// of the same client listed before it covers its start date (its term
// includes the date).
func (st *state) multiPet(in plan.Enrollment) bool {
	if in.Client == "" {
		return false
	}
	for _, id := range st.ids {
		o := st.subs[id].Subscription()
		if o.Client == in.Client && !in.Start.Before(o.Start) && !in.Start.After(o.End()) {
			return true
		}
	}
	return false
}

func (st *state) add(c *healthplan.Contract) {
	st.subs[c.ID()] = c
	st.ids = append(st.ids, c.ID())
}

func (st *state) termsFor(id string) (*plan.Terms, error) {
	if t, ok := st.terms[id]; ok {
		return t, nil
	}
	t, err := st.cat.Terms(id)
	if err != nil {
		return nil, err
	}
	st.terms[id] = t
	return t, nil
}

// Replay runs the events in order and returns one result per event. A
// refused event has an "error" and changes nothing; the replay goes on.
func (s *Scenario) Replay() []Result {
	st, err := s.start()
	if err != nil {
		// Parse refuses such a scenario; a Scenario built otherwise gets
		// the problem on every event rather than a panic.
		out := make([]Result, len(s.events))
		for i := range out {
			out[i] = errResult(i, "", err)
		}
		return out
	}
	out := make([]Result, len(s.events))
	for i, ev := range s.events {
		out[i] = st.event(i, ev)
	}
	return out
}

// Run parses a scenario and writes its results to w, one JSON object per
// line.
func Run(data []byte, w io.Writer) error {
	s, err := Parse(data)
	if err != nil {
		return err
	}
	return Write(w, s.Replay())
}

// Write writes results one JSON object per line.
func Write(w io.Writer, results []Result) error {
	for _, r := range results {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// Messages lists an error's problems one per line, in order.
func Messages(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if u, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range u.Unwrap() {
				walk(x)
			}
			return
		}
		out = append(out, e.Error())
	}
	if err != nil {
		walk(err)
	}
	return out
}

func known(m map[string]*healthplan.Contract) string {
	ids := make([]string, 0, len(m))
	for k := range m {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return "(none)"
	}
	return strings.Join(ids, ", ")
}
