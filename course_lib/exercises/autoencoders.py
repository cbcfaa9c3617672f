"""Exercise checks for notebook 12, autoencoders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import Case, CheckResult, Status, check_function
from ..outcomes import approx
from .verdict import choice, is_stub, verdict

# ----------------------------------------------------------------------------- PCA


def _reference_pca(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    return mean, vt[:k]


def _compare_pca(expected: tuple, got: Any) -> str | None:
    mean, components = expected
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"return a pair (mean, components), got {type(got).__name__}"
    got_mean, got_components = (np.asarray(part, dtype=float) for part in got)
    if got_mean.shape != mean.shape:
        return f"mean should have shape {mean.shape} (one value per feature), got {got_mean.shape}"
    if not np.allclose(got_mean, mean, atol=1e-6):
        return "the mean is wrong: average the rows (axis=0)"
    if got_components.shape != components.shape:
        if got_components.shape == components.T.shape:
            return (f"components should be (k, n_features) = {components.shape}, one direction "
                    f"per row; you returned its transpose")
        return f"components should have shape {components.shape}, got {got_components.shape}"
    gram = got_components @ got_components.T
    if not np.allclose(gram, np.eye(len(components)), atol=1e-5):
        return "the components should be orthonormal directions (rows of unit length, at right angles)"
    alignment = np.abs(np.sum(got_components * components, axis=1))
    if not np.allclose(alignment, 1.0, atol=1e-4):
        first = int(np.argmax(alignment < 1 - 1e-4))
        return (f"component {first} is not the direction of the {first + 1}th largest variance "
                f"(|cosine| with it is {alignment[first]:.3f})")
    return None


def check_pca(func: Callable[[np.ndarray, int], tuple] | None) -> CheckResult:
    """``principal_components(x, k)`` -> ``(mean, components)``, components ``(k, d)``."""
    rng = np.random.default_rng(12)
    cases = []
    for n, d, k in [(200, 5, 2), (300, 8, 3), (100, 4, 4)]:
        mixing = rng.normal(size=(d, d)) * np.linspace(3.0, 0.3, d)[:, None]
        x = rng.normal(size=(n, d)) @ mixing + rng.normal(0, 5, size=d)  # far from the origin
        cases.append(Case(args=(x, k), expected=_reference_pca(x, k)))
    return check_function(
        func, cases, name="principal_components", compare=_compare_pca,
        hint="centre x with its column means, take np.linalg.svd(centred, full_matrices=False) "
        "and keep the first k rows of Vt (sorted by decreasing singular value)",
    )


# ----------------------------------------------------------------------------- linear AE


BASIS_CHOICES = {
    "a": "the 16 principal components themselves (up to sign)",
    "b": "a different basis of the same 16-dimensional subspace",
    "c": "a different subspace",
}


def linear_ae_relation(decoder_vectors: np.ndarray, components: np.ndarray) -> str:
    """Which of :data:`BASIS_CHOICES` describes a linear autoencoder's decoder vectors.

    Args:
        decoder_vectors: ``(k, d)`` the rows of the decoder's kernel.
        components: ``(k, d)`` the principal components.
    """
    from scipy.linalg import subspace_angles

    angles = np.degrees(subspace_angles(decoder_vectors.T, components.T))
    if angles.max() > 10:
        return "c"
    unit = decoder_vectors / np.linalg.norm(decoder_vectors, axis=1, keepdims=True)
    cosines = np.abs(unit @ components.T)
    return "a" if np.all(cosines.max(axis=1) > 0.99) else "b"


def check_linear_ae_prediction(prediction: Any, decoder_vectors: np.ndarray,
                               components: np.ndarray, *, verbose: bool = True) -> CheckResult:
    """The Predict exercise: what do the linear autoencoder's decoder vectors span?

    The truth is measured (principal angles and cosines), not assumed.
    """
    name = "prediction"
    if is_stub(prediction):
        return verdict(name, Status.NOT_ATTEMPTED,
                       "prediction is not filled in yet: set it to 'a', 'b' or 'c'", verbose=verbose)
    answer = choice(prediction, BASIS_CHOICES)
    if answer is None:
        return verdict(name, Status.WRONG,
                       f"prediction must be 'a', 'b' or 'c', got {prediction!r}", verbose=verbose)
    truth = linear_ae_relation(np.asarray(decoder_vectors), np.asarray(components))
    if answer == truth:
        return verdict(name, Status.CORRECT, f"right: {BASIS_CHOICES[truth]}", verbose=verbose)
    hint = {
        "a": "could a different subspace reconstruct as well as the best one, PCA's? And "
             "does anything in the loss favour one basis of a subspace over another?",
        "c": "could a different subspace reconstruct as well as the best one, PCA's?",
    }.get(answer, "the loss only sees the reconstruction, W_dec W_enc x: does mixing the "
                  "code units with an invertible matrix change it?")
    return verdict(name, Status.WRONG,
                   f"the measurement says otherwise: you chose '{answer}' "
                   f"({BASIS_CHOICES[answer]}). Hint: {hint}", verbose=verbose)


# ----------------------------------------------------------------------------- sparse AE target

SPARSE_MAX_ACTIVE = 0.15
SPARSE_MAX_MSE = 0.02
SPARSE_MAX_EPOCHS = 10
ACTIVE = 0.01  # a code unit counts as active above this value


def sparsity_and_error(model, x: np.ndarray) -> tuple[float, float]:
    """Share of active code units (first layer > 0.01) and reconstruction MSE on ``x``.

    Args:
        model: a Sequential autoencoder whose first layer is the code layer.
        x: ``(n, 784)`` flattened digits.
    """
    from ..backend import keras

    encoder = keras.Sequential([keras.Input(x.shape[1:]), model.layers[0]])
    codes = encoder.predict(x, verbose=0)
    reconstruction = model.predict(x, verbose=0)
    return float(np.mean(codes > ACTIVE)), float(np.mean((reconstruction - x) ** 2))


def check_sparse_target(build: Callable, l1_weight: Any, num_epochs: Any,
                        x_train: np.ndarray, x_test: np.ndarray, *,
                        verbose: bool = True) -> CheckResult:
    """The Model exercise: an L1 weight and epochs for a sparse yet accurate code.

    Trains ``build(l1_weight)`` (compiled there) for ``num_epochs`` (at most 10) on
    ``x_train`` with batch 64 and seed 0, then measures on ``x_test``: at most 15 % of
    the code units active per digit and a reconstruction MSE of at most 0.02.
    """
    name = "sparse autoencoder"
    if is_stub(l1_weight) or is_stub(num_epochs):
        return verdict(name, Status.NOT_ATTEMPTED,
                       "set l1_weight and num_epochs, then run the cell again", verbose=verbose)
    problems = []
    if isinstance(l1_weight, bool) or not isinstance(l1_weight, int | float | np.number) \
            or not np.isfinite(l1_weight) or l1_weight < 0:
        problems.append(f"l1_weight must be a number >= 0, got {l1_weight!r}")
    if isinstance(num_epochs, bool) or not isinstance(num_epochs, int | np.integer) \
            or not 1 <= num_epochs <= SPARSE_MAX_EPOCHS:
        problems.append(f"num_epochs must be a whole number from 1 to {SPARSE_MAX_EPOCHS}, "
                        f"got {num_epochs!r}")
    if problems:
        return verdict(name, Status.WRONG, "; ".join(problems), verbose=verbose)
    from ..backend import keras

    keras.utils.set_random_seed(0)
    try:
        model = build(float(l1_weight))
        model.fit(x_train, x_train, epochs=int(num_epochs), batch_size=64, verbose=0)
        active, error = sparsity_and_error(model, x_test)
    except Exception as error:  # noqa: BLE001 - a failing build becomes feedback
        return verdict(name, Status.CRASHED, f"training raised {type(error).__name__}: {error}",
                       verbose=verbose)
    measured = f"active units {approx(100 * active, '.0f')} %, test MSE {approx(error, '.4f')}"
    if active <= SPARSE_MAX_ACTIVE and error <= SPARSE_MAX_MSE:
        return verdict(name, Status.CORRECT, f"target reached: {measured}", verbose=verbose)
    if active > SPARSE_MAX_ACTIVE:
        return verdict(name, Status.WRONG,
                       f"not sparse enough: {measured} (want ≤ {SPARSE_MAX_ACTIVE:.0%} active). "
                       "Hint: a larger l1_weight pushes more code units to zero", verbose=verbose)
    return verdict(name, Status.WRONG,
                   f"reconstructions too poor: {measured} (want MSE ≤ {SPARSE_MAX_MSE}). "
                   "Hint: the penalty is too strong, or training too short", verbose=verbose)


# ----------------------------------------------------------------------------- contractive penalty


def _reference_penalty(codes: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return np.sum((codes * (1 - codes)) ** 2 * np.sum(kernel**2, axis=0), axis=1)


def check_contractive_penalty(func: Callable[[np.ndarray, np.ndarray], np.ndarray] | None) -> CheckResult:
    """``contractive_penalty(codes, kernel)``: ``||J||_F^2`` of a sigmoid layer, per example."""
    rng = np.random.default_rng(13)
    cases = []
    for batch, inputs, units in [(4, 6, 3), (1, 5, 2), (7, 10, 4)]:
        codes = rng.uniform(0.05, 0.95, size=(batch, units))
        kernel = rng.normal(size=(inputs, units))
        cases.append(Case(args=(codes, kernel), expected=_reference_penalty(codes, kernel)))
    return check_function(
        func, cases, name="contractive_penalty",
        hint="the derivative of the sigmoid unit k is h_k (1 - h_k); square it, multiply by "
        "the sum of squared weights into unit k (kernel is (inputs, units): sum over axis 0), "
        "and sum over the units: one number per example",
    )
