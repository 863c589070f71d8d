"""Type aliases shared by the domain packages."""

from datetime import date
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
DateLike: TypeAlias = date
