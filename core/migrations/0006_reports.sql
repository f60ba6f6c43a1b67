-- 0006: what the reports need beyond 0001..0005 (core/reports.hpp, core/analytics.hpp).
--  - vehicles.recon_cents: what was spent reconditioning the vehicle (inspection, repairs, detailing)
--    before it was offered. Front-end gross is selling price - discount - cost - reconditioning, and the
--    capital a vehicle ties up in stock is cost + reconditioning. 0 for every vehicle until someone
--    records it (no service writes it yet).
--  - indexes for the report queries: live deals by the time they were signed (the sales report's and the
--    forecast's rows) and by customer (the funnel's test-drive-to-sale rate, RFM), leads by the time they
--    were opened (the funnel's cohort), test drives by the time they went out.

ALTER TABLE vehicles ADD COLUMN recon_cents INTEGER NOT NULL DEFAULT 0 CHECK (recon_cents >= 0);

CREATE INDEX deals_signed ON deals(signed_at) WHERE signed_at IS NOT NULL AND status IN ('signed', 'delivered');
CREATE INDEX leads_created ON leads(created_at);
CREATE INDEX deals_customer_signed ON deals(customer_id, signed_at) WHERE status IN ('signed', 'delivered');
CREATE INDEX test_drives_out ON test_drives(out_at);
