"""The transport of the sandbox session layer: the console WebSocket consumer (consumer.py), its
channel-layer resilience (layer.py) and its URL (routing.py)."""
