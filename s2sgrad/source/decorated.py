"""Decorated functions: differentiate the wrapper that runs, not the function it wraps.

A decorator written with `functools.wraps` returns a wrapper that carries the
wrapped function's name and signature, and `__wrapped__`. What a call runs is
the wrapper (`return 2.0 * func(*args, **kwargs)`), so that is the source
s2sgrad reads; the wrapped function is reached as a call, through the closure.

Most wrappers forward `*args, **kwargs`. s2sgrad differentiates functions with
named parameters, so the wrapper is given the wrapped function's parameters
and `func(*args, **kwargs)` becomes `func(x, y, scale=scale)`. That is the
same call as long as the wrapper does nothing else with `args` and `kwargs`;
anything else is refused with the line that does it.
"""
from __future__ import annotations

import inspect

import gast

from ..errors import UnsupportedConstructError


def forward_to_wrapped(src) -> None:
    """Give a `functools.wraps` wrapper in `src` (a FunctionSource) the parameters it is called with."""
    fn = src.function
    if getattr(fn, "__wrapped__", None) is None:
        return
    arguments = src.tree.args
    signature = inspect.signature(fn)              # follows __wrapped__: the parameters callers use
    if arguments.vararg is None and arguments.kwarg is None:
        _check_same_parameters(src, signature)
        return
    _check_forwarding_wrapper(src, signature)
    _replace_forwarded_calls(src, signature)
    positional = [p.name for p in signature.parameters.values() if p.kind == p.POSITIONAL_OR_KEYWORD]
    positional_only = [p.name for p in signature.parameters.values() if p.kind == p.POSITIONAL_ONLY]
    keyword_only = [p.name for p in signature.parameters.values() if p.kind == p.KEYWORD_ONLY]
    src.tree.args = gast.arguments(
        args=[_param(name) for name in positional], posonlyargs=[_param(name) for name in positional_only],
        vararg=None, kwonlyargs=[_param(name) for name in keyword_only],
        kw_defaults=[None] * len(keyword_only), kwarg=None, defaults=[],
    )


def _check_same_parameters(src, signature: inspect.Signature) -> None:
    arguments = src.tree.args
    own = [a.id for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    if own != list(signature.parameters):
        raise UnsupportedConstructError(
            f"the decorator's wrapper `{src.tree.name}({', '.join(own)})` of "
            f"`{src.function.__qualname__}{signature}`: their parameters differ",
            src.location(src.tree),
            "give the wrapper the same parameter names as the function it wraps, or (*args, **kwargs)",
        )


def _check_forwarding_wrapper(src, signature: inspect.Signature) -> None:
    """The rewrite is exact only for a wrapper that passes `*args`/`**kwargs` on unchanged."""
    arguments, where = src.tree.args, src.location(src.tree)
    name = src.function.__qualname__
    if arguments.posonlyargs or arguments.args or arguments.kwonlyargs:
        raise UnsupportedConstructError(
            f"the decorator's wrapper `{src.tree.name}` of `{name}`: it takes named parameters "
            "besides *args/**kwargs", where,
            "make the wrapper take only (*args, **kwargs), or the same parameters as the function it wraps",
        )
    kinds = {p.kind for p in signature.parameters.values()}
    if inspect.Parameter.VAR_POSITIONAL in kinds or inspect.Parameter.VAR_KEYWORD in kinds:
        raise UnsupportedConstructError(
            f"`{name}{signature}` through its decorator: s2sgrad differentiates functions with named "
            "parameters only", where, "give the decorated function named parameters",
        )
    defaults = [p.name for p in signature.parameters.values() if p.default is not p.empty]
    if defaults:
        raise UnsupportedConstructError(
            f"`{name}{signature}` through its decorator: the wrapper takes *args/**kwargs and the "
            f"function has default values ({', '.join(defaults)}), which the gradient would not see",
            where, "pass those arguments explicitly in a function without defaults, or give the wrapper "
                   "the same parameters (with the defaults) as the function it wraps",
        )
    needs_args = any(p.kind != p.KEYWORD_ONLY for p in signature.parameters.values())
    needs_kwargs = inspect.Parameter.KEYWORD_ONLY in kinds
    if (needs_args and arguments.vararg is None) or (needs_kwargs and arguments.kwarg is None):
        raise UnsupportedConstructError(
            f"the decorator's wrapper `{src.tree.name}` of `{name}{signature}`: it cannot take all of "
            "the function's parameters", where, "make the wrapper take (*args, **kwargs)",
        )
    taken = {p for p in signature.parameters} & _names_in(src.tree.body)
    if taken:
        raise UnsupportedConstructError(
            f"the decorator's wrapper `{src.tree.name}` of `{name}{signature}`: it uses the name(s) "
            f"{', '.join(sorted(taken))} of the function's parameters for something else", where,
            "rename those variables in the wrapper",
        )


def _replace_forwarded_calls(src, signature: inspect.Signature) -> None:
    """`*args` -> the positional parameters, `**kwargs` -> the keyword-only ones, in every call."""
    args_name = src.tree.args.vararg.id if src.tree.args.vararg is not None else None
    kwargs_name = src.tree.args.kwarg.id if src.tree.args.kwarg is not None else None
    positional = [p.name for p in signature.parameters.values() if p.kind != p.KEYWORD_ONLY]
    keyword_only = [p.name for p in signature.parameters.values() if p.kind == p.KEYWORD_ONLY]
    for node in gast.walk(src.tree):
        if not isinstance(node, gast.Call):
            continue
        new_args = []
        for arg in node.args:
            if isinstance(arg, gast.Starred) and _is_name(arg.value, args_name):
                new_args.extend(_load(name, arg) for name in positional)
            else:
                new_args.append(arg)
        new_keywords = []
        for keyword in node.keywords:
            if keyword.arg is None and _is_name(keyword.value, kwargs_name):
                new_keywords.extend(gast.keyword(arg=name, value=_load(name, keyword.value))
                                    for name in keyword_only)
            else:
                new_keywords.append(keyword)
        node.args, node.keywords = new_args, new_keywords
    for node in gast.walk(src.tree):             # what is left of args and kwargs is not a plain forward
        if isinstance(node, gast.Name) and node.id in (args_name, kwargs_name) \
                and not isinstance(node.ctx, gast.Param):
            passed_on = ", ".join(f"{star}{name}" for star, name in (("*", args_name), ("**", kwargs_name)) if name)
            raise UnsupportedConstructError(
                f"`{node.id}` in the decorator's wrapper of `{src.function.__qualname__}`: s2sgrad follows "
                f"a wrapper that only passes {passed_on} on to the function it wraps",
                src.location(node),
                "use the arguments inside the wrapped function, or give the wrapper the same named "
                "parameters as the function it wraps",
            )


def _names_in(body) -> set[str]:
    return {node.id for statement in body for node in gast.walk(statement) if isinstance(node, gast.Name)}


def _is_name(node, name) -> bool:
    return name is not None and isinstance(node, gast.Name) and node.id == name


def _param(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Param(), annotation=None, type_comment=None)


def _load(name: str, like) -> gast.Name:
    node = gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)
    return gast.copy_location(node, like)
