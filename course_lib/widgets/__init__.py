"""Live-exploration widgets.

Each builder returns an ipywidgets container ready to display; the work it does on a
change is a plain function in the same module (or in the module the lesson is about), so
it can be tested without a browser. Callbacks only redraw: they never train a model.
"""

from .timeline import timeline_explorer

# Part I builders (notebooks 01-03) are imported here.
# isort: split
from .activations import activation_explorer
from .approximation import approximation_explorer
from .dimensions import dimension_explorer
from .perceptron import perceptron_stepper
from .playground import network_playground

# isort: split

# Part II builders (notebooks 04-05) are imported here.
from .optimizers import learning_rate_explorer, optimizer_race
from .regularization import capacity_explorer

# isort: split

# Part III builders (notebooks 06-08) are imported here.
from .adversarial import fgsm_explorer
from .feature_maps import feature_map_browser
from .filters import filter_explorer

# isort: split

# Part IV builders (notebooks 09-11) are imported here.
from .language import temperature_explorer
from .recurrent import gate_explorer, gradient_flow_explorer

# isort: split

# Part V builders (notebooks 12-13) are imported here.
from .latent import interpolation_explorer, latent_explorer

# isort: split

# Part VI builders (notebook 16) are imported here.
from .pipelines import pipeline_explorer

# isort: split

# Part V (b) builders (notebook 14) are imported here.
from .generative import snapshot_scrubber

# isort: split

# Part V (b) builders (notebook 15) are imported here.
from .diffusion import noise_schedule_explorer
