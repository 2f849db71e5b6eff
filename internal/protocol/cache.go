package protocol

import (
	"container/list"
	"fmt"
	"sync"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/plan"
)

// termsCache holds the terms the terms operation was given, by digest, up
// to a bound, dropping the least recently used. It is the engine's only
// state, and a healthplan.TermsSource for loading contracts.
type termsCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *plan.Terms, most recently used first
	at    map[string]*list.Element
}

func newTermsCache(max int) *termsCache {
	return &termsCache{max: max, order: list.New(), at: make(map[string]*list.Element, max)}
}

// add puts t in the cache and returns its reference.
func (c *termsCache) add(t *plan.Terms) healthplan.TermsRef {
	ref := healthplan.RefOf(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.at[ref.Digest]; ok {
		c.order.MoveToFront(e)
		return ref
	}
	c.at[ref.Digest] = c.order.PushFront(t)
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.at, last.Value.(*plan.Terms).Digest())
	}
	return ref
}

// Terms returns the terms with ref's digest.
func (c *termsCache) Terms(ref healthplan.TermsRef) (*plan.Terms, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.at[ref.Digest]
	if !ok {
		return nil, fmt.Errorf("%w: %s", healthplan.ErrUnknownTerms, ref)
	}
	c.order.MoveToFront(e)
	return e.Value.(*plan.Terms), nil
}

// len is how many terms the cache holds.
func (c *termsCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// oneTerms is the source of a request that carries its terms inline: it
// gives them for any reference, and Load then checks that they are the
// ones the contract names.
type oneTerms struct{ t *plan.Terms }

func (o oneTerms) Terms(healthplan.TermsRef) (*plan.Terms, error) { return o.t, nil }
