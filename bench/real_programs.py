#!/usr/bin/env python3
"""hprof next to perf on real programs nobody here wrote (issue 8's list).

Usage: bench/real_programs.py [BUILD_DIR (default ./build)] [REPETITIONS (default 3)]

For each program (bzip2, xz -T2, python3, sqlite3, g++, make -j2, a shell script with $(...))
the variants bare / hprof / perf run in ONE interleaved loop (machine drift hits all alike).
Prints a markdown table: median wall time per variant and its ratio to bare, the profile size,
and how far hprof's top functions are from perf's: for perf's five hottest user-space symbols,
the largest difference of self-time share (percentage points) between the two tools.
perf's kernel samples are left out and its user-space shares renormalised, because hprof samples
user mode only. Stripped code is compared by module offset (hprof: module+0xOFF, perf: 0xOFF).
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BUILD = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else "build")
REPETITIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
HPROF = os.path.join(BUILD, "bin", "hprof")
FREQUENCY = "1000"
TIMEOUT = 600


def words(size):
    vocabulary = ["profile", "sample", "stack", "thread", "process", "signal", "kernel",
                  "frame", "module", "symbol"]
    state, out, length = 12345, [], 0
    while length < size:
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        word = vocabulary[(state >> 33) % 10] + ("\n" if (state >> 40) % 13 == 0 else " ")
        out.append(word)
        length += len(word)
    return "".join(out)


def prepare(work):
    with open(os.path.join(work, "data.txt"), "w") as f:
        f.write(words(24 << 20))
    with open(os.path.join(work, "queries.sql"), "w") as f:
        f.write("CREATE TABLE t(a, b);\n"
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500000)\n"
                "  INSERT INTO t SELECT x, x * x % 1000 FROM c;\n"
                "SELECT b, count(*) FROM t GROUP BY b ORDER BY 2 DESC, 1 LIMIT 3;\n")
    with open(os.path.join(work, "program.cpp"), "w") as f:
        f.write("#include <algorithm>\n#include <map>\n#include <regex>\n#include <string>\n"
                "#include <vector>\nint main() {\n  std::map<std::string, std::vector<int>> m;\n"
                "  std::regex r(\"a+b\");\n  m[\"a\"].push_back(std::regex_match(\"aab\", r));\n"
                "  std::sort(m[\"a\"].begin(), m[\"a\"].end());\n}\n")
    project = os.path.join(work, "project")
    os.makedirs(project, exist_ok=True)
    objects = []
    for i in range(8):
        with open(os.path.join(project, f"part{i}.c"), "w") as f:
            f.write("#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
                    f"int part{i}(int x) {{ char b[64]; snprintf(b, sizeof b, \"%d\", x);"
                    f" return (int)strlen(b) * {i + 2}; }}\n")
        objects.append(f"part{i}.o")
    with open(os.path.join(project, "Makefile"), "w") as f:
        f.write(f"OBJECTS := {' '.join(objects)}\n"
                "all: $(OBJECTS)\n\t@echo \"built $$(ls $(OBJECTS) | wc -l) objects\"\n"
                "%.o: %.c\n\tcc -O2 -c $< -o $@ && test \"$$(wc -c < $@)\" -gt 0\n"
                "clean:\n\trm -f $(OBJECTS)\n")


PROGRAMS = {
    "bzip2 -9": (["bzip2", "-9", "-k", "-f", "data.txt"], None),
    "xz -4 -T2": (["xz", "-4", "-T2", "-k", "-f", "data.txt"], None),
    "python3": (["python3", "-c",
                 "import hashlib\nd = hashlib.sha256()\n"
                 "for i in range(600000): d.update(str(i * i).encode())\n"
                 "print(d.hexdigest(), sum(i % 7 for i in range(4000000)))\n"], None),
    "sqlite3": (["sqlite3", ":memory:", ".read queries.sql"], None),
    "g++ -O2": (["g++", "-O2", "-c", "program.cpp", "-o", "program.o"], None),
    "make -j2": (["make", "-s", "-j2", "-C", "project"], ["make", "-s", "-C", "project", "clean"]),
    "sh $(...)": (["sh", "-c", "for i in 1 2 3 4 5 6 7 8; do x=$(ls / | wc -l); "
                   "y=$(echo $x | tr 0-9 a-j); done; echo $y"], None),
}


def run(argv, work, cleanup):
    if cleanup:
        subprocess.run(cleanup, cwd=work, stdout=subprocess.DEVNULL, check=True)
    start = time.monotonic()
    done = subprocess.run(argv, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=TIMEOUT)
    wall = time.monotonic() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])}...: exit {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')[-300:]}")
    return wall


def variant_command(variant, command, work):
    if variant == "hprof":
        return [HPROF, "-q", "-F", FREQUENCY, "-o", os.path.join(work, "p.hprof")] + command
    if variant == "perf":
        return ["perf", "record", "-q", "-F", FREQUENCY, "-g", "-o",
                os.path.join(work, "perf.data"), "--"] + command
    return command


def symbol_key(name):
    """hprof 'libbz2.so.1.0+0x4ac3' and perf '0x0000000000004ac3' -> '0x4ac3'."""
    match = re.search(r"\+0x([0-9a-f]+)$", name) or re.fullmatch(r"0x0*([0-9a-f]+)", name)
    if match:
        return "0x" + (match.group(1).lstrip("0") or "0")
    return re.sub(r"\(.*", "", name).strip()  # perf drops parameters of C++ names


def hprof_shares(work):
    report = subprocess.run([HPROF, "report", os.path.join(work, "p.hprof"), "--format", "json"],
                            capture_output=True, text=True, check=True)
    data = json.loads(report.stdout)
    total = sum(f["tottime"] for f in data["functions"]) or 1.0
    shares = {}
    for function in data["functions"]:
        key = symbol_key(function["function"])
        shares[key] = shares.get(key, 0.0) + 100.0 * function["tottime"] / total
    return shares


def perf_shares(work):
    report = subprocess.run(["perf", "report", "-i", os.path.join(work, "perf.data"), "--stdio",
                             "--no-children", "--sort", "sym", "-g", "none", "-q"],
                            capture_output=True, text=True)
    shares = {}
    for line in report.stdout.splitlines():
        match = re.match(r"\s*([0-9.]+)%\s+\[(.)\]\s+(.*?)\s*$", line)
        if match and match.group(2) != "k":
            key = symbol_key(match.group(3))
            shares[key] = shares.get(key, 0.0) + float(match.group(1))
    user = sum(shares.values()) or 1.0
    return {key: 100.0 * value / user for key, value in shares.items()}


def top_difference(hprof, perf):
    top = sorted(perf, key=perf.get, reverse=True)[:5]
    return max(abs(perf[key] - hprof.get(key, 0.0)) for key in top), top


def main():
    variants = ["bare", "hprof"]
    if shutil.which("perf") and subprocess.run(["perf", "record", "-q", "-o", "/dev/null", "--",
                                                 "true"], capture_output=True).returncode == 0:
        variants.append("perf")
    else:
        print("perf: n/a (not installed or not allowed here)", file=sys.stderr)
    work = tempfile.mkdtemp(prefix="hprof-real-")
    try:
        prepare(work)
        print(f"| program | bare s | hprof s | hprof x | perf s | perf x | hprof file | "
              f"perf file | top-5 max diff (pp) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, (command, cleanup) in PROGRAMS.items():
            walls = {variant: [] for variant in variants}
            for _ in range(REPETITIONS):
                for variant in variants:
                    walls[variant].append(run(variant_command(variant, command, work), work,
                                              cleanup))
            median = {variant: statistics.median(walls[variant]) for variant in variants}
            sizes = {"hprof": os.path.getsize(os.path.join(work, "p.hprof"))}
            cells = [name, f"{median['bare']:.2f}", f"{median['hprof']:.2f}",
                     f"{median['hprof'] / median['bare']:.2f}"]
            if "perf" in variants:
                sizes["perf"] = os.path.getsize(os.path.join(work, "perf.data"))
                difference, _ = top_difference(hprof_shares(work), perf_shares(work))
                cells += [f"{median['perf']:.2f}", f"{median['perf'] / median['bare']:.2f}",
                          f"{sizes['hprof'] / 1024:.0f} KB", f"{sizes['perf'] / 1024:.0f} KB",
                          f"{difference:.1f}"]
            else:
                cells += ["n/a", "n/a", f"{sizes['hprof'] / 1024:.0f} KB", "n/a", "n/a"]
            print("| " + " | ".join(cells) + " |", flush=True)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
