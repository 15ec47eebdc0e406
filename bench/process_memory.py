"""This process's own peak memory.

VmHWM in /proc/self/status is the peak resident set of this process image: it starts afresh at
exec. getrusage's ru_maxrss does not: a child started by a parent that once used 600 MiB reports
at least 600 MiB, whatever it uses itself (Linux keeps the peak across exec).
"""

import resource
from pathlib import Path

STATUS = Path("/proc/self/status")


def peak_rss_mib() -> float:
    """The highest resident memory this process has had so far, in MiB."""
    try:
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # "VmHWM:   151234 kB"
    except OSError:
        pass
    # Not Linux: the best there is (see above for how it can mislead).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
