"""Command line: ``python -m nnguide train`` runs the book's MNIST recipe.

Every error is one line on stderr, never a traceback: a bad option exits
with 2 (argparse), a data problem or a diverged run with 1, Ctrl-C with 130
after saying where the training stopped; a closed pipe (``| head -1``) ends
quietly.
"""

import argparse
import math
import os
import re
import sys
import time
import traceback
from pathlib import Path

import numpy as np

from nnguide import mnist
from nnguide.train import train
from nnguide.two_layer_net import TwoLayerNet

TRAIN_SIZE = 60000


def _whole(least, most=None):
    """An argparse type: a whole number in [least, most]."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least or (most is not None and value > most):
            bound = f"between {least} and {most}" if most is not None else f">= {least}"
            raise argparse.ArgumentTypeError(f"{value} is not {bound}")
        return value
    parse.__name__ = "whole number"
    return parse


def _rate(text):
    """An argparse type: a positive, finite number (the learning rate)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text} is not a positive, finite number "
                                         f"(the book uses 0.1)")
    return value


def _folder(text):
    """An argparse type: an existing folder."""
    path = Path(text).expanduser()
    if not path.is_dir():
        what = "is a file" if path.exists() else "does not exist"
        raise argparse.ArgumentTypeError(f"{text} {what}; give the folder that holds "
                                         f"the four MNIST .gz files")
    return path


def _new_folder(text):
    """An argparse type: a folder to put files in (it need not exist yet)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty name is not a folder")
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder")
    return path


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (argparse prints the whole usage first)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser():
    parser = _Parser(prog="python -m nnguide", description="nnguide command line")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("train", help="train a 784-hidden-10 network on MNIST "
                                     "(the book's recipe by default)")
    p.add_argument("--iters", type=_whole(1), default=10000, help="SGD steps (10000)")
    p.add_argument("--batch-size", type=_whole(1, TRAIN_SIZE), default=100,
                   help="samples per step (100)")
    p.add_argument("--lr", type=_rate, default=0.1, help="learning rate (0.1)")
    p.add_argument("--hidden", type=_whole(1), default=50, help="hidden units (50)")
    p.add_argument("--seed", type=_whole(0), default=0, help="random seed (0)")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                   help="floating-point precision for training (float32)")
    p.add_argument("--data-dir", type=_folder, default=None,
                   help="folder holding the four MNIST files (else $NNGUIDE_DATA, "
                        "then the user cache, then download)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    d = sub.add_parser("download", help="download and verify the four MNIST files")
    d.add_argument("--data-dir", type=_new_folder, default=None,
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
          f"{args.iters} iterations, {args.dtype}", flush=True)

    def log(epoch, train_acc, test_acc):
        message = f"epoch {epoch:2d}  train acc {train_acc:.4f}  test acc {test_acc:.4f}"
        if args.no_progress:
            print(message, flush=True)
        else:
            from tqdm.auto import tqdm
            tqdm.write(message)

    start = time.perf_counter()
    # A run that diverges stops with one clear error (FloatingPointError);
    # NumPy's overflow warnings on the way there would only add noise.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        history = train(net, x_train.astype(dtype, copy=False), t_train,
                        x_test.astype(dtype, copy=False), t_test,
                        iters_num=args.iters, batch_size=args.batch_size,
                        learning_rate=args.lr, rng=np.random.default_rng(args.seed + 1),
                        progress=not args.no_progress, log=log)
    seconds = time.perf_counter() - start
    print(f"final test accuracy {history.test_acc[-1]:.4f} ({seconds:.1f} s)")
    return 0


def _where_training_stopped(error):
    """'at iteration i of n (last test accuracy a)' from an interrupted train()."""
    for frame, _ in traceback.walk_tb(error.__traceback__):
        if frame.f_code is train.__wrapped__.__code__:
            names = frame.f_locals
            history, done = names.get("history"), len(names["history"].train_loss)
            # Ctrl-C may land between the two appends of an epoch: report
            # the last epoch whose train and test accuracy were both recorded.
            epochs = min(len(history.train_acc), len(history.test_acc))
            accuracy = (f", last accuracy: train {history.train_acc[epochs - 1]:.4f}, "
                        f"test {history.test_acc[epochs - 1]:.4f} (after epoch "
                        f"{epochs - 1})") if epochs else ""
            return f" after {done} of {names['iters_num']} iterations{accuracy}"
    return ""


def _one_line(error):
    """An error as one line: the English lines of a multi-line message, joined."""
    if isinstance(error, mnist.MNISTNotFoundError):
        return ("the MNIST files were not found on disk and could not be downloaded "
                "(the reasons are above). Put the four .gz files in a folder and pass "
                "--data-dir FOLDER (or set $NNGUIDE_DATA), or run "
                "'python -m nnguide download' where the network works.")
    if isinstance(error, MemoryError):
        return (f"not enough memory ({error or 'MemoryError'}); try a smaller --hidden "
                f"or --batch-size.")
    lines = [line.strip() for line in str(error).splitlines()]
    english = [line for line in lines if line and not re.search("[\u4e00-\u9fff]", line)]
    return " ".join(english or lines)


def main(argv=None):
    args = build_parser().parse_args(argv)
    commands = {"train": run_train, "download": run_download}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt as error:
        where = _where_training_stopped(error) or (
            " before training started" if args.command == "train" else "")
        newline = "" if getattr(args, "no_progress", False) else "\n"  # end a progress bar
        print(f"{newline}interrupted{where}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader closed the pipe (| head): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (mnist.MNISTNotFoundError, mnist.MNISTCorruptFileError, OSError,
            FloatingPointError, ValueError, TypeError, MemoryError) as error:
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
