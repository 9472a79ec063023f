"""The same network and recipe in PyTorch on the CPU (the second baseline).

784-50-10, sigmoid hidden layer, softmax + cross entropy, float32, plain SGD
(``torch.optim.SGD``, no momentum), batch 100, learning rate 0.1, weights
drawn from N(0, 0.01^2) and zero biases as in the book, a fresh shuffle each
epoch, the mini-batch loss read out (``loss.item()``) at every step, and
accuracy over the full training and test sets after every epoch (under
``torch.no_grad``). Torch runs with its default thread settings.

PyTorch is an optional extra of the benchmark only: nnguide never imports it.
"""

import time

import numpy as np


def _model(torch, seed):
    generator = torch.Generator().manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 50),
        torch.nn.Sigmoid(),
        torch.nn.Linear(50, 10),
    )
    with torch.no_grad():
        for layer in (model[0], model[2]):
            layer.weight.normal_(0.0, 0.01, generator=generator)
            layer.bias.zero_()
    return model


def _accuracy(torch, model, x, t):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == t).float().mean().item()


def train(data, iters_num=10000, batch_size=100, learning_rate=0.1, seed=0):
    """Train and return the per-epoch train and test accuracies."""
    import torch

    (x_train, t_train), (x_test, t_test) = data
    x_train = torch.from_numpy(np.ascontiguousarray(x_train, dtype=np.float32))
    x_test = torch.from_numpy(np.ascontiguousarray(x_test, dtype=np.float32))
    t_train = torch.from_numpy(t_train.astype(np.int64))
    t_test = torch.from_numpy(t_test.astype(np.int64))

    model = _model(torch, seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed + 1)
    train_size = len(x_train)
    iter_per_epoch = max(train_size // batch_size, 1)

    train_loss, train_acc, test_acc = [], [], []
    order = None
    for i in range(iters_num):
        step_in_epoch = i % iter_per_epoch
        if step_in_epoch == 0:
            order = torch.randperm(train_size, generator=generator)
        idx = order[step_in_epoch * batch_size:(step_in_epoch + 1) * batch_size]
        loss = loss_fn(model(x_train[idx]), t_train[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        train_loss.append(loss.item())
        if (i + 1) % iter_per_epoch == 0:
            train_acc.append(_accuracy(torch, model, x_train, t_train))
            test_acc.append(_accuracy(torch, model, x_test, t_test))
    return train_acc, test_acc


def warm_up(torch):
    """Build and step a throwaway model once.

    The first optimizer and the first backward pass of a process load parts of
    torch lazily (a second or more); that one-off cost is kept off the clock.
    """
    model = _model(torch, 0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x, t = torch.zeros(2, 784), torch.zeros(2, dtype=torch.int64)
    loss = torch.nn.CrossEntropyLoss()(model(x), t)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    _accuracy(torch, model, x, t)


def run(data, iters, batch_size=100, learning_rate=0.1, seed=0):
    import torch

    warm_up(torch)
    start, cpu_start = time.perf_counter(), time.process_time()
    train_acc, test_acc = train(data, iters, batch_size, learning_rate, seed)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "epochs": len(test_acc),
            "train_acc": train_acc[-1] if train_acc else None,
            "test_acc": test_acc[-1] if test_acc else None}


def version():
    """torch's version, or None when torch is not installed (without importing it)."""
    from importlib import metadata
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return None
