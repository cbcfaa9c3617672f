"""From-scratch NumPy reference implementations, the ones the notebooks teach.

Layouts follow Keras so weights copy both ways: images NHWC, conv kernels
``(kh, kw, C_in, C_out)``, dense kernels ``(in, out)``, recurrent weights as
``keras.layers.SimpleRNN/LSTM/GRU`` store them. Each layer has
``*_forward(...) -> (out, cache)`` and ``*_backward(dout, cache) -> grads``.

NumPy only: importing this package does not import TensorFlow.
"""

# Activations, losses, dense layers, the MLP, the perceptron and gradient checking
# (notebooks 01-03) are exported here.

# Optimizers and gradient clipping (notebook 04) are exported here.

# Convolution and pooling (notebooks 06-08) are exported here.
