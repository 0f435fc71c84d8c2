#!/usr/bin/env python3
"""End-to-end checks of `hprof export` (issue 12) with the programs that read each format:

  pprof       `go tool pprof -top` and `-traces` (Debian golang-go): every function's flat and cum
              time equals `hprof report`'s tottime and cumtime, the traces add up per thread, and
              --tid exports what `report --tid` counts.
  speedscope  the JSON schema that the speedscope npm package ships (python3-jsonschema), fetched
              by scripts/setup.sh, and the file's own consistency: one profile per thread with its
              CPU time, frames that exist.
  chrome      python3's json reads it; every "X" event nests in the enclosing ones of its thread,
              and they are the calls `hprof report --trace` lists, in its order and times; metadata
              names every process and thread; the samples are instants named after their leaf
              function, whose stack frames chain to a root.

Usage: export_formats_test.py FORMAT HPROF BIN_DIR [SCHEMA]   (exit 0: all good; 1: the failures)
"""
import collections
import gzip
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def run(argv, **kwargs):
    """Runs a command that must succeed within 60 s; returns its stdout."""
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"FAIL: {' '.join(argv)} exited {result.returncode}: {result.stderr}")
    return result.stdout


class Hprof:
    def __init__(self, hprof, bin_dir, work):
        self.hprof, self.bin_dir, self.work = hprof, pathlib.Path(bin_dir), pathlib.Path(work)

    def record(self, name, program, *args, options=()):
        path = self.work / name
        run([self.hprof, "-q", *options, "-o", str(path), str(self.bin_dir / program), *args],
            cwd=self.work)
        return path

    def report(self, profile, *options):
        return json.loads(run([self.hprof, "report", str(profile), "--format", "json", *options]))

    def export(self, profile, fmt, out, *options):
        result = subprocess.run([self.hprof, "export", str(profile), "--format", fmt, "-o",
                                 str(out), *options], capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise SystemExit(f"FAIL: hprof export --format {fmt} exited {result.returncode}: "
                             f"{result.stderr}")
        return result.stderr


def ns(seconds):
    return round(seconds * 1e9)


def exported_names(report):
    """Function name -> its row of the JSON report, with the module appended where two functions
    would print the same label (as hprof's labels, and its exports, tell them apart)."""
    def label(row):
        return f"{row['file'] or '~'}:{row['line'] if row['file'] else 0}({row['function']})"
    uses = collections.Counter(label(row) for row in report["functions"])
    rows = {}
    for row in report["functions"]:
        name = row["function"]
        if uses[label(row)] > 1:
            name += f" [{os.path.basename(row['module'])}]"
        rows[name] = row
    return rows


# ---- pprof ----------------------------------------------------------------------------------

def go_pprof(*args):
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, GOCACHE=f"{home}/cache", GOPATH=f"{home}/go",
                   GOFLAGS="", GOPROXY="off")
        return run(["go", "tool", "pprof", *args], env=env)


TOP_ROW = re.compile(r"^\s*(\d+)(?:ns)?\s+[\d.]+%\s+[\d.]+%\s+(\d+)(?:ns)?\s+[\d.]+%\s+(.+)$")


def pprof_top(path):
    """Function name -> (flat ns, cum ns), every function (no node dropped)."""
    out = go_pprof("-top", "-unit=ns", "-nodecount=100000", "-nodefraction=0", "-edgefraction=0",
                   str(path))
    rows = {}
    for line in out.splitlines():
        match = TOP_ROW.match(line)
        if match:
            rows[match.group(3)] = (int(match.group(1)), int(match.group(2)))
    return rows


def pprof_traces(path):
    """[(labels, value ns, [function names, leaf first])] from `-traces`."""
    traces = []
    for block in go_pprof("-traces", "-unit=ns", str(path)).split("-----------+")[1:]:
        labels, value, stack = {}, None, []
        for line in block.splitlines()[1:]:
            label = re.match(r"^\s*(\w+):\s+(.*)$", line)
            sample = re.match(r"^\s*(\d+)ns\s+(.+)$", line)
            if value is None and label:
                labels[label.group(1)] = label.group(2)
            elif value is None and sample:
                value = int(sample.group(1))
                stack.append(sample.group(2).strip())
            elif value is not None and line.strip():
                stack.append(line.strip())
        if value is not None:  # the last separator closes the output
            traces.append((labels, value, stack))
    return traces


def check_pprof(hprof):
    profile = hprof.record("burn.hprof", "parallel_burn", "2", "0.15")
    report = hprof.report(profile)
    out = hprof.work / "burn.pb.gz"
    hprof.export(profile, "pprof", out)
    expect(out.read_bytes()[:2] == b"\x1f\x8b", "the pprof export is not gzipped")

    top = pprof_top(out)
    rows = exported_names(report)
    expect(set(top) == set(rows),
           f"pprof -top functions differ from the report's: only pprof {set(top) - set(rows)}, "
           f"only hprof {set(rows) - set(top)}")
    for name, row in rows.items():
        flat, cum = top.get(name, (None, None))
        expect(flat == ns(row["tottime"]) and cum == ns(row["cumtime"]),
               f"{name}: pprof flat/cum {flat}/{cum} ns, report {ns(row['tottime'])}/"
               f"{ns(row['cumtime'])} ns")

    per_tid = collections.Counter()
    for labels, value, stack in pprof_traces(out):
        per_tid[int(labels.get("tid", -1))] += value
        for name in stack:
            expect(name in rows, f"pprof -traces names {name!r}, which the report does not")
    expected = {thread["tid"]: ns(thread["cpu_seconds"]) for thread in report["threads"]
                if thread["samples"] > 0}
    expect(dict(per_tid) == expected,
           f"pprof -traces time per tid {dict(per_tid)} != the report's {expected}")

    worker = max(report["threads"], key=lambda thread: thread["cpu_seconds"])["tid"]
    filtered = hprof.work / "worker.pb.gz"
    hprof.export(profile, "pprof", filtered, "--tid", str(worker))
    top = pprof_top(filtered)
    rows = exported_names(hprof.report(profile, "--tid", str(worker)))
    expect({name: flat for name, (flat, _) in top.items()} ==
           {name: ns(row["tottime"]) for name, row in rows.items()},
           f"pprof of --tid {worker} differs from report --tid {worker}")


# ---- speedscope -----------------------------------------------------------------------------

def check_speedscope(hprof, schema_path):
    import jsonschema  # Debian python3-jsonschema: a missing module fails the test

    if not schema_path or not pathlib.Path(schema_path).is_file():
        raise SystemExit(f"FAIL: no speedscope schema at {schema_path!r} (run scripts/setup.sh)")
    profile = hprof.record("burn.hprof", "parallel_burn", "2", "0.15")
    report = hprof.report(profile)
    out = hprof.work / "burn.speedscope.json"
    hprof.export(profile, "speedscope", out)
    document = json.loads(out.read_text())
    try:
        jsonschema.validate(document, json.loads(pathlib.Path(schema_path).read_text()))
    except jsonschema.ValidationError as error:
        failures.append(f"speedscope schema: {error.message} at {list(error.absolute_path)}")

    frames = document["shared"]["frames"]
    rows = exported_names(report)
    expect(sorted(frame["name"] for frame in frames) == sorted(rows),
           "speedscope frames are not the report's functions")
    cpu_by_thread = {}
    for profile_json in document["profiles"]:
        expect(profile_json["type"] == "sampled" and profile_json["unit"] == "nanoseconds",
               f"profile {profile_json['name']} is not sampled in nanoseconds")
        samples, weights = profile_json["samples"], profile_json["weights"]
        expect(len(samples) == len(weights), f"{profile_json['name']}: samples != weights")
        expect(all(0 <= index < len(frames) for stack in samples for index in stack),
               f"{profile_json['name']}: a sample points past the frames")
        expect(profile_json["endValue"] - profile_json["startValue"] == sum(weights),
               f"{profile_json['name']}: endValue is not the sum of the weights")
        tid = int(re.search(r"tid (\d+)", profile_json["name"]).group(1))
        cpu_by_thread[tid] = sum(weights)
    expected = {thread["tid"]: ns(thread["cpu_seconds"]) for thread in report["threads"]
                if thread["samples"] > 0}
    expect(cpu_by_thread == expected,
           f"speedscope CPU per thread {cpu_by_thread} != the report's {expected}")


# ---- chrome ---------------------------------------------------------------------------------

TRACE_CALL = re.compile(r"^\s+([\d.]+)\s+([\d.]+)(\s+)(.+?)(?: \(.*:\d+\))?$")


def report_trace(hprof, profile):
    """[(thread tid, start ms, duration ms, name)] in the order `report --trace` prints them."""
    out = run([hprof.hprof, "report", str(profile), "--trace"])
    calls, tid = [], None
    for line in out.splitlines():
        thread = re.match(r"^\s+Thread (\d+) ", line)
        if thread:
            tid = int(thread.group(1))
            continue
        call = TRACE_CALL.match(line)
        if call and tid is not None:
            calls.append((tid, call.group(1), call.group(2), call.group(4)))
    return calls


def check_nesting(calls):
    """Every X event of a thread lies inside the enclosing ones (times in ns)."""
    by_thread = collections.defaultdict(list)
    for event in calls:
        start = round(event["ts"] * 1000)
        by_thread[event["tid"]].append((start, -round(event["dur"] * 1000), event["name"]))
    for tid, events in by_thread.items():
        open_ends = []
        for start, negative_duration, name in sorted(events):
            end = start - negative_duration
            while open_ends and open_ends[-1] <= start:
                open_ends.pop()
            expect(not open_ends or end <= open_ends[-1],
                   f"thread {tid}: {name} [{start}, {end}] ns overlaps its enclosing call")
            open_ends.append(end)


def check_chrome(hprof):
    profile = hprof.record("trace.hprof", "s_trace", options=("--instrument=trace",))
    report = hprof.report(profile)
    out = hprof.work / "trace.json"
    stderr = hprof.export(profile, "chrome", out)
    expect("call counts" in stderr, f"chrome export does not say it drops call counts: {stderr}")
    document = json.loads(out.read_text())
    events = document["traceEvents"]

    calls = [event for event in events if event["ph"] == "X"]
    expect(len(calls) > 0, "no X events for the traced calls")
    check_nesting(calls)
    def ms(microseconds):
        return f"{round(microseconds * 1000) / 1e6:.3f}"
    exported = [(event["tid"], ms(event["ts"]), ms(event["dur"]), event["name"])
                for event in calls]
    listed = report_trace(hprof, profile)
    expect(exported == listed, f"X events {exported} != report --trace {listed}")

    names = {(event["name"], event["pid"], event["tid"]): event["args"]["name"]
             for event in events if event["ph"] == "M"}
    for process in report["processes"]:
        expect(names.get(("process_name", process["pid"], process["pid"])) == process["command"],
               f"process {process['pid']} is not named {process['command']!r}")
    for thread in report["threads"]:
        expect(names.get(("thread_name", thread["pid"], thread["tid"])) == thread["name"],
               f"thread {thread['tid']} is not named {thread['name']!r}")
    named_threads = {(pid, tid) for kind, pid, tid in names if kind == "thread_name"}
    samples = [event for event in events if event["ph"] == "i"]
    for event in calls + samples:
        expect((event["pid"], event["tid"]) in named_threads,
               f"event of unnamed thread {event['tid']}")

    frames = document["stackFrames"]
    expect(len(samples) == report["total_samples"],
           f"{len(samples)} sample instants, report has {report['total_samples']}")
    expect(sum(sample["args"]["weight_ns"] for sample in samples) == ns(report["cpu_seconds"]),
           "the samples' weights do not add up to the report's CPU time")
    rows = exported_names(report)
    for sample in samples:
        expect(sample["name"] == frames[sample["sf"]]["name"],
               f"sample named {sample['name']!r}, its leaf frame {frames[sample['sf']]['name']!r}")
        frame, depth = sample["sf"], 0
        while frame is not None and depth <= len(frames):
            expect(frames[frame]["name"] in rows, f"frame {frames[frame]['name']!r} unknown")
            frame, depth = frames[frame].get("parent"), depth + 1
        expect(frame is None, f"stack frame chain of sample at {sample['ts']} does not end")


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    fmt, hprof_bin, bin_dir = sys.argv[1:4]
    with tempfile.TemporaryDirectory(prefix="hprof-export-") as work:
        hprof = Hprof(hprof_bin, bin_dir, work)
        if fmt == "pprof":
            check_pprof(hprof)
        elif fmt == "speedscope":
            check_speedscope(hprof, sys.argv[4] if len(sys.argv) > 4 else None)
        elif fmt == "chrome":
            check_chrome(hprof)
        else:
            raise SystemExit(f"unknown format {fmt}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
