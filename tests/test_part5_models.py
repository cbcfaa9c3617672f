"""The generative Keras models: the VAE against its formulas, saving, and notebook 13's copy."""

import numpy as np
import pytest

from course_lib import runtime

runtime.import_tensorflow()
import keras  # noqa: E402

from course_lib.generative import models  # noqa: E402


def digits(n=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (n, 28, 28, 1)).astype("float32")
    x[:, :4] = 0.0  # black borders, as in MNIST
    return x


def reference_terms(model, x, epsilon):
    """The -ELBO's two terms in NumPy, for the model's weights and a given noise draw."""
    z_mean, z_log_var = (t.numpy().astype(np.float64) for t in model.encoder(x))
    z = z_mean + np.exp(0.5 * z_log_var) * epsilon
    x_hat = np.clip(model.decoder(z.astype("float32")).numpy().astype(np.float64), 1e-7, 1 - 1e-7)
    flat, flat_hat = x.reshape(len(x), -1), x_hat.reshape(len(x), -1)
    reconstruction = -np.sum(flat * np.log(flat_hat) + (1 - flat) * np.log(1 - flat_hat), axis=1)
    kl = 0.5 * np.sum(z_mean**2 + np.exp(z_log_var) - z_log_var - 1, axis=1)
    return reconstruction, kl


def test_vae_loss_terms_match_the_closed_forms():
    keras.utils.set_random_seed(0)
    vae = models.VAE(models.dense_encoder(3), models.dense_decoder(3), seed=7)
    x = digits()
    epsilon = np.asarray(keras.random.normal((len(x), 3), seed=keras.random.SeedGenerator(7)))
    reconstruction, kl = (np.asarray(t) for t in vae.loss_terms(x))
    expected_reconstruction, expected_kl = reference_terms(vae, x, epsilon)
    np.testing.assert_allclose(reconstruction, expected_reconstruction, rtol=1e-4)
    np.testing.assert_allclose(kl, expected_kl, rtol=1e-4, atol=1e-5)


def test_vae_noise_comes_from_its_own_seed():
    x = digits()
    first = models.VAE(models.dense_encoder(2), models.dense_decoder(2), seed=3)
    second = models.VAE(first.encoder, first.decoder, seed=3)
    other = models.VAE(first.encoder, first.decoder, seed=4)
    np.testing.assert_array_equal(np.asarray(first.loss_terms(x)[0]), np.asarray(second.loss_terms(x)[0]))
    assert not np.allclose(np.asarray(first.loss_terms(x)[0]), np.asarray(other.loss_terms(x)[0]))


def test_vae_trains_and_reports_its_terms():
    keras.utils.set_random_seed(0)
    vae = models.VAE(models.dense_encoder(2), models.dense_decoder(2), seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    x = digits(64)
    before = vae.evaluate(x, verbose=0, return_dict=True)
    history = vae.fit(x, epochs=3, batch_size=32, verbose=0)
    after = vae.evaluate(x, verbose=0, return_dict=True)
    assert set(history.history) == {"loss", "reconstruction", "kl"}
    assert after["loss"] < before["loss"]
    assert after["loss"] == pytest.approx(after["reconstruction"] + after["kl"], rel=1e-5)


def test_vae_saves_and_loads_in_safe_mode(tmp_path):
    keras.utils.set_random_seed(0)
    vae = models.VAE(models.conv_encoder(4), models.conv_decoder(4), beta=0.5, seed=2)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    vae.fit(digits(32), epochs=1, batch_size=16, verbose=0)
    path = tmp_path / "vae.keras"
    vae.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert isinstance(loaded, models.VAE) and loaded.beta == 0.5 and loaded.seed == 2
    probe = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    np.testing.assert_allclose(np.asarray(loaded.decoder(probe)), np.asarray(vae.decoder(probe)), atol=1e-6)
    assert len(loaded.optimizer.variables) == len(vae.optimizer.variables)


def test_builders_have_the_documented_shapes():
    assert models.dense_encoder(5)(digits(2))[0].shape == (2, 5)
    assert models.conv_encoder(5)(digits(2))[1].shape == (2, 5)
    for decoder in (models.dense_decoder(5), models.conv_decoder(5)):
        assert decoder(np.zeros((2, 5), "float32")).shape == (2, 28, 28, 1)
    assert models.mnist_classifier(augment=False).get_layer("features").output.shape[1:] == (64,)
    with pytest.raises(ValueError, match="latent_dim"):
        models.dense_encoder(0)


def test_for_inference_copies_the_weights_without_augmentation():
    trained = models.mnist_classifier(augment=True, seed=0)
    clean = models.for_inference(trained, lambda: models.mnist_classifier(augment=False))
    assert "shift" not in [layer.name for layer in clean.layers]
    x = digits(4)
    np.testing.assert_allclose(np.asarray(clean(x)), np.asarray(trained(x, training=False)), atol=1e-6)


def test_vae_fit_builds_the_optimizer_first_and_traces_its_step_once():
    traces = []

    class CountingVAE(models.VAE):
        def train_step(self, data):
            traces.append(1)
            return super().train_step(data)

    keras.utils.set_random_seed(0)
    vae = CountingVAE(models.dense_encoder(2), models.dense_decoder(2))
    with pytest.raises(ValueError, match="compile"):
        vae.fit(digits(8), epochs=1, verbose=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    vae.fit(digits(16), epochs=2, batch_size=8, verbose=0)
    assert vae.optimizer.built and len(traces) == 1
