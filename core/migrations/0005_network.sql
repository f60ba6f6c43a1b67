-- 0005: the network, as the store sees it (what HQ sends down, sync/protocol.hpp).
--  - sync_conflicts: a decision HQ made against this store that a person must act on ("vehicle_sold_elsewhere",
--    "transfer_refused"), and every change from HQ the store could not apply ("change_not_applied", with the
--    reason): one row each, open until resolved_at is set (by a person here, or by HQ). The rows the sync
--    client kept in sync_state under 'conflict:<id>' before this migration move here, still open.
--  - catalog_models: the network's catalog, one row per model line; check-in fills a new vehicle's
--    MSRP, body, fuel and drivetrain from it.
--  - staff.source: 'hq' for the accounts HQ manages (changed at HQ, not here), 'local' for the rest.

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
