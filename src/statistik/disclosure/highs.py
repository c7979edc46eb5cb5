"""HiGHS through highspy: one model kept for many objectives, the LP first and the MIP only when needed.

The audit asks the same small system thousands of times with a different objective (min and
max of each hidden cell); building it once and changing only the costs is several times
faster than a fresh `scipy.optimize.milp` call. An LP optimum that is integral is also the
integer optimum (the LP is a relaxation), so the MIP runs only when the LP answer is
fractional: the result is exact either way.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy.sparse import csc_array

TIME_LIMIT_S = 120.0
INTEGRAL = 1e-6
_INF = highspy.kHighsInf


class SolverError(RuntimeError):
    """HiGHS gave no answer (time limit or numerical trouble); nothing may be assumed safe."""


def _finite(values) -> np.ndarray:
    out = np.asarray(values, dtype=float).copy()
    out[np.isposinf(out)] = _INF
    out[np.isneginf(out)] = -_INF
    return out


class Model:
    """min cost·x subject to lows ≤ A·x ≤ highs and lower ≤ x ≤ upper, x integer when asked."""

    def __init__(self, lower, upper, matrix, lows, highs):
        self.n = len(lower)
        self._h = highspy.Highs()
        self._h.setOptionValue("output_flag", False)
        self._h.setOptionValue("time_limit", TIME_LIMIT_S)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n, matrix.shape[0]
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_, lp.col_upper_ = _finite(lower), _finite(upper)
        lp.row_lower_, lp.row_upper_ = _finite(lows), _finite(highs)
        a = csc_array(matrix)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
        self._h.passModel(lp)
        self._columns = np.arange(self.n, dtype=np.int32)
        self._integer = False

    def _run(self, cost, integer: bool) -> np.ndarray | None:
        h = self._h
        h.changeColsCost(self.n, self._columns, np.asarray(cost, dtype=float))
        if integer != self._integer:
            kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
            h.changeColsIntegrality(self.n, self._columns, np.array([kind] * self.n))
            self._integer = integer
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(f"HiGHS: {h.modelStatusToString(status)}")
        return np.asarray(h.getSolution().col_value)

    def minimize(self, cost, lp_first: bool = True) -> np.ndarray | None:
        """An integer optimum (None if there is no integer solution): the LP's if it is integral, else the MIP's."""
        if lp_first:
            x = self._run(cost, integer=False)
            if x is None:
                return None
            if np.all(np.abs(x - np.round(x)) <= INTEGRAL):
                return np.round(x)
        x = self._run(cost, integer=True)
        return None if x is None else np.round(x)
