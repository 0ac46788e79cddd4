"""Bad News Drill: practise delivering bad news to a buyer, offline, deterministic and explainable."""

import os as _os

__version__ = "0.1.0"

# The detector's matrices are small (one reply at a time): a BLAS thread pool per process only fights the
# other processes for the cores (a served class runs one app per browser tab; the tests run beside each other).
# Set before numpy is first imported; a value the user set is kept.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_variable, "1")
