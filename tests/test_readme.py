"""README.md and the docs show real output.

Every ```python block runs. A block that follows a line `<!-- output -->` is
exactly what the python block before it prints. README blocks run one by one,
each saved as example.py in an empty folder, as a reader would run them;
docs/pipeline.md's blocks run in order as one script, one session. In
```console blocks every `$ ` line runs from the repository root, and the lines
under it are its output.

After a change to what s2sgrad prints, `python -m tests.test_readme` rewrites
every output block from a fresh run; read the diff before committing it.
"""
from __future__ import annotations

import os
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PIPELINE = ROOT / "docs" / "pipeline.md"
FUNCTIONS = ROOT / "docs" / "functions.md"
HIGHER_ORDER = ROOT / "docs" / "higher_order.md"
DOCUMENTS = {README: "one script per block", PIPELINE: "one session", FUNCTIONS: "one session",
             HIGHER_ORDER: "one session"}
TIMEOUT = 120

_FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_OUTPUT_MARK = "<!-- output -->"
_MARKER = "#### s2sgrad documentation block {} ####"


class Block:
    def __init__(self, match, text: str):
        self.language = match.group(1)
        self.body = match.group(2)
        self.body_start, self.body_end = match.start(2), match.end(2)
        self.is_output = text[:match.start()].rstrip().endswith(_OUTPUT_MARK)
        self.expected: Block | None = None          # for code: the output block after it


def blocks(text: str) -> list[Block]:
    found = [Block(m, text) for m in _FENCE.finditer(text)]
    for block, after in zip(found, found[1:]):
        if not block.is_output and after.is_output:
            block.expected = after
    return found


def code_blocks(text: str) -> list[Block]:
    return [b for b in blocks(text) if b.language == "python" and not b.is_output]


def _python(script: str, folder: pathlib.Path) -> str:
    path = folder / "example.py"
    path.write_text(script, encoding="utf-8")
    result = subprocess.run([sys.executable, path.name], cwd=folder, capture_output=True, text=True,
                            timeout=TIMEOUT)
    assert result.returncode == 0, f"this block failed:\n{script}\n{result.stderr}"
    return result.stdout.replace(str(folder) + os.sep, "")


def outputs(path: pathlib.Path) -> list[str]:
    """What each python block of the document prints, in order."""
    code = [b.body for b in code_blocks(path.read_text(encoding="utf-8"))]
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder).resolve()
        if DOCUMENTS[path] == "one script per block":
            return [_python(body, folder) for body in code]
        script = "".join(f"print({_MARKER.format(i)!r})\n{body}" for i, body in enumerate(code))
        printed = _python(script, folder)
    pieces = re.split(r"^" + re.escape(_MARKER).replace(r"\{\}", r"\d+") + r"\n", printed, flags=re.MULTILINE)
    return pieces[1:]


def console_commands(text: str) -> list[tuple[str, str, Block]]:
    """(command, the output shown under it, block) for each `$ ` line of the console blocks."""
    found = []
    for block in blocks(text):
        if block.language != "console":
            continue
        for piece in re.split(r"^\$ ", block.body, flags=re.MULTILINE)[1:]:
            command, _, shown = piece.partition("\n")
            found.append((command, shown, block))
    return found


def run_command(command: str) -> str:
    words = shlex.split(command)
    assert words[0] == "python", f"console blocks run python commands only: {command}"
    result = subprocess.run([sys.executable, *words[1:]], cwd=ROOT, capture_output=True, text=True,
                            timeout=TIMEOUT)
    assert result.returncode == 0, f"`{command}` failed:\n{result.stderr}"
    return result.stdout


def _same(shown: str, printed: str) -> bool:
    def lines(text):
        return [line.rstrip() for line in text.rstrip().splitlines()]
    return lines(shown) == lines(printed)


@pytest.mark.parametrize("path", list(DOCUMENTS), ids=lambda p: p.name)
def test_every_python_block_runs_and_prints_what_the_document_shows(path):
    text = path.read_text(encoding="utf-8")
    code = code_blocks(text)
    assert code, f"{path.name} has no python block"
    for block, printed in zip(code, outputs(path), strict=True):
        if block.expected is not None:
            assert _same(block.expected.body, printed), (
                f"{path.name}: the block\n{block.body}\nnow prints\n{printed}\n"
                "run `python -m tests.test_readme` to update the document, then read the diff")


@pytest.mark.parametrize("path", list(DOCUMENTS), ids=lambda p: p.name)
def test_every_console_command_runs_and_prints_what_the_document_shows(path):
    for command, shown, _ in console_commands(path.read_text(encoding="utf-8")):
        printed = run_command(command)
        if shown.strip():
            assert _same(shown, printed), f"{path.name}: `{command}` now prints\n{printed}"


def test_readme_opens_with_the_two_setup_commands():
    first, second = [b.body.strip() for b in blocks(README.read_text(encoding="utf-8"))[:2]]
    assert first == "python -m pip install -e . && python examples/seed000_computation_graph.py"
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert ci[0] == second, "the README's test command must be the first command .ci/run runs"
    assert "for minor in 3.10 3.13; do" in ci, "the README says .ci/run also runs the suite on 3.10 and 3.13"


# written by the work on user functions and containers, which the README already points to
PENDING = {"docs/functions.md"}


@pytest.mark.parametrize("path", list(DOCUMENTS), ids=lambda p: p.name)
def test_links_to_files_of_the_repository_exist(path):
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        resolved = (path.parent / target).resolve()
        if resolved.relative_to(ROOT).as_posix() in PENDING:
            continue
        assert resolved.exists(), f"{path.name} links to {target}, which does not exist"


@pytest.mark.parametrize("path", list(DOCUMENTS), ids=lambda p: p.name)
def test_files_the_document_names_exist(path):
    """`s2sgrad/reverse/emitter.py` and the like: a newcomer looks for them there."""
    text = path.read_text(encoding="utf-8")
    for named in re.findall(r"`((?:s2sgrad|tests|examples|benchmarks|docs)/[\w/.]*)`", text):
        assert (ROOT / named).exists(), f"{path.name} names {named}, which does not exist"


def regenerate(path: pathlib.Path) -> None:
    """Rewrite the output blocks of `path` with what its code prints now."""
    text = path.read_text(encoding="utf-8")
    edits = []                                  # (start, end, new text) of output bodies
    for block, printed in zip(code_blocks(text), outputs(path), strict=True):
        if block.expected is not None:
            edits.append((block.expected.body_start, block.expected.body_end, printed.rstrip() + "\n"))
    for command, shown, block in console_commands(text):
        if shown.strip():
            start = text.index(f"$ {command}\n", block.body_start) + len(f"$ {command}\n")
            edits.append((start, start + len(shown), run_command(command).rstrip() + "\n"))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    for document in DOCUMENTS:
        regenerate(document)
