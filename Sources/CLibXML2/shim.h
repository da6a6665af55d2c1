#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// libxml2 on Debian is built with ICU, whose headers clash with Foundation's own ICU
// module. Read the version header first and switch the ICU parts off before anything
// else pulls them in.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

/// `xmlFree` is a global function pointer that Swift 6 refuses to call directly.
static inline void clibxml2_free(void *pointer) {
    xmlFree(pointer);
}

#endif
