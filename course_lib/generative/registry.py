"""The course's pretrained generators behind one call: ``sample(name, n, seed=0)``.

A *sampler* is a function ``(n, seed) -> array`` registered under a short name. Its code
is imported only when the sampler is first used, so listing the samplers (or importing
:mod:`course_lib.generative`) does not load TensorFlow.

Two kinds of output are allowed, and :func:`sample` checks every result against them:

* ``"image"``: ``(n, 28, 28, 1)`` float32 in [0, 1], MNIST-like digits;
* ``"points"``: ``(n, 2)`` float32, samples of a 2-D distribution (the 8-Gaussian ring).

To add a generator, write its sampler (loading a small ``.keras`` file from ``data/``
made by a script in ``scripts/``), then append one :func:`register` line to the list at
the end of this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import validate

__all__ = ["KINDS", "Sampler", "available", "info", "register", "sample"]

KINDS: dict[str, tuple[int, ...]] = {"image": (28, 28, 1), "points": (2,)}

SamplerFunction = Callable[[int, int], np.ndarray]


@dataclass(frozen=True)
class Sampler:
    """One registered generator.

    Attributes:
        name: the name :func:`sample` takes.
        kind: ``"image"`` or ``"points"`` (see :data:`KINDS`).
        target: the sampling function ``(n, seed) -> array``, or where to find it as
            ``"package.module:function"`` (imported on first use).
        description: one line for listings.
        made_by: the command that regenerates its weights.
    """

    name: str
    kind: str
    target: SamplerFunction | str
    description: str
    made_by: str = ""

    def function(self) -> SamplerFunction:
        if callable(self.target):
            return self.target
        module_name, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


_REGISTRY: dict[str, Sampler] = {}


def register(
    name: str,
    target: SamplerFunction | str,
    *,
    kind: str,
    description: str,
    made_by: str = "",
    replace: bool = False,
) -> Sampler:
    """Make a generator available to :func:`sample` under ``name``.

    Args:
        name: a short lower-case name such as ``"vae"``.
        target: a function ``(n, seed) -> array`` or its dotted ``"module:function"`` path.
        kind: ``"image"`` or ``"points"``.
        description: one line shown by :func:`available`.
        made_by: the command that regenerates the weights, e.g.
            ``"python scripts/train_vae.py"``.
        replace: allow a second registration under the same name (otherwise refused,
            so two generators cannot silently share a name).

    Returns:
        The registered :class:`Sampler`.
    """
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name must be a non-empty string, got {validate.describe(name)}")
    kind = validate.choice("kind", kind, tuple(KINDS))
    if not (callable(target) or (isinstance(target, str) and ":" in target)):
        raise TypeError(
            "target must be a function (n, seed) -> array or a 'module:function' string, "
            f"got {validate.describe(target)}"
        )
    description = validate.text("description", description, allow_empty=True)
    made_by = validate.text("made_by", made_by, allow_empty=True)
    replace = validate.flag("replace", replace)
    if name in _REGISTRY and not replace:
        raise ValueError(f"a sampler named {name!r} is already registered (pass replace=True)")
    entry = Sampler(name, kind, target, description, made_by)
    _REGISTRY[name] = entry
    return entry


def available() -> dict[str, str]:
    """``{name: description}`` of every registered generator, in registration order."""
    return {name: entry.description for name, entry in _REGISTRY.items()}


def info(name: str) -> Sampler:
    """The :class:`Sampler` registered as ``name``; ValueError lists the known names."""
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(
            f"name must be a registered generator; unknown generator {name!r}: available ones "
            f"are {', '.join(map(repr, _REGISTRY))}"
        )
    return _REGISTRY[name]


def sample(name: str, n: int, seed: int = 0) -> np.ndarray:
    """Draw ``n`` samples from the course's pretrained generator ``name``.

    Args:
        name: a registered generator (``available()`` lists them), e.g. ``"vae"``.
        n: how many samples (1 to 100,000).
        seed: the same seed gives the same samples (the latent noise comes from NumPy's
            seeded generator; the network's arithmetic may differ in the last bits on
            another CPU or a GPU).

    Returns:
        ``(n, 28, 28, 1)`` float32 in [0, 1] for image generators, ``(n, 2)`` float32 for
        2-D ones.

    Raises:
        ValueError: an unknown name (the message lists the available ones), or a bad
            ``n``/``seed``.
    """
    entry = info(name)
    n = validate.count("n", n, maximum=100_000)
    seed = validate.seed("seed", seed)
    result = np.asarray(entry.function()(n, seed))
    expected = (n, *KINDS[entry.kind])
    if result.shape != expected:
        raise RuntimeError(f"sampler {name!r} returned shape {result.shape}, expected {expected}")
    result = result.astype(np.float32, copy=False)
    if not np.all(np.isfinite(result)):
        raise RuntimeError(f"sampler {name!r} returned NaN or infinite values")
    if entry.kind == "image":
        result = np.clip(result, 0.0, 1.0)
    return result


# The course's generators. Later notebooks append their own lines here.
register(
    "vae",
    "course_lib.generative.pretrained:sample_vae",
    kind="image",
    description="convolutional VAE on the embedded MNIST digits (notebook 13)",
    made_by="python scripts/train_vae.py",
)
register(
    "gan_ring",
    "course_lib.generative.gan:sample_gan_ring",
    kind="points",
    description="PacGAN (pack 2) on the 8-Gaussian ring (notebook 14)",
    made_by="python scripts/train_dcgan.py --only ring",
)
register(
    "dcgan",
    "course_lib.generative.gan:sample_dcgan",
    kind="image",
    description="DCGAN on the embedded MNIST digits (notebook 14)",
    made_by="python scripts/train_dcgan.py --only dcgan",
)
register(
    "ddpm",
    "course_lib.generative.denoisers:sample_ddpm",
    kind="image",
    description="DDPM (small U-Net, 20 of its 100 steps) on the embedded MNIST digits (notebook 15)",
    made_by="python scripts/train_ddpm.py --only digits",
)
register(
    "ddpm_ring",
    "course_lib.generative.denoisers:sample_ddpm_ring",
    kind="points",
    description="DDPM (3 x 128 MLP, 100 ancestral steps) on the 8-Gaussian ring (notebook 15)",
    made_by="python scripts/train_ddpm.py --only ring",
)
