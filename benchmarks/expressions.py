"""Scalar against numpy evaluation of random expressions at the edges of the value domain.

    python benchmarks/expressions.py [--expressions N] [--seed S]

Draws expressions over two unbounded numbers, a share and a flag, with literals and values at
the limit (±1e15), zeros of both signs and the smallest floats, evaluates each on six games in
both backends and prints how many results differ in any bit, and how many are NaN or infinite.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.core.errors import ExprError  # noqa: E402
from game.core.expr import BOOL, NUM, Symbol, Symbols, compile_expr  # noqa: E402

SYMBOLS = Symbols(
    {"a": Symbol(NUM, slot=0), "b": Symbol(NUM, slot=1), "share": Symbol(NUM, slot=2), "flag": Symbol(BOOL, slot=3)}
)
VALUES = [1e15, -1e15, 0.0, -0.0, 5e-324, 1e-300, 2.5, -2.5, 0.5, -0.4, 1.0, 9.999e14]
LITERALS = ["1e15", "-1e15", "1e-300", "0.0", "-0.0", "0.4", "3", "999999999999999", "2.5"]


def expression(rng: random.Random, depth: int = 0) -> str:
    if depth > 4 or rng.random() < 0.3:
        return rng.choice(["a", "b", "share", "flag", "true", *LITERALS])
    part = lambda: expression(rng, depth + 1)  # noqa: E731
    return rng.choice(
        [
            lambda: f"({part()} {rng.choice('+-*/')} {part()})",
            lambda: f"({part()} {rng.choice(['<', '<=', '>', '==', '!=', 'and', 'or'])} {part()})",
            lambda: f"(-{part()})",
            lambda: f"(not {part()})",
            lambda: f"({part()} if {part()} else {part()})",
            lambda: f"{rng.choice(['min', 'max'])}({part()}, {part()})",
            lambda: f"clamp({part()}, {part()}, {part()})",
            lambda: f"abs({part()})",
            lambda: f"round({part()})",
        ]
    )()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expressions", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    differ = broken = evaluations = 0
    start = time.perf_counter()
    np.seterr(all="ignore")
    for _ in range(args.expressions):
        try:
            expr = compile_expr(expression(rng), SYMBOLS)
        except ExprError:
            continue
        games = [
            (rng.choice(VALUES), rng.choice(VALUES), rng.choice([0.0, 50.0, 100.0]), rng.choice([0.0, 1.0]))
            for _ in range(6)
        ]
        vector = expr.many([np.array(column) for column in zip(*games)], len(games))
        for i, env in enumerate(games):
            scalar = float(expr.scalar(env))
            evaluations += 1
            differ += scalar.hex() != float(vector[i]).hex()
            broken += not math.isfinite(scalar)
    took = time.perf_counter() - start
    print(
        f"{args.expressions:,} expressions, {evaluations:,} evaluations: {differ:,} differ in some bit, "
        f"{broken:,} are NaN or infinite ({took:.0f} s)"
    )


if __name__ == "__main__":
    main()
