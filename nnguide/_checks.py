"""Input checks shared by the package: each error says what was given,
what was expected and how to fix it."""

import numpy as np


def as_float_array(x, name):
    """Return ``x`` as a floating-point array (a copy only when needed).

    Integer and boolean input is converted to float64; floating input keeps
    its precision (float32 stays float32).
    """
    x = np.asarray(x)
    if x.dtype == object or not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise TypeError(
            f"{name} must be numeric, got an array of dtype {x.dtype}. "
            f"Pass numbers, e.g. np.array([0.1, 0.9])."
        )
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    return x


def check_finite(x, name):
    """Raise ``ValueError`` if ``x`` holds NaN or infinity."""
    if not np.all(np.isfinite(x)):
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s) (shape {np.shape(x)}). "
            f"Expected finite numbers; check the data for missing values "
            f"(np.isnan) or a diverged training run (lower the learning rate)."
        )


def check_not_empty(x, name):
    """Raise ``ValueError`` for an array with no samples."""
    if np.size(x) == 0:
        raise ValueError(
            f"{name} is empty (shape {np.shape(x)}). Expected at least one sample; "
            f"check the batch indices or the slice that produced it."
        )
