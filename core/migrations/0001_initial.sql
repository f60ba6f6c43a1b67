-- 0001: the dealership domain. Shipped migrations are never edited; add 0002_... instead.
-- Conventions: ids are UUID text; money is integer cents (*_cents); rates are parts per million
-- (*_ppm); timestamps are UTC ISO 8601 text ('2026-11-22T09:30:00Z'); dates are 'YYYY-MM-DD'.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE stores (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    city       TEXT NOT NULL DEFAULT '',
    region     TEXT NOT NULL DEFAULT '',
    timezone   TEXT NOT NULL DEFAULT 'UTC',
    created_at TEXT NOT NULL
);

CREATE TABLE staff (
    id                  TEXT PRIMARY KEY,
    store_id            TEXT NOT NULL REFERENCES stores(id),
    name                TEXT NOT NULL,
    email               TEXT UNIQUE,
    role                TEXT NOT NULL CHECK (role IN ('sales', 'manager', 'finance', 'porter', 'admin')),
    pin_hash            TEXT,
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_pin_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until        TEXT,
    created_at          TEXT NOT NULL
);

CREATE TABLE vehicles (
    local_id        INTEGER PRIMARY KEY,   -- local integer key used by the full-text indexes
    id              TEXT NOT NULL UNIQUE,
    store_id        TEXT NOT NULL REFERENCES stores(id),
    vin             TEXT NOT NULL UNIQUE CHECK (length(vin) = 17),
    stock_no        TEXT NOT NULL UNIQUE,
    condition       TEXT NOT NULL CHECK (condition IN ('new', 'used', 'certified')),
    year            INTEGER NOT NULL CHECK (year BETWEEN 1980 AND 2100),
    make            TEXT NOT NULL,
    model           TEXT NOT NULL DEFAULT '',
    trim            TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    fuel            TEXT NOT NULL DEFAULT '',
    drivetrain      TEXT NOT NULL DEFAULT '',
    transmission    TEXT NOT NULL DEFAULT '',
    exterior_color  TEXT NOT NULL DEFAULT '',
    interior_color  TEXT NOT NULL DEFAULT '',
    odometer        INTEGER NOT NULL DEFAULT 0 CHECK (odometer >= 0),
    msrp_cents      INTEGER NOT NULL DEFAULT 0 CHECK (msrp_cents >= 0),
    price_cents     INTEGER NOT NULL CHECK (price_cents BETWEEN 0 AND 100000000000), -- search key needs < 2^39
    cost_cents      INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    features        TEXT NOT NULL DEFAULT '',  -- '; '-separated list, as printed on the window sticker
    photos          TEXT NOT NULL DEFAULT '',  -- '; '-separated file names relative to the photo folder
    lot_location    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('incoming', 'in_stock', 'on_hold', 'sold', 'delivered',
                                                    'transferred')),
    received_at     TEXT NOT NULL,             -- when it entered stock: the start of inventory aging
    status_changed_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX vehicles_price ON vehicles(price_cents);
-- The kiosk's browse path: stock in price order, with the common filters in the index itself so
-- filtering and counting never touch the (wide) vehicle rows.
CREATE INDEX vehicles_browse ON vehicles(status, price_cents, body, fuel, condition, make, year, store_id);
CREATE INDEX vehicles_make_model ON vehicles(make, model);
CREATE INDEX vehicles_year ON vehicles(year);
-- The same for one showroom's own stock (a kiosk shows its showroom's cars).
CREATE INDEX vehicles_store_browse ON vehicles(store_id, status, price_cents, body, fuel, condition, make, year);

-- Words a customer types: make, model, trim, body, fuel, drivetrain, colours, features. Prefix
-- indexes (2..8 characters) make "pano" find "Panoramic roof" without merging doclists.
-- The rowid is a search key, (price_cents << 24) | local_id, not the vehicle's key: FTS5 keeps
-- every doclist in rowid order, so "matches of 'blue' by price" is read in order and stops after
-- one page instead of sorting every match. Contentless: the triggers below keep it in step.
CREATE VIRTUAL TABLE vehicle_words USING fts5(
    make, model, trim, body, fuel, drivetrain, exterior_color, interior_color, features,
    content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6 7 8'
);
-- Codes a porter types: any fragment (>= 3 characters) of a VIN or stock number.
CREATE VIRTUAL TABLE vehicle_codes USING fts5(
    vin, stock_no, content='vehicles', content_rowid='local_id', tokenize='trigram'
);

CREATE TRIGGER vehicles_fts_insert AFTER INSERT ON vehicles BEGIN
    INSERT INTO vehicle_words(rowid, make, model, trim, body, fuel, drivetrain, exterior_color, interior_color,
                              features)
    VALUES ((new.price_cents << 24) | new.local_id, new.make, new.model, new.trim, new.body, new.fuel,
            new.drivetrain, new.exterior_color, new.interior_color, new.features);
    INSERT INTO vehicle_codes(rowid, vin, stock_no) VALUES (new.local_id, new.vin, new.stock_no);
END;
CREATE TRIGGER vehicles_fts_delete AFTER DELETE ON vehicles BEGIN
    INSERT INTO vehicle_words(vehicle_words, rowid, make, model, trim, body, fuel, drivetrain, exterior_color,
                              interior_color, features)
    VALUES ('delete', (old.price_cents << 24) | old.local_id, old.make, old.model, old.trim, old.body, old.fuel,
            old.drivetrain, old.exterior_color, old.interior_color, old.features);
    INSERT INTO vehicle_codes(vehicle_codes, rowid, vin, stock_no) VALUES ('delete', old.local_id, old.vin, old.stock_no);
END;
CREATE TRIGGER vehicles_fts_update AFTER UPDATE OF make, model, trim, body, fuel, drivetrain, exterior_color,
                                                   interior_color, features, price_cents, vin, stock_no
ON vehicles BEGIN
    INSERT INTO vehicle_words(vehicle_words, rowid, make, model, trim, body, fuel, drivetrain, exterior_color,
                              interior_color, features)
    VALUES ('delete', (old.price_cents << 24) | old.local_id, old.make, old.model, old.trim, old.body, old.fuel,
            old.drivetrain, old.exterior_color, old.interior_color, old.features);
    INSERT INTO vehicle_words(rowid, make, model, trim, body, fuel, drivetrain, exterior_color, interior_color,
                              features)
    VALUES ((new.price_cents << 24) | new.local_id, new.make, new.model, new.trim, new.body, new.fuel,
            new.drivetrain, new.exterior_color, new.interior_color, new.features);
    INSERT INTO vehicle_codes(vehicle_codes, rowid, vin, stock_no) VALUES ('delete', old.local_id, old.vin, old.stock_no);
    INSERT INTO vehicle_codes(rowid, vin, stock_no) VALUES (new.local_id, new.vin, new.stock_no);
END;

CREATE TABLE customers (
    id                TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL REFERENCES stores(id),
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    phone             TEXT NOT NULL DEFAULT '',
    phone_key         TEXT NOT NULL DEFAULT '',  -- digits only, for matching the same person
    email             TEXT NOT NULL DEFAULT '',  -- stored lower-case
    street            TEXT NOT NULL DEFAULT '',
    city              TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL DEFAULT '',
    postal_code       TEXT NOT NULL DEFAULT '',
    consent_contact   INTEGER NOT NULL DEFAULT 0 CHECK (consent_contact IN (0, 1)),
    consent_marketing INTEGER NOT NULL DEFAULT 0 CHECK (consent_marketing IN (0, 1)),
    consent_at        TEXT,
    source            TEXT NOT NULL DEFAULT 'walk_in',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX customers_name ON customers(last_name, first_name);
CREATE INDEX customers_phone_key ON customers(store_id, phone_key);
CREATE INDEX customers_email ON customers(store_id, email);

CREATE TABLE leads (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id),
    customer_id      TEXT NOT NULL REFERENCES customers(id),
    vehicle_id       TEXT REFERENCES vehicles(id),
    salesperson_id   TEXT REFERENCES staff(id),
    stage            TEXT NOT NULL CHECK (stage IN ('inquiry', 'visit', 'test_drive', 'quote', 'contract', 'delivered',
                                                    'follow_up', 'lost')),
    source           TEXT NOT NULL DEFAULT 'walk_in',
    lost_reason      TEXT,
    stage_changed_at TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX leads_stage ON leads(stage);
CREATE INDEX leads_customer ON leads(customer_id);

-- Every stage a lead passed through, for the funnel and days-per-stage reports.
CREATE TABLE lead_stage_history (
    id         INTEGER PRIMARY KEY,
    lead_id    TEXT NOT NULL REFERENCES leads(id),
    from_stage TEXT,
    to_stage   TEXT NOT NULL,
    staff_id   TEXT REFERENCES staff(id),
    at         TEXT NOT NULL
);
CREATE INDEX lead_stage_history_lead ON lead_stage_history(lead_id, at);

CREATE TABLE lead_activities (
    id         TEXT PRIMARY KEY,
    lead_id    TEXT NOT NULL REFERENCES leads(id),
    kind       TEXT NOT NULL CHECK (kind IN ('note', 'call', 'email', 'sms', 'visit', 'test_drive', 'quote')),
    body       TEXT NOT NULL DEFAULT '',
    staff_id   TEXT REFERENCES staff(id),
    created_at TEXT NOT NULL
);
CREATE INDEX lead_activities_lead ON lead_activities(lead_id, created_at);

CREATE TABLE follow_ups (
    id          TEXT PRIMARY KEY,
    lead_id     TEXT NOT NULL REFERENCES leads(id),
    assigned_to TEXT REFERENCES staff(id),
    due_at      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    done_at     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups(done_at, due_at);

CREATE TABLE test_drives (
    id               TEXT PRIMARY KEY,
    lead_id          TEXT REFERENCES leads(id),
    customer_id      TEXT NOT NULL REFERENCES customers(id),
    vehicle_id       TEXT NOT NULL REFERENCES vehicles(id),
    staff_id         TEXT REFERENCES staff(id),
    licence_checked  INTEGER NOT NULL DEFAULT 0 CHECK (licence_checked IN (0, 1)),
    licence_last4    TEXT NOT NULL DEFAULT '',  -- never the whole number
    licence_expiry   TEXT,
    out_at           TEXT NOT NULL,
    in_at            TEXT,
    odometer_out     INTEGER NOT NULL CHECK (odometer_out >= 0),
    odometer_in      INTEGER CHECK (odometer_in IS NULL OR odometer_in >= odometer_out),
    created_at       TEXT NOT NULL
);
CREATE INDEX test_drives_vehicle ON test_drives(vehicle_id, in_at);

CREATE TABLE deals (
    id                       TEXT PRIMARY KEY,
    deal_no                  TEXT NOT NULL UNIQUE,
    store_id                 TEXT NOT NULL REFERENCES stores(id),
    customer_id              TEXT NOT NULL REFERENCES customers(id),
    vehicle_id               TEXT NOT NULL REFERENCES vehicles(id),
    lead_id                  TEXT REFERENCES leads(id),
    salesperson_id           TEXT REFERENCES staff(id),
    status                   TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'delivered', 'cancelled')),
    kind                     TEXT NOT NULL CHECK (kind IN ('cash', 'finance')),
    price_cents              INTEGER NOT NULL,
    discount_cents           INTEGER NOT NULL DEFAULT 0,
    addons_cents             INTEGER NOT NULL DEFAULT 0,
    addons_taxable_cents     INTEGER NOT NULL DEFAULT 0,  -- the taxable part of addons_cents
    trade_in_allowance_cents INTEGER NOT NULL DEFAULT 0,
    trade_in_payoff_cents    INTEGER NOT NULL DEFAULT 0,
    doc_fee_cents            INTEGER NOT NULL DEFAULT 0,
    title_fee_cents          INTEGER NOT NULL DEFAULT 0,
    sales_tax_cents          INTEGER NOT NULL DEFAULT 0,
    tax_rate_ppm             INTEGER NOT NULL DEFAULT 0,
    tax_net_of_trade         INTEGER NOT NULL DEFAULT 1 CHECK (tax_net_of_trade IN (0, 1)),
    doc_fee_taxable          INTEGER NOT NULL DEFAULT 0 CHECK (doc_fee_taxable IN (0, 1)),
    title_fee_taxable        INTEGER NOT NULL DEFAULT 0 CHECK (title_fee_taxable IN (0, 1)),
    cash_down_cents          INTEGER NOT NULL DEFAULT 0,
    amount_financed_cents    INTEGER NOT NULL DEFAULT 0,
    apr_ppm                  INTEGER NOT NULL DEFAULT 0,   -- the contract (note) rate; the disclosed APR is derived
    term_months              INTEGER NOT NULL DEFAULT 0,
    monthly_payment_cents    INTEGER NOT NULL DEFAULT 0,
    finance_charge_cents     INTEGER NOT NULL DEFAULT 0,
    total_sale_price_cents   INTEGER NOT NULL DEFAULT 0,
    backend_gross_cents      INTEGER NOT NULL DEFAULT 0,  -- finance reserve and add-on income
    contract_sha256          TEXT,
    created_at               TEXT NOT NULL,
    signed_at                TEXT,
    delivered_at             TEXT,
    cancelled_at             TEXT,
    cancel_reason            TEXT
);
CREATE INDEX deals_status ON deals(status, created_at);
CREATE INDEX deals_vehicle ON deals(vehicle_id);
-- One live deal per vehicle: a car is never sold twice at the same store.
CREATE UNIQUE INDEX deals_one_live_per_vehicle ON deals(vehicle_id) WHERE status <> 'cancelled';

CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    deal_id      TEXT NOT NULL REFERENCES deals(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'check', 'wire', 'financing')),
    reference    TEXT NOT NULL DEFAULT '',
    received_at  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX payments_deal ON payments(deal_id);

-- Append-only: the triggers below refuse any UPDATE or DELETE.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    details   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Changes headquarters must learn about, written in the same transaction as the change.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox(seq) WHERE sent_at IS NULL;
