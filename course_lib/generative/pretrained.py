"""Load the course's pretrained models from ``data/`` and sample from them.

Every file here is made by a deterministic script in ``scripts/`` (listed in
:data:`MADE_BY`) and holds only what inference needs: no optimizer state, no ``Lambda``
layers. Files load with ``safe_mode=True``; custom classes are registered in
:mod:`course_lib.generative.models` (a module that adds its own custom layers must be
imported before loading, as :func:`load` does for that one).

To ship a new generator: write its script (seeded, saving an uncompiled model or
:func:`course_lib.generative.models.for_inference` of the trained one), add its file to
:data:`MADE_BY`, write a sampler ``(n, seed) -> array`` (a decoder or generator fed with
standard normal codes can use :func:`decode_gaussian_latents`), and register it in
:mod:`course_lib.generative.registry`. ``tests/test_part5_generative.py`` then checks
that the file loads in safe mode, holds no optimizer state, and that ``data/`` stays
under 10 MB.

Importing this module does not import TensorFlow; :func:`load` does.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from .. import validate

__all__ = ["DATA_DIR", "MADE_BY", "decode_gaussian_latents", "load", "path", "sample_vae"]

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"

# file in data/ -> the command that regenerates it
MADE_BY: dict[str, str] = {
    "mnist_classifier.keras": "python scripts/train_mnist_classifier.py",
    "vae_decoder.keras": "python scripts/train_vae.py",
}


def path(filename: str) -> Path:
    """Where ``filename`` lives in ``data/``; FileNotFoundError says how to regenerate it."""
    filename = validate.choice("filename", filename, tuple(MADE_BY))
    location = DATA_DIR / filename
    if not location.exists():
        raise FileNotFoundError(f"{location} is missing: regenerate it with `{MADE_BY[filename]}`")
    return location


@functools.cache
def load(filename: str):
    """The pretrained ``keras.Model`` stored as ``data/<filename>`` (loaded once, then shared).

    Loads with ``safe_mode=True`` and without compiling: the model is for inference.
    Do not train the returned object: every caller in the process shares it.
    """
    location = path(filename)
    from ..backend import keras
    from . import models  # noqa: F401 - registers the course's custom classes

    return keras.saving.load_model(location, compile=False, safe_mode=True)


def decode_gaussian_latents(decoder, n: int, seed: int, *, batch_size: int = 500) -> np.ndarray:
    """Decode ``n`` codes drawn from the standard normal prior.

    The codes come from NumPy's seeded generator, so they are the same on every machine.

    Args:
        decoder: a Keras model ``(n, latent_dim) -> (n, ...)``.
        n: how many samples; seed: the seed of the codes.

    Returns:
        The decoder's outputs for the codes, float32, clipped to [0, 1].
    """
    decoder = validate.model("decoder", decoder)
    n = validate.count("n", n)
    seed = validate.seed("seed", seed)
    batch_size = validate.count("batch_size", batch_size)
    if len(decoder.inputs) != 1 or len(decoder.inputs[0].shape) != 2:
        raise ValueError(f"decoder must take one input of shape (n, latent_dim), got inputs "
                         f"{[tuple(tensor.shape) for tensor in decoder.inputs]}")
    latent_dim = int(decoder.inputs[0].shape[-1])
    codes = np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)
    outputs = decoder.predict(codes, batch_size=batch_size, verbose=0)
    return np.clip(outputs, 0.0, 1.0).astype(np.float32)


def sample_vae(n: int, seed: int) -> np.ndarray:
    """``n`` digits from the pretrained VAE's prior: ``(n, 28, 28, 1)`` pixel probabilities."""
    return decode_gaussian_latents(load("vae_decoder.keras"), n, seed)


# The generative adversarial networks of notebook 14.
MADE_BY.update({
    "gan_ring_generator.keras": "python scripts/train_dcgan.py --only ring",
    "dcgan_generator.keras": "python scripts/train_dcgan.py --only dcgan",
})

# The denoising diffusion models of notebook 15.
MADE_BY.update({
    "ddpm_digits.keras": "python scripts/train_ddpm.py --only digits",
    "ddpm_ring.keras": "python scripts/train_ddpm.py --only ring",
})
