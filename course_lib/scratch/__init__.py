"""From-scratch NumPy reference implementations, the ones the notebooks teach.

Layouts follow Keras so weights copy both ways: images NHWC, conv kernels
``(kh, kw, C_in, C_out)``, dense kernels ``(in, out)``, recurrent weights as
``keras.layers.SimpleRNN/LSTM/GRU`` store them. Each layer has
``*_forward(...) -> (out, cache)`` and ``*_backward(dout, cache) -> grads``.

NumPy only: importing this package does not import TensorFlow.
"""

# Activations, losses, dense layers, the MLP, the perceptron and gradient checking
# (notebooks 01-03) are exported here.
from . import activations, losses
from .activations import (
    activation_backward,
    activation_forward,
    arctan,
    arctan_derivative,
    elu,
    elu_derivative,
    leaky_relu,
    leaky_relu_derivative,
    maxout_backward,
    maxout_forward,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_backward,
    tanh,
    tanh_derivative,
)
from .dense import dense_backward, dense_forward, dense_parameter_count
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    categorical_cross_entropy,
    categorical_cross_entropy_gradient,
    hinge,
    hinge_gradient,
    mae,
    mae_gradient,
    mse,
    mse_gradient,
)
from .mlp import MLP
from .perceptron import (
    boolean_gate,
    perceptron_predict,
    perceptron_update,
    step,
    train_neuron,
    train_perceptron,
)

# isort: split

# Optimizers and gradient clipping (notebook 04) are exported here.
from .optimizers import (
    OPTIMIZERS,
    SGD,
    Adam,
    AdaptiveStep,
    AMSGrad,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
    clip_by_global_norm,
    clip_by_norm,
    clip_by_value,
    global_norm,
)

# isort: split

# Convolution and pooling (notebooks 06-08) are exported here.
from .conv import (
    avgpool2d_backward,
    avgpool2d_forward,
    conv2d_backward,
    conv2d_forward,
    maxpool2d_backward,
    maxpool2d_forward,
)

# isort: split

# Recurrent layers: simple RNN, LSTM and GRU (notebooks 09-10) are exported here.
from .recurrent import (
    RecurrentCache,
    gru_backward,
    gru_forward,
    lstm_backward,
    lstm_forward,
    rnn_backward,
    rnn_forward,
)
