"""What a failed run of generated code had computed: the user's result, read from its frame.

When a gradient's generated code raises, `grad` wants to know whether the
function's result was a real scalar (a vector's reverse sweep seeded with the
number 1.0 fails at its first matrix product, and "grad needs a scalar
output" is the error to show). Running the function again to find out would
repeat its side effects (a print, a random draw, a file written) and could
even give another result. It need not run again: the traceback holds the
generated function's frame, whose locals are every value its forward sweep
computed, and the generated code names the result in its `return`. A failure
in the reverse sweep comes after the whole forward sweep, so the result is
there; a failure in the forward sweep is the function's own failure (its
forward sweep is the function's statements), and that error stands.

The same holds one level up, where forward mode differentiates a gradient's
code (a Hessian, `jvp(grad(f), ...)`): the tangent code keeps the gradient
code's names, and its failing line is traced back to the gradient code's line
(error_sites.py) to tell the two sweeps apart.
"""
from __future__ import annotations

import ast

from .error_sites import generated_line_origin

MISSING = object()
_REVERSE_MARK = "# reverse sweep"


def computed_result(error: BaseException, prepared, has_aux: bool):
    """The result (has_aux: its first part) the generated run that raised `error` had computed before its
    reverse sweep failed, or MISSING where it failed in the forward sweep or is not one of `prepared`'s."""
    found = outermost_frame(error, prepared)
    if found is None:
        return MISSING
    tb, program = found
    if tb.tb_lineno <= _reverse_line(program):
        return MISSING
    return _value(tb.tb_frame, _result_expression(program.source, has_aux))


def computed_result_under_derivative(error: BaseException, gradient_program, derivative_prepared):
    """The same for a failed run of forward mode over `gradient_program`'s code (`derivative_prepared`: the
    transformation of that code): the result the gradient code had computed, where the failing line is one
    of its reverse sweep."""
    found = outermost_frame(error, derivative_prepared)
    if found is None:
        return MISSING
    tb, _ = found
    code = tb.tb_frame.f_code
    origin = generated_line_origin(derivative_prepared, code, tb.tb_lineno)
    if origin is None or origin.filename != gradient_program.function.__code__.co_filename \
            or origin.lineno <= _reverse_line(gradient_program):
        return MISSING
    return _value(tb.tb_frame, _result_expression(gradient_program.source, False))


def unsplit_result(error: BaseException, prepared):
    """With has_aux: the function's result, where the failed run stopped taking it apart into (value, aux)
    (`value = f[0]`, a result that is not a pair); MISSING where it failed elsewhere."""
    found = outermost_frame(error, prepared)
    if found is None:
        return MISSING
    tb, program = found
    returned = _result_expression(program.source, False)
    if not isinstance(returned, ast.Tuple) or len(returned.elts) != 2:
        return MISSING
    parts = {e.id for e in returned.elts if isinstance(e, ast.Name)}
    lines = program.source.splitlines()
    index = tb.tb_lineno - tb.tb_frame.f_code.co_firstlineno
    try:
        failing = ast.parse(lines[index].strip()).body[0] if 0 <= index < len(lines) else None
    except SyntaxError:
        return MISSING
    if isinstance(failing, ast.Assign) and len(failing.targets) == 1 and isinstance(failing.targets[0], ast.Name) \
            and failing.targets[0].id in parts and isinstance(failing.value, ast.Subscript) \
            and isinstance(failing.value.value, ast.Name) and isinstance(failing.value.slice, ast.Constant):
        return _value(tb.tb_frame, failing.value.value)
    return MISSING


def outermost_frame(error, prepared):
    """(traceback entry, program) of the outermost frame of one of `prepared`'s programs: the run the caller
    started (an inner one is a recursive call's)."""
    programs = {}
    for program in list(prepared.programs.values()):
        function = getattr(program, "function", None)
        if function is not None and hasattr(function, "__code__"):
            programs[function.__code__] = program
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code not in programs:
        tb = tb.tb_next
    return None if tb is None else (tb, programs[tb.tb_frame.f_code])


def _reverse_line(program) -> float:
    """The file line of the program's `# reverse sweep` comment (infinity without one: nothing to reverse).
    Line i of the program's text is line co_firstlineno + i of its file (codegen/loader.py wraps it)."""
    for i, line in enumerate(program.source.splitlines()):
        if line.strip().startswith(_REVERSE_MARK):
            return program.function.__code__.co_firstlineno + i
    return float("inf")


def _result_expression(source: str, has_aux: bool):
    """The expression the generated function returns as the function's result: `return (value, grads)`,
    its value `(result, aux)` with has_aux."""
    returned = ast.parse(source).body[0].body[-1]
    if not isinstance(returned, ast.Return) or not isinstance(returned.value, ast.Tuple):
        return None
    value = returned.value.elts[0]
    if has_aux:
        value = value.elts[0] if isinstance(value, ast.Tuple) and value.elts else None
    return value


def _value(frame, expression):
    if isinstance(expression, ast.Constant):
        return expression.value
    if isinstance(expression, ast.Name):
        code = frame.f_code
        if expression.id in code.co_varnames + code.co_cellvars + code.co_freevars:
            return frame.f_locals.get(expression.id, MISSING)
        return frame.f_globals.get(expression.id, MISSING)     # a function returning a global as it is
    return MISSING
