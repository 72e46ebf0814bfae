# DuckDB side of `citygov bench lake`: reads the Delta tables' Parquet files and runs the
# same SQL; input (JSON) on stdin, figures (JSON) on stdout.
import json
import statistics
import sys
import time

import duckdb

job = json.load(sys.stdin)
con = duckdb.connect(config={"temp_directory": job["scratch"]})


def files(paths):
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


con.execute(f"CREATE VIEW bench_dossier_events AS SELECT * FROM read_parquet({files(job['events'])})")
con.execute(f"CREATE VIEW bench_procedures AS SELECT * FROM read_parquet({files(job['procedures'])})")
out = []
for sql in job["queries"]:
    times = []
    rows = 0
    for i in range(job["runs"] + 1):
        t = time.perf_counter()
        result = con.execute(sql).fetchall()
        if i > 0:
            times.append((time.perf_counter() - t) * 1000.0)
        rows = len(result)
    out.append({"rows": rows, "median_ms": statistics.median(times)})
json.dump({"duckdb": duckdb.__version__, "threads": con.execute("SELECT current_setting('threads')").fetchall()[0][0], "queries": out}, sys.stdout)
