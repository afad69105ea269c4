"""Functions using constructs s2sgrad rejects; each line marked `# <--` is the one the error must name."""
import math

import numpy as np

CONSTANT = 2.0


def uses_try(x):
    try:
        while x < 10:  # <--
            x = x * 2
        else:
            x = x + 1
    except ValueError:
        pass
    return x


def uses_with(x):
    with open(__file__) as handle:  # <--
        y = x * len(handle.read(1))
    return y


def uses_global(x):
    global CONSTANT  # <--
    return x * CONSTANT


def deletes_an_element(x):
    y = np.array([x, x * 2])
    del y[0]  # <--
    return y[0]


def uses_class(x):
    class Local:  # <--
        pass
    return x


def uses_import(x):
    import math as m  # <--
    return m.sin(x)


def uses_match(x):
    match x:
        case [first, *rest]:  # <--
            return first
    return x * 2


def uses_set_comprehension(x):
    ys = {x * k for k in range(3)}  # <--
    return sum(ys)


def uses_walrus(x):
    ys = [(y := x * k) for k in range(3)]  # <--
    return sum(ys) + y


def uses_starred_call(x):
    args = [x * k for k in (1.0, 2.0)]      # a length known only when run
    return math.atan2(*args)  # <--


def uses_attribute_store(x):
    x.value = 3  # <--
    return x


def uses_subscript_augassign_on_input(x):
    x[0] += 1.0  # <--
    return x[0]


def returns_nothing(x):  # <--
    y = x * 2


def unknown_numpy_function(x):
    return np.i0(x)  # <--


def calls_unknown_name(x):
    return not_defined_anywhere(x)  # noqa: F821  # <--


def uses_async(x):
    async def inner():  # <--
        return x
    return x


def returns_a_vector(x):
    return np.array([x, 2 * x])


def returns_a_tuple(x):
    return x, 2 * x


def returns_a_complex(x):
    return x * 1j


def integer_power(x, n):
    return x ** n
