"""Small statistics for balance reports: Wilson intervals, differences of shares, two-proportion tests,
chi-square."""

from __future__ import annotations

import math
from collections.abc import Sequence

Z95 = 1.959963984540054


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a share ``count / n`` (95% by default)."""
    if n <= 0:
        return (0.0, 1.0)
    p = count / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def difference_interval(a: int, n_a: int, b: int, n_b: int, z: float = Z95) -> tuple[float, float]:
    """A 95% interval for ``a/n_a - b/n_b`` (Newcombe's hybrid score method, from two Wilson intervals)."""
    if n_a <= 0 or n_b <= 0:
        return (-1.0, 1.0)
    p, q = a / n_a, b / n_b
    (lp, up), (lq, uq) = wilson(a, n_a, z), wilson(b, n_b, z)
    d = p - q
    return (d - math.sqrt((p - lp) ** 2 + (uq - q) ** 2), d + math.sqrt((up - p) ** 2 + (q - lq) ** 2))


def two_proportions(a: int, n_a: int, b: int, n_b: int) -> tuple[float, float]:
    """The pooled two-proportion z statistic for a/n_a against b/n_b, and its two-sided p-value."""
    if n_a <= 0 or n_b <= 0:
        return (0.0, 1.0)
    pooled = (a + b) / (n_a + n_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if spread == 0:
        return (0.0, 1.0)
    z = (b / n_b - a / n_a) / spread
    return (z, math.erfc(abs(z) / math.sqrt(2)))


def chi_square(observed: Sequence[float], expected: Sequence[float]) -> tuple[float, int]:
    """Pearson's statistic over the cells with an expectation, and its degrees of freedom."""
    cells = [(o, e) for o, e in zip(observed, expected) if e > 0]
    return sum((o - e) ** 2 / e for o, e in cells), max(len(cells) - 1, 1)


def chi_square_p(statistic: float, dof: int) -> float:
    """The upper tail probability of a chi-square distribution (regularised gamma Q)."""
    return _gamma_q(dof / 2, statistic / 2)


def _gamma_q(a: float, x: float) -> float:
    if x <= 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:  # the series for P converges fast here
        term = total = 1.0 / a
        k = a
        while abs(term) > abs(total) * 1e-15:
            k += 1
            term *= x / k
            total += term
        return max(0.0, 1.0 - total * math.exp(log_front))
    b, c, d = x + 1 - a, 1e300, 1 / (x + 1 - a)  # Lentz's continued fraction for Q
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1 / (d if abs(d) > 1e-300 else 1e-300)
        c = b + an / c
        c = c if abs(c) > 1e-300 else 1e-300
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h * math.exp(log_front)
