"""Exercise checks of notebook 15: right answers pass; wrong, stub, malformed ones don't."""

import numpy as np
import pytest

from course_lib.checks import Status
from course_lib.exercises import diffusion_models as exercises


def stub(*args):
    raise NotImplementedError


def crash(*args):
    return undefined_name  # noqa: F821


def step_right(x_t, eps_hat, t, betas, alpha_bars, z):
    beta, alpha_bar = betas[t], alpha_bars[t]
    mean = (x_t - beta / np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(1 - beta)
    if t == 1:
        return mean
    return mean + np.sqrt(beta * (1 - alpha_bars[t - 1]) / (1 - alpha_bar)) * z


def step_as_lists(x_t, eps_hat, t, betas, alpha_bars, z):
    return step_right(x_t, eps_hat, t, betas, alpha_bars, z).tolist()


def step_float32(x_t, eps_hat, t, betas, alpha_bars, z):
    return step_right(x_t, eps_hat, t, betas, alpha_bars, z).astype(np.float32)


def step_beta_variance(x_t, eps_hat, t, betas, alpha_bars, z):
    mean = step_right(x_t, eps_hat, t, betas, alpha_bars, 0 * z)
    return mean if t == 1 else mean + np.sqrt(betas[t]) * z


def step_always_noise(x_t, eps_hat, t, betas, alpha_bars, z):
    beta, alpha_bar = betas[t], alpha_bars[t]
    mean = (x_t - beta / np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(1 - beta)
    variance = beta * (1 - alpha_bars[t - 1]) / (1 - alpha_bar)
    return mean + np.sqrt(variance) * z + (t == 1) * z


def step_no_noise(x_t, eps_hat, t, betas, alpha_bars, z):
    return step_right(x_t, eps_hat, t, betas, alpha_bars, 0 * z)


def step_off_by_one(x_t, eps_hat, t, betas, alpha_bars, z):
    return step_right(x_t, eps_hat, t - 1 if t > 1 else t, betas, alpha_bars, z)


def step_missing_scale(x_t, eps_hat, t, betas, alpha_bars, z):
    beta, alpha_bar = betas[t], alpha_bars[t]
    mean = x_t - beta / np.sqrt(1 - alpha_bar) * eps_hat
    return mean if t == 1 else mean + np.sqrt(beta * (1 - alpha_bars[t - 1]) / (1 - alpha_bar)) * z


def step_sqrt_alpha_bar(x_t, eps_hat, t, betas, alpha_bars, z):
    beta, alpha_bar = betas[t], alpha_bars[t]
    mean = (x_t - beta / np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(alpha_bar)
    return mean if t == 1 else mean + np.sqrt(beta * (1 - alpha_bars[t - 1]) / (1 - alpha_bar)) * z


def step_in_place(x_t, eps_hat, t, betas, alpha_bars, z):
    x_t -= betas[t] / np.sqrt(1 - alpha_bars[t]) * eps_hat
    x_t /= np.sqrt(1 - betas[t])
    if t > 1:
        x_t += np.sqrt(betas[t] * (1 - alpha_bars[t - 1]) / (1 - alpha_bars[t])) * z
    return x_t


def step_nan(x_t, eps_hat, t, betas, alpha_bars, z):
    return np.full_like(x_t, np.nan)


def step_wrong_shape(x_t, eps_hat, t, betas, alpha_bars, z):
    return step_right(x_t, eps_hat, t, betas, alpha_bars, z)[:1]


@pytest.mark.parametrize("right", [step_right, step_as_lists, step_float32, step_in_place])
def test_reverse_step_accepts_right_answers(right, capsys):
    assert exercises.check_reverse_step(right).status == Status.CORRECT


@pytest.mark.parametrize("wrong", [step_beta_variance, step_always_noise, step_no_noise, step_off_by_one,
                                   step_missing_scale, step_sqrt_alpha_bar, step_nan, step_wrong_shape,
                                   crash, lambda *args: "x"])
def test_reverse_step_rejects_wrong_answers(wrong, capsys):
    assert exercises.check_reverse_step(wrong).status in (Status.WRONG, Status.CRASHED)


@pytest.mark.parametrize("answer", [None, ..., stub, lambda *args: None])
def test_reverse_step_stub_is_not_attempted(answer, capsys):
    assert exercises.check_reverse_step(answer).status == Status.NOT_ATTEMPTED


@pytest.mark.parametrize("right", [1, 1.0, np.float32(1.0), np.array(1.0), 1.01])
def test_zero_predictor_loss_accepts_one(right, capsys):
    assert exercises.check_zero_predictor_loss(right).status == Status.CORRECT


@pytest.mark.parametrize("wrong, hint", [(0.0, "perfect"), (2.0, "mean over the coordinates"), (0.5, "1/2"),
                                         (1.2, ""), (float("nan"), ""), (1e308 * 10, ""), ("1", ""),
                                         ([1.0, 1.0], ""), (True, "")])
def test_zero_predictor_loss_rejects_wrong_answers(wrong, hint, capsys):
    result = exercises.check_zero_predictor_loss(wrong)
    assert result.status == Status.WRONG
    assert hint in capsys.readouterr().out


@pytest.mark.parametrize("answer", [None, ...])
def test_zero_predictor_loss_stub_is_not_attempted(answer, capsys):
    assert exercises.check_zero_predictor_loss(answer).status == Status.NOT_ATTEMPTED


@pytest.mark.parametrize("settings", [(0, 128, 5e-3), (201, 128, 5e-3), (20, 0, 5e-3), (20, 257, 5e-3),
                                      (20.0, 128, 5e-3), (20, 128, 0.0), (20, 128, 0.5), (20, 128, "fast"),
                                      (20, 128, float("nan")), (True, 128, 5e-3), ("20", 128, 5e-3)])
def test_ring_target_refuses_malformed_settings(settings, capsys):
    result = exercises.check_ring_ddpm_target(*settings)
    assert result.status == Status.WRONG
    assert "must be" in capsys.readouterr().out


def test_ring_target_is_not_attempted_with_a_stub(capsys):
    assert exercises.check_ring_ddpm_target(..., 128, 5e-3).status == Status.NOT_ATTEMPTED


def test_ring_target_passes_the_solution_and_fails_the_notebook_settings(capsys):
    assert exercises.check_ring_ddpm_target(20, 128, 5e-3).status == Status.CORRECT
    assert "≈" in capsys.readouterr().out
    assert exercises.check_ring_ddpm_target(50, 128, 2e-3).status == Status.WRONG
    assert "Hint" in capsys.readouterr().out
