-- Every change stored, written in the same statement as the contract it
-- changed: the request's idempotency key, the revision it made, the
-- operation as data and the answer it gave. A request re-sent with the
-- same key is answered from here and runs nothing; replaying the
-- operations in revision order on a fresh contract gives the stored
-- document again.
CREATE TABLE operations (
    contract_id text NOT NULL REFERENCES contracts (id),
    key         text NOT NULL CHECK (key <> ''),
    revision    bigint NOT NULL CHECK (revision > 0),
    op          json NOT NULL,
    response    json NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contract_id, key),
    UNIQUE (contract_id, revision)
);
