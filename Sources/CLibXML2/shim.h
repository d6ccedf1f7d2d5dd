// libxml2 for Swift. Two platform quirks are handled here (see PLATFORM-NOTES.md):
// 1. Debian's libxml2 headers pull in the system ICU, which clashes with the ICU that
//    Foundation bundles on Swift 6.3.0/6.3.1 ("'UErrorCode' has different definitions").
//    Undefining LIBXML_ICU_ENABLED after xmlversion.h keeps ICU out; only the tail of
//    xmlCharEncodingHandler depends on it and we never use that struct by value.
// 2. xmlFree is a macro/global Swift cannot call: cxml_free wraps it.
//
// Only what is about libxml2 lives here; the Linux calls the parse workers make (pipe2,
// memfd_create, eventfd, prctl, CPU timers) are in CCrawlerLinux.
#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/xmlreader.h>

#include <string.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cxml_free(void *pointer) {
    xmlFree(pointer);
}

/// An HTML push-parser context that streams SAX events to `sax` with `user_data`, without
/// building a tree. `encoding` (an IANA name) is forced when not NULL; an unknown name sets
/// *unknown_encoding = 1 and leaves libxml2's default. The push parser is used because it
/// measured ~10% less CPU than the pull parser (htmlParseDocument) on the benchmark corpus.
static inline htmlParserCtxtPtr cxml_html_sax_context(const htmlSAXHandler *sax, void *user_data,
                                                      const char *encoding, int options,
                                                      int *unknown_encoding) {
    *unknown_encoding = 0;
    htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt((htmlSAXHandlerPtr)sax, user_data, NULL, 0, NULL, XML_CHAR_ENCODING_NONE);
    if (ctxt == NULL) return NULL;
    htmlCtxtUseOptions(ctxt, options);
    if (encoding != NULL) {
        xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(encoding);
        if (handler != NULL) {
            xmlSwitchToEncoding(ctxt, handler);
        } else {
            *unknown_encoding = 1;
        }
    }
    return ctxt;
}

/// Feeds the whole document to the parser, frees the context, and returns libxml2's last
/// error number (0 if none).
static inline int cxml_html_sax_run(htmlParserCtxtPtr ctxt, const char *buffer, int size) {
    htmlParseChunk(ctxt, buffer, size, 1);
    int error = ctxt->errNo;
    if (ctxt->myDoc != NULL) { xmlFreeDoc(ctxt->myDoc); ctxt->myDoc = NULL; }
    htmlFreeParserCtxt(ctxt);
    return error;
}

/// libxml2's tree parser over an in-memory document, for the tree-vs-SAX measurement.
static inline htmlDocPtr cxml_html_read_tree(htmlParserCtxtPtr ctxt, const char *buffer, int size,
                                             const char *encoding, int options) {
    return htmlCtxtReadMemory(ctxt, buffer, size, NULL, encoding, options);
}

// MARK: - Worker-process support (the Linux calls the workers make are in CCrawlerLinux)

/// Exit code of a worker whose libxml2 allocation failed (RLIMIT_AS reached).
#define CXML_EXIT_OUT_OF_MEMORY 86

static void *cxml_oom_malloc(size_t size) { void *p = malloc(size); if (p == NULL && size > 0) _exit(CXML_EXIT_OUT_OF_MEMORY); return p; }
static void *cxml_oom_realloc(void *q, size_t size) { void *p = realloc(q, size); if (p == NULL && size > 0) _exit(CXML_EXIT_OUT_OF_MEMORY); return p; }
static char *cxml_oom_strdup(const char *s) { char *p = strdup(s); if (p == NULL) _exit(CXML_EXIT_OUT_OF_MEMORY); return p; }

/// In a worker process: a libxml2 allocation that fails ends the process with
/// CXML_EXIT_OUT_OF_MEMORY, so the parent can tell a memory limit from a crash.
static inline int cxml_exit_on_out_of_memory(void) {
    return xmlMemSetup(free, cxml_oom_malloc, cxml_oom_realloc, cxml_oom_strdup);
}

/// Test hook: allocates through libxml2 until the memory limit is reached.
static inline void cxml_exhaust_memory(void) {
    for (;;) {
        char *p = (char *)xmlMalloc(64 * 1024 * 1024);
        if (p == NULL) _exit(CXML_EXIT_OUT_OF_MEMORY);
        memset(p, 1, 64 * 1024 * 1024);
    }
}

#endif
