"""Helper calls in compiled forward-mode code: `call_jvp` becomes a call of the helper's compiled tangent code.

In tangent code a call to another Python function is

    z, z_dot = call_jvp(squash, (x, a), (x_dot, a_dot))

which the Python runtime answers by generating the helper's forward-mode
program and running it. Compiled, the helper's program is generated once,
rewritten by numba_ready like any other (its own helper calls included) and
loaded as a module of its own; the caller's module imports its function and
calls it in place (jit/numba_source.py's call_jvp):

    z, z_dot = jvp_squash(x, a, x_dot, a_dot)

The program is the general one (no argument taken for a number, so valid for
numbers and arrays alike: numba specializes it on the types that reach it),
taking the tangents of the arguments whose tangent in the call is not None.
Anything it cannot compile is a refusal naming why, and the caller falls back.
"""
from __future__ import annotations


import numpy as np

from ..jit.numba_source import numba_ready, set_jvp_callees, set_jvp_of_gradient_callees
from .forward_mode import tangent_program
from .gradient_function import GradientFunction
from .jit_gradient import _holds, callee_refusal, compiled_callee

_COMPILED: dict = {}     # (helper, argument count, active, helpers calling it) -> compiled_jvp_callee's answer
_CALLING: list = []      # the helpers whose tangent code is being compiled, outermost first


def compiled_jvp_callee(callee, count: int, active: tuple):
    """(module, name, guards) of the compiled tangent code of `callee` called with `count` positional
    arguments, those at the positions `active` carrying tangents; or a string saying why it cannot be."""
    key = (callee, count, active, tuple(_CALLING))
    found = _COMPILED.get(key)
    if found is not None and (isinstance(found, str) or _holds(found[2])):
        return found
    _CALLING.append(callee)
    try:
        found = _COMPILED[key] = _compile(callee, count, active, key[3])
    finally:
        _CALLING.pop()
    return found


def _compile(callee, count, active, calling):
    refusal = callee_refusal(callee, count, calling, "the runtime helper `call_jvp` runs its tangent code")
    if refusal is not None:
        return refusal
    name = getattr(callee, "__qualname__", repr(callee))
    inline = "; write the called code inline to compile it"
    # stand-ins that fix only the kinds: a float array where a tangent comes in, an integer array (no
    # derivative) elsewhere, so nothing is taken for a number and the program holds for numbers and arrays
    stand_ins = tuple(np.zeros(1) if on else np.zeros(1, np.int64) for on in active)
    try:
        program, names = tangent_program(callee, stand_ins, active)
    except Exception as exc:                   # the caller's own transform reports it where it matters
        return f"a call to {name}, whose tangent code cannot be made ahead of the call ({type(exc).__name__}: {exc})"
    moving = tuple(n for n, on in zip(names, active) if on)
    if tuple(program.wrt) != moving:
        return f"a call to {name} whose tangent code takes other tangents than the call gives{inline}"
    source = numba_ready(program.source, program.function, callees=compiled_callee)
    if source.refusal is not None:
        construct, line = source.refusal
        return f"{construct}, in the tangent code of the called {name} (its generated line: {line.strip()})"
    if tuple(source.parameters) != (*names, *program.tangents):
        return f"a call to {name} whose tangent code takes its arguments in another order{inline}"
    from ..jit.compiler import load_callee
    return load_callee(source, f"{callee.__module__}.{name}.jvp"), source.name, source.guards


def compiled_jvp_of_gradient_callee(callee, count: int, active: tuple, moving: tuple):
    """(module, name, guards) of the tangent code of the gradient of `callee` (differentiated at the
    positions `active`, called with `count` positional arguments, those where `moving` is true carrying
    tangents), split as call_forward_jvp / call_backward_jvp run it (numba_source._split_tangent); or a
    string saying why it cannot be. Forward over reverse through a helper: the Hessian of a function that
    calls another."""
    key = ("jvp of gradient", callee, count, active, moving, tuple(_CALLING))
    found = _COMPILED.get(key)
    if found is not None and (isinstance(found, str) or _holds(found[2])):
        return found
    _CALLING.append(callee)
    try:
        found = _COMPILED[key] = _compile_jvp_of_gradient(callee, count, active, moving, key[-1])
    finally:
        _CALLING.pop()
    return found


def _compile_jvp_of_gradient(callee, count, active, moving, calling):
    refusal = callee_refusal(callee, count, calling, "the runtime helper `call_forward_jvp` runs its gradient")
    if refusal is not None:
        return refusal
    name = getattr(callee, "__qualname__", repr(callee))
    inline = "; write the called code inline to compile it"
    try:
        gradient = GradientFunction(callee, wrt=active)
        function = gradient.generated_function
        seeds = tuple(function.__kwdefaults__ or ())
        if len(seeds) != 1:
            return f"a call to {name} whose gradient takes other keyword arguments than its seed{inline}"
        # stand-ins fixing only the kinds, as for call_jvp; the seed carries a tangent (the cotangent's)
        stand_ins = tuple(np.zeros(1) if on else np.zeros(1, np.int64) for on in moving)
        program, names = tangent_program(function, stand_ins, moving, keywords={seeds[0]: np.zeros(1)})
    except Exception as exc:                   # the caller's own transform reports it where it matters
        return (f"a call to {name}, whose gradient's tangent code cannot be made ahead of the call "
                f"({type(exc).__name__}: {exc})")
    seed_dot = program.tangents[-1] if program.wrt[-1:] == seeds else None
    inputs = tuple(n for n, on in zip(names, moving) if on)
    if seed_dot is None or tuple(program.wrt[:-1]) != inputs:
        return f"a call to {name} whose gradient's tangent code takes other tangents than the call gives{inline}"
    source = numba_ready(program.source, program.function, callees=compiled_callee, split_seed=(seeds[0], seed_dot))
    if source.refusal is not None:
        construct, line = source.refusal
        return f"{construct}, in the tangent code of the gradient of the called {name} (its generated line: " \
               f"{line.strip()})"
    if tuple(source.parameters) != (*names, *program.tangents[:-1]):
        return f"a call to {name} whose gradient's tangent code takes its arguments in another order{inline}"
    from ..jit.compiler import load_callee
    return load_callee(source, f"{callee.__module__}.{name}.jvp_of_grad"), source.name, source.guards


set_jvp_callees(compiled_jvp_callee)
set_jvp_of_gradient_callees(compiled_jvp_of_gradient_callee)
