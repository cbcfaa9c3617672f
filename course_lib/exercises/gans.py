"""Exercise checks for notebook 14, generative adversarial networks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import validate
from ..checks import Case, CheckResult, Status, check_function
from ..outcomes import approx
from . import common
from .verdict import is_stub, verdict

__all__ = [
    "DISCRIMINATOR_TARGET",
    "check_discriminator_target",
    "check_equilibrium_prediction",
    "check_gan_losses",
    "discriminator_accuracy",
]

# ----------------------------------------------------------------------------- the losses


def _softplus(a: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, a)


def _reference_gan_losses(real_logits, fake_logits):
    d_loss = np.mean(_softplus(-real_logits)) + np.mean(_softplus(fake_logits))
    g_loss = np.mean(_softplus(-fake_logits))
    return d_loss, g_loss


def _compare_losses(expected, got) -> str | None:
    try:
        parts = list(got)
    except TypeError:
        return f"return a pair (d_loss, g_loss), got {type(got).__name__}"
    if len(parts) != 2:
        return f"return a pair (d_loss, g_loss), got {len(parts)} values"
    try:
        values = [float(np.asarray(part, dtype=np.float64)) for part in parts]
    except (TypeError, ValueError):
        return "d_loss and g_loss must each be one number (average over the batch)"
    names = ("d_loss", "g_loss")
    for name, want, value in zip(names, expected, values, strict=True):
        if not np.isfinite(value):
            return (f"{name} is {value}: with large logits, log(sigmoid(a)) overflows; write "
                    "-log(sigmoid(a)) as softplus(-a) = log(1 + exp(-a)) (np.logaddexp(0, -a))")
        if not np.isclose(value, want, rtol=1e-5, atol=1e-8):
            return f"{name} should be {want:.6g}, got {value:.6g}"
    return None


def check_gan_losses(func: Callable[..., Any] | None) -> CheckResult:
    """``gan_losses(real_logits, fake_logits) -> (d_loss, g_loss)`` from logits.

    ``d_loss`` is the discriminator's binary cross-entropy (real labelled 1, fake 0), the
    sum of the two batch means; ``g_loss`` the non-saturating generator loss
    ``mean(-log D(G(z)))``.
    """
    rng = np.random.default_rng(141)
    cases = []
    for real_n, fake_n in [(4, 4), (6, 3), (1, 5)]:
        real = rng.normal(1.0, 1.5, real_n)
        fake = rng.normal(-1.0, 1.5, fake_n)
        cases.append(Case(args=(real, fake), expected=_reference_gan_losses(real, fake)))
    column = (rng.normal(0, 1, (5, 1)), rng.normal(0, 1, (5, 1)))
    cases.append(Case(args=column, expected=_reference_gan_losses(*column),
                      label="gan_losses on (n, 1) logits, as a Keras discriminator returns them"))
    large = (np.array([40.0, -3.0, 60.0]), np.array([-50.0, 40.0, -40.0]))
    cases.append(Case(args=large, expected=_reference_gan_losses(*large),
                      label="gan_losses with large logits (a confident discriminator, one fake that fools it)"))
    return check_function(
        func, cases, name="gan_losses", compare=_compare_losses,
        hint="D = sigmoid(logit); d_loss = mean(-log D(x)) + mean(-log(1 - D(G(z)))), "
        "g_loss = mean(-log D(G(z))); -log sigmoid(a) = softplus(-a) and "
        "-log(1 - sigmoid(a)) = softplus(a)",
    )


# ----------------------------------------------------------------------------- equilibrium

EQUILIBRIUM_D_LOSS = 2 * np.log(2.0)


def check_equilibrium_prediction(d_loss_prediction: Any, *, verbose: bool = True) -> CheckResult:
    """The Predict exercise: the discriminator's loss at the GAN's equilibrium.

    When the generator's distribution equals the data's, the best discriminator outputs
    1/2 everywhere and ``d_loss = 2 log 2``; the notebook then compares the prediction
    with the loss its training measures.

    Args:
        d_loss_prediction: the student's number.
    """
    verbose = validate.flag("verbose", verbose)
    name = "prediction"
    if is_stub(d_loss_prediction):
        return verdict(name, Status.NOT_ATTEMPTED, "set d_loss_prediction to a number", verbose=verbose)
    is_number = isinstance(d_loss_prediction, int | float | np.number) or (
        isinstance(d_loss_prediction, np.ndarray) and d_loss_prediction.size == 1
        and d_loss_prediction.dtype.kind in "iuf")
    if isinstance(d_loss_prediction, bool) or not is_number:
        return verdict(name, Status.WRONG, "d_loss_prediction must be a number, got "
                       f"{validate.describe(d_loss_prediction)}", verbose=verbose)
    try:
        value = float(np.asarray(d_loss_prediction, dtype=np.float64).reshape(-1)[0])
    except OverflowError:
        value = float("inf")
    if np.isfinite(value) and abs(value - EQUILIBRIUM_D_LOSS) <= 0.02:
        return verdict(name, Status.CORRECT,
                       "right: D = 1/2 everywhere, so each term is log 2 and d_loss = 2 log 2 "
                       "≈ 1.386; compare with the training curves below", verbose=verbose)
    if np.isfinite(value) and abs(value - np.log(2.0)) <= 0.02:
        hint = "log 2 is one of the two terms; d_loss adds the real and the fake term"
    elif np.isfinite(value) and abs(value) <= 0.02:
        hint = ("0 is the loss of a discriminator that wins; at equilibrium it cannot tell "
                "real from fake, so D(x) = 1/2 for every x")
    else:
        hint = "at equilibrium D(x) = 1/2 for every x; put that into both terms of d_loss"
    return verdict(name, Status.WRONG, f"not quite. Hint: {hint}", verbose=verbose)


# ----------------------------------------------------------------------------- model target

DISCRIMINATOR_TARGET = 0.95
MAX_EPOCHS = 20
HALF = 4000  # points of each kind


def _discriminator_data(seed: int):
    from ..generative import ring

    real = ring.ring_data(HALF, seed)
    rng = np.random.default_rng(seed)
    fitted = rng.multivariate_normal(real.mean(axis=0), np.cov(real, rowvar=False), HALF)
    x = np.concatenate([real, fitted.astype(np.float32)])
    y = np.concatenate([np.ones(HALF), np.zeros(HALF)]).astype(np.float32)
    order = rng.permutation(len(x))
    return x[order], y[order]


def discriminator_accuracy(hidden: int, depth: int, learning_rate: float, num_epochs: int) -> float:
    """Held-out accuracy of an MLP that tells ring points from a Gaussian fitted to them.

    ``depth`` dense ReLU layers of ``hidden`` units and one logit, Adam with
    ``learning_rate``, batch 128, ``num_epochs`` epochs on 8,000 points (seed 0);
    evaluated on 8,000 fresh points.
    """
    hidden = validate.count("hidden", hidden, maximum=512)
    depth = validate.count("depth", depth, maximum=4)
    learning_rate = validate.real("learning_rate", learning_rate, low=0.0, high=0.1, low_open=True)
    num_epochs = validate.count("num_epochs", num_epochs, maximum=MAX_EPOCHS)
    from ..backend import keras

    x_train, y_train = _discriminator_data(2024)
    x_test, y_test = _discriminator_data(2025)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((2,))]
        + [keras.layers.Dense(hidden, activation="relu") for _ in range(depth)]
        + [keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])
    model.fit(x_train, y_train, epochs=num_epochs, batch_size=128, verbose=0)
    return float(model.evaluate(x_test, y_test, batch_size=1000, verbose=0, return_dict=True)
                 ["binary_accuracy"])


def check_discriminator_target(hidden: Any, depth: Any, learning_rate: Any, num_epochs: Any, *,
                               verbose: bool = True) -> CheckResult:
    """The Model exercise: a discriminator that tells the ring from a Gaussian fit.

    Trains :func:`discriminator_accuracy` with the student's settings and compares its
    held-out accuracy with :data:`DISCRIMINATOR_TARGET`.
    """
    verbose = validate.flag("verbose", verbose)
    name = "discriminator"
    settings = {"hidden": hidden, "depth": depth, "learning_rate": learning_rate,
                "num_epochs": num_epochs}
    if any(is_stub(value) for value in settings.values()):
        return verdict(name, Status.NOT_ATTEMPTED,
                       "set hidden, depth, learning_rate and num_epochs, then run the cell",
                       verbose=verbose)
    problems = []
    for key, high in (("hidden", 512), ("depth", 4), ("num_epochs", MAX_EPOCHS)):
        value = settings[key]
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 1 <= value <= high:
            problems.append(f"{key} must be a whole number from 1 to {high}, got {value!r}")
    rate = settings["learning_rate"]
    try:
        rate_ok = not isinstance(rate, bool) and isinstance(rate, int | float | np.number) \
            and bool(np.isfinite(float(rate))) and 0 < float(rate) <= 0.1
    except (OverflowError, ValueError, TypeError):
        rate_ok = False
    if not rate_ok:
        problems.append(f"learning_rate must be a number in (0, 0.1], got {rate!r}")
    if problems:
        return verdict(name, Status.WRONG, "; ".join(problems), verbose=verbose)
    try:
        accuracy = common.call_with_time_limit(discriminator_accuracy, int(hidden), int(depth), float(rate),
                                               int(num_epochs))
    except common.TimeLimitExceeded:
        return verdict(name, Status.WRONG, common.too_slow("training the discriminator"), verbose=verbose)
    measured = f"held-out accuracy {approx(accuracy, '.3f')}"
    if accuracy >= DISCRIMINATOR_TARGET:
        return verdict(name, Status.CORRECT, f"target reached: {measured}", verbose=verbose)
    return verdict(name, Status.WRONG,
                   f"{measured}, the target is ≥ {DISCRIMINATOR_TARGET}. Hint: the real points sit "
                   "on a thin circle; a single layer draws only a few straight lines, so give "
                   "the network more units, a second layer, or more epochs", verbose=verbose)
