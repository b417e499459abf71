"""The simulated API server: decoding, defaulting, validation and its error types."""
