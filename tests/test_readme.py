"""The Python example in README.md runs as written, and its install commands match `.ci/run`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_python_example_runs(capsys) -> None:
    blocks = _code_blocks("python")
    assert blocks, "README.md must show a Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


def test_readme_test_command_is_what_ci_runs() -> None:
    shell_blocks = _code_blocks("sh")
    test_command = next(b.strip() for b in shell_blocks if "pytest" in b)
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci_script


def test_readme_demo_command_present() -> None:
    assert any(b.strip() == "pip install . && repm demo" for b in _code_blocks("sh"))
