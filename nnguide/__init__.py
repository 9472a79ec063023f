"""nnguide: how a neural network learns from data (chapter 4 of
*Deep Learning from Scratch*), in small, tested numpy code."""

from nnguide.activations import relu, sigmoid, sigmoid_grad, softmax, step_function
from nnguide.differentiation import numerical_diff, numerical_gradient
from nnguide.gradient_descent import gradient_descent, gradient_descent_path
from nnguide.losses import cross_entropy_error, mean_squared_error
from nnguide.mnist import load_mnist
from nnguide.simple_net import SimpleNet
from nnguide.train import TrainingHistory, train
from nnguide.two_layer_net import TwoLayerNet

__version__ = "0.1.0"

__all__ = [
    "SimpleNet",
    "TrainingHistory",
    "TwoLayerNet",
    "cross_entropy_error",
    "gradient_descent",
    "gradient_descent_path",
    "load_mnist",
    "mean_squared_error",
    "numerical_diff",
    "numerical_gradient",
    "relu",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "step_function",
    "train",
]
