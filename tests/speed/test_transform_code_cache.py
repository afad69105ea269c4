"""The on-disk cache of compiled generated code (codegen/code_cache.py): reused, never trusted blindly."""
from __future__ import annotations

import builtins

import pytest

import s2sgrad
from s2sgrad.codegen import code_cache
from s2sgrad.transform import PREPARED

from . import cache_functions as f

TEXT = "def double(x):\n    return 2.0 * x\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("S2SGRAD_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("S2SGRAD_NO_CACHE", raising=False)
    PREPARED.clear()
    yield tmp_path / "code"
    PREPARED.clear()


@pytest.fixture
def compilations(monkeypatch):
    """Counts the texts code_cache compiles."""
    seen = []
    monkeypatch.setattr(code_cache, "compile", lambda *a: seen.append(a[1]) or builtins.compile(*a), raising=False)
    return seen


def run(code):
    namespace = {}
    exec(code, namespace)
    return namespace["double"](1.5)


def test_a_second_compilation_reads_the_first(folder, compilations):
    first = code_cache.compiled(TEXT, "/generated/a.py")
    second = code_cache.compiled(TEXT, "/generated/a.py")
    assert compilations == ["/generated/a.py"]
    assert second.co_filename == "/generated/a.py" and run(second) == run(first) == 3.0
    code_cache.compiled(TEXT, "/generated/b.py")           # another file name: its own entry
    code_cache.compiled(TEXT.replace("2.0", "3.0"), "/generated/a.py")
    assert len(compilations) == 3 and len(list(folder.glob("*.bin"))) == 3


@pytest.mark.parametrize("damage", [lambda data: data[:-5], lambda data: b"\0" * 32 + data[32:],
                                    lambda data: b"not marshal at all"])
def test_a_damaged_entry_is_compiled_again(folder, compilations, damage):
    code_cache.compiled(TEXT, "/generated/a.py")
    (entry,) = folder.glob("*.bin")
    entry.write_bytes(damage(entry.read_bytes()))
    code = code_cache.compiled(TEXT, "/generated/a.py")
    assert len(compilations) == 2 and run(code) == 3.0


def test_off_with_the_source_cache(folder, compilations, monkeypatch):
    monkeypatch.setenv("S2SGRAD_NO_CACHE", "1")
    code_cache.compiled(TEXT, "/generated/a.py")
    code_cache.compiled(TEXT, "/generated/a.py")
    assert len(compilations) == 2 and not list(folder.glob("*.bin"))


def test_a_gradient_from_cached_code_is_the_same(folder, compilations):
    first = s2sgrad.grad(f.polynomial, wrt=(0, 1))(0.5, 1.5)
    compiled_first = len(compilations)
    assert compiled_first >= 1              # the program for two floats (the general one: on demand)
    PREPARED.clear()                        # as a new process: the source cache and the code cache serve it
    g = s2sgrad.grad(f.polynomial, wrt=(0, 1))
    assert g(0.5, 1.5) == first and len(compilations) == compiled_first
