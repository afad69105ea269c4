"""The generated code lives in a real file that tracebacks, linecache and pdb can show."""
import linecache
import os
import pdb
import sys
import traceback

import pytest

from s2sgrad import grad

from . import debuggable_functions as d


def test_traceback_shows_the_generated_line():
    g = grad(d.log_of)
    with pytest.raises(ValueError) as info:
        g(-1.0)                                   # math.log of a negative number fails in the forward sweep
    frames = traceback.extract_tb(info.value.__traceback__)
    generated = [f for f in frames if f.name == "grad_log_of"]
    assert generated, [f.name for f in frames]
    assert "math.log(y)" in generated[0].line
    assert os.path.exists(generated[0].filename)            # a real file: IDE debuggers can open it
    assert "def grad_log_of" in "".join(linecache.getlines(generated[0].filename))


def test_pdb_can_step_into_the_generated_function(capsys):
    g = grad(d.log_of)
    commands = ["step", "step", "step", "list", "continue"]
    debugger = pdb.Pdb(stdin=_Lines(commands), stdout=sys.stdout)
    debugger.use_rawinput = False
    debugger.runcall(g.generated_function, 3.0)
    out = capsys.readouterr().out
    assert "grad_log_of" in out
    assert "y = x * 2.0" in out                    # pdb lists the generated source


class _Lines:
    def __init__(self, lines):
        self.lines = list(lines)

    def readline(self):
        return (self.lines.pop(0) if self.lines else "continue") + "\n"
