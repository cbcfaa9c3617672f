"""The generative toolkit: metrics on known cases, the sampler registry, the shipped models."""

import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from course_lib import generative
from course_lib.generative import metrics, pretrained, registry, ring

# --------------------------------------------------------------------------- Fréchet distance


def test_frechet_distance_of_a_set_with_itself_is_zero():
    features = np.random.default_rng(0).normal(size=(500, 6))
    assert generative.frechet_distance(features, features) == pytest.approx(0.0, abs=1e-9)


def test_frechet_distance_of_shifted_gaussians_is_the_squared_shift():
    covariance = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 0.5]])
    shift = np.array([1.0, -2.0, 0.5])
    value = metrics.frechet_distance_from_statistics(np.zeros(3), covariance, shift, covariance)
    assert value == pytest.approx(shift @ shift, rel=1e-9)


def test_frechet_distance_matches_the_closed_form_for_other_covariances():
    # Diagonal covariances: d^2 = |mu_a - mu_b|^2 + sum (sqrt(a_i) - sqrt(b_i))^2.
    a, b = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    value = metrics.frechet_distance_from_statistics(np.ones(3), np.diag(a), np.zeros(3), np.diag(b))
    assert value == pytest.approx(3 + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2), rel=1e-9)


def test_frechet_distance_of_samples_approaches_the_population_value():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20_000, 2))
    y = rng.normal(size=(20_000, 2)) * [1.0, 2.0] + [3.0, 0.0]
    assert generative.frechet_distance(x, y) == pytest.approx(9.0 + 1.0, rel=0.03)


def test_frechet_distance_refuses_mismatched_features():
    with pytest.raises(ValueError, match="columns"):
        generative.frechet_distance(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="at least 2"):
        generative.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="finite"):
        generative.frechet_distance(np.full((5, 3), np.nan), np.zeros((5, 3)))


# --------------------------------------------------------------------------- classifier verdicts


def test_confident_share_and_histogram_on_known_probabilities():
    probabilities = np.array([[0.95, 0.05, 0.0], [0.5, 0.5, 0.0], [0.0, 0.05, 0.95], [0.1, 0.9, 0.0]])
    assert generative.confident_share(probabilities) == 0.5  # 0.9 is not above 0.9
    assert generative.confident_share(probabilities, threshold=0.4) == 1.0
    np.testing.assert_array_equal(generative.class_histogram(probabilities), [2, 1, 1])
    assert generative.smallest_class_share(probabilities) == 0.25
    dropped = np.eye(3)[[0, 0, 1, 1]]
    assert generative.smallest_class_share(dropped) == 0.0


def test_classifier_verdicts_refuse_non_probabilities():
    with pytest.raises(ValueError, match="probabilities"):
        generative.confident_share(np.array([[2.0, -1.0]]))
    with pytest.raises(ValueError, match="threshold"):
        generative.confident_share(np.array([[0.5, 0.5]]), threshold=1.5)


# --------------------------------------------------------------------------- 2-D metrics and ring


def test_energy_distance_is_zero_for_identical_sets_and_matches_scipy_in_1d():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(60, 1))
    y = rng.normal(0.5, 2.0, size=(90, 1))
    assert generative.energy_distance(x, x) == 0.0
    assert generative.energy_distance(x, y) == pytest.approx(stats.energy_distance(x[:, 0], y[:, 0]))
    assert generative.energy_distance(x, y) == pytest.approx(generative.energy_distance(y, x))


def test_ring_data_is_deterministic_and_on_the_ring():
    points = generative.ring_data(1000, seed=3)
    assert points.shape == (1000, 2) and points.dtype == np.float32
    np.testing.assert_array_equal(points, generative.ring_data(1000, seed=3))
    assert not np.array_equal(points, generative.ring_data(1000, seed=4))
    radius = np.linalg.norm(points, axis=1)
    assert abs(radius.mean() - generative.RING_RADIUS) < 0.01
    centres = generative.ring_centres()
    assert centres.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 2.0)


def test_samples_at_the_modes_cover_all_eight():
    centres = generative.ring_centres()
    at_modes = np.repeat(centres, 25, axis=0)
    assert generative.modes_covered(at_modes, centres, generative.RING_SIGMA) == 8
    assert generative.high_quality_share(at_modes, centres, generative.RING_SIGMA) == 1.0
    collapsed = np.repeat(centres[:3], 100, axis=0)
    assert generative.modes_covered(collapsed, centres, generative.RING_SIGMA) == 3
    too_few = np.repeat(centres, 19, axis=0)  # 19 < 20 samples per mode
    assert generative.modes_covered(too_few, centres, generative.RING_SIGMA) == 0
    between = 0.5 * (centres + np.roll(centres, 1, axis=0))
    assert generative.high_quality_share(between, centres, generative.RING_SIGMA) == 0.0


def test_ring_references_rank_as_they_should():
    scores = {name: generative.score_ring(points, name)
              for name, points in generative.ring_references().items()}
    real, fitted, noise = scores.values()
    assert real.modes_covered == 8 and real.high_quality_share > 0.97
    assert fitted.modes_covered == 0 and noise.modes_covered == 0
    assert real.energy < 0.2 * min(fitted.energy, noise.energy)


def test_ring_plot_returns_its_axes():
    import matplotlib.pyplot as plt

    ax = generative.plot_ring(generative.ring_data(50), title="ring")
    assert ax.get_title() == "ring"
    plt.close("all")


# --------------------------------------------------------------------------- the registry


def test_unknown_generator_lists_the_available_ones():
    with pytest.raises(ValueError, match="'vae'"):
        generative.sample("no such model", 10)
    with pytest.raises(ValueError, match="available"):
        generative.sample(3, 10)


def test_sample_validates_n_and_seed():
    with pytest.raises(ValueError, match="n must be >= 1"):
        generative.sample("vae", 0)
    with pytest.raises(TypeError, match="n must be an int"):
        generative.sample("vae", 2.5)
    with pytest.raises(ValueError, match="seed"):
        generative.sample("vae", 2, seed=-1)


def test_registry_checks_what_a_sampler_returns():
    def good(n, seed):
        return generative.ring_data(n, seed)

    def wrong_shape(n, seed):
        return np.zeros((n, 3))

    registry.register("test_ring", good, kind="points", description="test", replace=True)
    registry.register("test_bad", wrong_shape, kind="points", description="test", replace=True)
    try:
        np.testing.assert_array_equal(generative.sample("test_ring", 5, seed=1), generative.ring_data(5, 1))
        with pytest.raises(RuntimeError, match="shape"):
            generative.sample("test_bad", 5)
        with pytest.raises(ValueError, match="already registered"):
            registry.register("test_ring", good, kind="points", description="again")
        with pytest.raises(ValueError, match="kind"):
            registry.register("test_other", good, kind="sound", description="")
    finally:
        registry._REGISTRY.pop("test_ring", None)
        registry._REGISTRY.pop("test_bad", None)


def test_importing_the_toolkit_does_not_import_tensorflow():
    code = "import sys; from course_lib import generative; generative.available(); " \
           "generative.score_ring(generative.ring_data(100)); print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- shipped models


@pytest.fixture(scope="module")
def keras():
    from course_lib import runtime

    runtime.import_tensorflow()
    import keras

    return keras


@pytest.mark.parametrize("filename", sorted(pretrained.MADE_BY))
def test_every_shipped_model_loads_in_safe_mode(filename, keras):
    import io
    import json
    import zipfile

    import h5py

    model = keras.saving.load_model(pretrained.path(filename), compile=False, safe_mode=True)
    assert model.count_params() > 0
    archive = zipfile.ZipFile(pretrained.path(filename))
    assert not json.loads(archive.read("config.json")).get("compile_config")
    weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")))
    assert "optimizer" not in weights, "the file should hold no optimizer state"
    assert "Lambda" not in archive.read("config.json").decode()


def test_every_keras_file_in_data_is_known_and_small():
    files = sorted(path.name for path in pretrained.DATA_DIR.glob("*.keras"))
    assert set(pretrained.MADE_BY) <= set(files)
    total = sum(path.stat().st_size for path in pretrained.DATA_DIR.iterdir())
    assert total < 10 * 2**20, "data/ must stay under 10 MB"


def test_vae_samples_are_deterministic_images(keras):
    first = generative.sample("vae", 16, seed=5)
    assert first.shape == (16, 28, 28, 1) and first.dtype == np.float32
    assert 0.0 <= first.min() and first.max() <= 1.0
    np.testing.assert_array_equal(first, generative.sample("vae", 16, seed=5))
    assert not np.allclose(first, generative.sample("vae", 16, seed=6))
    np.testing.assert_array_equal(first[:4], generative.sample("vae", 4, seed=5))


def test_classifier_recognises_held_out_digits(keras):
    from course_lib import data

    _, (x_test, y_test) = data.load_mnist()
    features, probabilities = generative.classify(x_test[:500])
    assert features.shape == (500, 64) and probabilities.shape == (500, 10)
    assert np.mean(probabilities.argmax(axis=1) == y_test[:500]) > 0.95


def test_image_references_rank_as_they_should(keras):
    scores = [generative.score_images(images, name)
              for name, images in generative.image_references(500).items()]
    real, gaussian, noise = scores
    assert real.frechet < 0.1 * gaussian.frechet < gaussian.frechet < noise.frechet
    assert real.confident_share > 0.9 and real.smallest_class_share > 0.07
    assert gaussian.confident_share < 0.5


def test_score_images_refuses_bad_images(keras):
    with pytest.raises(ValueError, match="28, 28, 1"):
        generative.score_images(np.zeros((10, 28, 28)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        generative.score_images(np.full((10, 28, 28, 1), 255.0))


def test_pixel_gaussian_has_the_images_statistics():
    rng = np.random.default_rng(7)
    images = rng.uniform(0.2, 0.8, (300, 28, 28, 1)).astype(np.float32)
    samples = generative.pixel_gaussian(images, 4000, seed=1)
    assert samples.shape == (4000, 28, 28, 1) and samples.dtype == np.float32
    np.testing.assert_allclose(samples.mean(axis=0), images.mean(axis=0), atol=0.02)
    np.testing.assert_allclose(samples.std(axis=0), images.std(axis=0, ddof=1), rtol=0.06)


def test_ring_module_constants_match_the_specification():
    assert (ring.RING_MODES, ring.RING_RADIUS, ring.RING_SIGMA) == (8, 2.0, 0.02)
