"""Functions of a module that never imports NumPy, writing into arrays and lists they made
(test_saved_copies.py): what a write overwrites is saved with the runtime's copy_of, which needs no
name of the module's."""


def written_array(x):
    y = x * 2.0
    y[0] = x[1] * x[2]
    y[1:3] = y[1:3] * x[0]
    return (y * y).sum()


def written_list_of_arrays(x):
    rows = [x * 1.0, x * x]
    rows[0] = rows[1] * x[0]
    rows[1] = rows[0] + x
    return (rows[0] * rows[1]).sum()
