"""Shared pytest configuration."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: heavier checks (10 MB inputs measured in subprocesses, builds, the fuzz run); -m 'not slow' skips them"
    )
