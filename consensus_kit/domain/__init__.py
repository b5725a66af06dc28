"""The domain: plain value types and pure rules. No I/O, no storage, no web."""
