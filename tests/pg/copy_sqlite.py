#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Copies the rows of a Kerbside SQLite database into a PostgreSQL database whose
schema the server has already created (kerbside-server serve or apikey list on
it once): the tests use it to put the very same data in both stores.

    copy_sqlite.py SQLITE_FILE POSTGRES_URI

Only the columns both schemas have are copied; generated columns are left to
PostgreSQL. Runs as one transaction through psql; identity sequences are moved
past the highest id afterwards.
"""

import csv
import io
import sqlite3
import subprocess
import sys

SKIP_TABLES = {"schema_migrations", "sqlite_sequence"}


def psql(uri, sql, stdin=None):
    res = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", uri],
                         input=(sql if stdin is None else stdin), capture_output=True,
                         text=True, timeout=600)
    if res.returncode != 0:
        raise SystemExit("psql failed: %s" % res.stderr.strip())
    return [line.split("\t") for line in res.stdout.splitlines() if line]


def pg_columns(uri):
    """{table: [column, ...]} of the public schema, without generated columns."""
    rows = psql(uri, "SELECT table_name, column_name FROM information_schema.columns "
                     "WHERE table_schema = 'public' AND is_generated = 'NEVER' "
                     "ORDER BY table_name, ordinal_position;")
    out = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    src, uri = argv[1], argv[2]
    db = sqlite3.connect("file:%s?mode=ro" % src, uri=True)
    pg = pg_columns(uri)
    script = io.StringIO()
    script.write("BEGIN;\nSET session_replication_role = replica;\n")
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
    for table in tables:
        if table in SKIP_TABLES or table not in pg or "_fts" in table:
            continue
        lite_cols = [r[1] for r in db.execute("PRAGMA table_info(%s)" % table)]
        cols = [c for c in lite_cols if c in pg[table]]
        script.write("DELETE FROM %s;\n" % table)
        script.write("COPY %s (%s) FROM STDIN WITH (FORMAT csv, NULL '\\N');\n"
                     % (table, ", ".join(cols)))
        w = csv.writer(script, lineterminator="\n")
        for row in db.execute("SELECT %s FROM %s" % (", ".join('"%s"' % c for c in cols), table)):
            w.writerow(["\\N" if v is None else v for v in row])
        script.write("\\.\n")
    # Identity columns continue after the highest id copied.
    script.write("""
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND is_identity = 'YES' LOOP
    -- An empty table's next id is 1, as SQLite's would be.
    EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), GREATEST((SELECT max(%I) FROM %I), 1), '
                   '(SELECT max(%I) FROM %I) IS NOT NULL)',
                   r.table_name, r.column_name, r.column_name, r.table_name,
                   r.column_name, r.table_name);
  END LOOP;
END $$;
COMMIT;
""")
    psql(uri, None, stdin=script.getvalue())


if __name__ == "__main__":
    main(sys.argv)
