"""Lists and dicts the function builds and then changes in place (extend, insert, pop, remove, reverse, sort,
clear, `+=`, del; d[k] = v, update, setdefault, pop, del d[k]): both modes against central differences,
and a located refusal wherever the change could be seen by another name, a container, a helper, a nested
function or the caller."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

from . import container_mutation_functions as m
from .derivatives import both_modes

W = np.array([[0.5, -1.0], [2.0, 0.25]])
B = np.array([0.1, -0.3])
XY = (0.7, 1.3)


@pytest.mark.parametrize("f, args, wrt", [
    (m.extend_with_list, XY, (0, 1)),
    (m.extend_with_generator, XY, (0, 1)),
    (m.insert_everywhere, XY, (0, 1)),
    (m.pop_forms, XY, (0, 1)),
    (m.pop_inside_expression, XY, (0, 1)),
    (m.pop_at_variable_position, XY, (0, 1)),
    (m.remove_reverse_clear, XY, (0, 1)),
    (m.sort_in_place, (0.7, 1.3, -0.4), (0, 1, 2)),
    (m.plus_equals_and_del, XY, (0, 1)),
    (m.element_writes_after_other_changes, XY, (0, 1)),
    (m.stack_walk, (1.7, 3.3), (0, 1)),
    (m.stack_of_appends_and_pops, (1.7, 3.3), (0, 1)),
    (m.queue_with_appends, XY, (0, 1)),
    (m.list_of_arrays, (W, B), (0, 1)),
    (m.sorted_after_appends, XY, (0, 1)),
])
def test_list_changes_both_modes(f, args, wrt):
    both_modes(f, *args, wrt=wrt)


@pytest.mark.parametrize("f, args, wrt", [
    (m.dict_built_by_writes, XY, (0, 1)),
    (m.histogram, XY, (0, 1)),
    (m.integer_keyed_accumulator, XY, (0, 1)),
    (m.plus_equals_on_entries, XY, (0, 1)),
    (m.update_forms, XY, (0, 1)),
    (m.setdefault_and_pop, XY, (0, 1)),
    (m.rescale_values_in_loop, XY, (0, 1)),
    (m.dict_of_arrays, (W, B), (0, 1)),
    (m.clear_then_fill, XY, (0, 1)),
    (m.dict_passed_on_after_its_writes, XY, (0, 1)),
    (m.written_in_a_branch, XY, (0, 1)),
    (m.written_in_a_branch, (1.3, 0.7), (0, 1)),
    (m.groups_built_as_hinted, (0.7,), 0),
])
def test_dict_changes_both_modes(f, args, wrt):
    both_modes(f, *args, wrt=wrt)


def test_histogram_gradient_by_hand():
    # counts: a = x + x y, b = y + x, c = 2; result a b + c
    x, y = XY
    a, b = x + x * y, y + x
    expected = ((1 + y) * b + a, x * b + a)
    np.testing.assert_allclose(s2sgrad.grad(m.histogram, wrt=(0, 1))(x, y), expected, rtol=1e-12)


def test_stack_walk_takes_both_branches():
    # 3.3 splits into 1.65 (splits again) and 0.825; 1.7 into 0.85 and 0.425: both branches and several
    # loop-carried rebindings of the stack run
    x, y = 1.7, 3.3
    expected = (2 * x * (0.25 + 0.0625), 2 * y * (0.0625 + 0.015625 + 0.0625))
    np.testing.assert_allclose(s2sgrad.grad(m.stack_walk, wrt=(0, 1))(x, y), expected, rtol=1e-12)


def test_the_gradient_reads_like_the_rebinding():
    source = s2sgrad.grad(m.dict_built_by_writes).source_for(*XY)
    assert "merged(d, " in source and "merged_part(" in source
    # a list that only appends and pops keeps both in place; one that also extends is rebound throughout
    assert "stack.pop()" in s2sgrad.grad(m.stack_of_appends_and_pops).source_for(1.7, 3.3)
    assert "stack[:-1]" in s2sgrad.grad(m.stack_walk).source_for(1.7, 3.3)


@pytest.mark.parametrize("f, args, words", [
    (m.extends_parameter, ([0.5], 1.5), "caller's list"),
    (m.writes_parameter_dict, ({"a": 0.5}, 1.5), "caller's dict"),
    (m.pops_parameter, ([0.5, 1.0],), "caller's list"),
    (m.extends_alias, (0.7,), "shared on line"),
    (m.plus_equals_alias, (0.7,), "shared on line"),
    (m.pops_held_list, (0.7,), "shared on line"),
    (m.writes_dict_held_by_helper, (0.7,), "shared on line"),
    (m.reverses_captured_list, (0.7,), "shared on line"),
    (m.extends_while_iterating, (0.7,), "which iterates `xs`"),
    (m.deletes_from_dict_while_iterating, (0.7,), "which iterates `d`"),
    (m.pops_in_a_branch_of_an_expression, (0.7,), "inside a larger expression"),
    (m.pops_and_reads_in_one_statement, (0.7,), "also reads or assigns `xs`"),
    (m.extends_unknown_list, (0.7,), "not only bound to a list this function builds"),
    (m.dict_shared_inside_the_loop_that_writes_it, (0.7,), "shared on line"),
    (m.appends_through_setdefault, (0.7,), "through the value setdefault returns"),
])
def test_changes_others_could_see_are_refused_at_their_line(f, args, words):
    before = [dict(a) if isinstance(a, dict) else list(a) if isinstance(a, list) else a for a in args]
    with pytest.raises(UnsupportedConstructError, match=words) as caught:
        s2sgrad.grad(f)(*args)
    assert caught.value.location is not None and caught.value.location.function == f.__name__
    assert caught.value.hint
    assert list(args) == before             # the caller's list or dict is left as it was
    with pytest.raises(UnsupportedConstructError, match=words):
        s2sgrad.jvp(f, args, tuple(0.0 if isinstance(a, float) else a for a in args))


@pytest.mark.parametrize("f", [m.histogram, m.extend_with_list, m.update_forms], ids=lambda f: f.__name__)
def test_second_derivatives_through_the_rebindings(f):
    # forward over the gradient's code, which differentiates merged_part and the concatenations' adjoints
    point, step = np.array([1.7, 3.3]), 1e-5
    gradient = s2sgrad.grad(f, wrt=(0, 1))
    columns = [(np.array(gradient(*(point + step * e))) - np.array(gradient(*(point - step * e)))) / (2 * step)
               for e in np.eye(2)]
    np.testing.assert_allclose(s2sgrad.hessian(f, wrt=(0, 1))(*point), np.array(columns).T, rtol=1e-6, atol=1e-6)


def popped_and_inserted(x):
    xs = [x, x * 2, x ** 2, 3.0]
    a = xs.pop(1)
    xs.insert(0, a * x)
    return sum(v * v for v in xs)


def test_hessian_through_list_slicing():
    # pop(i) and insert(i, v) rebind the list to slices: a second derivative reads slice objects (no derivative)
    g = s2sgrad.grad(popped_and_inserted)
    eps = 1e-6
    assert s2sgrad.hessian(popped_and_inserted)(0.7) == pytest.approx((g(0.7 + eps) - g(0.7 - eps)) / (2 * eps), rel=1e-6)
