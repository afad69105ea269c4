"""Functions that change lists and dicts they built, as new users write them (test_container_mutation.py)."""
import numpy as np


# ---- lists ---------------------------------------------------------------------------------------

def extend_with_list(x, y):
    out = [x]
    out.extend([y, x * y])
    out.extend((np.sin(x),))
    return out[0] * out[1] + out[2] - out[-1]


def extend_with_generator(x, y):
    out = []
    out.extend(v * v for v in [x, y])
    return out[0] + 3.0 * out[1]


def insert_everywhere(x, y):
    xs = [x, y]
    xs.insert(0, x * y)
    xs.insert(-1, y * 2.0)
    xs.insert(10, np.cos(x))
    xs.insert(2, x - y)
    return xs[0] * 1.0 + xs[1] * 2.0 + xs[2] * 3.0 + xs[3] * 4.0 + xs[4] * 5.0 + xs[5] * 6.0


def pop_forms(x, y):
    xs = [x, y, x * y, x + y, y * y]
    last = xs.pop()
    first = xs.pop(0)
    xs.pop()                       # dropped
    second = xs.pop(-2)
    return last * first + second * xs[0] + len(xs)


def pop_inside_expression(x, y):
    xs = [x, x * y]
    return y * xs.pop() + 1.0


def pop_at_variable_position(x, y):
    xs = [x, y, x * y, y * y]
    s = 0.0
    for i in [2, -1, 0]:
        s = s * y + xs.pop(i)
    return s + xs[0]


def remove_reverse_clear(x, y):
    xs = [x, y, 2.0, x * y]
    xs.remove(2.0)
    xs.reverse()
    total = xs[0] + 2.0 * xs[1] + 3.0 * xs[2]
    xs.clear()
    xs.append(total * total)
    return xs[0]


def sort_in_place(x, y, z):
    xs = [x * y, z, y - x]
    xs.sort()
    ws = [x, -y, z]
    ws.sort(key=abs, reverse=True)
    return xs[0] + 2.0 * xs[1] + 3.0 * xs[2] + ws[0] * ws[2]


def plus_equals_and_del(x, y):
    xs = [x]
    xs += [y, x * y]
    xs += (y * y,)
    del xs[1]
    del xs[0:1]
    return xs[0] * xs[-1]


def element_writes_after_other_changes(x, y):
    xs = [x, y, x * y]
    xs.pop()
    xs[0] = x * x
    xs.reverse()
    xs[-1] += y
    i = 0
    xs[i] *= 3.0
    return xs[0] * xs[-1]


def stack_walk(x, y):
    """A depth-first walk: pop a value, push smaller pieces while they are large."""
    stack = [x, y]
    total = 0.0
    while stack:
        v = stack.pop()
        if v > 1.0:
            stack.extend([v * 0.5, v * 0.25])
        else:
            total = total + v * v
    return total


def stack_of_appends_and_pops(x, y):
    stack = [x, y]
    total = 0.0
    while stack:
        v = stack.pop()
        if v > 1.0:
            stack.append(v * 0.5)
            stack.append(v * 0.25)
        else:
            total = total + v * v
    stack.append(total)
    stack.pop()
    return total


def queue_with_appends(x, y):
    queue = [x]
    out = 0.0
    for step in range(4):
        head = queue.pop(0)
        queue.append(head * y)
        queue.append(head + y)
        out = out + head
    return out + sum(queue)


def list_of_arrays(W, b):
    layers = [W]
    layers.insert(0, W * 2.0)
    layers.extend([b, np.tanh(b)])
    top = layers.pop()
    return np.sum(layers[0] @ top) + np.sum(layers[1]) * np.sum(layers[-1])


# ---- dicts ---------------------------------------------------------------------------------------

def dict_built_by_writes(x, y):
    d = {}
    d["a"] = x * 2.0
    d["b"] = x * y
    d["a"] = d["a"] + y            # overwritten: the old value reaches the result through the new one
    return d["a"] * d["b"]


def histogram(x, y):
    pairs = [("a", x), ("b", y), ("a", x * y), ("c", 2.0), ("b", x)]
    counts = {}
    for key, value in pairs:
        counts[key] = counts.get(key, 0.0) + value
    return counts["a"] * counts["b"] + counts["c"]


def integer_keyed_accumulator(x, y):
    totals = {}
    values = [x, y, x * y, y * y]
    for i in range(len(values)):
        totals[i % 2] = totals.get(i % 2, 0.0) + values[i] ** 2
    return totals[0] / totals[1]


def plus_equals_on_entries(x, y):
    d = {"s": 0.0, "p": 1.0}
    for v in [x, y, x + y]:
        d["s"] += v
        d["p"] *= v
    return d["s"] * d["p"]


def update_forms(x, y):
    d = {"a": x}
    d.update({"b": y, "a": x * x})
    d.update(c=x + y)
    d.update([("d", y * 3.0)])
    d |= {"e": x * y}
    return d["a"] + 2.0 * d["b"] + 3.0 * d["c"] + 4.0 * d["d"] + 5.0 * d["e"]


def setdefault_and_pop(x, y):
    d = {"a": x}
    first = d.setdefault("a", y)          # kept: x
    second = d.setdefault("b", y * y)     # stored: y * y
    gone = d.pop("a")
    fallback = d.pop("zz", 3.0)
    d["c"] = first * second
    del d["b"]
    return gone * fallback + d["c"] + len(d)


def rescale_values_in_loop(x, y):
    d = {"u": x, "v": y, "w": x * y}
    for k, v in d.items():
        d[k] = v * v
    return d["u"] + 2.0 * d["v"] + 3.0 * d["w"]


def dict_of_arrays(W, b):
    params = {}
    params["W"] = W * 2.0
    params["b"] = b
    params.update(bias2=b * b)
    weights = params.pop("W")
    out = weights @ params["b"]
    return np.sum(out) + np.sum(params["bias2"])


def clear_then_fill(x, y):
    d = {"a": x}
    d.clear()
    d["b"] = y * x
    return d["b"] + len(d)


# ---- refused: the change could be seen elsewhere ---------------------------------------------------

def extends_parameter(xs, y):
    xs.extend([y])
    return xs[-1] * y


def writes_parameter_dict(d, y):
    d.update(a=y)
    return d["a"] * y


def pops_parameter(xs):
    v = xs.pop()
    return v * v


def extends_alias(x):
    xs = [x]
    ys = xs
    xs.extend([x * 2.0])
    return ys[-1]


def plus_equals_alias(x):
    xs = [x]
    ys = xs
    xs += [x * 2.0]
    return ys[-1]


def pops_held_list(x):
    xs = [x, x * 2.0]
    rows = [xs]
    xs.pop()
    return rows[0][-1]


def writes_dict_held_by_helper(x):
    d = {"a": x}
    keep(d)
    d["a"] = x * 2.0
    return d["a"]


def keep(value):
    return len(value)


def reverses_captured_list(x):
    xs = [x, x * 3.0]

    def first():
        return xs[0]
    xs.reverse()
    return first() * x


def extends_while_iterating(x):
    xs = [x]
    for v in xs:
        if len(xs) < 3:
            xs.extend([v * 2.0])
    return xs[-1]


def pops_in_a_branch_of_an_expression(x):
    xs = [x, x * 2.0]
    return xs.pop() if x > 0 else 0.0


def pops_and_reads_in_one_statement(x):
    xs = [x, x * 2.0]
    return xs.pop() * xs[-1]


def extends_unknown_list(x):
    xs = make_list(x)
    xs.extend([x])
    return xs[0] + xs[-1]


def make_list(x):
    return [x * 2.0]


def deletes_from_dict_while_iterating(x):
    d = {"a": x, "b": x * 2.0}
    for k in d:
        if k == "a":
            del d[k]
    return d["b"]


def dict_passed_on_after_its_writes(w, b):
    params = {}
    params["w"] = w * 2.0
    params["b"] = b
    return loss(params, 0.5)


def loss(params, x):
    return (params["w"] * x + params["b"]) ** 2


def dict_shared_inside_the_loop_that_writes_it(x):
    d = {"a": x}
    total = 0.0
    for i in range(3):
        total = total + loss_of(d)
        d["a"] = d["a"] * 2.0
    return total


def loss_of(d):
    return d["a"] ** 2


def sorted_after_appends(x, y):
    xs = []
    for v in [x, y, x * y, 0.5]:
        xs.append(v * v)
    xs.sort(reverse=True)
    return xs[0] + 2.0 * xs[1] - xs[-1]


def written_in_a_branch(x, y):
    d = {"a": x}
    if x > y:
        d["b"] = x * y
    else:
        d["b"] = y - x
        d.update(c=y)
    return d["a"] * d["b"] + d.get("c", 0.0)


def appends_through_setdefault(x):
    groups = {}
    for key, value in [("a", x), ("b", x * 2.0), ("a", x * x)]:
        groups.setdefault(key, []).append(value)
    return sum(groups["a"]) * groups["b"][0]


def groups_built_as_hinted(x):
    groups = {}
    for key, value in [("a", x), ("b", x * 2.0), ("a", x * x)]:
        groups[key] = groups.get(key, []) + [value]
    return sum(groups["a"]) * groups["b"][0]
