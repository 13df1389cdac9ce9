"""The application shell: settings, storage, services, the server and the CLI."""
