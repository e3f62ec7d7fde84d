"""One system I - X, solved for row vectors (visits) and columns (adjoints).

Up to DIRECT_LIMIT touchpoints a sparse LU is exact and fast, and the row solve is
the transposed system from the same factors. Above it, loops back to early stages
make the LU fill in (3.8 s and 10 M non-zeros at 100,000 touchpoints), while a
Krylov solver needs a few dozen sparse products because exits and the discount
keep the spectral radius of X below 1.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

DIRECT_LIMIT = 5_000
TOLERANCE = 1e-12


class SolverError(ArithmeticError):
    """An iterative solve did not converge."""


class ForwardSystem:
    """Solves x (I - X) = b (rows) and (I - X) z = c (columns)."""

    def __init__(self, steps: sp.sparray, direct_limit: int = DIRECT_LIMIT) -> None:
        n = steps.shape[0]
        self.size = n
        self.direct = n <= direct_limit
        matrix = sp.eye_array(n, format="csr") - sp.csr_array(steps)
        if self.direct:
            self._lu = spla.splu(sp.csc_array(matrix), permc_spec="COLAMD")
        else:
            self._matrix = sp.csr_array(matrix)
            self._transposed = sp.csr_array(matrix.T)

    def solve_rows(self, b: FloatArray) -> FloatArray:
        """x with x (I - X) = b; b may hold several right-hand sides as columns."""
        b = np.asarray(b, dtype=np.float64)
        if self.direct:
            return np.asarray(self._lu.solve(b, trans="T"))
        return self._iterate(self._transposed, b)

    def solve_columns(self, c: FloatArray) -> FloatArray:
        """z with (I - X) z = c."""
        c = np.asarray(c, dtype=np.float64)
        if self.direct:
            return np.asarray(self._lu.solve(c))
        return self._iterate(self._matrix, c)

    @staticmethod
    def _iterate(matrix: sp.csr_array, rhs: FloatArray) -> FloatArray:
        columns = rhs.reshape(rhs.shape[0], -1)
        out = np.zeros_like(columns)
        # A journey whose referral entries are all 0 starts referred customers where
        # the others start: the same system twice, solved once (0.1 s of 100,000). Only
        # columns with the same weighted sum are compared whole.
        sums = np.arange(1.0, columns.shape[0] + 1.0) @ columns
        for i in range(columns.shape[1]):
            b = columns[:, i]
            if not b.any():
                continue
            same = next((j for j in range(i)
                         if sums[j] == sums[i] and np.array_equal(columns[:, j], b)), None)
            if same is not None:
                out[:, i] = out[:, same]
                continue
            # A start that is not b alone keeps BiCGSTAB from breaking down on unit vectors.
            start = b + 1e-6 * float(np.abs(b).max())
            x, info = spla.bicgstab(matrix, b, x0=start, rtol=TOLERANCE, atol=0.0,
                                    maxiter=10_000)
            if info != 0:
                x, info = spla.gmres(matrix, b, rtol=TOLERANCE, atol=0.0, restart=100,
                                     maxiter=200)
            if info != 0:
                raise SolverError("The journey's equations did not converge.")
            out[:, i] = x
        return out.reshape(rhs.shape)
