"""Command line: ``python -m nnguide train`` runs the book's MNIST recipe."""

import argparse
import sys
import time

import numpy as np

from nnguide import mnist
from nnguide.train import train
from nnguide.two_layer_net import TwoLayerNet


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m nnguide",
                                     description="nnguide command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train", help="train a 784-hidden-10 network on MNIST "
                                     "(the book's recipe by default)")
    p.add_argument("--iters", type=int, default=10000, help="SGD steps (10000)")
    p.add_argument("--batch-size", type=int, default=100, help="samples per step (100)")
    p.add_argument("--lr", type=float, default=0.1, help="learning rate (0.1)")
    p.add_argument("--hidden", type=int, default=50, help="hidden units (50)")
    p.add_argument("--seed", type=int, default=0, help="random seed (0)")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                   help="floating-point precision for training (float32)")
    p.add_argument("--data-dir", default=None,
                   help="folder holding the four MNIST files (else $NNGUIDE_DATA, "
                        "then the user cache, then download)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    d = sub.add_parser("download", help="download and verify the four MNIST files")
    d.add_argument("--data-dir", default=None,
                   help="folder to keep the .gz files in (default: the user cache)")
    return parser


def run_download(args):
    folder = mnist.download(args.data_dir or mnist._cache_dir())
    print(f"MNIST ready in {folder}: the four files are there, checksums verified")
    return 0


def run_train(args):
    (x_train, t_train), (x_test, t_test) = mnist.load_mnist(data_dir=args.data_dir)
    dtype = np.dtype(args.dtype)
    net = TwoLayerNet(784, args.hidden, 10, rng=args.seed, dtype=dtype)
    print(f"training 784-{args.hidden}-10, batch {args.batch_size}, lr {args.lr}, "
          f"{args.iters} iterations, {args.dtype}")

    def log(epoch, train_acc, test_acc):
        message = f"epoch {epoch:2d}  train acc {train_acc:.4f}  test acc {test_acc:.4f}"
        if args.no_progress:
            print(message)
        else:
            from tqdm.auto import tqdm
            tqdm.write(message)

    start = time.perf_counter()
    history = train(net, x_train.astype(dtype, copy=False), t_train,
                    x_test.astype(dtype, copy=False), t_test,
                    iters_num=args.iters, batch_size=args.batch_size,
                    learning_rate=args.lr, rng=np.random.default_rng(args.seed + 1),
                    progress=not args.no_progress, log=log)
    seconds = time.perf_counter() - start
    final = history.test_acc[-1] if history.test_acc else net.accuracy(x_test, t_test)
    print(f"final test accuracy {final:.4f} ({seconds:.1f} s)")
    return 0


def main(argv=None):
    args = build_parser().parse_args(argv)
    commands = {"train": run_train, "download": run_download}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
