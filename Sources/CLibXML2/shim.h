// libxml2 (Debian: libxml2-dev; pkg-config libxml-2.0). Used by the XML readers of ingest-gp.
//
// Debian builds libxml2 with ICU, so its encoding.h would include the system's ICU headers,
// which clash with the ICU that Foundation bundles. We use no ICU-specific libxml2 API (only
// the ICU fields of xmlCharEncodingHandler depend on it, and we never touch that struct), so
// the flag is dropped before the other headers are read.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

// xmlFree is a global function pointer, which Swift 6 cannot call safely; this wrapper can be.
static inline void joinedup_xmlFree(void *p) { xmlFree(p); }
