"""Derivative rules as data.

A rule says, for one primitive (an operator, a function, a method, an
attribute), how the adjoint of each input follows from the adjoint of the
result. Rules are written as one-line Python expressions, in the notation of
the generated code:

    define(np.sin, "x", dx="dy * np.cos(x)")
    define(gast.Mult, "a, b", da="dy * b", db="dy * a", broadcasts=True)

`y` is the primitive's result and `dy` its adjoint; the parameter list is an
ordinary Python parameter list (defaults allowed) that the call's arguments are
bound to, so positional and keyword calls both work. The transformer pastes the
expression into the generated code with the real names substituted, so the
printed gradient shows `dt1 = dt2 * np.cos(t1)`.

`broadcasts=True` marks elementwise primitives that follow NumPy broadcasting:
each contribution is reduced back to its input's shape (`unbroadcast`) unless
the transformer can tell no broadcasting happened.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import gast


class RuleError(ValueError):
    """A rule definition is malformed (raised when the rule is defined)."""


@dataclass(frozen=True)
class NonDifferentiable:
    """The primitive's result carries no derivative (comparisons, floor, shape queries)."""

    name: str


@dataclass
class AdjointRule:
    name: str
    signature: inspect.Signature
    defaults: dict[str, gast.expr]
    adjoints: dict[str, gast.expr]
    scalar_adjoints: dict[str, gast.expr] = field(default_factory=dict)
    result: str = "y"
    broadcasts: bool = False
    scalar_result: bool = False            # the result is a scalar whatever the inputs (math.*)
    namespace: dict[str, object] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    params_text: str = ""

    @property
    def seed(self) -> str:
        return "d" + self.result

    def template_for(self, param: str, all_scalar: bool) -> gast.expr | None:
        if all_scalar and param in self.scalar_adjoints:
            return self.scalar_adjoints[param]
        return self.adjoints.get(param)


def parse_expression(text: str) -> gast.expr:
    return gast.parse(text.strip(), mode="eval").body


def parse_parameters(params: str) -> tuple[inspect.Signature, dict[str, gast.expr]]:
    """'x, axis=None, *, keepdims=False' -> (Signature, {name: default expression})."""
    func = gast.parse(f"def _({params}): pass").body[0]
    args = func.args
    parameters, defaults = [], {}
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for i, a in enumerate(positional):
        kind = (inspect.Parameter.POSITIONAL_ONLY if a in args.posonlyargs
                else inspect.Parameter.POSITIONAL_OR_KEYWORD)
        default = inspect.Parameter.empty
        if i >= first_default:
            defaults[a.id] = args.defaults[i - first_default]
            default = defaults[a.id]
        parameters.append(inspect.Parameter(a.id, kind, default=default))
    if args.vararg is not None:
        parameters.append(inspect.Parameter(args.vararg.id, inspect.Parameter.VAR_POSITIONAL))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        if d is not None:
            defaults[a.id] = d
        parameters.append(inspect.Parameter(
            a.id, inspect.Parameter.KEYWORD_ONLY, default=d if d is not None else inspect.Parameter.empty))
    if args.kwarg is not None:
        parameters.append(inspect.Parameter(args.kwarg.id, inspect.Parameter.VAR_KEYWORD))
    return inspect.Signature(parameters), defaults


class RuleTable:
    """Rules keyed by the primitive: a callable, an operator class, ("method", name) or ("attr", name)."""

    def __init__(self, namespace: dict[str, object] | None = None):
        self._rules: dict[object, AdjointRule | NonDifferentiable] = {}
        self.namespace = dict(namespace or {})
        self.version = 0          # changes with every definition, so cached transformations can tell

    def define(self, key, params: str, *, result: str = "y", broadcasts: bool = False,
               scalar: dict[str, str] | None = None, scalar_result: bool = False,
               namespace: dict[str, object] | None = None, name: str | None = None,
               **adjoints: str) -> AdjointRule:
        signature, defaults = parse_parameters(params)
        param_names = set(signature.parameters)
        if result in param_names or "d" + result in param_names:
            raise RuleError(f"rule for {key!r}: parameter names clash with the result name {result!r}")
        parsed, texts = {}, {}
        for adjoint_name, text in adjoints.items():
            param = adjoint_name[1:] if adjoint_name.startswith("d") else None
            if param not in param_names:
                raise RuleError(
                    f"rule for {describe_key(key)}: {adjoint_name}= names no parameter "
                    f"(parameters: {', '.join(signature.parameters)}); write d<parameter>=\"...\""
                )
            parsed[param] = _parse_checked(text, key)
            texts[param] = text
        scalar_parsed = {k[1:]: _parse_checked(v, key) for k, v in (scalar or {}).items()}
        rule = AdjointRule(
            name=name or describe_key(key), signature=signature, defaults=defaults, adjoints=parsed,
            scalar_adjoints=scalar_parsed, result=result, broadcasts=broadcasts,
            scalar_result=scalar_result, namespace={**self.namespace, **(namespace or {})}, texts=texts,
        )
        rule.params_text = params
        self._rules[key] = rule
        self.version += 1
        return rule

    def nondifferentiable(self, *keys) -> None:
        for key in keys:
            self._rules[key] = NonDifferentiable(describe_key(key))
        self.version += 1

    def lookup(self, key):
        try:
            return self._rules.get(key)
        except TypeError:       # unhashable callables have no rule
            return None

    def __contains__(self, key) -> bool:
        return self.lookup(key) is not None

    def keys(self):
        return self._rules.keys()


def describe_key(key) -> str:
    if isinstance(key, tuple):
        kind, name = key
        return f".{name}()" if kind == "method" else f".{name}"
    if isinstance(key, type) and issubclass(key, gast.AST):
        return f"operator {key.__name__}"
    module = getattr(key, "__module__", None) or ""
    name = getattr(key, "__name__", repr(key))
    if module in ("builtins", ""):
        return name
    if module.startswith("numpy"):
        return f"np.{name}" if module in ("numpy", "numpy._core.umath", "numpy.core.umath") else f"{module.replace('numpy', 'np')}.{name}"
    return f"{module}.{name}"


def _parse_checked(text: str, key) -> gast.expr:
    try:
        return parse_expression(text)
    except SyntaxError as exc:
        raise RuleError(f"rule for {describe_key(key)}: {text!r} is not a Python expression ({exc.msg})") from None
