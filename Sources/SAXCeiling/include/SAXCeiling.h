// The parse benchmark's ceiling: libxml2's HTML parser driven from plain C over an in-memory
// corpus, doing the least a link extractor can do (collect the raw href/src strings of
// a, area, link, iframe, frame). The Swift extractor is measured against this.
// No libxml2 header is visible from here (see the ICU note in CLibXML2/shim.h).
#ifndef SAX_CEILING_H
#define SAX_CEILING_H

#include <stddef.h>

/// What one pass over the corpus found.
typedef struct {
    size_t pages;
    size_t hrefs;
    size_t href_bytes;
} sax_ceiling_result;

/// Streams every body through libxml2's SAX HTML parser (pull parser, UTF-8 forced,
/// RECOVER|NOERROR|NOWARNING|NONET) and collects hrefs.
sax_ceiling_result sax_ceiling_run_sax(const unsigned char *const *bodies, const size_t *lengths, size_t count);

/// The same with libxml2's push parser (htmlCreatePushParserCtxt + htmlParseChunk).
sax_ceiling_result sax_ceiling_run_push(const unsigned char *const *bodies, const size_t *lengths, size_t count);

/// Builds libxml2's tree (htmlCtxtReadMemory, one reused context) and walks it for the same hrefs.
sax_ceiling_result sax_ceiling_run_tree(const unsigned char *const *bodies, const size_t *lengths, size_t count);

#endif
