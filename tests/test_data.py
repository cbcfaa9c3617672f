import datetime as dt

import numpy as np
import pytest

from course_lib import data


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_CACHE", str(tmp_path / "cache"))


def test_embedded_mnist_shapes_ranges_and_balance():
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert x_train.shape == (4000, 28, 28, 1) and x_test.shape == (1000, 28, 28, 1)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert 0.0 <= x_train.min() and x_train.max() == 1.0
    np.testing.assert_array_equal(np.bincount(y_train), [400] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [100] * 10)


def test_embedded_mnist_is_deterministic_and_cached():
    first = data.load_mnist()
    assert (data.cache_dir() / "mnist_5k_v1.npz").exists()
    second = data.load_mnist()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


def test_embedded_mnist_split_follows_seed_and_fraction():
    (_, y_a), _ = data.load_mnist(seed=0)
    (_, y_b), (x_test, _) = data.load_mnist(seed=1, test_fraction=0.1)
    assert not np.array_equal(y_a[:50], y_b[:50])
    assert len(x_test) == 500


@pytest.mark.parametrize("kwargs", [{"source": "kaggle"}, {"test_fraction": 1.5}])
def test_mnist_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        data.load_mnist(**kwargs)


def test_full_mnist_offline_is_a_clear_error(monkeypatch):
    # Port 9 on the loopback refuses connections at once: the same path as offline.
    monkeypatch.setattr(data, "FULL_MNIST_URL", "http://127.0.0.1:9/mnist.npz")
    with pytest.raises(ConnectionError, match="embedded"):
        data.load_mnist(source="full")


def test_digits8x8():
    (x_train, y_train), (x_test, _) = data.load_digits8x8()
    assert x_train.shape == (1437, 8, 8, 1) and x_test.shape == (360, 8, 8, 1)
    assert x_train.max() == 1.0 and set(np.unique(y_train)) == set(range(10))


@pytest.mark.parametrize(
    "name, shape",
    [("china", (427, 640, 3)), ("flower", (427, 640, 3)), ("grace_hopper", (600, 512, 3))],
)
def test_photos(name, shape):
    photo = data.load_photo(name)
    assert photo.shape == shape and photo.dtype == np.float32
    assert 0 <= photo.min() and photo.max() <= 1
    gray = data.load_photo(name, gray=True, max_side=100)
    assert gray.ndim == 2 and max(gray.shape) == 100


def test_photo_bad_name():
    with pytest.raises(ValueError, match="china"):
        data.load_photo("lena")


@pytest.mark.parametrize("name", data.TOY_2D)
def test_toy_sets(name):
    X, y = data.make_2d(name, 120, seed=4)
    assert X.shape == (120, 2) and X.dtype == np.float32 and y.shape == (120,)
    classes = 3 if name == "blobs" else 2
    np.testing.assert_array_equal(np.unique(y), np.arange(classes))
    X2, y2 = data.make_2d(name, 120, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_xor_labels_follow_the_quadrants():
    X, y = data.make_2d("xor", 400, noise=0.1)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_toy_set_errors():
    with pytest.raises(ValueError, match="spirals"):
        data.make_2d("swiss_roll")
    with pytest.raises(ValueError):
        data.make_2d("moons", noise=-1)
    with pytest.raises(TypeError):
        data.make_2d("moons", n_samples=10.5)


def test_sine_and_windows():
    wave = data.sine_wave(100, period=20)
    assert wave.shape == (100,) and abs(wave[5] - 1) < 1e-6
    X, y = data.windows(wave, 10, horizon=2)
    assert X.shape == (89, 10, 1) and y.shape == (89, 1)
    np.testing.assert_array_equal(X[3, :, 0], wave[3:13])
    assert y[3, 0] == wave[14]
    with pytest.raises(ValueError, match="too short"):
        data.windows(wave[:5], 10)


def test_lorenz63_stays_on_the_attractor():
    states = data.lorenz63(3000, dt=0.01)
    assert states.shape == (3000, 3)
    np.testing.assert_allclose(states[0], [1, 1, 1])
    assert np.abs(states[:, 0]).max() < 25 and 0 < states[500:, 2].min() < states[:, 2].max() < 55
    with pytest.raises(ValueError, match="3 numbers"):
        data.lorenz63(10, initial_state=(1, 2))


def test_adding_problem_target_is_the_sum_of_marked_values():
    X, y = data.adding_problem(64, 30)
    assert X.shape == (64, 30, 2) and y.shape == (64, 1)
    np.testing.assert_array_equal(X[:, :, 1].sum(axis=1), 2)
    np.testing.assert_allclose((X[:, :, 0] * X[:, :, 1]).sum(axis=1), y[:, 0], rtol=1e-6)


def test_copy_task_repeats_the_symbols_after_the_go_signal():
    inputs, targets = data.copy_task(5, length=4, delay=3, n_symbols=6)
    assert inputs.shape == targets.shape == (5, 11)
    np.testing.assert_array_equal(targets[:, -4:], inputs[:, :4])
    assert (inputs[:, 6] == 1).all() and inputs[:, :4].min() >= 2


def test_toy_grammar_corpus():
    corpus = data.toy_grammar_corpus(300, seed=2)
    assert len(corpus.sentences) == 300 and corpus.vocab[:3] == ["<pad>", "<bos>", "<eos>"]
    assert "table" in corpus.vocab and "I like cats" in corpus.sentences
    ids = corpus.encode("I like cats")
    assert corpus.decode(ids) == "I like cats" and len(ids) == 5
    assert not any(s.split()[1] in ("table", "cats") for s in corpus.sentences)
    with pytest.raises(ValueError, match="unicorn"):
        corpus.encode("I like unicorn")


def test_date_pairs_round_trip():
    pairs = data.date_pairs(300, seed=5)
    assert len(pairs) == 300 and pairs == data.date_pairs(300, seed=5)
    for source, target in pairs:
        date = dt.date.fromisoformat(target)
        assert 1950 <= date.year <= 2049
        assert str(date.day) in source and source == source.lower()


def test_availability_reports_every_source():
    report = data.availability()
    assert len(report) >= 8
    assert not [name for name, text in report.items() if text.startswith("MISSING")]
