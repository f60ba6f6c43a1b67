-- 0005: the network, as the store sees it (what HQ sends down, sync/protocol.hpp).
--  - sync_conflicts: a decision HQ made against this store that a person must act on ("vehicle_sold_elsewhere",
--    "transfer_refused"), and every change from HQ the store could not apply ("change_not_applied", with the
--    reason): one row each, open until resolved_at is set (by a person here, or by HQ). The rows the sync
--    client kept in sync_state under 'conflict:<id>' before this migration move here, still open.
--  - catalog_models: the network's catalog, one row per model line; check-in fills a new vehicle's
--    MSRP, body, fuel and drivetrain from it.
--  - staff.source: 'hq' for the accounts HQ manages (changed at HQ, not here), 'local' for the rest.
--  - network_vehicles gains the fields the kiosk searches (status, make, model, ..., price in cents) as
--    stored columns generated from data, so a search on every keystroke reads columns, not JSON
--    (core/network_stock.hpp). SQLite cannot add a stored column to an existing table: the table is
--    rebuilt under its name, rows copied.

CREATE TABLE sync_conflicts (
    id              TEXT PRIMARY KEY,            -- HQ's conflict id; "change:<seq>" for a change not applied
    kind            TEXT NOT NULL,
    vin             TEXT NOT NULL DEFAULT '',
    deal_id         TEXT NOT NULL DEFAULT '',
    deal_no         TEXT NOT NULL DEFAULT '',
    other_store     TEXT NOT NULL DEFAULT '',
    message         TEXT NOT NULL DEFAULT '',
    data            TEXT NOT NULL DEFAULT '{}',  -- what HQ sent (JSON)
    received_at     TEXT NOT NULL,
    resolved_at     TEXT,
    resolution_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sync_conflicts_open ON sync_conflicts(received_at) WHERE resolved_at IS NULL;
CREATE INDEX sync_conflicts_deal ON sync_conflicts(deal_id) WHERE resolved_at IS NULL;

-- sync_state values were written from JSON objects; the json_valid() guard keeps a damaged one from
-- failing the migration (it moves with empty fields and its text as data).
INSERT INTO sync_conflicts(id, kind, vin, deal_id, deal_no, other_store, message, data, received_at)
SELECT substr(key, length('conflict:') + 1),
       coalesce(CASE WHEN json_valid(value) THEN CAST(json_extract(value, '$.kind') AS TEXT) END, 'unknown'),
       coalesce(CASE WHEN json_valid(value) THEN CAST(json_extract(value, '$.vin') AS TEXT) END, ''),
       coalesce(CASE WHEN json_valid(value) THEN CAST(json_extract(value, '$.deal_id') AS TEXT) END, ''),
       coalesce(CASE WHEN json_valid(value) THEN CAST(json_extract(value, '$.deal_no') AS TEXT) END, ''),
       coalesce(CASE WHEN json_valid(value) THEN CAST(json_extract(value, '$.other_store') AS TEXT) END, ''),
       coalesce(CASE WHEN json_valid(value) THEN CAST(json_extract(value, '$.message') AS TEXT) END, ''),
       CASE WHEN json_valid(value) THEN value ELSE json_object('text', value) END,
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM sync_state
WHERE key >= 'conflict:' AND key < 'conflict;';
DELETE FROM sync_state WHERE key >= 'conflict:' AND key < 'conflict;';

-- make, model and trim match case-insensitively: a porter types "rav4", the catalog says "RAV4".
CREATE TABLE catalog_models (
    year       INTEGER NOT NULL CHECK (year BETWEEN 1980 AND 2100),
    make       TEXT NOT NULL COLLATE NOCASE,
    model      TEXT NOT NULL COLLATE NOCASE,
    trim       TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    body       TEXT NOT NULL DEFAULT '',
    fuel       TEXT NOT NULL DEFAULT '',
    drivetrain TEXT NOT NULL DEFAULT '',
    msrp_cents INTEGER NOT NULL DEFAULT 0 CHECK (msrp_cents >= 0),
    features   TEXT NOT NULL DEFAULT '',   -- '; '-separated, as vehicles.features
    hq_seq     INTEGER NOT NULL DEFAULT 0, -- HQ's change sequence that last wrote it
    PRIMARY KEY (year, make, model, trim)
);

ALTER TABLE staff ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'hq'));

-- network_vehicles, rebuilt with its fields extracted once, when the sync client writes the row (it still
-- writes store_code, vin, data and hq_seq only; SQLite recomputes the rest on every INSERT and UPDATE).
-- HQ's data comes from outside, and json_extract() on text that is not JSON raises an error that would
-- fail the sync client's INSERT (or this copy): doc is data only when it is JSON text, else NULL, and
-- every field is read from doc through json_type(), which is NULL for NULL. A field of the wrong type
-- is NULL (trim, body, fuel and colour: ''); which rows are complete enough to offer is the query's
-- rule, not the table's.
-- price: cents, from a number or from a decimal string ("24990.00", "24990.5", "24990"), converted as
-- text so it is exact at any size: the digits with the point removed, cut two places after the point
-- (padded with "00"), plus one when the third decimal is 5 or more. Anything else ("call us", "1.2.3",
-- "-5", more than 16 characters) is NULL.
CREATE TABLE network_vehicles_new (
    store_code     TEXT NOT NULL,
    vin            TEXT NOT NULL,
    data           TEXT NOT NULL,          -- the vehicle as HQ sent it (JSON)
    hq_seq         INTEGER NOT NULL,       -- HQ's change sequence that last wrote it
    doc            TEXT GENERATED ALWAYS AS (CASE WHEN typeof(data) = 'text' AND json_valid(data) THEN data END)
                   VIRTUAL,
    status         TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.status') = 'text' THEN json_extract(doc, '$.status') END) STORED,
    store_name     TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.store_name') = 'text' THEN json_extract(doc, '$.store_name') END)
                   STORED,
    year           INTEGER GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.year') = 'integer' THEN json_extract(doc, '$.year') END) STORED,
    make           TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.make') = 'text' THEN json_extract(doc, '$.make') END) STORED,
    model          TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.model') = 'text' THEN json_extract(doc, '$.model') END) STORED,
    trim           TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.trim') = 'text' THEN json_extract(doc, '$.trim') ELSE '' END) STORED,
    body           TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.body') = 'text' THEN json_extract(doc, '$.body') ELSE '' END) STORED,
    fuel           TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.fuel') = 'text' THEN json_extract(doc, '$.fuel') ELSE '' END) STORED,
    condition      TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.condition') = 'text' THEN json_extract(doc, '$.condition') END)
                   STORED,
    odometer       INTEGER GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.odometer') = 'integer' THEN json_extract(doc, '$.odometer') END)
                   STORED,
    exterior_color TEXT GENERATED ALWAYS AS (
                       CASE WHEN json_type(doc, '$.exterior_color') = 'text' THEN json_extract(doc, '$.exterior_color')
                            ELSE '' END) STORED,
    price          INTEGER GENERATED ALWAYS AS (
                       CASE json_type(doc, '$.price')
                           WHEN 'integer' THEN json_extract(doc, '$.price') * 100
                           WHEN 'real' THEN CAST(round(json_extract(doc, '$.price') * 100) AS INTEGER)
                           WHEN 'text' THEN
                               CASE WHEN json_extract(doc, '$.price') GLOB '[0-9]*'
                                         AND json_extract(doc, '$.price') NOT GLOB '*[^0-9.]*'
                                         AND json_extract(doc, '$.price') NOT GLOB '*.*.*'
                                         AND length(json_extract(doc, '$.price')) <= 16
                                    THEN CAST(substr(replace(json_extract(doc, '$.price') || '.00', '.', ''), 1,
                                                     instr(json_extract(doc, '$.price') || '.', '.') + 1) AS INTEGER)
                                         + (substr(replace(json_extract(doc, '$.price') || '.00', '.', ''),
                                                   instr(json_extract(doc, '$.price') || '.', '.') + 2, 1) >= '5')
                               END
                       END) STORED,
    -- What a word of the kiosk's free text is looked for in (NULL when make, model or year is).
    search_text    TEXT GENERATED ALWAYS AS (
                       make || ' ' || model || ' ' || trim || ' ' || body || ' ' || fuel || ' ' || exterior_color
                       || ' ' || year) STORED,
    PRIMARY KEY (store_code, vin)
);
INSERT INTO network_vehicles_new(store_code, vin, data, hq_seq)
SELECT store_code, vin, data, hq_seq FROM network_vehicles;
DROP TABLE network_vehicles;
ALTER TABLE network_vehicles_new RENAME TO network_vehicles;
-- The kiosk's browse path: in stock, cheapest first (price, then VIN), a page at a time.
CREATE INDEX network_vehicles_offered ON network_vehicles(status, price, vin);
-- A VIN is where HQ wrote it last: the search looks for a later row of the same VIN, and the sync
-- client drops a VIN's rows at other showrooms, both by VIN.
CREATE INDEX network_vehicles_vin ON network_vehicles(vin, hq_seq, store_code);
