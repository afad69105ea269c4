"""Table-driven: each control-flow pattern, alone and combined, against central differences."""
import numpy as np
import pytest

from s2sgrad import check_grad, value_and_grad

from . import functions as f

CASES = [
    (f.if_simple, [(1.3,), (-0.7,)], (0,)),
    (f.if_no_else, [(0.9, 1.2), (0.2, -1.5)], (0, 1)),
    (f.if_elif_chain, [(-1.5,), (-0.4,), (0.6,), (2.5,)], (0,)),
    (f.if_nested, [(1.0, 2.0), (1.0, -2.0), (-1.0, 0.5), (-1.0, -3.0)], (0, 1)),
    (f.if_assign_some_branches, [(2.0, 1.0), (0.5, 1.5)], (0, 1)),
    (f.if_chained_comparison, [(0.5, 2.0), (1.5, 2.0), (-0.5, 1.0)], (0, 1)),
    (f.if_boolean_ops, [(1.0, 2.0), (1.0, -2.0), (-1.0, -2.0), (-1.0, 0.5)], (0, 1)),
    (f.conditional_expression, [(2.0, 1.0), (1.0, 2.0)], (0, 1)),
    (f.conditional_expression_nested, [(2.0,), (0.5,), (-0.5,)], (0,)),
    (f.comparison_result_used, [(0.5,), (0.1,)], (0,)),
    (f.for_constant_range, [(0.7,), (-1.3,)], (0,)),
    (f.for_computed_bounds, [(0.3, 5), (1.2, 0), (-0.4, 7)], (0,)),
    (f.for_product_needs_tape, [(1.1, 6), (-0.9, 3)], (0,)),
    (f.for_negative_step, [(0.4,), (2.0,)], (0,)),
    (f.for_nested, [(0.3, 0.2), (-0.5, 0.4)], (0, 1)),
    (f.for_overwrite_in_loop, [(0.6,), (-0.8,)], (0,)),
    (f.for_with_if, [(0.9, 5), (1.3, 4)], (0,)),
    (f.for_augmented, [(0.5, 1.2), (-0.3, 0.7)], (0, 1)),
    (f.for_tuple_unpacking, [(0.5, 1.5), (2.0, -1.0)], (0, 1)),
    (f.for_over_list, [(0.5, 1.5)], (0, 1)),
    (f.for_over_tuple_of_values, [(0.5, 1.5), (-2.0, 0.3)], (0, 1)),
    (f.for_enumerate, [(0.8,), (-1.2,)], (0,)),
    (f.for_zip, [(0.8, 1.1), (-1.2, 0.4)], (0, 1)),
    (f.for_rows_of_array, [(0.7, np.arange(6.0).reshape(3, 2))], (0, 1)),
    (f.for_math_functions, [(0.3,), (1.7,)], (0,)),
    (f.for_max_min, [(0.7, 1.3), (1.9, 0.2)], (0, 1)),
    (f.while_data_dependent, [(0.5,), (3.0,), (12.0,)], (0,)),
    (f.while_counter, [(0.9, 4), (1.5, 0)], (0,)),
    (f.while_two_conditions, [(1.1,), (0.2,)], (0,)),
    (f.while_with_if, [(0.7,), (5.0,)], (0,)),
    (f.break_in_for, [(0.8, 6), (0.1, 6)], (0,)),
    (f.break_in_while, [(0.3,), (6.0,)], (0,)),
    (f.continue_in_for, [(0.7, 5), (1.4, 2)], (0,)),
    (f.break_and_continue, [(0.45,), (0.05,)], (0,)),
    (f.break_in_nested_loop, [(0.7,), (-0.3,)], (0,)),
    (f.early_return_in_if, [(0.5,), (-0.5,)], (0,)),
    (f.early_return_in_loop, [(1.9, 8), (1.1, 3)], (0,)),
    (f.early_return_in_nested_loops, [(2.5,), (0.1,)], (0,)),
    (f.early_return_in_while, [(3.0,), (150.0,), (15.0,)], (0,)),
    (f.loop_branch_loop, [(0.4, 6), (1.6, 3)], (0,)),
    (f.newton_sqrt, [(2.0,), (9.0,)], (0,)),
    (f.horner, [(0.5, 1.0, -2.0, 3.0, 0.5)], (0, 1, 2, 3, 4)),
    (f.euler_oscillator, [(4.0, 0.3)], (0, 1)),
    (f.piecewise_loop_with_augassign, [(1.3,), (0.2,)], (0,)),
    (f.reassigned_parameter_in_loop, [(0.5, 1.5), (-1.0, 0.3)], (0, 1)),
]


def _params():
    for fn, inputs, wrt in CASES:
        for args in inputs:
            yield pytest.param(fn, args, wrt, id=f"{fn.__name__}{args}")


def test_table_has_at_least_forty_functions():
    assert len({fn for fn, _, _ in CASES}) >= 40


@pytest.mark.parametrize("fn, args, wrt", list(_params()))
def test_gradient_matches_central_differences(fn, args, wrt):
    check_grad(fn, *args, wrt=wrt)


@pytest.mark.parametrize("fn, args, wrt", list(_params()))
def test_value_is_the_functions_value(fn, args, wrt):
    value, _ = value_and_grad(fn, wrt=wrt)(*args)
    assert value == fn(*args)
