"""The GitHub workflows agree with the project: what they run, when, and what they set.

GitHub runs them, so nothing here runs them; these checks read them. (When they were
written they were also checked with actionlint, with shellcheck for the scripts; see the
comments in each file for the facts they rely on.)
"""

import re

import yaml

import downloads
import site_layout

WORKFLOWS = site_layout.ROOT / ".github" / "workflows"


def load(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))      # YAML 1.1 reads the key `on` as True
    return data


def steps(job):
    return job["steps"]


def runs(job):
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job):
    return [step["uses"] for step in steps(job) if "uses" in step]


def test_the_test_workflow_runs_ci_in_debian_bookworm():
    workflow = load("test.yml")
    job = workflow["jobs"]["test"]
    assert job["container"].startswith("python:3.11-bookworm")
    assert "bash .ci/run" in runs(job)
    assert "python -m nnguide download --data-dir .mnist" in runs(job)
    assert "NNGUIDE_TEST_MNIST=$GITHUB_WORKSPACE/.mnist" in runs(job)
    cached = [step["with"]["path"] for step in steps(job)
              if step.get("uses", "").startswith("actions/cache/")]
    assert cached == [".mnist", ".mnist"], "restored, and saved when it was downloaded"
    assert "tags" not in workflow["on"]["push"], "a tag's tests run in the release workflow"


def test_the_deploy_runs_only_after_the_tests_passed_on_main():
    test_name = load("test.yml")["name"]
    workflow = load("deploy.yml")
    trigger = workflow["on"]
    assert set(trigger) == {"workflow_run"}, "no other way in: no push, no manual run"
    assert trigger["workflow_run"] == {"workflows": [test_name], "types": ["completed"],
                                       "branches": ["main"]}
    build = workflow["jobs"]["build"]
    condition = " ".join(build["if"].split())
    for part in ("github.event.workflow_run.conclusion == 'success'",
                 "github.event.workflow_run.event == 'push'",
                 "github.event.workflow_run.head_branch == 'main'",
                 "github.event.workflow_run.head_repository.full_name == github.repository"):
        assert part in condition, part
    checkout = next(s for s in steps(build) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["ref"] == "${{ github.event.workflow_run.head_sha }}", \
        "the commit that was tested, not the newest one"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_the_deploy_sets_what_the_build_reads():
    build = load("deploy.yml")["jobs"]["build"]
    mkdocs_yml = site_layout.MKDOCS_YML.read_text(encoding="utf-8")
    for variable, key in (("NNGUIDE_SITE_URL", "site_url"), ("NNGUIDE_REPO_URL", "repo_url")):
        assert re.search(rf"^{key}: !ENV \[{variable}, \"\"\]$", mkdocs_yml, re.M), key
        assert f"{variable}=" in runs(build), variable
    pages = next(s for s in steps(build) if s.get("uses", "").startswith("actions/configure"))
    address = next(s for s in steps(build) if "NNGUIDE_SITE_URL=" in s.get("run", ""))
    assert address["env"]["SITE_URL"] == "${{ steps.%s.outputs.base_url }}" % pages["id"]
    site = next(s for s in steps(build) if "make build" in s.get("run", ""))
    assert site["env"] == {downloads.DOWNLOADS_ENV: "dist"}
    assert "make pdf" in runs(build) and "make offline" in runs(build)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses(build))


def test_a_release_is_tested_and_carries_the_downloads():
    workflow = load("release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    job = workflow["jobs"]["release"]
    assert job["container"].startswith("python:3.11-bookworm")
    script = runs(job)
    assert script.index("bash .ci/run") < script.index("make wheel") < script.index("make pdf")
    release = steps(job)[-1]
    assert release["uses"].startswith("softprops/action-gh-release@")
    assert release["with"]["files"] == "dist/*"


def test_actions_are_pinned_to_a_major_version():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in load(path.name)["jobs"].values():
            for action in uses(job):
                assert re.fullmatch(r"[\w-]+/[\w/-]+@v\d+", action), f"{path.name}: {action}"
