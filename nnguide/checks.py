"""Guard rails: every public function checks its arguments here, at the boundary.

A function the pages teach carries one line, ``@check_args(...)``, and its
body stays the book's math. The decorator checks and converts each argument
by a named rule before the body runs, and turns a NumPy scalar result into a
Python number (so ``0.51`` prints as ``0.51``, not ``np.float64(0.51)``).
For example:

    @check_args(y="probabilities", t="labels")
    def cross_entropy_error(y, t):
        ...

Arguments not named in the call get the rule of their parameter name in
``DEFAULT_RULES`` (``lr`` is a rate, ``step_num`` a count, ``f`` a function).
Every error names the function and the argument, says what was given, what
was expected and how to fix it. ``TypeError`` means a wrong kind of value,
``ValueError`` a right kind with a wrong shape or value.

The rules
---------
- ``"real"``: one real number (not bool, not complex), finite (``nan``
  passes: NaN in, NaN out) and within the range of a float.
- ``"step"``: ``h``: a positive, finite real number that the dtype of ``x``
  can resolve: in float16/float32, ``x + h`` may round so badly that the
  difference quotient is wrong (at ``x = 1000`` in float32 the slope of
  ``x**2`` comes out 2500 instead of 2000); that is an error advising
  float64. For one number ``x`` (``numerical_diff``) float64 is checked too:
  at ``x = 1e20``, ``x + 1e-4 == x`` and the slope would be 0, so that is an
  error advising a larger ``h``. For a float64 *array* the step is lost only
  beyond ``|x| ~ 1e12``, where the result is returned as it is (the book's
  ``lr=10.0`` example stops moving there, and shows that). A network's
  ``numerical_gradient`` nudges its parameters, not its input ``x``: there
  the check is left to ``numerical_gradient``.
- ``"function"``: A callable that takes one argument; each call must return
  one real number (a NumPy scalar, a 0-d or size-1 array, or a Python
  number).
- ``"numbers"``: real numbers of any shape, as a float array (integers
  become float64).
- ``"numbers without nan"``: ``"numbers"`` without ``nan``, for a function
  whose answer for ``nan`` would be a number (``nan > 0`` is False: the step
  function would say 0).
- ``"scores"``: ``"numbers"`` of shape (C,) or (N, C), not empty, without
  ``+inf`` and with at least one score above ``-inf`` in every row (else
  softmax divides 0 by 0).
- ``"outputs"`` / ``"probabilities"``: A network's output as a batch: shape
  (C,) becomes (1, C); must be (N, C) and not empty. Probabilities must lie
  in [0, 1] (``nan`` passes, so a diverged run still shows ``nan``); rows
  need not sum to 1, since the cross-entropy only reads the right class's
  probability.
- ``"labels"`` / ``"one-hot"`` / ``"targets"``: targets ``t`` for ``N``
  samples of ``C`` classes, taken from ``y`` or from the network. Accepted:
  class labels of shape (N,) or (N, 1) (a single label for a single sample),
  or one-hot rows of shape (N, C) (or (C,) for a single sample). Returned in
  the named form (``"targets"`` keeps the form given). One-hot rows must
  hold a single 1 and zeros (bool one-hot rows are accepted and become
  floats); labels must be integers in 0..C-1 (bool labels are refused: they
  are ambiguous).
- ``"float array"``: A NumPy array of floats that may be written to
  (``numerical_gradient`` nudges it in place and puts every element back).
- ``"point"``: A starting point: real numbers as a float array. float16 is
  refused, and so is a float32 point where ``x + 1e-4`` rounds (the step of
  ``numerical_gradient``).
- ``"rate"``, ``"positive"``: A positive, finite real number.
- ``"count"`` / ``"size"``: A whole number >= 0 / >= 1 (not bool, not
  float).
- ``"batch size"``: A size no larger than the data (``x_train`` or
  ``train_size``).
- ``"rng"``: ``None``, a seed (whole number >= 0) or a
  ``numpy.random.Generator``.
- ``"dtype"``: ``float32`` or ``float64``.
- ``"flag"``: ``True`` or ``False`` (not ``"False"``, which is a true
  value).
- ``"callback"``: ``None`` or a callable.
- ``"network"``: an object with ``params`` (a dict of float arrays),
  ``loss_and_gradient(x, t)`` and ``accuracy(x, t)``.
- ``"input"`` / ``"batch"`` (methods of a network): Input ``x`` whose last
  axis matches the network's first weight matrix, converted to the weights'
  dtype. ``"batch"`` also makes (D,) into (1, D).
- ``"finite batch"`` (``accuracy``): ``"batch"`` with finite values, of a
  network whose parameters are finite: ``argmax`` of a row of ``nan`` is 0,
  so an accuracy of ``nan`` input (or of a diverged network) would be a
  silently wrong number.
- ``"weights"``: ``None`` or a float matrix of the shape the class expects.
- ``"samples"``: A float array of shape (N, D), not empty; with a
  ``network`` argument, D must match its input size.
- ``"data"``: samples for training: ``"samples"`` with finite values.
- ``"callable"``: anything callable, left as it is (a plotting function's
  ``f`` may take a whole array and return an array).
- ``"language"``: ``"zh"`` or ``"en"``.
- ``"history"``: A ``TrainingHistory`` (or an object with ``train_loss``,
  ``train_acc`` and ``test_acc``).
"""

import functools
import inspect
import math
import numbers

import numpy as np

__all__ = ["DEFAULT_RULES", "check_args", "stop_if_diverged"]

DEFAULT_RULES = {
    "f": "function",
    "h": "step",
    "init_x": "point",
    "lr": "rate",
    "learning_rate": "rate",
    "weight_init_std": "positive",
    "step_num": "count",
    "iters_num": "count",
    "input_size": "size",
    "hidden_size": "size",
    "output_size": "size",
    "batch_size": "batch size",
    "chunk_size": "size",
    "train_size": "size",
    "rng": "rng",
    "dtype": "dtype",
    "progress": "flag",
    "log": "callback",
    "network": "network",
    "x_train": "data",
    "x_test": "data",
    "t_train": "targets",
    "t_test": "targets",
    "lang": "language",
    "history": "history",
}
"""The rule of a parameter when ``check_args`` does not name one."""

STEP_TOLERANCE = 0.01
"""Largest relative error of the realized step ``(x + h) - (x - h)`` vs ``2h``."""


def check_args(func=None, /, **rules):
    """Decorator: check ``func``'s arguments by rule before its body runs.

    ``@check_args`` uses ``DEFAULT_RULES`` by parameter name;
    ``@check_args(x="real")`` names the rule of a parameter. Parameters
    with neither (and ``self``) pass unchecked. A NumPy scalar or 0-d array
    result, or one inside a returned tuple, becomes a Python number. A
    ``"float array"`` argument is restored if the function raises (it may be
    changed in place).
    """
    if func is None:
        return functools.partial(check_args, **rules)
    signature = inspect.signature(func)
    names = list(signature.parameters)
    unknown = set(rules) - set(names)
    if unknown:
        raise TypeError(f"check_args: {func.__qualname__} has no parameter "
                        f"{sorted(unknown)}")
    plan = []
    for name in names:
        rule = rules.get(name, DEFAULT_RULES.get(name))
        if rule is not None:
            if rule not in RULES:
                raise TypeError(f"check_args: unknown rule {rule!r} for {name}")
            plan.append((name, RULES[rule]))
    label = func.__qualname__.replace(".__init__", "")
    restore = [name for name, rule in plan if rule is _float_array]
    simple = all(p.kind is p.POSITIONAL_OR_KEYWORD for p in signature.parameters.values())
    defaults = {name: p.default for name, p in signature.parameters.items()
                if p.default is not p.empty}

    def bind(args, kwargs):
        """The arguments by name, defaults filled in (fast for plain signatures)."""
        if simple and len(args) <= len(names) and kwargs.keys() <= set(names[len(args):]):
            values = dict(defaults)
            values.update(zip(names, args))
            values.update(kwargs)
            if len(values) == len(names):
                return values
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            raise TypeError(f"{label}: {error}. Signature: {label}{signature}") from None
        bound.apply_defaults()
        return bound.arguments

    @functools.wraps(func)
    def checked(*args, **kwargs):
        values = bind(args, kwargs)
        for name, rule in plan:
            values[name] = rule(values[name], _Where(label, name, values))
        if not restore:
            return _plain(func(**values))
        saved = [(values[name], values[name].copy()) for name in restore]
        try:
            return _plain(func(**values))
        except BaseException:
            for array, copy in saved:
                array[...] = copy
            raise

    checked.rules = dict(plan)
    return checked


class _Where:
    """The function and argument a rule is checking, and the other arguments."""

    __slots__ = ("func", "name", "args")

    def __init__(self, func, name, args):
        self.func, self.name, self.args = func, name, args

    def type_error(self, given, expected, fix):
        return TypeError(f"{self.func}: {self.name} must be {expected}, got {given}. {fix}")

    def value_error(self, given, expected, fix):
        return ValueError(f"{self.func}: {self.name} must be {expected}, got {given}. {fix}")


def _plain(result):
    if isinstance(result, np.generic) or (isinstance(result, np.ndarray) and result.ndim == 0):
        return result.item()
    if type(result) is tuple:
        return tuple(_plain(item) for item in result)
    return result


def _describe(value):
    """A short description of a value for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    if isinstance(value, (list, tuple)):
        text = repr(value)
        return f"a {type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if value is None:
        return "None"
    text = repr(value)
    return f"{text if len(text) <= 40 else text[:37] + '...'} ({type(value).__name__})"


def stop_if_diverged(loss, iteration, learning_rate):
    """Raise ``FloatingPointError`` if a training loss is NaN or infinite."""
    if not math.isfinite(loss):
        raise FloatingPointError(
            f"train: the loss became {loss} at iteration {iteration} "
            f"(learning_rate={learning_rate}): the training diverged. "
            f"Lower the learning rate (the book uses 0.1) and train again.")


# ---------------------------------------------------------------- numbers

def _real(value, where):
    if isinstance(value, (bool, np.bool_)) or not (
            isinstance(value, (numbers.Real, np.integer, np.floating))
            or (isinstance(value, np.ndarray) and value.ndim == 0
                and value.dtype.kind in "iuf")):
        several = isinstance(value, (list, tuple, np.ndarray)) and where.name == "x"
        raise where.type_error(
            _describe(value), "one real number",
            "For a function of several variables use numerical_gradient(f, x) "
            "with a float array x." if several
            else _POSITIVE_FIX.get(where.name, "Pass e.g. 5 or 5.0."))
    try:
        float(value)
    except OverflowError:
        raise where.value_error(f"an integer of {len(str(abs(int(value))))} digits",
                                "a number within the range of a float (about 1.8e308)",
                                "Pass a smaller number.") from None
    return value


def _real_finite(value, where):
    value = _real(value, where)
    if math.isinf(value):
        raise where.value_error(repr(value), "a finite number (or nan)",
                                "At infinity x + h == x: there is no slope to measure.")
    return value


def _positive(value, where):
    if type(value) is not float:
        _real(value, where)
    if not (math.isfinite(value) and value > 0):
        raise where.value_error(repr(value), "a positive, finite number",
                                _POSITIVE_FIX.get(where.name, "Pass e.g. 0.1."))
    return value


_POSITIVE_FIX = {
    "h": "The book uses h = 1e-4.",
    "lr": "The book uses lr = 0.1 (try 0.01 to 1.0).",
    "learning_rate": "The book uses learning_rate = 0.1 (try 0.01 to 1.0).",
    "weight_init_std": "The book uses weight_init_std = 0.01.",
}


def _step(value, where):
    h = _positive(value, where)
    args = where.args
    x = args.get("x")
    if "self" in args:
        return h    # a network's x is its input; its parameters are checked when nudged
    if isinstance(x, np.ndarray) and x.ndim:            # numerical_gradient
        if x.dtype.kind != "f" or x.dtype == np.float64 or not x.size:
            return h
        values = x
    else:                                               # numerical_diff: one number
        dtype = (np.result_type(x, 1.0) if isinstance(x, (np.generic, np.ndarray))
                 else np.dtype(np.float64))
        values = np.asarray(x, dtype=dtype)
    lost = _lost_step(values, h)
    if lost is None:
        return h
    worst, error = lost
    dtype = values.dtype
    if dtype == np.float64:
        raise where.value_error(
            f"h={h} at x={worst:g}", "a step that float64 can resolve",
            f"float64 keeps about 16 digits, so x + h rounds (a step {error:.0%} off) and "
            f"the slope would be wrong. Use a step relative to x, e.g. h=1e-4 * abs(x).")
    raise where.value_error(
        f"h={h} with x of dtype {dtype} (|x| up to {worst:g})",
        f"a step that {dtype} can resolve",
        f"In {dtype}, x + h rounds (x + h == x, or a step {error:.0%} off), "
        f"so the derivative would be wrong. Use float64: x.astype(np.float64).")


def _lost_step(values, h):
    """(largest |x|, worst relative error) where ``x + h`` rounds too much, else None."""
    dtype = values.dtype
    with np.errstate(over="ignore", invalid="ignore"):
        step = (values + dtype.type(h)).astype(np.float64) - (values - dtype.type(h))
        error = np.abs(step - 2 * h) / (2 * h)
    bad = np.isfinite(values) & ~(error <= STEP_TOLERANCE)
    if not bad.any():
        return None
    return float(np.abs(values[bad]).max()), float(error[bad].max())


def _count(value, where, least=0):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral,
                                                                      np.integer)):
        raise where.type_error(_describe(value), f"a whole number >= {least}",
                               "Pass e.g. 100 (an int, not 100.0 or '100').")
    if value < least:
        raise where.value_error(repr(value), f"a whole number >= {least}",
                                "Pass e.g. 100.")
    return int(value)


def _size(value, where):
    return _count(value, where, least=1)


def _batch_size(value, where):
    size = _size(value, where)
    data = where.args.get("x_train")
    n = len(data) if data is not None else where.args.get("train_size")
    if n is not None and size > n:
        raise where.value_error(f"{size} with only {n} samples", f"at most {n}",
                                f"Use a smaller batch_size (the book uses 100), or more data.")
    return size


def _flag(value, where):
    if not isinstance(value, (bool, np.bool_)):
        raise where.type_error(_describe(value), "True or False",
                               "Note that the string 'False' counts as true.")
    return bool(value)


def _callback(value, where):
    if value is not None and not callable(value):
        raise where.type_error(_describe(value), "None or a function",
                               "Pass a function such as print, or leave it out.")
    return value


def _rng(value, where):
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral,
                                                                      np.integer)):
        raise where.type_error(_describe(value),
                               "None, a seed (a whole number >= 0) or a numpy Generator",
                               "Pass e.g. rng=0 or rng=np.random.default_rng(0).")
    if value < 0:
        raise where.value_error(repr(value), "a seed >= 0", "Pass e.g. rng=0.")
    return value


def _dtype(value, where):
    try:
        dtype = np.dtype(value)
    except TypeError:
        raise where.type_error(_describe(value), "float32 or float64",
                               "Pass np.float64 (exact) or np.float32 (faster).") from None
    if dtype not in (np.float32, np.float64):
        why = {"i": "integer weights would all be 0", "u": "integer weights would all be 0",
               "b": "bool weights would all be False",
               "f": f"{dtype} keeps too few digits for gradients"}.get(
                   dtype.kind, "weights must be real numbers")
        raise where.value_error(f"dtype {dtype}", "float32 or float64",
                                f"Pass np.float64 (exact) or np.float32 (faster); {why}.")
    return dtype


# ---------------------------------------------------------------- arrays

def _array(value, where, allow_bool=False):
    """``value`` as an ndarray of real numbers (any int/float dtype)."""
    if isinstance(value, np.ndarray):
        array = value
    else:
        if value is None or isinstance(value, (str, bytes)) or callable(value):
            raise where.type_error(_describe(value), "an array of numbers",
                                   "Pass a NumPy array or a list, e.g. np.array([0.1, 0.9]).")
        try:
            array = np.asarray(value)
        except ValueError:
            raise where.value_error(
                _describe(value), "an array of numbers with a rectangular shape",
                "Every row must have the same length (a ragged list has not).") from None
    kind = array.dtype.kind
    if kind == "b" and not allow_bool:
        raise where.type_error(f"a bool array of shape {array.shape}", "numbers",
                               f"Convert with {where.name}.astype(float).")
    if kind == "c":
        raise where.type_error(f"complex numbers (dtype {array.dtype})", "real numbers",
                               f"Pass the real part, {where.name}.real, if that is meant.")
    if kind not in "iufb":
        raise where.type_error(f"an array of dtype {array.dtype}", "an array of numbers",
                               "Pass numbers, e.g. np.array([0.1, 0.9]), not strings "
                               "or objects.")
    return array


def _numbers(value, where):
    array = _array(value, where)
    return array if array.dtype.kind == "f" else array.astype(np.float64)


def _numbers_without_nan(value, where):
    array = _numbers(value, where)
    if np.isnan(array).any():
        raise where.value_error(
            f"{np.isnan(array).sum()} nan value(s)", "numbers without nan",
            "nan > 0 is False, so the answer for nan would be a number that is not "
            "meant; remove or replace the nan first (np.isnan finds them).")
    return array


def _scores(value, where):
    array = _numbers(value, where)
    _not_empty(array, where)
    if array.ndim not in (1, 2):
        raise where.value_error(f"shape {array.shape}", "shape (C,) or (N, C)",
                                "Pass one row of scores per sample.")
    row_max = array.max(axis=-1)
    if np.isfinite(row_max).all():
        return array
    if (row_max == np.inf).any():
        raise where.value_error("scores of +inf", "finite numbers (or -inf)",
                                "An overflow earlier (a diverged training run?) made "
                                "them; lower the learning rate.")
    if (row_max == -np.inf).any():
        raise where.value_error("a row whose scores are all -inf",
                                "at least one score above -inf in every row",
                                "Every exp(score) would be 0, and 0 / 0 is not a "
                                "probability.")
    return array


def _not_empty(array, where):
    if array.size == 0:
        raise where.value_error(f"an empty array of shape {array.shape}",
                                "at least one sample",
                                "Check the slice or the batch indices that produced it.")


def _outputs(value, where):
    array = _numbers(value, where)
    _not_empty(array, where)
    if array.ndim == 1:
        return array.reshape(1, -1)
    if array.ndim != 2:
        raise where.value_error(f"shape {array.shape}", "shape (C,) or (N, C)",
                                "Pass one row per sample.")
    return array


def _probabilities(value, where):
    array = _outputs(value, where)
    if array.min() >= 0 and array.max() <= 1:
        return array
    numbers = array[~np.isnan(array)]                  # nan passes: nan in, nan out
    low, high = (numbers.min(), numbers.max()) if numbers.size else (0, 1)
    if low < 0 or high > 1:
        raise where.value_error(
            f"values from {low:.4g} to {high:.4g}", "probabilities in [0, 1]",
            "Scores are not probabilities: apply softmax first (log y > 0 would "
            "make the loss negative).")
    return array


def _target_size(where):
    """(N samples, C classes) that ``t`` must fit; C is None if unknown."""
    args = where.args
    if "y" in args:
        return args["y"].shape
    x = args["x" + where.name[1:]]          # t -> x, t_train -> x_train
    net = args.get("self", args.get("network"))
    weights = getattr(net, "params", {}).get("W2", getattr(net, "W", None))
    classes = weights.shape[1] if isinstance(weights, np.ndarray) else None
    return (len(x) if x.ndim == 2 else 1), classes


def _targets(value, where):
    """``t`` checked against N and C: (labels, None) or (None, one-hot rows)."""
    n, c = _target_size(where)
    t = _array(value, where, allow_bool=True)
    if t.ndim == 2 and t.shape[0] == n and t.shape[1] == (c or t.shape[1]) and t.shape[1] > 1 \
            or (n == 1 and t.ndim == 1 and t.shape[0] == c and c > 1):
        t = t.reshape(n, -1)
        # A single 1 in each row: n nonzero entries in all, each row summing to 1.
        if not (np.count_nonzero(t) == n and (t.sum(axis=1) == 1).all()):
            raise where.value_error(
                "rows that are not one-hot", "one-hot rows (a single 1, the rest 0)",
                "Pass integer class labels, or one-hot rows such as np.eye(10)[labels].")
        return None, (t.astype(_float_dtype(where)) if t.dtype.kind == "b" else t)
    if t.shape in ((n,), (n, 1)) or (n == 1 and t.ndim == 0):
        t = t.reshape(n)
        if t.dtype.kind not in "iu":
            raise where.type_error(f"labels of dtype {t.dtype}", "integer class labels",
                                   f"Convert with {where.name}.astype(int), or pass "
                                   f"one-hot rows.")
        if (t.dtype.kind == "i" and t.min() < 0) or (c is not None and t.max() >= c):
            expected = f"labels in 0..{c - 1}" if c else "labels >= 0"
            raise where.value_error(f"labels from {t.min()} to {t.max()}", expected,
                                    f"There are {c} classes." if c else "")
        return t, None
    c_text = c if c else "C"
    raise where.value_error(
        f"shape {t.shape}", f"class labels ({n},) or one-hot rows ({n}, {c_text})",
        f"Pass one label, or one one-hot row, per sample ({n} samples).")


def _float_dtype(where):
    """The float dtype of ``y`` or ``x`` (what one-hot rows are computed with)."""
    args = where.args
    data = args["y"] if "y" in args else args["x" + where.name[1:]]
    return data.dtype if data.dtype.kind == "f" else np.dtype(np.float64)


def _labels(value, where):
    labels, one_hot = _targets(value, where)
    return labels if labels is not None else one_hot.argmax(axis=1)


def _one_hot(value, where):
    labels, one_hot = _targets(value, where)
    if one_hot is not None:
        return one_hot
    dtype = _float_dtype(where)
    classes = _target_size(where)[1]
    if classes is None:
        raise where.value_error("class labels", "one-hot rows",
                                "The number of classes is unknown here.")
    return _identity(classes, dtype)[labels]


@functools.lru_cache(maxsize=16)
def _identity(classes, dtype):
    """The identity matrix whose rows are the one-hot rows (cached: hot path)."""
    eye = np.eye(classes, dtype=dtype)
    eye.flags.writeable = False
    return eye


def _targets_kept(value, where):
    labels, one_hot = _targets(value, where)
    return labels if labels is not None else one_hot


def _float_array(value, where):
    if not isinstance(value, np.ndarray):
        raise where.type_error(_describe(value), "a NumPy float array",
                               "It is changed in place and put back; use "
                               "np.array(..., dtype=float).")
    if value.dtype.kind != "f":
        raise where.type_error(
            f"an array of dtype {value.dtype}", "a floating-point array",
            "An integer array cannot hold x + 1e-4, so the result would be silently "
            "wrong (e.g. [25000, 35000] instead of [6, 8] at [3, 4]). "
            "Use x.astype(float) or np.array([3.0, 4.0]).")
    if not value.flags.writeable:
        raise where.value_error("a read-only array", "an array that may be written to",
                                "Its elements are nudged in place; pass x.copy().")
    return value


def _point(value, where):
    array = _numbers(value, where)
    if array.dtype == np.float16:
        raise where.type_error("a float16 array", "float32 or float64",
                               "float16 keeps about 3 digits: x + 1e-4 rounds to x. "
                               "Use x.astype(np.float64).")
    if array.dtype.kind == "f" and array.dtype != np.float64 and array.size:
        lost = _lost_step(array, 1e-4)
        if lost is not None:
            raise where.value_error(
                f"a {array.dtype} array with |x| up to {lost[0]:g}",
                "values where x + 1e-4 does not round",
                f"numerical_gradient's step would be {lost[1]:.0%} off there, so the "
                f"gradient would be wrong. Use float64: init_x.astype(np.float64).")
    return array


def _function(value, where):
    _callable(value, where)
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        signature = None     # a builtin without a signature: calling it will tell
    if signature is not None:
        try:
            signature.bind(None)
        except TypeError:
            raise where.type_error(f"a function of {signature}", "a function of one argument",
                                   "It is called as f(x); e.g. lambda x: x[0]**2 + x[1]**2 "
                                   "for a function of two variables.") from None
    func = where.func

    @functools.wraps(value)
    def scalar_valued(*args):
        result = value(*args)
        if isinstance(result, (numbers.Real, np.number)) and not isinstance(
                result, (bool, np.bool_, complex, np.complexfloating)):
            return result
        if isinstance(result, np.ndarray) and result.size == 1 and result.dtype.kind in "iuf":
            return result.reshape(()).item()
        raise TypeError(f"{func}: f must return one real number, got {_describe(result)}. "
                        f"Sum or pick the value to differentiate, e.g. "
                        f"lambda x: np.sum(x**2).")

    return scalar_valued


def _callable(value, where):
    if not callable(value):
        raise where.type_error(_describe(value), "a function",
                               "Pass a function of x, e.g. lambda x: x**2.")
    return value


def _network_input(value, where, batch):
    net = where.args["self"]
    weights = net.params["W1"] if hasattr(net, "params") else net.W
    x = _array(value, where)
    if x.dtype != weights.dtype:
        x = x.astype(weights.dtype)
    if x.ndim not in (1, 2) or x.shape[-1] != weights.shape[0]:
        d = weights.shape[0]
        raise where.value_error(f"shape {x.shape}", f"shape ({d},) or (N, {d})",
                                "Flatten images first, e.g. load_mnist(flatten=True).")
    _not_empty(x, where)
    return x.reshape(1, -1) if batch and x.ndim == 1 else x


def _finite_batch(value, where):
    x = _network_input(value, where, batch=True)
    if not np.isfinite(x).all():
        raise where.value_error(
            "NaN or infinite values", "finite numbers",
            "argmax of a row of NaN is 0, so the accuracy would be a wrong number. "
            "Check the data for missing values (np.isnan).")
    net = where.args["self"]
    for key, param in getattr(net, "params", {}).items():
        if not np.isfinite(param).all():
            raise ValueError(
                f"{where.func}: the network's params[{key!r}] must be finite numbers, got "
                f"NaN or infinite values (a diverged training run?), so the accuracy would "
                f"be a wrong number. Build a new network and train with a lower "
                f"learning rate.")
    return x


def _weights(value, where):
    if value is None:
        return None
    array = _numbers(value, where)
    if array.shape != (2, 3):
        raise where.value_error(f"shape {array.shape}", "shape (2, 3)",
                                "SimpleNet maps 2 inputs to 3 scores.")
    return array.copy()


def _samples(value, where):
    x = _numbers(value, where)
    if x.ndim != 2:
        raise where.value_error(f"shape {x.shape}", "shape (N, D): one row per sample",
                                "Use load_mnist(flatten=True).")
    _not_empty(x, where)
    params = getattr(where.args.get("network"), "params", None)
    weights = params.get("W1") if isinstance(params, dict) else None
    if isinstance(weights, np.ndarray) and weights.ndim == 2 and x.shape[1] != weights.shape[0]:
        d = weights.shape[0]
        raise where.value_error(f"shape {x.shape}", f"shape (N, {d}): the network's input size",
                                "Flatten images first, e.g. load_mnist(flatten=True), or "
                                "build the network for this data.")
    return x


def _data(value, where):
    x = _samples(value, where)
    if not np.isfinite(x.sum()) and not np.isfinite(x).all():   # the sum: no temporary
        raise where.value_error("NaN or infinite values", "finite numbers",
                                "Check the data for missing values (np.isnan).")
    return x


def _network(value, where):
    missing = [name for name in ("params", "loss_and_gradient", "accuracy")
               if not hasattr(value, name)]
    if missing:
        raise where.type_error(_describe(value), "a network such as TwoLayerNet",
                               f"It lacks {', '.join(missing)}.")
    return value


def _language(value, where):
    if not isinstance(value, str) or value not in ("zh", "en"):
        raise where.value_error(_describe(value), "'zh' or 'en'",
                                "Pass lang='zh' (Chinese labels) or lang='en' (English).")
    return value


def _history(value, where):
    missing = [name for name in ("train_loss", "train_acc", "test_acc")
               if not hasattr(value, name)]
    if missing:
        raise where.type_error(_describe(value), "a TrainingHistory",
                               f"It lacks {', '.join(missing)}; pass what train() returns.")
    return value


RULES = {
    "real": _real_finite,
    "step": _step,
    "positive": _positive,
    "rate": _positive,
    "count": _count,
    "size": _size,
    "batch size": _batch_size,
    "flag": _flag,
    "callback": _callback,
    "rng": _rng,
    "dtype": _dtype,
    "numbers": _numbers,
    "numbers without nan": _numbers_without_nan,
    "scores": _scores,
    "outputs": _outputs,
    "probabilities": _probabilities,
    "labels": _labels,
    "one-hot": _one_hot,
    "targets": _targets_kept,
    "float array": _float_array,
    "point": _point,
    "function": _function,
    "input": functools.partial(_network_input, batch=False),
    "batch": functools.partial(_network_input, batch=True),
    "finite batch": _finite_batch,
    "weights": _weights,
    "samples": _samples,
    "data": _data,
    "network": _network,
    "callable": _callable,
    "language": _language,
    "history": _history,
}
