"""Deterministic randomness with a one-integer state (cheap to snapshot).

SplitMix64: tiny, fast, well distributed, and its whole state is one 64-bit integer, so a
snapshot carries it verbatim. All randomness in the simulator comes from here.
"""
from __future__ import annotations

_MASK = (1 << 64) - 1

# apiserver pkg/storage/names/generate.go uses apimachinery rand.String: this alphabet, 5 chars.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


class Rng:
    __slots__ = ("state",)

    def __init__(self, seed: int = 0):
        self.state = (int(seed) * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK

    def next_u64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """Uniform integer in [0, n)."""
        if n <= 0:
            raise ValueError("n must be positive")
        return self.next_u64() % n

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * (self.next_u64() >> 11) / float(1 << 53)

    def string(self, length: int, alphabet: str = NAME_ALPHABET) -> str:
        return "".join(alphabet[self.below(len(alphabet))] for _ in range(length))

    def uuid(self) -> str:
        """A version-4 shaped UUID string, as the API server assigns to metadata.uid."""
        hi, lo = self.next_u64(), self.next_u64()
        hi = (hi & ~(0xF << 12)) | (0x4 << 12)
        lo = (lo & ~(0x3 << 62)) | (0x2 << 62)
        h = f"{hi:016x}{lo:016x}"
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
