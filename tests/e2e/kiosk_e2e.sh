#!/usr/bin/env bash
# End-to-end journeys with the real kiosk binary, headless (SDL offscreen + Mesa llvmpipe), on a
# real demo database; results are checked in the database itself and in the screenshots.
# usage: kiosk_e2e.sh SHOWROOM_CLI SHOWROOM_KIOSK SCRIPTS_DIR
set -euo pipefail
cli=$1 kiosk=$2 scripts=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
check() { # description, command...
    local what=$1; shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
sql() { sqlite3 "$work/store.db" "$1"; }
png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }

"$cli" --db "$work/store.db" demo seed --vehicles 120 --seed 11 > /dev/null
before_customers=$(sql "SELECT count(*) FROM customers WHERE source = 'kiosk'")

# 1. Browse, filter, detail, estimate, book a test drive: the lead lands in the database.
check "book a test drive journey passes" \
    "$kiosk" --headless --db "$work/store.db" --script "$scripts/book_test_drive.script" --screenshots "$work/shots"
check "the customer is stored with consent" \
    test "$(sql "SELECT count(*) FROM customers WHERE email = 'jane@example.com' AND consent_contact = 1 AND source = 'kiosk'")" = 1
check "a kiosk lead for an SUV is open" \
    test "$(sql "SELECT count(*) FROM leads l JOIN customers c ON c.id = l.customer_id JOIN vehicles v ON v.id = l.vehicle_id WHERE c.email = 'jane@example.com' AND l.source = 'kiosk' AND l.stage = 'inquiry' AND v.body = 'suv'")" = 1
check "a follow-up is scheduled for the salespeople" \
    test "$(sql "SELECT count(*) FROM follow_ups f JOIN leads l ON l.id = f.lead_id JOIN customers c ON c.id = l.customer_id WHERE c.email = 'jane@example.com' AND f.done_at IS NULL")" = 1
check "the phone number tapped on the keypad is stored" \
    test "$(sql "SELECT phone_key FROM customers WHERE email = 'jane@example.com'")" = 5550102000
check "the car came from the search typed on the on-screen keyboard" \
    test "$(sql "SELECT v.make FROM leads l JOIN customers c ON c.id = l.customer_id JOIN vehicles v ON v.id = l.vehicle_id WHERE c.email = 'jane@example.com'")" = Toyota
for shot in attract browse keyboard detail booked; do
    check "screenshot $shot.png is a PNG" png "$work/shots/$shot.png"
done

# 2. Idle timeout wipes the half-typed form and stores nothing.
check "idle reset journey passes" \
    "$kiosk" --headless --db "$work/store.db" --idle-timeout 12000 --script "$scripts/idle_reset.script" --screenshots "$work/shots"
check "nothing from the abandoned form was stored" \
    test "$(sql "SELECT count(*) FROM customers WHERE first_name = 'Half'")" = 0

# 3. The same journey in Chinese.
check "Chinese journey passes" \
    "$kiosk" --headless --db "$work/store.db" --script "$scripts/chinese.script" --screenshots "$work/shots"
check "the Chinese customer is stored" test "$(sql "SELECT count(*) FROM customers WHERE first_name = '王芳'")" = 1
check "Chinese screenshots were written" png "$work/shots/browse_zh.png"

# 3a. Available at another showroom: the demo's network stock (two showrooms known through HQ).
network_before=$(sql "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM leads) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM network_vehicles)")
check "network stock journey passes (strip under local results, the only Rivians elsewhere, ask to bring one here)" \
    "$kiosk" --headless --db "$work/store.db" --script "$scripts/network_stock.script" --screenshots "$work/shots"
check "asking for another showroom's car stored and sent nothing" \
    test "$(sql "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM leads) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM network_vehicles)")" = "$network_before"
for shot in network_strip network_main network_detail network_detail_zh; do
    check "screenshot $shot.png is a PNG" png "$work/shots/$shot.png"
done

# 4. Staff: a wrong PIN is refused, the right one signs in, a scanned VIN is checked in once.
check "staff check-in journey passes" \
    "$kiosk" --headless --db "$work/store.db" --script "$scripts/staff_checkin.script" --screenshots "$work/shots"
check "the scanned vehicle is stored with what the porter typed" \
    test "$(sql "SELECT model || '|' || price_cents || '|' || lot_location FROM vehicles WHERE vin = '1M8GDM9AXKP042788'")" = "D4500|4500000|B-7"
check "it was checked in once, by the signed-in staff member" \
    test "$(sql "SELECT count(*) FROM audit_log a JOIN staff s ON s.id = a.actor WHERE a.action = 'vehicle.checked_in' AND s.name = 'Pat Admin'")" = 1
check "the deal is signed on that car, which is now sold" \
    test "$(sql "SELECT d.status || '|' || d.term_months || '|' || v.status FROM deals d JOIN vehicles v ON v.id = d.vehicle_id WHERE v.vin = '1M8GDM9AXKP042788'")" = "signed|48|sold"
deal_id=$(sql "SELECT d.id FROM deals d JOIN vehicles v ON v.id = d.vehicle_id WHERE v.vin = '1M8GDM9AXKP042788'")
deal_no=$(sql "SELECT deal_no FROM deals WHERE id = '$deal_id'")
sigfile=$(sql "SELECT png_path FROM deal_signatures WHERE deal_id = '$deal_id' AND role = 'buyer'")
check "the signature image is stored as a PNG" png "$sigfile"
check "its SHA-256 is recorded with the deal" \
    test "$(sha256sum "$sigfile" | cut -d' ' -f1)" = "$(sql "SELECT png_sha256 FROM deal_signatures WHERE deal_id = '$deal_id'")"
contract=$(sql "SELECT contract_path FROM deals WHERE id = '$deal_id'")
check "the signed contract is stored beside the database" test -f "$work/contracts/$deal_no.pdf" -a "$contract" = "$work/contracts/$deal_no.pdf"
check "the contract's SHA-256 is on the deal" \
    test "$(sha256sum "$contract" | cut -d' ' -f1)" = "$(sql "SELECT contract_sha256 FROM deals WHERE id = '$deal_id'")"
check "the contract is a valid PDF (qpdf --check)" qpdf --check "$contract"
check "the contract names the deal and the buyer (pdftotext)" \
    sh -c "pdftotext '$contract' - 2>/dev/null | grep -q '$deal_no' && pdftotext '$contract' - 2>/dev/null | grep -q 'Jane Sample'"
check "the contract went to the virtual printer once" test "$(ls "$work/spool" | grep -c '^job-.*\.pdf$')" = 1
check "and the job is that contract, byte for byte" cmp "$contract" "$work/spool/$(ls "$work/spool" | grep '^job-' | head -1)"
check "the wrong PIN is in the audit log" \
    test "$(sql "SELECT count(*) FROM audit_log WHERE action = 'staff.pin_refused'")" -ge 1

# 4a. A cash deposit's receipt on a network receipt printer (the virtual one, over TCP) that is out
#     of paper: the kiosk shows the receipt waiting; paper goes in the moment the job waits, and the
#     receipt prints once, as an original.
mkfifo "$work/printer.in"
"$cli" printer virtual --listen 127.0.0.1:0 --out "$work/receipts" --paper-out < "$work/printer.in" > "$work/printer.log" 2>&1 &
printer_pid=$!
exec 7> "$work/printer.in"
port=""
for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on tcp:127.0.0.1:\([0-9]*\).*/\1/p' "$work/printer.log")
    [ -n "$port" ] && break
    sleep 0.05
done
vin=$(sql "SELECT vin FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value FROM settings WHERE key = 'local_store_id') ORDER BY vin LIMIT 1")
sed "s/@VIN@/$vin/g" "$scripts/receipt_payment.script" > "$work/receipt_payment.script"
( for _ in $(seq 300); do
      if [ "$(sqlite3 "$work/store.db" "SELECT count(*) FROM print_jobs WHERE waiting_for = 'paper_out'" 2>/dev/null)" = 1 ]; then
          echo "paper in" >&7
          break
      fi
      sleep 0.1
  done ) &
watcher=$!
check "the receipt journey passes: it waits for paper, then prints (--receipt-printer tcp:)" \
    "$kiosk" --headless --db "$work/store.db" --receipt-printer "tcp:127.0.0.1:$port" \
    --script "$work/receipt_payment.script" --screenshots "$work/shots"
wait "$watcher" || true
echo quit >&7
exec 7>&-
for _ in $(seq 50); do kill -0 "$printer_pid" 2>/dev/null || break; sleep 0.1; done
kill "$printer_pid" 2>/dev/null || true
wait "$printer_pid" || true
receipt_no=$(sql "SELECT r.receipt_no FROM receipts r JOIN payments p ON p.id = r.payment_id JOIN deals d ON d.id = p.deal_id JOIN vehicles v ON v.id = d.vehicle_id WHERE v.vin = '$vin'")
check "the deposit is recorded: \$500 in cash, with its receipt number" \
    test "$(sql "SELECT p.amount_cents || '|' || p.method FROM payments p JOIN receipts r ON r.payment_id = p.id WHERE r.receipt_no = '$receipt_no'")" = "50000|cash"
check "the print job was stored, printed once, not as a copy" \
    test "$(sql "SELECT state || '|' || attempts || '|' || printed_as_copy FROM print_jobs WHERE reference = '$receipt_no'")" = "printed|1|0"
check "the printer printed exactly one receipt" test "$(ls "$work/receipts" | grep -c '^receipt-.*\.txt$')" = 1
check "it is the deposit receipt of that payment, an original" \
    sh -c "grep -q 'DEPOSIT RECEIPT' '$work/receipts/receipt-001.txt' && grep -q '$receipt_no' '$work/receipts/receipt-001.txt' && ! grep -q 'COPY' '$work/receipts/receipt-001.txt'"
check "the cash drawer opened for the cash payment" grep -q "drawer opened" "$work/printer.log"
check "the waiting and printed payment screens were captured" png "$work/shots/payment_waiting.png"

# 4a'. A kiosk configured for headquarters syncs its store in the background (a real showroom-hq on
#      loopback, plain HTTP as in development).
hq=$(dirname "$cli")/../sync/showroom-hq
token=$("$hq" store add "E2E Showroom" --code E2E --db "sqlite:$work/hq.db" | tail -1)
"$hq" serve --db "sqlite:$work/hq.db" --listen 127.0.0.1:0 --insecure > "$work/hq.log" 2>&1 &
hq_pid=$!
hq_url=""
for _ in $(seq 100); do
    hq_url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/hq.log")
    [ -n "$hq_url" ] && break
    sleep 0.05
done
"$cli" --db "$work/store.db" sync configure --hq "$hq_url" --token "$token" --insecure > /dev/null
check "the kiosk syncs with headquarters in the background and says so on its status screen" \
    "$kiosk" --headless --db "$work/store.db" --script "$scripts/sync_status.script" --screenshots "$work/shots"
check "every event reached headquarters: none left in the store's queue" \
    test "$("$cli" --db "$work/store.db" --json sync status | python3 -c 'import json,sys; print(json.load(sys.stdin)["queued"])')" = 0
check "headquarters has each of them once" \
    test "$("$hq" stats --db "sqlite:$work/hq.db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["events"])')" = "$(sql "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")"
kill "$hq_pid" 2>/dev/null || true
wait "$hq_pid" || true
"$cli" --db "$work/store.db" sync configure --hq "" --token "" > /dev/null 2>&1 || sql "DELETE FROM settings WHERE key LIKE 'hq_%'"

# 4a''. HQ flagged the receipt journey's deal (its car was sold at DTN first), stored as the sync client
#       stores it before the kiosk starts: a salesperson sees the banner on the desk and is asked twice
#       before signing; a manager resolves it with a note, and the deal is kept.
flag_deal=$(sql "SELECT d.id FROM deals d JOIN vehicles v ON v.id = d.vehicle_id WHERE v.vin = '$vin'")
flag_no=$(sql "SELECT deal_no FROM deals WHERE id = '$flag_deal'")
sql "INSERT INTO sync_conflicts(id, kind, vin, deal_id, deal_no, other_store, message, received_at) VALUES ('e2e-sold-1', 'vehicle_sold_elsewhere', '$vin', '$flag_deal', '$flag_no', 'DTN', 'this car was sold at DTN first — cancel the deal or move the customer to another car.', '2026-11-01T09:30:00Z')"
sales=$(sql "SELECT name FROM staff WHERE role = 'sales' AND active = 1 AND store_id = (SELECT value FROM settings WHERE key = 'local_store_id') ORDER BY name LIMIT 1")
sed -e "s/@SALES@/$sales/g" -e "s/@DEAL_NO@/$flag_no/g" "$scripts/conflict_flag.script" > "$work/conflict_flag.script"
check "a deal HQ flagged shows HQ's message on the desk, asks twice before signing, and a manager resolves it" \
    "$kiosk" --headless --db "$work/store.db" --script "$work/conflict_flag.script" --screenshots "$work/shots"
check "the conflict is resolved with the manager's note" \
    test "$(sql "SELECT resolution_note FROM sync_conflicts WHERE id = 'e2e-sold-1' AND resolved_at IS NOT NULL")" = "Customer moved to another car"
check "HQ will be told: one store.conflict_resolved event, by Pat Admin, waits in the queue" \
    test "$(sql "SELECT count(*) FROM outbox WHERE type = 'store.conflict_resolved' AND entity_id = 'e2e-sold-1' AND sent_at IS NULL")|$(sql "SELECT s.name FROM audit_log a JOIN staff s ON s.id = a.actor WHERE a.action = 'store.conflict_resolved'")" = "1|Pat Admin"
check "the flagged deal was kept as it was: a draft with its deposit, the car still on hold" \
    test "$(sql "SELECT d.status || '|' || v.status || '|' || (SELECT sum(amount_cents) FROM payments WHERE deal_id = d.id) FROM deals d JOIN vehicles v ON v.id = d.vehicle_id WHERE d.id = '$flag_deal'")" = "draft|on_hold|50000"
for shot in conflict_desk conflict_sign_confirm conflict_status conflict_resolve conflict_resolved; do
    check "screenshot $shot.png is a PNG" png "$work/shots/$shot.png"
done

# 4a'''. The manager's dashboard: a salesperson is not offered it, the manager opens it from the staff
#        home, changes the period and taps a bar; the figures match the store counted here; English and
#        Chinese screenshots.
manager=$(sql "SELECT name FROM staff WHERE role = 'manager' AND active = 1 AND store_id = (SELECT value FROM settings WHERE key = 'local_store_id') ORDER BY name LIMIT 1")
python3 "$(dirname "$0")/dashboard_values.py" "$work/store.db" > "$work/dashboard_values.sed"
sed -f "$work/dashboard_values.sed" -e "s/@SALES@/$sales/g" -e "s/@MANAGER@/$manager/g" "$scripts/dashboard.script" \
    > "$work/dashboard.script"
check "the dashboard journey passes: managers only, KPI figures as counted in the store, period change, a tapped bar" \
    "$kiosk" --headless --db "$work/store.db" --script "$work/dashboard.script" --screenshots "$work/shots"
for shot in dashboard_home_sales dashboard_home_manager dashboard_this_month dashboard_last_3_months \
            dashboard_year_to_date dashboard_zh; do
    check "screenshot $shot.png is a PNG" png "$work/shots/$shot.png"
done

# 4b. Photos from a configured folder (two per car, plus a corrupt file that must not matter).
sql "SELECT vin FROM vehicles WHERE store_id = (SELECT value FROM settings WHERE key = 'local_store_id') AND status IN ('in_stock', 'on_hold')" \
    | python3 "$(dirname "$0")/make_photos.py" "$work/photos"
check "the photo journey passes (decoded off-thread, shown, gallery)" \
    "$kiosk" --headless --db "$work/store.db" --photos "$work/photos" --script "$scripts/photos.script" --screenshots "$work/shots"
check "the detail screenshot with a photo was written" png "$work/shots/detail_photo.png"

# 4c. A portrait kiosk runs the same journey, re-flowed.
check "the portrait journey passes at 1080x1920" \
    "$kiosk" --headless --db "$work/store.db" --width 1080 --height 1920 --script "$scripts/portrait.script" --screenshots "$work/shots"
check "portrait screenshots are 1080 wide and 1920 tall" \
    test "$(od -An -tu1 -j16 -N8 "$work/shots/portrait_browse.png" | tr -s ' ' | sed 's/^ //')" = "0 0 4 56 0 0 7 128"

# 4d. Scanners other than the wedge: the virtual one posts from its own thread, as USB and serial do.
check "a scanned licence fills the test-drive form and is refused at check-in (--scanner virtual)" \
    "$kiosk" --headless --db "$work/store.db" --scanner virtual --script "$scripts/licence_scan.script" --screenshots "$work/shots"
check "the lead says the licence was checked, with only its last four characters" \
    test "$(sql "SELECT count(*) FROM lead_activities WHERE body LIKE '%licence checked%ending 5789%'")" = 1 \
         -a "$(sql "SELECT count(*) FROM lead_activities WHERE body LIKE '%T64235789%'")" = 0
check "a dealer that asks for 40-year-old drivers refuses the 36-year-old's licence" \
    "$kiosk" --headless --db "$work/store.db" --scanner virtual --test-drive-min-age 40 --script "$scripts/licence_age.script"
set +e
"$kiosk" --headless --db "$work/store.db" --scanner bluetooth:00:11 > "$work/bad_scanner.log" 2>&1
status=$?
set -e
check "an unknown --scanner is refused with exit 2 and the schemes that work" \
    sh -c "test $status = 2 && grep -q 'serial:' '$work/bad_scanner.log'"

# 4e. Without a script, --headless runs the kiosk until SIGTERM, sleeping while idle, then exits 0.
"$kiosk" --headless --db "$work/store.db" > "$work/headless.log" 2>&1 &
kiosk_pid=$!
sleep 3
ticks_before=$(awk '{print $14 + $15}' "/proc/$kiosk_pid/stat")
sleep 3
ticks_after=$(awk '{print $14 + $15}' "/proc/$kiosk_pid/stat")
kill -TERM "$kiosk_pid"
status=0
for _ in $(seq 50); do kill -0 "$kiosk_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$kiosk_pid" 2>/dev/null; then kill -KILL "$kiosk_pid"; status=124; else wait "$kiosk_pid" || status=$?; fi
check "a headless kiosk ends cleanly (exit 0) on SIGTERM, within 5 s" test "$status" = 0
# The attract loop cross-fades every 7 s (a few software-rendered frames); between them it sleeps.
check "an idle headless kiosk uses well under one core in 3 s (clock ticks: $((ticks_after - ticks_before)))" \
    test $((ticks_after - ticks_before)) -lt 150

# 5. A script that taps a widget that is not there fails clearly.
set +e
out=$("$kiosk" --headless --db "$work/store.db" --script "$scripts/unknown_widget.script" 2>&1)
code=$?
set -e
check "an unknown widget ends the run with a non-zero exit" test "$code" -ne 0
check "and names the widget and the line" grep -q "line 2: no widget 'no.such.button'" <<< "$out"

after_customers=$(sql "SELECT count(*) FROM customers WHERE source = 'kiosk'")
# Jane (book a test drive), 王芳 (Chinese) and the licence holder (4d); every other journey adds none.
check "exactly three kiosk customers were added" test "$((after_customers - before_customers))" -eq 3


echo "kiosk e2e: $fails failed"
exit $((fails > 0))
