"""Keys made from a seed, so a masking test's corpus is the same text in every process and every run.

`cryptography` draws new keys from the OS's randomness: a test that generates one sends a different text each run,
and a failure (stop 34's CI: a public key whose last line held `PW` by chance) could not be reproduced. These are
real keys of the usual kinds and sizes (RSA with e = 65537, DSA over a 2048-bit group, the NIST curves and
secp256k1, Ed25519, Ed448), built by `cryptography` from numbers drawn from `random.Random(seed)`. Made-up keys for
tests only: a seeded generator is no source of keys for anything else.
"""

from __future__ import annotations

import random
from functools import lru_cache
from math import gcd, prod
from typing import Any

from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

KINDS = ("rsa1024", "rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521", "secp256k1", "ed25519", "ed448", "dsa2048")

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]
_CURVES = {"p256": ec.SECP256R1(), "p384": ec.SECP384R1(), "p521": ec.SECP521R1(), "secp256k1": ec.SECP256K1()}


@lru_cache(maxsize=1)
def _sieve_product() -> int:
    """The primes from 2,000 to 2^18 multiplied (~0.1 s, once): one gcd with it (~1 ms at 2,048 bits) finds the small
    factors of ~40% of the composites the trial division lets through, which otherwise cost a modular
    exponentiation each (~17 ms at 2,048 bits): most of the time of a 3,072- or 4,096-bit key."""
    limit = 1 << 18
    sieve = bytearray([1]) * limit
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return prod(p for p in range(_SMALL_PRIMES[-1] + 1, limit) if sieve[p])


def _may_pass(a: int, d: int, s: int, g: int) -> bool:
    """Whether the Miller-Rabin round of base `a` could pass for a multiple of `g`: it passes only if a^d = 1 or
    a^(d·2^r) = -1 modulo n for some r < s, and then the same holds modulo g."""
    y = pow(a, d, g)
    if y in (1, g - 1):
        return True
    for _ in range(s - 1):
        y = y * y % g
        if y == g - 1:
            return True
    return False


def _probable_prime(n: int, rng: random.Random, rounds: int = 24, tested: int | None = None) -> bool:
    """Miller-Rabin with `rounds` bases drawn from `rng`; only the first `tested` (all by default) are computed.

    An RSA prime needs one: OpenSSL checks p and q for primality when `_rsa` builds the key (a composite raises
    there, it is never used). A random composite of 512 bits or more that passes one round is astronomically rare,
    so the other 23 rounds only confirmed a candidate already found, at a modular exponentiation each: the 48 seeded
    1,024-bit keys took 2.1 CPU-s with them, 1.2 without. Their bases are still drawn, so every later draw, and with
    it every seeded key, is the same as with 24 computed rounds (425 RSA keys compared, the tests' among them)."""
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    # n's small factors above the trial division, if any (only worth a gcd from 1,024 bits). The rounds draw their
    # bases as before and a round with a known factor is decided modulo it, with the same outcome: every seed gives
    # the same key as before this shortcut.
    g = gcd(n, _sieve_product()) if n.bit_length() >= 1024 else 1
    for round_ in range(rounds):
        a = rng.randrange(2, n - 1)
        if tested is not None and round_ >= tested:
            continue
        if g > 1 and not _may_pass(a, d, s, g):
            return False
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random, tested: int | None = None) -> int:
    """A prime of exactly `bits` bits whose top two bits are set (two of them make a modulus of twice the bits)."""
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if _probable_prime(candidate, rng, tested=tested):
            return candidate


def _rsa(bits: int, rng: random.Random) -> rsa.RSAPrivateKey:
    e = 65537
    while True:
        p, q = _prime(bits // 2, rng, tested=1), _prime(bits // 2, rng, tested=1)  # OpenSSL checks both below
        if p != q and gcd(e, (p - 1) * (q - 1)) == 1:
            break
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q))
    return numbers.private_key()


def _dsa(rng: random.Random) -> dsa.DSAPrivateKey:
    """A 2048-bit group with a 256-bit subgroup (FIPS 186's sizes): p = k·q + 1, g of order q."""
    q = _prime(256, rng)
    while True:
        p = rng.getrandbits(2048) | (1 << 2047)
        p -= p % (2 * q) - 1
        if p.bit_length() == 2048 and _probable_prime(p, rng):
            break
    g = next(g for h in range(2, 100) if (g := pow(h, (p - 1) // q, p)) > 1)
    x = rng.randrange(1, q)
    parameters = dsa.DSAParameterNumbers(p, q, g)
    return dsa.DSAPrivateNumbers(x, dsa.DSAPublicNumbers(pow(g, x, p), parameters)).private_key()


@lru_cache(maxsize=64)
def seeded_key(kind: str, seed: int = 0) -> Any:
    """The private key of `kind` (one of `KINDS`) for `seed`: the same key in every process."""
    rng = random.Random(f"{kind}/{seed}")
    if kind.startswith("rsa"):
        return _rsa(int(kind[3:]), rng)
    if kind in _CURVES:
        return ec.derive_private_key(rng.getrandbits(200) + 1, _CURVES[kind])  # below every curve's order
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
    if kind == "ed448":
        return ed448.Ed448PrivateKey.from_private_bytes(rng.randbytes(57))
    if kind == "dsa2048":
        return _dsa(rng)
    raise ValueError(f"no key kind {kind!r}; the kinds are {', '.join(KINDS)}")
