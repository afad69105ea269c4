"""Functions whose nested defs, lambdas or helpers change values outside themselves.

Each would get a gradient of 0 through that change; s2sgrad must refuse them at
the line marked `# <--` (the declaration or the mutation).
"""
import types

import numpy as np

LOG = []
STATE = {"total": 0.0}
SETTINGS = types.SimpleNamespace(scale=1.0)
accumulated = 0.0


# ---- nested defs and lambdas ---------------------------------------------------------------
def nonlocal_accumulator(x):
    total = 0.0

    def add(v):
        nonlocal total  # <--
        total += v * v
    add(x)
    add(2 * x)
    return total


def nested_append(x):
    out = []

    def push(v):
        out.append(v * v)  # <--
    push(x)
    return out[0]


def nested_global(x):
    def add(v):
        global accumulated  # <--
        accumulated = accumulated + v
    add(x)
    return x * 2.0


def nested_setitem(x):
    out = [0.0]

    def put(v):
        out[0] = v * v  # <--
    put(x)
    return out[0]


def nested_augmented_setitem(x):
    out = np.zeros(2)

    def put(v):
        out[0] += v  # <--
    put(x)
    return np.sum(out)


def nested_setattr(x):
    box = types.SimpleNamespace(value=0.0)

    def put(v):
        box.value = v * v  # <--
    put(x)
    return box.value


def nested_mutates_its_argument(x):
    out = []

    def push(items, v):
        items.append(v)  # <--
    push(out, x)
    return out[0]


def lambda_append(x):
    out = []
    push = lambda v: out.append(v * v)  # <--
    push(x)
    return out[0]


def lambda_setitem(x):
    out = [0.0]
    put = lambda v: out.__setitem__(0, v * v)  # <--
    put(x)
    return out[0]


def lambda_setattr(x):
    box = types.SimpleNamespace(value=0.0)
    put = lambda v: setattr(box, "value", v)  # <--
    put(x)
    return box.value


def global_in_function_itself(x):
    global accumulated  # <--
    accumulated = x * x
    return accumulated


# ---- module-level helpers -------------------------------------------------------------------
def log_square(v):
    LOG.append(v * v)  # <--


def calls_log_helper(x):
    log_square(x)
    return LOG[-1]


def add_to_global(v):
    global accumulated  # <--
    accumulated += v * v
    return v


def uses_global_accumulator(x):
    y = add_to_global(x)
    return y + accumulated


def add_to_state(v):
    STATE["total"] += v  # <--


def calls_state_helper(x):
    add_to_state(x)
    return STATE["total"]


def through_another_helper(v):
    add_to_state(v)
    return v


def calls_helper_of_helper(x):
    y = through_another_helper(x)
    return y + STATE["total"]


def fill_first(buffer, v):
    buffer[0] = v  # <--


def calls_filling_helper(x):
    buffer = np.zeros(2)
    fill_first(buffer, x)
    return np.sum(buffer)


def set_scale(v):
    SETTINGS.scale = v  # <--


def calls_attribute_helper(x):
    set_scale(x)
    return SETTINGS.scale * 2.0


# ---- what stays allowed ----------------------------------------------------------------------
def nested_with_own_list(x):
    def twice(v):
        items = []
        items.append(v)
        items[0] = items[0] * 2
        return items[0]
    return twice(x) * x


def helper_with_own_list(v):
    items = [1.0]
    items.append(v * 3.0)
    return items[1]


def calls_pure_helper(x):
    helper_with_own_list(x)           # a dropped result: harmless, since the helper changes nothing outside
    return helper_with_own_list(x) * x


# ---- the differentiated function writing into values itself -----------------------------------
GRID = np.zeros(3)


def sets_global_attribute(x):
    setattr(SETTINGS, "scale", x * x)  # <--
    return SETTINGS.scale


def copies_into_global(x):
    np.copyto(GRID, x * x)  # <--
    return np.sum(GRID)


def writes_out_argument(x):
    buffer = np.zeros(3)
    np.multiply(x, x, out=buffer)  # <--
    return np.sum(buffer)


def updates_global_dict(x):
    STATE.update(total=x * x)  # <--
    return STATE["total"]


def appends_to_global_list(x):
    LOG.append(x * x)  # <--
    return LOG[-1]
