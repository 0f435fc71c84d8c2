#!/usr/bin/env python3
"""Checks the CI recipes of docs/ci/ (issue 11): both parse as YAML, have the keys their CI system
requires, run `hprof check ... --baseline ... --junit report.xml`, keep the baseline as an
artifact, have shell steps that bash accepts, and are shown verbatim in docs/ci.md.

Usage: ci_recipes_test.py DOCS_DIR   (exit 0: all good; 1: the failures, one per line)
"""
import pathlib
import subprocess
import sys

import yaml  # Debian python3-yaml: a missing module fails the test, it does not skip it

CHECK = "hprof check current.hprof --baseline"
RECORD = "hprof record -F 2000 --repeat"
# Top-level keys of .gitlab-ci.yml that are not jobs.
GITLAB_KEYWORDS = {"default", "include", "stages", "variables", "workflow", "image", "services",
                   "cache", "before_script", "after_script"}

failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def bash_accepts(script, where):
    result = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True,
                            timeout=30)
    expect(result.returncode == 0, f"{where}: bash -n: {result.stderr.strip()}")


def check_github(text):
    workflow = yaml.safe_load(text)
    expect(isinstance(workflow, dict), "github: not a mapping")
    # YAML 1.1 (PyYAML) reads the key `on` as True; GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    expect(isinstance(triggers, dict) and "push" in triggers and "pull_request" in triggers,
           "github: `on` needs push and pull_request")
    expect(triggers["push"].get("branches") == ["main"], "github: the baseline comes from main")
    jobs = workflow.get("jobs")
    expect(isinstance(jobs, dict) and jobs, "github: no jobs")
    runs = []
    for name, job in jobs.items():
        expect(isinstance(job.get("runs-on"), str), f"github: job {name} has no runs-on")
        steps = job.get("steps")
        expect(isinstance(steps, list) and steps, f"github: job {name} has no steps")
        for index, step in enumerate(steps):
            where = f"github: job {name} step {index + 1}"
            expect(("uses" in step) != ("run" in step), f"{where}: needs exactly one of uses, run")
            if "run" in step:
                runs.append(step["run"])
                bash_accepts(step["run"], where)
        uploads = [s["with"]["name"] for s in steps
                   if s.get("uses", "").startswith("actions/upload-artifact@")]
        expect("hprof-baseline" in uploads, f"github: job {name} keeps no hprof-baseline artifact")
    scripts = "\n".join(runs)
    expect(CHECK in scripts and "--junit report.xml" in scripts, "github: no hprof check step")
    expect(RECORD in scripts, "github: no hprof record -F 2000 --repeat step")
    expect("--name hprof-baseline" in scripts, "github: the baseline is never downloaded")


def check_gitlab(text):
    config = yaml.safe_load(text)
    expect(isinstance(config, dict), "gitlab: not a mapping")
    jobs = {name: job for name, job in config.items()
            if name not in GITLAB_KEYWORDS and not str(name).startswith(".")}
    expect(jobs, "gitlab: no job")
    for name, job in jobs.items():
        script = job.get("script")
        expect(isinstance(script, list) and script and all(isinstance(s, str) for s in script),
               f"gitlab: job {name} needs a script (a list of commands)")
        bash_accepts("\n".join(script), f"gitlab: job {name}")
        joined = "\n".join(script)
        expect(CHECK in joined and "--junit report.xml" in joined,
               f"gitlab: job {name} runs no hprof check")
        expect(RECORD in joined, f"gitlab: job {name} runs no hprof record -F 2000 --repeat")
        artifacts = job.get("artifacts", {})
        expect(artifacts.get("reports", {}).get("junit") == "report.xml",
               f"gitlab: job {name} does not hand report.xml to GitLab's JUnit parser")
        expect("current.hprof" in artifacts.get("paths", []),
               f"gitlab: job {name} keeps no baseline artifact")


def main():
    docs = pathlib.Path(sys.argv[1])
    guide = (docs / "ci.md").read_text()
    for name, check in (("github-workflow.yml", check_github), ("gitlab-ci.yml", check_gitlab)):
        text = (docs / "ci" / name).read_text()
        try:
            check(text)
        except (yaml.YAMLError, AttributeError, KeyError, TypeError) as error:
            failures.append(f"{name}: {type(error).__name__}: {error}")
        expect(f"```yaml\n{text}```" in guide, f"docs/ci.md does not show ci/{name} verbatim")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
