"""Settings of a checkout: the defaults live in ``hub/settings.py`` (installed with the package).

Every setting can be overridden from the environment as ``HUB_<NAME>``; ``python config.py`` prints
what a checkout resolves to. Not installed with the wheel.
"""

from __future__ import annotations

from hub.settings import resolve_paths, settings

__all__ = ["resolve_paths", "settings"]

if __name__ == "__main__":
    for name, value in sorted(resolve_paths(settings()).items()):
        print(f"{name} = {'…' if 'PASSWORD' in name or 'SECRET' in name or 'TOKEN' in name else value}")
