// Package postgres keeps a practice-management system's health-plan
// contracts in PostgreSQL: the reference integration a Go service copies.
// The library is pure; whether a pet's allowance is ever used twice, or an
// invoice line lost, is decided here, where contracts are stored.
//
// # The tables
//
// [Migrate] creates them from the SQL files in migrations/: terms, each
// plan version's canonical document by digest; contracts, each one's id,
// revision and document (and the document as created); and operations,
// every change stored, with the request's idempotency key, the revision it
// made, the operation as data and the answer it gave.
//
// # An invoice
//
//	db, _ := pgxpool.New(ctx, "")                 // PGHOST, PGUSER, ... as libpq reads them
//	_ = postgres.Migrate(ctx, db)
//	store := postgres.New(db, postgres.Retry{})    // safe for every request at once
//	store.AddTerms(ctx, terms)                     // once per plan version
//	store.Create(ctx, contract)                    // at the sale
//	out, err := store.Do(ctx, "REX-2026", "INV-1042", postgres.Commit(visit))
//
// [Store.Do] reads the contract and the key in one statement, answers a
// key stored already from the operations table, runs the [Op] with the
// library, and stores the new document with compare-and-swap on the
// revision and the key in the same statement. A lost race is retried on
// the new state, a bounded number of times with jittered backoff
// ([Retry]); a commit that records nothing new stores nothing.
//
// # What can go wrong
//
// A stored contract the library refuses (a document edited by hand,
// terms the table does not hold) is a [*ContractError] with its id; an
// operation the library refuses is a [*RefusedError]; losing every race is
// [ErrConflict]; a key used for another operation [ErrKeyReused]. In every
// case nothing was stored.
//
// [Store.Audit] replays a contract's log with the library alone and checks
// it gives the stored document byte for byte: what the tests hold after
// concurrent invoices and crashes.
package postgres
