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
#include <libxml/globals.h>

/// `xmlFree` is a global function pointer that Swift 6 refuses to call directly.
static inline void clibxml2_free(void *pointer) {
    xmlFree(pointer);
}

/// libxml2 reports some errors (such as a failed character conversion, with the offending bytes) to
/// its generic error handler, which prints to stderr whatever the parser options say. A library must not
/// write a stranger's bytes to its host's stderr, so parsing runs with a handler that ignores them.
/// Swift cannot define a C variadic function, hence these helpers. The handler is per thread.
static void clibxml2_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

typedef struct {
    xmlGenericErrorFunc handler;
    void *context;
} clibxml2_generic_error_handler;

/// Installs the ignoring handler on this thread and returns the one it replaces.
static inline clibxml2_generic_error_handler clibxml2_silence_generic_errors(void) {
    clibxml2_generic_error_handler previous = { *__xmlGenericError(), *__xmlGenericErrorContext() };
    xmlSetGenericErrorFunc(NULL, clibxml2_ignore_generic_error);
    return previous;
}

/// Puts back a handler returned by `clibxml2_silence_generic_errors`.
static inline void clibxml2_restore_generic_errors(clibxml2_generic_error_handler previous) {
    xmlSetGenericErrorFunc(previous.context, previous.handler);
}

#endif
