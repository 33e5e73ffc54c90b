"""What the wheel needs beyond the ``hub`` package's files: the demo corpus ``content/`` (one copy,
at the repository root) as package data ``hub/demo_content``, so ``hub init --demo`` works from an
installed hub, and the translations compiled (``.po`` → ``.mo``)."""

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithDemoContentAndTranslations(build_py):
    def run(self) -> None:
        super().run()
        hub = Path(self.build_lib) / "hub"
        shutil.rmtree(hub / "demo_content", ignore_errors=True)
        shutil.copytree(ROOT / "content", hub / "demo_content")
        for po in (ROOT / "hub" / "translations").glob("*/LC_MESSAGES/messages.po"):
            target = hub / po.relative_to(ROOT / "hub").with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, target.open("wb") as out:
                write_mo(out, read_po(source))


setup(cmdclass={"build_py": BuildWithDemoContentAndTranslations})
