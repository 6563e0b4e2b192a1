"""The GitHub Actions workflows: actionlint (with ShellCheck on the run: scripts) finds
nothing, and the security design of publishing holds (docs/reference/publishing.md):
code of a pull request runs only in `pull_request` jobs with a read-only token and no
secrets; the privileged workflows (workflow_run, pull_request_target) check out nothing but
gh-pages and run none of the project's code; no run: script interpolates an expression;
main's deploy keeps pr-preview/ and never force-pushes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    found = BIN / name if (BIN / name).is_file() else shutil.which(name)
    assert found, f"{name} is not installed (pinned in requirements.lock: see docs/reference/publishing.md)"
    return str(found)


def actionlint(folder: Path) -> subprocess.CompletedProcess:
    shellcheck = tool("shellcheck")  # actionlint checks run: scripts with it when it is on PATH
    env = {**os.environ, "PATH": f"{Path(shellcheck).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    files = sorted(str(p) for p in folder.glob("*.y*ml"))
    return subprocess.run([tool("actionlint"), "-no-color", "-oneline", "-pyflakes=", *files],
                          capture_output=True, text=True, cwd=folder, env=env, timeout=120)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def workflows() -> dict[str, dict]:
    found = {p.name: load(p) for p in sorted(WORKFLOWS.glob("*.y*ml"))}
    assert found, "no workflows"
    return found


def triggers(wf: dict) -> set[str]:
    on = wf["on"]
    return {on} if isinstance(on, str) else set(on)


def steps(wf: dict):
    for name, job in wf["jobs"].items():
        for step in job.get("steps", []):
            yield name, job, step


def test_actionlint_finds_nothing():
    result = actionlint(WORKFLOWS)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_actionlint_would_catch_an_injection_and_a_shell_mistake(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("name: Bad\non: pull_request\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
                   "      - run: echo $UNQUOTED\n")
    result = actionlint(tmp_path)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout and "SC2086" in result.stdout, result.stdout


def test_actions_are_pinned_by_commit():
    for name, wf in workflows().items():
        for job, _, step in steps(wf):
            if "uses" in step and not step["uses"].startswith("./"):
                assert SHA_PIN.match(step["uses"]), (name, job, step["uses"])


def test_no_run_script_interpolates_an_expression():
    """Values reach scripts only through env: (an expression inside run: is pasted into the
    script before the shell reads it: a title or branch name could be code)."""
    for name, wf in workflows().items():
        for job, _, step in steps(wf):
            assert "${{" not in step.get("run", ""), (name, job, step.get("name"), "use env: instead")
            if step.get("uses", "").startswith("actions/github-script@"):  # the same for scripts in JavaScript
                assert "${{" not in (step.get("with") or {}).get("script", ""), (name, job)


def test_pull_request_code_runs_with_a_read_only_token_and_no_secrets():
    seen = 0
    for name, wf in workflows().items():
        if "pull_request" not in triggers(wf):
            continue
        text = yaml.safe_dump(wf)  # without the comments
        assert "secrets." not in text and "secrets:" not in text, name
        assert "pull_request_target" not in triggers(wf), name
        assert wf.get("permissions") == {"contents": "read"}, name
        for job_name, job in wf["jobs"].items():
            if "github.event_name == 'push'" in str(job.get("if", "")):
                continue  # never runs for a pull request (main's deploy)
            assert job.get("permissions", wf["permissions"]) == {"contents": "read"}, (name, job_name)
            seen += 1
    assert seen >= 2  # the tests and the preview build


def test_privileged_workflows_never_check_out_or_run_pull_request_code():
    privileged = {n: wf for n, wf in workflows().items() if triggers(wf) & {"workflow_run", "pull_request_target"}}
    assert {"workflow_run", "pull_request_target"} <= set().union(*(triggers(wf) for wf in privileged.values()))
    for name, wf in privileged.items():
        assert wf.get("permissions") == {}, name  # each job asks for what it needs
        for job, _, step in steps(wf):
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout@"):
                assert (step.get("with") or {}).get("ref") == "gh-pages", (name, job, step)
            script = step.get("run", "")
            for forbidden in ("build.py", "make ", ".venv", "pip ", "npm ", "bash ./", "sh ./", "source "):
                assert forbidden not in script, (name, job, forbidden)


def test_preview_deploy_checks_the_number_and_quotes_the_summary_from_a_file():
    wfs = workflows()
    (name, deploy), = [(n, wf) for n, wf in wfs.items() if "workflow_run" in triggers(wf)]
    preview = [wf for wf in wfs.values() if "pull_request" in triggers(wf) and "diff" in yaml.safe_dump(wf)]
    assert preview and deploy["on"]["workflow_run"]["workflows"] == [preview[0]["name"]]
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert "^[1-9][0-9]{0,8}$" in text  # the artifact's number is an integer ...
    assert '"$head_sha" != "$HEAD_SHA"' in text  # ... of an open pull request at the commit built
    assert 'name == "preview"' in text  # forks only with the maintainers' label
    assert "--rawfile body" in text and "--input" in text  # the body from a file, through jq
    for _, job, step in steps(deploy):
        if "download-artifact" in step.get("uses", ""):
            assert step["with"]["run-id"] == "${{ github.event.workflow_run.id }}"


def test_main_deploy_keeps_the_previews_and_never_force_pushes():
    deploys = [(n, s) for n, wf in workflows().items() for _, _, s in steps(wf)
               if s.get("uses", "").startswith("JamesIves/github-pages-deploy-action@")]
    assert len(deploys) == 1
    name, step = deploys[0]
    options = step["with"]
    assert options["branch"] == "gh-pages" and options["force"] is False
    assert "pr-preview/" in options["clean-exclude"].split()
    for wf_name, wf in workflows().items():
        for _, _, s in steps(wf):
            script = s.get("run", "")
            assert not re.search(r"git push[^\n]*(--force|\s-f\b|\s\+)", script), wf_name
    ci = workflows()[name]
    assert ci["on"]["push"]["branches"] == ["main"]
    runs = "\n".join(s.get("run", "") for _, _, s in steps(ci))
    for command in ("sudo make system-deps", "make test", "build.py build --pdf"):
        assert command in runs, command
