"""A file edited after its functions were defined is refused, never differentiated as it now reads."""
import importlib
import linecache
import sys

import pytest

import s2sgrad
from s2sgrad import grad

MODULE = '''\
import math


def cube(x):
    return x ** 3


def wave(x):
    return math.sin(x) * x


line = lambda x: 2.0 * x
'''


def checked_square(x):
    assert x >= 0.0, "x must not be negative"
    return x * x


def test_function_with_an_assert_in_a_module_pytest_rewrote():
    # pytest compiles this module with its asserts rewritten: that is not a changed file
    assert grad(checked_square)(3.0) == 6.0


@pytest.fixture
def module_on_disk(tmp_path, monkeypatch):
    """Write a module, import it, and hand back (module, path); forgotten again afterwards."""
    name = f"user_module_{tmp_path.name}"
    path = tmp_path / f"{name}.py"
    path.write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module(name)
    yield module, path
    sys.modules.pop(name, None)


def test_unchanged_file_is_read(module_on_disk):
    module, _ = module_on_disk
    assert grad(module.cube)(2.0) == 12.0
    assert grad(module.line)(5.0) == 2.0


def test_rewritten_body_is_refused(module_on_disk):
    module, path = module_on_disk
    path.write_text(MODULE.replace("x ** 3", "x ** 2"))
    with pytest.raises(s2sgrad.SourceUnavailableError, match=r"'cube'.*has changed since the function was "
                                                              r"defined.*importlib.reload"):
        grad(module.cube)


def test_lines_inserted_above_are_refused(module_on_disk):
    module, path = module_on_disk
    path.write_text(MODULE.replace("import math\n", "import math\nimport os\n\n\ndef other(y):\n    return y\n"))
    with pytest.raises(s2sgrad.SourceUnavailableError, match="has changed since"):
        grad(module.wave)


def test_rewritten_lambda_is_refused(module_on_disk):
    module, path = module_on_disk
    path.write_text(MODULE.replace("2.0 * x", "3.0 * x"))
    with pytest.raises(s2sgrad.SourceUnavailableError, match=r"lambda.*changed since the lambda was defined"):
        grad(module.line)


def test_a_file_rewritten_with_the_same_text_is_still_read(module_on_disk):
    module, path = module_on_disk
    path.write_text(MODULE + "\n\n# a comment at the end moves nothing\n")
    assert grad(module.wave)(0.0) == 0.0


def test_after_reload_the_new_text_is_differentiated(module_on_disk):
    module, path = module_on_disk
    path.write_text(MODULE.replace("x ** 3", "x ** 2"))
    module = importlib.reload(module)
    assert grad(module.cube)(2.0) == 4.0


def test_source_registered_in_linecache_is_read():
    # what a notebook does: the cell's text is in linecache under a name that is not a file
    text = "def scaled(x):\n    return 5.0 * x * x\n\nhalf = lambda x: 0.5 * x\n"
    filename = "<notebook cell s2sgrad-test>"
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    namespace = {}
    exec(compile(text, filename, "exec"), namespace)
    assert grad(namespace["scaled"])(1.0) == 10.0
    assert grad(namespace["half"])(1.0) == 0.5
