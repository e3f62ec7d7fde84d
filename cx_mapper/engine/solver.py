"""One factorisation of I - X, reused for row solves (visits) and column solves (adjoints)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


class ForwardSystem:
    """Solves x (I - X) = b (row vectors) and (I - X) z = c (columns) with one sparse LU.

    Journeys are mostly forward with a few loops back, so the LU stays sparse. The
    row solve is the transposed system, which SuperLU does from the same factors.
    """

    def __init__(self, steps: sp.sparray) -> None:
        n = steps.shape[0]
        matrix = sp.csc_array(sp.eye_array(n, format="csc") - steps)
        self._lu = spla.splu(matrix, permc_spec="COLAMD")

    def solve_rows(self, b: FloatArray) -> FloatArray:
        """x with x (I - X) = b; b may hold several right-hand sides as columns."""
        return np.asarray(self._lu.solve(np.asarray(b, dtype=np.float64), trans="T"))

    def solve_columns(self, c: FloatArray) -> FloatArray:
        """z with (I - X) z = c."""
        return np.asarray(self._lu.solve(np.asarray(c, dtype=np.float64)))
