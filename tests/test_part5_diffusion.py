"""Notebook 15: the diffusion toolkit (NumPy), the denoisers (Keras), the widget and the checks."""

from pathlib import Path

import jupytext
import numpy as np
import pytest

from course_lib.generative import diffusion, ring

NOTEBOOK_15 = Path(__file__).resolve().parent.parent / "notebooks" / "15_diffusion_models.py"


# --------------------------------------------------------------------------- schedules


@pytest.mark.parametrize("kind", diffusion.SCHEDULES)
@pytest.mark.parametrize("num_steps", [10, 50, 1000])
def test_schedules_are_monotone_and_in_range(kind, num_steps):
    schedule = diffusion.noise_schedule(kind, num_steps)
    assert schedule.num_steps == num_steps
    assert schedule.betas.shape == schedule.alpha_bars.shape == (num_steps + 1,)
    assert schedule.betas[0] == 0 and schedule.alpha_bars[0] == 1
    assert np.all(schedule.betas[1:] > 0) and np.all(schedule.betas <= 0.999)
    assert np.all(np.diff(schedule.alpha_bars) < 0), "alpha_bar must fall at every step"
    assert schedule.alpha_bars[-1] < 1e-3, "sampling must be able to start from pure noise"
    np.testing.assert_allclose(schedule.alpha_bars, np.cumprod(1 - schedule.betas))
    variance = schedule.posterior_variance()
    assert variance[0] == 0 and variance[1] == 0
    assert np.all(variance[2:] > 0) and np.all(variance[2:] <= schedule.betas[2:])


def test_linear_schedule_of_1000_steps_is_that_of_ho_et_al():
    schedule = diffusion.noise_schedule("linear", 1000)
    np.testing.assert_allclose(schedule.betas[[1, 1000]], [1e-4, 0.02])


def test_cosine_schedule_keeps_more_signal_midway_than_linear():
    linear, cosine = (diffusion.noise_schedule(kind, 1000) for kind in ("linear", "cosine"))
    assert cosine.alpha_bars[500] > 0.4 > 0.1 > linear.alpha_bars[500]
    expected = np.cos((0.5 + 0.008) / 1.008 * np.pi / 2) ** 2 / np.cos(0.008 / 1.008 * np.pi / 2) ** 2
    assert cosine.alpha_bars[500] == pytest.approx(expected)


def test_schedule_arrays_cannot_be_modified():
    schedule = diffusion.noise_schedule("cosine", 10)
    with pytest.raises(ValueError):
        schedule.betas[3] = 0.5


def test_noise_schedule_refuses_bad_arguments():
    with pytest.raises(ValueError, match="kind"):
        diffusion.noise_schedule("quadratic", 10)
    with pytest.raises(ValueError, match="num_steps"):
        diffusion.noise_schedule("linear", 1)


# --------------------------------------------------------------------------- forward process


def test_closed_form_moments_match_sampling_and_the_chain():
    schedule = diffusion.noise_schedule("linear", 200)
    x0 = np.tile(np.array([[1.5, -0.5]]), (20000, 1))
    rng = np.random.default_rng(0)
    mean, std = diffusion.forward_moments(x0, 120, schedule)
    sampled = diffusion.forward_sample(x0, 120, rng.standard_normal(x0.shape), schedule)
    np.testing.assert_allclose(sampled.mean(axis=0), mean[0], atol=0.02)
    np.testing.assert_allclose(sampled.std(axis=0), [std, std], rtol=0.02)
    x = x0.copy()
    for t in range(1, 121):  # the chain q(x_t | x_{t-1}), step by step
        x = np.sqrt(1 - schedule.betas[t]) * x + np.sqrt(schedule.betas[t]) * rng.standard_normal(x.shape)
    np.testing.assert_allclose(x.mean(axis=0), mean[0], atol=0.02)
    np.testing.assert_allclose(x.std(axis=0), [std, std], rtol=0.02)


def test_forward_sample_takes_one_step_per_example():
    schedule = diffusion.noise_schedule("cosine", 10)
    x0 = np.ones((3, 4, 4, 1))
    noise = np.zeros_like(x0)
    result = diffusion.forward_sample(x0, [0, 5, 10], noise, schedule)
    np.testing.assert_allclose(result[:, 0, 0, 0], np.sqrt(schedule.alpha_bars[[0, 5, 10]]))
    with pytest.raises(ValueError, match="t"):
        diffusion.forward_sample(x0, [1, 2], noise, schedule)


def test_predicted_clean_inverts_the_forward_sample():
    schedule = diffusion.noise_schedule("cosine", 20)
    rng = np.random.default_rng(1)
    x0, noise = rng.standard_normal((2, 5, 2))
    x_t = diffusion.forward_sample(x0, 7, noise, schedule)
    np.testing.assert_allclose(diffusion.predicted_clean(x_t, noise, 7, schedule), x0, atol=1e-12)


# --------------------------------------------------------------------------- reverse steps


def test_ddpm_step_has_the_right_shape_and_is_deterministic_for_fixed_noise():
    schedule = diffusion.noise_schedule("cosine", 20)
    rng = np.random.default_rng(2)
    x_t, eps_hat, z = rng.standard_normal((3, 4, 28, 28, 1))
    first = diffusion.ddpm_step(x_t, eps_hat, 9, schedule, z)
    assert first.shape == x_t.shape
    np.testing.assert_array_equal(first, diffusion.ddpm_step(x_t, eps_hat, 9, schedule, z))
    assert not np.allclose(first, diffusion.ddpm_step(x_t, eps_hat, 9, schedule, -z))
    # the last step adds no noise
    np.testing.assert_array_equal(diffusion.ddpm_step(x_t, eps_hat, 1, schedule, z),
                                  diffusion.ddpm_step(x_t, eps_hat, 1, schedule, -z))


def test_ddpm_step_with_the_true_noise_recovers_the_posterior_mean():
    schedule = diffusion.noise_schedule("linear", 50)
    rng = np.random.default_rng(3)
    x0, noise = rng.standard_normal((2, 6, 2))
    t = 30
    x_t = diffusion.forward_sample(x0, t, noise, schedule)
    a_bar, a_bar_prev, beta = schedule.alpha_bars[t], schedule.alpha_bars[t - 1], schedule.betas[t]
    posterior_mean = (np.sqrt(a_bar_prev) * beta / (1 - a_bar) * x0
                      + np.sqrt(1 - beta) * (1 - a_bar_prev) / (1 - a_bar) * x_t)
    np.testing.assert_allclose(diffusion.ddpm_step(x_t, noise, t, schedule, np.zeros_like(x0)),
                               posterior_mean, atol=1e-12)


def test_ddim_with_eta_zero_is_deterministic_and_eta_one_is_ancestral():
    schedule = diffusion.noise_schedule("cosine", 20)
    rng = np.random.default_rng(4)
    x_t, eps_hat, z = rng.standard_normal((3, 5, 2))
    a = diffusion.ddim_step(x_t, eps_hat, 12, 6, schedule)
    np.testing.assert_array_equal(a, diffusion.ddim_step(x_t, eps_hat, 12, 6, schedule, noise=z))
    np.testing.assert_allclose(diffusion.ddim_step(x_t, eps_hat, 12, 11, schedule, eta=1.0, noise=z),
                               diffusion.ddpm_step(x_t, eps_hat, 12, schedule, z), atol=1e-12)
    # the jump to t = 0 lands on the predicted clean sample
    np.testing.assert_allclose(diffusion.ddim_step(x_t, eps_hat, 12, 0, schedule),
                               diffusion.predicted_clean(x_t, eps_hat, 12, schedule), atol=1e-12)
    with pytest.raises(ValueError, match="noise"):
        diffusion.ddim_step(x_t, eps_hat, 12, 6, schedule, eta=0.5)


def test_step_subsequence_is_decreasing_from_t_to_one():
    np.testing.assert_array_equal(diffusion.step_subsequence(10, 10), np.arange(10, 0, -1))
    steps = diffusion.step_subsequence(100, 20)
    assert steps[0] == 100 and steps[-1] == 1 and len(steps) == 20
    assert np.all(np.diff(steps) < 0)


def test_reverse_sample_with_the_exact_noise_of_a_point_mass_finds_it():
    """For data that are one point c, the exact noise predictor is (x_t - sqrt(a) c) / sqrt(1 - a)."""
    schedule = diffusion.noise_schedule("cosine", 30)
    centre = np.array([1.0, -2.0])

    def exact_noise(x_t, t):
        a = schedule.alpha_bars[np.asarray(t)][:, None]
        return (x_t - np.sqrt(a) * centre) / np.sqrt(1 - a)

    for method, steps in (("ddpm", None), ("ddim", 30), ("ddim", 5)):
        x, trajectory = diffusion.reverse_sample(exact_noise, (50, 2), schedule, seed=0, method=method,
                                                 num_steps=steps, snapshots=3)
        assert x.shape == (50, 2) and x.dtype == np.float32
        np.testing.assert_allclose(x, np.tile(centre, (50, 1)), atol=1e-4)
        assert [t for t, _ in trajectory][0] == 30 and trajectory[-1][0] == 0
    first, _ = diffusion.reverse_sample(exact_noise, (4, 2), schedule, seed=3)
    again, _ = diffusion.reverse_sample(exact_noise, (4, 2), schedule, seed=3)
    np.testing.assert_array_equal(first, again)
    with pytest.raises(ValueError, match="ddim"):
        diffusion.reverse_sample(exact_noise, (4, 2), schedule, num_steps=10)


# --------------------------------------------------------------------------- scores and the SDE


def _mixture_log_density(x, means, sigma, alpha_bar):
    variance = alpha_bar * sigma**2 + 1 - alpha_bar
    squared = ((x[:, None, :] - np.sqrt(alpha_bar) * means[None]) ** 2).sum(-1)
    return np.log(np.exp(-squared / (2 * variance)).mean(axis=1))


@pytest.mark.parametrize("alpha_bar", [1.0, 0.7, 0.05])
def test_mixture_score_matches_finite_differences(alpha_bar):
    means = ring.ring_centres()
    sigma = 0.4
    x = np.random.default_rng(5).normal(0, 1.5, (20, 2))
    score = diffusion.mixture_score(x, means, sigma, alpha_bar)
    h = 1e-5
    for axis in range(2):
        step = np.zeros(2)
        step[axis] = h
        numeric = (_mixture_log_density(x + step, means, sigma, alpha_bar)
                   - _mixture_log_density(x - step, means, sigma, alpha_bar)) / (2 * h)
        np.testing.assert_allclose(score[:, axis], numeric, rtol=1e-5, atol=1e-6)


def test_reverse_sde_with_the_exact_score_samples_the_ring():
    schedule = diffusion.noise_schedule("cosine", 50)
    centres = ring.ring_centres()

    def score(x, t):
        return diffusion.mixture_score(x, centres, ring.RING_SIGMA, schedule.alpha_bars[t])

    samples, trajectory = diffusion.reverse_sde_sample(score, (1000, 2), schedule, seed=0, snapshots=5)
    scores = ring.score_ring(samples)
    assert scores.modes_covered == 8 and scores.high_quality_share > 0.9
    assert len(trajectory) == 5 and trajectory[0][0] == 50 and trajectory[-1][0] == 0


# --------------------------------------------------------------------------- Keras parts


@pytest.fixture(scope="module")
def keras():
    from course_lib import runtime

    runtime.import_tensorflow()
    import keras

    return keras


def test_time_embedding_holds_the_sinusoidal_table(keras):
    from course_lib.generative import denoisers

    table = denoisers.sinusoidal_table(20, 8)
    assert table.shape == (21, 8)
    np.testing.assert_allclose(table[:, :4] ** 2 + table[:, 4:] ** 2, 1.0, rtol=1e-6)
    np.testing.assert_allclose(table[3, 0], np.sin(3.0), rtol=1e-6)
    layer = denoisers.time_embedding(20, 8)
    assert not layer.trainable
    out = np.asarray(layer(np.array([[0], [3], [20]], dtype="int32")))
    np.testing.assert_allclose(out[:, 0, :], table[[0, 3, 20]])


def test_denoisers_have_the_documented_shapes(keras):
    from course_lib.generative import denoisers

    points = denoisers.point_denoiser(10, 8, 1, 4)
    digits = denoisers.digit_denoiser(10, 8, 4)
    steps = np.array([[1], [10]], dtype="int32")
    assert points([np.zeros((2, 2), "float32"), steps]).shape == (2, 2)
    assert digits([np.zeros((2, 28, 28, 1), "float32"), steps]).shape == (2, 28, 28, 1)


def test_train_step_lowers_the_loss_and_repeats_with_its_seed(keras):
    from course_lib.generative import denoisers

    schedule = diffusion.noise_schedule("cosine", 20)
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(0)
        model = denoisers.point_denoiser(20, 32, 2, 8)
        step = denoisers.denoiser_train_step(model, keras.optimizers.Adam(3e-3), schedule, seed=1)
        data = ring.ring_data(300 * 128, seed=0)
        runs.append(np.array([float(step(data[i * 128:(i + 1) * 128])) for i in range(300)]))
    np.testing.assert_array_equal(runs[0], runs[1])
    assert runs[0][-50:].mean() < 0.8 * runs[0][:20].mean()


def _notebook_namespace(keras):
    import tensorflow as tf

    from course_lib.generative import denoisers

    notebook = jupytext.read(NOTEBOOK_15)
    wanted = ("def build_denoiser", "def make_train_step", "def reverse_step")
    namespace = {"keras": keras, "layers": keras.layers, "tf": tf, "np": np, "denoisers": denoisers,
                 "diffusion": diffusion}
    found = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and any(marker in cell.source for marker in wanted):
            exec(compile(cell.source, str(NOTEBOOK_15), "exec"), namespace)  # noqa: S102
            found += 1
    assert found == 3
    return namespace


def test_notebook_15_network_and_training_step_equal_the_library_copies(keras):
    from course_lib.generative import denoisers

    notebook = _notebook_namespace(keras)
    schedule = diffusion.noise_schedule("cosine", 15)
    losses = []
    for build, make in ((notebook["build_denoiser"], notebook["make_train_step"]),
                        (denoisers.point_denoiser, denoisers.denoiser_train_step)):
        keras.utils.set_random_seed(3)
        model = build(15, 16, 2, 8)
        step = make(model, keras.optimizers.Adam(1e-3), schedule, seed=4, jit_compile=False)
        data = ring.ring_data(5 * 32, seed=1)
        losses.append([float(step(data[i * 32:(i + 1) * 32])) for i in range(5)])
        losses.append(np.concatenate([w.numpy().ravel() for w in model.weights]))
    np.testing.assert_allclose(losses[0], losses[2], rtol=1e-6)
    np.testing.assert_allclose(losses[1], losses[3], rtol=1e-6)


def test_notebook_15_solution_reverse_step_passes_its_check():
    from course_lib.checks import Status
    from course_lib.exercises import diffusion_models as exercises

    namespace = {"np": np}
    for cell in jupytext.read(NOTEBOOK_15).cells:
        if cell.cell_type == "code" and "def reverse_step" in cell.source:
            exec(compile(cell.source, str(NOTEBOOK_15), "exec"), namespace)  # noqa: S102
    assert exercises.check_reverse_step(namespace["reverse_step"], ).status == Status.CORRECT


@pytest.mark.parametrize("name, kind", [("ddpm", "image"), ("ddpm_ring", "points")])
def test_diffusion_samplers_are_registered_with_their_script(name, kind):
    from course_lib.generative import registry

    entry = registry.info(name)
    assert entry.kind == kind
    assert entry.made_by.startswith("python scripts/train_ddpm.py --only")
    assert Path(__file__).resolve().parent.parent.joinpath("scripts", "train_ddpm.py").exists()


@pytest.mark.parametrize("filename", ["ddpm_digits.keras", "ddpm_ring.keras"])
def test_shipped_diffusion_models_load_in_safe_mode(filename, keras):
    from course_lib.generative import pretrained

    model = keras.saving.load_model(pretrained.path(filename), compile=False, safe_mode=True)
    assert [tuple(x.shape[1:]) for x in model.inputs][1] == (1,)
    assert model.count_params() > 0


def test_ddpm_ring_samples_are_deterministic_and_on_the_ring(keras):
    from course_lib import generative

    first = generative.sample("ddpm_ring", 400, seed=2)
    np.testing.assert_array_equal(first, generative.sample("ddpm_ring", 400, seed=2))
    assert ring.score_ring(first).high_quality_share > 0.5


def test_ddpm_digits_are_images_and_ddim_is_deterministic(keras):
    from course_lib import generative
    from course_lib.generative import denoisers

    images = generative.sample("ddpm", 6, seed=1)
    assert images.shape == (6, 28, 28, 1) and images.min() >= 0 and images.max() <= 1
    np.testing.assert_array_equal(images, denoisers.sample_ddpm(6, 1))
    assert denoisers.sample_ddpm(2, 1, num_steps=5).shape == (2, 28, 28, 1)


# --------------------------------------------------------------------------- widget


def test_noise_schedule_widget_renders_and_reports():
    from course_lib.widgets import diffusion as widget

    image = np.zeros((28, 28))
    image[10:18, 10:18] = 1.0
    fig, text = widget.render_noise_schedule(image, "cosine", 100, 50)
    assert "cosine" in text and "t = 50 of 100" in text
    alpha_bar = diffusion.noise_schedule("cosine", 100).alpha_bars[50]
    assert f"{alpha_bar:.4f}" in text
    _, clean = widget.render_noise_schedule(image, "linear", 50, 0)
    assert "alpha_bar = 1.0000" in clean
    with pytest.raises(ValueError, match="step"):
        widget.render_noise_schedule(image, "linear", 50, 51)
    assert widget.noise_schedule_explorer(image) is not None
