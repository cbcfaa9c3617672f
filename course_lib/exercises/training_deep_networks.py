"""Exercise checks for notebook 04, training deep networks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import Case, CheckResult, check_function, check_value
from ..scratch import optimizers
from .compare import pair_of


def _momentum_cases() -> list[Case]:
    rng = np.random.default_rng(4)
    cases = []
    for shape, lr, momentum in (((3,), 0.1, 0.9), ((2, 2), 0.01, 0.5), ((4,), 0.5, 0.0)):
        w, velocity, grad = (rng.normal(size=shape) for _ in range(3))
        reference = optimizers.Momentum(learning_rate=lr, momentum=momentum)
        reference.state[0] = {"velocity": velocity.copy()}
        new_w = reference.step(w.copy(), grad)
        cases.append(
            Case(
                args=(w, velocity, grad, lr, momentum),
                expected=(new_w, reference.state[0]["velocity"].copy()),
                label=f"momentum_step on shape {shape}, learning rate {lr}, momentum {momentum}",
            )
        )
    return cases


def check_momentum_step(func: Callable[..., tuple] | None) -> CheckResult:
    """``momentum_step(w, velocity, grad, lr, momentum) -> (new_w, new_velocity)``."""
    return check_function(
        func,
        _momentum_cases(),
        name="momentum_step",
        compare=pair_of(("new position", "new velocity")),
        hint="first velocity = momentum * velocity - lr * grad, then w + velocity; "
        "return both and do not modify the inputs in place",
    )


def check_bias_correction(func: Callable[..., tuple] | None) -> CheckResult:
    """``bias_correction(m, v, t, beta_1, beta_2) -> (m_hat, v_hat)``."""
    rng = np.random.default_rng(5)
    cases = []
    for t, beta_1, beta_2 in ((1, 0.9, 0.999), (10, 0.9, 0.999), (3, 0.5, 0.75)):
        m, v = rng.normal(size=3), rng.uniform(0.1, 2.0, size=3)
        cases.append(
            Case(
                args=(m, v, t, beta_1, beta_2),
                expected=(m / (1 - beta_1**t), v / (1 - beta_2**t)),
                label=f"bias_correction at step t={t} with beta_1={beta_1}, beta_2={beta_2}",
            )
        )
    return check_function(
        func,
        cases,
        name="bias_correction",
        compare=pair_of(("m_hat", "v_hat")),
        hint="divide m by 1 - beta_1**t and v by 1 - beta_2**t; t counts from 1",
    )


def check_he_std(func: Callable[[int], float] | None) -> CheckResult:
    """``he_std(fan_in)``: the standard deviation He et al. recommend for ReLU layers."""
    cases = [Case(args=(fan_in,), expected=float(np.sqrt(2.0 / fan_in))) for fan_in in (1, 50, 784)]
    return check_function(
        func,
        cases,
        name="he_std",
        hint="a ReLU keeps half of the variance, so the weights need variance 2 / fan_in; "
        "the standard deviation is its square root",
    )


def check_largest_stable_learning_rate(answer: Any) -> CheckResult:
    """Gradient descent on ``0.5 * (w1**2 + 20 * w2**2)`` diverges above 2 / 20."""
    from .. import surfaces

    surface = surfaces.get_surface("elongated quadratic")
    # The Hessian of a quadratic is constant: read its largest curvature off the gradient.
    hessian = np.column_stack([surface.gradient(np.eye(2)[i]) for i in range(2)])
    expected = 2.0 / float(np.linalg.eigvalsh(hessian).max())
    return check_value(
        answer,
        expected,
        name="largest stable learning rate",
        rtol=1e-3,
        hint="along w2 one step multiplies the coordinate by (1 - lr * 20); it must stay "
        "between -1 and 1",
    )
