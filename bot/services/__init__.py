"""The service layer: each event runs through the workflow in one transaction."""
