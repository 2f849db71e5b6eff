package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/plan"
)

// termsCache holds the terms documents of the terms table, decoded and
// validated once each: terms never change for a digest, so an entry never
// goes stale. A digest the table does not hold is asked for again next
// time (it may be added meanwhile).
type termsCache struct {
	db *pgxpool.Pool
	mu sync.RWMutex
	m  map[string]*plan.Terms
}

func newTermsCache(db *pgxpool.Pool) *termsCache {
	return &termsCache{db: db, m: map[string]*plan.Terms{}}
}

func (c *termsCache) put(digest string, t *plan.Terms) {
	c.mu.Lock()
	c.m[digest] = t
	c.mu.Unlock()
}

// source is the cache as a healthplan.TermsSource whose queries run under
// ctx (the interface has no context of its own).
func (c *termsCache) source(ctx context.Context) healthplan.TermsSource {
	return ctxSource{ctx, c}
}

type ctxSource struct {
	ctx context.Context
	c   *termsCache
}

// termsQueryError is a failure of the database while fetching terms, as
// opposed to terms it does not hold.
type termsQueryError struct{ err error }

func (e *termsQueryError) Error() string { return e.err.Error() }
func (e *termsQueryError) Unwrap() error { return e.err }

func (s ctxSource) Terms(ref healthplan.TermsRef) (*plan.Terms, error) {
	s.c.mu.RLock()
	t, ok := s.c.m[ref.Digest]
	s.c.mu.RUnlock()
	if ok {
		return t, nil
	}
	var doc []byte
	err := s.c.db.QueryRow(s.ctx, "SELECT doc FROM terms WHERE digest = $1", ref.Digest).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s is not in the terms table", healthplan.ErrUnknownTerms, ref)
	}
	if err != nil {
		return nil, &termsQueryError{fmt.Errorf("reading terms %s: %w", ref, err)}
	}
	t = new(plan.Terms)
	if err := json.Unmarshal(doc, t); err != nil {
		return nil, fmt.Errorf("the terms table's document for %s: %w", ref, err)
	}
	// A document whose digest is not its key is refused by Load
	// (healthplan.ErrTermsMismatch); it is not cached under the key.
	if t.Digest() == ref.Digest {
		s.c.put(ref.Digest, t)
	}
	return t, nil
}
