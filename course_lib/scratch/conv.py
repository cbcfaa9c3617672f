"""Convolution and pooling layers from scratch, vectorised with NumPy stride tricks.

Layouts follow Keras: images are NHWC ``(batch, height, width, channels)`` and conv
kernels are ``(kh, kw, C_in, C_out)``, so weights copy to and from
``keras.layers.Conv2D`` unchanged. As in every deep-learning library, "convolution"
here means *cross-correlation*: the mask is not flipped.

The forward pass views the padded input as a stack of windows without copying it
(``numpy.lib.stride_tricks.sliding_window_view``) and contracts the windows with the
kernel in one matrix product (the im2col idea). The backward pass loops only over the
``kh * kw`` kernel offsets, never over pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import validate

PADDINGS = ("valid", "same")


def _positive_pair(name: str, value: int | tuple[int, int]) -> tuple[int, int]:
    try:
        return validate.pair(name, value)
    except ValueError:
        raise ValueError(f"{name} must be a positive int or a pair of them, got {value!r}") from None


def _check_images(x: np.ndarray) -> np.ndarray:
    """Images ``(batch, height, width, channels)``, keeping their float dtype."""
    return validate.array("x", x, ndim=4, layout="(batch, height, width, channels)", dtype=None)


def output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """Output length along one axis, Keras's rule.

    ``"valid"``: ``floor((size - kernel) / stride) + 1``; ``"same"``: ``ceil(size / stride)``.
    """
    size = validate.count("size", size)
    kernel = validate.count("kernel", kernel)
    stride = validate.count("stride", stride)
    padding = validate.choice("padding", padding, PADDINGS)
    return _output_size(size, kernel, stride, padding)


def _output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    if padding == "same":
        return -(-size // stride)
    if size < kernel:
        raise ValueError(
            f"a kernel of {kernel} does not fit in a size of {size} pixels without padding"
        )
    return (size - kernel) // stride + 1


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Zeros added (before, after) along one axis for ``"same"``; the extra one goes after."""
    size = validate.count("size", size)
    kernel = validate.count("kernel", kernel)
    stride = validate.count("stride", stride)
    return _same_padding(size, kernel, stride)


def _same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    total = max((_output_size(size, kernel, stride, "same") - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _pad(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], padding: str):
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}")
    if padding == "valid":
        return x, ((0, 0), (0, 0))
    pads = tuple(_same_padding(x.shape[axis + 1], kernel[axis], stride[axis]) for axis in (0, 1))
    return np.pad(x, ((0, 0), pads[0], pads[1], (0, 0))), pads


def _windows(x_padded: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """View ``(n, H, W, C)`` as ``(n, out_h, out_w, C, kh, kw)`` windows, without a copy."""
    view = sliding_window_view(x_padded, kernel, axis=(1, 2))
    return view[:, :: stride[0], :: stride[1]]


def _scatter_windows(
    d_windows: np.ndarray, padded_shape: tuple[int, ...], stride: tuple[int, int]
) -> np.ndarray:
    """Adjoint of :func:`_windows`: add ``(n, oh, ow, C, kh, kw)`` back onto the image."""
    _, out_h, out_w, _, kh, kw = d_windows.shape
    dx = np.zeros(padded_shape, dtype=d_windows.dtype)
    sh, sw = stride
    for i in range(kh):  # one vectorised slice per kernel offset
        for j in range(kw):
            dx[:, i : i + sh * out_h : sh, j : j + sw * out_w : sw, :] += d_windows[..., i, j]
    return dx


def _check_dout(dout: np.ndarray, expected: tuple[int, ...]) -> np.ndarray:
    dout = validate.array("dout", dout, dtype=None)
    if dout.shape != expected:
        raise ValueError(f"dout must have shape {expected} (the forward output's), got {dout.shape}")
    return dout


def _unpad(dx: np.ndarray, pads) -> np.ndarray:
    (top, bottom), (left, right) = pads
    return dx[:, top : dx.shape[1] - bottom, left : dx.shape[2] - right, :]


@dataclass
class ConvCache:
    """What :func:`conv2d_backward` needs from the forward pass."""

    x_shape: tuple[int, ...]
    padded_shape: tuple[int, ...]
    columns: np.ndarray  # (n * out_h * out_w, kh * kw * C_in), the im2col matrix
    kernel: np.ndarray
    stride: tuple[int, int]
    pads: tuple
    out_grid: tuple[int, int, int]  # (n, out_h, out_w)


def conv2d_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> tuple[np.ndarray, ConvCache]:
    """2-D convolution (cross-correlation) of a batch of images with a bank of kernels.

    Args:
        x: ``(n, height, width, C_in)`` images.
        kernel: ``(kh, kw, C_in, C_out)`` masks, Keras's ``Conv2D`` layout.
        bias: ``(C_out,)`` or None for no bias.
        stride: step between windows, one int or ``(sh, sw)``.
        padding: ``"valid"`` (no padding) or ``"same"`` (zeros so that the output has
            ``ceil(size / stride)`` pixels, Keras's convention).

    Returns:
        ``(out, cache)`` with ``out: (n, out_h, out_w, C_out)``.
    """
    x = _check_images(x)
    kernel = validate.array("kernel", kernel, dtype=None)
    if kernel.ndim != 4 or kernel.shape[2] != x.shape[3]:
        raise ValueError(
            f"kernel must be (kh, kw, C_in={x.shape[3]}, C_out), got shape {kernel.shape}"
        )
    if bias is not None:
        bias = validate.array("bias", bias, dtype=None)
        if bias.shape != (kernel.shape[3],):
            raise ValueError(f"bias must have shape ({kernel.shape[3]},), got {bias.shape}")
    stride = _positive_pair("stride", stride)
    padding = validate.choice("padding", padding, PADDINGS)
    size = kernel.shape[:2]
    x_padded, pads = _pad(x, size, stride, padding)
    for axis in (1, 2):
        _output_size(x_padded.shape[axis], size[axis - 1])  # raises if the kernel does not fit
    windows = _windows(x_padded, size, stride)  # (n, oh, ow, C_in, kh, kw), a view
    n, out_h, out_w = windows.shape[:3]
    # im2col: one row per output pixel, one column per (i, j, c) weight, in the kernel's order
    columns = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * out_h * out_w, -1)
    out = (columns @ kernel.reshape(-1, kernel.shape[3])).reshape(n, out_h, out_w, -1)
    if bias is not None:
        out = out + bias
    return out, ConvCache(x.shape, x_padded.shape, columns, kernel, stride, pads, (n, out_h, out_w))


def conv2d_backward(dout: np.ndarray, cache: ConvCache) -> dict[str, np.ndarray]:
    """Gradients of the loss through :func:`conv2d_forward`.

    Args:
        dout: ``(n, out_h, out_w, C_out)``, the gradient of the loss w.r.t. the output.
        cache: from the forward pass.

    Returns:
        ``{"x": (n, H, W, C_in), "kernel": (kh, kw, C_in, C_out), "bias": (C_out,)}``.
        Each weight is shared by every output pixel, so its gradient sums over all of them.
    """
    cache = validate.instance("cache", cache, ConvCache, "the ConvCache conv2d_forward returned")
    kh, kw, c_in, c_out = cache.kernel.shape
    dout = _check_dout(dout, cache.out_grid + (c_out,))
    d_rows = dout.reshape(-1, c_out)
    # dL/dw[i, j, c, d] = sum over pixels of x_window[pixel, i, j, c] * dout[pixel, d]
    d_kernel = (cache.columns.T @ d_rows).reshape(kh, kw, c_in, c_out)
    d_bias = d_rows.sum(axis=0)
    # each window receives dout . kernel^T, then windows are added back where they overlap
    d_columns = d_rows @ cache.kernel.reshape(-1, c_out).T
    d_windows = d_columns.reshape(*cache.out_grid, kh, kw, c_in).transpose(0, 1, 2, 5, 3, 4)
    dx = _scatter_windows(d_windows, cache.padded_shape, cache.stride)
    return {"x": _unpad(dx, cache.pads), "kernel": d_kernel, "bias": d_bias}


@dataclass
class PoolCache:
    """What the pooling backward passes need from the forward pass."""

    x_shape: tuple[int, ...]
    pool_size: tuple[int, int]
    stride: tuple[int, int]
    out_shape: tuple[int, ...]
    argmax: np.ndarray | None = None


def _pool_windows(
    x: np.ndarray, pool_size: int | tuple[int, int], strides: int | tuple[int, int] | None
) -> tuple[np.ndarray, tuple[int, int], tuple[int, int]]:
    x = _check_images(x)
    size = _positive_pair("pool_size", pool_size)
    stride = _positive_pair("strides", size if strides is None else strides)
    for axis in (1, 2):
        if x.shape[axis] < size[axis - 1]:
            raise ValueError(
                f"pool_size: a {size[axis - 1]}-pixel window does not fit in "
                f"{x.shape[axis]} pixels"
            )
    windows = _windows(x, size, stride)
    return windows, size, stride


def maxpool2d_forward(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    strides: int | tuple[int, int] | None = None,
) -> tuple[np.ndarray, PoolCache]:
    """Max pooling without padding (Keras's ``MaxPooling2D`` default).

    Args:
        x: ``(n, height, width, channels)``.
        pool_size: window size; ``strides`` defaults to it (non-overlapping windows).

    Returns:
        ``(out, cache)`` with ``out: (n, out_h, out_w, channels)``; the cache remembers
        where each maximum came from (the argmax "switches").
    """
    windows, size, stride = _pool_windows(x, pool_size, strides)
    flat = windows.reshape(windows.shape[:4] + (-1,))
    argmax = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, argmax[..., None], axis=-1)[..., 0]
    return out, PoolCache(np.shape(x), size, stride, out.shape, argmax)


def maxpool2d_backward(dout: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Route each output gradient to the input pixel that held the maximum; 0 elsewhere.

    Returns ``dx: (n, height, width, channels)``.
    """
    cache = validate.instance("cache", cache, PoolCache, "the PoolCache maxpool2d_forward returned")
    if cache.argmax is None:
        raise ValueError("cache: this PoolCache comes from avgpool2d_forward, not maxpool2d_forward")
    dout = _check_dout(dout, cache.out_shape)
    ph, pw = cache.pool_size
    winners = np.arange(ph * pw).reshape(ph, pw)
    d_windows = np.where(cache.argmax[..., None, None] == winners, dout[..., None, None], 0.0)
    return _scatter_windows(d_windows.astype(dout.dtype), cache.x_shape, cache.stride)


def avgpool2d_forward(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    strides: int | tuple[int, int] | None = None,
) -> tuple[np.ndarray, PoolCache]:
    """Average pooling without padding (Keras's ``AveragePooling2D`` default).

    Returns ``(out, cache)`` with ``out: (n, out_h, out_w, channels)``.
    """
    windows, size, stride = _pool_windows(x, pool_size, strides)
    out = windows.mean(axis=(4, 5))
    return out, PoolCache(np.shape(x), size, stride, out.shape)


def avgpool2d_backward(dout: np.ndarray, cache: PoolCache) -> np.ndarray:
    """Share each output gradient equally among the pixels of its window.

    Returns ``dx: (n, height, width, channels)``.
    """
    cache = validate.instance("cache", cache, PoolCache, "the PoolCache avgpool2d_forward returned")
    dout = _check_dout(dout, cache.out_shape)
    ph, pw = cache.pool_size
    share = np.broadcast_to((dout / (ph * pw))[..., None, None], dout.shape + (ph, pw))
    return _scatter_windows(share, cache.x_shape, cache.stride)
