"""The data dir holds password hashes, the audit log, uploads and every client's chunks: only its owner
may read it. Created 0700; files created by this process are 0600 (umask 077); an existing data dir that
others could read is tightened once, when it is opened."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600


def secure_data_dir(path: Path) -> Path:
    """Create ``path`` (0700) if needed, set the process umask to 077, and remove group/other access from
    everything already inside it. Returns ``path``."""
    os.umask(0o077)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    loose = 0
    for root, _dirs, files in os.walk(path):
        for name in [root, *(os.path.join(root, f) for f in files)]:
            try:
                st = os.lstat(name)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode) or not st.st_mode & 0o077:
                continue
            try:
                os.chmod(name, DIR_MODE if stat.S_ISDIR(st.st_mode) else FILE_MODE)
                loose += 1
            except OSError:
                log.warning("cannot restrict the permissions of a file in the data dir (not its owner?)")
    if loose:
        log.info("data dir: removed group/other access from %d entries", loose)
    return path
