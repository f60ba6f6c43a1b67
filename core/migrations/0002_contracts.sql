-- 0002: what a contract needs beyond the deal's figures.
--  - the dealer's postal address and phone for the contract header;
--  - the signatures captured on the pad, one row per signer, with the image's digest;
--  - where the rendered contract was stored (its SHA-256 is deals.contract_sha256).

ALTER TABLE stores ADD COLUMN street      TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN state       TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN phone       TEXT NOT NULL DEFAULT '';

CREATE TABLE deal_signatures (
    id          TEXT PRIMARY KEY,
    deal_id     TEXT NOT NULL REFERENCES deals(id),
    role        TEXT NOT NULL CHECK (role IN ('buyer', 'co_buyer', 'dealer')),
    signer_name TEXT NOT NULL,
    png_path    TEXT NOT NULL,
    png_sha256  TEXT NOT NULL CHECK (length(png_sha256) = 64),
    signed_at   TEXT NOT NULL,
    UNIQUE (deal_id, role)
);

ALTER TABLE deals ADD COLUMN contract_path TEXT;
