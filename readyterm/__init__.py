"""readyterm: close the gap between "works on my machine" and "works in production"."""

__version__ = "0.1.0"
