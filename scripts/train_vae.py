"""Train the course's pretrained VAE, the generator behind ``generative.sample("vae", n)``.

    python scripts/train_vae.py                     # writes data/vae_decoder.keras

A convolutional VAE (``course_lib.generative.models``: ``conv_encoder``/``conv_decoder``,
8-dimensional latent space, the ``VAE`` class of notebook 13) is trained with a fixed
seed on the 4,000 embedded training digits (``data.load_mnist()``; the full MNIST download
is not used, so the script runs offline). Only the decoder is saved: sampling needs
nothing else. Takes about 3 minutes on two CPU cores.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from course_lib import data, runtime
from course_lib.generative import pretrained

latent_dim = 8
num_epochs = 100
batch_size = 64
learning_rate = 1e-3  # cosine-decayed to zero over the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=pretrained.DATA_DIR / "vae_decoder.keras")
    parser.add_argument("--latent-dim", type=int, default=latent_dim)
    parser.add_argument("--epochs", type=int, default=num_epochs)
    args = parser.parse_args()

    runtime.setup(seed=0, verbose=False)
    import keras

    from course_lib.generative import models

    (x_train, _), (x_test, _) = data.load_mnist()
    vae = models.VAE(models.conv_encoder(args.latent_dim), models.conv_decoder(args.latent_dim),
                     seed=0)
    steps = args.epochs * -(-len(x_train) // batch_size)
    vae.compile(optimizer=keras.optimizers.Adam(
        keras.optimizers.schedules.CosineDecay(learning_rate, steps)))
    started = time.perf_counter()
    vae.fit(x_train, epochs=args.epochs, batch_size=batch_size, verbose=0)
    seconds = time.perf_counter() - started
    scores = vae.evaluate(x_test, batch_size=500, verbose=0, return_dict=True)

    decoder = vae.decoder  # never compiled: its file holds no optimizer state
    args.output.parent.mkdir(parents=True, exist_ok=True)
    decoder.save(args.output)
    size_kb = args.output.stat().st_size / 1024
    print(
        f"trained on {len(x_train)} digits in {seconds:.0f} s; held-out -ELBO "
        f"{scores['loss']:.1f} nats (reconstruction {scores['reconstruction']:.1f}, KL "
        f"{scores['kl']:.1f}); saved the decoder to {args.output} ({size_kb:.0f} KiB, "
        f"{decoder.count_params():,} parameters)"
    )


if __name__ == "__main__":
    main()
