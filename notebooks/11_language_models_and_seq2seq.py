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
# # 11 · Language models and sequence-to-sequence
#
# **Purpose:** turn words into learned vectors, train a recurrent network that gives
# every sentence a probability and writes new ones, then translate one sequence into
# another with an encoder-decoder, first through a single context vector and then with
# attention.
#
# **After this notebook you can**
# - explain why one-hot codes carry no notion of similarity and what an embedding layer is;
# - train a recurrent language model, judge its perplexity against a uniform guess and
#   against the true grammar, and score sentences with it;
# - sample sentences from it and control their boldness with a temperature;
# - build an encoder-decoder with a bidirectional encoder, train it with teacher forcing
#   and decode greedily;
# - measure why squeezing the input into one context vector is a bottleneck, and how
#   attention removes it.
#
# **Expected run time:** about 30 s on a 2-core CPU with AVX-512; about 50 s on a 2-core laptop without AVX-512 (predicted by `make bench`).

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
from sklearn.decomposition import PCA

from course_lib import data, outcomes, sequences, widgets
from course_lib.exercises import language_models as exercises

# %% [markdown]
# ## 2. Words as vectors
#
# A network reads numbers, so every word must become a vector. The plainest code numbers
# the $V$ words of a vocabulary and writes word $i$ as the **one-hot** (1-of-$V$) vector
# $\boldsymbol\omega = (0, \dots, 0, 1, 0, \dots, 0)$ with its single 1 at position $i$.
# The lecture's sentence, each word a column:

# %%
sentence = ["The", "man", "is", "wearing", "a", "hat"]
one_hot = np.eye(len(sentence), dtype=int)
print("        " + " ".join(f"{word:>7}" for word in sentence))
for i, row in enumerate(one_hot.T):
    print(f"{i:>7} " + " ".join(f"{value:>7}" for value in row))

# %% [markdown]
# Two flaws. The vectors are as long as the vocabulary, tens of thousands of entries for a
# real language. And they say nothing about meaning: any two different one-hot vectors are
# orthogonal and at the same distance $\sqrt 2$, so "cat" is as far from "cats" as from
# "table".

# %%
distances = np.linalg.norm(one_hot[:, None] - one_hot[None], axis=-1)
print("distances between different words:", np.unique(distances[~np.eye(6, dtype=bool)]).round(4))

# %% [markdown]
# An **embedding** gives each word a short dense vector of $d \ll V$ numbers instead,
# $\mathbf x_t = \mathbf E \boldsymbol\omega_t$ with a $d \times V$ matrix $\mathbf E$, and
# lets training choose the numbers so that words used alike end up close. The lecture's
# made-up 3-D example shows what one hopes for:

# %%
lecture_vectors = {"apple": [1.11, 2.24, 7.88], "orange": [1.01, 2.04, 7.22],
                   "car": [8.41, 2.34, -1.28], "table": [-1.41, 7.34, 3.01]}
names, vectors = list(lecture_vectors), np.array(list(lecture_vectors.values()))
table = np.linalg.norm(vectors[:, None] - vectors[None], axis=-1)
print(" " * 7 + "".join(f"{name:>8}" for name in names))
for name, row in zip(names, table, strict=True):
    print(f"{name:<7}" + "".join(f"{d:8.2f}" for d in row))

# %% [markdown]
# Apple and orange are 0.70 apart, apple and car almost 12. Multiplying $\mathbf E$ by
# a one-hot vector just picks one of its columns, so an embedding layer is a lookup
# table: Keras's `Embedding` stores $\mathbf E^\top$, one row of $d$ numbers per word id,
# and returns rows. The same result as the matrix product, without the $V$-long vectors:

# %%
embedding = keras.layers.Embedding(input_dim=6, output_dim=3)
word_ids = np.array([[1, 5, 0]])                    # "man hat The"
looked_up = np.asarray(embedding(word_ids))         # (1, 3 words, 3 numbers)
E_transposed = embedding.get_weights()[0]           # (V, d) = (6, 3)
print(looked_up.shape, np.allclose(looked_up, one_hot[word_ids] @ E_transposed))
assert np.allclose(looked_up, one_hot[word_ids] @ E_transposed)

# %% [markdown]
# The rows start random. Below, a language model learns them, and we will look at what
# they became.
#
# ## 3. A small language
#
# Real text needs hours of training. Instead, `data.toy_grammar_corpus` writes sentences
# from a small English grammar: a subject ("I", "you", "we", "they" with a plain verb, or
# "Alice", "Bob" with a verb in -s), then an object (plural noun, adjective and plural
# noun, or "the"/"my" and a singular noun). 34 words, 1,260 possible sentences.

# %%
n_sentences = report.profile.pick(quick=2000, full=8000)   # the last 400 are held out
corpus = data.toy_grammar_corpus(n_sentences)
print(corpus.sentences[:5])
print(f"{len(set(corpus.sentences))} different sentences among {len(corpus.sentences)}")

# %% [markdown]
# Keras's `TextVectorization` layer turns text into token ids. We keep the case ("I"),
# split on spaces, and hand it the vocabulary so the ids are the same on every machine;
# it puts the padding token `""` at id 0 and `"[UNK]"` (unknown words) at id 1. Every
# sentence is framed by a begin and an end marker, `<bos>` and `<eos>`.

# %%
vectorize = keras.layers.TextVectorization(standardize=None, split="whitespace",
                                           vocabulary=corpus.vocab[1:])
vocabulary = [str(token) for token in vectorize.get_vocabulary()]
vocab_size = len(vocabulary)
token_ids = np.asarray(vectorize([f"<bos> {s} <eos>" for s in corpus.sentences]))
print(vocab_size, "tokens:", vocabulary[:8], "...")
print(token_ids.shape, "|", corpus.sentences[1], "->", token_ids[1])

# %% [markdown]
# A **language model** gives every sequence of words a probability. Writing it one word
# at a time with the chain rule of probability,
#
# $$p(\omega_1, \dots, \omega_T) = \prod_{t=1}^{T} p(\omega_t \mid \omega_1, \dots, \omega_{t-1}),$$
#
# where the last token $\omega_T$ is `<eos>`: the model also predicts where the sentence
# stops. Plausible sentences should get high probability, as in the lecture's example
# $p(\text{"I like cats"}) > p(\text{"I table cats"})$ and
# $p(\text{"I like cats"}) > p(\text{"like I cats"})$. Our grammar knows the exact answer:
# "I like cats" needs a pronoun-and-verb subject (3/4), "I" (1/4), "like" (1/5), a bare
# plural object (0.45) and "cats" (1/6); the other two sentences never occur.

# %%
seed_sentences = ["I like cats", "I table cats", "like I cats"]
for text in seed_sentences:
    print(f"grammar: p({text!r}) = {data.toy_grammar_probability(text):.7f}")

# %% [markdown]
# How good can a model be? We measure it on held-out sentences by the mean
# **cross-entropy** per predicted token, $-\frac{1}{N}\sum \log p(\omega_t \mid
# \omega_{<t})$, and report its exponential, the **perplexity**: a model that hesitated
# between $k$ equally likely tokens at every step would have perplexity $k$. No model
# can beat the grammar that wrote the text: with entropy $H$ per sentence and $\bar N$
# predicted tokens per sentence on average, its perplexity is $e^{H/\bar N}$.

# %%
entropy, mean_tokens = data.toy_grammar_entropy()
print(f"grammar: entropy {entropy:.3f} nats per sentence, {mean_tokens:.2f} tokens per sentence, "
      f"perplexity {np.exp(entropy / mean_tokens):.3f}")
test_sentences = corpus.sentences[-400:]
grammar_log_p = sum(np.log(data.toy_grammar_probability(s)) for s in test_sentences)
grammar_perplexity = np.exp(-grammar_log_p / sum(len(s.split()) + 1 for s in test_sentences))
print(f"the grammar's perplexity on our 400 held-out sentences: {grammar_perplexity:.3f}")

# %% [markdown]
# ## 4. A recurrent language model
#
# The network reads the sentence one token at a time and, after each one, outputs a
# distribution over the next. Its input is the sequence $(\omega_1, \dots, \omega_{T-1})$,
# its target the same sequence shifted by one, $(\omega_2, \dots, \omega_T)$:

# %%
inputs, targets = token_ids[:, :-1], token_ids[:, 1:]
x_train, y_train, x_test, y_test = inputs[:-400], targets[:-400], inputs[-400:], targets[-400:]
for label, row in (("input ", inputs[1]), ("target", targets[1])):
    print(label, [vocabulary[i] for i in row])

# %% [markdown]
# The model: an `Embedding` ($\mathbf x_t = \mathbf E \boldsymbol\omega_t$), a GRU
# (notebook 10) that keeps a summary $\mathbf h_t$ of the words read so far, and a dense
# layer that turns $\mathbf h_t$ into one score (logit) per vocabulary entry; the softmax
# of the scores is $p(\omega_{t+1} \mid \omega_{\le t})$. Padding (id 0) is excluded from
# the loss with `ignore_class=0`.

# %%
def language_model(embedding_dim=16, units=64):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, embedding_dim),
        keras.layers.GRU(units, return_sequences=True),
        keras.layers.Dense(vocab_size),               # logits of the next token
    ])


keras.utils.set_random_seed(0)
lm = language_model()
print(f"{lm.count_params():,} parameters")

# %% [markdown]
# ### Exercise 1 · Predict: the perplexity of an untrained model
#
# Before any training, the weights are small random numbers. What perplexity will this
# model have on the held-out sentences? Reason it out, write a number, then run the check:
# it measures the model and compares.

# %%
### BEGIN SOLUTION
predicted_perplexity = vocab_size
### END SOLUTION

# %%
exercises.check_initial_perplexity(predicted_perplexity, lm, x_test, y_test)

# %% [markdown]
# Small random logits give every token nearly the same probability $1/V$, so the
# cross-entropy is about $\log V$ and the perplexity about $V = 38$: the **uniform
# baseline**, a model that has learned nothing. Now train it, for a few epochs of Adam:

# %%
lm.compile(optimizer=keras.optimizers.Adam(1e-2),
           loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0))
num_epochs = 5      # it converges by then; more epochs overfit (the full profile has more data)
history = lm.fit(x_train, y_train, epochs=num_epochs, batch_size=32, verbose=0)
print(f"training cross-entropy per token ≈ {history.history['loss'][-1]:.3f}")

# %% [markdown]
# ## 5. Scoring sentences
#
# The model's output at position $t$ is its distribution over the token after
# $\omega_{\le t}$. The log-probability of a whole sentence is the sum, over positions, of
# the log-probability it gave to the token that really came next.
#
# ### Exercise 2 · Implement: the log-probability of a sentence
#
# `log_probs` has one row per position: row $t$ holds the model's log-probabilities of
# every token after reading `ids[t]`. `ids` is the whole sentence, `<bos>` to `<eos>`,
# without padding. Return $\log p$ of the sentence as a float.

# %%
def sentence_log_probability(log_probs, ids):
    ### BEGIN SOLUTION
    next_ids = np.asarray(ids)[1:]
    return float(log_probs[np.arange(len(next_ids)), next_ids].sum())
    ### END SOLUTION


# %%
exercises.check_sentence_log_probability(sentence_log_probability)

# %% [markdown]
# `sequences.sequence_log_probabilities` does the same for a padded batch, and
# `sequences.perplexity` turns the total into a perplexity. On the held-out sentences:

# %%
test_log_probs = sequences.log_probabilities_from_logits(lm.predict(x_test, verbose=0))
model_perplexity = sequences.perplexity(test_log_probs, y_test)
outcomes.expect("held-out perplexity of the trained model", model_perplexity,
                at_most=1.1 * grammar_perplexity)
print(f"uniform guess: {vocab_size}, the grammar itself: {grammar_perplexity:.2f}")

# %% [markdown]
# From 38 choices down to within a few per cent of the best any model can do. The
# lecture's three sentences, scored by the model:

# %%
seed_ids = np.asarray(vectorize([f"<bos> {s} <eos>" for s in seed_sentences]))
seed_log_probs = sequences.log_probabilities_from_logits(lm.predict(seed_ids[:, :-1], verbose=0))
seed_scores = sequences.sequence_log_probabilities(seed_log_probs, seed_ids[:, 1:])
for text, score in zip(seed_sentences, seed_scores, strict=True):
    print(f"model: p({text!r}) ≈ {np.exp(score):.1e}")

# %%
for other, score in zip(seed_sentences[1:], seed_scores[1:], strict=True):
    outcomes.expect(f"log p('I like cats') - log p({other!r})", seed_scores[0] - score, at_least=4.0)

# %% [markdown]
# "I like cats" is more than $e^4 \approx 55$ times as likely as either scrambled
# sentence (typically thousands of times): the model never saw "table" after "I", nor a
# sentence opening with a verb, and gives those continuations almost no probability.
#
# ## 6. What the embeddings learned
#
# Each word's embedding is a row of 16 numbers. Projected on its two main directions
# (PCA), with each word coloured by its role in the grammar:

# %%
words = corpus.vocab[3:]
roles = [data.toy_grammar_role(word) for word in words]
word_vectors = lm.layers[0].get_weights()[0][[vocabulary.index(word) for word in words]]
projected = PCA(n_components=2).fit_transform(word_vectors)

# %%
fig, ax = plt.subplots(figsize=(7.5, 5))
for role in data.TOY_GRAMMAR_ROLES:
    members = [i for i, r in enumerate(roles) if r == role]
    ax.scatter(*projected[members].T, label=role.replace("_", " "), s=25)
    for i in members:
        ax.annotate(words[i], projected[i], fontsize=8, xytext=(3, 2), textcoords="offset points")
ax.set(xlabel="first principal direction", ylabel="second principal direction",
       title="learned word embeddings (16-D, projected)")
legend = ax.legend(fontsize=8, loc="best")

# %% [markdown]
# Nobody told the model which words are nouns. It placed words close together when they
# can be **followed by the same words**: "like" and "likes" both lead to an object, "cat"
# and "cats" both end the sentence, so for the model they are interchangeable, while
# "I" (followed by "like") and "Alice" (followed by "likes") are not. Grouping the roles
# by what may follow them, we count how often a word's nearest neighbour (Euclidean
# distance) is in its own group:

# %%
group_of = {"verb_plain": "verb", "verb_s": "verb", "plural_noun": "noun", "singular_noun": "noun"}
groups = [group_of.get(role, role) for role in roles]
sizes = np.array([groups.count(g) for g in set(groups)])
print(f"chance that a random other word shares the group: "
      f"{(sizes * (sizes - 1)).sum() / (len(words) * (len(words) - 1)):.2f}")
outcomes.expect("nearest neighbour in the same group",
                sequences.nearest_neighbour_agreement(word_vectors, groups), at_least=0.75)

# %% [markdown]
# ## 7. Writing with a temperature
#
# A language model can write: draw a token from $p(\cdot \mid \text{prefix})$, append it,
# and repeat until `<eos>`. A **temperature** $T$ reshapes the distribution before each
# draw,
#
# $$p_T(\omega) = \frac{p(\omega)^{1/T}}{\sum_{\omega'} p(\omega')^{1/T}}
#   = \operatorname{softmax}\!\left(\frac{\mathbf z}{T}\right)_\omega ,$$
#
# the same as dividing the logits $\mathbf z$ by $T$. Below 1 it sharpens the distribution
# towards the likeliest token (greedy choice as $T \to 0$); above 1 it flattens it towards
# uniform.

# %%
def apply_temperature(probabilities, temperature):
    logits = np.log(probabilities) / temperature
    weights = np.exp(logits - logits.max(axis=-1, keepdims=True))   # stable softmax
    return weights / weights.sum(axis=-1, keepdims=True)


for temperature in (0.25, 0.5, 1.0, 2.0, 100.0):
    print(f"T = {temperature:>6}:", apply_temperature(np.array([0.5, 0.3, 0.2]), temperature).round(3))

# %% [markdown]
# `sequences.apply_temperature` is the same function with argument checks, and
# `sequences.sample_sequences` writes whole sentences with it. The grammar tells us
# whether a sample is a correct sentence. 300 samples at three temperatures:

# %%
next_word = sequences.model_next_word(lm, width=12)
start_id, end_id = vocabulary.index("<bos>"), vocabulary.index("<eos>")
correct_share = {}
for temperature in (0.5, 1.0, 3.0):
    samples = sequences.sample_sequences(next_word, 300, start_id=start_id, end_id=end_id,
                                         temperature=temperature, max_length=10, seed=0)
    texts = [" ".join(vocabulary[i] for i in sample) for sample in samples]
    correct_share[temperature] = np.mean([data.toy_grammar_probability(t) > 0 for t in texts])

# %%
claims = {0.5: {"at_least": 0.95}, 1.0: {"at_least": 0.9}, 3.0: {"at_most": 0.6}}
for temperature, claim in claims.items():
    outcomes.expect(f"grammatical samples at T = {temperature:g}", correct_share[temperature],
                    fmt=".0%", **claim)

# %% [markdown]
# At $T = 3$ the tiny probabilities the model leaves on impossible words are raised to the
# power $1/3$ and add up: many samples go wrong. Explore it: the slider sets $T$, the menu
# the beginning of the sentence. Everything was computed once when the widget was built
# (the samples at each temperature use the same random numbers, so they differ only by
# $T$); moving a control only rescales and redraws.

# %%
# NBVAL_IGNORE_OUTPUT
widgets.temperature_explorer(next_word, vocabulary,
                             is_valid=lambda text: data.toy_grammar_probability(text) > 0)

# %% [markdown]
# Low temperatures repeat the same few likeliest sentences; high ones invent ungrammatical
# ones. Text generators pick $T$ (or similar tricks, like sampling only among the most
# likely words) to trade diversity against correctness.
#
# ### Exercise 3 · Model: a language model with at most 1,000 parameters
#
# Our model has about 19,000 parameters for a grammar with six kinds of words. Write
# `train_small_language_model()`: build a model with `language_model(...)` (choose
# `embedding_dim` and `units`), compile and train it on `x_train, y_train`, and return it.
# Target: **at most 1,000 parameters** and a held-out perplexity within 10 % of the
# grammar's. Keep the training under about 10 epochs.

# %%
def train_small_language_model():
    ### BEGIN SOLUTION
    keras.utils.set_random_seed(0)
    small = language_model(embedding_dim=4, units=8)
    small.compile(optimizer=keras.optimizers.Adam(3e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0))
    small.fit(x_train, y_train, epochs=6, batch_size=32, verbose=0)
    return small
    ### END SOLUTION


# %%
exercises.check_small_language_model(train_small_language_model, x_test, y_test,
                                      target_perplexity=1.1 * grammar_perplexity, max_parameters=1000)

# %% [markdown]
# ## 8. Sequence to sequence
#
# A language model continues a sequence. Many tasks instead turn one sequence into
# another: translation, summarising, answering. The lecture's **encoder-decoder**
# (seq2seq) combines two recurrent networks:
#
# - the **encoder** reads the input $x_1, \dots, x_n$ and summarises it in a context
#   vector $\mathbf h_0 = \mathrm{RNN}_e(x_1, \dots, x_n)$;
# - the **decoder** is a language model conditioned on $\mathbf h_0$: it starts from
#   that state and writes the output $w_1, w_2, \dots$ one token at a time until `</s>`.
#
# Our task: dates written in six human formats, to the ISO format, character by character.

# %%
n_train, n_test = report.profile.pick(quick=(2000, 500), full=(5000, 1000))
pairs = data.date_pairs(n_train + n_test)
for source, target in pairs[:4]:
    print(f"{source!r:32} -> {target!r}")

# %% [markdown]
# Characters are the tokens. `StringLookup` maps them to ids (with `""` as padding, id 0),
# and `pad_sequences` pads the sources to the longest one. Every target has 10 characters
# from `0123456789-`, plus a start `<s>` and an end `</s>` token for the decoder.

# %%
source_lookup = keras.layers.StringLookup(vocabulary=sorted({c for s, _ in pairs for c in s}),
                                          mask_token="")
target_lookup = keras.layers.StringLookup(vocabulary=["<s>", "</s>", *"-0123456789"],
                                          mask_token="", num_oov_indices=0)
source_length = max(len(s) for s, _ in pairs)
padded = keras.utils.pad_sequences([list(s) for s, _ in pairs], maxlen=source_length,
                                   padding="post", dtype=object, value="")
source_ids = np.asarray(source_lookup(padded))
target_ids = np.asarray(target_lookup([list(t) for _, t in pairs]))
start_id, end_id = (int(i) for i in target_lookup(["<s>", "</s>"]))
print(source_ids.shape, target_ids.shape, "| vocabularies:", source_lookup.vocabulary_size(),
      target_lookup.vocabulary_size(), "| <s> =", start_id, "</s> =", end_id)

# %% [markdown]
# **Teacher forcing.** When training the decoder, what should it read at step $t$: its
# own previous guess, or the true previous character? Early in training its guesses are
# wrong, and every later step would learn from a corrupted prefix. Feeding it the ground
# truth instead (the lecture: "better use ground truth in decoder at training time") lets
# all steps learn at once from correct prefixes, in one pass over the sequence.
#
# ### Exercise 4 · Implement: the decoder's inputs and targets
#
# Given `targets: (batch, n)` token ids, return `(decoder_inputs, decoder_targets)`, both
# `(batch, n + 1)`: the decoder reads `start_id` followed by the true tokens, and must
# output the true tokens followed by `end_id`. Do not modify `targets`.

# %%
def teacher_forcing(targets, start_id, end_id):
    ### BEGIN SOLUTION
    column = np.ones((len(targets), 1), dtype=targets.dtype)
    return (np.concatenate([start_id * column, targets], axis=1),
            np.concatenate([targets, end_id * column], axis=1))
    ### END SOLUTION


# %%
exercises.check_teacher_forcing(teacher_forcing)

# %%
decoder_inputs, decoder_targets = sequences.teacher_forcing(target_ids, start_id, end_id)
target_chars = [str(token) for token in target_lookup.get_vocabulary()]
print("decoder reads  ", [target_chars[i] for i in decoder_inputs[0]])
print("decoder outputs", [target_chars[i] for i in decoder_targets[0]])

# %% [markdown]
# **A bidirectional encoder.** The lecture suggests reading the input backwards as well:
# a `Bidirectional` GRU runs one GRU left to right and another right to left and
# concatenates their states. Its last forward state has just read the end of the input,
# its last backward state the beginning; together they form the context vector, of
# $2 \times 32 = 64$ numbers, from which the decoder GRU starts.
#
# **Attention.** The context vector must hold everything the decoder will need, the day,
# the month and the year, through all of its steps. Attention lets the decoder look back
# instead: at output step $t$ it compares its state $\mathbf s_t$ with every encoder state
# $\mathbf h_j$ by a dot product and reads their weighted mean,
#
# $$\alpha_{tj} = \operatorname{softmax}_j(\mathbf s_t \cdot \mathbf h_j), \qquad
#   \mathbf c_t = \sum_j \alpha_{tj} \mathbf h_j ,$$
#
# then predicts from $[\mathbf s_t, \mathbf c_t]$. This is `keras.layers.Attention`
# (Luong's dot-product attention). One builder gives both models:

# %%
def encoder_decoder(attention, units=32, embedding_dim=16):
    source = keras.Input((None,), dtype="int32", name="source")
    decoder_input = keras.Input((None,), dtype="int32", name="decoder_input")
    x = keras.layers.Embedding(source_lookup.vocabulary_size(), embedding_dim, mask_zero=True)(source)
    encoder_states, forward_last, backward_last = keras.layers.Bidirectional(
        keras.layers.GRU(units, return_sequences=True, return_state=True))(x)
    context = keras.layers.Concatenate()([forward_last, backward_last])      # (batch, 2 units)
    y = keras.layers.Embedding(target_lookup.vocabulary_size(), embedding_dim)(decoder_input)
    decoder_states = keras.layers.GRU(2 * units, return_sequences=True)(y, initial_state=context)
    if attention:
        attended, _ = keras.layers.Attention(name="attention")(     # weights kept for a plot
            [decoder_states, encoder_states], return_attention_scores=True)
        decoder_states = keras.layers.Concatenate()([decoder_states, attended])
    logits = keras.layers.Dense(target_lookup.vocabulary_size())(decoder_states)
    return keras.Model([source, decoder_input], logits)

# %% [markdown]
# Both train the same way, with the same seed, data and number of epochs:

# %%
def train_seq2seq(attention):
    keras.utils.set_random_seed(0)
    model = encoder_decoder(attention)
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit([source_ids[:n_train], decoder_inputs[:n_train]], decoder_targets[:n_train],
              epochs=seq2seq_epochs, batch_size=64, verbose=0)
    return model


seq2seq_epochs = report.profile.pick(quick=4, full=10)
plain = train_seq2seq(attention=False)
print(f"{plain.count_params():,} parameters")

# %% [markdown]
# **Greedy decoding.** At test time there is no ground truth to feed: the decoder reads
# its own best guess from the step before. The model reads the whole decoder input at
# once, but a left-to-right GRU's output at step $t$ depends only on inputs up to $t$, so
# the positions not yet decoded may hold anything (here the start id) without changing
# the prediction at step $t$.

# %%
def greedy_decode(model, sources, length=10):
    decoded = np.full((len(sources), length + 1), start_id)
    for t in range(length):
        logits = model.predict_on_batch([sources, decoded])
        decoded[:, t + 1] = logits[:, t].argmax(axis=-1)
    return decoded[:, 1:]


test_sources, test_targets = source_ids[n_train:], target_ids[n_train:]
plain_decoded = greedy_decode(plain, test_sources)
outcomes.expect("plain encoder-decoder: exact match",
                (plain_decoded == test_targets).all(axis=1).mean(), at_most=0.6, fmt=".0%")

# %% [markdown]
# Barely any date comes out right. Now the same network with attention over the encoder
# states, trained identically:

# %%
attentive = train_seq2seq(attention=True)
attentive_decoded = greedy_decode(attentive, test_sources)
print(f"{attentive.count_params():,} parameters ({attentive.count_params() - plain.count_params():,} more)")
outcomes.expect("with attention: exact match",
                (attentive_decoded == test_targets).all(axis=1).mean(), at_least=0.95, fmt=".0%")

# %% [markdown]
# With about 3 % more parameters, the attentive model gets nearly every date right. Where
# does the plain one fail? Accuracy per output character:

# %%
fig, ax = plt.subplots(figsize=(7, 3.2))
positions = np.arange(10)
for name, decoded in (("plain", plain_decoded), ("attention", attentive_decoded)):
    ax.plot(positions, (decoded == test_targets).mean(axis=0), marker="o", label=name)
ax.set_xticks(positions, list("yyyy-mm-dd"))
ax.set(xlabel="output character", ylabel="accuracy", ylim=(0, 1.05), title="greedy decoding, test dates")
legend = ax.legend()

# %%
outcomes.expect("plain model: day right",
                (plain_decoded[:, 8:] == test_targets[:, 8:]).all(axis=1).mean(),
                at_most=0.5, fmt=".0%")

# %% [markdown]
# The plain model writes the year, but the month and the day are little better than a
# guess of their most common digits. Everything about the input had to pass through one
# vector of 64 numbers and survive eight steps of the decoder's own recurrence before the
# day is written: the lecture's warning that "the input message needs be fully summarized in
# a single embedding". With attention, each output step reads the encoder states it
# needs. Where does it look? The weights $\alpha_{tj}$ for one test date:

# %%
weights_model = keras.Model(attentive.inputs, attentive.get_layer("attention").output[1])
probe = next(i for i, (source, _) in enumerate(pairs[n_train:]) if "," in source and source[0].isalpha())
probe_source, probe_output = test_sources[probe:probe + 1], attentive_decoded[probe:probe + 1]
probe_inputs = np.concatenate([[[start_id]], probe_output], axis=1)
alpha = np.asarray(weights_model([probe_source, probe_inputs]))[0, :10, :len(pairs[n_train + probe][0])]

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
ax.imshow(alpha, cmap="Greys", aspect="auto")
ax.set_xticks(range(alpha.shape[1]), list(pairs[n_train + probe][0]))
ax.set_yticks(range(10), [target_chars[i] for i in probe_output[0]])
ax.set(xlabel="input character", ylabel="output character", title="attention weights")
ax.grid(False)

# %% [markdown]
# Each output character attends to the input characters it is copied or derived from:
# the year's digits to the year, the month's to the month name, the day's to the day.
#
# **Some translations.** The printed strings below come out of training, so their exact
# characters (and which dates fail) may differ on another machine: the cell is not
# compared by the regression tests, and the claims above carry the lesson. The last rows
# are dates written in formats the model never saw.

# %%
# NBVAL_IGNORE_OUTPUT
def translate(model, texts):
    padded = keras.utils.pad_sequences([list(t) for t in texts], maxlen=source_length,
                                       padding="post", dtype=object, value="")
    decoded = greedy_decode(model, np.asarray(source_lookup(padded)))
    return ["".join(target_chars[i] for i in row) for row in decoded]


examples = [source for source, _ in pairs[n_train:n_train + 6]] + ["4 july 1976", "1976-07-04"]
truths = [target for _, target in pairs[n_train:n_train + 6]] + ["1976-07-04", "1976-07-04"]
print(f"{'input':<32}{'truth':<12}{'plain':<14}attention")
for text, truth, a, b in zip(examples, truths, translate(plain, examples), translate(attentive, examples), strict=True):
    print(f"{text:<32}{truth:<12}{a} {'✓' if a == truth else '✗'}  {b} {'✓' if b == truth else '✗'}")

# %% [markdown]
# ## Summary
#
# - One-hot codes are as long as the vocabulary and make all words equally different; an
#   embedding layer is a learned lookup table of short vectors, equal to a one-hot vector
#   times a matrix.
# - A recurrent language model predicts the next token at every position; trained on the
#   toy grammar its perplexity falls from about 38 (uniform) to within a few per cent of
#   the grammar's own 4.47, and it ranks "I like cats" far above "I table cats" and
#   "like I cats".
# - Its embeddings group words by what may follow them.
# - Sampling with a temperature trades correctness (low $T$) against diversity (high $T$).
# - An encoder-decoder trained with teacher forcing and decoded greedily has to pass the
#   whole input through one context vector; at equal training it gets few dates right,
#   while attention over the encoder states gets nearly all.
#
# ## Further reading
#
# - Y. Bengio, R. Ducharme, P. Vincent and C. Jauvin (2003), *A neural probabilistic language model*, JMLR.
# - T. Mikolov, M. Karafiát, L. Burget, J. Černocký and S. Khudanpur (2010), *Recurrent neural network based language model*, Interspeech.
# - T. Mikolov, K. Chen, G. Corrado and J. Dean (2013), *Efficient estimation of word representations in vector space*.
# - I. Sutskever, O. Vinyals and Q. V. Le (2014), *Sequence to sequence learning with neural networks*, NeurIPS.
# - K. Cho et al. (2014), *Learning phrase representations using RNN encoder-decoder for statistical machine translation*, EMNLP.
# - D. Bahdanau, K. Cho and Y. Bengio (2015), *Neural machine translation by jointly learning to align and translate*, ICLR.
# - M.-T. Luong, H. Pham and C. D. Manning (2015), *Effective approaches to attention-based neural machine translation*, EMNLP.
# - A. Holtzman, J. Buys, L. Du, M. Forbes and Y. Choi (2020), *The curious case of neural text degeneration*, ICLR.
