"""What drives the spread, and what is worth measuring, from one set of draws (MODEL.md §13).

Both rest on the same regression: of an output (a KPI, or an option's objective) on
one input group's draws, with a small polynomial basis (each input, its square, and
for a single input its cube, standardised). Its fitted values estimate E[output |
group] at each draw.

- First-order sensitivity index: Var(E[Y | g]) / Var(Y), the regression's R²
  adjusted for the number of basis terms (so an input that explains nothing scores
  about 0, not p/N), with the large-sample standard error of R²
  (Olkin & Finn 1995: sqrt(4 R² (1 - R²)² / N)).
- Expected value of perfect partial information (Strong & Oakley 2014), for a
  decision between options a with objective J_a:
  EVPPI_g = mean over draws of max_a E[J_a | g] - max_a mean(J_a).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cx_mapper.engine.matrices import FloatArray


@dataclass(frozen=True)
class Fit:
    """A group's fitted conditional means of every output (N, outputs) and how many
    basis terms the fit used."""

    fitted: FloatArray
    terms: int


def basis(values: FloatArray) -> FloatArray:
    """The regression basis of one group's draws (N, d): a constant, each standardised
    input and its square, and for a single input its cube; inputs that never vary
    are left out."""
    count = values.shape[0]
    spread = values.std(axis=0)
    varying = values[:, spread > 1e-12 * np.maximum(1.0, np.abs(values).max(axis=0))]
    columns = [np.ones(count)]
    if varying.shape[1]:
        x = (varying - varying.mean(axis=0)) / varying.std(axis=0)
        columns.extend(x.T)
        columns.extend((x * x).T)
        if x.shape[1] == 1:
            columns.append(x[:, 0] ** 3)
    return np.column_stack(columns)


def fit(values: FloatArray, outputs: FloatArray) -> Fit:
    """Least-squares fitted values of `outputs` (N, k) on the basis of `values` (N, d)."""
    design = basis(values)
    # Least squares through the basis's small Gram matrix: a few terms, so this is far
    # cheaper than an SVD of the N-row design (12 ms a group), and directions the
    # draws do not span (a row's shares that sum to 1) are dropped, not fitted to noise.
    gram = design.T @ design
    eigenvalues, vectors = np.linalg.eigh(gram)
    kept = eigenvalues > 1e-10 * eigenvalues.max()
    vectors = vectors[:, kept]
    coefficients = vectors @ ((vectors.T @ (design.T @ outputs)) / eigenvalues[kept][:, None])
    return Fit(design @ coefficients, int(kept.sum()) - 1)


def variance_share(outputs: FloatArray, found: Fit) -> tuple[FloatArray, FloatArray]:
    """Each output's first-order index for the group and its standard error."""
    count = outputs.shape[0]
    total = outputs.var(axis=0)
    explained = found.fitted.var(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(total > 0, explained / total, 0.0)
    p = found.terms
    adjusted = 1.0 - (1.0 - r2) * (count - 1) / max(1, count - p - 1)
    share = np.clip(np.where(total > 0, adjusted, 0.0), 0.0, 1.0)
    error = np.sqrt(4.0 * share * (1.0 - share) ** 2 / count)
    return share, error


def evppi(objectives: FloatArray, found: Fit) -> float:
    """EVPPI of the group whose fit `found` is of the options' objectives (N, options)."""
    if objectives.shape[1] < 2:
        return 0.0
    value = float(found.fitted.max(axis=1).mean() - objectives.mean(axis=0).max())
    return max(0.0, value)


def evpi(objectives: FloatArray) -> float:
    """The expected value of perfect information about every input at once: the most
    any one group's EVPPI can be."""
    if objectives.shape[1] < 2:
        return 0.0
    return max(0.0, float(objectives.max(axis=1).mean() - objectives.mean(axis=0).max()))
