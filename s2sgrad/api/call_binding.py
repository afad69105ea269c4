"""A gradient called with arguments the user's function does not take: the function's own TypeError.

The generated function has the user's parameters plus one keyword-only
parameter, the seed (`dy=1.0`, the derivative of the result). So a call with
a missing or extra argument fails as the user's function would, but Python
names the generated function (`f.<grad_f>() takes 1 positional argument but 2
were given`), and a keyword argument that happens to be spelled like the seed
would be taken for it and scale every gradient silently. The first is said
with the user's function's name; the second is refused before the call.
"""
from __future__ import annotations

import inspect
import re

from ..errors import S2SGradError
from .failed_run import outermost_frame

# Python's message for a call it cannot bind starts with the function's qualified name; a generated
# function's is `<user's qualname>.<grad_f>` (codegen/loader.py), forward mode over it `f.<grad_f>.<jvp_grad_f>`
_GENERATED_CALL = re.compile(r"^(?P<user>\S*?)(?:\.<(?:grad|record|jvp)_\w*>)+\(\) ")
_GENERATED_KEYWORDS = re.compile(r" \(and \d+ keyword-only arguments?\)")


def unbound_call_error(error: BaseException, prepared) -> TypeError | None:
    """The TypeError to raise instead of `error` when `error` is Python refusing the arguments of the call to
    one of `prepared`'s generated functions (none when it is anything else: a helper's call refused inside
    the generated code, which did start, is the user's own line's error)."""
    if not isinstance(error, TypeError) or not error.args or not isinstance(error.args[0], str) \
            or outermost_frame(error, prepared) is not None:
        return None
    message = error.args[0]
    match = _GENERATED_CALL.match(message)
    if match is None:
        return None
    # the keyword-only parameters a generated function adds (its seed, forward mode's tangents) are not the user's
    rest = _GENERATED_KEYWORDS.sub("", message[match.end():])
    return TypeError(f"{match.group('user')}() {rest}")


def refuse_unbindable(fun, name: str, args: tuple, kwargs=None) -> None:
    """Raise the TypeError of calling `fun` (shown as `name`) with these arguments where Python would refuse
    them: a transformation that found no parameter for an argument (vjp's primals, a Jacobian's `wrt`)
    says so in the call's terms, not its own."""
    try:
        signature = inspect.signature(fun)
    except (TypeError, ValueError):         # a builtin without a signature: the transformation's error stands
        return
    try:
        signature.bind(*args, **(kwargs or {}))
    except TypeError as error:
        raise TypeError(f"{name}(): {error}") from None


def refuse_seed_keyword(target, seed_name: str, kwargs: dict) -> None:
    """Refuse a keyword argument named like the generated function's seed, which would take it for the
    derivative of the result."""
    if seed_name not in kwargs:
        return
    takes_any = any(p.kind is p.VAR_KEYWORD for p in inspect.signature(target).parameters.values())
    if not takes_any:        # the user's function has no such parameter: Python's own error for that call
        raise TypeError(f"{target.__qualname__}() got an unexpected keyword argument '{seed_name}'")
    raise S2SGradError(
        f"the gradient of {target.__qualname__} takes the keyword argument `{seed_name}` for the derivative of "
        f"the result (its seed), so it cannot pass `{seed_name}` into **{_var_keyword(target)}; pass that "
        "value under another keyword")


def _var_keyword(target) -> str:
    return next(p.name for p in inspect.signature(target).parameters.values() if p.kind is p.VAR_KEYWORD)
