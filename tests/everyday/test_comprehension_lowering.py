"""Unit tests of the rewrite in s2sgrad/ssa/comprehensions.py: a comprehension becomes the loop that
builds its list, in place, with variables of its own (the single-assignment form shows it)."""
from s2sgrad.transform import prepare


def filtered(w, xs):
    return sum([w * x for x in xs if x > 0])


def two_generators(xs, ys):
    return sum([a * b for a in xs for b in ys])


def reuses_a_name(x, xs):
    total = sum([x * x for x in xs])       # this x is the comprehension's own
    return total + x


def nested_with_same_name(rows):
    return sum([sum([v for v in v]) for v in rows])


def ssa(f) -> str:
    return prepare(f).ssa_source


def test_a_filtered_comprehension_is_a_loop_with_an_if():
    assert ssa(filtered) == (
        "def filtered(w, xs):\n"
        "    t1 = []\n"
        "    for i in range(len(xs)):\n"
        "        x_1 = xs[i]\n"
        "        t2 = x_1 > 0\n"
        "        if t2:\n"
        "            t3 = w * x_1\n"
        "            t1.append(t3)\n"
        "    filtered = sum(t1)\n"
        "    return filtered\n")


def test_generators_nest_left_to_right():
    source = ssa(two_generators)
    outer, inner = source.index("a_1 = xs[i]"), source.index("b_1 = ys[i_1]")
    assert outer < inner and "t2 = a_1 * b_1" in source and "t1.append(t2)" in source


def test_the_comprehension_variable_is_fresh_and_the_function_keeps_its_own():
    source = ssa(reuses_a_name)
    assert "x_1 = xs[i]" in source and "t2 = x_1 * x_1" in source
    assert "reuses_a_name = total + x" in source       # after it, x is the parameter again


def test_a_nested_comprehension_rebinding_the_name_reads_the_outer_element():
    source = ssa(nested_with_same_name)
    # the outer v_1 is a row; the inner loop runs over it and binds its own v_2
    assert "v_1 = rows[i]" in source and "for i_1 in range(len(v_1)):" in source and "v_2 = v_1[i_1]" in source
    assert nested_with_same_name([[1.0, 2.0], [3.0]]) == 6.0
