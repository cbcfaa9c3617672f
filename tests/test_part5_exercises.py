"""Exercise checks of notebooks 12-13: right answers pass; wrong, stub, malformed ones don't."""

import numpy as np
import pytest

from course_lib import data
from course_lib.checks import Status
from course_lib.exercises import autoencoders, variational_autoencoders


def stub(*args):
    raise NotImplementedError


def crash(*args):
    return undefined_name  # noqa: F821


def pca(x, k):
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    return mean, vt[:k]


def pca_flipped_signs(x, k):
    mean, components = pca(x, k)
    return mean, -components


def pca_uncentred(x, k):
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    return x.mean(axis=0), vt[:k]


def pca_transposed(x, k):
    mean, components = pca(x, k)
    return mean, components.T


def pca_smallest(x, k):
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    return mean, vt[-k:]


def pca_eigh_ascending(x, k):
    mean = x.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(x - mean, rowvar=False))
    return mean, vectors[:, -k:].T  # right directions, wrong order


def pca_u_instead_of_v(x, k):
    mean = x.mean(axis=0)
    u, _, _ = np.linalg.svd(x - mean, full_matrices=False)
    return mean, u[:, :k].T


def pca_scalar_mean(x, k):
    return x.mean(), pca(x, k)[1]


def penalty(codes, kernel):
    return np.sum((codes * (1 - codes)) ** 2 * np.sum(kernel**2, axis=0), axis=1)


def negative_elbo(x, x_hat, z_mean, z_log_var):
    reconstruction = -np.sum(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat), axis=1)
    kl = 0.5 * np.sum(z_mean**2 + np.exp(z_log_var) - z_log_var - 1, axis=1)
    return reconstruction + kl


FUNCTION_CHECKS = [
    (autoencoders.check_pca, pca, [pca_uncentred, pca_transposed, pca_smallest, pca_eigh_ascending,
                                   pca_u_instead_of_v, pca_scalar_mean]),
    (autoencoders.check_contractive_penalty, penalty, [
        lambda h, w: np.sum((h * (1 - h)) * np.sum(w**2, axis=0), axis=1),          # not squared
        lambda h, w: np.sum(h**2 * np.sum(w**2, axis=0), axis=1),                   # h, not h(1-h)
        lambda h, w: np.sum((h * (1 - h)) ** 2 * np.sum(w**2, axis=1)[: h.shape[1]], axis=1),  # wrong axis
        lambda h, w: np.sum(penalty(h, w)),                                          # summed over the batch
        lambda h, w: np.sum((h * (1 - h)) ** 2 * np.sum(np.abs(w), axis=0), axis=1),  # |W| not W^2
    ]),
    (variational_autoencoders.check_negative_elbo, negative_elbo, [
        lambda x, xh, m, lv: -np.mean(x * np.log(xh) + (1 - x) * np.log(1 - xh), axis=1)
        + 0.5 * np.sum(m**2 + np.exp(lv) - lv - 1, axis=1),                          # mean over pixels
        lambda x, xh, m, lv: -np.sum(x * np.log(xh) + (1 - x) * np.log(1 - xh), axis=1)
        + np.sum(m**2 + np.exp(lv) - lv - 1, axis=1),                                # missing 1/2
        lambda x, xh, m, lv: -np.sum(x * np.log(xh) + (1 - x) * np.log(1 - xh), axis=1)
        - 0.5 * np.sum(m**2 + np.exp(lv) - lv - 1, axis=1),                          # KL subtracted
        lambda x, xh, m, lv: -np.sum(x * np.log(xh) + (1 - x) * np.log(1 - xh), axis=1)
        + 0.5 * np.sum(m**2 + lv - np.log(lv + 10) - 1, axis=1),                     # log var as var
        lambda x, xh, m, lv: -np.sum(x * np.log(xh), axis=1)
        + 0.5 * np.sum(m**2 + np.exp(lv) - lv - 1, axis=1),                          # half the BCE
        lambda x, xh, m, lv: np.mean(negative_elbo(x, xh, m, lv)),                   # one number
    ]),
]


@pytest.mark.parametrize("check,right,wrongs", FUNCTION_CHECKS, ids=lambda f: getattr(f, "__name__", ""))
def test_function_checks(check, right, wrongs, capsys):
    assert check(right).passed
    for wrong in wrongs:
        result = check(wrong)
        assert result.status in (Status.WRONG, Status.CRASHED) and "Hint" in str(result), str(result)
    assert check(stub).status is Status.NOT_ATTEMPTED
    assert check(None).status is Status.NOT_ATTEMPTED
    assert check(...).status is Status.NOT_ATTEMPTED
    assert check(crash).status is Status.CRASHED
    assert check(42).status is Status.WRONG
    assert check(lambda *args: "text").status is Status.WRONG
    assert check(lambda *args: None).status is Status.NOT_ATTEMPTED
    capsys.readouterr()


def test_pca_check_accepts_any_signs_and_lists(capsys):
    assert autoencoders.check_pca(pca_flipped_signs).passed
    assert autoencoders.check_pca(lambda x, k: [list(part) for part in pca(x, k)]).passed
    assert autoencoders.check_pca(lambda x, k: pca(x, k)[1]).status is Status.WRONG
    capsys.readouterr()


def test_pca_check_reports_the_transpose(capsys):
    assert "transpose" in str(autoencoders.check_pca(pca_transposed))
    capsys.readouterr()


# --------------------------------------------------------------------------- Predict checks


@pytest.fixture
def subspaces():
    rng = np.random.default_rng(0)
    components = np.linalg.qr(rng.normal(size=(30, 4)))[0].T                   # (4, 30) orthonormal
    mixed = rng.normal(size=(4, 4)) @ components                               # same span
    other = np.linalg.qr(rng.normal(size=(30, 4)))[0].T                       # another span
    return components, mixed, other


def test_linear_ae_relation_is_measured(subspaces):
    components, mixed, other = subspaces
    assert autoencoders.linear_ae_relation(mixed, components) == "b"
    assert autoencoders.linear_ae_relation(-2 * components, components) == "a"
    assert autoencoders.linear_ae_relation(other, components) == "c"


def test_linear_ae_prediction_check(subspaces, capsys):
    components, mixed, _ = subspaces
    check = autoencoders.check_linear_ae_prediction
    assert check("b", mixed, components).passed
    assert check(" (B) ", mixed, components).passed
    assert check("a", mixed, components).status is Status.WRONG
    assert "Hint" in str(check("c", mixed, components))
    assert check(..., mixed, components).status is Status.NOT_ATTEMPTED
    assert check(None, mixed, components).status is Status.NOT_ATTEMPTED
    assert check("d", mixed, components).status is Status.WRONG
    assert check(2, mixed, components).status is Status.WRONG
    assert check(float("nan"), mixed, components).status is Status.WRONG
    capsys.readouterr()


def test_beta_prediction_check(capsys):
    table = {0.25: {"reconstruction": 160.0, "kl": 8.0}, 1.0: {"reconstruction": 165.0, "kl": 5.0},
             4.0: {"reconstruction": 175.0, "kl": 2.0}}
    check = variational_autoencoders.check_beta_prediction
    assert check("up", "down", table).passed
    assert check("UP ", "Down", table).passed
    assert check("down", "down", table).status is Status.WRONG
    assert check("up", "up", table).status is Status.WRONG
    assert "Hint" in str(check("down", "up", table))
    assert check(..., "down", table).status is Status.NOT_ATTEMPTED
    assert check("up", None, table).status is Status.NOT_ATTEMPTED
    assert check("higher", "down", table).status is Status.WRONG
    assert check(1, -1, table).status is Status.WRONG
    reversed_table = {beta: {"reconstruction": -row["reconstruction"], "kl": -row["kl"]}
                      for beta, row in table.items()}
    assert check("down", "up", reversed_table).passed  # the truth comes from the measurement
    capsys.readouterr()


# --------------------------------------------------------------------------- Model checks


@pytest.fixture(scope="module")
def flat_digits():
    (x_train, _), (x_test, _) = data.load_mnist()
    return x_train.reshape(-1, 784), x_test.reshape(-1, 784), x_train, x_test


def sparse_autoencoder(l1_weight, code_size=256):
    from course_lib.backend import keras

    model = keras.Sequential([
        keras.Input((784,)),
        keras.layers.Dense(code_size, activation="relu",
                           activity_regularizer=keras.regularizers.L1(l1_weight), name="code"),
        keras.layers.Dense(784, activation="sigmoid", name="reconstruction"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")
    return model


def test_sparse_target_refuses_malformed_settings(flat_digits, capsys):
    x_train, x_test = flat_digits[:2]
    check = autoencoders.check_sparse_target
    assert check(sparse_autoencoder, ..., 5, x_train, x_test).status is Status.NOT_ATTEMPTED
    assert check(sparse_autoencoder, 1e-4, None, x_train, x_test).status is Status.NOT_ATTEMPTED
    for l1_weight, epochs in [(-1.0, 5), ("big", 5), (float("nan"), 5), (1e-4, 0), (1e-4, 11),
                              (1e-4, 2.5), (True, 5), (1e-4, 1e9)]:
        assert check(sparse_autoencoder, l1_weight, epochs, x_train, x_test).status is Status.WRONG
    assert check(lambda l1: 1 / 0, 1e-4, 1, x_train[:64], x_test[:64]).status is Status.CRASHED
    capsys.readouterr()


def test_sparse_target_measures(flat_digits, capsys):
    x_train, x_test = flat_digits[:2]
    check = autoencoders.check_sparse_target
    assert check(sparse_autoencoder, 3e-4, 10, x_train, x_test).passed
    dense = check(sparse_autoencoder, 0.0, 2, x_train, x_test)
    assert dense.status is Status.WRONG and "not sparse" in str(dense)
    blurry = check(sparse_autoencoder, 1e-2, 2, x_train, x_test)
    assert blurry.status is Status.WRONG and "too poor" in str(blurry)
    assert "≈" in capsys.readouterr().out


def test_vae_target_refuses_malformed_settings(flat_digits, capsys):
    x_train, x_test = flat_digits[2:]
    check = variational_autoencoders.check_vae_target
    assert check(..., 1e-3, 64, 5, x_train, x_test).status is Status.NOT_ATTEMPTED
    assert check(8, None, 64, 5, x_train, x_test).status is Status.NOT_ATTEMPTED
    for settings in [(0, 1e-3, 64, 5), (8.0, 1e-3, 64, 5), (8, -1e-3, 64, 5), (8, "fast", 64, 5),
                     (8, 1e-3, 8, 5), (8, 1e-3, 64, 9), (8, float("inf"), 64, 5), (True, 1e-3, 64, 5)]:
        assert check(*settings, x_train, x_test).status is Status.WRONG, settings
    capsys.readouterr()


def test_vae_target_measures(flat_digits, capsys):
    x_train, x_test = flat_digits[2:]
    check = variational_autoencoders.check_vae_target
    assert check(8, 3e-3, 64, 8, x_train, x_test).passed
    too_small = check(2, 2e-3, 128, 2, x_train, x_test)
    assert too_small.status is Status.WRONG and "Hint" in str(too_small)
    assert "≈" in capsys.readouterr().out
