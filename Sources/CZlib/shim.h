#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

/// `deflateInit2` is a macro, which Swift does not import: a raw deflate stream (no zlib header or
/// trailer, as zip entries hold it) with the given window (9 to 15 bits) and memory level (1 to 9).
static inline int czlib_deflate_init_raw(z_streamp stream, int level, int windowBits, int memoryLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, -windowBits, memoryLevel, Z_DEFAULT_STRATEGY);
}

/// `inflateInit2` is a macro too: a raw deflate stream with a 32 KB window, the most a zip entry uses.
static inline int czlib_inflate_init_raw(z_streamp stream) {
    return inflateInit2(stream, -15);
}

#endif
