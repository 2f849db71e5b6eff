package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/plan"
)

// Errors a caller may branch on with errors.Is.
var (
	// ErrNotFound: no contract has that id.
	ErrNotFound = errors.New("no contract with that id")
	// ErrExists: a contract with that id is stored already.
	ErrExists = errors.New("a contract with that id exists")
	// ErrConflict: the operation lost the race for the contract every
	// time it was tried; nothing was stored, and sending it again is safe.
	ErrConflict = errors.New("lost the race for the contract on every attempt")
	// ErrKeyReused: the idempotency key was used before for another
	// operation on the contract.
	ErrKeyReused = errors.New("idempotency key used before for another operation")
)

// ContractError is a stored contract the library refuses to load: a
// document edited into something invalid, terms the terms table does not
// hold, a row whose revision is not its document's. Err is the library's
// error (a *plan.ValidationError with its path, healthplan.ErrUnknownTerms,
// ...) or the store's own finding. The contract needs a person; the other
// contracts are not affected.
type ContractError struct {
	ID  string
	Err error
}

func (e *ContractError) Error() string { return fmt.Sprintf("contract %q: %v", e.ID, e.Err) }
func (e *ContractError) Unwrap() error { return e.Err }

// RefusedError is an operation the library refused on the contract as it
// is stored: a line committed before with other content
// (allowance.ErrLineConflict), a credit note for a line never committed,
// a field out of range (a *plan.ValidationError with its path). Err is
// the library's error. Nothing was stored; sending it again is refused
// again.
type RefusedError struct {
	ID, Key, Op string
	Err         error
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("contract %q: %s %q: %v", e.ID, e.Op, e.Key, e.Err)
}
func (e *RefusedError) Unwrap() error { return e.Err }

// Retry is how the store retries an operation that lost the race for its
// contract: up to Attempts tries in all, sleeping before each retry a
// random time up to Base×2^(retry−1), capped at Max ("full jitter"), so
// that the invoices that collided do not collide again in step.
type Retry struct {
	Attempts int           // default 8
	Base     time.Duration // default 2ms
	Max      time.Duration // default 100ms
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 8
	}
	if r.Base <= 0 {
		r.Base = 2 * time.Millisecond
	}
	if r.Max <= 0 {
		r.Max = 100 * time.Millisecond
	}
	return r
}

func (r Retry) sleep(ctx context.Context, retry int) error {
	d := min(r.Max, r.Base<<min(retry-1, 20))
	t := time.NewTimer(rand.N(d) + 1)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Stats counts what a store did since it was made.
type Stats struct {
	// Ops is the calls to Do; Stored the operations that changed their
	// contract and were stored; Unchanged those that changed nothing (an
	// invoice committed again) and stored nothing; Replayed those whose
	// key was stored already and which ran nothing.
	Ops, Stored, Unchanged, Replayed int64
	// Conflicts is the compare-and-swaps that found another revision;
	// Retries the attempts made after one; Exhausted the operations that
	// lost every attempt (ErrConflict). Conflicts = Retries + Exhausted.
	Conflicts, Retries, Exhausted int64
}

type counters struct {
	ops, stored, unchanged, replayed, conflicts, retries, exhausted atomic.Int64
}

// Store keeps contracts in PostgreSQL, in the tables Migrate creates, and
// runs operations on them with compare-and-swap on the revision. It is
// safe for concurrent use by any number of goroutines and processes.
type Store struct {
	db    *pgxpool.Pool
	terms *termsCache
	retry Retry
	n     counters
}

// New is a store on db, retrying lost races as r says (the zero Retry
// takes the defaults).
func New(db *pgxpool.Pool, r Retry) *Store {
	return &Store{db: db, terms: newTermsCache(db), retry: r.withDefaults()}
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	return Stats{
		Ops: s.n.ops.Load(), Stored: s.n.stored.Load(), Unchanged: s.n.unchanged.Load(), Replayed: s.n.replayed.Load(),
		Conflicts: s.n.conflicts.Load(), Retries: s.n.retries.Load(), Exhausted: s.n.exhausted.Load(),
	}
}

// AddTerms stores t's canonical document under its digest, once: adding
// terms stored already does nothing. Contracts sold on t can be created
// from then on.
func (s *Store) AddTerms(ctx context.Context, t *plan.Terms) (healthplan.TermsRef, error) {
	ref := healthplan.RefOf(t)
	doc, err := t.MarshalJSON()
	if err != nil {
		return ref, err
	}
	_, err = s.db.Exec(ctx, "INSERT INTO terms (digest, plan, doc) VALUES ($1, $2, $3) ON CONFLICT (digest) DO NOTHING",
		ref.Digest, ref.Plan, doc)
	if err != nil {
		return ref, fmt.Errorf("storing terms %s: %w", ref, err)
	}
	s.terms.put(ref.Digest, t)
	return ref, nil
}

// Create stores a new contract (one healthplan.New or Contract.Renew
// gave, or one imported from another system), at its revision; its
// document is kept as created too, where Audit's replay starts. A contract with that id stored already is
// ErrExists, and is left as it is.
func (s *Store) Create(ctx context.Context, c *healthplan.Contract) error {
	doc, _ := c.MarshalJSON()
	_, err := s.db.Exec(ctx, "INSERT INTO contracts (id, revision, doc, created) VALUES ($1, $2, $3, $3)", c.ID(), c.Revision(), doc)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
		return fmt.Errorf("creating contract %q: %w", c.ID(), ErrExists)
	}
	if err != nil {
		return fmt.Errorf("creating contract %q: %w", c.ID(), err)
	}
	return nil
}

// Get loads a contract as it is stored. What it returns is the caller's
// own: nothing it does to it is stored unless it goes through Do.
func (s *Store) Get(ctx context.Context, id string) (*healthplan.Contract, error) {
	var rev int64
	var doc []byte
	err := s.db.QueryRow(ctx, "SELECT revision, doc FROM contracts WHERE id = $1", id).Scan(&rev, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("contract %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("loading contract %q: %w", id, err)
	}
	return s.decode(ctx, id, rev, doc)
}

// decode loads a stored row into a contract, refusing a row the library
// refuses or whose revision or id is not its document's.
func (s *Store) decode(ctx context.Context, id string, rev int64, doc []byte) (*healthplan.Contract, error) {
	c, err := healthplan.Load(doc, s.terms.source(ctx))
	var dbErr *termsQueryError
	switch {
	case errors.As(err, &dbErr):
		return nil, fmt.Errorf("loading contract %q: %w", id, err) // the database, not the document
	case err != nil:
		return nil, &ContractError{ID: id, Err: err}
	case c.ID() != id:
		return nil, &ContractError{ID: id, Err: fmt.Errorf("the document is contract %q's", c.ID())}
	case c.Revision() != rev:
		return nil, &ContractError{ID: id, Err: fmt.Errorf("the row is at revision %d but its document at %d", rev, c.Revision())}
	}
	return c, nil
}

// Outcome is what Do did.
type Outcome struct {
	// Revision is the contract's revision after the operation.
	Revision int64
	// Changed: the operation changed the contract and was stored now.
	Changed bool
	// Replayed: the key was stored already, at Revision; nothing ran.
	Replayed bool
	// Attempts is how many times the operation ran (1 + lost races).
	Attempts int
	// Response is the operation's answer as JSON: a commit's
	// allowance.Result, a reversal's allowance.Reversal, a payment's
	// billing.Standing. A replayed key gives the answer stored with it,
	// byte for byte.
	Response []byte
}

// Do runs op on contract id and stores the result: what a service does
// at every invoice, credit note and payment. In a loop of at most
// Retry.Attempts tries, it
//
//  1. reads the contract and whether key was stored for it, in one
//     statement (one snapshot);
//  2. if the key was stored, answers from there and runs nothing, so a
//     request re-sent after a timeout or a crash is applied once; the
//     same key with another operation is ErrKeyReused;
//  3. loads the document and runs op with the library: if the revision
//     did not move (an invoice committed again), nothing is stored;
//  4. stores the new document with compare-and-swap on the revision, and
//     the key, the operation and its answer with it, in one statement:
//     both or neither;
//  5. when the revision had moved (another request for the pet won the
//     race), sleeps a jittered backoff and starts again from 1, on the
//     new state.
//
// key identifies the request: a service passes the one the PMS sends with
// it (an invoice id for its commit, a payment's transaction id) and the
// same one again when it re-sends it. The library makes commits
// idempotent by invoice line anyway; payments need the key. A stored
// contract the library refuses is a *ContractError, op's own refusal the
// *RefusedError with the library's error, and losing every race
// ErrConflict; in every case nothing was stored.
func (s *Store) Do(ctx context.Context, id, key string, op Op) (Outcome, error) {
	s.n.ops.Add(1)
	if key == "" {
		return Outcome{}, fmt.Errorf("contract %q: an operation needs an idempotency key", id)
	}
	opDoc, err := op.MarshalJSON()
	if err != nil {
		return Outcome{}, err
	}
	var buf []byte
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			s.n.retries.Add(1)
			if err := s.retry.sleep(ctx, attempt-1); err != nil {
				return Outcome{}, err
			}
		}
		var (
			rev              int64
			doc              []byte
			keyRev           *int64
			keyOp, keyAnswer []byte
		)
		err := s.db.QueryRow(ctx, `
			SELECT c.revision, c.doc, o.revision, o.op, o.response
			FROM contracts c LEFT JOIN operations o ON o.contract_id = c.id AND o.key = $2
			WHERE c.id = $1`, id, key).Scan(&rev, &doc, &keyRev, &keyOp, &keyAnswer)
		if errors.Is(err, pgx.ErrNoRows) {
			return Outcome{}, fmt.Errorf("contract %q: %w", id, ErrNotFound)
		}
		if err != nil {
			return Outcome{}, fmt.Errorf("loading contract %q: %w", id, err)
		}
		if keyRev != nil {
			if !bytes.Equal(keyOp, opDoc) {
				return Outcome{}, fmt.Errorf("contract %q, key %q: %w: it was %s", id, key, ErrKeyReused, keyOp)
			}
			s.n.replayed.Add(1)
			return Outcome{Revision: *keyRev, Replayed: true, Attempts: attempt, Response: keyAnswer}, nil
		}
		c, err := s.decode(ctx, id, rev, doc)
		if err != nil {
			return Outcome{}, err
		}
		answer, err := op.Apply(c)
		if err != nil {
			return Outcome{}, &RefusedError{ID: id, Key: key, Op: op.Kind(), Err: err}
		}
		if c.Revision() == rev {
			s.n.unchanged.Add(1)
			return Outcome{Revision: rev, Attempts: attempt, Response: answer}, nil
		}
		buf = c.AppendJSON(buf[:0])
		// A data-modifying CTE: the insert sees the update's row only when
		// the compare-and-swap succeeded, and the statement is atomic.
		tag, err := s.db.Exec(ctx, `
			WITH cas AS (
				UPDATE contracts SET doc = $3, revision = $2 + 1
				WHERE id = $1 AND revision = $2
				RETURNING id
			)
			INSERT INTO operations (contract_id, key, revision, op, response)
			SELECT id, $4, $2 + 1, $5, $6 FROM cas`, id, rev, buf, key, opDoc, answer)
		if err != nil {
			return Outcome{}, fmt.Errorf("storing contract %q: %w", id, err)
		}
		if tag.RowsAffected() == 1 {
			s.n.stored.Add(1)
			return Outcome{Revision: rev + 1, Changed: true, Attempts: attempt, Response: answer}, nil
		}
		s.n.conflicts.Add(1)
		if attempt == s.retry.Attempts {
			s.n.exhausted.Add(1)
			return Outcome{}, fmt.Errorf("contract %q: %s %q: %w (%d attempts)", id, op.Kind(), key, ErrConflict, attempt)
		}
	}
}
