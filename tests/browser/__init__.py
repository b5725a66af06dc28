"""The whole summit driven by a real browser: Playwright and the system Chromium."""
