"""Denoising diffusion in NumPy: noise schedules, the forward process, reverse steps, the SDE view.

Notation (Ho et al., 2020): ``T`` noise levels; ``beta_t`` the variance added at step ``t``;
``alpha_t = 1 - beta_t``; ``alpha_bar_t = alpha_1 ... alpha_t``. A :class:`Schedule` stores
them in arrays of length ``T + 1`` so that index ``t`` is step ``t`` and index 0 is the
clean data (``beta_0 = 0``, ``alpha_bar_0 = 1``).

* :func:`noise_schedule`: the ``"linear"`` schedule of Ho et al. and the ``"cosine"`` one
  of Nichol and Dhariwal (2021).
* :func:`forward_sample` and :func:`forward_moments`: the closed form
  ``q(x_t | x_0) = N(sqrt(alpha_bar_t) x_0, (1 - alpha_bar_t) I)``.
* :func:`ddpm_step` (ancestral sampling) and :func:`ddim_step` (deterministic, any
  subsequence of steps): one reverse step from a predicted noise.
* :func:`reverse_sample`: a whole reverse chain for any noise predictor, with a progress
  bar and optional snapshots of the trajectory.
* :func:`mixture_score` and :func:`reverse_sde_sample`: the score of a noised Gaussian
  mixture in closed form, and Euler-Maruyama sampling of the reverse-time SDE with any
  score function.

None of this imports TensorFlow: a noise predictor is any function
``(x_t, t) -> predicted noise`` (a Keras model wrapped by
:func:`course_lib.generative.denoisers.noise_predictor`, or an exact formula).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import validate

__all__ = [
    "SCHEDULES",
    "Schedule",
    "ddim_step",
    "ddpm_step",
    "forward_moments",
    "forward_sample",
    "mixture_score",
    "noise_schedule",
    "predicted_clean",
    "reverse_sample",
    "reverse_sde_sample",
    "step_subsequence",
]

SCHEDULES = ("linear", "cosine")
MAX_STEPS = 10_000

NoisePredictor = Callable[[np.ndarray, np.ndarray], np.ndarray]
ScoreFunction = Callable[[np.ndarray, int], np.ndarray]


@dataclass(frozen=True)
class Schedule:
    """A noise schedule with ``num_steps = T`` steps.

    Attributes:
        kind: ``"linear"`` or ``"cosine"``.
        betas: ``(T + 1,)``, ``betas[0] = 0`` and ``betas[t]`` the variance added at step t.
        alphas: ``(T + 1,)``, ``1 - betas``.
        alpha_bars: ``(T + 1,)``, the running product, ``alpha_bars[0] = 1``.
    """

    kind: str
    betas: np.ndarray = field(repr=False)
    alphas: np.ndarray = field(repr=False)
    alpha_bars: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        for array in (self.betas, self.alphas, self.alpha_bars):
            array.setflags(write=False)  # shared by every caller: never modified

    @property
    def num_steps(self) -> int:
        return len(self.betas) - 1

    def posterior_variance(self) -> np.ndarray:
        r"""``(T + 1,)`` the variance :math:`\tilde\beta_t = \beta_t (1 - \bar\alpha_{t-1}) / (1 - \bar\alpha_t)`
        of :math:`q(x_{t-1} \mid x_t, x_0)` (0 at t = 0 and t = 1)."""
        variance = np.zeros_like(self.betas)
        variance[1:] = self.betas[1:] * (1 - self.alpha_bars[:-1]) / (1 - self.alpha_bars[1:])
        return variance


def noise_schedule(kind: str = "linear", num_steps: int = 1000) -> Schedule:
    r"""The linear or the cosine noise schedule with ``num_steps`` steps.

    * ``"linear"`` (Ho et al., 2020): :math:`\beta_t` grows linearly from
      :math:`10^{-4}` to 0.02 over 1,000 steps; with another number of steps both ends are
      scaled by ``1000 / num_steps`` so that the total noise stays about the same.
    * ``"cosine"`` (Nichol and Dhariwal, 2021):
      :math:`\bar\alpha_t = f(t) / f(0)` with
      :math:`f(t) = \cos^2\big(\frac{t/T + s}{1 + s}\,\frac{\pi}{2}\big)`, :math:`s = 0.008`,
      and :math:`\beta_t = 1 - \bar\alpha_t / \bar\alpha_{t-1}` capped at 0.999.

    Args:
        kind: ``"linear"`` or ``"cosine"``.
        num_steps: T, from 2 to 10,000.

    Returns:
        A :class:`Schedule` whose arrays have ``num_steps + 1`` entries.
    """
    kind = validate.choice("kind", kind, SCHEDULES)
    num_steps = validate.count("num_steps", num_steps, minimum=2, maximum=MAX_STEPS)
    if kind == "linear":
        scale = 1000 / num_steps
        betas = np.linspace(1e-4 * scale, min(0.02 * scale, 0.999), num_steps)
    else:
        offset = 0.008
        steps = np.arange(num_steps + 1) / num_steps
        f = np.cos((steps + offset) / (1 + offset) * np.pi / 2) ** 2
        alpha_bars = f / f[0]
        betas = np.clip(1 - alpha_bars[1:] / alpha_bars[:-1], 0.0, 0.999)
    betas = np.concatenate([[0.0], betas])
    alphas = 1.0 - betas
    return Schedule(kind, betas, alphas, np.cumprod(alphas))


def _schedule(schedule) -> Schedule:
    return validate.instance("schedule", schedule, Schedule, "a Schedule from noise_schedule()")


def _steps(name: str, t, schedule: Schedule, *, minimum: int = 1) -> np.ndarray:
    """``t`` as an int64 array of steps within ``[minimum, T]``."""
    steps = validate.array(name, t, ndim=(0, 1), kind="int")
    if steps.min() < minimum or steps.max() > schedule.num_steps:
        raise ValueError(f"{name} must hold steps from {minimum} to {schedule.num_steps}, "
                         f"got values from {steps.min()} to {steps.max()}")
    return steps


def _per_example(values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per-step values broadcast against ``x`` (n, ...): a scalar, or one value per row."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 0:
        return values
    if len(values) != len(x):
        raise ValueError(f"t must be one step or one step per example ({len(x)}), got {len(values)}")
    return values.reshape((len(x),) + (1,) * (x.ndim - 1))


def forward_moments(x0: np.ndarray, t, schedule: Schedule) -> tuple[np.ndarray, np.ndarray]:
    r"""Mean and standard deviation of :math:`q(x_t \mid x_0)`.

    Args:
        x0: ``(n, ...)`` clean data.
        t: a step in ``0..T``, or ``(n,)`` steps, one per example.
        schedule: a :class:`Schedule`.

    Returns:
        ``mean = sqrt(alpha_bar_t) x0`` with the shape of ``x0`` and ``std =
        sqrt(1 - alpha_bar_t)``, a number or ``(n, 1, ...)`` broadcastable to it.
    """
    schedule = _schedule(schedule)
    x0 = validate.array("x0", x0, ndim=tuple(range(1, 6)), layout="(n, ...)")
    steps = _steps("t", t, schedule, minimum=0)
    alpha_bar = _per_example(schedule.alpha_bars[steps], x0)
    return np.sqrt(alpha_bar) * x0, np.sqrt(1.0 - alpha_bar)


def forward_sample(x0: np.ndarray, t, noise: np.ndarray, schedule: Schedule) -> np.ndarray:
    r"""Jump straight to step t: :math:`x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1 - \bar\alpha_t}\,\epsilon`.

    Args:
        x0: ``(n, ...)`` clean data; t: a step or ``(n,)`` steps; noise: standard normal
        noise with the shape of ``x0``; schedule: a :class:`Schedule`.

    Returns:
        ``x_t`` with the shape of ``x0``, float64.
    """
    mean, std = forward_moments(x0, t, schedule)
    noise = validate.array("noise", noise, shape=mean.shape)
    return mean + std * noise


def predicted_clean(x_t: np.ndarray, eps_hat: np.ndarray, t, schedule: Schedule) -> np.ndarray:
    r"""The clean sample the predicted noise implies: :math:`\hat x_0 = (x_t - \sqrt{1-\bar\alpha_t}\,\hat\epsilon) / \sqrt{\bar\alpha_t}`.

    Args:
        x_t: ``(n, ...)``; eps_hat: the predicted noise, same shape; t: a step or ``(n,)``
        steps in ``1..T``.
    """
    schedule = _schedule(schedule)
    x_t = validate.array("x_t", x_t, ndim=tuple(range(1, 6)), layout="(n, ...)")
    eps_hat = validate.array("eps_hat", eps_hat, shape=x_t.shape)
    alpha_bar = _per_example(schedule.alpha_bars[_steps("t", t, schedule)], x_t)
    return (x_t - np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(alpha_bar)


def _clipped(x_t, eps_hat, alpha_bar, clip):
    """The predicted clean sample clipped to [-clip, clip], and the noise it implies."""
    x0_hat = np.clip((x_t - np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(alpha_bar), -clip, clip)
    return x0_hat, (x_t - np.sqrt(alpha_bar) * x0_hat) / np.sqrt(1 - alpha_bar)


def _ddpm_step(x_t, eps_hat, t, schedule, noise, clip=None):
    beta, alpha, alpha_bar = schedule.betas[t], schedule.alphas[t], schedule.alpha_bars[t]
    if clip is not None:
        _, eps_hat = _clipped(x_t, eps_hat, alpha_bar, clip)
    mean = (x_t - beta / np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(alpha)
    if t == 1:
        return mean
    return mean + np.sqrt(schedule.posterior_variance()[t]) * noise


def ddpm_step(x_t: np.ndarray, eps_hat: np.ndarray, t: int, schedule: Schedule,
              noise: np.ndarray) -> np.ndarray:
    r"""One ancestral step from :math:`x_t` to :math:`x_{t-1}` (Ho et al., algorithm 2).

    .. math::
        x_{t-1} = \frac{1}{\sqrt{\alpha_t}}\Big(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,
        \hat\epsilon\Big) + \tilde\sigma_t z, \qquad
        \tilde\sigma_t^2 = \tilde\beta_t = \beta_t\,\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t},

    with no noise at the last step (t = 1).

    Args:
        x_t: ``(n, ...)``; eps_hat: the predicted noise, same shape; t: the current step
        in ``1..T``; schedule: a :class:`Schedule`; noise: standard normal noise ``z``,
        same shape (ignored at t = 1).

    Returns:
        ``x_{t-1}``, same shape, float64.
    """
    schedule = _schedule(schedule)
    x_t = validate.array("x_t", x_t, ndim=tuple(range(1, 6)), layout="(n, ...)")
    eps_hat = validate.array("eps_hat", eps_hat, shape=x_t.shape)
    t = validate.integer("t", t, minimum=1, maximum=schedule.num_steps)
    noise = validate.array("noise", noise, shape=x_t.shape)
    return _ddpm_step(x_t, eps_hat, t, schedule, noise)


def _ddim_step(x_t, eps_hat, t, t_prev, schedule, eta, noise, clip=None):
    alpha_bar, alpha_bar_prev = schedule.alpha_bars[t], schedule.alpha_bars[t_prev]
    if clip is not None:
        x0_hat, eps_hat = _clipped(x_t, eps_hat, alpha_bar, clip)
    else:
        x0_hat = (x_t - np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(alpha_bar)
    sigma = eta * np.sqrt((1 - alpha_bar_prev) / (1 - alpha_bar) * (1 - alpha_bar / alpha_bar_prev))
    direction = np.sqrt(np.clip(1 - alpha_bar_prev - sigma**2, 0.0, None)) * eps_hat
    result = np.sqrt(alpha_bar_prev) * x0_hat + direction
    return result + sigma * noise if eta > 0 else result


def ddim_step(x_t: np.ndarray, eps_hat: np.ndarray, t: int, t_prev: int, schedule: Schedule, *,
              eta: float = 0.0, noise: np.ndarray | None = None) -> np.ndarray:
    r"""One DDIM step from step t to an earlier step ``t_prev`` (Song, Meng and Ermon, 2021).

    Estimate the clean sample, :math:`\hat x_0 = (x_t - \sqrt{1-\bar\alpha_t}\,\hat\epsilon)/\sqrt{\bar\alpha_t}`,
    then move to the noise level of ``t_prev`` keeping the predicted noise as its direction:

    .. math:: x_{t'} = \sqrt{\bar\alpha_{t'}}\,\hat x_0 + \sqrt{1-\bar\alpha_{t'}-\sigma^2}\,\hat\epsilon + \sigma z .

    ``eta = 0`` (the default) is deterministic; ``eta = 1`` with ``t_prev = t - 1`` is the
    ancestral step of :func:`ddpm_step`.

    Args:
        x_t, eps_hat: ``(n, ...)``; t: the current step in ``1..T``; t_prev: the next step,
        in ``0..t-1``; eta: the share of fresh noise in [0, 1]; noise: standard normal,
        same shape, needed when ``eta > 0``.

    Returns:
        ``x_{t_prev}``, float64.
    """
    schedule = _schedule(schedule)
    x_t = validate.array("x_t", x_t, ndim=tuple(range(1, 6)), layout="(n, ...)")
    eps_hat = validate.array("eps_hat", eps_hat, shape=x_t.shape)
    t = validate.integer("t", t, minimum=1, maximum=schedule.num_steps)
    t_prev = validate.integer("t_prev", t_prev, minimum=0, maximum=t - 1)
    eta = validate.real("eta", eta, low=0.0, high=1.0)
    if eta > 0:
        if noise is None:
            raise ValueError("noise is needed when eta > 0")
        noise = validate.array("noise", noise, shape=x_t.shape)
    return _ddim_step(x_t, eps_hat, t, t_prev, schedule, eta, noise)


def step_subsequence(num_steps: int, count: int) -> np.ndarray:
    """``count`` steps out of ``1..num_steps``, evenly spaced, from ``num_steps`` down to 1.

    Returns:
        ``(count,)`` int64, decreasing, starting at ``num_steps`` and ending at 1
        (``count = num_steps`` gives every step).
    """
    num_steps = validate.count("num_steps", num_steps, maximum=MAX_STEPS)
    count = validate.count("count", count, maximum=num_steps)
    if count == 1:
        return np.array([num_steps], dtype=np.int64)
    steps = np.round(np.linspace(num_steps, 1, count)).astype(np.int64)
    return steps


def reverse_sample(
    predict_noise: NoisePredictor,
    shape: tuple[int, ...],
    schedule: Schedule,
    *,
    seed: int = 0,
    num_steps: int | None = None,
    method: str = "ddpm",
    eta: float = 0.0,
    clip: float | None = None,
    snapshots: int = 0,
    progress: bool = False,
) -> tuple[np.ndarray, list[tuple[int, np.ndarray]]]:
    r"""Run the reverse chain from pure noise :math:`x_T \sim N(0, I)` to :math:`x_0`.

    Args:
        predict_noise: ``(x_t, t) -> eps_hat``, with ``x_t: (n, ...)`` and ``t: (n,)`` int
            steps; returns the predicted noise with the shape of ``x_t``.
        shape: ``(n, ...)``, the shape of the samples.
        schedule: the :class:`Schedule` the predictor was trained with.
        seed: seeds the start noise and the noise of every step (NumPy's PCG64).
        num_steps: how many network calls: every step (None) or a subsequence
            (:func:`step_subsequence`), which needs ``method="ddim"``.
        method: ``"ddpm"`` (ancestral, every step) or ``"ddim"`` (:func:`ddim_step`).
        eta: for ``"ddim"``, the share of fresh noise: 0 is deterministic, 1 is ancestral
            sampling on the subsequence of steps.
        clip: if given, clip the predicted clean sample to ``[-clip, clip]`` at every step
            (the data's range, e.g. 1 for images in [-1, 1]); the first steps, at almost
            pure noise, otherwise predict values far outside it.
        snapshots: keep this many intermediate states, evenly spaced (0: none).
        progress: show a progress bar (tqdm).

    Returns:
        ``(x0, trajectory)``: the samples, float32 with shape ``shape``, and a list of
        ``(t, x_t)`` snapshots from ``t = T`` down to 0.
    """
    predict_noise = validate.callable_("predict_noise", predict_noise)
    shape = validate.shape("shape", shape)
    schedule = _schedule(schedule)
    seed = validate.seed("seed", seed)
    method = validate.choice("method", method, ("ddpm", "ddim"))
    eta = validate.real("eta", eta, low=0.0, high=1.0)
    if clip is not None:
        clip = validate.positive("clip", clip)
    total = schedule.num_steps
    count = total if num_steps is None else validate.count("num_steps", num_steps, maximum=total)
    if method == "ddpm" and count != total:
        raise ValueError(f"ancestral sampling ('ddpm') takes every one of the {total} steps; "
                         "use method='ddim' for fewer")
    snapshots = validate.count("snapshots", snapshots, minimum=0, maximum=count + 1)
    progress = validate.flag("progress", progress)

    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    steps = step_subsequence(total, count)
    keep = set(np.round(np.linspace(0, count, snapshots)).astype(int)) if snapshots else set()
    trajectory = [(total, x.astype(np.float32))] if 0 in keep else []
    iterator = range(count)
    if progress:
        # A text bar: it shows the same in a terminal, a notebook and a saved notebook
        # (a widget bar would need a running kernel to be seen at all).
        from tqdm import tqdm  # type: ignore[import-untyped]

        iterator = tqdm(iterator, desc=f"{method} sampling", unit="step", leave=False)
    for i in iterator:
        t = int(steps[i])
        t_prev = int(steps[i + 1]) if i + 1 < count else 0
        eps_hat = np.asarray(predict_noise(x.astype(np.float32), np.full(shape[0], t)), dtype=np.float64)
        if method == "ddpm":
            x = _ddpm_step(x, eps_hat, t, schedule, rng.standard_normal(shape), clip)
        else:
            fresh = rng.standard_normal(shape) if eta > 0 else None
            x = _ddim_step(x, eps_hat, t, t_prev, schedule, eta, fresh, clip)
        if i + 1 in keep:
            trajectory.append((t_prev, x.astype(np.float32)))
    return x.astype(np.float32), trajectory


def mixture_score(x: np.ndarray, means: np.ndarray, sigma: float, alpha_bar: float) -> np.ndarray:
    r"""The exact score :math:`\nabla_x \log p_t(x)` of a noised mixture of equal Gaussians.

    If the data are an equal-weight mixture of :math:`N(\mu_k, \sigma^2 I)`, then after the
    forward process :math:`x_t = \sqrt{\bar\alpha}\,x_0 + \sqrt{1-\bar\alpha}\,\epsilon` they
    are a mixture of :math:`N(\sqrt{\bar\alpha}\,\mu_k, v I)` with
    :math:`v = \bar\alpha\sigma^2 + 1 - \bar\alpha`, whose score is

    .. math:: \nabla_x \log p_t(x) = \sum_k w_k(x)\,\frac{\sqrt{\bar\alpha}\,\mu_k - x}{v},
              \qquad w_k(x) \propto \exp\Big(-\frac{\lVert x - \sqrt{\bar\alpha}\,\mu_k\rVert^2}{2v}\Big).

    Args:
        x: ``(n, d)`` points; means: ``(k, d)`` the components' means; sigma: their
        standard deviation; alpha_bar: the noise level, in (0, 1] (1: the data itself).

    Returns:
        ``(n, d)`` the score at each point.
    """
    x = validate.array("x", x, ndim=2, layout="(n, d)")
    means = validate.array("means", means, shape=(None, x.shape[1]), layout="(k, d)")
    sigma = validate.positive("sigma", sigma)
    alpha_bar = validate.real("alpha_bar", alpha_bar, low=0.0, high=1.0, low_open=True)
    return _mixture_score(x, means, sigma, alpha_bar)


def _mixture_score(x, means, sigma, alpha_bar):
    centres = np.sqrt(alpha_bar) * means
    variance = alpha_bar * sigma**2 + 1 - alpha_bar
    offsets = centres[np.newaxis, :, :] - x[:, np.newaxis, :]            # (n, k, d)
    logits = -np.sum(offsets**2, axis=-1) / (2 * variance)              # (n, k)
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    return np.einsum("nk,nkd->nd", weights, offsets) / variance


def reverse_sde_sample(
    score: ScoreFunction,
    shape: tuple[int, ...],
    schedule: Schedule,
    *,
    seed: int = 0,
    snapshots: int = 0,
) -> tuple[np.ndarray, list[tuple[int, np.ndarray]]]:
    r"""Euler-Maruyama integration of the reverse-time SDE, from t = 1 down to 0.

    The forward process of DDPM is the discretisation of the variance-preserving SDE
    :math:`dx = -\tfrac12\beta(t)\,x\,dt + \sqrt{\beta(t)}\,dw` on the grid
    :math:`t_i = i/T`, with :math:`\beta(t_i)\,\Delta t = \beta_i`. Its reverse-time SDE
    (Anderson, 1982; Song et al., 2021) is

    .. math:: dx = \big[-\tfrac12\beta(t)\,x - \beta(t)\,\nabla_x\log p_t(x)\big]\,dt
              + \sqrt{\beta(t)}\,d\bar w ,

    run backwards in time. One Euler-Maruyama step from :math:`t_i` to :math:`t_{i-1}`:

    .. math:: x_{i-1} = x_i + \tfrac12\beta_i\,x_i + \beta_i\,s(x_i, i) + \sqrt{\beta_i}\,z_i ,

    with no noise in the last step (the usual final denoising step).

    Args:
        score: ``(x, i) -> (n, d)`` the score of the noised data at step ``i`` (exact, as
            :func:`mixture_score`, or learned: ``-eps_hat / sqrt(1 - alpha_bar_i)``).
        shape: ``(n, ...)``; schedule: gives :math:`\beta_i`; seed: seeds all the noise.
        snapshots: keep this many states along the way.

    Returns:
        ``(x0, trajectory)`` as :func:`reverse_sample`.
    """
    score = validate.callable_("score", score)
    shape = validate.shape("shape", shape)
    schedule = _schedule(schedule)
    seed = validate.seed("seed", seed)
    total = schedule.num_steps
    snapshots = validate.count("snapshots", snapshots, minimum=0, maximum=total + 1)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    keep = set(np.round(np.linspace(0, total, snapshots)).astype(int)) if snapshots else set()
    trajectory = [(total, x.astype(np.float32))] if 0 in keep else []
    for done, i in enumerate(range(total, 0, -1), start=1):
        beta = schedule.betas[i]
        drift = 0.5 * beta * x + beta * np.asarray(score(x, i), dtype=np.float64)
        x = x + drift + (np.sqrt(beta) * rng.standard_normal(shape) if i > 1 else 0.0)
        if done in keep:
            trajectory.append((i - 1, x.astype(np.float32)))
    return x.astype(np.float32), trajectory
