"""The test suite. Imported before any conftest: the developer's own ``HUB_*`` settings (and a
Prometheus multiprocess folder) must not leak into tests, so they are cleared here, before the hub
or prometheus_client is imported. Only the variables that steer the suite itself stay."""

import os

SUITE_VARIABLES = {"HUB_TEST_DATABASE_URL", "HUB_REQUIRE_POSTGRES"}

for _name in [n for n in os.environ if n.startswith("HUB_") and n not in SUITE_VARIABLES]:
    del os.environ[_name]
os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
os.environ.pop("prometheus_multiproc_dir", None)
