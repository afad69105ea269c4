"""Random numeric Python functions, drawn from a seeded `random.Random`, as source text.

A `ProgramGenerator` writes one `def` at a time from expression templates
(`math.log({p})`: `{p}` is filled with an expression that is positive by
construction, `{s}` with one squashed into [-1, 1], `{u}` with one inside
(-0.9, 0.9), `{a}`/`{b}` with anything). Keeping every operation in its domain
by construction keeps the rejection rate low; kinks, overflow and poor numeric
conditioning are filtered at evaluation time by `harness.py`.

It tracks which names are defined on every path (so a program never reads an
unbound name) and which hold small ints (loop indices, counters, int
parameters: the only values used as `range` bounds, so every loop is bounded).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from .module_state import COUNTING, DRAWING, EXPORTS

MODULE_HEADER = (
    "import collections\nimport math\nimport numpy as np\nfrom math import sin, exp\n\n"
    f"from tests.property.module_state import {', '.join(EXPORTS)}\n\n"
    "_Pair = collections.namedtuple('_Pair', 'first second')\n\n\n"
    "def _scaled(u, v):\n    return u * math.tanh(v)\n\n\n"
)

# Names chosen to collide with what the transformer generates (t1, tape, dx, n_iter, x_1, helper names, ...).
PLAIN_PARAMS = ["x", "y", "z", "p", "q", "alpha", "beta", "gamma"]
TRICKY_PARAMS = ["dx", "t1", "x_1", "tape", "df", "dy", "i", "out"]
PLAIN_LOCALS = ["a", "b", "c", "u", "v", "w", "r", "s", "acc", "tmp", "h", "g"]
TRICKY_LOCALS = ["t1", "t2", "t3", "x_1", "y_1", "tape", "dx", "dy", "da", "dt1", "n_iter", "running",
                 "unbroadcast", "zeros_like", "d_x", "grad_f", "i"]
LOOP_INDICES = ["i", "j", "k", "m", "i_1", "n_iter", "_"]
POS_CONSTANTS = ["2", "3", "0.5", "1.5", "2.0", "0.75", "4"]
CONSTANTS = POS_CONSTANTS + ["(-1.25)", "(-2)", "0.1", "math.pi", "1", "10", "(-0.5)", "0.0", "math.e"]

# {a},{b}: any expression; {s},{t}: squashed into [-1, 1]; {p},{q}: positive; {u}: inside (-0.9, 0.9);
# {c}: a positive constant; {k}: a constant; {C}: a condition; {i}: a small int (or constant).
ARITH = [
    "({a} + {b})", "({a} - {b})", "({a} * {b})", "({a} / {p})", "({a} ** 2)", "({a} ** 3)",
    "({p} ** {c})", "({p} ** (-{c}))", "({p} ** {s})", "(2 ** {s})", "(-{a})", "(+{a})", "({a} * {k})",
    "({k} - {a})", "({a} / {c})", "({c} / {p})", "({a} + {i})", "({a} * {i})", "({i} - {a})",
]
MATH = [
    "math.sin({a})", "math.cos({a})", "math.tan({u})", "math.exp({s})", "math.log({p})", "math.log({p}, 2)",
    "math.log({p}, (2 + {s} ** 2))", "math.log1p({a} ** 2)", "math.log1p({p})", "math.expm1({s})",
    "math.sqrt({p})", "math.tanh({a})", "math.sinh({s})", "math.cosh({s})", "math.atan({a})",
    "math.asin({u})", "math.acos({u})", "math.atan2({a}, {p})", "math.atan2({p}, {a})", "math.pow({p}, {s})",
    "math.pow({a}, 2)", "math.hypot({a}, {p})", "math.erf({a})", "math.erfc({a})", "math.asinh({a})",
    "math.acosh((1 + {p}))", "math.atanh({u})", "math.log2({p})", "math.log10({p})", "math.degrees({s})",
    "math.radians({a})", "pow({p}, {s})", "pow({a}, 3)", "sin({a})", "exp({s})", "(math.sqrt({p}) * {b})",
]
NUMPY = [
    "np.sin({a})", "np.cos({a})", "np.exp({s})", "np.log({p})", "np.tanh({a})", "np.sqrt({p})",
    "np.add({a}, {b})", "np.multiply({a}, {b})",
]
KINKS = ["abs({a})", "max({a}, {b})", "min({a}, {b})", "({a} // {c})", "({a} % {c})", "({a} % {p})",
         "math.fabs({a})", "max({a}, {k})", "min({k}, {b})"]
# comparisons enter arithmetic through float() or a product: -(np.float64(1) < 2) is a TypeError
NONDIFF = ["int({a})", "round({a})", "round({a}, 1)", "math.floor({a})", "math.ceil({a})", "math.trunc({a})",
           "float({a} > {b})", "({a} * ({b} < {k}))", "(int({a}) * {b})", "(math.floor({a}) + {b})"]
IFEXP = ["({a} if {C} else {b})", "({a} if {C} else {k})"]
# everyday Python around the arithmetic: comprehensions and generators (in sum, over zip and enumerate),
# dicts and dict comprehensions, map/filter, zip(*pairs), starred unpacking, a namedtuple, lambdas and a
# module-level helper (MODULE_HEADER). No lambda reads a differentiated value from its closure (forward
# mode refuses that), and none uses max/min/sorted (their kinks are not traced)
COLLECTIONS = [
    "sum([{a} * _e for _e in ({b}, {k})])", "sum(_e * {a} for _e in ({b}, {c}, {k}))",
    "sum([_e * _w for _e, _w in zip(({a}, {b}), ({c}, {k}))])", "sum([_i * _e for _i, _e in enumerate(({a}, {b}))])",
    "{'u': {a}, 'v': {b}}['v']", "sum({_n: _e * {c} for _n, _e in zip('uv', ({a}, {b}))}.values())",
    "sum(map(lambda _t: _t * _t, ({a}, {b})))", "sum(filter(None, ({a}, 0.0, {b})))",
    "_Pair({a}, {b}).second * {c}", "_Pair(first={a}, second={k})[0]", "_scaled({a}, {b})",
    "(lambda _t: 2.0 * _t)({a})", "[{a}, {b}, {c}][1]", "sum(list(zip(*[({a}, {b}), ({c}, {k})]))[1])",
    "sum([_e for _e in [{a}, {b}] if {C}])",
]
# everyday Python that reaches outside the function (module_state.py): helpers behind functools.wraps
# decorators (scaling, counting, logging), helpers drawing from module-level random generators, attributes
# of module-level records, builtin reductions (max/min/sorted over lists, generators and several
# arguments; their kinks are traced by harness.py), iteration over a module-level dict by key and over
# dict literals, nested comprehensions
EVERYDAY = [
    "twice({a}, {b})", "counted_square({a})", "logged_mix({a}, {b})",
    "noisy({a})", "jitter({a}, {b})", "noisy_counted({a})",
    "({a} * NS.scale)", "({a} + NS.shift)", "(NS.weights[1] * {a})", "({a} * SETTINGS.rate)",
    "({a} / SETTINGS.width)", "(LIMITS.first * {a} + LIMITS.second)",
    "max([{a}, {b}, {k}])", "min({a} * _e for _e in ({c}, {k}))", "sorted([{a}, {b}, {k}])[1]",
    "(len([{a}, {b}]) * {a})", "sum(abs(_e) for _e in ({a}, {b}))", "max({a}, {b}, {k})",
    "min([_e * _e for _e in ({a}, {b})])",
    "sum(_v * _v for _v in {'u': {a}, 'v': {b}}.values())",
    "sum([_v * len(_k) for _k, _v in {'u': {a}, 'vw': {b}}.items()])",
    "sum(WEIGHTS[_k] * {a} for _k in WEIGHTS)", "sum([_w * {a} for _k, _w in WEIGHTS.items()])",
    "(sum(WEIGHTS[_k] for _k in WEIGHTS.keys()) * {a})",
    "sum([_e * _f for _e in ({a}, {b}) for _f in ({c}, {k})])", "sum([_e * {a} for _e in range(3)])",
    "np.sum([_e * {a} for _e in ({b}, {c})])",
]
# constructs s2sgrad refuses today, each with a located error (side_effects): (template, how to spot it in
# a program's source, what it is). Once s2sgrad supports one, its programs are checked like any other
REFUSABLE = [
    ("cached_cube({a})", "cached_cube(", "a helper that caches in a module-level dict"),
    ("sum({_e * {c} for _e in ({a}, {b})})", "sum({_e *", "a set comprehension"),
]
POSITIVE = ["(1 + {a} ** 2)", "(1.5 + math.sin({a}))", "(abs({a}) + 0.5)", "(2 + math.cos({a}))",
            "math.exp(math.tanh({a}))", "(0.25 + {a} ** 2)", "math.hypot({a}, 1)", "math.cosh({s})", "{c}"]
SQUASH = ["math.tanh({a})", "math.sin({a})", "({a} / (1 + abs({a})))", "math.atan({a})", "np.tanh({a})",
          "math.cos({a})"]
UNIT = ["(0.9 * math.tanh({a}))", "(0.8 * math.sin({a}))", "(0.5 * {s})"]
CONDITIONS = ["{a} < {b}", "{a} > {k}", "{a} >= {b}", "{a} <= {k}", "abs({a}) < {c}", "{a} * {b} > {k}",
              "{k} < {a} < {c}", "math.sin({a}) > 0"]

_PLACEHOLDER = re.compile(r"\{(\w)\}")


@dataclass
class Features:
    """Which constructs the generator may use (flags switch off ones the transformer cannot handle yet)."""

    control_flow: bool = False         # if/elif/else, for, while, conditional expressions
    loops: bool = True
    while_loops: bool = True
    breaks: bool = False               # `break` inside loops
    continues: bool = False            # `continue` inside loops
    early_returns: bool = False        # `return` inside branches and loops
    # Each flag below once steered around a transformer bug (test_known_bugs.py has the reproducers):
    keyword_after_omitted: bool = True   # f(x, y=1.0, z=2.0) called as f(1.0, z=3.0)
    tuple_swaps: bool = True             # `a, b = b, a`, `a, b = e, a`: the right side reads a target
    # loops that do no differentiable work, like `for i in range(3): r = r * 1.5`; when off, every loop
    # body also updates a carried value with a product involving a parameter, making the loop active
    inactive_loops: bool = True
    pass_only_for_loops: bool = True     # `for i in range(2): pass`
    # COLLECTIONS: comprehensions, dicts, namedtuples, helpers, lambdas (on in the reverse-mode tests; forward
    # mode's second derivatives refuse the tapes their loops keep, so test_forward_mode.py leaves them off)
    collections: bool = False
    # EVERYDAY: decorated helpers, random draws, module-level records, builtin reductions, dict iteration
    # (expressions), and statements iterating a dict (`for key in d`, `.items()`, `.keys()`, `.values()`)
    # and defining a nested helper that counts its calls
    everyday: bool = False
    everyday_weight: float = 6           # EVERYDAY's weight among the expression templates (ARITH's is 34)
    # nested defs that append to a list or bump a `nonlocal` counter of the enclosing function, whose
    # effect feeds the result, and a helper caching in a module-level dict: refused today with a located
    # error; a program holding one records why in Program.refusable
    side_effects: bool = False


@dataclass
class Param:
    name: str
    keyword_only: bool
    default: str | None
    is_int: bool
    passing: str                       # "positional", "keyword" or "omitted" (default used)


@dataclass
class Program:
    name: str
    source: str
    params: list[Param]
    refusable: list[str] = field(default_factory=list)   # constructs s2sgrad may refuse (side_effects)

    @property
    def draws(self) -> bool:
        """Whether the program draws from module_state's random generators."""
        return any(marker in self.source for marker in DRAWING)

    @property
    def counts(self) -> bool:
        """Whether the program advances module_state's call counter."""
        return any(marker in self.source for marker in COUNTING)

    @property
    def wrt(self) -> tuple[str, ...]:
        """Every float parameter the call passes: the test differentiates with respect to all of them."""
        return tuple(p.name for p in self.params if not p.is_int and p.passing != "omitted")


@dataclass
class Scope:
    names: list[str] = field(default_factory=list)      # defined on every path, in definition order
    small_ints: set[str] = field(default_factory=set)   # bounded ints: usable as range bounds
    protected: set[str] = field(default_factory=set)    # never re-assigned (small ints, loop counters)

    def copy(self) -> "Scope":
        return Scope(list(self.names), set(self.small_ints), set(self.protected))

    def define(self, name: str, small_int: bool = False) -> None:
        if name not in self.names:
            self.names.append(name)
        if small_int:
            self.small_ints.add(name)
        else:
            self.small_ints.discard(name)

    @staticmethod
    def merge(scopes: list["Scope | None"], fallback: "Scope") -> "Scope | None":
        """Scope after branches; None stands for a branch that never falls through (break/return)."""
        live = [s for s in scopes if s is not None]
        if not live:
            return None
        names = [n for n in live[0].names if all(n in s.names for s in live[1:])]
        small = set.intersection(*(s.small_ints for s in live))
        protected = set.union(fallback.protected, *(s.protected for s in live))
        return Scope(names, small & set(names), protected)


class ProgramGenerator:
    def __init__(self, rng: random.Random, features: Features, max_depth: int = 2,
                 statements: tuple[int, int] = (2, 6), nesting: int = 2, leaf_probability: float = 0.25):
        self.rng = rng
        self.features = features
        self.max_depth = max_depth
        self.statements = statements          # transforming costs ~1 ms per operation: keep programs short
        self.nesting = nesting                # deepest nesting of if/for/while
        self.leaf_probability = leaf_probability
        self.must_use: str | None = None

    # ---- whole functions --------------------------------------------------
    def program(self, name: str) -> Program:
        rng = self.rng
        self.pending: list[str] = []               # assigned but not read yet: leaves prefer them
        self.history: list[str] = []               # every assignment, in order
        self.compound_written = False
        self.loop_stack: list[dict] = []           # open loops (innermost last)
        self.statements_left = rng.randint(*self.statements)
        self.function_name = name
        self.refusable: list[str] = []
        self.local_defs = 0                        # nested defs so far (their names are numbered)
        params = self.parameters()
        scope = Scope()
        for p in params:
            scope.define(p.name, small_int=p.is_int)
            if p.is_int:
                scope.protected.add(p.name)
        self.anchor = None                         # a differentiated parameter that is never re-assigned
        if not self.features.inactive_loops:
            self.anchor = next(p.name for p in params if not p.is_int and p.passing != "omitted")
            scope.protected.add(self.anchor)
        self.pending = [p.name for p in params if not p.is_int]
        lines: list[str] = []
        final = self.block(scope, lines, indent=1, top=True)
        if final is not None:
            lines.append(f"    return {self.final_expression(final)}")
        signature = self.signature(params)
        source = f"def {name}({signature}):\n" + "\n".join(lines) + "\n"
        self.refusable += [what for _, marker, what in REFUSABLE if marker in source]
        return Program(name, source, params, self.refusable)

    def parameters(self) -> list[Param]:
        rng = self.rng
        n_float = rng.choice([1, 2, 2, 3, 3, 4])
        pool = PLAIN_PARAMS[:]
        rng.shuffle(pool)
        names = pool[:n_float]
        if rng.random() < 0.2:                       # a name the transformer might also want for itself
            names[rng.randrange(n_float)] = rng.choice([t for t in TRICKY_PARAMS if t not in names])
        n_keyword_only = rng.choice([0, 0, 0, 1, 2]) if n_float > 1 else 0
        params = []
        for index, pname in enumerate(names):
            keyword_only = index >= n_float - n_keyword_only
            # defaults: trailing positional ones, or any keyword-only one
            has_default = rng.random() < 0.4 and (keyword_only or index > 0)
            params.append(Param(pname, keyword_only, rng.choice(["0.5", "1.5", "-0.7"]) if has_default else None,
                                False, "keyword" if keyword_only else "positional"))
        if rng.random() < (0.5 if self.features.control_flow else 0.25):
            params.append(Param("n", True, rng.choice(["2", "3", None]), True, "keyword"))
        # a positional parameter without a default cannot follow one with a default
        seen_default = False
        for p in params:
            if not p.keyword_only:
                if seen_default and p.default is None:
                    p.default = "1.25"
                seen_default = seen_default or p.default is not None
        positional = [p for p in params if not p.keyword_only]
        for index in reversed(range(len(positional))):   # defaults may be left out, then later ones go by name
            p, later = positional[index], positional[index + 1:]
            if p.default is not None and rng.random() < 0.25 and (
                    self.features.keyword_after_omitted or all(q.passing == "omitted" for q in later)):
                p.passing = "omitted"
        for p in positional:
            if p.passing != "omitted" and rng.random() < 0.2:
                p.passing = "keyword"
        # once one positional parameter goes by keyword, the later ones must too
        by_keyword = False
        for p in params:
            if p.keyword_only:
                continue
            if p.passing == "omitted":
                by_keyword = True                     # passing a later one positionally would shift it
            elif by_keyword or p.passing == "keyword":
                p.passing = "keyword"
                by_keyword = True
        for p in params:
            if p.keyword_only and p.default is not None and rng.random() < 0.25:
                p.passing = "omitted"
        if all(p.is_int or p.passing == "omitted" for p in params):
            params[0].passing = "keyword" if params[0].keyword_only else "positional"
        return params

    @staticmethod
    def signature(params: list[Param]) -> str:
        parts, star = [], False
        for p in params:
            if p.keyword_only and not star:
                parts.append("*")
                star = True
            parts.append(p.name if p.default is None else f"{p.name}={p.default}")
        return ", ".join(parts)

    def final_expression(self, scope: Scope) -> str:
        """Combine up to three values nobody has read yet, so most statements reach the output."""
        live = [n for n in self.pending if n in scope.names][-3:]
        if len(live) < 2:                         # else the latest assignments still defined here
            recent = [n for n in reversed(self.history) if n in scope.names and n not in scope.small_ints]
            live += [n for n in dict.fromkeys(recent) if n not in live][:2 - len(live)]
        if not live:
            return self.expr(scope, 2)
        parts = [live[0]]
        for name in live[1:]:
            op = self.rng.choice([" + ", " - ", " * ", " + 0.5 * "])
            parts.append(op + name)
        whole = "".join(parts)
        if self.rng.random() < 0.3:
            whole = f"{whole} + {self.expr(scope, 1)}"
        return whole

    # ---- statements -------------------------------------------------------
    def block(self, scope: Scope, lines: list[str], indent: int, top: bool = False,
              min_statements: int = 1) -> Scope | None:
        """Append statements at `indent`; the scope afterwards, or None if the block never falls through."""
        rng = self.rng
        count = rng.randint(min_statements, 3) if not top else 10 ** 6
        written = 0
        while written < count:
            if self.statements_left <= 0 and (top or written >= min_statements):
                break                             # the budget counts nested statements too
            self.statements_left -= 1
            scope = self.statement(scope, lines, indent)
            written += 1
            if scope is None:
                return None
        return scope

    def statement(self, scope: Scope, lines: list[str], indent: int) -> Scope | None:
        rng = self.rng
        f = self.features
        depth = indent - 1
        choices = [("assign", 30), ("reassign", 20), ("augassign", 12), ("tuple", 6), ("chained", 2),
                   ("nondiff", 4), ("pass", 1)]
        if f.tuple_swaps:
            choices.append(("swap", 5))
        nested = 2 if self.loop_stack else 1      # loops inside loops are rarer than they should be otherwise
        compound = [("if", 14), ("for", 10 * nested if f.loops else 0), ("while", 5 * nested if f.while_loops else 0)]
        if f.control_flow and depth == 0 and not self.compound_written and self.statements_left <= 0:
            choices = compound                    # the last top-level statement: every program gets one
        elif f.control_flow and depth < self.nesting and self.statements_left >= 1:
            choices += compound
        if self.loop_stack:
            loop = self.loop_stack[-1]
            if loop["kind"] == "for" and loop["index"] in scope.small_ints:
                choices.append(("reindex", 3))
            if f.breaks:
                choices.append(("break", 8))
            if f.continues:
                choices.append(("continue", 6))
        if f.early_returns and depth > 0:
            choices.append(("return", 6))
        if f.everyday:
            choices += [("dict_loop", 4), ("counted_def", 2)]
        if f.side_effects:
            choices.append(("side_effect", 2))
        kind = _weighted(rng, choices)
        self.compound_written = self.compound_written or kind in ("if", "for", "while")
        return getattr(self, f"stmt_{kind}")(scope, lines, "    " * indent, indent)

    def target(self, scope: Scope, new: bool) -> str:
        """A name to assign: a fresh local, or an existing variable (parameters included)."""
        rng = self.rng
        if not new:
            candidates = [n for n in scope.names if n not in scope.protected]
            if candidates:
                return rng.choice(candidates)
        pool = TRICKY_LOCALS if rng.random() < 0.15 else PLAIN_LOCALS
        fresh = [n for n in pool if n not in scope.names and n not in scope.protected
                 and n != self.function_name]
        if not fresh:
            fresh = [n for n in scope.names if n not in scope.protected] or ["zz"]
        if rng.random() < 0.05:
            fresh.append(self.function_name)         # the output is named after the function, too
        return rng.choice(fresh)

    def assigned(self, scope: Scope, name: str) -> None:
        scope.define(name)
        self.history.append(name)
        if name in self.pending:
            self.pending.remove(name)
        self.pending.append(name)

    def stmt_reindex(self, scope, lines, pad, indent):
        """Overwrite the loop's own index (the next iteration rebinds it): `i = i * x`."""
        index = self.loop_stack[-1]["index"]
        self.must_use = index
        value = self.expr(scope, self.max_depth)
        self.must_use = None
        lines.append(f"{pad}{index} = {value}")
        scope.small_ints.discard(index)
        scope.protected.discard(index)
        self.assigned(scope, index)
        return scope

    def stmt_pass(self, scope, lines, pad, indent):
        lines.append(f"{pad}pass")
        return scope

    def stmt_assign(self, scope, lines, pad, indent):
        value = self.expr(scope, self.max_depth)
        name = self.target(scope, new=True)
        lines.append(f"{pad}{name} = {value}")
        self.assigned(scope, name)
        return scope

    def stmt_reassign(self, scope, lines, pad, indent):
        name = self.target(scope, new=False)
        self.must_use = name if name in scope.names else None    # `x = f(x)`: the new value reads the old
        value = self.expr(scope, self.max_depth)
        self.must_use = None
        lines.append(f"{pad}{name} = {value}")
        self.assigned(scope, name)
        return scope

    def stmt_augassign(self, scope, lines, pad, indent):
        name = self.target(scope, new=False)
        if name not in scope.names:
            return self.stmt_assign(scope, lines, pad, indent)
        choices = [("+=", "{a}"), ("-=", "{a}"), ("*=", "{s}"), ("*=", "{a}"), ("/=", "{p}")]
        if not self.loop_stack:                   # repeated squaring of an int never overflows, it only grows
            choices.append(("**=", "2"))
        op, template = self.rng.choice(choices)
        lines.append(f"{pad}{name} {op} {self.fill(template, scope, self.max_depth - 1)}")
        self.assigned(scope, name)
        return scope

    def stmt_swap(self, scope, lines, pad, indent):
        candidates = [n for n in scope.names if n not in scope.protected]
        if len(candidates) < 2:
            return self.stmt_assign(scope, lines, pad, indent)
        a, b = self.rng.sample(candidates, 2)
        lines.append(f"{pad}{a}, {b} = {b}, {a}")
        self.assigned(scope, a)
        self.assigned(scope, b)
        return scope

    def stmt_tuple(self, scope, lines, pad, indent):
        first = self.target(scope, new=self.rng.random() < 0.5)
        second = self.target(scope, new=self.rng.random() < 0.5)
        if first == second:
            return self.stmt_assign(scope, lines, pad, indent)
        # both right-hand sides read the old values, so they may read either target
        left = self.expr(scope, self.max_depth - 1)
        right = self.expr(scope, self.max_depth - 1)
        while right == first and not self.features.tuple_swaps:     # `x, y = e, x` is a swap in disguise
            right = self.expr(scope, self.max_depth - 1)
        lines.append(f"{pad}{first}, {second} = {left}, {right}")
        self.assigned(scope, first)
        self.assigned(scope, second)
        return scope

    def stmt_chained(self, scope, lines, pad, indent):
        first = self.target(scope, new=True)
        scope_copy = scope.copy()
        scope_copy.define(first)
        second = self.target(scope_copy, new=True)
        if first == second:
            return self.stmt_assign(scope, lines, pad, indent)
        lines.append(f"{pad}{first} = {second} = {self.expr(scope, self.max_depth - 1)}")
        self.assigned(scope, first)
        self.assigned(scope, second)
        return scope

    def stmt_nondiff(self, scope, lines, pad, indent):
        name = self.target(scope, new=True)
        value = self.fill(self.rng.choice(NONDIFF + ["float({a} < {b})"]), scope, self.max_depth - 1)
        lines.append(f"{pad}{name} = {value}")
        self.assigned(scope, name)
        return scope

    # ---- everyday statements ------------------------------------------------------
    def stmt_dict_loop(self, scope, lines, pad, indent):
        """A dict of computed values, iterated by key, by items, by values or by .keys()."""
        rng = self.rng
        table = rng.choice(["table", "terms", "coeffs"])
        keys = rng.sample(["u", "v", "w", "uv"], rng.randint(1, 3))
        entries = ", ".join(f"{k!r}: {self.expr(scope, self.max_depth - 1)}" for k in keys)
        lines.append(f"{pad}{table} = {{{entries}}}")
        acc = self.target(scope, new=rng.random() < 0.3)
        if acc not in scope.names:
            lines.append(f"{pad}{acc} = {self.expr(scope, 1)}")
            self.assigned(scope, acc)
        form = rng.choice(["in", "items", "values", "keys"])
        header = {"in": f"for key in {table}:", "items": f"for key, val in {table}.items():",
                  "values": f"for val in {table}.values():", "keys": f"for key in {table}.keys():"}[form]
        value = "val" if form in ("items", "values") else f"{table}[key]"
        lines.append(pad + header)
        body = [f"{acc} = {acc} + {value} * {self.placeholder('s', scope, 1)}",
                f"{acc} = {acc} * {self.placeholder('s', scope, 1)} + {value}"]
        if form != "values":
            body.append(f"{acc} += {value} * len(key)")
        lines.append(f"{pad}    {rng.choice(body)}")
        self.assigned(scope, acc)
        return scope

    def _local_def(self) -> int:
        self.local_defs += 1
        return self.local_defs

    def stmt_counted_def(self, scope, lines, pad, indent):
        """A nested helper that counts its calls in module_state.TICKS: once per call, gradient or not."""
        rng = self.rng
        fn = f"step{self._local_def()}"
        body = rng.choice(["t * {c} + math.sin(t)", "math.tanh(t) * {k}", "t * t * NS.scale"])
        lines.append(f"{pad}def {fn}(t):")
        lines.append(f"{pad}    next(TICKS)")
        lines.append(f"{pad}    return {self.fill(body, scope, 0)}")
        name = self.target(scope, new=rng.random() < 0.5)
        call = rng.choice(["{f}({a}) + {f}({b})", "{f}({a}) * {c}", "{f}({f}({a}))"])
        lines.append(f"{pad}{name} = {self.fill(call.replace('{f}', fn), scope, self.max_depth - 1)}")
        self.assigned(scope, name)
        return scope

    def stmt_side_effect(self, scope, lines, pad, indent):
        """A nested def that appends to a list or bumps a nonlocal counter; the effect feeds the result."""
        rng = self.rng
        n = self._local_def()
        name = self.target(scope, new=rng.random() < 0.5)
        first, second = self.expr(scope, self.max_depth - 1), self.expr(scope, self.max_depth - 1)
        if rng.random() < 0.5:
            seen, fn = f"seen{n}", f"note{n}"
            lines += [f"{pad}{seen} = []", f"{pad}def {fn}(t):", f"{pad}    {seen}.append(t * t)",
                      f"{pad}    return t * {rng.choice(POS_CONSTANTS)}",
                      f"{pad}{name} = {fn}({first}) + {fn}({second})", f"{pad}{name} = {name} + sum({seen})"]
            self.refusable.append("a nested def appending to a list of the enclosing function")
        else:
            hits, fn = f"hits{n}", f"bump{n}"
            lines += [f"{pad}{hits} = 0", f"{pad}def {fn}(t):", f"{pad}    nonlocal {hits}",
                      f"{pad}    {hits} += 1", f"{pad}    return math.tanh(t) * {rng.choice(POS_CONSTANTS)}",
                      f"{pad}{name} = {fn}({first}) * {fn}({second})", f"{pad}{name} = {name} + 0.5 * {hits}"]
            self.refusable.append("a nested def bumping a nonlocal counter")
        self.assigned(scope, name)
        return scope

    # ---- control flow -------------------------------------------------------
    def condition(self, scope: Scope, depth: int = 1, compound: bool = True) -> str:
        rng = self.rng
        roll = rng.random()
        if compound:                      # one level of and/or/not: each one with a call costs a branch
            if roll < 0.1:
                return f"{self.condition(scope, depth, False)} and {self.condition(scope, depth, False)}"
            if roll < 0.16:
                return f"{self.condition(scope, depth, False)} or {self.condition(scope, depth, False)}"
            if roll < 0.2:
                return f"not {self.condition(scope, depth, False)}"
        if roll > 0.92 and scope.small_ints:
            return f"{rng.choice(sorted(scope.small_ints))} % 2 == {rng.randint(0, 1)}"
        return self.fill(rng.choice(CONDITIONS), scope, depth)

    def stmt_if(self, scope, lines, pad, indent):
        rng = self.rng
        n_elif = rng.choice([0, 0, 0, 0, 1, 2])
        has_else = rng.random() < 0.6
        outcomes = []
        lines.append(f"{pad}if {self.condition(scope)}:")
        outcomes.append(self.block(scope.copy(), lines, indent + 1))
        for _ in range(n_elif):
            lines.append(f"{pad}elif {self.condition(scope)}:")
            outcomes.append(self.block(scope.copy(), lines, indent + 1))
        if has_else:
            lines.append(f"{pad}else:")
            outcomes.append(self.block(scope.copy(), lines, indent + 1))
        else:
            outcomes.append(scope.copy())            # the implicit empty else
        return Scope.merge(outcomes, scope)

    def loop_bound(self, scope: Scope) -> tuple[str, int | None]:
        """A `range(...)` argument list, and the trip count when it is a constant."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            n = rng.randint(0, 4)
            return str(n), n
        if roll < 0.45:
            lo = rng.randint(0, 2)
            hi = lo + rng.randint(1, 3)
            return f"{lo}, {hi}", hi - lo
        if roll < 0.65 and scope.small_ints:
            name = rng.choice(sorted(scope.small_ints))
            return rng.choice([name, f"{name} + 1", f"1, {name} + 2", f"min({name}, 3)"]), None
        value = self.expr(scope, 1)
        return rng.choice([f"int(3 * abs(math.tanh({value})))", f"round(2 * math.sin({value}) ** 2) + 1",
                           f"1 + int(abs({value}) < 1)"]), None

    def loop_body(self, scope: Scope, lines, indent, loop: dict) -> Scope | None:
        self.loop_stack.append(loop)
        inner = self.block(scope, lines, indent + 1)
        self.loop_stack.pop()
        return inner

    def stmt_for(self, scope, lines, pad, indent):
        rng = self.rng
        bound, trips = self.loop_bound(scope)
        free = [n for n in LOOP_INDICES if n not in scope.protected and n not in scope.names]
        existing = [n for n in scope.names if n not in scope.protected]
        index = rng.choice(existing) if existing and rng.random() < 0.1 else rng.choice(free or ["ii"])
        header = len(lines)
        lines.append(f"{pad}for {index} in range({bound}):")
        inner = scope.copy()
        inner.define(index, small_int=True)
        inner.protected.add(index)
        loop = {"kind": "for", "jumps": False, "index": index}
        start = len(lines)
        after_body = self.loop_body(inner, lines, indent, loop)
        if all(line.strip() == "pass" for line in lines[start:]) and not self.features.pass_only_for_loops:
            lines.append(f"{pad}    {self.target(inner, new=True)} = {self.expr(inner, 1)}")
        self.active_work(scope, after_body, lines, header, pad)
        if trips and not loop["jumps"] and after_body is not None:
            after = after_body                        # the body ran completely at least once
            after.protected.discard(index)
            after.small_ints.discard(index)
            return after
        if index in scope.names:
            scope.small_ints.discard(index)           # the loop may have rebound it to an int
        return scope

    def stmt_while(self, scope, lines, pad, indent):
        rng = self.rng
        counter = rng.choice([n for n in ["k", "count", "steps", "n_iter", "kk", "it"]
                              if n not in scope.names and n not in scope.protected] or ["kc"])
        limit = rng.randint(1, 6)
        lines.append(f"{pad}{counter} = 0")
        scope.define(counter, small_int=True)
        scope.protected.add(counter)
        # the data-dependent half of the test reads a variable the body updates, so the trip count varies
        updated = [n for n in scope.names if n not in scope.protected]
        tracked = rng.choice(updated) if updated else None
        if tracked is not None:
            data_test = rng.choice([f"{tracked} < {rng.choice(['10.0', '3', '1.5'])}", f"abs({tracked}) < 4.0",
                                    f"{tracked} * {tracked} < 9", f"{tracked} > {rng.choice(['-2', '0.25'])}"])
        else:
            data_test = self.condition(scope)
        header = len(lines)
        lines.append(f"{pad}while {counter} < {limit} and ({data_test}):")     # `or` must not bypass the limit
        loop = {"kind": "while", "jumps": False}
        increment_first = self.features.continues or rng.random() < 0.5   # `continue` must not skip it
        if increment_first:
            lines.append(f"{pad}    {counter} += 1")
        body = self.loop_body(scope.copy(), lines, indent, loop)
        if tracked is not None and body is not None:
            template = rng.choice(["{a}", "{s}", "{a} * {s}"])
            lines.append(f"{pad}    {tracked} = {tracked} + {self.fill(template, body, 1)}")
        self.active_work(scope, body, lines, header, pad)
        if not increment_first:
            lines.append(f"{pad}    {counter} += 1")
        return scope

    def active_work(self, outer: Scope, body: Scope | None, lines: list[str], header: int, pad: str) -> None:
        """Unless inactive loops are allowed, end the body with `acc = acc + anchor * s` (acc carried)."""
        if self.anchor is None or body is None:
            return
        carried = [n for n in outer.names if n not in outer.protected and n in body.names]
        if carried:
            acc = self.rng.choice(carried)
        else:                                     # nothing to carry yet: start one just before the loop
            acc = self.target(outer, new=True)
            lines.insert(header, f"{pad}{acc} = {self.anchor}")
            outer.define(acc)
            body.define(acc)
        lines.append(f"{pad}    {acc} = {acc} + {self.anchor} * {self.placeholder('s', body, 1)}")
        self.assigned(body, acc)

    def jump(self, scope, lines, pad, keyword):
        # jumps sit in an `if`, so the code after them stays reachable
        lines.append(f"{pad}if {self.condition(scope)}:")
        inner = pad + "    "
        if self.rng.random() < 0.5:
            name = self.target(scope, new=False)
            if name in scope.names:
                lines.append(f"{inner}{name} = {self.expr(scope, 2)}")
        lines.append(f"{inner}{keyword}")
        for loop in self.loop_stack[-1:]:
            loop["jumps"] = True
        return scope

    def stmt_break(self, scope, lines, pad, indent):
        return self.jump(scope, lines, pad, "break")

    def stmt_continue(self, scope, lines, pad, indent):
        return self.jump(scope, lines, pad, "continue")

    def stmt_return(self, scope, lines, pad, indent):
        lines.append(f"{pad}if {self.condition(scope)}:")
        lines.append(f"{pad}    return {self.final_expression(scope)}")
        for loop in self.loop_stack:
            loop["jumps"] = True
        return scope

    # ---- expressions ----------------------------------------------------------
    def expr(self, scope: Scope, depth: int) -> str:
        rng = self.rng
        if depth <= 0 or rng.random() < self.leaf_probability:
            return self.leaf(scope)
        table = [(ARITH, 34), (MATH, 24), (NUMPY, 8), (KINKS, 8), (NONDIFF, 3)]
        if self.features.control_flow:
            table.append((IFEXP, 5))
        if self.features.collections:
            table.append((COLLECTIONS, 6))
        if self.features.everyday:
            table.append((EVERYDAY, self.features.everyday_weight))
        if self.features.side_effects:
            table.append(([template for template, _, _ in REFUSABLE], 1.5))
        templates = _weighted(rng, table)
        return self.fill(rng.choice(templates), scope, depth - 1)

    def fill(self, template: str, scope: Scope, depth: int) -> str:
        values: dict[str, str] = {}
        for letter in _PLACEHOLDER.findall(template):
            if letter not in values:
                values[letter] = self.placeholder(letter, scope, depth)
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)

    def placeholder(self, letter: str, scope: Scope, depth: int) -> str:
        rng = self.rng
        if letter in "ab":
            return self.expr(scope, depth)
        if letter in "st":
            if rng.random() < 0.3:
                return self.leaf(scope)
            return self.fill(rng.choice(SQUASH), scope, depth - 1)
        if letter in "pq":
            return self.fill(rng.choice(POSITIVE), scope, depth - 1)
        if letter == "u":
            return self.fill(rng.choice(UNIT), scope, depth - 1)
        if letter == "c":
            return rng.choice(POS_CONSTANTS)
        if letter == "k":
            return rng.choice(CONSTANTS)
        if letter == "C":
            return self.condition(scope, max(depth, 0), compound=False)
        if letter == "i":
            return rng.choice(sorted(scope.small_ints)) if scope.small_ints else rng.choice(["2", "3"])
        raise ValueError(letter)

    def leaf(self, scope: Scope) -> str:
        rng = self.rng
        if self.must_use is not None and self.must_use in scope.names:
            name, self.must_use = self.must_use, None
            return name
        pending = [n for n in self.pending if n in scope.names]
        roll = rng.random()
        if pending and roll < 0.5:
            name = rng.choice(pending[-4:])
            self.pending.remove(name)
            return name
        if roll < 0.85 and scope.names:
            return rng.choice(scope.names)
        return rng.choice(CONSTANTS)


def _weighted(rng: random.Random, choices):
    items = [c for c, w in choices if w > 0]
    weights = [w for c, w in choices if w > 0]
    return rng.choices(items, weights=weights)[0]
