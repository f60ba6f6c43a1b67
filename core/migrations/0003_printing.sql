-- 0003: receipts and the print queue.
--  - Every payment has a receipt number, given in the transaction that records the payment.
--  - Every print job is stored before a byte goes to the printer, with both its original bytes and
--    the same receipt marked "COPY / REPRINT" (sent whenever an earlier send may have printed).

CREATE TABLE receipts (
    payment_id TEXT PRIMARY KEY REFERENCES payments(id),
    receipt_no TEXT NOT NULL UNIQUE,
    deal_id    TEXT NOT NULL REFERENCES deals(id),
    issued_at  TEXT NOT NULL
);
CREATE INDEX receipts_deal ON receipts(deal_id, issued_at);

-- Payments taken before this migration get their numbers now, oldest first.
INSERT INTO receipts(payment_id, receipt_no, deal_id, issued_at)
SELECT id,
       'R' || substr(received_at, 1, 4) || '-' || printf('%06d', row_number() OVER (ORDER BY received_at, id)),
       deal_id, received_at
FROM payments;
INSERT OR REPLACE INTO settings(key, value) SELECT 'receipt_no_seq', CAST(count(*) AS TEXT) FROM payments;

CREATE TABLE print_jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('receipt', 'test')),
    reference       TEXT NOT NULL,
    printer         TEXT NOT NULL,
    deal_id         TEXT REFERENCES deals(id),
    payload         BLOB NOT NULL CHECK (length(payload) > 0),
    reprint_payload BLOB NOT NULL CHECK (length(reprint_payload) > 0),
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'printed', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    uncertain       INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),
    waiting_for     TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    printed_as_copy INTEGER NOT NULL DEFAULT 0 CHECK (printed_as_copy IN (0, 1)),
    sending_by      TEXT NOT NULL DEFAULT '',   -- host/pid/start time of the process sending it
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    printed_at      TEXT
);
CREATE INDEX print_jobs_pending ON print_jobs(printer, id) WHERE state IN ('queued', 'sending');
