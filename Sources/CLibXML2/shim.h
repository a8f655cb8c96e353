// libxml2 (Debian: libxml2-dev; pkg-config libxml-2.0). Used by the XML readers of ingest-gp.
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
