#include "CChecksum.h"

#include <stdatomic.h>
#include <zlib.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>
#define CCHECKSUM_FOLDING 1
#endif

#if CCHECKSUM_FOLDING

/// `x`'s two halves multiplied by the two constants of `k` (carry-less) and added to `next`: 128 bits
/// folded forward over the distance the constants stand for.
__attribute__((target("pclmul,sse4.1"))) static inline __m128i fold(__m128i x, __m128i k, __m128i next) {
    __m128i low = _mm_clmulepi64_si128(x, k, 0x00);
    __m128i high = _mm_clmulepi64_si128(x, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

/// The CRC register after `length` bytes (at least 64, a multiple of 16), from the register `crc` (the
/// complemented CRC, as the algorithm keeps it). The constants are those of the bit-reflected polynomial
/// 0x104C11DB7: x^(4*128+64) and x^(4*128) mod P for folding four blocks at a time, x^(128+64) and x^128
/// mod P for one, x^64 mod P, and P with its Barrett constant floor(x^64 / P).
__attribute__((target("pclmul,sse4.1"))) static uint32_t folded_crc32(
    uint32_t crc, const unsigned char *bytes, size_t length
) {
    const __m128i fourBlocks = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
    const __m128i oneBlock = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
    const __m128i sixtyFour = _mm_set_epi64x(0, 0x0163cd6124);
    const __m128i barrett = _mm_set_epi64x(0x01f7011641, 0x01db710641);
    const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);

    __m128i x1 = _mm_loadu_si128((const __m128i *)(bytes + 0));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(bytes + 16));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(bytes + 32));
    __m128i x4 = _mm_loadu_si128((const __m128i *)(bytes + 48));
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
    bytes += 64;
    length -= 64;

    while (length >= 64) {
        x1 = fold(x1, fourBlocks, _mm_loadu_si128((const __m128i *)(bytes + 0)));
        x2 = fold(x2, fourBlocks, _mm_loadu_si128((const __m128i *)(bytes + 16)));
        x3 = fold(x3, fourBlocks, _mm_loadu_si128((const __m128i *)(bytes + 32)));
        x4 = fold(x4, fourBlocks, _mm_loadu_si128((const __m128i *)(bytes + 48)));
        bytes += 64;
        length -= 64;
    }

    // Four registers into one, then the remaining blocks one at a time.
    x1 = fold(x1, oneBlock, x2);
    x1 = fold(x1, oneBlock, x3);
    x1 = fold(x1, oneBlock, x4);
    while (length >= 16) {
        x1 = fold(x1, oneBlock, _mm_loadu_si128((const __m128i *)bytes));
        bytes += 16;
        length -= 16;
    }

    // 128 bits to 64, to 32, then the Barrett reduction to the remainder.
    __m128i t = _mm_clmulepi64_si128(x1, oneBlock, 0x10);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), t);
    t = _mm_srli_si128(x1, 4);
    x1 = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), sixtyFour, 0x00);
    x1 = _mm_xor_si128(x1, t);
    t = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), barrett, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), barrett, 0x00);
    x1 = _mm_xor_si128(x1, t);
    return (uint32_t)_mm_extract_epi32(x1, 1);
}

/// Whether the processor has PCLMULQDQ and SSE4.1: asked once, 1 or 0 (-1 before).
static atomic_int hasFolding = -1;

static int canFold(void) {
    int known = atomic_load_explicit(&hasFolding, memory_order_relaxed);
    if (known >= 0) return known;
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    int supported = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_PCLMUL) && (ecx & bit_SSE4_1);
    atomic_store_explicit(&hasFolding, supported ? 1 : 0, memory_order_relaxed);
    return supported;
}

#endif

uint32_t cchecksum_crc32(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *next = (const unsigned char *)bytes;
#if CCHECKSUM_FOLDING
    if (length >= 64 && canFold()) {
        size_t blocks = length & ~(size_t)15;
        crc = ~folded_crc32(~crc, next, blocks);
        next += blocks;
        length -= blocks;
    }
#endif
    if (length == 0) return crc;
    return (uint32_t)crc32_z(crc, next, length);
}
