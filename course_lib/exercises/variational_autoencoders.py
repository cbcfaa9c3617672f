"""Exercise checks for notebook 13, variational autoencoders."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..checks import Case, CheckResult, Status, check_function
from ..outcomes import approx
from .verdict import choice, is_stub, verdict

# ----------------------------------------------------------------------------- the -ELBO


def _reference_negative_elbo(x, x_hat, z_mean, z_log_var):
    reconstruction = -np.sum(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat), axis=1)
    kl = 0.5 * np.sum(z_mean**2 + np.exp(z_log_var) - z_log_var - 1, axis=1)
    return reconstruction + kl


def check_negative_elbo(func: Callable[..., np.ndarray] | None) -> CheckResult:
    """``negative_elbo(x, x_hat, z_mean, z_log_var)``: per-example -ELBO in nats."""
    rng = np.random.default_rng(131)
    cases = []
    for batch, pixels, latent in [(3, 6, 2), (5, 10, 4), (1, 4, 3)]:
        x = rng.uniform(0, 1, size=(batch, pixels))
        x[:, 0] = 0.0  # black and white pixels occur in real digits
        x[:, 1] = 1.0
        x_hat = rng.uniform(0.05, 0.95, size=(batch, pixels))
        z_mean = rng.normal(size=(batch, latent))
        z_log_var = rng.normal(-1.0, 0.8, size=(batch, latent))
        cases.append(Case(args=(x, x_hat, z_mean, z_log_var),
                          expected=_reference_negative_elbo(x, x_hat, z_mean, z_log_var)))
    z = np.zeros((2, 3))
    prior_match = (np.full((2, 4), 0.5), np.full((2, 4), 0.5), z, z)
    cases.append(Case(args=prior_match, expected=_reference_negative_elbo(*prior_match),
                      label="negative_elbo with q(z|x) equal to the prior (KL = 0)"))
    return check_function(
        func, cases, name="negative_elbo",
        hint="reconstruction: minus the sum over pixels of x log x_hat + (1 - x) log(1 - x_hat); "
        "KL: 0.5 * sum over latent units of (mu^2 + exp(log_var) - log_var - 1); add them, "
        "one value per example",
    )


# ----------------------------------------------------------------------------- beta trend


TRENDS = {"up": "grows", "down": "shrinks"}


def check_beta_prediction(reconstruction_trend: Any, kl_trend: Any,
                          table: Mapping[float, Mapping[str, float]], *,
                          verbose: bool = True) -> CheckResult:
    """The Predict exercise: how reconstruction loss and KL move as beta grows.

    Args:
        reconstruction_trend, kl_trend: the student's ``"up"`` or ``"down"``.
        table: ``{beta: {"reconstruction": nats, "kl": nats}}`` measured for increasing betas.
    """
    name = "prediction"
    if is_stub(reconstruction_trend) or is_stub(kl_trend):
        return verdict(name, Status.NOT_ATTEMPTED,
                       "set reconstruction_trend and kl_trend to 'up' or 'down'", verbose=verbose)
    answers = {"reconstruction": choice(reconstruction_trend, TRENDS), "kl": choice(kl_trend, TRENDS)}
    bad = [key for key, value in answers.items() if value is None]
    if bad:
        return verdict(name, Status.WRONG,
                       f"each trend must be 'up' or 'down' (check {', '.join(bad)})", verbose=verbose)
    betas = sorted(table)
    truth = {}
    for key in ("reconstruction", "kl"):
        values = [table[beta][key] for beta in betas]
        truth[key] = "up" if values[-1] > values[0] else "down"
    wrong = [key for key in truth if answers[key] != truth[key]]
    if not wrong:
        return verdict(name, Status.CORRECT,
                       f"right: as beta grows the reconstruction loss {TRENDS[truth['reconstruction']]} "
                       f"and the KL {TRENDS[truth['kl']]}", verbose=verbose)
    return verdict(name, Status.WRONG,
                   f"the measurement disagrees about the {' and the '.join(wrong)}. Hint: a larger "
                   "beta makes each nat of KL cost more, so the optimiser gives up some "
                   "reconstruction to buy a smaller KL", verbose=verbose)


# ----------------------------------------------------------------------------- model target

VAE_TARGET_NATS = 140.0
VAE_MAX_EPOCHS = 8


def check_vae_target(latent_dim: Any, learning_rate: Any, batch_size: Any, num_epochs: Any,
                     x_train: np.ndarray, x_test: np.ndarray, *, verbose: bool = True) -> CheckResult:
    """The Model exercise: settings that bring the held-out -ELBO to 140 nats or less.

    Trains the notebook's dense VAE (``course_lib.generative.models``: the same layers and
    ``VAE`` class) with the given latent size, Adam learning rate, batch size and epochs
    (at most 8), seed 0, and evaluates it on ``x_test``.
    """
    name = "VAE"
    settings = {"latent_dim": latent_dim, "learning_rate": learning_rate,
                "batch_size": batch_size, "num_epochs": num_epochs}
    if any(is_stub(value) for value in settings.values()):
        return verdict(name, Status.NOT_ATTEMPTED,
                       "set latent_dim, learning_rate, batch_size and num_epochs, then run the cell",
                       verbose=verbose)
    problems = []

    def whole(key, low, high):
        value = settings[key]
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
            problems.append(f"{key} must be a whole number from {low} to {high}, got {value!r}")

    whole("latent_dim", 1, 64)
    whole("batch_size", 32, 1024)
    whole("num_epochs", 1, VAE_MAX_EPOCHS)
    rate = settings["learning_rate"]
    if isinstance(rate, bool) or not isinstance(rate, int | float | np.number) \
            or not np.isfinite(rate) or not 0 < rate <= 0.1:
        problems.append(f"learning_rate must be a number in (0, 0.1], got {rate!r}")
    if problems:
        return verdict(name, Status.WRONG, "; ".join(problems), verbose=verbose)

    from ..backend import keras
    from ..generative import models

    keras.utils.set_random_seed(0)
    vae = models.VAE(models.dense_encoder(int(latent_dim)), models.dense_decoder(int(latent_dim)), seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(float(learning_rate)))
    vae.fit(x_train, epochs=int(num_epochs), batch_size=int(batch_size), verbose=0)
    loss = vae.evaluate(x_test, batch_size=500, verbose=0, return_dict=True)["loss"]
    if not np.isfinite(loss):
        return verdict(name, Status.WRONG, "training diverged (the loss is not finite). Hint: "
                       "lower the learning rate", verbose=verbose)
    measured = f"held-out -ELBO {approx(loss, '.1f')} nats"
    if loss <= VAE_TARGET_NATS:
        return verdict(name, Status.CORRECT, f"target reached: {measured}", verbose=verbose)
    return verdict(name, Status.WRONG,
                   f"{measured}, the target is ≤ {VAE_TARGET_NATS:.0f}. Hint: two latent units "
                   "cannot describe a digit well; more steps (smaller batches) or a larger "
                   "learning rate also help, up to a point", verbose=verbose)
