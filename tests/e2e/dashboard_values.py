#!/usr/bin/env python3
# Figures the dashboard must show, counted straight from the store (UTC days, as the reports count, and
# the store's own showroom only: the demo database keeps its group's history), printed as a sed script
# that fills the dashboard script's @NAME@ placeholders.
# usage: dashboard_values.py STORE_DB
import datetime as dt, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
today = dt.datetime.now(dt.timezone.utc).date()
month = today.replace(day=1)
def add_months(d, n):
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return d.replace(year=y, month=m + 1, day=1)
LOCAL = "(SELECT value FROM settings WHERE key = 'local_store_id')"
def units(a, b):
    return db.execute("SELECT count(*) FROM deals WHERE status IN ('signed', 'delivered') AND signed_at >= ? AND signed_at < ?"
                      f" AND store_id = {LOCAL}", (a.isoformat(), b.isoformat())).fetchone()[0]
tomorrow = today + dt.timedelta(days=1)
l3 = add_months(month, -3)
week = l3 + dt.timedelta(days=21)
y, w, _ = week.isocalendar()
monday = week - dt.timedelta(days=week.weekday())
values = {
    "UNITS_THIS_MONTH": units(month, tomorrow),
    "UNITS_LAST_MONTH": units(add_months(month, -1), month),
    "UNITS_LAST_3": units(l3, month),
    "LEADS_LAST_3": db.execute(f"SELECT count(*) FROM leads WHERE created_at >= ? AND created_at < ? AND store_id = {LOCAL}",
                               (l3.isoformat(), month.isoformat())).fetchone()[0],
    "OVERDUE": db.execute("SELECT count(*) FROM follow_ups f JOIN leads l ON l.id = f.lead_id "
                          f"WHERE f.done_at IS NULL AND f.due_at < ? AND l.store_id = {LOCAL}",
                          (today.isoformat(),)).fetchone()[0],
    "WEEK_3": f"{y}-W{w:02d} {units(max(monday, l3), min(monday + dt.timedelta(days=7), month))}",
}
for k, v in values.items():
    print(f"s/@{k}@/{v}/g")
