#ifndef CCHECKSUM_H
#define CCHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/// The CRC-32 that zip entries record (the ISO-HDLC polynomial, as zlib's `crc32`) of `length` bytes at
/// `bytes`, continuing from `crc`: 0 to start, the result of the previous call to go on.
///
/// On x86-64 processors with PCLMULQDQ and SSE4.1, blocks of 16 bytes are folded with carry-less
/// multiplication (the method of Gopal, Ozturk et al., "Fast CRC Computation for Generic Polynomials Using
/// PCLMULQDQ Instruction", Intel, 2009), about ten times as fast as zlib's tables; the last few bytes, and
/// everything on other processors, go through zlib's `crc32_z`.
uint32_t cchecksum_crc32(uint32_t crc, const void *bytes, size_t length);

#endif
