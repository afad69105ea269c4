"""Lambdas built by a comprehension (kept at module level: the tests read their source)."""


def lambdas_from_a_comprehension(ws, x):
    fs = [lambda t: t * w for w in ws]       # Python's late binding: every lambda reads the last w
    return fs[0](x) + fs[1](x)
