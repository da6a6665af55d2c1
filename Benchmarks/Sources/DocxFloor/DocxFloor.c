#include "DocxFloor.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

static int floor_read(void *context, char *buffer, int length)
{
    zip_int64_t count = zip_fread((zip_file_t *)context, buffer, (zip_uint64_t)length);
    return count < 0 ? -1 : (int)count;
}

static int floor_close(void *context)
{
    (void)context;
    return 0;
}

int docx_floor_extract(const void *bytes, size_t length, docx_floor_result *result)
{
    result->text_bytes = 0;
    result->text_nodes = 0;

    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source = zip_source_buffer_create(bytes, length, 0, &error);
    if (source == NULL) {
        zip_error_fini(&error);
        return DOCX_FLOOR_NOT_ZIP;
    }
    zip_t *archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive == NULL) {
        zip_source_free(source);
        zip_error_fini(&error);
        return DOCX_FLOOR_NOT_ZIP;
    }
    zip_error_fini(&error);

    zip_file_t *file = zip_fopen(archive, "word/document.xml", 0);
    if (file == NULL) {
        zip_discard(archive);
        return DOCX_FLOOR_NO_DOCUMENT;
    }

    int status = DOCX_FLOOR_OK;
    xmlTextReaderPtr reader = xmlReaderForIO(floor_read, floor_close, file, NULL, NULL,
                                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (reader == NULL) {
        status = DOCX_FLOOR_BAD_XML;
    } else {
        int step;
        while ((step = xmlTextReaderRead(reader)) == 1) {
            int type = xmlTextReaderNodeType(reader);
            if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                type == XML_READER_TYPE_CDATA) {
                const xmlChar *value = xmlTextReaderConstValue(reader);
                if (value != NULL) {
                    result->text_bytes += strlen((const char *)value);
                    result->text_nodes += 1;
                }
            }
        }
        if (step < 0) {
            status = DOCX_FLOOR_BAD_XML;
        }
        xmlFreeTextReader(reader);
    }
    zip_fclose(file);
    zip_discard(archive);
    return status;
}

// MARK: - Generated document

static const char *const floor_document_head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
static const char *const floor_document_tail = "<w:sectPr/></w:body></w:document>";

static const char *const floor_content_types =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";

static const char *const floor_package_relationships =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/>"
    "</Relationships>";

static int floor_add(zip_t *archive, const char *name, const void *bytes, size_t length, int free_bytes)
{
    zip_source_t *source = zip_source_buffer(archive, bytes, length, free_bytes);
    if (source == NULL) {
        return -1;
    }
    if (zip_file_add(archive, name, source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(source);
        return -1;
    }
    return 0;
}

int docx_floor_write_generated_docx(const char *path, size_t xml_bytes, size_t media_bytes, uint32_t seed)
{
    size_t capacity = xml_bytes + 4096;
    char *xml = malloc(capacity);
    if (xml == NULL) {
        return -1;
    }
    size_t length = 0;
    size_t head = strlen(floor_document_head), tail = strlen(floor_document_tail);
    memcpy(xml, floor_document_head, head);
    length = head;

    static const char *const open = "<w:p><w:r><w:t xml:space=\"preserve\">";
    static const char *const close = "</w:t></w:r></w:p>";
    size_t open_length = strlen(open), close_length = strlen(close);
    uint32_t state = seed ? seed : 1;
    // Paragraphs of 20-60 words of 2-10 lowercase letters, like a long resume.
    while (length + open_length + close_length + tail + 700 < xml_bytes) {
        memcpy(xml + length, open, open_length);
        length += open_length;
        state = state * 1664525u + 1013904223u;
        unsigned words = 20 + (state >> 24) % 41;
        for (unsigned word = 0; word < words; word++) {
            state = state * 1664525u + 1013904223u;
            unsigned letters = 2 + (state >> 24) % 9;
            for (unsigned letter = 0; letter < letters; letter++) {
                state = state * 1664525u + 1013904223u;
                xml[length++] = (char)('a' + (state >> 24) % 26);
            }
            xml[length++] = word + 1 < words ? ' ' : '.';
        }
        memcpy(xml + length, close, close_length);
        length += close_length;
    }
    memcpy(xml + length, floor_document_tail, tail);
    length += tail;

    int error = 0;
    zip_t *archive = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (archive == NULL) {
        free(xml);
        return -1;
    }
    if (floor_add(archive, "[Content_Types].xml", floor_content_types, strlen(floor_content_types), 0) != 0 ||
        floor_add(archive, "_rels/.rels", floor_package_relationships, strlen(floor_package_relationships), 0) != 0) {
        free(xml);
        zip_discard(archive);
        return -1;
    }
    // The archive frees the text when it is written.
    if (floor_add(archive, "word/document.xml", xml, length, 1) != 0) {
        free(xml);
        zip_discard(archive);
        return -1;
    }
    if (media_bytes > 0) {
        unsigned char *media = malloc(media_bytes);
        if (media == NULL) {
            zip_discard(archive);
            return -1;
        }
        for (size_t index = 0; index < media_bytes; index++) {
            state = state * 1664525u + 1013904223u;
            media[index] = (unsigned char)(state >> 24);
        }
        zip_int64_t entry = -1;
        zip_source_t *source = zip_source_buffer(archive, media, media_bytes, 1);
        if (source == NULL) {
            free(media);
            zip_discard(archive);
            return -1;
        }
        entry = zip_file_add(archive, "word/media/image1.png", source, ZIP_FL_OVERWRITE);
        if (entry < 0) {
            zip_source_free(source);
            zip_discard(archive);
            return -1;
        }
        zip_set_file_compression(archive, (zip_uint64_t)entry, ZIP_CM_STORE, 0);
    }
    if (zip_close(archive) != 0) {
        zip_discard(archive);
        return -1;
    }
    return 0;
}
