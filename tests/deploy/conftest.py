"""The environment of a production server, for the deployment tests."""

import pytest

from tests.deploy.helpers import production_environment


@pytest.fixture
def production_env(tmp_path):
    return production_environment(tmp_path)
