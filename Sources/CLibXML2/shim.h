// libxml2 for Swift. Two platform quirks are handled here (see PLATFORM-NOTES.md):
// 1. Debian's libxml2 headers pull in the system ICU, which clashes with the ICU that
//    Foundation bundles on Swift 6.3.0/6.3.1 ("'UErrorCode' has different definitions").
//    Undefining LIBXML_ICU_ENABLED after xmlversion.h keeps ICU out; only the tail of
//    xmlCharEncodingHandler depends on it and we never use that struct by value.
// 2. xmlFree is a macro/global Swift cannot call: cxml_free wraps it.
#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>

static inline void cxml_free(void *pointer) {
    xmlFree(pointer);
}

#endif
