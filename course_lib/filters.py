"""Classic image-processing masks and how to apply them (notebook 06).

A mask (kernel) is a small 2-D array; filtering slides it over the image and replaces
each pixel by the weighted sum of its neighbourhood (cross-correlation, as in a conv
layer). NumPy and SciPy only.
"""

from __future__ import annotations

import numpy as np

from . import validate


def gaussian(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """A ``(size, size)`` Gaussian blur mask, ``exp(-(i^2 + j^2) / (2 sigma^2))``, summing to 1."""
    size = validate.count("size", size)
    if size % 2 == 0:
        raise ValueError(f"size must be a positive odd int, got {size!r}")
    # Below a hundredth of a pixel the mask is a single 1 anyway, and sigma**2 would underflow.
    sigma = validate.real("sigma", sigma, low=0.01)
    offsets = np.arange(size) - size // 2
    bell = np.exp(-(offsets**2) / (2.0 * sigma**2))
    mask = np.outer(bell, bell)
    return mask / mask.sum()


def box(size: int = 3) -> np.ndarray:
    """The ``(size, size)`` averaging ("blur") mask: every weight is ``1 / size^2``."""
    size = validate.count("size", size)
    return np.full((size, size), 1.0 / size**2)


# The masks of the lecture, plus a few classics. Values are as printed on the slides.
MASKS: dict[str, np.ndarray] = {
    "identity": np.array([[0.0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "blur": box(3),
    "emboss": np.array([[2.0, 0, 0], [0, -1, 0], [0, 0, -1]]),
    "laplacian of gaussian": np.array(
        [
            [0.0, 0, -1, 0, 0],
            [0, -1, -2, -1, 0],
            [-1, -2, 16, -2, -1],
            [0, -1, -2, -1, 0],
            [0, 0, -1, 0, 0],
        ]
    ),
    "gaussian": gaussian(7, 2.0),
    "edge (laplacian)": np.array([[0.0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "vertical edges (sobel)": np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sharpen": np.array([[0.0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
}


def get(name: str) -> np.ndarray:
    """A copy of the mask called ``name`` (one of :data:`MASKS`)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a mask name such as 'blur', got {validate.describe(name)}")
    if name not in MASKS:
        raise ValueError(f"name: unknown mask {name!r}; choose one of {sorted(MASKS)}")
    return MASKS[name].copy()


def apply(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Cross-correlate ``image`` with ``mask``, same size out, borders mirrored.

    Args:
        image: ``(height, width)`` grey or ``(height, width, channels)`` colour; each
            channel is filtered separately.
        mask: ``(k, l)`` weights.

    Returns:
        float64 array with the shape of ``image`` (values may leave [0, 1]).
    """
    from scipy import ndimage

    image = validate.array(
        "image", image, ndim=(2, 3), layout="(height, width) or (height, width, channels)"
    )
    mask = validate.array("mask", mask, ndim=2, layout="2-D (k, l)")
    if image.ndim == 2:
        return ndimage.correlate(image, mask, mode="mirror")
    if image.ndim == 3:
        return np.stack(
            [ndimage.correlate(image[..., c], mask, mode="mirror") for c in range(image.shape[2])],
            axis=-1,
        )
    raise ValueError(f"image must be (h, w) or (h, w, channels), got shape {image.shape}")


def for_display(filtered: np.ndarray) -> np.ndarray:
    """Map filter responses to [0, 1] for ``imshow``.

    Responses already in [0, 1] (blurs) are kept; others (edges, which are signed) are
    shown with 0 at mid-grey, scaled by their largest magnitude.
    """
    filtered = validate.array("filtered", filtered)
    if filtered.min() >= 0.0 and filtered.max() <= 1.0:
        return filtered
    scale = np.abs(filtered).max() or 1.0
    return 0.5 + 0.5 * filtered / scale
