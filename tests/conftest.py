pytest_plugins = ["nicegui.testing.user_plugin"]
