"""Loop forms s2sgrad rejects, each with a clear error."""


def loop_in_try(x):
    try:
        for i in range(3):
            x = x * 2
        else:
            x = x + 1
    except ValueError:
        pass
    return x


def loop_over_generator(x):
    s = 0.0
    for v in (x * k for k in range(3)):
        if v > 5.0:
            break
        s = s + v
    return s


def generator_function(x):
    yield x * 2
