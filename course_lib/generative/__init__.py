"""The course's generative toolkit: pretrained generators and sample-quality metrics.

Notebooks 12-15 (autoencoders, VAEs, GANs, diffusion) share it.

**Sampling.** ``sample(name, n, seed=0)`` draws ``n`` samples from one of the course's
pretrained generators, the same ones for the same seed::

    from course_lib import generative
    generative.available()                 # {"vae": "convolutional VAE ...", ...}
    digits = generative.sample("vae", 1000)   # (1000, 28, 28, 1) float32 in [0, 1]

Image generators return ``(n, 28, 28, 1)`` float32 in [0, 1]; 2-D generators ``(n, 2)``
float32. An unknown name raises ``ValueError`` listing the available ones. Generators are
registered in :mod:`course_lib.generative.registry`; their weights are small ``.keras``
files in ``data/`` made by the scripts in ``scripts/`` (:mod:`.pretrained`).

**Digits.** :func:`score_images` measures 1,000 generated digits with the course's MNIST
classifier: the Fréchet distance in its feature space (an "FID for MNIST"), the share it
labels with confidence above 0.9, and the class histogram (mode dropping).
:func:`image_references` gives the comparison points (real held-out digits, a Gaussian
fitted to the pixels, uniform noise), and :func:`print_image_scores` prints a table::

    scores = [generative.score_images(images, name)
              for name, images in generative.image_references().items()]
    scores.append(generative.score_images(generative.sample("vae", 1000), "VAE"))
    generative.print_image_scores(scores)

**2-D data.** :func:`ring_data` draws the 8-Gaussian ring (radius 2, sigma 0.02);
:func:`score_ring` gives the energy distance to the ring, the modes covered (at least 20
of 1,000 samples within 3 sigma) and the high-quality share (samples within 3 sigma of a
mode); :func:`ring_references` and :func:`print_ring_scores` play the same roles as for
digits, and :func:`plot_ring` draws samples over the modes.

**Plain metrics.** :mod:`course_lib.generative.metrics` holds the functions themselves
(:func:`frechet_distance`, :func:`energy_distance`, :func:`modes_covered`, ...), which
work on any arrays.

Importing this package does not import TensorFlow; sampling or classifying does. The
Keras models (the classifier builder, encoders, decoders, the :class:`VAE` class) are in
:mod:`course_lib.generative.models`.
"""

from . import metrics, ring
from .digits import (
    ImageScores,
    classify,
    image_references,
    pixel_gaussian,
    plot_class_histogram,
    print_image_scores,
    score_images,
)
from .metrics import (
    class_histogram,
    confident_share,
    energy_distance,
    frechet_distance,
    high_quality_share,
    modes_covered,
    smallest_class_share,
)
from .registry import available, info, register, sample
from .ring import (
    RING_MODES,
    RING_RADIUS,
    RING_SIGMA,
    RingScores,
    plot_ring,
    print_ring_scores,
    ring_centres,
    ring_data,
    ring_references,
    score_ring,
)

__all__ = [
    "RING_MODES",
    "RING_RADIUS",
    "RING_SIGMA",
    "ImageScores",
    "RingScores",
    "available",
    "class_histogram",
    "classify",
    "confident_share",
    "energy_distance",
    "frechet_distance",
    "high_quality_share",
    "image_references",
    "info",
    "metrics",
    "modes_covered",
    "pixel_gaussian",
    "plot_class_histogram",
    "plot_ring",
    "print_image_scores",
    "print_ring_scores",
    "register",
    "ring",
    "ring_centres",
    "ring_data",
    "ring_references",
    "sample",
    "score_images",
    "score_ring",
    "smallest_class_share",
]
