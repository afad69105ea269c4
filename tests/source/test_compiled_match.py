"""The quick paths of reading a function: the byte-for-byte comparison of the recompiled code
(compiled_match._same_code) and the def's end found from its code's positions (reading._def_blocks).
Each must still refuse a file edited since import, and still read what the slower paths read."""
import importlib
import sys
import textwrap

import gast
import pytest

import s2sgrad
from s2sgrad import grad
from s2sgrad.source import compiled_match, reading
from s2sgrad.source.reading import read_function


@pytest.fixture
def write_module(tmp_path, monkeypatch):
    """write_module(text) -> the module imported from a file holding `text` (forgotten afterwards)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    names = []

    def write(text):
        name = f"quick_read_{tmp_path.name}_{len(names)}"
        path = tmp_path / f"{name}.py"
        path.write_text(textwrap.dedent(text))
        names.append(name)
        module = importlib.import_module(name)
        module.path = path
        return module
    yield write
    for name in names:
        sys.modules.pop(name, None)


@pytest.fixture
def count_disassembly(monkeypatch):
    """How often the instruction comparison (the slow path) ran."""
    calls = []
    original = compiled_match._shape
    monkeypatch.setattr(compiled_match, "_shape", lambda code: calls.append(code) or original(code))
    return calls


MODULE = """\
import math


def wave(x):
    y = math.sin(x) * 2
    return y + math.exp(-x)
"""


def test_a_module_function_calling_module_methods_is_identical_without_disassembly(write_module, count_disassembly):
    module = write_module(MODULE)
    module.wave(0.5)                    # run once: what Python has specialized since changes nothing
    assert grad(module.wave)(0.0) == pytest.approx(2.0 - 1.0)
    assert count_disassembly == []


@pytest.mark.parametrize("edit", [
    ("math.sin(x) * 2", "math.sin(x) * 2.0"),       # the same bytes, a constant of another type
    ("math.sin(x) * 2", "math.cos(x) * 2"),          # the same bytes, another name
    ("* 2\n", "* 3\n"),                              # the same bytes, another value
    ("y + math", "y - math"),                        # another instruction, same length of line
])
def test_an_edit_of_the_same_lines_is_refused(write_module, edit):
    module = write_module(MODULE)
    module.path.write_text(MODULE.replace(*edit))
    with pytest.raises(s2sgrad.SourceUnavailableError, match="has changed since"):
        grad(module.wave)


def test_a_module_not_bound_by_import_is_matched_by_instructions(write_module, count_disassembly):
    # `m` holds a module but was not imported under that name: 3.11+ compile the call as a method call
    # there, so the recompiled text (given `import m`) is not byte-identical and the instructions decide
    module = write_module("""\
        import importlib
        m = importlib.import_module("math")


        def wave(x):
            return m.sin(x) * 2.0
        """)
    assert grad(module.wave)(0.0) == 2.0
    if sys.version_info >= (3, 11):
        assert count_disassembly


def test_identical_code_compares_constants_by_type():
    def compiled(text):
        module = compile(text, "<test>", "exec")
        return next(c for c in module.co_consts if hasattr(c, "co_code"))
    one, one_float = compiled("def f(x):\n    return x * 1\n"), compiled("def f(x):\n    return x * 1.0\n")
    assert one.co_code == one_float.co_code
    assert not compiled_match._same_code(one, one_float)
    zero, minus_zero = compiled("def f(x):\n    return x + 0.0\n"), compiled("def f(x):\n    return x + -0.0\n")
    assert not compiled_match._same_code(zero, minus_zero)
    assert compiled_match._same_code(one, compiled("def f(x):\n    return x * 1\n"))


def test_nested_code_is_compared_too():
    def compiled(text):
        module = compile(text, "<test>", "exec")
        return next(c for c in module.co_consts if hasattr(c, "co_code"))
    outer = "def f(x):\n    g = lambda y: y * {}\n    return g(x)\n"
    assert not compiled_match._same_code(compiled(outer.format(2)), compiled(outer.format(3)))
    assert compiled_match._same_code(compiled(outer.format(2)), compiled(outer.format(2)))


ENDINGS = """\
def ends_in_pass(x):
    y = x * 2.0
    return y
    pass


def ends_in_a_string(x):
    return x * 3.0
    "nothing runs here"


def ends_in_a_long_expression(x):
    return (x
            * 4.0
            )


def ends_in_a_nested_def(x):
    def inner(y):
        return (
            y * 5.0
        )
    return inner(x)


class Holder:
    def method(self, x):
        return x * 6.0
    # a comment after the method's last line
"""


@pytest.mark.parametrize("name, slope", [("ends_in_pass", 2.0), ("ends_in_a_string", 3.0),
                                         ("ends_in_a_long_expression", 4.0), ("ends_in_a_nested_def", 5.0)])
def test_defs_are_read_to_their_end(write_module, name, slope):
    module = write_module(ENDINGS)
    assert grad(getattr(module, name))(1.0) == slope


def test_a_def_cut_short_falls_back_to_the_tokenized_block(write_module, monkeypatch):
    # the end found from the code's positions gives a text that does not compile to the code:
    # the def is read as inspect.getblock finds it, not refused
    module = write_module(ENDINGS)
    monkeypatch.setattr(reading, "_code_end", lambda code: code.co_firstlineno + 1)
    source = read_function(module.ends_in_a_long_expression)      # cut inside the expression: no parse
    assert gast.unparse(source.tree).count("4.0") == 1
    assert grad(module.ends_in_pass)(1.0) == 2.0        # cut before the return: parses, other code
    assert grad(module.Holder().method)(1.0) == 6.0


def test_a_nested_class_is_read_at_its_own_lines(write_module):
    # 3.13 keeps a class body's first line as a constant: the code compiled at snippet line 1 differs,
    # and the text at its lines in the file is the one compared
    module = write_module("""\
        import math


        def with_class(x):
            class Local:
                scale = 2.0
            return x * Local.scale
        """)
    assert read_function(module.with_class).tree.name == "with_class"


def test_a_file_cut_inside_a_string_is_refused_with_a_clear_error(write_module):
    # tokenizing the def (inspect.getblock) fails on the changed file: the refusal says so, no TokenError
    module = write_module(MODULE)
    module.path.write_text(MODULE.split("def wave")[0] + 'def wave(x):\n    return """\n')
    with pytest.raises(s2sgrad.SourceUnavailableError, match="cannot read the source of 'wave'"):
        grad(module.wave)
