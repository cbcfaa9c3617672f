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
# # 10 · LSTM and GRU
#
# **Purpose:** build the two gated recurrent cells from their equations, check them
# against Keras, watch their gates work, and measure how far back they remember where a
# simple RNN forgets.
#
# **After this notebook you can**
# - write an LSTM step (input, forget and output gates, cell state) and a GRU step (update
#   and reset gates) in Keras's weight layout, and show they match `keras.layers.LSTM`
#   and `keras.layers.GRU`, outputs and gradients;
# - explain why the cell state's additive update lets gradients survive many steps;
# - count the parameters of a SimpleRNN, an LSTM and a GRU network (lecture exercise 8);
# - show on the adding problem that a SimpleRNN fails as sequences grow while GRU and
#   LSTM succeed, and read the gates of a trained cell;
# - weigh GRU against LSTM in parameters and training time.
#
# **Expected run time:** about 30 s on a 2-core CPU with AVX-512; about 55 s on a 2-core laptop without AVX-512 (predicted by `make bench`).
# Measured on a 2-core machine shared with other jobs: 60 s in both settings, of which 37-40 s
# of CPU time; most of it trains the 6 adding-problem models.

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

from course_lib import data, outcomes, scratch, widgets
from course_lib.exercises import lstm_and_gru as exercises
from course_lib.widgets import recurrent as recurrent_widgets

tf = runtime.import_tensorflow()

# %% [markdown]
# ## 2. Why gates?
#
# Notebook 09 ended on a product: the gradient that travels $k$ steps back through a
# simple RNN is multiplied $k$ times by $W$ and by $\tanh'$, so it vanishes unless
# everything stays finely balanced. In practice a simple RNN looks back only a few
# steps.
#
# Hochreiter and Schmidhuber's **long short-term memory** (1997) changes the path the
# memory takes. Besides the hidden state $h_t$, which produces the output, an LSTM keeps a
# **cell state** $C_t$, and updates it by *adding*:
#
# $$C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t .$$
#
# Along this path the gradient is multiplied only by the forget gate,
# $\partial C_t / \partial C_{t-1} = f_t$ (element-wise), no weight matrix and no squashing
# function; a cell that learns $f_t \approx 1$ carries its content, and its gradient,
# across many steps. **Gates** are the valves that decide what flows: vectors of numbers
# between 0 and 1, each a sigmoid of the current input and the previous hidden state.

# %% [markdown]
# ## 3. The LSTM cell
#
# Three gates and one candidate, all functions of $x_t$ and $h_{t-1}$:
#
# $$\begin{aligned}
# i_t &= \sigma(W_{ix}x_t + W_{ih}h_{t-1} + b_i) &&\text{input gate: how much new content to write}\\
# f_t &= \sigma(W_{fx}x_t + W_{fh}h_{t-1} + b_f) &&\text{forget gate: how much old content to keep}\\
# \tilde C_t &= \tanh(W_{cx}x_t + W_{ch}h_{t-1} + b_c) &&\text{candidate content}\\
# o_t &= \sigma(W_{ox}x_t + W_{oh}h_{t-1} + b_o) &&\text{output gate: how much of the cell to show}\\
# C_t &= f_t \odot C_{t-1} + i_t \odot \tilde C_t, \qquad h_t = o_t \odot \tanh(C_t).
# \end{aligned}$$
#
# Keras stores the four input matrices side by side in one `kernel` of shape
# `(features, 4 * units)`, in the order $i, f, \tilde C, o$, the four recurrent ones in
# `recurrent_kernel` `(units, 4 * units)` and the biases in `bias` `(4 * units,)`. One
# matrix product then computes all four pre-activations, which we cut into blocks:

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_step(x_t, h, c, kernel, recurrent_kernel, bias):
    """One LSTM step for a batch: x_t (batch, features), h and c (batch, units)."""
    z = x_t @ kernel + h @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=1)
    c = sigmoid(z_f) * c + sigmoid(z_i) * np.tanh(z_c)
    h = sigmoid(z_o) * np.tanh(c)
    return h, c


# %% [markdown]
# A Keras LSTM with 4 units on 3 inputs; we copy its weights into our step and run it
# over an 8-step sequence, from a non-zero initial state:

# %%
rng = np.random.default_rng(0)
lstm = keras.layers.LSTM(4, return_sequences=True)
x = rng.normal(size=(2, 8, 3)).astype("float32")
h0, c0 = (rng.normal(size=(2, 4)).astype("float32") for _ in range(2))
keras_h = lstm(x, initial_state=[h0, c0]).numpy()
lstm_weights = lstm.get_weights()
print("LSTM weights:", [w.shape for w in lstm_weights])

# %%
h, c, our_h = h0, c0, []
for t in range(x.shape[1]):
    h, c = lstm_step(x[:, t], h, c, *lstm_weights)
    our_h.append(h)
our_h = np.stack(our_h, axis=1)
print("hidden states:", our_h.shape, "| same as Keras:", np.allclose(our_h, keras_h, atol=1e-5))
assert np.allclose(our_h, keras_h, atol=1e-5)

# %% [markdown]
# `scratch.lstm_forward` is this loop with a cache for the backward pass, and
# `scratch.lstm_backward` backpropagates through time, through both the hidden and the
# cell state. In float64 its gradients match `tf.GradientTape` for the input, the three
# weight arrays and both initial states:

# %%
def keras_gradients(layer, x, initial_state, upstream):
    """Gradients of sum(layer(x) * upstream) for x, the layer's weights and the initial states."""
    x_var, state_vars = tf.constant(x), [tf.constant(s) for s in initial_state]
    with tf.GradientTape() as tape:
        tape.watch([x_var, *state_vars])
        loss = tf.reduce_sum(layer(x_var, initial_state=state_vars) * upstream)
    sources = [x_var, *[weight.value for weight in layer.trainable_weights], *state_vars]
    return [g.numpy() for g in tape.gradient(loss, sources)]


# %%
lstm64 = keras.layers.LSTM(4, return_sequences=True, dtype="float64")
x64, h0_64, c0_64 = rng.normal(size=(2, 8, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
upstream = rng.normal(size=(2, 8, 4))
tape_grads = keras_gradients(lstm64, x64, [h0_64, c0_64], upstream)
h_seq, cache = scratch.lstm_forward(x64, *lstm64.get_weights(), h0=h0_64, c0=c0_64)
our_grads = scratch.lstm_backward(upstream, cache)
for name, theirs in zip(["x", "kernel", "recurrent_kernel", "bias", "h0", "c0"], tape_grads, strict=True):
    print(f"d/d {name:<16} matches GradientTape:", np.allclose(our_grads[name], theirs, rtol=1e-9, atol=1e-12))

# %% [markdown]
# ## 4. The GRU cell
#
# Cho et al.'s **gated recurrent unit** (2014) drops the separate cell state and uses two
# gates. In the lecture's form,
#
# $$\begin{aligned}
# r_t &= \sigma(W_{rx}x_t + W_{rh}h_{t-1} + b_r), \qquad u_t = \sigma(W_{ux}x_t + W_{uh}h_{t-1} + b_u),\\
# \tilde h_t &= \tanh\big(W_{hx}x_t + W_{hh}(r_t \odot h_{t-1}) + b_h\big), \qquad
# h_t = (1 - u_t) \odot h_{t-1} + u_t \odot \tilde h_t .
# \end{aligned}$$
#
# The reset gate $r_t$ decides how much of the past enters the proposal $\tilde h_t$; the
# update gate interpolates between keeping the old state and taking the proposal, the
# job an LSTM shares between its forget and input gates.
#
# Keras 3 computes a slight variant (`reset_after=True`, the form cuDNN accelerates):
# the reset gate multiplies the *projected* state,
# $\tilde h_t = \tanh\big(W_{hx}x_t + b_{hx} + r_t \odot (W_{hh}h_{t-1} + b_{hh})\big)$, so
# every block has two biases, one for the input projection and one for the recurrent one
# (`bias` has shape `(2, 3 * units)`). Its update gate $z_t$ is the lecture's $1 - u_t$:
# $h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$. The blocks come in the order
# $z, r, \tilde h$.

# %% [markdown]
# ### Exercise 1 · Implement: one GRU step in Keras's layout
#
# Write `gru_step(x_t, h_prev, kernel, recurrent_kernel, bias)` for a batch: `x_t` of
# shape `(batch, features)`, `h_prev` `(batch, units)`, and the three weight arrays
# exactly as `keras.layers.GRU(units).get_weights()` returns them. Return $h_t$,
# `(batch, units)`. You may use `sigmoid` from above and `np.split`.

# %%
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    ### BEGIN SOLUTION
    a_z, a_r, a_h = np.split(x_t @ kernel + bias[0], 3, axis=1)
    q_z, q_r, q_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=1)
    z, r = sigmoid(a_z + q_z), sigmoid(a_r + q_r)
    candidate = np.tanh(a_h + r * q_h)
    return z * h_prev + (1 - z) * candidate
    ### END SOLUTION


# %%
exercises.check_gru_step(gru_step)

# %% [markdown]
# The course's `scratch.gru_forward` and `scratch.gru_backward` match Keras's GRU too,
# outputs and gradients:

# %%
gru64 = keras.layers.GRU(4, return_sequences=True, dtype="float64")
tape_grads = keras_gradients(gru64, x64, [h0_64], upstream)
h_seq, cache = scratch.gru_forward(x64, *gru64.get_weights(), h0=h0_64)
our_grads = scratch.gru_backward(upstream, cache)
print("outputs match:", np.allclose(h_seq, gru64(x64, initial_state=[h0_64]).numpy(), rtol=1e-10))
for name, theirs in zip(["x", "kernel", "recurrent_kernel", "bias", "h0"], tape_grads, strict=True):
    print(f"d/d {name:<16} {str(theirs.shape):<9} matches GradientTape:", np.allclose(our_grads[name], theirs, rtol=1e-9, atol=1e-12))

# %% [markdown]
# ## 5. Counting parameters (lecture exercise 8)
#
# The lecture's exercise: an input (a word, say) of size $m$, a recurrent layer of $n$
# units, an output of size $k$. How many parameters does the network have?

# %% [markdown]
# ### Exercise 2 · Predict: what will `count_params()` say?
#
# Write `parameter_count(cell, m, n, k)` returning the number of parameters Keras reports
# for `keras.Sequential([keras.Input((None, m)), <cell>(n), keras.layers.Dense(k)])`,
# where `cell` is `"SimpleRNN"`, `"LSTM"` or `"GRU"` (Keras's default arguments). Work
# it out from the equations above, blocks and biases included; the check compares with
# Keras on sizes you have not seen.

# %%
def parameter_count(cell, m, n, k):
    ### BEGIN SOLUTION
    blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
    biases = 2 if cell == "GRU" else 1
    return blocks * n * (m + n + biases) + (n + 1) * k
    ### END SOLUTION


# %%
exercises.check_parameter_count(parameter_count)

# %% [markdown]
# Where do the parameters sit? For a vocabulary of 10,000 words fed as one-hot vectors,
# 256 units and a softmax over the same 10,000 words, the recurrent matrices $W$ are a
# small part; the input matrices $U$ and the output layer $V$, both proportional to the
# vocabulary, dominate. That is one reason language models read embeddings instead of
# one-hot vectors (notebook 11).

# %%
for name in ("SimpleRNN", "LSTM", "GRU"):
    model = keras.Sequential([keras.Input((None, 10_000)), getattr(keras.layers, name)(256), keras.layers.Dense(10_000)])
    kernel, recurrent_kernel, bias = model.layers[0].get_weights()
    shares = {"U": kernel.size, "W": recurrent_kernel.size, "V": model.layers[1].count_params()}
    print(f"{name:<9} {model.count_params():>10,} parameters:", ", ".join(f"{key} {count / model.count_params():.1%}" for key, count in shares.items()))

# %% [markdown]
# ## 6. A long-range memory task: the adding problem
#
# Each input step carries a random number in $[0, 1)$ and a marker; two steps are
# marked, one in each half of the sequence, and the target is the sum of the two marked
# numbers. Everything between them is noise to be ignored, so the network must hold the
# first number in memory for up to $T$ steps.
#
# Without memory, the best guess is the mean, 1, and its mean squared error is the
# variance of a sum of two uniform numbers, $2 \cdot \tfrac{1}{12} = 0.167$. A model
# "solves" the task when it does ten times better than that.

# %%
x_demo, y_demo = data.adding_problem(3, 20, seed=3)
marked_steps = np.flatnonzero(x_demo[0, :, 1])
print("marked steps:", marked_steps.tolist(), "| their values:", [f"{v:.3f}" for v in x_demo[0, marked_steps, 0]], f"| target: {y_demo[0, 0]:.3f}")
baseline_mse = 2 / 12
print(f"baseline MSE: {baseline_mse:.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 2.4))
ax.bar(np.arange(20), x_demo[0, :, 0], color=np.where(x_demo[0, :, 1] == 1, "C3", "0.7"))
title = ax.set(xlabel="time step", ylabel="value", title=f"an adding-problem sequence: target = sum of the red values = {y_demo[0, 0]:.2f}")

# %% [markdown]
# We train each cell, 32 units followed by `Dense(1)`, on 2,000 sequences at several
# lengths $T$, all with the same recipe: batches of 32, at most 12 epochs, Adam with
# learning rate $10^{-2}$ and gradient clipping (`clipnorm=1`, a guard against the
# bursts of notebook 09). Two small callbacks stop a run once it has solved the task and
# time every epoch.

# %%
class StopWhenSolved(keras.callbacks.Callback):
    """Stop training once an epoch's mean loss drops below a threshold."""

    def __init__(self, threshold=0.005):
        super().__init__()
        self.threshold = threshold

    def on_epoch_end(self, epoch, logs=None):
        if logs["loss"] < self.threshold:
            self.model.stop_training = True


class EpochTimer(keras.callbacks.Callback):
    """Record how long each epoch takes, in seconds."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)


# %%
cells = {"SimpleRNN": keras.layers.SimpleRNN, "GRU": keras.layers.GRU, "LSTM": keras.layers.LSTM}
lengths = report.profile.pick(quick=(10, 50), full=(10, 20, 30, 50, 75, 100))
max_epochs = report.profile.pick(quick=12, full=40)
num_train = report.profile.pick(quick=2000, full=3000)
batch_size = 32


def train_on_adding(cell, length, seed=0):
    """Train one cell on the adding problem of the given length; return it and its logs."""
    x_train, y_train = data.adding_problem(num_train, length, seed=0)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((length, 2)), cells[cell](32), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(1e-2, clipnorm=1.0), loss="mse")
    timer = EpochTimer()
    history = model.fit(x_train, y_train, epochs=max_epochs, batch_size=batch_size, verbose=0,
                        callbacks=[StopWhenSolved(), timer])
    return model, history, timer


# %%
test_sets = {length: data.adding_problem(1000, length, seed=1) for length in lengths}
results, trained = {}, {}
for length in lengths:
    for cell in cells:
        model, history, timer = train_on_adding(cell, length)
        x_test, y_test = test_sets[length]
        results[cell, length] = {"mse": model.evaluate(x_test, y_test, verbose=0),
                                 "epochs": len(history.history["loss"]), "seconds": timer.seconds}
        trained[cell, length] = model

# %%
for (cell, length), result in results.items():
    print(f"T = {length:>3}  {cell:<9} test MSE {outcomes.approx(result['mse'], '.4f')} after {outcomes.approx(result['epochs'], 'd')} epochs")

# %% [markdown]
# The claims: at $T = 50$ the simple RNN does no better than the mean (it stays above
# 80 % of the baseline) while both gated cells solve the task (below 10 % of it); at
# $T = 10$ the simple RNN solves it too.

# %%
long, short = 50, 10
outcomes.expect("SimpleRNN, T = 50: MSE / baseline", results["SimpleRNN", long]["mse"] / baseline_mse, at_least=0.8)
outcomes.expect("GRU, T = 50: MSE / baseline", results["GRU", long]["mse"] / baseline_mse, at_most=0.1)
outcomes.expect("LSTM, T = 50: MSE / baseline", results["LSTM", long]["mse"] / baseline_mse, at_most=0.1)
outcomes.expect("SimpleRNN, T = 10: MSE / baseline", results["SimpleRNN", short]["mse"] / baseline_mse, at_most=0.1)

# %%
fig, ax = plt.subplots(figsize=(6, 3.4))
for cell in cells:
    ax.plot(lengths, [results[cell, length]["mse"] for length in lengths], marker="o", label=cell)
ax.axhline(baseline_mse, color="gray", ls="--", label="predict the mean")
ax.axhline(0.1 * baseline_mse, color="gray", ls=":", label="solved")
ax.set(xlabel="sequence length T", ylabel="test MSE", yscale="log", xticks=lengths, title="the adding problem")
legend = ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))

# %% [markdown]
# At $T = 10$ every cell solves the task; the simple RNN can still bridge ten steps. At
# $T = 50$ its gradient from the target to the first marked number has to cross 25 or
# more steps and vanishes: it falls back on predicting the mean. The gated cells learn
# it within a few epochs. (Run the notebook with `COURSE_PROFILE=full` to sweep six
# lengths up to 100.)

# %% [markdown]
# ## 7. Inside the gates
#
# Because the scratch cells take Keras's weights unchanged, we can replay the trained
# LSTM on test sequences in NumPy and read every gate. The cell state should stay still
# between the markers and jump when a marked number arrives:

# %%
x_test, y_test = test_sets[long]
lstm_trained_weights = trained["LSTM", long].layers[0].get_weights()
gru_trained_weights = trained["GRU", long].layers[0].get_weights()
_, lstm_cache = scratch.lstm_forward(x_test[:200], *lstm_trained_weights)
marked = x_test[:200, :, 1] == 1

# %%
sample = 0
fig = recurrent_widgets.render_gates(x_test[sample], {name: gates[sample] for name, gates in lstm_cache.gates.items()}, "cell", title="trained LSTM, T = 50")

# %%
cell_states = np.concatenate([np.zeros((200, 1, 32)), lstm_cache.gates["cell"]], axis=1)
cell_change = np.abs(np.diff(cell_states, axis=1)).mean(axis=2)     # (sequence, step)
outcomes.expect("LSTM cell-state change, marked / unmarked steps", cell_change[marked].mean() / cell_change[~marked].mean(), at_least=2)
input_gate = lstm_cache.gates["input"].mean(axis=2)
print(f"mean input gate: marked steps {outcomes.approx(input_gate[marked].mean())}, other steps {outcomes.approx(input_gate[~marked].mean())}")

# %% [markdown]
# The cell state changes several times more at the marked steps than elsewhere, and in
# between it holds what was written; the input gate's average tends to be higher at the
# marked steps too, though each unit has its own role. Explore both trained cells: pick a
# test sequence and a gate (for the GRU, a *low* update gate $z$ means "write").

# %%
# NBVAL_IGNORE_OUTPUT
widgets.gate_explorer({"LSTM": lstm_trained_weights, "GRU": gru_trained_weights}, x_test[:20])

# %% [markdown]
# ## 8. GRU or LSTM?
#
# The lecture's comparison: the GRU has two gates and no separate memory, so it is
# cheaper; the LSTM's output gate and cell state give it more control, which in theory
# helps on very long dependencies; in practice they are often on par. In parameters, for
# the 32-unit cells above (2 inputs):

# %%
for cell in ("GRU", "LSTM"):
    print(f"{cell:<5} {trained[cell, long].layers[0].count_params():>6,} parameters")
print(f"GRU / LSTM: {trained['GRU', long].layers[0].count_params() / trained['LSTM', long].layers[0].count_params():.2f}")

# %% [markdown]
# Fewer parameters do not automatically mean faster epochs. Here is the time per epoch
# measured during the runs above at $T = 50$ (the median epoch, which leaves
# out the first epoch's graph building). On a CPU, with cells this small, a step's cost is
# dominated by the number of operations launched rather than by arithmetic, and Keras's
# GRU, with its reset gate applied after the recurrent projection, launches at least as
# many as the LSTM; on a GPU both run as fused cuDNN kernels. Measure on your own machine
# before choosing for speed.

# %%
# NBVAL_IGNORE_OUTPUT
for cell in cells:
    seconds = results[cell, long]["seconds"]
    print(f"{cell:<9} {np.median(seconds):.2f} s per epoch, {results[cell, long]['epochs']} epochs, {sum(seconds):.1f} s in all")

# %% [markdown]
# The number of epochs matters as much as their length. In our runs the GRU usually
# solved $T = 50$ in fewer epochs than the LSTM, which tends to sit for a few epochs on
# the plateau of the mean before it finds the task's structure:

# %%
epochs_needed = {cell: results[cell, long]["epochs"] for cell in ("GRU", "LSTM")}
print(f"epochs to solve T = 50: GRU {outcomes.approx(epochs_needed['GRU'], 'd')}, LSTM {outcomes.approx(epochs_needed['LSTM'], 'd')}")

# %% [markdown]
# ### Exercise 3 · Model: a small memory
#
# Solve the adding problem at $T = 30$ with **at most 300 parameters** in the whole model
# (recurrent layer and `Dense(1)` together): test MSE at most **0.01**, sixteen times
# better than predicting the mean. Write `train_small_adding_model(x_train, y_train)`:
# build, compile and train a Keras model on the 2,000 training sequences it receives
# (shape `(2000, 30, 2)`) and return it. Your `parameter_count` tells you how many units
# fit; keep training under about 15 seconds.

# %%
def train_small_adding_model(x_train, y_train):
    ### BEGIN SOLUTION
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(x_train.shape[1:]), keras.layers.GRU(8), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(2e-2, clipnorm=1.0), loss="mse")
    model.fit(x_train, y_train, epochs=8, batch_size=64, verbose=0)
    return model
    ### END SOLUTION


# %%
exercises.check_small_adding_model(train_small_adding_model)

# %% [markdown]
# ## Summary
#
# - An LSTM adds a cell state updated by $C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t$;
#   along it the gradient is scaled only by the forget gate, so memories and their
#   gradients can last. A GRU gets a similar effect with an update and a reset gate and
#   no separate cell.
# - Written in Keras's layout (gate order $i, f, \tilde C, o$ for the LSTM; $z, r, \tilde h$
#   with two bias rows for the GRU), the scratch cells reproduce Keras's outputs and
#   `GradientTape`'s gradients, and trained weights can be replayed in NumPy.
# - Parameters: $n(m + n + 1)$ for a SimpleRNN layer, four times that for an LSTM, and
#   $3n(m + n + 2)$ for Keras's GRU, plus $(n + 1)k$ for the output layer.
# - On the adding problem a SimpleRNN stays at the baseline MSE 0.167 for $T = 50$, while
#   GRU and LSTM reach under a tenth of it; the trained LSTM's cell state moves at the
#   marked steps and holds still in between.
# - The GRU has three quarters of the LSTM's parameters and trains as well on this task.
#
# ## Further reading
#
# - S. Hochreiter and J. Schmidhuber (1997), *Long short-term memory*.
# - F. A. Gers, J. Schmidhuber and F. Cummins (2000), *Learning to forget: continual prediction with LSTM*.
# - K. Cho et al. (2014), *Learning phrase representations using RNN encoder-decoder for statistical machine translation*.
# - J. Chung, C. Gulcehre, K. Cho and Y. Bengio (2014), *Empirical evaluation of gated recurrent neural networks on sequence modeling*.
# - C. Olah (2015), *Understanding LSTM networks*, colah.github.io.
# - K. Greff et al. (2017), *LSTM: a search space odyssey*.
