-- 0004: sync with headquarters (the store's side).
--  - Every outbox event carries a hybrid logical clock stamp (core/hlc.hpp); events written before
--    this migration have none ('').
--  - An outbox event HQ refuses for good is quarantined with HQ's reason; the rest keep flowing.
--  - sync_state keeps the pull cursor, the last success and the last error.
--  - network_vehicles is the other showrooms' stock as HQ last told it ("available at another showroom").

ALTER TABLE outbox ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN quarantined_at TEXT;
ALTER TABLE outbox ADD COLUMN quarantine_reason TEXT;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox(seq) WHERE sent_at IS NULL AND quarantined_at IS NULL;

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE network_vehicles (
    store_code TEXT NOT NULL,
    vin        TEXT NOT NULL,
    data       TEXT NOT NULL,          -- the vehicle as HQ sent it (JSON)
    hq_seq     INTEGER NOT NULL,       -- HQ's change sequence that last wrote it
    PRIMARY KEY (store_code, vin)
);
