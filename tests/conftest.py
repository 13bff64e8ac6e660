def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes a minute or more (the generated corpus)")
