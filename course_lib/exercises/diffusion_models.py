"""Exercise checks for notebook 15, denoising diffusion models."""

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
    "RING_BUDGET_STEPS",
    "RING_HIGH_QUALITY_TARGET",
    "check_reverse_step",
    "check_ring_ddpm_target",
    "check_zero_predictor_loss",
    "ring_ddpm_scores",
]

# ----------------------------------------------------------------------------- one reverse step


def _reference_reverse_step(x_t, eps_hat, t, betas, alpha_bars, z):
    beta, alpha_bar, alpha_bar_before = betas[t], alpha_bars[t], alpha_bars[t - 1]
    mean = (x_t - beta / np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(1 - beta)
    if t == 1:
        return mean
    return mean + np.sqrt(beta * (1 - alpha_bar_before) / (1 - alpha_bar)) * z


def check_reverse_step(func: Callable[..., Any] | None) -> CheckResult:
    """``reverse_step(x_t, eps_hat, t, betas, alpha_bars, z) -> x_{t-1}``: one ancestral step.

    ``betas`` and ``alpha_bars`` are ``(T + 1,)`` arrays indexed by the step (entry 0 is
    the clean data); the noise scale is the posterior one,
    ``sigma_t^2 = beta_t (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t)``, and the last step
    (t = 1) adds no noise.
    """
    from ..generative import diffusion

    rng = np.random.default_rng(151)
    cases = []
    for kind, total, t, shape in [("cosine", 20, 20, (5, 2)), ("cosine", 20, 7, (5, 2)),
                                  ("linear", 30, 12, (3, 4, 4, 1)), ("linear", 30, 1, (4, 2))]:
        schedule = diffusion.noise_schedule(kind, total)
        x_t, eps_hat, z = (rng.standard_normal(shape) for _ in range(3))
        args = (x_t, eps_hat, t, schedule.betas, schedule.alpha_bars, z)
        label = f"reverse_step(..., t={t}, ...) on x_t of shape {shape}, {kind} schedule with T = {total}"
        if t == 1:
            label += " (the last step: no noise)"
        cases.append(Case(args=args, expected=_reference_reverse_step(*args), label=label))
    return check_function(
        func, cases, name="reverse_step",
        hint="mean = (x_t - beta_t / sqrt(1 - alpha_bar_t) * eps_hat) / sqrt(1 - beta_t); add "
        "sigma_t * z with sigma_t^2 = beta_t (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t), "
        "except at t = 1",
    )


# ----------------------------------------------------------------------------- the loss of knowing nothing

ZERO_PREDICTOR_LOSS = 1.0


def check_zero_predictor_loss(loss_prediction: Any) -> CheckResult:
    """The Predict exercise: the noise-prediction loss of a network that always outputs 0.

    The loss averages ``(epsilon - eps_hat)^2`` over examples and coordinates; with
    ``eps_hat = 0`` it is the mean of ``epsilon^2`` for standard normal noise: 1, at
    every step and for any data.
    """
    return common.check_real(
        loss_prediction, ZERO_PREDICTOR_LOSS, "loss_prediction",
        "the target is the noise itself, epsilon ~ N(0, 1) in every coordinate; what is "
        "the mean of epsilon squared?",
        tolerance=0.02,
        mistakes=(
            (0.0, "a zero output is a perfect prediction only if the noise were zero; here "
                  "the target is fresh standard normal noise"),
            (2.0, "the loss is a mean over the coordinates too, not a sum over the two of them"),
            (0.5, "no factor 1/2 here: the loss is the plain mean of the squared error"),
        ),
    )


# ----------------------------------------------------------------------------- model target

RING_BUDGET_STEPS = 1500
RING_HIGH_QUALITY_TARGET = 0.5
MAX_SCHEDULE_STEPS = 200
MAX_HIDDEN = 256


def ring_ddpm_scores(num_steps: int, hidden: int, learning_rate: float):
    """Train a small DDPM on the ring within the budget and measure 1,000 of its samples.

    A :func:`~course_lib.generative.denoisers.point_denoiser` with three SiLU layers of
    ``hidden`` units, the cosine schedule with ``num_steps`` steps, Adam with
    ``learning_rate`` decayed along a cosine, :data:`RING_BUDGET_STEPS` steps of batch 256
    (seed 0, XLA), then 1,000 samples by ancestral sampling (seed 1).

    Returns:
        The :class:`~course_lib.generative.ring.RingScores` of the samples.
    """
    num_steps = validate.count("num_steps", num_steps, minimum=2, maximum=MAX_SCHEDULE_STEPS)
    hidden = validate.count("hidden", hidden, maximum=MAX_HIDDEN)
    learning_rate = validate.real("learning_rate", learning_rate, low=0.0, high=0.1, low_open=True)
    from ..backend import keras
    from ..generative import denoisers, diffusion, ring

    schedule = diffusion.noise_schedule("cosine", num_steps)
    keras.utils.set_random_seed(0)
    model = denoisers.point_denoiser(num_steps, hidden)
    rate = keras.optimizers.schedules.CosineDecay(learning_rate, RING_BUDGET_STEPS)
    step = denoisers.denoiser_train_step(model, keras.optimizers.Adam(rate), schedule, seed=0,
                                         jit_compile=True)
    batch = 256
    points = ring.ring_data(RING_BUDGET_STEPS * batch, seed=5)
    for i in range(RING_BUDGET_STEPS):
        step(points[i * batch:(i + 1) * batch])
    samples, _ = diffusion.reverse_sample(denoisers.noise_predictor(model), (1000, 2), schedule, seed=1)
    return ring.score_ring(samples, "your DDPM")


def check_ring_ddpm_target(num_steps: Any, hidden: Any, learning_rate: Any, *,
                           verbose: bool = True) -> CheckResult:
    """The Model exercise: a DDPM that covers the ring's 8 modes with sharp samples.

    Trains :func:`ring_ddpm_scores` with the student's settings and asks for all 8 modes
    covered and a high-quality share of at least :data:`RING_HIGH_QUALITY_TARGET`.
    """
    verbose = validate.flag("verbose", verbose)
    name = "ring DDPM"
    settings = {"num_steps": num_steps, "hidden": hidden, "learning_rate": learning_rate}
    if any(is_stub(value) for value in settings.values()):
        return verdict(name, Status.NOT_ATTEMPTED,
                       "set num_steps, hidden and learning_rate, then run the cell", verbose=verbose)
    problems = []
    for key, low, high in (("num_steps", 2, MAX_SCHEDULE_STEPS), ("hidden", 1, MAX_HIDDEN)):
        value = settings[key]
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
            problems.append(f"{key} must be a whole number from {low} to {high}, got {value!r}")
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
        scores = common.call_with_time_limit(ring_ddpm_scores, int(num_steps), int(hidden), float(rate))
    except common.TimeLimitExceeded:
        return verdict(name, Status.WRONG, common.too_slow("training the DDPM"), verbose=verbose)
    measured = (f"modes covered {approx(scores.modes_covered, 'd')} / 8, high-quality share "
                f"{approx(scores.high_quality_share, '.2f')}")
    if scores.modes_covered == 8 and scores.high_quality_share >= RING_HIGH_QUALITY_TARGET:
        return verdict(name, Status.CORRECT, f"target reached: {measured}", verbose=verbose)
    return verdict(name, Status.WRONG,
                   f"{measured}; the target is 8 / 8 modes and a share ≥ {RING_HIGH_QUALITY_TARGET}. "
                   "Hint: with few steps each reverse step must remove a lot of noise at once, "
                   "and a narrow network cannot tell 8 sharp clusters apart; a learning rate far "
                   "from 1e-3 either crawls or jumps around", verbose=verbose)
