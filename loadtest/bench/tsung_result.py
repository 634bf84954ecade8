#!/usr/bin/env python3
"""Tsung as the benchmark's second, independent BOSH client (run-bench.sh, BENCH_CLIENT=tsung).

    tsung_result.py sample OUT.tsv NAME=PID...      # samples CPU and RSS each second until killed
    tsung_result.py result TSUNG_LOG_DIR OUT.tsv LABEL USERS WARMUP SECONDS > result.json

`sample` reads each process's CPU time (utime + stime) and resident memory from /proc, as the
load generator's --monitor does. `result` takes Tsung's own counts from tsung.log (a dump every
10 s: `stats: NAME <count in the interval> ...`): the steady window starts WARMUP seconds after
the dump that saw the last user arrive and spans about SECONDS; in it, the messages Tsung sent
(transaction tr_chat), the ones it received between its own requests (async_unknown_data_rcv,
which in this scenario are the chat messages delivered to it), and each process's CPU over the
same wall-clock interval. Users who end inside the window were ended by an error (every user
chats on past it): counted as usersEnded.
"""
import json
import os
import pathlib
import re
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def read_proc(pid):
    """(CPU seconds, RSS MB) of one process, or None once it is gone."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
        status = pathlib.Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    return cpu, rss


def sample(out, targets):
    procs = [t.split("=", 1) for t in targets]
    with open(out, "w", buffering=1) as f:
        while True:
            now = time.time()
            for name, pid in procs:
                got = read_proc(pid)
                if got:
                    f.write(f"{now:.3f}\t{name}\t{got[0]:.2f}\t{got[1]:.1f}\n")
            time.sleep(1.0 - (time.time() - now) % 1.0)


def tsung_dumps(log):
    """[(epoch seconds, {stat name: [fields...]})] from tsung.log, in order."""
    dumps = []
    for line in pathlib.Path(log).read_text().splitlines():
        if line.startswith("# stats: dump at "):
            dumps.append((int(line.rsplit(" ", 1)[1]), {}))
        elif line.startswith("stats: ") and dumps:
            name, *fields = line[len("stats: "):].split()
            dumps[-1][1][name] = [float(x) for x in fields]
    return dumps


def interval_count(stats, name):
    return stats.get(name, [0])[0]


def at(samples, name, t):
    """Linear interpolation of a process's CPU seconds at time t."""
    points = [(ts, cpu) for ts, n, cpu, _ in samples if n == name]
    before = [p for p in points if p[0] <= t]
    after = [p for p in points if p[0] >= t]
    if not before or not after:
        raise SystemExit(f"no CPU samples of {name} around {t}")
    (t0, c0), (t1, c1) = before[-1], after[0]
    return c0 if t1 == t0 else c0 + (c1 - c0) * (t - t0) / (t1 - t0)


def result(log_dir, samples_file, label, users, warmup, seconds):
    dumps = tsung_dumps(pathlib.Path(log_dir, "tsung.log"))
    arrived = next((i for i, (_, s) in enumerate(dumps)
                    if s.get("users_count", [0, 0])[1] >= users), None)
    if arrived is None:
        raise SystemExit(f"Tsung never had {users} users arriving; see {log_dir}")
    start = dumps[arrived][0] + warmup
    window = [d for d in dumps if start < d[0] <= start + seconds]
    if not window:
        raise SystemExit("no Tsung dump in the steady window; lengthen the run")
    t0, t1 = window[0][0] - 10, window[-1][0]
    samples = []
    for line in pathlib.Path(samples_file).read_text().splitlines():
        ts, name, cpu, rss = line.split("\t")
        samples.append((float(ts), name, float(cpu), float(rss)))
    names = sorted({s[1] for s in samples})
    sent = sum(interval_count(s, "tr_chat") for _, s in window)
    # every user chats past the window, so a user who ended in it was ended by an error
    ended = sum(interval_count(s, "finish_users_count") for _, s in window)
    received = sum(interval_count(s, "async_unknown_data_rcv") for _, s in window)
    cpu = {n: at(samples, n, t1) - at(samples, n, t0) for n in names}
    rss = {n: max(r for ts, m, _, r in samples if m == n and t0 <= ts <= t1) for n in names}
    last = dumps[-1][1]
    errors = {k: v[-1] for k, v in last.items() if k.startswith("error")}
    logins = [s["tr_login"][:2] for _, s in dumps if s.get("tr_login", [0])[0] > 0]
    login_count = sum(n for n, _ in logins)
    return {
        "label": label,
        "client": "tsung",
        "users": users,
        "usersConnected": max(s.get("connected", [0, 0])[1] for _, s in dumps),
        "steady": {
            "seconds": t1 - t0,
            "sent": sent,
            "received": received,
            "usersEnded": ended,
            "cpuMsPerMessage": {n: 1000 * c / sent if sent else None for n, c in cpu.items()},
            "cpuPercent": {n: 100 * c / (t1 - t0) for n, c in cpu.items()},
            "rssMb": rss,
        },
        # Tsung's mean login time over the whole run, in ms (it keeps no percentiles)
        "logins": login_count,
        "loginMeanMs": sum(n * m for n, m in logins) / login_count if login_count else None,
        "errors": errors,
    }


def main(argv):
    if len(argv) >= 3 and argv[1] == "sample":
        sample(argv[2], argv[3:])
    elif len(argv) == 8 and argv[1] == "result":
        r = result(argv[2], argv[3], argv[4], int(argv[5]), int(argv[6]), int(argv[7]))
        json.dump(r, sys.stdout, indent=2)
        print()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
