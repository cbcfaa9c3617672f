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
# # 09 · Recurrent networks
#
# **Purpose:** give a network a memory: write the recurrent layer from its equations,
# train it by backpropagation through time, see why its gradients vanish or explode, and
# forecast a sine wave and the chaotic Lorenz-63 system against honest baselines.
#
# **After this notebook you can**
# - say why sequences call for recurrence, and write $h_t = f_1(Ux_t + Wh_{t-1})$,
#   $y_t = f_2(Vh_t)$ as a loop that gives exactly what `keras.layers.SimpleRNN` gives;
# - draw a recurrent network unfolded in time and count its shared parameters;
# - derive backpropagation through time for a single recurrent neuron and check it
#   against `tf.GradientTape`;
# - explain, with the product $\prod_t w\,f'(a_t)$, why gradients vanish or explode over
#   many steps;
# - forecast a time series with an RNN and judge it against persistence and a linear
#   autoregressive model.
#
# **Expected run time:** about 15 s on a 2-core CPU with AVX-512; about 25 s on a 2-core laptop without AVX-512 (predicted by `make bench`).
# Measured on a 2-core machine shared with other jobs: 18 s in both settings, 11 s of CPU time.

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

from course_lib import data, forecasting, outcomes, recurrence, scratch, widgets
from course_lib.exercises import recurrent_networks as exercises

tf = runtime.import_tensorflow()

# %% [markdown]
# ## 2. Why recurrence?
#
# A dense network reads its input as one fixed-size vector and treats its entries as
# unrelated: nothing tells it that $x_7$ comes right after $x_6$, and a sentence one word
# longer does not fit at all. Sequences (sound, sensor readings, text, prices) are
# different: their order carries the information, their length varies, and predicting
# what comes next is the natural task. The probability of a whole sequence
# $X = (x_1, \dots, x_T)$ factorises into one prediction per step,
#
# $$p(X) = \prod_{t=1}^{T} p(x_t \mid x_1, \dots, x_{t-1}),$$
#
# so a model needs a summary of *everything seen so far*. A recurrent neuron keeps that
# summary in a **hidden state** $h_t$, its memory, which it updates at every step from
# the previous state and the new input. The same weights serve every step, so one layer
# reads sequences of any length: below, one set of 3-input, 4-unit weights reads a
# 5-step and a 50-step sequence.

# %%
rng = np.random.default_rng(0)
kernel, recurrent_kernel, bias = rng.normal(size=(3, 4)), rng.normal(size=(4, 4)) / 2, np.zeros(4)
for steps in (5, 50):
    states, _ = scratch.rnn_forward(rng.normal(size=(1, steps, 3)), kernel, recurrent_kernel, bias)
    print(f"{steps:>2} steps in, hidden states out: {states.shape}")
print("parameters, whatever the length:", kernel.size + recurrent_kernel.size + bias.size)

# %% [markdown]
# ## 3. The recurrent layer
#
# A layer of $H$ recurrent neurons reads inputs $x_t \in \mathbb R^D$ and, with an output
# layer, produces $y_t \in \mathbb R^K$:
#
# $$h_t = f_1(U x_t + W h_{t-1} + b_h), \qquad y_t = f_2(V h_t + b_y),$$
#
# with $U$ of size $H\times D$ (input to state), $W$ of size $H\times H$ (state to state,
# the recurrence), $V$ of size $K\times H$ (state to output), and $h_0 = 0$. The lecture
# leaves out the biases $b_h, b_y$; Keras adds them. Written exactly as the equations
# read, one column vector at a time:

# %%
def recurrent_layer(xs, U, W, V, b_h, b_y, h0):
    """The lecture's equations for one sequence xs of shape (T, D); f1 = tanh, f2 = identity."""
    h, hs, ys = h0, [], []
    for x in xs:
        h = np.tanh(U @ x + W @ h + b_h)
        hs.append(h)
        ys.append(V @ h + b_y)
    return np.array(hs), np.array(ys)


# %%
D, H, K, T = 3, 5, 2, 8
U, W, V = rng.normal(size=(H, D)), rng.normal(size=(H, H)) / 2, rng.normal(size=(K, H))
b_h, b_y = rng.normal(size=H), rng.normal(size=K)
xs = rng.normal(size=(T, D))
our_h, our_y = recurrent_layer(xs, U, W, V, b_h, b_y, h0=np.zeros(H))
print("hidden states:", our_h.shape, "| outputs:", our_y.shape)

# %% [markdown]
# Keras splits this into a `SimpleRNN` layer (the state) and a `Dense` layer applied at
# every step (the output). It stores $U^\top$ as `kernel` and $W^\top$ as
# `recurrent_kernel`, because it multiplies row vectors from the left. Copy our weights
# in, and it computes the same numbers:

# %%
rnn = keras.Sequential([
    keras.Input((T, D)),
    keras.layers.SimpleRNN(H, return_sequences=True),
    keras.layers.Dense(K),
])
rnn.layers[0].set_weights([U.T, W.T, b_h])      # kernel, recurrent_kernel, bias
rnn.layers[1].set_weights([V.T, b_y])
keras_y = rnn.predict(xs[np.newaxis], verbose=0)[0]
print("SimpleRNN weights:", [w.shape for w in rnn.layers[0].get_weights()], "| same outputs as ours:", np.allclose(our_y, keras_y, atol=1e-5))
assert np.allclose(our_y, keras_y, atol=1e-5)

# %% [markdown]
# `course_lib.scratch.rnn_forward` is the same loop for a whole batch at once, in Keras's
# layout (`x` of shape `(batch, time, features)`), so weights copy both ways:

# %%
h_seq, cache = scratch.rnn_forward(xs[np.newaxis], U.T, W.T, b_h)
keras_h = rnn.layers[0](xs[np.newaxis].astype("float32")).numpy()
print("hidden states:", h_seq.shape, "| equal to the loop:", np.allclose(h_seq[0], our_h, rtol=1e-12), "| to Keras:", np.allclose(h_seq, keras_h, atol=1e-5))

# %% [markdown]
# ## 4. Unfolding in time
#
# Draw one copy of the neuron per time step and the loop disappears: the recurrent layer
# becomes a feed-forward network as deep as the sequence is long, in which **every copy
# shares the same $U$, $W$ and $V$**. Unlike a deep network with different weights per
# layer, the number of parameters does not grow with $T$: the layer above has
# $HD + H^2 + H = 45$ of them, for 8 or 8,000 steps.

# %%
ax = recurrence.draw_unfolded_rnn(steps=3)

# %% [markdown]
# ## 5. Backpropagation through time
#
# A whole sequence is one training example, and its loss is the sum of the per-step
# losses, $\mathcal L = \sum_{t=1}^{T} \mathcal L_t$ with
# $\mathcal L_t = \mathcal L(y_t, \bar y_t)$. Training needs
# $\partial\mathcal L_t/\partial U$, $\partial\mathcal L_t/\partial V$ and
# $\partial\mathcal L_t/\partial W$. Backpropagation on the unfolded graph is called
# **backpropagation through time** (BPTT); the gradients of the shared weights add up
# over the copies.
#
# ### One recurrent neuron
#
# Take $D = H = K = 1$: scalars $x_t, h_t, y_t$ and weights $u, w, v$,
#
# $$h_t = f_1(u x_t + w h_{t-1}), \qquad y_t = f_2(v h_t).$$
#
# For $v$ the chain rule is direct:
# $\dfrac{\partial \mathcal L_t}{\partial v} = \dfrac{\partial \mathcal L_t}{\partial y_t}\, h_t\, f_2'(v h_t)$.
# For $w$ it is **recurrent**, because $h_{t-1}$ depends on $w$ too:
#
# $$\frac{\partial \mathcal L_t}{\partial w} = \frac{\partial \mathcal L_t}{\partial y_t}\,
#   v f_2'(v h_t)\, \frac{\partial h_t}{\partial w}, \qquad
#   \frac{\partial h_t}{\partial w} = \Big(h_{t-1} + w\,\frac{\partial h_{t-1}}{\partial w}\Big)\,
#   f_1'(u x_t + w h_{t-1}),$$
#
# and the recurrence stops at $\partial h_0/\partial w = 0$. With $f_1 = \tanh$
# ($f_1' = 1 - h_t^2$), $f_2$ the identity and $\mathcal L_3 = \tfrac12 (y_3 - \bar y_3)^2$,
# the loss at step $t = 3$:

# %%
x_seq, u, w, v, target = np.array([0.5, -1.0, 2.0]), 0.8, 0.6, 1.5, 0.2


def bptt_w_and_v(x_seq, u, w, v, target):
    """dL_T/dw and dL_T/dv for L_T = (y_T - target)^2 / 2 at the last step."""
    h, dh_dw = 0.0, 0.0                     # h_0 and dh_0/dw
    for x in x_seq:
        h_previous = h
        h = np.tanh(u * x + w * h_previous)
        dh_dw = (h_previous + w * dh_dw) * (1 - h**2)
    dL_dy = v * h - target                  # y_T = v h_T
    return dL_dy * v * dh_dw, dL_dy * h


dL_dw, dL_dv = bptt_w_and_v(x_seq, u, w, v, target)

# %% [markdown]
# `tf.GradientTape` differentiates the same three steps automatically:

# %%
u_t, w_t, v_t = (tf.Variable(value, dtype=tf.float64) for value in (u, w, v))
with tf.GradientTape() as tape:
    h_t = tf.constant(0.0, tf.float64)
    for x in x_seq:
        h_t = tf.tanh(u_t * x + w_t * h_t)
    loss = 0.5 * (v_t * h_t - target) ** 2
tape_w, tape_v = (g.numpy() for g in tape.gradient(loss, [w_t, v_t]))
print(f"dL3/dw: BPTT {dL_dw:.6f}, GradientTape {tape_w:.6f}")
print(f"dL3/dv: BPTT {dL_dv:.6f}, GradientTape {tape_v:.6f}")
assert np.isclose(dL_dw, tape_w, rtol=1e-12) and np.isclose(dL_dv, tape_v, rtol=1e-12)

# %% [markdown]
# ### Exercise 1 · Implement: the recurrence for $\partial h_t/\partial u$
#
# The lecture gives the same kind of recurrence for the input weight $u$. Derive it (what
# replaces $h_{t-1}$ in the bracket?), then write `dh_du(x, u, w)` that returns the array
# of $\partial h_t/\partial u$ for $t = 1, \dots, T$, for $h_t = \tanh(u x_t + w h_{t-1})$
# with $h_0 = 0$ and $x$ a 1-D array of length $T$.

# %%
def dh_du(x, u, w):
    ### BEGIN SOLUTION
    h, sensitivity, result = 0.0, 0.0, []
    for x_t in x:
        h = np.tanh(u * x_t + w * h)
        sensitivity = (x_t + w * sensitivity) * (1 - h**2)
        result.append(sensitivity)
    return np.array(result)
    ### END SOLUTION


# %%
exercises.check_dh_du(dh_du)

# %% [markdown]
# ### The whole layer
#
# For a layer, the same bookkeeping runs backwards over the steps with matrices: the
# gradient reaching $h_t$ is what the loss at step $t$ sends, plus what $h_{t+1}$ sends
# back through $W$. `scratch.rnn_backward` does this for a batch; it agrees with
# `GradientTape` on a float64 `SimpleRNN` with a non-zero initial state:

# %%
layer = keras.layers.SimpleRNN(4, return_sequences=True, dtype="float64")
x_batch, h0 = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 4))
upstream = rng.normal(size=(2, 6, 4))          # dL/dh_t for every step, as from a loss
x_var, h0_var = tf.constant(x_batch), tf.constant(h0)
with tf.GradientTape() as tape:
    tape.watch([x_var, h0_var])
    loss = tf.reduce_sum(layer(x_var, initial_state=[h0_var]) * upstream)
tape_grads = tape.gradient(loss, [x_var, *[weight.value for weight in layer.trainable_weights], h0_var])

# %%
_, cache = scratch.rnn_forward(x_batch, *layer.get_weights(), h0=h0)
ours = scratch.rnn_backward(upstream, cache)
for name, theirs in zip(["x", "kernel", "recurrent_kernel", "bias", "h0"], tape_grads, strict=True):
    print(f"d loss / d {name:<16} {str(ours[name].shape):<8} matches GradientTape:",
          np.allclose(ours[name], theirs.numpy(), rtol=1e-9, atol=1e-12))

# %% [markdown]
# ## 6. Vanishing and exploding gradients
#
# How much does the state $h_k$, $k$ steps back, still influence $h_T$? For the scalar
# neuron the chain rule multiplies one factor per step:
#
# $$\frac{\partial h_T}{\partial h_{T-k}} = \prod_{s=T-k+1}^{T} w\, f_1'(u x_s + w h_{s-1}),
#   \qquad \Big|\frac{\partial h_T}{\partial h_{T-k}}\Big| \le \big(|w|\,\max f_1'\big)^{k}.$$
#
# A product of $k$ equal factors is a geometric sequence: if $|w| f_1' < 1$ it
# **vanishes** exponentially, and the network cannot learn that something $k$ steps ago
# mattered; if $|w| f_1' > 1$ it can **explode**, and one update throws the weights far
# away. For a layer, $w$ becomes the matrix $W$ and the size of its largest eigenvalues
# plays the same role. $\tanh' \le 1$, and a sigmoid's slope is at most $1/4$, which
# makes matters worse.

# %% [markdown]
# ### Exercise 2 · Predict: how fast does the gradient vanish?
#
# A tanh neuron with $w = 0.8$ sits at rest ($h = 0$, no input, so $f_1' = 1$ at every
# step). Predict, before running the next cells: how many steps back $k$ does it take for
# $|\partial h_T/\partial h_{T-k}|$ to fall below $10^{-3}$ (the smallest such $k$)?

# %%
### BEGIN SOLUTION
steps_back_below_one_thousandth = 31
### END SOLUTION

# %%
exercises.check_steps_to_vanish(steps_back_below_one_thousandth)

# %% [markdown]
# `recurrence.gradient_flow` runs the neuron and multiplies the factors; at rest it gives
# exactly $0.8^k$:

# %%
flow = recurrence.gradient_flow(0.8, steps=50)
first_below = next(k for k in range(51) if flow.gradient_back(k) < 1e-3)
print(f"|dh_T/dh_T-k| at k = 10, 20, 30, 40: {[f'{flow.gradient_back(k):.1e}' for k in (10, 20, 30, 40)]}")
print("first k below 1e-3:", first_below)

# %% [markdown]
# Now explore. The sliders set the recurrent weight $w$, the activation's slope at 0
# (1 is tanh; 0.25 behaves like a sigmoid), the size of random inputs (they push the
# neuron into tanh's flat parts, where $f_1' \ll 1$) and the number of steps $T$. The left
# panel follows the gradient back in time, with the bound $(|w|\,\text{slope})^k$
# dashed; the right panel shows $|\partial h_T/\partial h_0|$ for every $w$ at once.
# Try $w = 0.9$, then $1.5$ with no input, then $1.5$ with input 1.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.gradient_flow_explorer()

# %% [markdown]
# Only the narrow band where $|w|\,\text{slope}$ is close to 1 keeps a gradient alive
# over 50 steps. With inputs, a large $w$ drives the tanh into saturation, which caps the
# growth: in a tanh RNN explosions are bursts near that edge, and most of the time the
# gradient vanishes.
#
# The same holds for a layer of 32 units: scale a random $W$ so that its largest
# eigenvalue has size $\rho$ (its spectral radius), keep the layer at rest (zero input,
# where $\tanh' = 1$), send a loss from the last of 60 steps, and measure with
# `scratch.rnn_backward` the gradient reaching each input $x_t$:

# %%
def input_gradients(spectral_radius, steps=60, units=32, seed=0):
    """|dL/dx_t| for a loss on the last state of a scratch RNN at rest (zero input)."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(units, units))
    W *= spectral_radius / np.abs(np.linalg.eigvals(W)).max()
    x = np.zeros((1, steps, 1))
    h_seq, cache = scratch.rnn_forward(x, rng.normal(size=(1, units)), W, np.zeros(units))
    upstream = np.zeros_like(h_seq)
    upstream[0, -1] = 1.0                  # dL/dh_T: a loss that looks at the last step only
    return np.abs(scratch.rnn_backward(upstream, cache)["x"][0, :, 0])


radii = (0.7, 1.0, 1.3)
gradients = {rho: input_gradients(rho) for rho in radii}

# %%
fig, ax = plt.subplots(figsize=(6, 3.2))
for rho, values in gradients.items():
    ax.semilogy(np.arange(1, 61), values, label=rf"$\rho = {rho}$")
ax.set(xlabel="input step t (loss at t = 60)", ylabel=r"$|\partial L/\partial x_t|$")
legend = ax.legend()
last_over_first = {rho: values[-1] / values[0] for rho, values in gradients.items()}
assert last_over_first[0.7] > 1e6 and last_over_first[1.3] < 1e-3

# %% [markdown]
# With $\rho = 0.7$ the first inputs receive a gradient millions of times smaller than
# the last ones: the network is blind to them. With $\rho = 1.3$ the far past dominates
# and training becomes unstable, which is what gradient clipping (`clipnorm`, notebook 04)
# is for. Gated cells, the subject of notebook 10, attack the vanishing side.

# %% [markdown]
# ## 7. Forecasting a time series
#
# An RNN reads a window of the last values and predicts the value `horizon` steps
# later. Every forecast is compared with two baselines that cost nothing:
#
# - **persistence**: $\hat x_{t+h} = x_t$, "it stays as it is";
# - **linear autoregression**: $\hat x_{t+h} = a_0 + \sum_{j=0}^{w-1} a_j^\top x_{t-j}$,
#   a least-squares fit on the training windows.
#
# The series is split in time (first 70 % to train, the rest to test, never shuffled
# across the split), standardised with the training part's mean and spread, and errors
# are root mean squared errors in standard-deviation units.
#
# ### A noisy sine

# %%
sine = forecasting.sine_task(window=20, horizon=10)
print("train windows:", sine.x_train.shape, "targets:", sine.y_train.shape, "| test windows:", sine.x_test.shape)
sine_linear = forecasting.fit_linear_ar(sine.x_train, sine.y_train)
sine_baselines = {"persistence": forecasting.persistence(sine.x_test), "linear AR": sine_linear(sine.x_test)}
for name, predicted in sine_baselines.items():
    print(f"{name:<12} RMSE {outcomes.approx(forecasting.rmse(predicted, sine.y_test))}")

# %%
ax = forecasting.plot_forecasts(sine.y_test, sine_baselines, num_points=150)
title = ax.set_title("noisy sine, 10 steps ahead")

# %% [markdown]
# Ten steps is a fifth of the period, so persistence is far off. The linear model is
# nearly perfect, and for a reason: a sampled sine obeys the linear recurrence
# $s_{t+1} = 2\cos(\omega)\, s_t - s_{t-1}$, so the future is a linear function of the
# past, and least squares over 20 noisy values averages the noise away. What is left is
# the noise of the target itself, 0.1 before standardisation, about 0.14 after. A
# network can at best tie here; try the linear model first.

# %% [markdown]
# ### Exercise 3 · Model: an RNN forecaster for the sine
#
# Write `train_sine_forecaster(x_train, y_train)`: build a Keras model with a
# `SimpleRNN` layer that maps windows of shape `(20, 1)` to the value 10 steps later,
# compile it, train it on the given windows and return it. The check measures its test
# RMSE (standardised units), which must be at most **0.2**, within a factor 1.5 of the
# noise floor. Keep training under about 10 seconds.

# %%
def train_sine_forecaster(x_train, y_train):
    ### BEGIN SOLUTION
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(x_train.shape[1:]), keras.layers.SimpleRNN(16), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(x_train, y_train, epochs=10, batch_size=32, verbose=0)
    return model
    ### END SOLUTION


# %%
exercises.check_sine_forecaster(train_sine_forecaster)

# %% [markdown]
# ### The Lorenz-63 system
#
# Lorenz's 1963 model of convection is three coupled differential equations,
#
# $$\dot x = \sigma(y - x), \qquad \dot y = x(\rho - z) - y, \qquad \dot z = xy - \beta z,$$
#
# with $\sigma = 10$, $\rho = 28$, $\beta = 8/3$. Its solutions never repeat and nearby
# starts drift apart exponentially: it is **chaotic**, the textbook case of a
# deterministic system that is hard to forecast. `data.lorenz63` integrates it with
# scipy's Runge-Kutta solver and samples it every 0.01 time units.

# %%
trajectory = data.lorenz63(3000)
fig, (ax_xz, ax_x) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
ax_xz.plot(trajectory[:, 0], trajectory[:, 2], lw=0.5)
ax_xz.set(xlabel="x", ylabel="z", title="the butterfly attractor")
ax_x.plot(np.arange(1000) * 0.01, trajectory[:1000, 0])
ax_x.set(xlabel="time", ylabel="x", title="x(t) flips between the two wings")
print("states:", trajectory.shape)

# %% [markdown]
# The task: from the last 10 states $(x, y, z)$, predict the state 10 steps (0.1 time
# units) later. One step ahead would be too easy: over 0.01 time units the flow is
# almost linear, and the linear model is nearly exact:

# %%
one_step = forecasting.lorenz_task(window=10, horizon=1)
one_step_linear = forecasting.fit_linear_ar(one_step.x_train, one_step.y_train)
print("1 step ahead, linear AR RMSE", outcomes.approx(forecasting.rmse(one_step_linear(one_step.x_test), one_step.y_test), ".4f"))

# %%
lorenz = forecasting.lorenz_task(window=10, horizon=10, n_steps=report.profile.pick(quick=3000, full=10000))
lorenz_linear = forecasting.fit_linear_ar(lorenz.x_train, lorenz.y_train)
lorenz_forecasts = {"persistence": forecasting.persistence(lorenz.x_test), "linear AR": lorenz_linear(lorenz.x_test)}
print("train windows:", lorenz.x_train.shape, "| test windows:", lorenz.x_test.shape)

# %% [markdown]
# The recurrent model reads the window step by step with 32 tanh units and predicts the
# three coordinates from its last state. A cosine schedule lowers Adam's learning rate
# from $10^{-2}$ to 0 over training, so the last epochs fine-tune instead of jumping
# around.

# %%
num_epochs = report.profile.pick(quick=20, full=40)
batch_size = 32
keras.utils.set_random_seed(0)
lorenz_rnn = keras.Sequential([
    keras.Input((10, 3)),
    keras.layers.SimpleRNN(32),
    keras.layers.Dense(3),
])
schedule = keras.optimizers.schedules.CosineDecay(1e-2, decay_steps=num_epochs * int(np.ceil(len(lorenz.x_train) / batch_size)))
lorenz_rnn.compile(optimizer=keras.optimizers.Adam(schedule), loss="mse")
lorenz_log = lorenz_rnn.fit(lorenz.x_train, lorenz.y_train, epochs=num_epochs, batch_size=batch_size, verbose=0)
lorenz_forecasts["SimpleRNN"] = lorenz_rnn.predict(lorenz.x_test, verbose=0)

# %%
errors = {name: forecasting.rmse(predicted, lorenz.y_test) for name, predicted in lorenz_forecasts.items()}
for name, error in errors.items():
    print(f"{name:<12} 10-step RMSE {outcomes.approx(error, '.3f')}")
outcomes.expect("RNN error / linear AR error", errors["SimpleRNN"] / errors["linear AR"], at_most=0.5)
outcomes.expect("RNN error / persistence error", errors["SimpleRNN"] / errors["persistence"], at_most=0.1)

# %%
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5), sharex=True, layout="constrained")
forecasting.plot_forecasts(lorenz.y_test, lorenz_forecasts, feature=2, num_points=400, ax=top)
top.set(xlabel="", ylabel="z (standardised)", title="Lorenz-63, 10 steps ahead")
for name, predicted in lorenz_forecasts.items():
    bottom.semilogy(np.linalg.norm(predicted - lorenz.y_test, axis=1)[:400], lw=1, label=name)
bottom.set(xlabel="test step (0.01 time units)", ylabel="error (distance)", title="the same three forecasts' errors, log scale")

# %% [markdown]
# Persistence lags 10 steps behind. The linear model follows the shape but overshoots
# the peaks, where the dynamics are most nonlinear; its error (bottom, log scale) swells
# at every turn, while the RNN's stays several times smaller almost everywhere. Further ahead, chaos wins for every model: small errors grow exponentially
# (Lorenz's butterfly effect), so no forecaster stays right for long.

# %% [markdown]
# ## Summary
#
# - A recurrent layer keeps a hidden state, $h_t = f_1(Ux_t + Wh_{t-1})$, and reads
#   sequences of any length with the same $U$, $W$, $V$. Our loop, `scratch.rnn_forward`
#   and `keras.layers.SimpleRNN` compute the same numbers from the same weights.
# - Unfolded in time, it is a deep network with shared weights; backpropagation through
#   time adds up the gradients of every copy. The scalar neuron's recurrences for
#   $\partial h_t/\partial w$ and $\partial h_t/\partial u$ match `tf.GradientTape`.
# - The gradient across $k$ steps is a product of $k$ factors $w f'$: it vanishes when
#   $|w| f' < 1$ and can explode when $|w| f' > 1$. Clipping tames explosions; gated cells
#   (notebook 10) tackle vanishing.
# - Forecasts need baselines. On a noisy sine a linear autoregression is already at the
#   noise floor; on the chaotic Lorenz-63 system, 10 steps ahead, a small RNN beats the
#   linear model by more than a factor 2 and persistence by more than a factor 10.
#
# ## Further reading
#
# - J. L. Elman (1990), *Finding structure in time*.
# - P. J. Werbos (1990), *Backpropagation through time: what it does and how to do it*.
# - Y. Bengio, P. Simard and P. Frasconi (1994), *Learning long-term dependencies with gradient descent is difficult*.
# - R. Pascanu, T. Mikolov and Y. Bengio (2013), *On the difficulty of training recurrent neural networks*.
# - E. N. Lorenz (1963), *Deterministic nonperiodic flow*.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, chapter 10.
