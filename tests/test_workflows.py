"""The GitHub workflows: what a maintainer's fork runs every weekday, and for PRs."""

import yaml

from .sites import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
    return workflow


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step(job: dict, name_part: str) -> dict:
    return next(s for s in steps(job) if name_part in s.get("name", s.get("uses", "")))


def test_site_runs_on_weekdays_after_the_announcement_on_dispatch_and_push():
    triggers = load("site.yml")["on"]
    minute, hour, _, _, weekdays = triggers["schedule"][0]["cron"].split()
    assert weekdays == "1-5" and 1 <= int(hour) <= 6  # after 00:00/01:00 UTC announcements
    assert "workflow_dispatch" in triggers and triggers["push"]["branches"] == ["main"]


def test_site_sets_up_fetches_commits_builds_and_deploys_in_order():
    workflow = load("site.yml")
    build = workflow["jobs"]["build"]
    runs = [s.get("run", s.get("uses", "")) for s in steps(build)]
    order = [
        next(i for i, run in enumerate(runs) if marker in run)
        for marker in ("make setup", "papershelf fetch", "git push", "publishconf.py")
    ]
    assert order == sorted(order)
    assert any("upload-pages-artifact" in run for run in runs)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps(deploy))
    assert workflow["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_a_failed_fetch_still_deploys_and_fails_the_run():
    jobs = load("site.yml")["jobs"]
    fetch = step(jobs["build"], "Fetch")
    assert fetch["continue-on-error"] is True  # the build and deploy go on
    assert jobs["build"]["outputs"]["fetch"] == "${{ steps.fetch.outcome }}"
    report = jobs["fetch-failed"]
    assert report["if"] == "needs.build.outputs.fetch == 'failure'"
    assert "deploy" in report["needs"]
    assert "exit 1" in steps(report)[-1]["run"]


def test_the_build_gets_its_siteurl_from_pages_or_the_repository_variable():
    build = load("site.yml")["jobs"]["build"]
    env = step(build, "Build the site")["env"]["SITEURL"]
    assert "vars.SITEURL" in env and "steps.pages.outputs.base_url" in env


def test_pull_requests_check_notes_and_keep_a_preview():
    build = load("pr.yml")["jobs"]["check-and-build"]
    runs = " ".join(s.get("run", s.get("uses", "")) for s in steps(build))
    assert "papershelf check" in runs and "make site" in runs
    assert "actions/upload-artifact@" in runs


def test_every_workflow_sets_up_node_22():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in load(path.name)["jobs"].items():
            runs = " ".join(s.get("run", "") for s in job.get("steps", []))
            node = [
                s
                for s in job.get("steps", [])
                if s.get("uses", "").startswith("actions/setup-node@")
            ]
            if "make " in runs or ".venv/bin/" in runs:
                assert node, f"{path.name}: job {name} runs the project without setting up Node"
            for setup in node:
                assert str(setup["with"]["node-version"]) == "22", f"{path.name}: job {name}"


CODE_PATHS = [
    "plugins/**",
    "theme/**",
    "tests/**",
    "pyproject.toml",
    "requirements/**",
    "Makefile",
    "package.json",
    "package-lock.json",
    ".ci/**",
    "pelicanconf.py",
    "publishconf.py",
]


def test_pull_requests_that_change_code_run_the_test_suite_in_debian():
    workflow = load("tests.yml")
    paths = workflow["on"]["pull_request"]["paths"]
    assert set(CODE_PATHS) <= set(paths)
    assert not any(path.startswith(("content", "data")) for path in paths)  # notes: pr.yml
    (job,) = workflow["jobs"].values()
    assert [s["run"] for s in steps(job) if "run" in s] == ["make test"]
    # Root in Debian: the Makefile installs Debian's Chromium with apt, as on a fresh clone.
    image = job["container"]["image"]
    assert image.startswith("python:3.11-") and "alpine" not in image
    assert workflow["permissions"] == {"contents": "read"}


def test_every_pull_request_checks_and_builds_whatever_it_changes():
    triggers = load("pr.yml")["on"]
    assert triggers["pull_request"] in (None, {}) or "paths" not in triggers["pull_request"]


def test_the_deploy_and_the_pr_build_set_up_the_runtime_only():
    for name, job in [("site.yml", "build"), ("pr.yml", "check-and-build")]:
        runs = [s.get("run", "") for s in steps(load(name)["jobs"][job])]
        assert "make setup" in runs, name
        text = "\n".join(runs)
        dev_only = (
            "make test",
            "setup-dev",
            "make lint",
            "pip install",
            "npm ",
            "[test]",
            "apt-get",
        )
        for dev in dev_only:
            assert dev not in text, f"{name}: {dev!r} on a runtime-only path"


def test_every_job_has_a_timeout():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = load(path.name)
        for name, job in workflow["jobs"].items():
            assert job.get("timeout-minutes"), f"{path.name}: job {name} has no timeout"


def test_an_oversized_site_is_never_uploaded():
    # publishconf.py makes the build a publishing one: over PAPERSHELF_MAX_SITE_BYTES
    # or PAPERSHELF_MAX_FILE_BYTES it exits 2, and a failed step stops the job.
    build = load("site.yml")["jobs"]["build"]
    names = [s.get("name", s.get("uses", "")) for s in steps(build)]
    build_step, upload = step(build, "Build the site"), step(build, "Upload the site")
    assert "--settings publishconf.py" in build_step["run"]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert names.index(build_step["name"]) < names.index(upload["name"])
    for later in (build_step, upload):
        assert "continue-on-error" not in later and "if" not in later
    assert "PAPERSHELF_PUBLISHING = True" in (ROOT / "publishconf.py").read_text(encoding="utf-8")


def test_the_daily_build_restores_its_caches_keyed_by_the_code():
    # A daily build renders only the day's pages when cache/ (render manifest, search
    # and related caches) and the last site in output/ come back; a theme, code,
    # package or settings change must start cold.
    build = load("site.yml")["jobs"]["build"]
    names = [s.get("name", s.get("uses", "")) for s in steps(build)]
    cache = next(s for s in steps(build) if s.get("uses", "").startswith("actions/cache@"))
    assert cache["uses"] == "actions/cache@v4"
    assert set(cache["with"]["path"].split()) == {"cache/", "output/"}
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"].strip()
    for hashed in ("theme/**", "plugins/**", "requirements/**", "pelicanconf.py"):
        assert f"'{hashed}'" in key and f"'{hashed}'" in restore, hashed
    assert key.startswith(restore) and key.endswith("${{ github.run_id }}")
    assert names.index(cache["name"]) < names.index(step(build, "Build the site")["name"])
    assert "if" not in cache and "continue-on-error" not in cache
