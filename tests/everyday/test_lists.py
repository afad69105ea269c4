"""Lists built with append in nested loops, as users write them (no comprehension involved)."""
from .helpers import checked


def rows_of_products(w):
    table = []
    for i in range(2):
        row = []              # a new list each iteration: the reverse sweep needs each one back
        for j in range(3):
            row.append(w * i * j + w)
        table.append(row)
    total = 0.0
    for row in table:
        total = total + sum(row) * w
    return total


def test_a_list_rebuilt_each_iteration_is_recorded():
    checked(rows_of_products, 1.5)
