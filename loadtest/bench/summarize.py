#!/usr/bin/env python3
"""Summarizes a run-bench.sh output directory as Markdown tables: for each scenario and
endpoint, the median of the repeats and, in brackets, their range (min-max).

    python3 loadtest/bench/summarize.py target/bench/20250101-120000 > summary.md
    python3 loadtest/bench/summarize.py --tsung DIR > summary.md   # runs driven by Tsung
"""
import json
import pathlib
import statistics
import sys
from collections import defaultdict

# Bindery's cost is Bindery's plus the c2s it relays to; the others serve BOSH alone.
SERVERS = {"bindery": ["bindery", "prosody-c2s"], "prosody": ["prosody"],
           "ejabberd": ["ejabberd"], "bindery-ejabberd": ["bindery", "ejabberd-c2s"]}
# the same stacks with the generator speaking HTTP/2 to Bindery
SERVERS.update({e + "-h2": SERVERS[e] for e in ("bindery", "bindery-ejabberd")})


def cell(values, fmt="{:.2f}"):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1 or min(values) == max(values):
        return fmt.format(med)
    return f"{fmt.format(med)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def cpu(r, process, what):
    return r["steady"][what].get(process)


def total(r, endpoint, what):
    values = [r["steady"][what].get(p) for p in SERVERS[endpoint]]
    return None if any(v is None for v in values) else sum(values)


def elsewhere(r):
    """CPU % of one core that the machine spent outside the monitored processes (other load)."""
    pct = r["steady"]["cpuPercent"]
    if "machine" not in pct:
        return None
    return pct["machine"] - sum(v for k, v in pct.items() if k != "machine")


def split_label(label):
    """'chat-bindery-ejabberd-1' -> ('chat', 'bindery-ejabberd'): names may hold dashes."""
    name = label.rsplit("-", 1)[0]
    endpoint = max((e for e in SERVERS if name.endswith("-" + e)), key=len)
    return name[:-len(endpoint) - 1], endpoint


def main(out):
    runs = defaultdict(list)
    for f in sorted(pathlib.Path(out).glob("*/result.json")):
        r = json.loads(f.read_text())
        runs[split_label(r["label"])].append(r)
    env = pathlib.Path(out, "environment.txt")
    if env.exists():
        print("```\n" + env.read_text().strip() + "\n```\n")
    for scenario in sorted({s for s, _ in runs}):
        rows = [(e, runs[(scenario, e)]) for e in SERVERS if (scenario, e) in runs]
        first = rows[0][1][0]["config"]
        print(f"### {scenario}: {first['sessions']} sessions"
              + (f" x {first['messageRate']} msg/s" if scenario == "chat" else "")
              + f", {len(rows[0][1])} repeat(s)\n")
        head = ["endpoint", "peak online", "failed", "setup p50 ms", "setup p99 ms"]
        if scenario == "chat":
            head += ["sent", "lost", "latency p50 ms", "latency p99 ms", "latency max ms",
                     "CPU ms/msg (server)", "CPU ms/msg (total)"]
        elif scenario == "login-storm":
            head += ["logins/s", "CPU ms/login (server)", "CPU ms/login (total)"]
        head += ["CPU % (server)", "CPU % (total)", "CPU % elsewhere", "RSS MB (server)",
                 "heap B/session", "errors"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for endpoint, rs in rows:
            main_proc = SERVERS[endpoint][0]
            row = [endpoint,
                   cell([r["sessions"]["peakOnline"] for r in rs], "{:.0f}"),
                   cell([r["sessions"]["failed"] for r in rs], "{:.0f}"),
                   cell([r["histogramsMs"]["setup"]["p50"] for r in rs]),
                   cell([r["histogramsMs"]["setup"]["p99"] for r in rs])]
            if scenario == "chat":
                row += [cell([r["messages"]["sent"] for r in rs], "{:.0f}"),
                        cell([r["messages"]["lost"] for r in rs], "{:.0f}"),
                        cell([r["histogramsMs"]["latencySteady"]["p50"] for r in rs]),
                        cell([r["histogramsMs"]["latencySteady"]["p99"] for r in rs]),
                        cell([r["histogramsMs"]["latencySteady"]["max"] for r in rs]),
                        cell([cpu(r, main_proc, "cpuMsPerMessage") for r in rs], "{:.3f}"),
                        cell([total(r, endpoint, "cpuMsPerMessage") for r in rs], "{:.3f}")]
            elif scenario == "login-storm":
                row += [cell([r["steady"]["logins"] / r["steady"]["seconds"] for r in rs],
                             "{:.0f}"),
                        cell([cpu(r, main_proc, "cpuMsPerLogin") for r in rs]),
                        cell([total(r, endpoint, "cpuMsPerLogin") for r in rs])]
            heap = [r["heap"][main_proc]["perSessionBytes"] for r in rs
                    if main_proc in r["heap"] and r["heap"][main_proc]["perSessionBytes"] > 0]
            errors = defaultdict(int)
            for r in rs:
                for k, v in r["errors"].items():
                    errors[k] += v
            row += [cell([cpu(r, main_proc, "cpuPercent") for r in rs], "{:.0f}"),
                    cell([total(r, endpoint, "cpuPercent") for r in rs], "{:.0f}"),
                    cell([elsewhere(r) for r in rs], "{:.0f}"),
                    cell([r["steady"]["rssBytes"].get(main_proc, -1) / 2**20 for r in rs],
                         "{:.0f}"),
                    cell(heap, "{:.0f}") if heap else "-",
                    ", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) or "0"]
            print("| " + " | ".join(row) + " |")
        print()


def main_tsung(out):
    """The chat runs driven by Tsung (tsung-result.json, from tsung_result.py)."""
    runs = defaultdict(list)
    for f in sorted(pathlib.Path(out).glob("*/tsung-result.json")):
        if f.stat().st_size == 0:  # tsung_result.py refused the run; it said why
            continue
        r = json.loads(f.read_text())
        runs[split_label(r["label"])[1]].append(r)
    env = pathlib.Path(out, "environment.txt")
    if env.exists():
        print("```\n" + env.read_text().strip() + "\n```\n")
    rows = [(e, runs[e]) for e in SERVERS if e in runs]
    if not rows:
        return
    print(f"### chat driven by Tsung: {rows[0][1][0]['users']} users x 0.2 msg/s, "
          f"{len(rows[0][1])} repeat(s)\n")
    head = ["endpoint", "connected", "sent", "received", "users ended early", "login mean ms",
            "CPU ms/msg (server)", "CPU ms/msg (total)", "CPU % (server)", "CPU % (total)",
            "RSS MB (server)", "errors"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for endpoint, rs in rows:
        main_proc = SERVERS[endpoint][0]

        def steady(what, proc=main_proc):
            return [r["steady"][what].get(proc) for r in rs]

        def steady_total(what):
            return [sum(r["steady"][what][p] for p in SERVERS[endpoint]) for r in rs]

        errors = defaultdict(int)
        for r in rs:
            for k, v in r["errors"].items():
                errors[k] += v
        row = [endpoint,
               cell([r["usersConnected"] for r in rs], "{:.0f}"),
               cell([r["steady"]["sent"] for r in rs], "{:.0f}"),
               cell([r["steady"]["received"] for r in rs], "{:.0f}"),
               cell([r["steady"]["usersEnded"] for r in rs], "{:.0f}"),
               cell([r["loginMeanMs"] for r in rs]),
               cell(steady("cpuMsPerMessage"), "{:.3f}"),
               cell(steady_total("cpuMsPerMessage"), "{:.3f}"),
               cell(steady("cpuPercent"), "{:.0f}"),
               cell(steady_total("cpuPercent"), "{:.0f}"),
               cell(steady("rssMb"), "{:.0f}"),
               ", ".join(f"{k}: {v:.0f}" for k, v in sorted(errors.items())) or "0"]
        print("| " + " | ".join(row) + " |")
    print()


if __name__ == "__main__":
    if sys.argv[1] == "--tsung":
        main_tsung(sys.argv[2])
    else:
        main(sys.argv[1])
