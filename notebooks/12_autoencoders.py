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
# # 12 · Autoencoders
#
# **Purpose:** learn compact codes of data without labels, from PCA to deep autoencoders
# and their regularised variants, and put the codes to work.
#
# **After this notebook you can**
# - tell a generative from a discriminative model, and classify with a generative one
#   through Bayes' rule;
# - compute PCA with the SVD and relate it to what a linear autoencoder learns;
# - build bottleneck and stacked autoencoders, and regularise an autoencoder with an L1
#   penalty on its code (sparse), noisy inputs (denoising) or a Jacobian penalty
#   (contractive);
# - use an autoencoder's code as features for classification with few labels, and its
#   reconstruction error to detect anomalies, with a ROC curve;
# - explore a 2-D code space and see why decoding points between the classes fails.
#
# **Expected run time:** about 35 s on a 2-core CPU with AVX-512; about 75 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

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
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve

from course_lib import data, generative, outcomes, plots, widgets
from course_lib.exercises import autoencoders as exercises

# %% [markdown]
# We use the 4,000 embedded MNIST training digits without their labels (until section 8)
# and keep the 1,000 test digits to measure. Dense networks read a digit as a vector of
# 784 pixel values in [0, 1].

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
x_train_flat, x_test_flat = x_train.reshape(-1, 784), x_test.reshape(-1, 784)
print("train", x_train_flat.shape, "test", x_test_flat.shape)

# %% [markdown]
# ## 2. Generative versus discriminative models
#
# A classifier needs $P(y \mid x)$, the probability of class $y$ given the input $x$.
# There are two ways to get it:
#
# - a **discriminative** model learns $P(y \mid x)$ directly (logistic regression, an MLP,
#   a CNN);
# - a **generative** model learns how the data is produced, the class prior $P(y)$ and the
#   class-conditional density $P(x \mid y)$, that is the joint $P(x, y) = P(y)P(x \mid y)$,
#   and classifies with **Bayes' rule**:
#
# $$P(y \mid x) = \frac{P(y)\,P(x \mid y)}{P(x)}, \qquad P(x) = \sum_{y'} P(y')\,P(x \mid y').$$
#
# Posterior = prior × likelihood / evidence. A tiny example: tell zeros from ones by a
# single number, the **ink** of a digit (its mean pixel value). Our generative model:
# the share of each class, and a Gaussian for the ink of each class.

# %%
is_zero_or_one = y_train < 2
ink = x_train[is_zero_or_one].mean(axis=(1, 2, 3)).astype(np.float64)
digit = y_train[is_zero_or_one]
prior = np.array([np.mean(digit == c) for c in (0, 1)])
ink_mean = np.array([ink[digit == c].mean() for c in (0, 1)])
ink_std = np.array([ink[digit == c].std() for c in (0, 1)])
print("P(y):", prior.round(3), "| mean ink:", ink_mean.round(3), "| std:", ink_std.round(3))

# %% [markdown]
# A digit with ink $x = 0.1$: which digit is it?

# %%
x_ink = 0.1
likelihood = scipy.stats.norm.pdf(x_ink, ink_mean, ink_std)   # P(x | y) for y = 0, 1
evidence = np.sum(prior * likelihood)                          # P(x)
posterior = prior * likelihood / evidence                      # P(y | x)
print("likelihoods", likelihood.round(3), "evidence", evidence.round(3), "posterior", posterior.round(3))

# %% [markdown]
# A discriminative model fits $P(y=1 \mid x)$ directly as a logistic curve, without
# modelling the ink of each class (weakly regularised, `C=100`, because the single feature
# is small). On this easy problem both put the decision boundary, where the posterior is
# one half, at nearly the same ink; only the generative one can also **draw new
# examples** (here, new ink values). Generating whole digits is what the rest of this
# notebook and notebooks 13-15 work towards.

# %%
discriminative = LogisticRegression(C=100).fit(ink[:, None], digit)
grid = np.linspace(0.0, 0.3, 3001)
generative_posterior = prior[1] * scipy.stats.norm.pdf(grid, ink_mean[1], ink_std[1])
generative_posterior /= sum(prior[c] * scipy.stats.norm.pdf(grid, ink_mean[c], ink_std[c]) for c in (0, 1))
between = (grid > ink_mean[1]) & (grid < ink_mean[0])
bayes_boundary = grid[between][np.argmin(np.abs(generative_posterior[between] - 0.5))]
logistic_boundary = -discriminative.intercept_[0] / discriminative.coef_[0, 0]
print(f"decision boundary: generative ≈ {bayes_boundary:.3f}, discriminative ≈ {logistic_boundary:.3f}")

# %%
new_inks = np.random.default_rng(0).normal(ink_mean[1], ink_std[1], size=3)
print("three new 'ones' drawn from P(x | y=1):", new_inks.round(3))

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.4))
for c in (0, 1):
    ax.hist(ink[digit == c], bins=30, range=(0, 0.3), density=True, alpha=0.4, label=f"ink of {c}s")
twin = ax.twinx()
twin.plot(grid, generative_posterior, color="black", label="generative: Bayes' rule")
twin.plot(grid, discriminative.predict_proba(grid[:, None])[:, 1], "--", color="crimson", label="discriminative: logistic")
twin.set(ylabel="P(y = 1 | ink)", ylim=(0, 1.05))
ax.set(xlabel="ink (mean pixel value)", ylabel="density")
legend = fig.legend(loc="lower center", ncol=4, fontsize=8, bbox_to_anchor=(0.5, -0.08))

# %% [markdown]
# ## 3. Principal component analysis
#
# Unsupervised learning looks for structure in the inputs alone. The oldest tool is
# **PCA**: rotate the data so that the first axis follows the direction of largest
# variance, the second the largest remaining one, and so on; keep the first $k$ axes.
# With the centred data matrix $\tilde X = X - \mathbf 1 \mu^\top$ ($n \times d$) and its
# singular value decomposition
#
# $$\tilde X = U S V^\top,$$
#
# the **principal components** are the rows of $V^\top$ (orthonormal directions, sorted
# by the singular values $s_1 \ge s_2 \ge \dots$), and the variance along component $j$ is
# $s_j^2/(n-1)$. With $V_k$ the first $k$ rows of $V^\top$ (a $k \times d$ matrix), a digit
# is **encoded** by its $k$ coordinates $c = V_k (x - \mu)$ and **decoded** by
# $\hat x = \mu + V_k^\top c$. Among all $k$-dimensional linear codes, this one has the
# smallest squared reconstruction error (the Eckart-Young theorem).
#
# ### Exercise 1 · Implement: PCA with the SVD
#
# Write `principal_components(x, k)` for data `x` of shape `(n, d)`: return the mean
# `(d,)` and the first `k` principal components as the rows of a `(k, d)` array. Use
# `np.linalg.svd(..., full_matrices=False)`.

# %%
def principal_components(x, k):
    ### BEGIN SOLUTION
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    return mean, vt[:k]
    ### END SOLUTION


# %%
exercises.check_pca(principal_components)

# %% [markdown]
# Our own version, applied to the 4,000 training digits: how much of the variance do the
# first components hold?

# %%
mean_digit = x_train_flat.mean(axis=0).astype(np.float64)
_, singular_values, vt = np.linalg.svd(x_train_flat - mean_digit, full_matrices=False)
explained = np.cumsum(singular_values**2) / np.sum(singular_values**2)
for k in (2, 16, 64):
    print(f"{k:>2} components keep {explained[k - 1]:.0%} of the variance")

# %%
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(np.arange(1, 201), explained[:200])
ax.set(xlabel="number of components k", ylabel="share of variance kept", ylim=(0, 1))
marker = ax.axvline(16, color="0.5", ls="--")


# %% [markdown]
# Reconstructions with 2, 16 and 64 components (top row: the originals):

# %%
def pca_reconstruct(x_flat, k):
    codes = (x_flat - mean_digit) @ vt[:k].T          # (n, k)
    return codes @ vt[:k] + mean_digit                # (n, 784)


rows = [x_test_flat[:8]] + [pca_reconstruct(x_test_flat[:8], k) for k in (2, 16, 64)]
axes = plots.image_grid(np.concatenate(rows).reshape(-1, 28, 28).clip(0, 1), ncols=8, size=0.9)

# %%
pca_errors = {k: np.mean((pca_reconstruct(x_test_flat, k) - x_test_flat) ** 2) for k in (16, 32)}
print("PCA test MSE:", {k: round(float(error), 4) for k, error in pca_errors.items()})

# %% [markdown]
# ## 4. PCA versus a linear autoencoder
#
# An **autoencoder** is a network trained to output its own input: an **encoder**
# $h = f(x)$ computes a code, a **decoder** $\hat x = g(h)$ reconstructs, and the loss is the
# reconstruction error $\lVert g(f(x)) - x\rVert^2$. Copying is trivial unless the network is
# constrained; the first constraint is a **bottleneck**, a code smaller than the input.
#
# With linear layers and 16 code units, the autoencoder is a linear code of size 16, like
# PCA-16, but found by gradient descent instead of an SVD:

# %%
linear_ae = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(16, name="encoder"),     # h = W_enc x + b_enc, no activation
    layers.Dense(784, name="decoder"),    # x_hat = W_dec h + b_dec
], name="linear_autoencoder")
linear_ae.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")

# %%
linear_epochs = report.profile.pick(quick=25, full=100)
linear_ae.fit(x_train_flat, x_train_flat, epochs=linear_epochs, batch_size=64, verbose=0)
linear_mse = linear_ae.evaluate(x_test_flat, x_test_flat, verbose=0)
print(f"linear autoencoder test MSE ≈ {linear_mse:.4f} (PCA-16: {pca_errors[16]:.4f})")
outcomes.expect("linear AE's MSE / PCA-16's", linear_mse / pca_errors[16], at_least=0.95, at_most=1.05)

# %% [markdown]
# ### Exercise 2 · Predict: what did the decoder learn?
#
# The decoder's 16 weight vectors (the rows of its `(16, 784)` kernel) span the space of
# all its reconstructions, up to the bias. Before looking, predict what they are:
#
# - **a**: the 16 principal components themselves (up to sign);
# - **b**: a different basis of the same 16-dimensional subspace as PCA's;
# - **c**: a different subspace.
#
# Set `prediction` to `"a"`, `"b"` or `"c"`; the check measures the answer.

# %%
### BEGIN SOLUTION
prediction = "b"
### END SOLUTION

# %%
decoder_vectors = linear_ae.get_layer("decoder").get_weights()[0]    # (16, 784)
exercises.check_linear_ae_prediction(prediction, decoder_vectors, vt[:16])

# %% [markdown]
# Two subspaces are compared by their **principal angles**: 0° everywhere means the same
# subspace. SciPy computes them:

# %%
angles = np.degrees(scipy.linalg.subspace_angles(decoder_vectors.T, vt[:16].T))
outcomes.expect("largest principal angle to PCA-16 (degrees)", angles.max(), at_most=10.0, fmt=".1f")
unit_vectors = decoder_vectors / np.linalg.norm(decoder_vectors, axis=1, keepdims=True)
print(f"largest |cosine| of each decoder vector with any component ≈ {np.abs(unit_vectors @ vt[:16].T).max(axis=1).mean():.2f} on average")

# %% [markdown]
# Same subspace, different basis: the reconstruction $W_{dec}W_{enc}x$ does not change if
# the code is mixed by any invertible $16\times16$ matrix $A$ ($W_{dec}A^{-1}$ and
# $AW_{enc}$), so the loss cannot prefer PCA's orthonormal, variance-sorted basis. The
# decoder vectors look like blurry mixtures of the components:

# %%
pictures = np.concatenate([vt[:8], unit_vectors[:8]]).reshape(-1, 28, 28)
axes = plots.image_grid(pictures, [f"PC {i + 1}" for i in range(8)] + [f"dec {i + 1}" for i in range(8)],
                        ncols=8, cmap="coolwarm", size=0.9)

# %% [markdown]
# ## 5. Deep autoencoders: bottleneck and stacked
#
# With non-linear layers the encoder can bend the data onto a curved surface, so a deep
# autoencoder can do better than any linear code of the same size. A **bottleneck**
# autoencoder 784 → 128 → 32 → 128 → 784, ReLU inside and a sigmoid on the output so
# pixels stay in [0, 1]:

# %%
def dense_autoencoder(code_size=32, hidden=128):
    encoder = keras.Sequential([keras.Input((784,)), layers.Dense(hidden, activation="relu"),
                                layers.Dense(code_size, activation="relu")], name="encoder")
    decoder = keras.Sequential([keras.Input((code_size,)), layers.Dense(hidden, activation="relu"),
                                layers.Dense(784, activation="sigmoid")], name="decoder")
    autoencoder = keras.Sequential([encoder, decoder], name="autoencoder")
    autoencoder.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")
    return encoder, decoder, autoencoder


# %%
deep_epochs = report.profile.pick(quick=10, full=100)
encoder, decoder, bottleneck_ae = dense_autoencoder()
bottleneck_ae.fit(x_train_flat, x_train_flat, epochs=deep_epochs, batch_size=128, verbose=0)
deep_mse = bottleneck_ae.evaluate(x_test_flat, x_test_flat, verbose=0)
print(f"deep autoencoder, 32 code units: test MSE ≈ {deep_mse:.4f} (PCA-32: {pca_errors[32]:.4f})")

# %% [markdown]
# After a few seconds of training it is not yet as good as the best linear code of the
# same size; with longer training it overtakes it (`COURSE_PROFILE=full` trains 100
# epochs). Its code is no longer a projection: the decoder is a curved map from 32
# numbers to images, which a linear code cannot be.

# %% [markdown]
# The lectures recall how deep autoencoders were first trained: **stacked**, one layer at
# a time. Train a shallow autoencoder 784 → 128 → 784; use its 128 codes as the data of a
# second one 128 → 32 → 128; stack the two encoders and the two decoders; then
# **fine-tune** the whole stack jointly.

# %%
stack_epochs = report.profile.pick(quick=4, full=30)
first_encoder, first_decoder = layers.Dense(128, activation="relu"), layers.Dense(784, activation="sigmoid")
first = keras.Sequential([keras.Input((784,)), first_encoder, first_decoder])
first.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")
first.fit(x_train_flat, x_train_flat, epochs=stack_epochs, batch_size=128, verbose=0)
hidden_codes = first_encoder(x_train_flat).numpy()                 # (4000, 128): the new data

# %%
second_encoder, second_decoder = layers.Dense(32, activation="relu"), layers.Dense(128, activation="relu")
second = keras.Sequential([keras.Input((128,)), second_encoder, second_decoder])
second.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")
second_history = second.fit(hidden_codes, hidden_codes, epochs=stack_epochs, batch_size=128, verbose=0)

# %%
stacked = keras.Sequential([keras.Input((784,)), first_encoder, second_encoder, second_decoder, first_decoder])
stacked.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
before = stacked.evaluate(x_test_flat, x_test_flat, verbose=0)
stacked.fit(x_train_flat, x_train_flat, epochs=stack_epochs, batch_size=128, verbose=0)
after = stacked.evaluate(x_test_flat, x_test_flat, verbose=0)
print(f"stacked test MSE: ≈ {before:.4f} after greedy training, ≈ {after:.4f} after fine-tuning")
outcomes.expect("fine-tuning's gain (MSE before / after)", before / after, at_least=1.1)

# %% [markdown]
# Greedy stacking gives a usable starting point and fine-tuning improves it. With ReLU
# units and Adam, training the deep network jointly from the start, as in the bottleneck
# autoencoder above, works as well: layer-wise pretraining is rarely needed today.

# %% [markdown]
# ## 6. Sparse autoencoders
#
# Instead of a narrow code, give the network **more** code units than it needs
# (overcomplete, here 256) but make it pay for using them: add an **L1 penalty** on the
# code $a = f(x)$,
#
# $$\min_\theta\ \lVert g(f(x)) - x \rVert^2 + \lambda \sum_i |a_i|.$$
#
# Most units are then exactly zero for a given digit (ReLU), and the network chooses how
# many to use: its own "intrinsic dimension" per input. Keras adds the penalty with an
# `activity_regularizer`, averaged over the batch (the reconstruction term is the mean over
# the 784 pixels, which sets the scale of $\lambda$).

# %%
def sparse_autoencoder(l1_weight, code_size=256):
    model = keras.Sequential([
        keras.Input((784,)),
        layers.Dense(code_size, activation="relu", activity_regularizer=keras.regularizers.L1(l1_weight), name="code"),
        layers.Dense(784, activation="sigmoid", name="reconstruction"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse")
    return model


# %%
sparse_epochs = report.profile.pick(quick=4, full=20)
sparse_models = {}
for l1_weight in (0.0, 1e-3):
    keras.utils.set_random_seed(0)
    sparse_models[l1_weight] = sparse_autoencoder(l1_weight)
    sparse_models[l1_weight].fit(x_train_flat, x_train_flat, epochs=sparse_epochs, batch_size=128, verbose=0)

# %%
sparsity = {l1: exercises.sparsity_and_error(model, x_test_flat) for l1, model in sparse_models.items()}
for l1_weight, (active, error) in sparsity.items():
    print(f"lambda = {l1_weight:g}: ≈ {active:.0%} of the 256 units active per digit, test MSE ≈ {error:.4f}")
outcomes.expect("active units, with / without the L1 penalty", sparsity[1e-3][0] / sparsity[0.0][0], at_most=0.3)

# %% [markdown]
# The penalty switches most units off, at the price of a worse reconstruction. Each
# decoder weight vector is what one active unit adds to the image. With so few units on
# per digit, each must carry a lot: the strongest ones look like templates of whole digits
# or of large strokes, which a digit combines a few at a time:

# %%
strongest = np.argsort(-np.linalg.norm(sparse_models[1e-3].get_layer("reconstruction").get_weights()[0], axis=1))[:16]
parts = sparse_models[1e-3].get_layer("reconstruction").get_weights()[0][strongest].reshape(-1, 28, 28)
axes = plots.image_grid(parts, ncols=8, cmap="coolwarm", size=0.9)

# %% [markdown]
# ### Exercise 3 · Model: a sparse yet accurate code
#
# Choose `l1_weight` (λ) and `num_epochs` (at most 10) so that the sparse autoencoder
# above (256 ReLU code units, batch 64, seed 0) keeps **at most 15 %** of its code units
# active on an average test digit **and** reaches a test MSE of **at most 0.02**. The
# check trains `sparse_autoencoder(l1_weight)` with your settings and measures both.

# %%
### BEGIN SOLUTION
l1_weight = 3e-4
num_epochs = 10
### END SOLUTION

# %%
exercises.check_sparse_target(sparse_autoencoder, l1_weight, num_epochs, x_train_flat, x_test_flat)

# %% [markdown]
# ## 7. Denoising autoencoders
#
# Another way to stop an autoencoder from copying: give it a **corrupted** input
# $\tilde x \sim \mathcal N(x, \sigma^2 I)$ (clipped to [0, 1] here) and ask for the clean
# $x$ (Vincent et al., 2010). The network must learn what digits look like in order to
# remove the noise: in effect, a vector field that points from noisy inputs back towards
# the data.

# %%
noise_std = 0.5
rng = np.random.default_rng(0)
noisy_train = np.clip(x_train_flat + noise_std * rng.standard_normal(x_train_flat.shape), 0, 1).astype("float32")
noisy_test = np.clip(x_test_flat + noise_std * rng.standard_normal(x_test_flat.shape), 0, 1).astype("float32")

# %%
denoising_epochs = report.profile.pick(quick=10, full=100)
_, _, denoising_ae = dense_autoencoder()
denoising_history = denoising_ae.fit(noisy_train, x_train_flat, epochs=denoising_epochs, batch_size=128, verbose=0)   # noisy in, clean out

# %%
errors_on_noisy = {
    "noisy input itself": np.mean((noisy_test - x_test_flat) ** 2),
    "bottleneck AE (trained clean)": bottleneck_ae.evaluate(noisy_test, x_test_flat, verbose=0),
    "denoising AE": denoising_ae.evaluate(noisy_test, x_test_flat, verbose=0),
}
for name, error in errors_on_noisy.items():
    print(f"{name:<30} MSE to the clean digits ≈ {error:.4f}")
outcomes.expect("denoising AE's error / bottleneck AE's, on noisy digits",
                errors_on_noisy["denoising AE"] / errors_on_noisy["bottleneck AE (trained clean)"], at_most=0.85)

# %%
rows = [x_test_flat[:8], noisy_test[:8], bottleneck_ae.predict(noisy_test[:8], verbose=0),
        denoising_ae.predict(noisy_test[:8], verbose=0)]
axes = plots.image_grid(np.concatenate(rows).reshape(-1, 28, 28), ncols=8, size=0.9)

# %% [markdown]
# Rows: clean digits, noisy inputs, the bottleneck autoencoder's output, the denoising
# autoencoder's output. The plain autoencoder was never shown noise and passes much of it
# through; the denoising one returns clean strokes.

# %% [markdown]
# ## 8. Contractive autoencoders
#
# A **contractive** autoencoder (Rifai et al., 2011) penalises how much the code moves when
# the input moves: the squared Frobenius norm of the encoder's Jacobian
# $J(x) = \partial f(x) / \partial x$,
#
# $$\min_\theta\ \sum_i \lVert g(f(x_i)) - x_i\rVert^2 + \lambda\,\lVert J(x_i)\rVert_F^2,
# \qquad \lVert J(x)\rVert_F^2 = \sum_k \sum_j \Big(\frac{\partial f_k(x)}{\partial x_j}\Big)^2 .$$
#
# Directions in which the data varies are needed for reconstruction and survive; all other
# directions get contracted. For a **sigmoid encoder layer** $h = \sigma(W^\top x + b)$
# (Keras's kernel $W$ is `(inputs, units)`), $\partial h_k/\partial x_j = h_k(1-h_k)W_{jk}$,
# so the penalty has a closed form:
#
# $$\lVert J(x)\rVert_F^2 = \sum_k \big(h_k(1-h_k)\big)^2 \sum_j W_{jk}^2 .$$
#
# It costs one extra product per batch. Automatic differentiation would need one backward
# pass per code unit (64 here) for every digit, and then a gradient of that, so the closed
# form is the practical choice whenever the encoder is a single layer.
#
# ### Exercise 4 · Implement: the contractive penalty
#
# Write `contractive_penalty(codes, kernel)`: `codes` is `(batch, units)` (the sigmoid
# outputs $h$), `kernel` is `(inputs, units)`; return $\lVert J\rVert_F^2$ for each example,
# shape `(batch,)`. Use NumPy.

# %%
def contractive_penalty(codes, kernel):
    ### BEGIN SOLUTION
    return np.sum((codes * (1 - codes)) ** 2 * np.sum(kernel**2, axis=0), axis=1)
    ### END SOLUTION


# %%
exercises.check_contractive_penalty(contractive_penalty)

# %% [markdown]
# The autoencoder writes the same formula with `keras.ops` inside its own `train_step`,
# so the penalty's gradient flows into the encoder's weights:

# %%
class ContractiveAutoencoder(keras.Model):
    def __init__(self, code_size=64, contraction=0.0, **kwargs):
        super().__init__(**kwargs)
        self.encoder = layers.Dense(code_size, activation="sigmoid")
        self.decoder = layers.Dense(784, activation="sigmoid")
        self.contraction = contraction

    def call(self, x):
        return self.decoder(self.encoder(x))

    def jacobian_norm(self, h):            # ||J||_F^2 per example, in closed form
        return ops.sum(ops.square(h * (1 - h)) * ops.sum(ops.square(self.encoder.kernel), axis=0), axis=1)

    def train_step(self, data):
        x, target = data
        with tf.GradientTape() as tape:
            h = self.encoder(x)
            reconstruction = ops.mean(ops.square(self.decoder(h) - target))
            penalty = ops.mean(self.jacobian_norm(h))
            loss = reconstruction + self.contraction * penalty
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply(gradients, self.trainable_weights)
        return {"loss": loss, "reconstruction": reconstruction, "jacobian": penalty}


# %%
contractive_epochs = report.profile.pick(quick=4, full=30)
contractive = {}
for contraction in (0.0, 0.03):
    keras.utils.set_random_seed(0)
    contractive[contraction] = ContractiveAutoencoder(contraction=contraction)
    contractive[contraction].compile(optimizer=keras.optimizers.Adam(1e-2))
    contractive[contraction].fit(x_train_flat, x_train_flat, epochs=contractive_epochs, batch_size=128, verbose=0)

# %% [markdown]
# First, the closed form against TensorFlow's full Jacobian on three test digits:

# %%
model = contractive[0.03]
inputs = tf.constant(x_test_flat[:3])
with tf.GradientTape() as tape:
    tape.watch(inputs)
    codes = model.encoder(inputs)
jacobian = tape.batch_jacobian(codes, inputs)                        # (3, 64, 784)
closed_form = model.jacobian_norm(codes).numpy()
same = np.allclose(closed_form, np.sum(jacobian.numpy() ** 2, axis=(1, 2)), rtol=1e-4)
print("closed form equals autodiff:", same)
assert same

# %% [markdown]
# Then the effect of the penalty: the size of the Jacobian on test digits, how far the
# code moves when a digit receives a little noise (σ = 0.05), and the reconstruction error.

# %%
small_noise = 0.05 * np.random.default_rng(1).standard_normal(x_test_flat.shape).astype("float32")
code_shifts = {}
for contraction, model in contractive.items():
    codes = model.encoder(x_test_flat)
    shifted = model.encoder(x_test_flat + small_noise)
    jacobian_size = np.mean(model.jacobian_norm(codes))
    code_shift = np.mean(np.linalg.norm(shifted - codes, axis=1))
    error = np.mean((model(x_test_flat) - x_test_flat) ** 2)
    print(f"lambda = {contraction:<5}: ||J||_F^2 ≈ {jacobian_size:.2f}, code shift ≈ {code_shift:.3f}, MSE ≈ {error:.4f}")
    code_shifts[contraction] = code_shift
outcomes.expect("code shift, contractive / plain", code_shifts[0.03] / code_shifts[0.0], at_most=0.5)

# %% [markdown]
# The penalty shrinks the Jacobian and the code's response to small input changes
# several-fold, at the price of a larger reconstruction error: the code keeps the
# directions along which digits really vary and becomes insensitive to the others.

# %% [markdown]
# ## 9. Autoencoder features for classification
#
# The code is a compact description of a digit learned from unlabelled data. When labels
# are scarce, a classifier can read the code instead of the pixels (or both, side by side).
# Ten labelled digits per class, a logistic regression on three representations of the
# same digits, each scaled to unit overall spread:

# %%
labelled = np.concatenate([np.flatnonzero(y_train == d)[:10] for d in range(10)])   # 100 labels
representations = {
    "784 pixels": (x_train_flat, x_test_flat),
    "32 PCA coordinates": ((x_train_flat - mean_digit) @ vt[:32].T, (x_test_flat - mean_digit) @ vt[:32].T),
    "32-unit autoencoder code": (encoder.predict(x_train_flat, verbose=0), encoder.predict(x_test_flat, verbose=0)),
}
few_label_accuracy = {}
for name, (train, test) in representations.items():
    scale = train.std()
    classifier = LogisticRegression(max_iter=1000).fit(train[labelled] / scale, y_train[labelled])
    few_label_accuracy[name] = classifier.score(test / scale, y_test)
    print(f"{name:<26} test accuracy ≈ {few_label_accuracy[name]:.2f}")

# %%
outcomes.expect("accuracy with the code minus with the pixels",
                few_label_accuracy["32-unit autoencoder code"] - few_label_accuracy["784 pixels"], at_least=-0.08)

# %% [markdown]
# The 32 numbers carry nearly all that a linear classifier finds in the 784 pixels: a
# compression by 25 that keeps the classes apart, learned without a single label. On
# MNIST, where pixels are already a good representation, the code does not beat them;
# unsupervised features pay off when the unlabelled set is much larger than the labelled
# one and the encoder is a deep (convolutional) network, as in notebook 08's transfer
# learning.

# %% [markdown]
# ## 10. Anomaly detection by reconstruction error
#
# An autoencoder reconstructs well what resembles its training data, and badly what does
# not. Its reconstruction error is therefore an **anomaly score**: flag every input whose
# error exceeds a threshold. Our anomalies: test digits turned on their side (rotated by
# 90°), same strokes and ink, wrong shapes. The threshold is the error that 95 % of the
# training digits stay below.

# %%
def reconstruction_error(images_flat):
    return np.mean((bottleneck_ae.predict(images_flat, verbose=0) - images_flat) ** 2, axis=1)


normal_errors = reconstruction_error(x_test_flat[:500])
anomalies = np.rot90(x_test[500:], k=1, axes=(1, 2)).reshape(-1, 784)
anomaly_errors = reconstruction_error(anomalies)
threshold = np.quantile(reconstruction_error(x_train_flat), 0.95)

# %%
print(f"false alarms on normal test digits ≈ {np.mean(normal_errors > threshold):.0%}")
print(f"rotated digits detected ≈ {np.mean(anomaly_errors > threshold):.0%}")
scores = np.concatenate([normal_errors, anomaly_errors])
is_anomaly = np.concatenate([np.zeros(500), np.ones(500)])
outcomes.expect("area under the ROC curve", roc_auc_score(is_anomaly, scores), at_least=0.85)

# %% [markdown]
# The false-alarm rate on new digits is above the 5 % the threshold was set for: the
# network reconstructs the digits it was trained on a little better than new ones. A
# threshold for real use is set on held-out normal data.
#
# Moving the threshold trades false alarms against detections; the **ROC curve** shows all
# thresholds at once (scikit-learn's `roc_curve`), and the area under it is the
# probability that a random anomaly scores above a random normal digit.

# %%
false_positive_rate, true_positive_rate, _ = roc_curve(is_anomaly, scores)
fig, ax = plt.subplots(figsize=(4, 3.6))
ax.plot(false_positive_rate, true_positive_rate, label="autoencoder error")
ax.plot([0, 1], [0, 1], ":", color="0.5", label="chance")
ax.plot(np.mean(normal_errors > threshold), np.mean(anomaly_errors > threshold), "o", color="crimson", label="95 % threshold")
ax.set(xlabel="false-alarm rate", ylabel="detection rate", title="rotated digits as anomalies")
legend = ax.legend(loc="lower right", fontsize=8)

# %% [markdown]
# The anomalies the detector misses are the ones that still look like digits once rotated
# (lowest errors first):

# %%
missed = np.argsort(anomaly_errors)[:8]
axes = plots.image_grid(anomalies[missed].reshape(-1, 28, 28), [f"was {y_test[500 + i]}" for i in missed], ncols=8, size=0.9)

# %% [markdown]
# ## 11. A 2-D code space, and its gaps
#
# With two code units, every digit becomes a point in the plane, and the decoder turns any
# point of the plane into an image. Encoder 784 → 256 → 128 → 2, decoder 2 → 128 → 256 →
# 784, trained with the binary cross-entropy of the pixels:

# %%
encoder_2d = keras.Sequential([keras.Input((784,)), layers.Dense(256, activation="relu"),
                               layers.Dense(128, activation="relu"), layers.Dense(2)], name="encoder_2d")
decoder_2d = keras.Sequential([keras.Input((2,)), layers.Dense(128, activation="relu"),
                               layers.Dense(256, activation="relu"), layers.Dense(784, activation="sigmoid")], name="decoder_2d")
autoencoder_2d = keras.Sequential([encoder_2d, decoder_2d])
autoencoder_2d.compile(optimizer=keras.optimizers.Adam(2e-3), loss="binary_crossentropy")
history_2d = autoencoder_2d.fit(x_train_flat, x_train_flat, epochs=report.profile.pick(quick=8, full=60), batch_size=128, verbose=0)

# %%
codes_2d = encoder_2d.predict(x_test_flat, verbose=0)
fig, ax = plt.subplots(figsize=(5, 4.2))
points = ax.scatter(codes_2d[:, 0], codes_2d[:, 1], c=y_test, cmap="tab10", s=5, vmin=-0.5, vmax=9.5)
colorbar = fig.colorbar(points, ticks=range(10), label="digit")
labels = ax.set(xlabel="$z_1$", ylabel="$z_2$", title="2-D codes of the 1,000 test digits")

# %% [markdown]
# Each digit class occupies its own region, often a long streak, with empty space between.
# Move through the plane and watch the decoded image: inside a cluster it is a clear digit,
# between clusters it is a blend or a blot.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.latent_explorer(decoder_2d, codes_2d, y_test)


# %% [markdown]
# ### Decoding between the classes
#
# Follow the straight line from the code of a 0 to the code of a 1 and decode ten points
# on it. The course's MNIST classifier (it judges every generator in notebooks 12-15)
# labels each image, with its confidence:

# %%
start, end = codes_2d[np.flatnonzero(y_test == 0)[0]], codes_2d[np.flatnonzero(y_test == 1)[0]]
path = np.array([(1 - t) * start + t * end for t in np.linspace(0, 1, 10)], dtype="float32")
path_images = decoder_2d.predict(path, verbose=0).reshape(-1, 28, 28, 1)
_, path_probabilities = generative.classify(path_images)
titles = [f"{p.argmax()} ({p.max():.0%})" for p in path_probabilities]
axes = plots.image_grid(path_images, titles, ncols=10, size=0.95)

# %% [markdown]
# To measure the gaps, decode the midpoints of many random pairs of test digits: pairs of
# the same digit stay inside one region, pairs of different digits cross the space between
# regions. How often is the classifier confident (top class above 90 %) about the decoded
# image?

# %%
rng = np.random.default_rng(0)
first, second = rng.integers(0, len(codes_2d), size=(2, 4000))
same_digit = y_test[first] == y_test[second]
midpoints = {
    "codes of the test digits": codes_2d,
    "midpoints, same digit": (codes_2d[first[same_digit]] + codes_2d[second[same_digit]]) / 2,
    "midpoints, different digits": (codes_2d[first[~same_digit]] + codes_2d[second[~same_digit]]) / 2,
}
confident = {}
for name, codes in midpoints.items():
    _, probabilities = generative.classify(decoder_2d.predict(codes, verbose=0).reshape(-1, 28, 28, 1))
    confident[name] = generative.confident_share(probabilities)
    print(f"{name:<28} confident decodings ≈ {confident[name]:.0%}")

# %%
outcomes.expect("confident share, same-digit minus different-digit midpoints",
                confident["midpoints, same digit"] - confident["midpoints, different digits"], at_least=0.03)

# %% [markdown]
# Two numbers cannot hold a whole digit, so even the reconstructions of real digits are
# blurry and often unconvincing; but midpoints between *different* digits are clearly worse
# than midpoints inside one digit's region: between the regions the decoder blends shapes
# or draws blots.

# %% [markdown]
# The decoder was only ever trained on the codes of real digits. Nothing told it what to
# produce in between, and nothing makes the regions of different digits touch, so part of
# the plane decodes to shapes that are no digit at all. To **generate** new digits we would
# need to know where to draw codes from, and the regions to be filled without gaps: that
# is exactly what the variational autoencoder of notebook 13 adds.

# %% [markdown]
# ## Summary
#
# - A generative model learns $P(x \mid y)$ and $P(y)$ and classifies with Bayes' rule; a
#   discriminative one learns $P(y \mid x)$ directly. Only the first can produce new data.
# - PCA (centre, SVD, keep the first rows of $V^\top$) is the best linear code. A linear
#   autoencoder trained by gradient descent reaches PCA's error and spans the same
#   subspace (principal angles of a few degrees), in another basis.
# - Deep autoencoders compress better than PCA. They can be trained stacked, layer by
#   layer then fine-tuned, or jointly as is usual today.
# - Regularised autoencoders avoid learning the identity: an L1 penalty gives sparse
#   overcomplete codes, noisy inputs give a denoiser, and a Jacobian penalty (closed form
#   for a sigmoid layer) gives codes that barely move under small input changes.
# - Codes learned without labels feed a classifier with few labels (on MNIST about as well
#   as the pixels, from 25 times fewer numbers), and the reconstruction error detects
#   anomalies (ROC area around 0.9 for rotated digits).
# - An autoencoder's code space has gaps between the classes where the decoder produces
#   no digit: fine for compression, not for generation.
#
# ## Further reading
#
# - G. E. Hinton and R. R. Salakhutdinov (2006), *Reducing the dimensionality of data with neural networks*, Science.
# - P. Baldi and K. Hornik (1989), *Neural networks and principal component analysis: learning from examples without local minima*.
# - P. Vincent, H. Larochelle, I. Lajoie, Y. Bengio and P.-A. Manzagol (2010), *Stacked denoising autoencoders*, JMLR.
# - S. Rifai, P. Vincent, X. Muller, X. Glorot and Y. Bengio (2011), *Contractive auto-encoders: explicit invariance during feature extraction*, ICML.
# - A. Ng, *Sparse autoencoder*, CS294A lecture notes (2011).
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, chapter 14 (autoencoders).
