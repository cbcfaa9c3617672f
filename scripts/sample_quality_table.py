"""Every pretrained generator of the course, measured in one run with the course's metrics.

    python scripts/sample_quality_table.py [--samples 1000] [--seed 1]

Digits (``vae``, ``dcgan``, ``ddpm``): Fréchet distance in the MNIST classifier's feature
space, confident share and smallest class share, next to real held-out digits, a Gaussian
fitted to the pixels and uniform noise. 2-D ring (``gan_ring``, ``ddpm_ring``): energy
distance, modes covered and high-quality share, next to real ring data and a Gaussian fit.
Each generator's sampling time is printed with its row.
"""

from __future__ import annotations

import argparse
import time

from course_lib import generative, runtime

DIGIT_SAMPLERS = ("vae", "dcgan", "ddpm")
RING_SAMPLERS = ("gan_ring", "ddpm_ring")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000, help="samples per generator")
    parser.add_argument("--seed", type=int, default=1, help="seed of every sampler")
    args = parser.parse_args()
    runtime.setup(seed=0, verbose=False)

    seconds: dict[str, float] = {}

    def measured(references, score, names):
        """Scores of the reference samples, then of each generator (timed)."""
        scores = [score(samples, name) for name, samples in references.items()]
        for name in names:
            started = time.perf_counter()
            samples = generative.sample(name, args.samples, seed=args.seed)
            seconds[name] = time.perf_counter() - started
            scores.append(score(samples, name))
        return scores

    print(f"## Digits, {args.samples} samples each")
    generative.print_image_scores(measured(generative.image_references(args.samples, args.seed),
                                           generative.score_images, DIGIT_SAMPLERS))
    print(f"\n## 8-Gaussian ring, {args.samples} samples each")
    generative.print_ring_scores(measured(generative.ring_references(args.samples, args.seed),
                                          generative.score_ring, RING_SAMPLERS))

    print("\n## Sampling time")
    for name, value in seconds.items():
        print(f"{name:<10} {value:6.1f} s")


if __name__ == "__main__":
    main()
