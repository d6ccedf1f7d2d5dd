#include "SAXCeiling.h"

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>

#define OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC)

typedef struct {
    char **hrefs;
    size_t count;
    size_t capacity;
    sax_ceiling_result *result;
} collector;

static void collect(collector *c, const xmlChar *value) {
    if (c->count == c->capacity) {
        c->capacity = c->capacity ? c->capacity * 2 : 64;
        c->hrefs = realloc(c->hrefs, c->capacity * sizeof(char *));
    }
    c->hrefs[c->count++] = strdup((const char *)value);
    c->result->hrefs += 1;
    c->result->href_bytes += strlen((const char *)value);
}

static void reset(collector *c) {
    for (size_t i = 0; i < c->count; i++) free(c->hrefs[i]);
    c->count = 0;
}

static const char *wanted_attribute(const xmlChar *name) {
    if (strcmp((const char *)name, "a") == 0 || strcmp((const char *)name, "area") == 0 || strcmp((const char *)name, "link") == 0) return "href";
    if (strcmp((const char *)name, "iframe") == 0 || strcmp((const char *)name, "frame") == 0) return "src";
    return NULL;
}

static void start_element(void *context, const xmlChar *name, const xmlChar **attributes) {
    const char *wanted = wanted_attribute(name);
    if (wanted == NULL || attributes == NULL) return;
    for (const xmlChar **cursor = attributes; cursor[0] != NULL; cursor += 2) {
        if (strcmp((const char *)cursor[0], wanted) == 0) {
            if (cursor[1] != NULL) collect(context, cursor[1]);
            return;
        }
    }
}

static void ignore_cdata(void *context, const xmlChar *value, int length) { (void)context; (void)value; (void)length; }

static htmlSAXHandler handler(void) {
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof(sax));
    sax.startElement = start_element;
    sax.cdataBlock = ignore_cdata;
    return sax;
}

sax_ceiling_result sax_ceiling_run_sax(const unsigned char *const *bodies, const size_t *lengths, size_t count) {
    xmlInitParser();
    sax_ceiling_result result = {0, 0, 0};
    collector c = {NULL, 0, 0, &result};
    htmlSAXHandler sax = handler();
    for (size_t i = 0; i < count; i++) {
        if (lengths[i] == 0) continue;
        htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt((const char *)bodies[i], (int)lengths[i]);
        if (ctxt == NULL) continue;
        memcpy(ctxt->sax, &sax, sizeof(sax));
        ctxt->userData = &c;
        htmlCtxtUseOptions(ctxt, OPTIONS);
        xmlSwitchToEncoding(ctxt, xmlFindCharEncodingHandler("UTF-8"));
        htmlParseDocument(ctxt);
        if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
        htmlFreeParserCtxt(ctxt);
        result.pages += 1;
        reset(&c);
    }
    free(c.hrefs);
    return result;
}

sax_ceiling_result sax_ceiling_run_push(const unsigned char *const *bodies, const size_t *lengths, size_t count) {
    xmlInitParser();
    sax_ceiling_result result = {0, 0, 0};
    collector c = {NULL, 0, 0, &result};
    htmlSAXHandler sax = handler();
    for (size_t i = 0; i < count; i++) {
        htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&sax, &c, NULL, 0, NULL, XML_CHAR_ENCODING_NONE);
        if (ctxt == NULL) continue;
        htmlCtxtUseOptions(ctxt, OPTIONS);
        xmlSwitchToEncoding(ctxt, xmlFindCharEncodingHandler("UTF-8"));
        htmlParseChunk(ctxt, (const char *)bodies[i], (int)lengths[i], 1);
        if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
        htmlFreeParserCtxt(ctxt);
        result.pages += 1;
        reset(&c);
    }
    free(c.hrefs);
    return result;
}

static void walk(xmlNodePtr node, collector *c) {
    // Iterative pre-order walk: a 100,000-deep tree must not overflow the stack.
    xmlNodePtr current = node;
    while (current != NULL) {
        if (current->type == XML_ELEMENT_NODE) {
            const char *wanted = wanted_attribute(current->name);
            if (wanted != NULL) {
                xmlChar *value = xmlGetProp(current, (const xmlChar *)wanted);
                if (value != NULL) { collect(c, value); xmlFree(value); }
            }
            if (current->children != NULL) { current = current->children; continue; }
        }
        while (current != NULL && current->next == NULL && current != node) current = current->parent;
        if (current == NULL || current == node) break;
        current = current->next;
    }
}

sax_ceiling_result sax_ceiling_run_tree(const unsigned char *const *bodies, const size_t *lengths, size_t count) {
    xmlInitParser();
    sax_ceiling_result result = {0, 0, 0};
    collector c = {NULL, 0, 0, &result};
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    for (size_t i = 0; i < count; i++) {
        htmlDocPtr doc = htmlCtxtReadMemory(ctxt, (const char *)bodies[i], (int)lengths[i], NULL, "UTF-8", OPTIONS | HTML_PARSE_COMPACT | HTML_PARSE_NOBLANKS);
        if (doc == NULL) continue;
        walk(xmlDocGetRootElement(doc), &c);
        xmlFreeDoc(doc);
        result.pages += 1;
        reset(&c);
    }
    htmlFreeParserCtxt(ctxt);
    free(c.hrefs);
    return result;
}
