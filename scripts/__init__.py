"""Developer tools: try channels locally without provider accounts."""
