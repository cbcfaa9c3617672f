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
# # 15 · Diffusion models
#
# **Purpose:** generate data by learning to undo noise: destroy samples step by step with
# Gaussian noise, train a network to predict that noise, then run the destruction
# backwards from pure noise.
#
# **After this notebook you can**
# - write the forward (noising) process of a DDPM in closed form, $q(x_t \mid x_0)$, and
#   compare the linear and the cosine noise schedules;
# - state the noise-prediction objective and train a noise-prediction network on 2-D
#   data with a hand-written, XLA-compiled training step;
# - write one step of ancestral (reverse) sampling and draw the trajectories it follows;
# - sample digits from a pretrained DDPM, and trade quality for speed with DDIM's fewer
#   deterministic steps;
# - read the same model as a stochastic differential equation, and sample the
#   reverse-time SDE with an exact score and with the learned one.
#
# **Expected run time:** about 25 s on a 2-core CPU with AVX-512; about 80 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

# %% [markdown]
# ## 1. Set-up

# %%
# NBVAL_IGNORE_OUTPUT
from course_lib import runtime

report = runtime.setup(seed=0)

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers

from course_lib import data, generative, outcomes, widgets
from course_lib.exercises import diffusion_models as exercises
from course_lib.generative import denoisers, diffusion

# %% [markdown]
# ## 2. The forward process: destroying data with noise
#
# A VAE (notebook 13) and a GAN (notebook 14) learn to turn noise into data in one pass of
# a network. A **denoising diffusion probabilistic model** (DDPM, Ho et al., 2020) takes
# many small steps instead, and each step is easy to learn. It rests on two processes
# that mirror each other:
#
# - the **forward** process adds a little Gaussian noise at each of $T$ steps, until
#   nothing of the data is left. It is fixed: nothing is learned here.
# - the **backward** (reverse) process starts from pure noise and removes a little noise
#   at each step. A network is trained so that the backward steps undo the forward ones.
#
# One forward step scales the sample down a little and adds noise of variance $\beta_t$:
#
# $$q(x_t \mid x_{t-1}) = \mathcal N\big(\sqrt{1-\beta_t}\,x_{t-1},\; \beta_t I\big),
#   \qquad t = 1, \dots, T.$$
#
# The scaling keeps the variance at 1 for data of variance 1. Since a sum of Gaussians is
# Gaussian, $T$ steps collapse into one: with $\alpha_t = 1 - \beta_t$ and
# $\bar\alpha_t = \alpha_1\alpha_2\cdots\alpha_t$,
#
# $$q(x_t \mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\,x_0,\; (1-\bar\alpha_t) I\big),
#   \qquad\text{so}\qquad x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon,
#   \quad \epsilon \sim \mathcal N(0, I).$$
#
# $\bar\alpha_t$ is the share of the signal's variance still present at step $t$. The
# list of $\beta_t$ is the **noise schedule**. Ho et al. let $\beta_t$ grow linearly from
# $10^{-4}$ to $0.02$ over $T = 1000$ steps; Nichol and Dhariwal (2021) chose
# $\bar\alpha_t$ directly, $\bar\alpha_t = f(t)/f(0)$ with
# $f(t) = \cos^2\!\big(\tfrac{t/T + s}{1+s}\cdot\tfrac{\pi}{2}\big)$ and $s = 0.008$.
# `diffusion.noise_schedule` builds both; arrays have $T + 1$ entries so that index $t$
# is step $t$ (index 0 is the clean data).

# %%
schedules = {kind: diffusion.noise_schedule(kind, 1000) for kind in ("linear", "cosine")}
for kind, schedule in schedules.items():
    shown = ", ".join(f"t={t}: {schedule.alpha_bars[t]:.4f}" for t in (100, 250, 500, 750, 1000))
    print(f"{kind:>6}  alpha_bar  {shown}")

# %% [markdown]
# The linear schedule has destroyed most of the signal by mid-way ($\bar\alpha_{500}
# \approx 0.08$): its last few hundred steps turn noise into slightly different noise. The
# cosine schedule keeps half the signal at mid-way and spends its steps more evenly.
# Both end at $\bar\alpha_T \approx 0$, which is what lets sampling start from pure noise.
#
# **The closed form is exact.** Run the chain step by step on 2,000 points of the
# 8-Gaussian ring of notebook 14 for 300 steps and compare the result with one jump of
# the closed form: means and standard deviations agree up to sampling noise.

# %%
x0 = generative.ring_data(2000, seed=3).astype(np.float64)
schedule = schedules["linear"]
rng = np.random.default_rng(0)
x = x0.copy()
for t in range(1, 301):
    x = np.sqrt(1 - schedule.betas[t]) * x + np.sqrt(schedule.betas[t]) * rng.standard_normal(x.shape)

jump = np.sqrt(schedule.alpha_bars[300]) * x0 + np.sqrt(1 - schedule.alpha_bars[300]) * rng.standard_normal(x0.shape)
print(f"300 steps:   mean of |x| ≈ {np.abs(x).mean():.3f}, std ≈ {x.std():.3f}")
print(f"closed form: mean of |x| ≈ {np.abs(jump).mean():.3f}, std ≈ {jump.std():.3f}")
outcomes.expect("std, step by step / closed form", x.std() / jump.std(), at_least=0.95, at_most=1.05)

# %% [markdown]
# **Explore the schedules.** Pick a schedule, the number of steps $T$ and a moment $t/T$:
# the left panel shows $\bar\alpha_t$ for both schedules, the right one a test digit
# after $t$ forward steps (pixels scaled to $[-1, 1]$, one fixed draw of the noise). Look
# for the $t$ at which you can no longer read the digit with each schedule.

# %%
# NBVAL_IGNORE_OUTPUT
(_, _), (x_test, y_test) = data.load_mnist()
widgets.noise_schedule_explorer(x_test[0])

# %% [markdown]
# ## 3. Learning to undo one step: the noise-prediction objective
#
# Going backwards needs $q(x_{t-1} \mid x_t)$, which depends on the whole data
# distribution. But when $\beta_t$ is small it is close to a Gaussian, and *given* $x_0$
# it is exactly one:
#
# $$q(x_{t-1}\mid x_t, x_0) = \mathcal N\big(\tilde\mu_t, \tilde\beta_t I\big),\quad
#   \tilde\mu_t = \frac{1}{\sqrt{\alpha_t}}\Big(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,\epsilon\Big),
#   \quad \tilde\beta_t = \beta_t\,\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t},$$
#
# where $\epsilon$ is the noise that took $x_0$ to $x_t$. The only unknown is $\epsilon$.
# So a DDPM trains a network $\hat\epsilon_\theta(x_t, t)$ to **predict the noise** in a
# noised sample. Ho et al. showed that the variational bound on the likelihood reduces,
# up to weights they drop, to the plain regression
#
# $$L(\theta) = \mathbb E_{x_0,\;t\sim U\{1..T\},\;\epsilon\sim\mathcal N(0,I)}
#   \Big[\big\lVert \epsilon - \hat\epsilon_\theta\big(\sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon,\; t\big)\big\rVert^2\Big].$$
#
# A training step: take a batch of data, draw one step $t$ and one noise $\epsilon$ per
# example, build $x_t$ with the closed form, and regress the noise. No chain is ever run
# during training.
#
# ### Exercise 1 · Predict: the loss of a network that knows nothing
#
# Take the loss as the mean of $(\epsilon - \hat\epsilon)^2$ over the examples *and* the
# coordinates (what `tf.reduce_mean` computes). A network that ignores its input and
# always outputs $\hat\epsilon = 0$: what loss does it get, on the ring or on any other
# data? Give a number; the training curve of section 4 starts near it.

# %%
### BEGIN SOLUTION
loss_prediction = 1.0
### END SOLUTION

# %%
exercises.check_zero_predictor_loss(loss_prediction)

# %% [markdown]
# ## 4. A noise-prediction network for 2-D data
#
# The network sees the noisy point $x_t$ and the step $t$. The step enters as a
# **sinusoidal embedding**: sines and cosines of $t$ at geometrically spaced frequencies
# (the idea behind the position encodings of Transformers), so that nearby steps get
# similar vectors. `denoisers.time_embedding` is a frozen `Embedding` layer holding that table,
# one row per step. The rest is a plain MLP: three layers of 128 SiLU units, and a
# linear output of the same size as $x_t$, the predicted noise. We use the cosine
# schedule with $T = 50$ steps, enough for 2-D data.

# %%
T = 50
schedule = diffusion.noise_schedule("cosine", T)


def build_denoiser(num_steps, hidden=128, depth=3, embedding=32):
    points = keras.Input((2,), name="x_t")
    step = keras.Input((1,), dtype="int32", name="t")
    features = layers.Flatten()(denoisers.time_embedding(num_steps, embedding)(step))
    x = layers.Concatenate()([points, features])
    for _ in range(depth):
        x = layers.Dense(hidden, activation="silu")(x)
    return keras.Model([points, step], layers.Dense(2, name="eps_hat")(x), name="point_denoiser")


# %%
keras.utils.set_random_seed(0)
model = build_denoiser(T)
print(f"{model.count_params():,} parameters, {sum(w.numpy().size for w in model.non_trainable_weights):,} "
      "of them the frozen time table")

# %% [markdown]
# The training step is the objective above, written as a `tf.function`. As in notebook
# 14, we compile it with XLA (`jit_compile=True`): `runtime.setup()` turned TensorFlow's
# op determinism on, which makes Keras ignore `compile(jit_compile=True)`, but a
# hand-written `tf.function(jit_compile=True)` is still compiled, and XLA's code on the CPU
# repeats exactly from run to run. For a small MLP, whose time goes to launching many
# tiny operations, fusing them pays.

# %%
def make_train_step(model, optimizer, schedule, seed=0, jit_compile=True):
    alpha_bars = tf.constant(schedule.alpha_bars, dtype=tf.float32)
    num_steps = schedule.num_steps
    draws = keras.random.SeedGenerator(seed)
    optimizer.build(model.trainable_variables)   # Adam's moments now, so that the step is traced once

    @tf.function(jit_compile=jit_compile)
    def train_step(x0):
        n = tf.shape(x0)[0]
        t = keras.random.randint((n, 1), 1, num_steps + 1, seed=draws, dtype="int32")
        noise = keras.random.normal(tf.shape(x0), seed=draws)
        alpha_bar = tf.gather(alpha_bars, t)  # (n, 1), broadcast over the coordinates
        x_t = tf.sqrt(alpha_bar) * x0 + tf.sqrt(1.0 - alpha_bar) * noise
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(noise - model([x_t, t], training=True)))
        optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
        return loss

    return train_step


# %% [markdown]
# Fresh ring points for every step, batches of 256, Adam with a learning rate that
# decays along a cosine from $2\cdot 10^{-3}$.

# %%
num_steps = report.profile.pick(quick=3000, full=8000)
batch_size = 256
optimizer = keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, num_steps))
train_step = make_train_step(model, optimizer, schedule)
ring_points = generative.ring_data(num_steps * batch_size, seed=0)

started = time.perf_counter()
losses = np.array([float(train_step(ring_points[i * batch_size:(i + 1) * batch_size]))
                   for i in range(num_steps)])
train_seconds = time.perf_counter() - started

# %%
# NBVAL_IGNORE_OUTPUT
print(f"{num_steps} steps in {train_seconds:.1f} s ({1000 * train_seconds / num_steps:.1f} ms per step, XLA)")

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(np.convolve(losses, np.ones(100) / 100, mode="valid"), label="training loss (mean of 100 steps)")
ax.axhline(1.0, color="grey", ls=":", label="a network that outputs 0")
ax.set(xlabel="training step", ylabel="noise-prediction loss", ylim=(0, 1.2))
ax.legend()
print(f"mean loss over the last 500 steps ≈ {losses[-500:].mean():.2f}")
outcomes.expect("mean loss over the last 500 steps", losses[-500:].mean(), at_least=0.1, at_most=0.5)

# %% [markdown]
# The loss does not go to zero and cannot: at large $t$, $x_t$ is almost pure noise and
# the noise in it cannot be told apart from the little signal left. What matters is how
# much better than 1 the network does at each step, and whether that is enough to sample.
#
# ## 5. Sampling: running the process backwards
#
# **Ancestral sampling** (Ho et al., algorithm 2) starts from $x_T \sim \mathcal N(0, I)$
# and for $t = T, \dots, 1$ replaces the unknown noise by the network's prediction:
#
# $$x_{t-1} = \frac{1}{\sqrt{\alpha_t}}\Big(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,
#   \hat\epsilon_\theta(x_t, t)\Big) + \sigma_t z, \qquad z \sim \mathcal N(0, I),
#   \qquad \sigma_t^2 = \tilde\beta_t = \beta_t\,\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t},$$
#
# and adds no noise at the last step, $t = 1$, so that the sample ends on the model's
# best guess.
#
# ### Exercise 2 · Implement: one reverse step
#
# Write `reverse_step(x_t, eps_hat, t, betas, alpha_bars, z)` in NumPy. `x_t`,
# `eps_hat` and `z` have the same shape `(n, ...)`; `t` is the current step, from 1 to
# $T$; `betas` and `alpha_bars` are the schedule's arrays of length $T + 1$ (index $t$
# is step $t$, index 0 the clean data). Return $x_{t-1}$ with $\sigma_t^2 = \tilde\beta_t$
# as above, and no noise when `t == 1`. Do not modify the arguments.

# %%
def reverse_step(x_t, eps_hat, t, betas, alpha_bars, z):
    ### BEGIN SOLUTION
    beta, alpha_bar = betas[t], alpha_bars[t]
    mean = (x_t - beta / np.sqrt(1 - alpha_bar) * eps_hat) / np.sqrt(1 - beta)
    if t == 1:
        return mean
    sigma = np.sqrt(beta * (1 - alpha_bars[t - 1]) / (1 - alpha_bar))
    return mean + sigma * z
    ### END SOLUTION


# %%
exercises.check_reverse_step(reverse_step)

# %% [markdown]
# `diffusion.reverse_sample` runs the whole chain with the same step, for any
# `predict(x_t, t)`; `denoisers.noise_predictor` wraps our network as one. We keep the
# state at every step to draw the trajectories.

# %%
predict = denoisers.noise_predictor(model)
samples, trajectory = diffusion.reverse_sample(predict, (1000, 2), schedule, seed=1, snapshots=T + 1)
path = np.stack([x for _, x in trajectory])  # (T + 1, 1000, 2), from t = T down to 0
print("trajectory:", path.shape, "from t =", trajectory[0][0], "to t =", trajectory[-1][0])

# %%
fig, axes = plt.subplots(1, 5, figsize=(13, 2.9), sharex=True, sharey=True)
for ax, t in zip(axes[:4], (50, 30, 15, 0), strict=True):
    generative.plot_ring(path[T - t], ax=ax, title=f"t = {t}")
generative.plot_ring(path[-1, :20], ax=axes[4], title="20 trajectories", color="black")
for i in range(20):
    axes[4].plot(path[:, i, 0], path[:, i, 1], lw=0.7, alpha=0.8)
fig.tight_layout()

# %% [markdown]
# The points leave the noise cloud together, then sort themselves out among the eight
# clusters in the last third of the steps, when the noise scale becomes comparable to
# the distance between clusters. Each trajectory wanders (fresh noise enters at every
# step) but ends on a cluster.
#
# How good are the samples? The course's ring metrics (notebook 14) against its
# references, and the pretrained 2-D DDPM shipped with the course, `generative.sample("ddpm_ring")`
# (the same network, trained longer with $T = 100$ by `scripts/train_ddpm.py`).

# %%
ring_sets = dict(generative.ring_references())
ring_sets["DDPM (this notebook)"] = samples
ring_sets["ddpm_ring (pretrained)"] = generative.sample("ddpm_ring", 1000)
ring_scores = {name: generative.score_ring(points, name) for name, points in ring_sets.items()}
generative.print_ring_scores(list(ring_scores.values()))

# %%
ours, fitted = ring_scores["DDPM (this notebook)"], ring_scores["Gaussian fitted to the data"]
outcomes.expect("energy distance, DDPM / Gaussian fit", ours.energy / fitted.energy, at_most=0.5)
outcomes.expect("modes covered by this notebook's DDPM", ours.modes_covered, at_least=6, fmt="d")
outcomes.expect("modes covered by the pretrained DDPM", ring_scores["ddpm_ring (pretrained)"].modes_covered, at_least=8, fmt="d")
outcomes.expect("high-quality share of the pretrained DDPM",
                ring_scores["ddpm_ring (pretrained)"].high_quality_share, at_least=0.5)

# %% [markdown]
# Unlike the plain GAN of notebook 14, the DDPM covers the modes without any special
# care: its loss is a regression on every region of the data, with no adversary to chase.
# Its weakness is the sharpness of the clusters, which takes a well-trained network at
# the smallest noise levels, and its cost: one network call per step.
#
# ### Exercise 3 · Model: a sharp ring on a small budget
#
# With half the training budget, 1,500 steps of batch 256, this notebook's settings
# ($T = 50$, 128 units, learning rate $2\cdot 10^{-3}$) leave some modes uncovered.
# Choose the number of schedule steps `num_steps` ($T$, 2 to 200, cosine schedule), the
# width `hidden` (1 to 256, three layers) and the `learning_rate` so that 1,000 samples
# cover **all 8 modes** with a **high-quality share ≥ 0.5**. The check trains the model
# (a few seconds) and measures it. Think about what fewer steps and a larger step size
# each buy when the training budget is fixed.

# %%
### BEGIN SOLUTION
num_steps_choice = 20
hidden_choice = 128
learning_rate_choice = 5e-3
### END SOLUTION

# %%
exercises.check_ring_ddpm_target(num_steps_choice, hidden_choice, learning_rate_choice)

# %% [markdown]
# ## 6. The SDE view: noise in continuous time
#
# Let the number of steps grow and the steps shrink. The forward process becomes a
# **stochastic differential equation** (Song et al., 2021),
#
# $$dx = f(x, t)\,dt + g(t)\,dw,$$
#
# with a drift $f$, a diffusion coefficient $g$ and $dw$ the increment of a Brownian
# motion (infinitesimal white noise). DDPM's chain is the Euler discretisation of the
# *variance-preserving* SDE $f(x, t) = -\tfrac12\beta(t)\,x$, $g(t) = \sqrt{\beta(t)}$,
# with $\beta(t_i)\,\Delta t = \beta_i$: one step multiplies by
# $1 - \tfrac12\beta_i \approx \sqrt{1-\beta_i}$ and adds noise of variance $\beta_i$.
#
# Anderson (1982) showed that such a process can be run backwards in time, by another
# SDE that needs one more ingredient, the **score** $\nabla_x \log p_t(x)$ of the noised
# data at each time:
#
# $$dx = \big[f(x, t) - g(t)^2\,\nabla_x\log p_t(x)\big]\,dt + g(t)\,d\bar w,$$
#
# integrated from $t = T$ down to 0 ($dt < 0$, $\bar w$ a Brownian motion running
# backwards). The score points towards where the noised data are denser. The noise
# predictor gives it: since $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon$,
#
# $$\nabla_{x_t}\log p_t(x_t) = -\frac{\mathbb E[\epsilon \mid x_t]}{\sqrt{1-\bar\alpha_t}}
#   \approx -\frac{\hat\epsilon_\theta(x_t, t)}{\sqrt{1-\bar\alpha_t}}.$$
#
# The ring is a mixture of 8 Gaussians, so its noised versions are mixtures too (each
# component $\mathcal N(\sqrt{\bar\alpha_t}\mu_k, (\bar\alpha_t\sigma^2 + 1 - \bar\alpha_t) I)$),
# and their score is known **exactly** (`diffusion.mixture_score`). That lets us separate
# the two sources of error: the integration of the SDE, and the learned score.

# %%
centres = generative.ring_centres()


def exact_score(x, t):
    return diffusion.mixture_score(x, centres, generative.RING_SIGMA, schedule.alpha_bars[t])


def learned_score(x, t):
    return -predict(x, np.full(len(x), t)) / np.sqrt(1 - schedule.alpha_bars[t])


# %%
grid_axis = np.linspace(-2.8, 2.8, 15)
grid = np.array([[a, b] for b in grid_axis for a in grid_axis])
fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), sharey=True)
for ax, (name, score) in zip(axes, [("exact score", exact_score), ("learned score", learned_score)], strict=True):
    field = score(grid, 10)
    field /= np.linalg.norm(field, axis=1, keepdims=True) + 1e-12  # directions only
    ax.quiver(grid[:, 0], grid[:, 1], field[:, 0], field[:, 1], angles="xy", color="C0")
    ax.plot(*(np.sqrt(schedule.alpha_bars[10]) * centres).T, "r*", ms=10)
    ax.set(title=f"{name} at t = 10", aspect="equal")

# %% [markdown]
# At $t = 10$ the clusters have been shrunk by $\sqrt{\bar\alpha_{10}}$ (red stars) and
# blurred; both fields point to the nearest cluster. Now integrate the reverse-time SDE
# with the Euler-Maruyama method on the grid of the schedule, once with each score
# (`diffusion.reverse_sde_sample`). One step, from $t_i$ to $t_{i-1}$, reads
#
# $$x_{i-1} = x_i + \tfrac12\beta_i\,x_i + \beta_i\, s(x_i, i) + \sqrt{\beta_i}\,z_i .$$

# %%
sde_sets = {
    "reverse SDE, exact score": diffusion.reverse_sde_sample(exact_score, (1000, 2), schedule, seed=2)[0],
    "reverse SDE, learned score": diffusion.reverse_sde_sample(learned_score, (1000, 2), schedule, seed=2)[0],
}
sde_scores = {name: generative.score_ring(points, name) for name, points in sde_sets.items()}
generative.print_ring_scores([ring_scores["real held-out data"], *sde_scores.values()])

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), sharex=True, sharey=True)
for ax, (name, points) in zip(axes, sde_sets.items(), strict=True):
    generative.plot_ring(points, ax=ax, title=name)
exact_energy = sde_scores["reverse SDE, exact score"].energy
learned_energy = sde_scores["reverse SDE, learned score"].energy
outcomes.expect("energy distance, learned / exact score", learned_energy / exact_energy, at_most=2.0)
outcomes.expect("modes covered with the exact score", sde_scores["reverse SDE, exact score"].modes_covered, at_least=8, fmt="d")

# %% [markdown]
# With the exact score, the 50-step Euler-Maruyama integration lands essentially every
# sample on a cluster: the discretisation is not the bottleneck. The learned score gives
# an energy distance within a factor 2 of the exact one (both close to the floor set by
# 1,000 samples, the held-out row) but a lower high-quality share: near a cluster, the
# learned field is less precise than the exact one, and the samples stay a little blurred.
# Better score estimates, not better integrators, are what the field's larger networks
# buy. (The reverse SDE and ancestral sampling are two discretisations of the same
# process; they differ only in the details of each step.)
#
# ## 7. A pretrained DDPM for digits
#
# The same recipe works on images. `scripts/train_ddpm.py` trained a small U-Net
# (`denoisers.digit_denoiser`, about a quarter of a million parameters: convolutions at
# 14×14 and 7×7 with a skip connection, and the time features added to every block) to
# predict the noise in digits scaled to $[-1, 1]$, with the cosine schedule and
# $T = 100$. `generative.sample("ddpm", n)` draws from it.
#
# **DDIM: fewer steps.** Song, Meng and Ermon (2021) noticed that the same trained
# network also defines samplers that skip steps. From $x_t$, estimate the clean sample
# $\hat x_0 = (x_t - \sqrt{1-\bar\alpha_t}\,\hat\epsilon)/\sqrt{\bar\alpha_t}$, then jump to
# any earlier step $t'$ by putting noise back at that level:
#
# $$x_{t'} = \sqrt{\bar\alpha_{t'}}\,\hat x_0 + \sqrt{1-\bar\alpha_{t'}-\sigma^2}\,\hat\epsilon + \sigma z,
#   \qquad \sigma = \eta\,\sqrt{\frac{1-\bar\alpha_{t'}}{1-\bar\alpha_t}\Big(1-\frac{\bar\alpha_t}{\bar\alpha_{t'}}\Big)} .$$
#
# With $\eta = 0$ the sampler is deterministic (the original DDIM); with $\eta = 1$ it is
# ancestral sampling on the shorter list of steps. For images one more detail matters:
# at the first steps $\bar\alpha_t$ is tiny and $\hat x_0$ wildly out of range, so the
# samplers clip $\hat x_0$ to the pixel range $[-1, 1]$ at every step.
#
# `generative.sample("ddpm", n)` uses 20 of the 100 steps with $\eta = 1$. First, 100
# digits (500 with `COURSE_PROFILE=full`) by full ancestral sampling (100 network calls,
# with a progress bar), then as many with 20 steps and each $\eta$.

# %%
# NBVAL_IGNORE_OUTPUT
num_digits = report.profile.pick(quick=100, full=500)
digit_runs, digit_seconds = {}, {}
for label, steps, eta in [("ancestral, 100 steps", None, 1.0), ("DDIM eta=0, 20 steps", 20, 0.0),
                          ("DDIM eta=1, 20 steps", 20, 1.0)]:
    started = time.perf_counter()
    digit_runs[label] = denoisers.sample_ddpm(num_digits, seed=0, num_steps=steps, eta=eta, progress=True)
    digit_seconds[label] = time.perf_counter() - started
print({label: f"{seconds:.1f} s for {num_digits} digits" for label, seconds in digit_seconds.items()})

# %%
fig, axes = plt.subplots(3, 12, figsize=(12, 3.3))
for row, (label, images) in zip(axes, digit_runs.items(), strict=True):
    for ax, image in zip(row, images, strict=False):
        ax.imshow(image[..., 0], cmap="gray_r", vmin=0, vmax=1)
        ax.set(xticks=[], yticks=[])
    row[0].set_ylabel(label.replace(", ", "\n"), fontsize=8)

# %% [markdown]
# The three samplers start from the same noise but add different noise along the way
# (none at all for $\eta = 0$), so the digits differ; their quality is what to compare.
# The Fréchet distance in the MNIST classifier's features (notebook 13) on these 100
# digits each, with a Gaussian fitted to the pixels measured on 100 samples too (a
# Fréchet distance from few samples is biased upwards, so compare only within this table):

# %%
few = {"Gaussian fitted to pixels": generative.image_references(num_digits)["Gaussian fitted to pixels"], **digit_runs}
few_scores = {name: generative.score_images(images, name) for name, images in few.items()}
generative.print_image_scores(list(few_scores.values()))
outcomes.expect("Fréchet distance, 20 steps with eta=1 / ancestral",
                few_scores["DDIM eta=1, 20 steps"].frechet / few_scores["ancestral, 100 steps"].frechet,
                at_most=2.0)

# %% [markdown]
# Twenty steps with fresh noise come close to the full hundred, in a fifth of the time.
# The deterministic sampler is clearly worse for this small network: without fresh noise,
# the errors of the first, largest jumps are never washed out.

# %% [markdown]
# Now the course's standard measurement, on 300 digits to keep the notebook quick
# (`scripts/train_ddpm.py` reports it on 1,000): `generative.sample("ddpm")` against the
# references and against the other generators of Part V.

# %%
num_scored = report.profile.pick(quick=300, full=1000)
image_sets = dict(generative.image_references(num_scored))
started = time.perf_counter()
image_sets["ddpm (pretrained)"] = generative.sample("ddpm", num_scored)
ddpm_seconds = time.perf_counter() - started
for name in ("vae", "dcgan"):
    image_sets[f"{name} (pretrained)"] = generative.sample(name, num_scored)
image_scores = {name: generative.score_images(images, name) for name, images in image_sets.items()}
generative.print_image_scores(list(image_scores.values()))

# %%
# NBVAL_IGNORE_OUTPUT
print(f"ddpm: {ddpm_seconds:.1f} s for {num_scored} digits (20 steps)")

# %%
ddpm_scores = image_scores["ddpm (pretrained)"]
generative.plot_class_histogram(ddpm_scores)
outcomes.expect("Fréchet distance, pixel Gaussian / DDPM",
                image_scores["Gaussian fitted to pixels"].frechet / ddpm_scores.frechet, at_least=4.0)
outcomes.expect("DDPM's smallest class share", ddpm_scores.smallest_class_share, at_least=0.02, fmt=".1%")

# %% [markdown]
# A network of a quarter of a million parameters, trained on 4,000 digits for 20 minutes
# on 2 CPU cores, draws digits of every class, with a Fréchet distance a fraction of the pixel
# Gaussian's. The price is at sampling time: 20 network calls per digit where a VAE
# or a GAN needs one (and 100 for the full ancestral sampler).
#
# ## Summary
#
# - The forward process of a DDPM adds Gaussian noise in $T$ steps; in closed form
#   $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon$. The noise schedule
#   sets $\bar\alpha_t$: the linear one destroys the signal early, the cosine one spends
#   its steps more evenly; both end at $\bar\alpha_T \approx 0$.
# - The network predicts the noise: the loss is the mean squared error between
#   $\epsilon$ and $\hat\epsilon_\theta(x_t, t)$, with $t$ and $\epsilon$ drawn afresh for
#   every example. A network that outputs 0 scores 1.
# - Ancestral sampling runs $T$ reverse steps from pure noise, each a Gaussian whose mean
#   uses the predicted noise. DDIM reuses the same network on a subsequence of the steps;
#   with fresh noise ($\eta = 1$) and the predicted digit clipped to the pixel range,
#   20 steps of 100 sample nearly as well as all of them.
# - In continuous time the forward process is an SDE $dx = f\,dt + g\,dw$; its reverse in
#   time needs the score $\nabla_x\log p_t$, which the noise predictor estimates as
#   $-\hat\epsilon/\sqrt{1-\bar\alpha_t}$. With an exact score, a coarse Euler-Maruyama
#   integration already samples well: the learned score is where the error lies.
#
# ## Further reading
#
# - J. Sohl-Dickstein, E. Weiss, N. Maheswaranathan and S. Ganguli (2015), *Deep unsupervised learning using nonequilibrium thermodynamics*, ICML.
# - J. Ho, A. Jain and P. Abbeel (2020), *Denoising diffusion probabilistic models*, NeurIPS.
# - A. Nichol and P. Dhariwal (2021), *Improved denoising diffusion probabilistic models*, ICML (the cosine schedule).
# - J. Song, C. Meng and S. Ermon (2021), *Denoising diffusion implicit models*, ICLR.
# - Y. Song, J. Sohl-Dickstein, D. Kingma, A. Kumar, S. Ermon and B. Poole (2021), *Score-based generative modeling through stochastic differential equations*, ICLR.
# - B. Anderson (1982), *Reverse-time diffusion equation models*, Stochastic Processes and their Applications 12(3).
# - Y. Song (2021), *Generative modeling by estimating gradients of the data distribution*, blog post, yang-song.net.
