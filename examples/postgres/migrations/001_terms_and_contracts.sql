-- Terms documents, once per plan version, by digest: the canonical
-- document plan.Terms.MarshalJSON writes, whose SHA-256 the digest is.
-- The json type keeps the text exactly as written (jsonb would not).
CREATE TABLE terms (
    digest text PRIMARY KEY CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
    plan   text NOT NULL,
    doc    json NOT NULL
);

-- Contracts: the document healthplan.Contract.MarshalJSON writes, with its
-- revision beside it for compare-and-swap, and the document as it was
-- created, where the log of operations starts. The document names its
-- terms by digest; it is not a foreign key, because the library, not the
-- database, is the judge of a document.
CREATE TABLE contracts (
    id       text PRIMARY KEY,
    revision bigint NOT NULL CHECK (revision >= 0),
    doc      json NOT NULL,
    created  json NOT NULL
);
