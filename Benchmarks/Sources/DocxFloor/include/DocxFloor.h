#ifndef DOCX_FLOOR_H
#define DOCX_FLOOR_H

#include <stddef.h>
#include <stdint.h>

/// The least work any .docx text extractor must do: inflate `word/document.xml` and stream it
/// through libxml2's `xmlTextReader`, touching every text node. It finds nothing else (no
/// relationships, headers, notes, lists), so it is the speed floor a real extractor is compared with.

/// The result of one floor extraction.
typedef struct docx_floor_result {
    /// Bytes of text found in text nodes.
    uint64_t text_bytes;
    /// Number of text nodes touched.
    uint64_t text_nodes;
} docx_floor_result;

/// Outcomes of `docx_floor_extract`.
enum {
    DOCX_FLOOR_OK = 0,
    /// The bytes are not a zip archive libzip can open.
    DOCX_FLOOR_NOT_ZIP = 1,
    /// The archive has no `word/document.xml` or it cannot be inflated.
    DOCX_FLOOR_NO_DOCUMENT = 2,
    /// libxml2 refused the XML.
    DOCX_FLOOR_BAD_XML = 3,
};

/// Extracts the text nodes of `word/document.xml` from the .docx held in memory at `bytes`.
/// Returns `DOCX_FLOOR_OK` and fills `result`, or one of the failure codes.
int docx_floor_extract(const void *bytes, size_t length, docx_floor_result *result);

/// Writes a .docx at `path` whose main part holds about `xml_bytes` of XML made of paragraphs of
/// pseudo-random words, plus, when `media_bytes` is not 0, a stored picture part of that many
/// random bytes (as a photo would be). The content is seeded by `seed`, so the same arguments give
/// the same file. Returns 0 on success, -1 on failure.
int docx_floor_write_generated_docx(const char *path, size_t xml_bytes, size_t media_bytes, uint32_t seed);

#endif
