"""The primitive table: one entry per primitive, holding its facts and its derivative rules.

An entry says what a primitive is (elementwise, linear, broadcasting, always a
scalar, ...) and how derivatives pass through it, in both directions:

- the **reverse slot** gives, for each parameter, its adjoint as an expression of
  the result's adjoint `dy`, the result `y` and the parameters:

      define(np.sin, "x", dx="dy * np.cos(x)", elementwise=True)

- the **forward slot** gives, for each parameter, its contribution to the
  result's tangent as an expression of that parameter's tangent `<name>_dot`:

      define(np.linalg.inv, "a", da="...", jvp={"a": "-y @ a_dot @ y"})

Most entries never spell out the forward slot; their facts give it:

- `elementwise=True`: the Jacobian is diagonal, so the tangent contribution is
  the adjoint expression with `dy` replaced by `<name>_dot` (`x_dot * np.cos(x)`).
- `linear=True`: the result is linear in its differentiable parameters taken
  together (`np.sum`, `np.reshape`, `x.T`): the tangent is the same operation
  applied to the tangents (`np.sum(x_dot, axis=0)`), the others set to zero.
- `multilinear=True`: linear in each differentiable parameter separately
  (`*`, `@`, `np.dot`, `np.einsum`): each contribution is the operation with
  that one parameter replaced by its tangent (`a_dot @ b`, `a @ b_dot`).

Parameter lists are ordinary Python parameter lists (defaults allowed), so
positional and keyword calls bind alike. The transformer pastes the expressions
into the generated code with the real names substituted, so a printed gradient
shows `dt1 = dt2 * np.cos(t1)` and a printed tangent `t2_dot = t1_dot * np.cos(t1)`.

`broadcasts=True` marks primitives that follow NumPy broadcasting: an adjoint
is reduced back to its input's shape (`unbroadcast`), a tangent stretched to
the result's, unless the transformer can tell no broadcasting happened.
"""
from __future__ import annotations

import dataclasses
import inspect
import sys
from dataclasses import dataclass, field

import gast


class RuleError(ValueError):
    """A rule definition is malformed (raised when the rule is defined)."""


@dataclass(frozen=True)
class Facts:
    """What the transformer may assume about a primitive, besides its derivatives."""

    elementwise: bool = False      # each element of the result depends on the same element of each input alone
    broadcasts: bool = False       # its array operands follow NumPy broadcasting
    linear: bool = False           # linear in its differentiable parameters taken together
    multilinear: bool = False      # linear in each differentiable parameter when the others are fixed
    scalar_result: bool = False    # the result is a scalar whatever the inputs (math.*)
    domain: str = "any"            # where its inputs are smooth, for generated checks: any, pos, unit, gt1, away
    constant: tuple = ()           # parameters the result is piecewise constant in: their derivative is 0
    container: bool = False        # the result may be a tuple or list (np.split, eigh): adjoints add elementwise
    # both slots hold for complex values, in the convention of autograd and JAX (the adjoint of z = x + iy is
    # dL/dx - i dL/dy, so a holomorphic rule is its real one, `dy * np.cos(x)`, no conjugate); entries without
    # it refuse complex operands (analysis/complex_values.py)
    complex: bool = False
    complex_result: str = "same"   # same: complex iff an operand is; real: never (np.abs); complex: always (fft)
    # memory: "view" if the result may share memory with the first argument (np.reshape, x.T), "new" if it
    # never shares memory with an argument (np.zeros, np.concatenate); in-place writes follow it (ssa/inplace.py)
    memory: str = ""
    calls: tuple = ()              # parameters holding a function the primitive calls (odeint's func): a
    #                                derivative reaching that function through what it reads is refused


SAME_OPERATION = "same operation"   # a forward slot meaning: the primitive itself, applied to the tangent


@dataclass(frozen=True)
class NonDifferentiable:
    """The primitive's result carries no derivative (comparisons, floor, shape queries)."""

    name: str
    memory: str = ""              # as Facts.memory: np.zeros allocates, whatever it is differentiable in
    differentiable = False

    def __deepcopy__(self, memo):       # an entry of the table: shared, never copied with a program
        return self


@dataclass(frozen=True)
class RefusesDerivatives(NonDifferentiable):
    """A primitive whose result cannot hold values that carry derivatives (a set has no order, so no
    element's adjoint could find its way back): its operands must carry none; one that does is refused
    where it is used, with `construct` and `hint` (transform.py), never given a silent zero."""

    construct: str = ""
    hint: str = ""


@dataclass
class Rule:
    """One entry of the table: a differentiable primitive's facts and its reverse and forward slots."""

    name: str
    signature: inspect.Signature
    defaults: dict[str, gast.expr]
    adjoints: dict[str, gast.expr]                 # reverse slot: parameter -> adjoint template
    scalar_adjoints: dict[str, gast.expr] = field(default_factory=dict)
    tangents: dict[str, object] = field(default_factory=dict)   # forward slot: parameter -> template or SAME_OPERATION
    scalar_tangents: dict[str, gast.expr] = field(default_factory=dict)
    result: str = "y"
    facts: Facts = Facts()
    namespace: dict[str, object] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    params_text: str = ""
    differentiable = True

    def __deepcopy__(self, memo):       # an entry of the table: shared, never copied with a program
        return self

    @property
    def seed(self) -> str:
        return "d" + self.result

    @property
    def broadcasts(self) -> bool:
        return self.facts.broadcasts

    @property
    def scalar_result(self) -> bool:
        return self.facts.scalar_result

    def template_for(self, param: str, all_scalar: bool) -> gast.expr | None:
        """The adjoint template of `param` (reverse slot)."""
        if all_scalar and param in self.scalar_adjoints:
            return self.scalar_adjoints[param]
        return self.adjoints.get(param)

    def tangent_for(self, param: str, all_scalar: bool):
        """The tangent contribution of `param` (forward slot): a template, SAME_OPERATION or None."""
        if all_scalar and param in self.scalar_tangents:
            return self.scalar_tangents[param]
        return self.tangents.get(param)

    @staticmethod
    def tangent_name(param: str) -> str:
        return f"{param}_dot"


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
    """Entries keyed by the primitive: a callable, an operator class, ("method", name) or ("attr", name)."""

    def __init__(self, namespace: dict[str, object] | None = None):
        self._rules: dict[object, Rule | NonDifferentiable] = {}
        self.namespace = dict(namespace or {})
        self.version = 0          # changes with every definition, so cached transformations can tell
        self._deferred: list = []     # (module name, register) waiting for the module to be imported

    def define_when_imported(self, module: str, register) -> None:
        """`register(self)` once `module` has been imported, by anyone: the entries for a library's
        functions are needed only by functions that call them, and those import the library. (SciPy's
        import took most of `import s2sgrad`.) Checked at every look-up of the table."""
        self._deferred.append((module, register))
        self._register_imported()

    def _register_imported(self) -> None:
        for module, _ in self._deferred:     # the look-ups' fast path: nothing to register yet
            if module in sys.modules:
                break
        else:
            return
        for item in list(self._deferred):
            if item[0] in sys.modules:
                try:
                    self._deferred.remove(item)      # once, even when two threads get here together
                except ValueError:
                    continue
                before = dict(self._rules)
                item[1](self)
                for key, entry in before.items():    # the user's own entries (defvjp) win, whenever made
                    if self._rules.get(key) is not entry:
                        self._rules[key] = entry

    def define(self, key, params: str, *, result: str = "y", elementwise: bool = False, broadcasts: bool = False,
               linear: bool = False, multilinear: bool = False, scalar_result: bool = False, domain: str = "any",
               constant: str = "", forward_only: str = "", calls: str = "", scalar: dict[str, str] | None = None,
               jvp: dict[str, str] | None = None,
               namespace: dict[str, object] | None = None, name: str | None = None,
               **adjoints: str) -> Rule:
        """Add the entry of `key`; `d<param>=` give the reverse slot, `jvp=` (or the facts) the forward slot.

        A parameter with neither slot may not carry a derivative into the call: the transform stops
        with an error naming it, unless `constant` lists it ("b, c": the result is piecewise constant in it).
        `forward_only` names parameters a linear or multilinear entry differentiates in forward mode only
        (the runtime helpers generated code calls: rules/runtime_rules.py).
        """
        signature, defaults = parse_parameters(params)
        param_names = set(signature.parameters)
        shown = name or describe_key(key)
        if result in param_names or "d" + result in param_names:
            raise RuleError(f"rule for {shown}: parameter names clash with the result name {result!r}")
        if sum((elementwise, linear, multilinear)) > 1:
            raise RuleError(f"rule for {shown}: elementwise, linear and multilinear exclude one another")
        parsed, texts = {}, {}
        for adjoint_name, text in adjoints.items():
            param = adjoint_name[1:] if adjoint_name.startswith("d") else None
            if param not in param_names:
                raise RuleError(
                    f"rule for {shown}: {adjoint_name}= names no parameter "
                    f"(parameters: {', '.join(signature.parameters)}); write d<parameter>=\"...\""
                )
            parsed[param] = _parse_checked(text, shown)
            texts[param] = text
        scalar_parsed = {k[1:]: _parse_checked(v, shown) for k, v in (scalar or {}).items()}
        seed = "d" + result
        tangents, scalar_tangents = {}, {}
        if elementwise:            # a diagonal Jacobian is its own transpose: dy becomes the tangent
            tangents = {p: _rename(t, seed, Rule.tangent_name(p)) for p, t in parsed.items()}
            scalar_tangents = {p: _rename(t, seed, Rule.tangent_name(p)) for p, t in scalar_parsed.items()}
        elif linear or multilinear:
            tangents = {p: SAME_OPERATION for p in [*parsed, *_names(forward_only)]}
        elif forward_only:
            raise RuleError(f"rule for {shown}: forward_only needs a linear or multilinear entry")
        for param, text in (jvp or {}).items():
            if param not in param_names:
                raise RuleError(f"rule for {shown}: jvp names {param!r}, which is no parameter "
                                f"(parameters: {', '.join(signature.parameters)})")
            tangents[param] = _parse_checked(text, shown)
        rule = Rule(
            name=shown, signature=signature, defaults=defaults, adjoints=parsed, scalar_adjoints=scalar_parsed,
            tangents=tangents, scalar_tangents=scalar_tangents, result=result,
            facts=Facts(elementwise=elementwise, broadcasts=broadcasts, linear=linear, multilinear=multilinear,
                        scalar_result=scalar_result, domain=domain,
                        constant=_names(constant), calls=_names(calls)),
            namespace={**self.namespace, **(namespace or {})}, texts=texts, params_text=params,
        )
        self._rules[key] = rule
        self.version += 1
        return rule

    def define_jvp(self, key, params: str | None = None, **tangents: str) -> Rule:
        """Fill in (or replace) the forward slot of `key`'s entry: parameter -> tangent contribution."""
        rule = self.lookup(key)
        if not isinstance(rule, Rule):
            raise RuleError(f"{describe_key(key)} has no derivative rule to add a forward rule to; "
                            "define its reverse rule first (defvjp)")
        if params is not None and parse_parameters(params)[0] != rule.signature:
            raise RuleError(f"rule for {rule.name}: the forward rule's parameters ({params}) differ from "
                            f"the reverse rule's ({rule.params_text})")
        for param, text in tangents.items():
            if param not in rule.signature.parameters:
                raise RuleError(f"rule for {rule.name}: {param}= names no parameter "
                                f"(parameters: {', '.join(rule.signature.parameters)})")
            rule.tangents[param] = _parse_checked(text, rule.name)
            rule.scalar_tangents.pop(param, None)
        self.version += 1
        return rule

    def add_entries(self, entries: dict) -> None:
        """Entries built elsewhere (the language's own operations: rules/structural.py)."""
        self._rules.update(entries)
        self.version += 1

    def declare_containers(self, *keys) -> None:
        """These entries may return a tuple or list: adjoints reaching their results add element by element."""
        for key in keys:
            rule = self.lookup(key)
            if isinstance(rule, Rule):
                rule.facts = dataclasses.replace(rule.facts, container=True)
        self.version += 1

    def declare_complex(self, *keys, result: str = "same") -> None:
        """These entries' slots hold for complex operands; `result` says when their result is complex."""
        if result not in ("same", "real", "complex"):
            raise RuleError(f"declare_complex: result must be 'same', 'real' or 'complex', not {result!r}")
        for key in keys:
            rule = self.lookup(key)
            if not isinstance(rule, Rule):
                raise RuleError(f"{describe_key(key)} has no derivative rule to declare complex")
            rule.facts = dataclasses.replace(rule.facts, complex=True, complex_result=result)
        self.version += 1

    def declare_memory(self, memory: str, *keys) -> None:
        """These entries' results are views of their first argument (memory="view") or fresh arrays ("new")."""
        if memory not in ("view", "new"):
            raise RuleError(f"declare_memory: memory must be 'view' or 'new', not {memory!r}")
        for key in keys:
            entry = self.lookup(key)
            if isinstance(entry, Rule):
                entry.facts = dataclasses.replace(entry.facts, memory=memory)
            elif isinstance(entry, NonDifferentiable):
                self._rules[key] = dataclasses.replace(entry, memory=memory)
            else:
                raise RuleError(f"{describe_key(key)} has no entry to declare its memory on")
        self.version += 1

    def memory_of(self, key) -> str:
        """'view', 'new' or '' (not known) for the entry of `key`."""
        entry = self.lookup(key)
        if isinstance(entry, Rule):
            return entry.facts.memory
        return getattr(entry, "memory", "")

    def nondifferentiable(self, *keys) -> None:
        for key in keys:
            self._rules[key] = NonDifferentiable(describe_key(key))
        self.version += 1

    def refuse_derivatives(self, *keys, construct: str, hint: str, module: str | None = None) -> None:
        """The results of `keys` carry no derivative, and derivatives must not reach them (RefusesDerivatives).
        `module`: the public module the entries are named under (scipy.optimize.minimize, not the private
        scipy.optimize._minimize.minimize where it is defined)."""
        for key in keys:
            name = f"{module}.{key.__name__}" if module else describe_key(key)
            self._rules[key] = RefusesDerivatives(name, construct=construct, hint=hint)
        self.version += 1

    def lookup(self, key):
        if self._deferred:
            self._register_imported()
        try:
            return self._rules.get(key)
        except TypeError:       # unhashable callables have no rule
            return None

    def __contains__(self, key) -> bool:
        return self.lookup(key) is not None

    def keys(self):
        if self._deferred:
            self._register_imported()
        return self._rules.keys()

    def items(self):
        if self._deferred:
            self._register_imported()
        return self._rules.items()


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


def _names(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _rename(template: gast.expr, old: str, new: str) -> gast.expr:
    expr = gast.parse(gast.unparse(template).strip(), mode="eval").body      # a fresh copy
    for node in gast.walk(expr):
        if isinstance(node, gast.Name) and node.id == old:
            node.id = new
    return expr


def _parse_checked(text: str, shown: str) -> gast.expr:
    try:
        return parse_expression(text)
    except SyntaxError as exc:
        raise RuleError(f"rule for {shown}: {text!r} is not a Python expression ({exc.msg})") from None
