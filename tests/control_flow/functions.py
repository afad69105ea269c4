"""Control-flow functions for the table-driven test: each pattern alone and combined."""
import math


# ---- if / elif / else -------------------------------------------------------------
def if_simple(x):
    if x > 0:
        y = x * x
    else:
        y = -x * 3
    return y


def if_no_else(x, y):
    z = x * y
    if x > 0.5:
        z = z + math.sin(x)
    return z * y


def if_elif_chain(x):
    if x < -1:
        y = x ** 3
    elif x < 0:
        y = math.exp(x)
    elif x < 1:
        y = math.sin(x) + 1
    else:
        y = math.log(x) + 1.5
    return y


def if_nested(x, y):
    if x > 0:
        if y > 0:
            r = x * y
        else:
            r = x - y
    else:
        if y > x:
            r = y * y
        else:
            r = x + 1
    return r


def if_assign_some_branches(a, b):
    c = a
    d = b
    if a > b:
        c = a * b
    else:
        d = a + b
    return c * d


def if_chained_comparison(x, y):
    if 0 < x < 1:
        z = x * y
    else:
        z = x + y
    return z


def if_boolean_ops(x, y):
    if x > 0 and y > 0:
        r = x * y
    elif x > 0 or not y > -1:
        r = x - y
    else:
        r = x + y * y
    return r


def conditional_expression(x, y):
    z = x * y if x > y else x + y
    return z * z


def conditional_expression_nested(x):
    return x * x if x > 1 else (math.sin(x) if x > 0 else -x)


def comparison_result_used(x):
    flag = x > 0.3
    scale = 2.0 if flag else 0.5
    return scale * x


# ---- for over range ---------------------------------------------------------------
def for_constant_range(x):
    s = 0.0
    for i in range(5):
        s = s + x ** i
    return s


def for_computed_bounds(x, n):
    p = 1.0
    for i in range(1, n + 1, 2):
        p = p * (x + i)
    return p


def for_product_needs_tape(x, n):
    p = 1.0
    for _ in range(n):
        p = p * x
    return p


def for_negative_step(x):
    s = x
    for i in range(6, 0, -2):
        s = math.sin(s) * i
    return s


def for_nested(x, y):
    s = 0.0
    for i in range(3):
        for j in range(i + 1):
            s = s + x * i + y * j * s
    return s


def for_overwrite_in_loop(x):
    t = 0.0
    u = x
    for k in range(4):
        t = u * u
        u = t * 0.5 + x
    return t + u


def for_with_if(x, n):
    s = 0.0
    for i in range(n):
        if i % 2 == 0:
            s = s + x * i
        else:
            s = s * x
    return s


def for_augmented(x, y):
    s = 1.0
    for i in range(4):
        s += x * y
        s *= y
        s -= x / (i + 1)
    return s


def for_tuple_unpacking(x, y):
    a, b = x, y
    for _ in range(5):
        a, b = b, a * 0.5 + b
    return a * b


def for_over_list(x, y):
    total = 0.0
    for w in [1.0, 2.0, 3.0]:
        total = total + w * x * y
    return total


def for_over_tuple_of_values(x, y):
    total = 0.0
    for v in (x, y, x * y):
        total = total + v * v
    return total


def for_enumerate(x):
    s = 0.0
    for i, w in enumerate([0.5, 1.5, -1.0]):
        s = s + w * x ** (i + 1)
    return s


def for_zip(x, y):
    s = 0.0
    for a, b in zip([1.0, 2.0, 3.0], [x, y, x + y]):
        s = s + a * b * b
    return s


def for_rows_of_array(w, x):
    s = 0.0
    for row in x:
        s = s + (row[0] + row[1] * row[1]) * w
    return s


def for_math_functions(x):
    y = x
    for i in range(3):
        y = math.tanh(y) + math.cos(y) * 0.5
    return y


def for_max_min(x, y):
    s = 0.0
    for i in range(4):
        s = s + max(x * i, y) - min(x, y * i)
    return s


# ---- while -------------------------------------------------------------------------
def while_data_dependent(x):
    k = 0
    while x < 10.0:
        x = x * 1.7 + 0.1
        k = k + 1
    return x * k


def while_counter(x, n):
    i = 0
    s = 1.0
    while i < n:
        s = s * x + 1
        i += 1
    return s


def while_two_conditions(x):
    k = 0
    s = x
    while k < 8 and s < 50.0:
        s = s * s + 1
        k = k + 1
    return s


def while_with_if(x):
    s = x
    n = 0
    while n < 6:
        if s > 2:
            s = s / 2
        else:
            s = s * 3 + x
        n += 1
    return s


# ---- break / continue / early return -------------------------------------------------
def break_in_for(x, n):
    s = 0.0
    for i in range(n):
        s = s + x * i
        if s > 3.0:
            break
        s = s * 1.1
    return s * x


def break_in_while(x):
    k = 0
    while True:
        x = x * 1.5
        k += 1
        if x > 5 or k > 20:
            break
    return x


def continue_in_for(x, n):
    s = 1.0
    for i in range(n):
        if i % 2 == 0:
            continue
        s = s * x + i
    return s


def break_and_continue(x):
    s = 0.0
    for i in range(10):
        if i == 2:
            continue
        s = s + x * i
        if s > 4:
            break
    return s


def break_in_nested_loop(x):
    s = 0.0
    for i in range(4):
        for j in range(4):
            if j > i:
                break
            s = s + x * (i + j)
    return s


def early_return_in_if(x):
    if x > 0:
        return x * x
    y = math.sin(x)
    return y * 3


def early_return_in_loop(x, n):
    p = 1.0
    for i in range(n):
        p = p * x
        if p > 10:
            return p + i
    return p * 2


def early_return_in_nested_loops(x):
    s = x
    for i in range(3):
        for j in range(3):
            s = s * 1.2 + j
            if s > 7:
                return s * i
    return s


def early_return_in_while(x):
    while x < 100:
        x = x * 2
        if x > 20:
            return x * 0.5
    return x


# ---- combinations -------------------------------------------------------------------
def loop_branch_loop(x, n):
    s = x
    for i in range(n):
        if s > 1:
            for j in range(2):
                s = s * 0.9
        else:
            s = s + x * x
    return s


def newton_sqrt(a):
    x = a
    for _ in range(6):
        x = 0.5 * (x + a / x)
    return x


def horner(x, c0, c1, c2, c3):
    coefficients = [c3, c2, c1, c0]
    y = 0.0
    for c in coefficients:
        y = y * x + c
    return y


def euler_oscillator(k, damping):
    x = 1.0
    v = 0.0
    dt = 0.01
    for _ in range(200):
        a = -k * x - damping * v
        x = x + dt * v
        v = v + dt * a
    return x * x + v * v


def piecewise_loop_with_augassign(x):
    total = 0.0
    for i in range(5):
        t = x - i * 0.5
        if t > 0:
            total += t * t
        else:
            total -= t
    return total


def reassigned_parameter_in_loop(x, y):
    for _ in range(3):
        x = x * y + 1
        y = y * 0.5
    return x + y
