# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 13 · Variational autoencoders
#
# **Purpose:** turn an autoencoder into a generative model: a latent space with a known
# prior to draw from, learned by maximising the evidence lower bound.
#
# **After this notebook you can**
# - derive the ELBO, reconstruction minus KL divergence, and compute it for a Gaussian
#   encoder and a Bernoulli decoder;
# - explain the reparameterisation trick and check the gradients it gives;
# - write a VAE in Keras 3 with its own `train_step` and seeded noise, save it as a
#   `.keras` file and load it back;
# - map a 2-D latent space, decode a grid of it, sample from the prior and interpolate
#   between digits;
# - measure generated digits (Fréchet distance in a classifier's features, confident
#   share, class histogram) against real data, and compare the AE's and the VAE's latents;
# - describe the trade-off that the weight β of the KL term controls.
#
# **Expected run time:** about 30 s on a 2-core CPU with AVX-512; about 70 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

# %% [markdown]
# ## 1. Set-up

# %%
# NBVAL_IGNORE_OUTPUT
from course_lib import runtime

report = runtime.setup(seed=0)

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import scipy
import tensorflow as tf
from keras import layers, ops

from course_lib import data, generative, outcomes, plots, widgets
from course_lib.exercises import variational_autoencoders as exercises

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
print("train", x_train.shape, "test", x_test.shape)

# %% [markdown]
# ## 2. From an autoencoder to a generative model
#
# Notebook 12 ended with a problem: an autoencoder's codes form islands with gaps between
# them, and nothing says where to draw a new code from. A **variational autoencoder**
# (Kingma and Welling, 2014) fixes this by making the code space part of a probability
# model:
#
# - a **prior** $p(z) = \mathcal N(0, I)$ over codes $z$, chosen in advance;
# - a **decoder** $p_\theta(x \mid z)$: for every code, a distribution over images (here
#   each pixel is a Bernoulli variable whose probability the network outputs);
# - generating is then easy: draw $z \sim p(z)$, decode.
#
# Training should maximise the likelihood of the data,
# $p_\theta(x) = \int p_\theta(x \mid z)\,p(z)\,dz$, but this integral over all codes is
# intractable, and so is the posterior $p_\theta(z \mid x)$ that says which codes explain
# a digit. The VAE's **encoder** approximates that posterior with a Gaussian,
# $q_\phi(z \mid x) = \mathcal N\big(\mu_\phi(x), \operatorname{diag}\sigma^2_\phi(x)\big)$:
# it outputs a mean and a (log-)variance for each latent unit instead of a single code.

# %% [markdown]
# ## 3. The evidence lower bound
#
# Write $\log p(x)$ as an expectation over the encoder's distribution and apply Jensen's
# inequality ($\log$ is concave, so $\log \mathbb E[w] \ge \mathbb E[\log w]$):
#
# $$\log p(x) = \log \mathbb E_{q(z\mid x)}\Big[\frac{p(x\mid z)\,p(z)}{q(z\mid x)}\Big]
# \;\ge\; \mathbb E_{q(z\mid x)}\big[\log p(x \mid z)\big] - \mathrm{KL}\big(q(z\mid x)\,\|\,p(z)\big)
# = \mathrm{ELBO}(x).$$
#
# The gap is exactly $\mathrm{KL}\big(q(z\mid x)\,\|\,p(z\mid x)\big) \ge 0$: the better the
# encoder approximates the true posterior, the tighter the bound. Maximising the ELBO
# with respect to both networks therefore pushes up the likelihood and improves the
# encoder at once. The lecture's loss for digit $x_i$ is the **negative** ELBO, in nats:
#
# $$\ell_i = \underbrace{-\mathbb E_{z\sim q(z\mid x_i)}\big[\log p(x_i\mid z)\big]}_{\text{reconstruction}}
# + \underbrace{\mathrm{KL}\big(q(z\mid x_i)\,\|\,p(z)\big)}_{\text{regulariser}} .$$
#
# Both terms have closed forms for our choices. With the decoder's pixel probabilities
# $\hat x = g(z)$, the Bernoulli log-likelihood is minus the binary cross-entropy summed
# over the 784 pixels (grey levels are treated as probabilities, the usual shortcut for
# MNIST):
#
# $$-\log p(x\mid z) = -\sum_{j=1}^{784} \big[x_j \log \hat x_j + (1-x_j)\log(1-\hat x_j)\big].$$
#
# For a diagonal Gaussian against $\mathcal N(0, I)$, the KL divergence sums over the
# latent units $k$:
#
# $$\mathrm{KL} = \tfrac12 \sum_k \big(\mu_k^2 + \sigma_k^2 - \log\sigma_k^2 - 1\big),$$
#
# zero only when $\mu_k = 0$ and $\sigma_k = 1$ for every unit. The networks output
# $\log\sigma^2$ rather than $\sigma$, so the variance is positive without constraints.
#
# ### Exercise 1 · Implement: the negative ELBO
#
# Write `negative_elbo(x, x_hat, z_mean, z_log_var)` in NumPy for flattened images:
# `x` and `x_hat` are `(batch, pixels)`, `z_mean` and `z_log_var` are `(batch, latent)`.
# Return the reconstruction term plus the KL term for each example, shape `(batch,)`,
# using one decoded sample `x_hat` per example.

# %%
def negative_elbo(x, x_hat, z_mean, z_log_var):
    ### BEGIN SOLUTION
    reconstruction = -np.sum(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat), axis=1)
    kl = 0.5 * np.sum(z_mean**2 + np.exp(z_log_var) - z_log_var - 1, axis=1)
    return reconstruction + kl
    ### END SOLUTION


# %%
exercises.check_negative_elbo(negative_elbo)

# %% [markdown]
# ## 4. The reparameterisation trick
#
# The reconstruction term is an expectation over $z \sim q(z\mid x)$, estimated with one
# random code per digit. Drawing a random number is not a differentiable operation, so
# how do gradients reach $\mu$ and $\sigma$? Move the randomness out of the way:
#
# $$z = \mu + \sigma \odot \epsilon, \qquad \epsilon \sim \mathcal N(0, I).$$
#
# Now $z$ is a differentiable function of $\mu$ and $\sigma$ for a fixed draw of
# $\epsilon$: $\partial z/\partial\mu = 1$, $\partial z/\partial\sigma = \epsilon$, and
# backpropagation works as usual. A check on a case with a known answer: for
# $z\sim\mathcal N(\mu,\sigma^2)$, $\mathbb E[z^2] = \mu^2 + \sigma^2$, so its gradient is
# $2\mu$ with respect to $\mu$ and $\sigma^2$ with respect to $\log\sigma^2$.

# %%
mu, log_var = tf.Variable(1.5), tf.Variable(float(np.log(0.5**2)))
epsilon = keras.random.normal((100_000,), seed=keras.random.SeedGenerator(0))
with tf.GradientTape() as tape:
    z = mu + ops.exp(0.5 * log_var) * epsilon          # reparameterised samples
    mean_square = ops.mean(z**2)
gradient_mu, gradient_log_var = tape.gradient(mean_square, [mu, log_var])
print(f"d/d mu:      ≈ {float(gradient_mu):.3f} (exact {2 * 1.5})")
print(f"d/d log var: ≈ {float(gradient_log_var):.3f} (exact {0.5**2})")

# %% [markdown]
# ## 5. A VAE in Keras 3
#
# The encoder maps a digit to the mean and log-variance of $q(z\mid x)$; the decoder maps a
# code to 784 pixel probabilities. Two latent units, so that we can draw the latent space:

# %%
latent_dim = 2


def build_encoder(latent_dim):
    inputs = keras.Input((28, 28, 1))
    x = layers.Flatten()(inputs)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dense(128, activation="relu")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    return keras.Model(inputs, [z_mean, z_log_var], name="encoder")


def build_decoder(latent_dim):
    inputs = keras.Input((latent_dim,))
    x = layers.Dense(128, activation="relu")(inputs)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dense(28 * 28, activation="sigmoid")(x)
    return keras.Model(inputs, layers.Reshape((28, 28, 1))(x), name="decoder")


# %% [markdown]
# The model: `loss_terms` computes the two terms of $\ell_i$ with one reparameterised
# sample per digit; `train_step` differentiates their mean with a `GradientTape` and lets
# the optimizer apply the gradients; `test_step` only evaluates; `fit` first creates the
# optimizer's variables, which spares a second tracing of `train_step`. The noise comes from a
# `keras.random.SeedGenerator` that the model owns, so training is reproducible and the
# generator's state is saved with the model. `get_config`/`from_config` and the
# registration make the whole model savable as a `.keras` file.

# %%
@keras.saving.register_keras_serializable(package="notebook13")
class VAE(keras.Model):
    def __init__(self, encoder, decoder, beta=1.0, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.beta = float(beta)
        self.seed = int(seed)
        self.noise = keras.random.SeedGenerator(self.seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")
        self.build(encoder.inputs[0].shape)  # so that a saved file holds every weight

    def call(self, x, training=False):
        z_mean, _ = self.encoder(x, training=training)
        return self.decoder(z_mean, training=training)

    def loss_terms(self, x, training=False):
        z_mean, z_log_var = self.encoder(x, training=training)
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.noise)
        z = z_mean + ops.exp(0.5 * z_log_var) * epsilon
        x_hat = self.decoder(z, training=training)
        reconstruction = ops.sum(keras.losses.binary_crossentropy(x, x_hat), axis=(1, 2))
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1)
        return reconstruction, kl

    def fit(self, *args, **kwargs):
        # Adam's variables before the first step: if that step created them inside
        # tf.function, TensorFlow would trace train_step a second time.
        self.optimizer.build(self.trainable_variables)
        return super().fit(*args, **kwargs)

    def train_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            reconstruction, kl = self.loss_terms(x, training=True)
            loss = ops.mean(reconstruction + self.beta * kl)
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply(gradients, self.trainable_weights)
        return self._track(loss, reconstruction, kl)

    def test_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        reconstruction, kl = self.loss_terms(x, training=False)
        return self._track(ops.mean(reconstruction + self.beta * kl), reconstruction, kl)

    def _track(self, loss, reconstruction, kl):
        self.loss_tracker.update_state(loss)
        self.reconstruction_tracker.update_state(ops.mean(reconstruction))
        self.kl_tracker.update_state(ops.mean(kl))
        return {metric.name: metric.result() for metric in self.metrics}

    @property
    def metrics(self):
        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker]

    def get_config(self):
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "beta": self.beta,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        encoder = keras.saving.deserialize_keras_object(config.pop("encoder"))
        decoder = keras.saving.deserialize_keras_object(config.pop("decoder"))
        return cls(encoder, decoder, **config)


# %% [markdown]
# (`keras.losses.binary_crossentropy` averages over the last axis, the single channel, so
# summing over height and width gives the sum over the 784 pixels.) Training, with the
# test digits as validation data:

# %%
num_epochs = report.profile.pick(quick=10, full=60)
keras.utils.set_random_seed(0)
vae = VAE(build_encoder(latent_dim), build_decoder(latent_dim), seed=0)
vae.compile(optimizer=keras.optimizers.Adam(2e-3))
history = vae.fit(x_train, epochs=num_epochs, batch_size=128, validation_data=(x_test,), verbose=0)

# %%
axes = plots.history_curves(history, ["loss", "reconstruction", "kl"])
outcomes.expect("validation -ELBO (nats per digit)", history.history["val_loss"][-1],
                at_most=190.0, fmt=".0f")

# %% [markdown]
# The KL term first drops (the untrained encoder's distributions are far from the prior),
# then slowly grows as the encoder puts more information about each digit into its code:
# each digit "pays" a few nats of KL to tell the decoder where it lies in the latent
# space, and saves far more than that in reconstruction.
#
# ### The ELBO is a lower bound
#
# With several codes $z_1, \dots, z_K$ drawn from $q(z\mid x)$ and the weights
# $w_k = p(x\mid z_k)\,p(z_k)/q(z_k\mid x)$, the average of $\log w_k$ estimates the ELBO,
# while $\log \frac1K \sum_k w_k$ estimates $\log p(x)$ itself (importance sampling), and
# by Jensen's inequality it is always the larger of the two. The difference estimates the
# gap $\mathrm{KL}(q(z\mid x)\,\|\,p(z\mid x))$.

# %%
def log_weights(vae, x, num_samples=64, seed=0):
    """log w_k for K codes per digit: (n, K)."""
    z_mean, z_log_var = (np.asarray(t, dtype=np.float64) for t in vae.encoder(x))
    std = np.exp(0.5 * z_log_var)
    epsilon = np.random.default_rng(seed).standard_normal((num_samples, *z_mean.shape))
    z = z_mean + std * epsilon                                                  # (K, n, latent)
    x_hat = vae.decoder.predict(z.reshape(-1, z.shape[-1]).astype("float32"), verbose=0, batch_size=2000)
    x_hat = np.clip(x_hat.reshape(num_samples, len(x), -1), 1e-7, 1 - 1e-7).astype(np.float64)
    pixels = x.reshape(1, len(x), -1)
    log_likelihood = np.sum(pixels * np.log(x_hat) + (1 - pixels) * np.log(1 - x_hat), axis=-1)
    log_prior = scipy.stats.norm.logpdf(z).sum(axis=-1)
    log_posterior = scipy.stats.norm.logpdf(z, z_mean, std).sum(axis=-1)
    return (log_likelihood + log_prior - log_posterior).T


# %%
weights = log_weights(vae, x_test[:300])
elbo_estimate = weights.mean(axis=1)
log_p_estimate = scipy.special.logsumexp(weights, axis=1) - np.log(weights.shape[1])
print(f"-ELBO ≈ {-elbo_estimate.mean():.1f} nats, -log p(x) ≈ {-log_p_estimate.mean():.1f} nats (300 test digits)")
outcomes.expect("gap between -ELBO and -log p(x) (nats)", np.mean(log_p_estimate - elbo_estimate),
                at_least=0.0, fmt=".1f")

# %% [markdown]
# Saving and loading: the registered class, its configuration and the weights (the
# optimizer's state too, so training could resume) go into one `.keras` file, here in the
# course's cache folder. The model builds itself when it is created (last line of
# `__init__`), so every weight is in place when it is saved. `safe_mode=True`, the default, refuses files that would run
# arbitrary code (`Lambda` layers); ours has none.

# %%
path = data.cache_dir() / "notebook13_vae.keras"
vae.save(path)
reloaded = keras.saving.load_model(path, safe_mode=True)
probe = np.random.default_rng(0).standard_normal((5, latent_dim)).astype("float32")
same = np.allclose(reloaded.decoder(probe), vae.decoder(probe), atol=1e-6)
print("reloaded:", type(reloaded).__name__, "| same decoder outputs:", same)
assert isinstance(reloaded, VAE) and same

# %% [markdown]
# ## 6. The latent space
#
# The codes (the means $\mu(x)$) of the test digits, coloured by digit, with the circles
# that hold 39 % and 86 % of the prior's mass (radius 1 and 2):

# %%
codes = vae.encoder.predict(x_test, verbose=0)[0]
fig, ax = plt.subplots(figsize=(5, 4.2))
points = ax.scatter(codes[:, 0], codes[:, 1], c=y_test, cmap="tab10", s=5, vmin=-0.5, vmax=9.5)
for radius in (1, 2):
    ax.add_patch(plt.Circle((0, 0), radius, fill=False, color="black", ls="--", zorder=3))
colorbar = fig.colorbar(points, ticks=range(10), label="digit")
labels = ax.set(xlabel="$z_1$", ylabel="$z_2$", title="VAE codes of the test digits", aspect="equal")

# %% [markdown]
# Unlike the autoencoder's islands, the codes fill a round region around the origin, and
# the digits' regions touch. Decoding a regular grid of the latent space (spaced by the
# prior's quantiles, so each cell holds the same prior mass) in one batched `predict`:

# %%
quantiles = scipy.stats.norm.ppf(np.linspace(0.05, 0.95, 15))
grid = np.array([[z1, z2] for z2 in quantiles[::-1] for z1 in quantiles], dtype="float32")
decoded = vae.decoder.predict(grid, verbose=0).reshape(15, 15, 28, 28)
fig, ax = plt.subplots(figsize=(6, 6))
ax.imshow(decoded.transpose(0, 2, 1, 3).reshape(15 * 28, 15 * 28), cmap="gray")
ax.set_axis_off()
title = ax.set_title("decoded latent grid: z1 left to right, z2 bottom to top")

# %% [markdown]
# Every cell holds a digit-like image, and neighbouring cells change smoothly from one
# digit into another: there are no gaps. **Sampling** is now one line: codes from the
# prior, then the decoder.

# %%
prior_codes = np.random.default_rng(1).standard_normal((20, latent_dim)).astype("float32")
axes = plots.image_grid(vae.decoder.predict(prior_codes, verbose=0), ncols=10, size=0.8)

# %% [markdown]
# ## 7. Autoencoder latents have gaps, VAE latents do not
#
# Compare with notebook 12's autoencoder map: its codes spread over tens of units, in
# streaks with empty space between them, and its decoder never saw a code from most of the
# plane. To generate with an autoencoder we need a distribution to draw codes from. Two
# candidates: the VAE's prior $\mathcal N(0, I)$, or a Gaussian fitted afterwards to the
# autoencoder's codes of the training digits (a second, separate model of the codes).
#
# Two latent units are for drawing maps; to generate, we give an autoencoder and a VAE
# 8 latent units each, the same layers otherwise (the autoencoder's code is the encoder's
# output: no variance, no noise, no KL term), and the same training:

# %%
gen_dim = 8
gen_epochs = report.profile.pick(quick=10, full=40)
keras.utils.set_random_seed(0)
ae_encoder = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(256, activation="relu"),
                               layers.Dense(128, activation="relu"), layers.Dense(gen_dim)], name="ae_encoder")
ae_decoder = build_decoder(gen_dim)
autoencoder = keras.Sequential([ae_encoder, ae_decoder])
autoencoder.compile(optimizer=keras.optimizers.Adam(2e-3), loss="binary_crossentropy")
ae_history = autoencoder.fit(x_train, x_train, epochs=gen_epochs, batch_size=128, verbose=0)

# %%
keras.utils.set_random_seed(0)
vae_8 = VAE(build_encoder(gen_dim), build_decoder(gen_dim), seed=0)
vae_8.compile(optimizer=keras.optimizers.Adam(2e-3))
vae_8_history = vae_8.fit(x_train, epochs=gen_epochs, batch_size=128, verbose=0)

# %% [markdown]
# **Measuring samples.** The course's generative toolkit scores 1,000 generated digits
# with its own MNIST classifier (`data/mnist_classifier.keras`, 98 % test accuracy): the
# **Fréchet distance** between Gaussians fitted to the classifier's 64 features of the
# samples and of the training digits (the idea of the FID; lower is better), the share of
# samples it labels with **confidence** above 90 %, and the **smallest class share** (a
# generator that never draws some digit scores 0 %). Every measurement comes with its
# reference points: real held-out digits (the best possible), a Gaussian fitted to the
# pixels (a "model" that knows only their mean and covariance) and uniform noise. The last
# row is the course's pretrained VAE (`generative.sample("vae", n)`: a convolutional VAE
# with 8 latent units trained for 100 epochs by `scripts/train_vae.py`).

# %%
gen_prior_codes = np.random.default_rng(2).standard_normal((1000, gen_dim)).astype("float32")
ae_training_codes = ae_encoder.predict(x_train, verbose=0)
fitted_codes = np.random.default_rng(3).multivariate_normal(ae_training_codes.mean(axis=0), np.cov(ae_training_codes.T), 1000)
samples = {
    **generative.image_references(),
    "AE, codes from N(0, I)": ae_decoder.predict(gen_prior_codes, verbose=0),
    "AE, codes from fitted Gaussian": ae_decoder.predict(fitted_codes.astype("float32"), verbose=0),
    "VAE (this notebook)": vae_8.decoder.predict(gen_prior_codes, verbose=0),
    "VAE (pretrained)": generative.sample("vae", 1000),
}
scores = {name: generative.score_images(images, name) for name, images in samples.items()}
generative.print_image_scores(list(scores.values()))

# %% [markdown]
# One warning about the confident share: the classifier calls almost every uniform-noise
# image an 8 with more than 90 % confidence. A classifier is only trained to choose among
# digits, not to say "none of them", so confidence alone is easily fooled; the Fréchet
# distance and the class histogram expose the noise at once. Always read the three
# columns together.

# %%
def frechet(name):
    return scores[name].frechet


outcomes.expect("Fréchet distance, AE from the prior / VAE", frechet("AE, codes from N(0, I)") / frechet("VAE (this notebook)"), at_least=1.1)
outcomes.expect("Fréchet distance, pixel Gaussian / pretrained VAE", frechet("Gaussian fitted to pixels") / frechet("VAE (pretrained)"), at_least=2.0)
outcomes.expect("pretrained VAE's smallest class share", scores["VAE (pretrained)"].smallest_class_share, at_least=0.03, fmt=".1%")

# %%
fig, axes = plt.subplots(1, 4, figsize=(13, 2.6), sharey=True)
for ax, name in zip(axes, ["AE, codes from N(0, I)", "AE, codes from fitted Gaussian", "VAE (this notebook)", "VAE (pretrained)"], strict=True):
    generative.plot_class_histogram(scores[name], ax=ax)

# %%
names = ["AE, codes from N(0, I)", "AE, codes from fitted Gaussian", "VAE (this notebook)", "VAE (pretrained)"]
axes = plots.image_grid(np.concatenate([samples[name][:10] for name in names]), ncols=10, size=0.8)

# %% [markdown]
# Rows: the four generators of the histograms, in the same order. What the numbers say:
#
# - Drawn from the prior $\mathcal N(0, I)$, the autoencoder's codes fall in a small patch
#   of its code space: a few digits over and over, a large Fréchet distance. The VAE
#   decodes the same prior codes into all kinds of digits: its training made the prior
#   region and the codes of the data coincide (the KL term pulls every $q(z\mid x)$
#   towards $\mathcal N(0, I)$) and taught the decoder whole neighbourhoods rather than
#   points (the noise in $z$), so the region has no gaps.
# - A Gaussian fitted to the autoencoder's codes does much better than the prior: it is a
#   second generative model, of the codes, stacked on the autoencoder. Measured with the
#   classifier its samples even beat this quickly trained VAE's, because they are sharper.
#   This two-stage recipe is a real alternative (Ghosh et al., 2020); the VAE gets its
#   prior for free, in one training, and a latent space without gaps.
# - The quick VAE's samples are blurry: a decoded code is the average of all the digits
#   that could have produced it, and ten epochs of a dense network leave much of that
#   uncertainty. Convolutions and longer training (the pretrained VAE) bring the Fréchet
#   distance far below the pixel Gaussian's, with every digit represented.
#
# **Interpolation.** Pick two test digits and move along the straight line between their
# codes, in both 8-unit models. Where the autoencoder crosses regions of its code space
# that no digit occupies, the image breaks up or jumps; the VAE morphs one digit into the
# other through digit-like shapes.

# %%
# NBVAL_IGNORE_OUTPUT
chosen = x_test[:10]
widgets.interpolation_explorer(
    {"AE": ae_decoder, "VAE": vae_8.decoder},
    {"AE": ae_encoder.predict(chosen, verbose=0), "VAE": vae_8.encoder.predict(chosen, verbose=0)[0]},
    chosen,
)

# %% [markdown]
# ## 8. The β trade-off
#
# Give the KL term a weight β, $\ell_i = \text{reconstruction} + \beta\,\mathrm{KL}$ (the
# β-VAE of Higgins et al., 2017). $\beta = 1$ is the true ELBO. Other values trade the two
# terms against each other. Three short runs, identical except for β:

# %%
beta_epochs = report.profile.pick(quick=3, full=30)
beta_table = {}
for beta in (0.25, 1.0, 4.0):
    keras.utils.set_random_seed(0)
    model = VAE(build_encoder(latent_dim), build_decoder(latent_dim), beta=beta, seed=0)
    model.compile(optimizer=keras.optimizers.Adam(2e-3))
    model.fit(x_train, epochs=beta_epochs, batch_size=128, verbose=0)
    beta_table[beta] = model.evaluate(x_test, batch_size=500, verbose=0, return_dict=True)

# %% [markdown]
# ### Exercise 2 · Predict: what does β do?
#
# Before looking at the results: as β grows from 0.25 to 4, does the held-out
# **reconstruction** loss go `"up"` or `"down"`? And the **KL** term?

# %%
### BEGIN SOLUTION
reconstruction_trend = "up"
kl_trend = "down"
### END SOLUTION

# %%
exercises.check_beta_prediction(reconstruction_trend, kl_trend, beta_table)

# %%
print(f"{'beta':>6}{'reconstruction':>17}{'KL':>10}{'-ELBO (beta = 1)':>19}")
for beta, row in beta_table.items():
    cells = [outcomes.approx(value, ".1f") for value in (row["reconstruction"], row["kl"], row["reconstruction"] + row["kl"])]
    print(f"{beta:>6}{cells[0]:>17}{cells[1]:>10}{cells[2]:>19}")
outcomes.expect("KL at beta 0.25 / KL at beta 4", beta_table[0.25]["kl"] / beta_table[4.0]["kl"], at_least=1.5)

# %% [markdown]
# A small β buys reconstruction with information in the code (a large KL): sharper
# reconstructions, but codes that stray from the prior, so samples from the prior land
# where the decoder was not trained. A large β does the opposite: codes hug the prior,
# reconstructions blur, and with β large enough the encoder stops using some latent units
# at all (their KL drops to zero, "posterior collapse"). The last column scores the three
# models with the true ELBO (β = 1): the large β pays for its simpler codes with a clearly
# worse fit, while after such short training the small β and β = 1 come out close (its
# better reconstruction is paid for by the larger KL).
#
# ### Exercise 3 · Model: a better VAE in 8 epochs
#
# The VAE above reaches about 175 nats per digit with 2 latent units. Choose `latent_dim`,
# `learning_rate`, `batch_size` and `num_epochs` (at most 8) so that the same dense VAE
# reaches a held-out −ELBO of **at most 140 nats**. The check trains it with your settings
# (seed 0) and evaluates it on the test digits.

# %%
### BEGIN SOLUTION
model_latent_dim = 8
model_learning_rate = 3e-3
model_batch_size = 64
model_num_epochs = 8
### END SOLUTION

# %%
exercises.check_vae_target(model_latent_dim, model_learning_rate, model_batch_size, model_num_epochs, x_train, x_test)

# %% [markdown]
# ## Summary
#
# - A VAE is a probability model: a prior $p(z) = \mathcal N(0, I)$, a decoder
#   $p(x\mid z)$ and an encoder $q(z\mid x)$ that approximates the posterior.
# - Its loss is the negative ELBO, reconstruction (binary cross-entropy summed over
#   pixels) plus $\mathrm{KL}(q(z\mid x)\,\|\,p(z)) = \frac12\sum(\mu^2+\sigma^2-\log\sigma^2-1)$;
#   it bounds $-\log p(x)$ from above, with a gap that importance sampling measures.
# - The reparameterisation $z = \mu + \sigma\epsilon$ lets gradients flow through the
#   sampling; a Keras 3 VAE is a `keras.Model` with its own `train_step`, a
#   `SeedGenerator` for the noise and a registered configuration, so it saves to `.keras`.
# - The KL term and the noise fill the prior's region with the codes of the data: the
#   latent space has no gaps, a grid decodes to digits everywhere, interpolations morph
#   smoothly, and codes drawn from the prior decode to varied digits where an
#   autoencoder's decoder produces one or two shapes. A Gaussian fitted to an
#   autoencoder's codes is a two-stage alternative.
# - Sample quality is measured against reference points: a Fréchet distance in a
#   classifier's feature space, a confident share and a class histogram. The pretrained
#   VAE beats a Gaussian fitted to the pixels by far and draws every digit.
# - β weighs reconstruction against KL: larger β, blurrier reconstructions and codes
#   closer to the prior.
#
# ## Further reading
#
# - D. P. Kingma and M. Welling (2014), *Auto-encoding variational Bayes*, ICLR.
# - D. J. Rezende, S. Mohamed and D. Wierstra (2014), *Stochastic backpropagation and approximate inference in deep generative models*, ICML.
# - D. P. Kingma and M. Welling (2019), *An introduction to variational autoencoders*, Foundations and Trends in Machine Learning.
# - I. Higgins et al. (2017), *β-VAE: learning basic visual concepts with a constrained variational framework*, ICLR.
# - Y. Burda, R. Grosse and R. Salakhutdinov (2016), *Importance weighted autoencoders*, ICLR.
# - M. Heusel et al. (2017), *GANs trained by a two time-scale update rule converge to a local Nash equilibrium* (the FID).
# - P. Ghosh, M. S. M. Sajjadi, A. Vergari, M. Black and B. Schölkopf (2020), *From variational to deterministic autoencoders*, ICLR.
